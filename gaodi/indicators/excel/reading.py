"""Reading a filled-in template back: the hidden _meta must name the same form, the labels and
formulas must come back unchanged, a number cell must hold a number. Also the scan of a
sheet's formulas, which calamine does not read (it reads only the cached values)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook

from gaodi.i18n import _

from .cells import (
    FIRST_ROW,
    META_FIELDS,
    META_SHEET,
    SHEET,
    VALUE_COLUMN,
    CellError,
    CellProblem,
    FileRefused,
    Line,
    Read,
    TemplateId,
    shown,
    to_decimal,
)
from .template import excel_formula, meta_pairs, row_of

_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")


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
    try:
        formulas = sheet_formulas(content, SHEET)
    except (ElementTree.ParseError, zipfile.BadZipFile) as exc:  # calamine read it; XML is broken
        raise FileRefused([CellProblem("", "", "", _("Excel 文件已损坏，无法读取"))]) from exc
    read, problems = _entry_values(grid, lines, formulas)
    if problems:
        raise FileRefused(problems)
    return read


def _meta_problems(meta: list[list[Any]], expected: TemplateId) -> list[CellProblem]:
    found = {str(row[0]): (shown(row[1]), f"B{n}") for n, row in enumerate(meta, 1) if len(row) > 1}
    wanted = dict(meta_pairs(expected))
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
        problem = _input_value(read, line, place, cell, formula)
        if problem is not None:
            problems.append(problem)
    problems += _extra_row_problems(FIRST_ROW + len(lines), len(grid), at)
    return read, problems


def _input_value(
    read: Read, line: Line, place: str, cell: Any, formula: str | None
) -> CellProblem | None:
    """An input cell's number, kept in `read` with its place; or the problem with the cell."""
    if formula is not None:
        return CellProblem(SHEET, place, "=" + formula, _("数值单元格不能使用公式，请直接填写数字"))
    try:
        value = to_decimal(cell)
    except CellError as exc:
        return CellProblem(SHEET, place, shown(cell), str(exc))
    if value is not None:
        read.values[line.code] = value
        read.places[line.code] = (SHEET, place)
        read.shown[line.code] = shown(cell)
    return None


def _extra_row_problems(first: int, last: int, at: Any) -> list[CellProblem]:
    """Rows first..last lie below the last indicator and must be empty."""
    return [
        CellProblem(
            SHEET,
            f"A{row}",
            shown(at(row, 0) or at(row, 3)),
            _("表格下方多出了内容，请勿增加行"),
        )
        for row in range(first, last + 1)
        if at(row, 0) != "" or at(row, 3) != ""
    ]


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


# The formulas of a sheet ---------------------------------------------------------------


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
