"""督导报告's annex (附表) as an Excel workbook: SupervisionReport in, .xlsx bytes out (pure).

One sheet per table of the report (概况 first), the header row bold and frozen, an auto
filter, columns wide enough for Chinese. Every cell goes through `gaodi.files.exports.put`:
text that a spreadsheet would take for a formula (= + - @, a leading tab or CR) is written as
quoted text, so that a department's comment never runs as a formula on the desk that opens
the annex (CSV/formula injection, OWASP).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from gaodi.files.exports import FORMULA_STARTS, put, safe_cell
from gaodi.i18n import _

from .report_charts import LABEL, LIGHTS, Section, display_width, light_name, sections
from .report_data import GREY, SupervisionReport

MAX_WIDTH = 50  # columns (characters of Latin width); longer text wraps
Value = str | int | float | bool | None
__all__ = ["FORMULA_STARTS", "put", "render_xlsx", "safe_cell"]


def render_xlsx(report: SupervisionReport) -> bytes:
    """The annex as .xlsx bytes: 概况 and one sheet per table, in the report's order."""
    book = Workbook()
    book.properties.title = report.title
    book.properties.creator = report.issuer
    overview = book.active
    assert overview is not None  # a new workbook has one sheet
    _overview(overview, report)
    for section in sections(report):
        if section.sheet:
            _table(book.create_sheet(section.sheet), section)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _overview(sheet: Worksheet, report: SupervisionReport) -> None:
    sheet.title = _("概况")
    rows: list[Sequence[Value]] = [
        (_("项目"), _("内容"), _("说明")),
        (_("文号"), report.number, ""),
        (_("标题"), report.title, ""),
        (_("发文机关"), report.issuer, ""),
        (_("依据方案"), report.plan_title, report.plan_doc_number),
        (_("报告期"), report.period_label, report.period),
        (_("统计截至"), report.as_of, ""),
        (_("印发日期"), report.issued_on, ""),
        (_("总体情况"), report.summary, ""),
    ]
    rows += [(h.label, h.value, h.note) for h in report.headlines]
    rows += [
        (light_name(colour), report.lights.get(colour, 0), _("项任务"))
        for colour in LIGHTS
        if colour in report.lights
    ]
    rows += [(_("说明"), note, "") for note in report.notes]
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            put(sheet, r, c, value)
    _finish(sheet, len(rows), 3)


def _table(sheet: Worksheet, section: Section) -> None:
    for c, title in enumerate(section.columns, start=1):
        put(sheet, 1, c, title)
    for r, values in enumerate(section.rows, start=2):
        for c, value in enumerate(values, start=1):
            if c - 1 == section.colour_column:
                _light(put(sheet, r, c, light_name(str(value))), str(value))
            else:
                put(sheet, r, c, value)
    _finish(sheet, len(section.rows) + 1, len(section.columns))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(section.columns))}{len(section.rows) + 1}"


def _light(cell: Cell, colour: str) -> None:
    fill = LABEL.get(colour, LABEL[GREY]).lstrip("#").upper()
    cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
    cell.font = Font(color="FFFFFF", bold=True)


def _finish(sheet: Worksheet, rows: int, columns: int) -> None:
    """Bold frozen header, and each column as wide as its longest line (Chinese counts two)."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.freeze_panes = "A2"
    for c in range(1, columns + 1):
        longest = max(
            (
                display_width(line)
                for r in range(1, rows + 1)
                for line in str(sheet.cell(row=r, column=c).value or "").splitlines()
            ),
            default=0,
        )
        width = min(max(longest + 2, 6), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(c)].width = width
        if longest + 2 > MAX_WIDTH:
            for r in range(2, rows + 1):
                sheet.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
