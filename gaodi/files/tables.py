"""A list upload (one row a record, a header row first) read as text cells, from an .xlsx or a
CSV, after the shared defences (`uploads.sniff`: size, type by content, zip and XML bombs,
markup). Used by uploads that are lists of things rather than indicator values — the
专业目录 (specialty catalogue) first.

Cells come back as stripped text with their Excel-style place (工作表 A2 / 第2行), so that the
caller can name every bad cell; whole-number floats (Excel stores 710201 as 710201.0) are shown
without ".0". Blank rows are skipped. A sheet with a formula is refused with its cells named
(a list is typed, not computed). Text starting with = + - @ is kept as typed; whoever writes it
out again goes through `exports.safe_cell`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from gaodi.i18n import _

from .uploads import XLSX, UploadRefused, sniff

MAX_ROWS = 20_000


@dataclass(frozen=True)
class TableRow:
    number: int  # 1-based, as Excel and a spreadsheet's row numbers show it; 0 = a web form
    cells: dict[str, str]  # header -> text ("" when blank or missing)


@dataclass(frozen=True)
class Table:
    sheet: str  # "" for a CSV
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]

    def place(self, row: TableRow, column: str) -> str:
        """Where a cell is, as the clerk finds it: "专业目录 B7" or "第7行（专业名称）", or just
        "专业名称" for the one row of a web form (number 0)."""
        if row.number == 0:
            return column
        if self.sheet:
            index = self.header.index(column) + 1 if column in self.header else 1
            return f"{self.sheet} {get_column_letter(index)}{row.number}"
        return _("第{n}行（{column}）").format(n=row.number, column=column)


def read_table(content: bytes, name: str, required: Sequence[str]) -> Table:
    """The first sheet (or the CSV) as a Table; UploadRefused when the file is refused by the
    shared defences, cannot be read, has more than MAX_ROWS rows, or lacks a required column
    (all of them named)."""
    sniffed = sniff(content, name)
    if sniffed.kind == XLSX:
        sheet, grid = _xlsx_grid(content)
        _refuse_formulas(content, sheet)
    else:
        sheet, grid = "", list(csv.reader(io.StringIO(sniffed.text)))
    if not grid:
        raise UploadRefused(_("文件没有内容，请在第一行填表头"))
    header = tuple(_text(cell) for cell in grid[0])
    missing = [column for column in required if column not in header]
    if missing:
        raise UploadRefused(
            _("第一行缺少列：{missing}（应有：{required}）").format(
                missing="、".join(missing), required="、".join(required)
            )
        )
    if len(grid) - 1 > MAX_ROWS:
        raise UploadRefused(_("行数超过 {n} 行，请分批上传").format(n=MAX_ROWS))
    rows = []
    for number, record in enumerate(grid[1:], start=2):
        texts = [_text(cell) for cell in record]
        if not any(texts):
            continue
        cells = {column: (texts[i] if i < len(texts) else "") for i, column in enumerate(header)}
        rows.append(TableRow(number, cells))
    return Table(sheet, header, tuple(rows))


def _refuse_formulas(content: bytes, sheet: str) -> None:
    """A list is typed, not computed: a formula cell's cached value may be stale, and a file
    written by a program other than Excel may have none (it would read as blank, 未报)."""
    from gaodi.indicators.excel.reading import sheet_formulas  # the one reader of <f> cells

    formulas = sheet_formulas(content, sheet)
    if formulas:
        cells = "、".join(f"{sheet} {ref}" for ref in list(formulas)[:10])
        more = _("等 {n} 处").format(n=len(formulas)) if len(formulas) > 10 else ""
        raise UploadRefused(
            _("表中不能使用公式，请直接填写数值：{cells}{more}").format(cells=cells, more=more)
        )


def _xlsx_grid(content: bytes) -> tuple[str, list[list[object]]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.sheet_names[0]
        return sheet, workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except (CalamineError, IndexError) as exc:
        raise UploadRefused(_("Excel 文件无法读取，请用 Excel 打开后另存为 .xlsx")) from exc


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    return str(cell).strip()
