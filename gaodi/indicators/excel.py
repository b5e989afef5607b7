"""Excel and CSV round trip of a reporting form: the template a clerk downloads, fills in and
uploads again, a CSV of 代码,数值, and a workbook of many schools at once (one row a school).

Reading is strict because a spreadsheet is easy to get subtly wrong: the template names its
data set, org unit, period and version in a hidden sheet (``_meta``) and must come back to the
same form; its labels and formulas are locked and must come back unchanged; a number cell
holds a number (not text, a date or a formula). Every problem names its place (``填报!D7``,
``第3行``), the value found and a Chinese reason, and nothing is stored while there is one.
Values go through `store_values`, the one write path (all or nothing, upsert: uploading the
same file twice stores the same values).

The sheet names are part of the file format (the reader looks them up), so they are fixed
strings rather than translated ones.
"""

from __future__ import annotations

import ast
import copy
import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from xml.etree import ElementTree

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook

from gaodi.i18n import _
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor

from . import uploads
from .collection import Problem, Stored, ValuesRefused, current_values, store_values
from .formula import codes, parse
from .models import DataSet, Indicator
from .rules import _COUNT_UNITS as COUNT_UNITS

FORMAT_VERSION = "1"
SHEET = "填报"
GUIDE_SHEET = "填报说明"
META_SHEET = "_meta"
HEADER_ROW = 4
FIRST_ROW = 5  # the first indicator's row: derived formulas read =D5/D6 …
VALUE_COLUMN = "D"
UNIT_CODE_HEADER = "单位代码"
MAX_INTEGER = Decimal(10) ** 14  # DataValue: 20 digits, 6 of them decimals
_FLOAT_LIMIT = 1e14
SIX_PLACES = Decimal("0.000001")
META_FIELDS = ("format", "data_set_id", "data_set_code", "org_unit_id", "org_unit_code", "period")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_DERIVED_FILL = PatternFill("solid", fgColor="E7E6E6")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


@dataclass(frozen=True)
class Line:
    """One indicator row of a template: a base value to type in, or a derived one (formula)."""

    code: str
    name: str
    unit: str
    value_type: str = "number"
    formula: str = ""
    note: str = ""


@dataclass(frozen=True)
class TemplateId:
    """What a template is for; written in its hidden ``_meta`` sheet."""

    data_set_id: int
    data_set_code: str
    org_unit_id: int
    org_unit_code: str
    period: str
    version: str


