"""Writing the template a clerk downloads: 填报 (locked labels, open inputs, live formulas and
Excel's own checks), 填报说明, and the hidden _meta naming what the template is for. The row
layout and the formulas are shared with the reader, which checks them on the way back."""

from __future__ import annotations

import ast
import copy
import hashlib
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from gaodi.files import exports
from gaodi.i18n import _

from ..formula import codes, parse
from ..rules import _COUNT_UNITS as COUNT_UNITS
from .cells import (
    FIRST_ROW,
    FORMAT_VERSION,
    GUIDE_SHEET,
    HEADER_ROW,
    META_SHEET,
    SHEET,
    VALUE_COLUMN,
    Line,
    TemplateId,
)

_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_DERIVED_FILL = PatternFill("solid", fgColor="E7E6E6")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


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


def meta_pairs(ident: TemplateId) -> list[tuple[str, str]]:
    """The rows of the hidden _meta sheet, key then value."""
    return [
        ("format", FORMAT_VERSION),
        ("data_set_id", str(ident.data_set_id)),
        ("data_set_code", ident.data_set_code),
        ("org_unit_id", str(ident.org_unit_id)),
        ("org_unit_code", ident.org_unit_code),
        ("period", ident.period),
        ("version", ident.version),
    ]


def check_kind(line: Line) -> str:
    """Which of Excel's checks an input row gets: percentage, count (not negative), number."""
    if line.value_type == "percentage":
        return "percentage"
    return "count" if line.unit in COUNT_UNITS else "number"


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
    for key, value in meta_pairs(ident):
        exports.append(meta, [key, value])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.calculation.fullCalcOnLoad = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _entry_sheet(
    sheet: Any,
    ident: TemplateId,
    lines: Sequence[Line],
    values: Mapping[str, Decimal],
    heading: str,
) -> None:
    _entry_heading(sheet, ident, heading)
    rows = row_of(lines)
    checks = _validations()
    for line in lines:
        _entry_row(sheet, line, rows, values, checks)
    for check in checks.values():
        if check.sqref:
            sheet.add_data_validation(check)
    for letter, width in zip("ABCDE", (9, 48, 7, 16, 36), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{FIRST_ROW}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # allowed: a clerk may widen a column
    sheet.protection.formatRows = False


def _entry_heading(sheet: Any, ident: TemplateId, heading: str) -> None:
    exports.put(sheet, 1, 1, heading).font = Font(bold=True, size=14)
    exports.put(
        sheet,
        2,
        1,
        _("填报单位代码：{unit}　期间：{period}　模板版本：{version}").format(
            unit=ident.org_unit_code, period=ident.period, version=ident.version
        ),
    )
    sheet["A3"] = _(
        "只在“数值”列的浅黄色单元格里填写数字；灰色行由公式自动计算。空白表示未填报。详见“填报说明”。"
    )
    for column, title in enumerate((_("代码"), _("指标"), _("单位"), _("数值"), _("说明")), 1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=title)
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL


def _entry_row(
    sheet: Any,
    line: Line,
    rows: Mapping[str, int],
    values: Mapping[str, Decimal],
    checks: Mapping[str, DataValidation],
) -> None:
    row = rows[line.code]
    for column, text in enumerate((line.code, line.name, line.unit or "—"), start=1):
        exports.put(sheet, row, column, text)  # names from the registry: never a formula
    exports.put(sheet, row, 5, line.note)
    value_cell = sheet.cell(row=row, column=4)
    if line.formula:
        value_cell.value = excel_formula(line.formula, rows)
        value_cell.number_format = "0.00"
        fill = _DERIVED_FILL
    else:
        if line.code in values:
            value_cell.value = _excel_number(values[line.code])
        value_cell.protection = Protection(locked=False)
        checks[check_kind(line)].add(value_cell.coordinate)
        fill = _INPUT_FILL
    for column in range(1, 6):
        sheet.cell(row=row, column=column).fill = fill
    sheet.cell(row=row, column=2).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.cell(row=row, column=5).alignment = Alignment(wrap_text=True, vertical="top")


def _excel_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


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
