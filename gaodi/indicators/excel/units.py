"""Many schools in one workbook: one row a school (单位代码, 单位名称), one column an indicator.
Reading it runs once per cell of a large file, so whole numbers take the shortest path."""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from gaodi.files import exports
from gaodi.i18n import _

from .cells import (
    FLOAT_LIMIT,
    SHEET,
    UNIT_CODE_HEADER,
    CellError,
    CellProblem,
    FileRefused,
    shown,
    to_decimal,
)
from .reading import sheet_formulas


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
        labels = [exports.write_only_cell(sheet, text) for text in (code, name)]
        sheet.append([*labels, *row])  # the names never become formulas; values as given
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
    problems = _unit_rows(result, grid, codes)
    problems += [
        CellProblem(name, ref, "=" + text, _("数值单元格不能使用公式，请直接填写数字"))
        for ref, text in formulas.items()
        if _is_value_cell(ref)
    ]
    if problems:
        raise FileRefused(problems)
    return result


def _unit_rows(result: UnitsRead, grid: list[list[Any]], codes: list[str]) -> list[CellProblem]:
    """The rows below the header into `result`: a school's values by unit code and its row;
    the problems of the rows (no unit code, a unit twice, a cell that is not a number)."""
    name, problems = result.sheet, []
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
    return problems


def _unit_values(
    row: list[Any], codes: list[str]
) -> tuple[dict[str, Decimal], list[tuple[int, Any, str]]]:
    """One school's values, and its bad cells as (column index, cell, reason). The loop runs
    once per cell of the file: whole numbers take the shortest path."""
    values: dict[str, Decimal] = {}
    bad = []
    for index, (code, cell) in enumerate(zip(codes, row[2:], strict=False), start=2):
        if type(cell) is float and -FLOAT_LIMIT < cell < FLOAT_LIMIT:
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