@dataclass(frozen=True)
class CellProblem:
    """Why a file was refused, at one place: the sheet, the cell (or 第3行), what it held."""

    sheet: str
    cell: str
    value: str
    reason: str

    @property
    def place(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.sheet and self.cell else self.cell or self.sheet


class FileRefused(ValueError):
    """Nothing was stored; `problems` says where and why."""

    def __init__(self, problems: list[CellProblem]):
        self.problems = problems
        super().__init__("；".join(f"{p.place} {p.reason}" for p in problems))


class CellError(ValueError):
    """A cell that is not a number; the message is Chinese."""


@dataclass
class Read:
    """Values read from a file, with the place of each (to point store_values' problems at)."""

    values: dict[str, Decimal] = field(default_factory=dict)
    places: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (sheet, cell)
    shown: dict[str, str] = field(default_factory=dict)  # code -> the value as found


# Numbers ------------------------------------------------------------------------------


def to_decimal(cell: Any) -> Decimal | None:
    """A spreadsheet cell as a number; None when blank; CellError for text, dates, TRUE."""
    kind = type(cell)
    if kind is float:
        if cell.is_integer() and -_FLOAT_LIMIT < cell < _FLOAT_LIMIT:
            return Decimal(int(cell))  # the common case, without fit()
        return fit(Decimal(repr(cell)))
    if kind is int:
        return fit(Decimal(cell))
    if kind is str:
        if not cell.strip():
            return None
        raise CellError(_("应填写数字，而不是文字“{text}”").format(text=cell.strip()[:40]))
    if kind is bool:
        raise CellError(_("应填写数字，而不是逻辑值"))
    raise CellError(_("应填写数字，而不是日期或时间"))


def text_to_decimal(raw: str) -> Decimal | None:
    """A typed number (CSV): thousands separators allowed; None when blank."""
    text = raw.strip().replace(",", "").replace("，", "").replace(" ", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("应填写数字，而不是“{text}”").format(text=raw.strip()[:40])) from None
    return fit(number)


def fit(number: Decimal) -> Decimal:
    """What a DataValue holds: finite, under 10^14, at most six decimals."""
    if not number.is_finite():
        raise CellError(_("应填写数字"))
    if abs(number) >= MAX_INTEGER:
        raise CellError(_("数值过大（整数部分最多14位）"))
    if number.as_tuple().exponent < -6:  # type: ignore[operator]  # finite: an int
        number = number.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    return number


def shown(cell: Any) -> str:
    """A cell's value as the problem table shows it."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)[:60]


# The template -------------------------------------------------------------------------


def template_version(lines: Sequence[Line]) -> str:
    """Format version + a hash of the rows: a changed registry makes old templates stale."""
    text = "\n".join(f"{ln.code}\t{ln.name}\t{ln.unit}\t{ln.formula}" for ln in lines)
    return f"{FORMAT_VERSION}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"


def row_of(lines: Sequence[Line]) -> dict[str, int]:
    return {line.code: FIRST_ROW + index for index, line in enumerate(lines)}


def excel_formula(formula: str, rows: Mapping[str, int]) -> str | None:
    """The derived value as an Excel formula over the input cells, blank while a part is
    missing (like formula.evaluate); None when a part is on another form."""
    parts = codes(formula)
    if not all(code in rows for code in parts):
        return None
    tree = copy.deepcopy(parse(formula))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            node.id = f"{VALUE_COLUMN}{rows[node.id]}"
    expression = ast.unparse(tree).replace(" ", "")
    cells = ",".join(f"{VALUE_COLUMN}{rows[c]}" for c in parts)
    return f'=IF(COUNT({cells})={len(parts)},IFERROR({expression},""),"")'


def write_template(
    ident: TemplateId, lines: Sequence[Line], values: Mapping[str, Decimal], *, heading: str
) -> bytes:
    """The .xlsx a clerk fills in: 填报 (locked labels, open inputs, live formulas), 填报说明,
    and the hidden _meta."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    _entry_sheet(sheet, ident, lines, values, heading)
    _guide_sheet(workbook.create_sheet(GUIDE_SHEET))
    meta = workbook.create_sheet(META_SHEET)
    for key, value in _meta_pairs(ident):
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.calculation.fullCalcOnLoad = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _meta_pairs(ident: TemplateId) -> list[tuple[str, str]]:
    return [
        ("format", FORMAT_VERSION),
        ("data_set_id", str(ident.data_set_id)),
        ("data_set_code", ident.data_set_code),
        ("org_unit_id", str(ident.org_unit_id)),
        ("org_unit_code", ident.org_unit_code),
        ("period", ident.period),
        ("version", ident.version),
    ]


def _entry_sheet(
    sheet: Any,
    ident: TemplateId,
    lines: Sequence[Line],
    values: Mapping[str, Decimal],
    heading: str,
) -> None:
    sheet["A1"] = heading
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = _("填报单位代码：{unit}　期间：{period}　模板版本：{version}").format(
        unit=ident.org_unit_code, period=ident.period, version=ident.version
    )
    sheet["A3"] = _(
        "只在“数值”列的浅黄色单元格里填写数字；灰色行由公式自动计算。空白表示未填报。详见“填报说明”。"
    )
    for column, title in enumerate((_("代码"), _("指标"), _("单位"), _("数值"), _("说明")), 1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=title)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
    rows = row_of(lines)
    checks = _validations()
    for line in lines:
        row = rows[line.code]
        sheet.append([line.code, line.name, line.unit or "—", None, line.note])
        value_cell = sheet.cell(row=row, column=4)
        if line.formula:
            value_cell.value = excel_formula(line.formula, rows)
            value_cell.number_format = "0.00"
            fill = _DERIVED_FILL
        else:
            if line.code in values:
                value_cell.value = _excel_number(values[line.code])
            value_cell.protection = Protection(locked=False)
            checks[_check_kind(line)].add(value_cell.coordinate)
            fill = _INPUT_FILL
        for column in range(1, 6):
            sheet.cell(row=row, column=column).fill = fill
        sheet.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=row, column=5).alignment = Alignment(wrap_text=True, vertical="top")
    for check in checks.values():
        if check.sqref:
            sheet.add_data_validation(check)
    for letter, width in zip("ABCDE", (9, 48, 7, 16, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{FIRST_ROW}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # allowed: a clerk may widen a column
    sheet.protection.formatRows = False


def _excel_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _check_kind(line: Line) -> str:
    if line.value_type == "percentage":
        return "percentage"
    return "count" if line.unit in COUNT_UNITS else "number"


def _validations() -> dict[str, DataValidation]:
    """Excel's own checks as the clerk types (the server checks again on upload)."""

    def made(operator: str, low: str, high: str | None, message: str) -> DataValidation:
        return DataValidation(
            type="decimal",
            operator=operator,
            formula1=low,
            formula2=high,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("数值有误"),
            error=message,
            showInputMessage=True,
            promptTitle=_("填写数字"),
            prompt=message,
        )

    return {
        "count": made("greaterThanOrEqual", "0", None, _("请填写不小于0的数字")),
        "percentage": made("between", "0", "100", _("请填写0到100之间的数字（百分数）")),
        "number": made("between", "-99999999999999", "99999999999999", _("请填写数字")),
    }


def _guide_sheet(sheet: Any) -> None:
    sheet["A1"] = _("填报说明")
    sheet["A1"].font = Font(bold=True, size=14)
    for text in (
        _("1. 只在“填报”工作表“数值”列的浅黄色单元格里填写数字，不要填写文字、单位或公式。"),
        _("2. 灰色行是比值等派生指标，由公式根据组成部分自动计算（最多报一次），不能填写。"),
        _("3. 空白表示未填报；留空不会删除已保存的数值。"),
        _("4. 不要修改代码、指标、单位列，不要插入、删除或移动行。"),
        _("5. 百分数填 0 到 100 之间的数，例如 85.5 表示 85.5%；人数、金额等不能为负数。"),
        _("6. 本模板只用于下载时的填报表、填报单位和期间，不能用于其他单位或年份。"),
        _("7. 填好后保存为 .xlsx，在网页“上传Excel/CSV”页面上传。"),
        _("8. 整个文件一起保存：有一处不合格，全部不保存，页面会逐个列出问题所在的单元格。"),
        _("9. 指标调整后旧模板失效，请重新下载。"),
    ):
        sheet.append([text])
    sheet.column_dimensions["A"].width = 100
    sheet.protection.sheet = True


# Reading the template -----------------------------------------------------------------


def read_template(content: bytes, expected: TemplateId, lines: Sequence[Line]) -> Read:
    """The typed values of a filled-in template, or FileRefused with every problem."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = workbook.sheet_names
        if META_SHEET not in names or SHEET not in names:
            raise FileRefused(
                [CellProblem(META_SHEET, "", "", _("不是本系统下载的填报模板，请先下载模板再填写"))]
            )
        meta = workbook.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
        grid = workbook.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    except CalamineError as exc:
        raise FileRefused([CellProblem("", "", "", _("Excel 文件无法读取"))]) from exc
    problems = _meta_problems(meta, expected)
    if problems:
        raise FileRefused(problems)  # values of another form mean nothing here
    read, problems = _entry_values(grid, lines, sheet_formulas(content, SHEET))
    if problems:
        raise FileRefused(problems)
    return read


def _meta_problems(meta: list[list[Any]], expected: TemplateId) -> list[CellProblem]:
    found = {str(row[0]): (shown(row[1]), f"B{n}") for n, row in enumerate(meta, 1) if len(row) > 1}
    wanted = dict(_meta_pairs(expected))
    if any(key not in found for key in META_FIELDS):
        return [CellProblem(META_SHEET, "", "", _("模板信息不完整，请重新下载模板"))]
    checks = (
        (("data_set_id", "data_set_code"), _("模板属于另一张填报表（{found}），本页面是 {wanted}")),
        (
            ("org_unit_id", "org_unit_code"),
            _("模板属于另一个填报单位（{found}），本页面是 {wanted}"),
        ),
        (("period",), _("模板的期间是 {found}，本页面是 {wanted}，请下载本期间的模板")),
        (
            ("format", "version"),
            _("模板版本（{found}）已过期，本表的指标已调整，请重新下载模板（当前 {wanted}）"),
        ),
    )
    problems = []
    for keys, reason in checks:
        if any(found.get(k, ("", ""))[0] != wanted[k] for k in keys):
            key = keys[-1]
            value, cell = found.get(key, ("", ""))
            problems.append(
                CellProblem(META_SHEET, cell, value, reason.format(found=value, wanted=wanted[key]))
            )
    return problems


def _entry_values(
    grid: list[list[Any]], lines: Sequence[Line], formulas: Mapping[str, str]
) -> tuple[Read, list[CellProblem]]:
    rows = row_of(lines)
    read, problems = Read(), []

    def at(row: int, column: int) -> Any:
        cells = grid[row - 1] if row <= len(grid) else []
        return cells[column] if column < len(cells) else ""

    for line in lines:
        row = rows[line.code]
        problems += _label_problems(line, row, at)
        place = f"{VALUE_COLUMN}{row}"
        cell, formula = at(row, 3), formulas.get(place)
        if line.formula:
            problems += _derived_problems(line, place, cell, formula, rows)
            continue
        if formula is not None:
            problems.append(
                CellProblem(
                    SHEET, place, "=" + formula, _("数值单元格不能使用公式，请直接填写数字")
                )
            )
            continue
        try:
            value = to_decimal(cell)
        except CellError as exc:
            problems.append(CellProblem(SHEET, place, shown(cell), str(exc)))
            continue
        if value is not None:
            read.values[line.code] = value
            read.places[line.code] = (SHEET, place)
            read.shown[line.code] = shown(cell)
    for row in range(FIRST_ROW + len(lines), len(grid) + 1):
        if at(row, 0) != "" or at(row, 3) != "":
            problems.append(
                CellProblem(
                    SHEET,
                    f"A{row}",
                    shown(at(row, 0) or at(row, 3)),
                    _("表格下方多出了内容，请勿增加行"),
                )
            )
    return read, problems


def _label_problems(line: Line, row: int, at: Any) -> list[CellProblem]:
    problems = []
    for column, letter, wanted, reason in (
        (0, "A", line.code, _("代码不能修改（应为 {wanted}），请勿插入、删除或移动行")),
        (1, "B", line.name, _("指标名称不能修改（应为“{wanted}”）")),
        (2, "C", line.unit or "—", _("单位不能修改（应为“{wanted}”）")),
    ):
        found = at(row, column)
        if shown(found).strip() != wanted:
            problems.append(
                CellProblem(SHEET, f"{letter}{row}", shown(found), reason.format(wanted=wanted))
            )
    return problems


def _derived_problems(
    line: Line, place: str, cell: Any, formula: str | None, rows: Mapping[str, int]
) -> list[CellProblem]:
    wanted = excel_formula(line.formula, rows)
    if wanted is None:
        if formula is None and cell == "":
            return []
        found = "=" + formula if formula is not None else shown(cell)
        return [CellProblem(SHEET, place, found, _("该指标由系统根据其他表的数据计算，不能填写"))]
    if formula is None:
        return [
            CellProblem(
                SHEET,
                place,
                shown(cell),
                _("自动计算的单元格被改成了数值，请恢复公式或重新下载模板"),
            )
        ]
    if _plain_formula(formula) != _plain_formula(wanted):
        return [
            CellProblem(
                SHEET,
                place,
                "=" + formula,
                _("自动计算的公式被修改（应为 {wanted}）").format(wanted=wanted),
            )
        ]
    return []


def _plain_formula(text: str) -> str:
    return re.sub(r"\s+", "", text).upper().removeprefix("=").replace("_XLFN.", "")


def sheet_formulas(content: bytes, sheet_name: str) -> dict[str, str]:
    """Cell reference -> formula text of one sheet (calamine reads only the cached values).
    A sheet without any formula is recognised by one byte search, without parsing it."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = _xml(archive, _sheet_path(archive, sheet_name))
    if (b"<f" not in xml and b":f" not in xml) or not _FORMULA_TAG.search(xml):
        return {}  # bytes.__contains__ is far quicker than the regular expression
    found = {}
    for _event, element in ElementTree.iterparse(io.BytesIO(xml)):
        if element.tag.rpartition("}")[2] == "c":
            formula = next((c for c in element if c.tag.rpartition("}")[2] == "f"), None)
            if formula is not None:
                found[element.get("r", "")] = formula.text or ""
            element.clear()
    return found


def _sheet_path(archive: zipfile.ZipFile, sheet_name: str) -> str:
    workbook = ElementTree.fromstring(_xml(archive, "xl/workbook.xml"))
    relation = next(
        (
            value
            for sheet in workbook.iter()
            if sheet.tag.rpartition("}")[2] == "sheet" and sheet.get("name") == sheet_name
            for key, value in sheet.attrib.items()
            if key.rpartition("}")[2] == "id"
        ),
        None,
    )
    rels = ElementTree.fromstring(_xml(archive, "xl/_rels/workbook.xml.rels"))
    for rel in rels:
        if rel.get("Id") == relation:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise FileRefused(
        [CellProblem(sheet_name, "", "", _("找不到工作表“{name}”").format(name=sheet_name))]
    )


def _xml(archive: zipfile.ZipFile, path: str) -> bytes:
    try:
        xml = archive.read(path)
    except KeyError:
        raise FileRefused([CellProblem("", "", path, _("Excel 文件缺少必要的部分"))]) from None
    if b"<!DOCTYPE" in xml[:4096]:  # xlsx never declares one; entities could expand
        raise FileRefused([CellProblem("", "", path, _("Excel 文件含有不允许的内容"))])
    return xml


# CSV: 代码,数值 -------------------------------------------------------------------------


def read_csv(text: str, lines: Sequence[Line]) -> Read:
    """代码,数值 rows (a header row first; more columns are ignored); FileRefused names rows."""
    try:
        records = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise FileRefused(
            [CellProblem("", "", "", _("CSV 格式有误：{why}").format(why=exc))]
        ) from exc
    header = [cell.strip() for cell in records[0][:2]] if records else []
    if header not in (["代码", "数值"], [_("代码"), _("数值")]):
        raise FileRefused(
            [CellProblem("", _("第1行"), ",".join(header), _("第一行应为表头“代码,数值”"))]
        )
    by_code = {line.code: line for line in lines}
    read, problems = Read(), []
    first: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        code, raw = record[0].strip(), (record[1] if len(record) > 1 else "")
        place = _("第{n}行").format(n=number)
        line = by_code.get(code)
        try:
            if line is None:
                raise CellError(_("代码 {code} 不属于本表").format(code=code))
            if code in first:
                raise CellError(
                    _("代码 {code} 重复（第{n}行已填写）").format(code=code, n=first[code])
                )
            first[code] = number
            value = text_to_decimal(raw)
            if value is not None and line.formula:
                raise CellError(_("该指标由组成部分计算，不直接填报（最多报一次）"))
        except CellError as exc:
            problems.append(CellProblem("", place, f"{code},{raw.strip()}", str(exc)))
            continue
        if value is not None:
            read.values[code], read.places[code], read.shown[code] = value, ("", place), raw.strip()
    if problems:
        raise FileRefused(problems)
    return read


def write_csv(lines: Sequence[Line], values: Mapping[str, Decimal]) -> str:
    """A CSV to fill in: 代码,数值 and, for reading, 指标 and 单位 (ignored on upload)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("代码"), _("数值"), _("指标"), _("单位")])
    for line in lines:
        if not line.formula:
            value = values.get(line.code)
            writer.writerow(
                [line.code, "" if value is None else f"{value.normalize():f}", line.name, line.unit]
            )
    return buffer.getvalue()


# Many schools in one workbook (one row a school, one column an indicator) ---------------


@dataclass
class UnitsRead:
    """Values by unit code, with the row of each unit and the column of each indicator."""

    sheet: str = SHEET
    values: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)


def write_units_workbook(
    codes: Sequence[str], units: Sequence[tuple[str, str]], values: Sequence[Sequence[Any]]
) -> bytes:
    """单位代码, 单位名称, then one column per indicator code; values[i] is units[i]'s row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    sheet.append([UNIT_CODE_HEADER, _("单位名称"), *codes])
    for (code, name), row in zip(units, values, strict=True):
        sheet.append([code, name, *row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_units_workbook(content: bytes, allowed: Collection[str]) -> UnitsRead:
    """The first sheet of a many-schools workbook, or FileRefused with every problem."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        name = workbook.sheet_names[0]
        grid = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (CalamineError, IndexError) as exc:
        raise FileRefused([CellProblem("", "", "", _("Excel 文件无法读取"))]) from exc
    header = grid[0] if grid else []
    result, problems = UnitsRead(name), _units_header_problems(name, header, allowed)
    codes = [str(code).strip() for code in header[2:]]
    result.columns = {code: _letter(index) for index, code in enumerate(codes, start=2)}
    if problems:
        raise FileRefused(problems)
    formulas = sheet_formulas(content, name)
    for number, row in enumerate(grid[1:], start=2):
        unit_code = str(row[0]).strip() if row else ""
        if not unit_code:
            if any(cell != "" for cell in row):
                problems.append(CellProblem(name, f"A{number}", "", _("缺少单位代码")))
            continue
        if unit_code in result.rows:
            problems.append(
                CellProblem(
                    name,
                    f"A{number}",
                    unit_code,
                    _("单位重复（第{n}行已填写）").format(n=result.rows[unit_code]),
                )
            )
            continue
        result.rows[unit_code] = number
        values, bad = _unit_values(row, codes)
        result.values[unit_code] = values
        problems += [
            CellProblem(name, f"{_letter(index)}{number}", shown(cell), reason)
            for index, cell, reason in bad
        ]
    problems += [
        CellProblem(name, ref, "=" + text, _("数值单元格不能使用公式，请直接填写数字"))
        for ref, text in formulas.items()
        if _is_value_cell(ref)
    ]
    if problems:
        raise FileRefused(problems)
    return result


def _unit_values(
    row: list[Any], codes: list[str]
) -> tuple[dict[str, Decimal], list[tuple[int, Any, str]]]:
    """One school's values, and its bad cells as (column index, cell, reason). The loop runs
    once per cell of the file: whole numbers take the shortest path."""
    values: dict[str, Decimal] = {}
    bad = []
    for index, (code, cell) in enumerate(zip(codes, row[2:], strict=False), start=2):
        if type(cell) is float and -_FLOAT_LIMIT < cell < _FLOAT_LIMIT:
            if cell.is_integer():
                values[code] = Decimal(int(cell))
                continue
            text = repr(cell)  # the shortest text that reads back as this float
            if "e" not in text and len(text) - text.index(".") <= 7:
                values[code] = Decimal(text)
                continue
        try:
            value = to_decimal(cell)
        except CellError as exc:
            bad.append((index, cell, str(exc)))
            continue
        if value is not None:
            values[code] = value
    return values, bad


def _units_header_problems(
    name: str, header: list[Any], allowed: Collection[str]
) -> list[CellProblem]:
    if not header or str(header[0]).strip() != UNIT_CODE_HEADER:
        return [CellProblem(name, "A1", shown(header[0]) if header else "", _("A1 应为“单位代码”"))]
    problems, seen = [], set()
    for index, cell in enumerate(header[2:], start=2):
        code = str(cell).strip()
        if code not in allowed:
            reason = _("指标代码 {code} 不属于本表或不能直接填报").format(code=code)
        elif code in seen:
            reason = _("指标代码 {code} 重复").format(code=code)
        else:
            seen.add(code)
            continue
        problems.append(CellProblem(name, f"{_letter(index)}1", code, reason))
    return problems


@lru_cache(maxsize=512)
def _letter(index: int) -> str:
    return str(get_column_letter(index + 1))


def _is_value_cell(ref: str) -> bool:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    return match is not None and int(match[2]) >= 2 and match[1] not in ("A", "B")


# Reading and storing for a data set (the ORM side) ------------------------------------


def lines_of(data_set: DataSet) -> list[Line]:
    """The template rows of a data set, in registry order (parts next to their ratio)."""
    indicators = list(data_set.indicators.select_related("subset_of").order_by("order"))
    inside = {i.code: i.name for i in indicators}
    return [
        Line(
            code=i.code,
            name=i.name,
            unit=i.unit,
            value_type=i.value_type,
            formula=i.formula,
            note=_note(i, inside),
        )
        for i in indicators
    ]


def _note(indicator: Indicator, inside: Mapping[str, str]) -> str:
    if indicator.formula:
        parts = codes(indicator.formula)
        if not all(code in inside for code in parts):
            return _("由系统根据其他表的数据计算，不需填写")
        text = indicator.formula
        for code in sorted(parts, key=len, reverse=True):
            text = text.replace(code, f"〔{inside[code]}〕")
        return _("自动计算：{formula}").format(formula=text.replace("/", "÷").replace("*", "×"))
    notes = []
    if indicator.subset_of is not None:
        notes.append(_("其中项，不超过“{whole}”").format(whole=indicator.subset_of.name))
    kind = _check_kind(Line(indicator.code, "", indicator.unit, indicator.value_type))
    if kind == "percentage":
        notes.append(_("填0到100之间的数"))
    elif kind == "count":
        notes.append(_("不能为负数"))
    return "；".join(notes)


def template_id(data_set: DataSet, unit: OrgUnit, period: str, lines: Sequence[Line]) -> TemplateId:
    return TemplateId(
        data_set.pk, data_set.code, unit.pk, unit.code, period, template_version(lines)
    )


def stored_values(data_set: DataSet, unit: OrgUnit, period: str) -> dict[str, Decimal]:
    return {code: v for (_u, _p, code), v in current_values(data_set, [unit.pk], [period]).items()}


def template_for(data_set: DataSet, unit: OrgUnit, period: str) -> bytes:
    """The template of a data set for one org unit and period, with its stored values."""
    lines = lines_of(data_set)
    heading = _("{data_set}（{unit}，{period}）").format(
        data_set=data_set.name, unit=unit.name, period=period
    )
    return write_template(
        template_id(data_set, unit, period, lines),
        lines,
        stored_values(data_set, unit, period),
        heading=heading,
    )


def template_filename(data_set: DataSet, unit: OrgUnit, period: str, suffix: str = "xlsx") -> str:
    name = f"{unit.code}_{data_set.code}_{period}.{suffix}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name)


def import_file(
    data_set: DataSet, unit: OrgUnit, period: str, content: bytes, *, name: str, actor: Actor
) -> Stored:
    """A filled-in template or a CSV for one org unit: checked, read, stored all or nothing."""
    try:
        sniffed = uploads.sniff(content, name)
    except uploads.UploadRefused as exc:
        raise FileRefused([CellProblem("", "", name[:60], str(exc))]) from exc
    lines = lines_of(data_set)
    if sniffed.kind == uploads.XLSX:
        read = read_template(content, template_id(data_set, unit, period, lines), lines)
        source = _("Excel上传")
    else:
        read = read_csv(sniffed.text, lines)
        source = _("CSV上传")
    if not read.values:
        raise FileRefused([CellProblem("", "", "", _("文件中没有填写任何数值"))])
    try:
        return store_values(data_set, period, {unit.pk: read.values}, actor=actor, source=source)
    except ValuesRefused as exc:
        raise FileRefused(
            [_placed(p, read.places.get(p.code), read.shown.get(p.code, "")) for p in exc.problems]
        ) from exc


def _placed(problem: Problem, place: tuple[str, str] | None, value: str) -> CellProblem:
    sheet, cell = place or ("", "")
    return CellProblem(sheet, cell, value, problem.message)


def import_workbook(
    data_set: DataSet,
    period: str,
    content: bytes,
    *,
    units: Mapping[str, int],
    actor: Actor,
    source: str,
    check_window: bool = True,
) -> Stored:
    """A workbook of many org units (one row each, `units` maps the codes the caller may
    report for to their ids), checked and stored with one store_values call."""
    try:
        uploads.check_xlsx(content)
    except uploads.UploadRefused as exc:
        raise FileRefused([CellProblem("", "", "", str(exc))]) from exc
    inputs = [line.code for line in lines_of(data_set) if not line.formula]
    read = read_units_workbook(content, inputs)
    unknown = [
        CellProblem(
            read.sheet, f"A{row}", code, _("单位代码 {code} 不存在或无权填报").format(code=code)
        )
        for code, row in read.rows.items()
        if code not in units
    ]
    if unknown:
        raise FileRefused(unknown)
    by_unit = {units[code]: values for code, values in read.values.items()}
    try:
        return store_values(
            data_set, period, by_unit, actor=actor, source=source, check_window=check_window
        )
    except ValuesRefused as exc:
        rows = {units[code]: row for code, row in read.rows.items()}
        raise FileRefused(
            [
                CellProblem(
                    read.sheet if p.unit_id in rows else "",
                    f"{read.columns.get(p.code, 'A')}{rows[p.unit_id]}"
                    if p.unit_id in rows
                    else "",
                    "",
                    p.message,
                )
                for p in exc.problems
            ]
        ) from exc
