"""Cells for every spreadsheet Gaodi writes (.xlsx through openpyxl, and CSV): text that a
spreadsheet would take for a formula never becomes one (CSV/formula injection, OWASP).

A text starting with ``= + - @`` (or their full-width forms, or a tab, CR or LF) is a formula
to Excel, WPS and LibreOffice: a school named ``=HYPERLINK("http://x","点击")`` would otherwise
put a live link (or worse, a DDE call) on the desk of whoever opens the export.

- In .xlsx such text is written as a string cell with Excel's ``quotePrefix`` (the leading
  apostrophe a user would type): the cell shows exactly the characters typed, and stays text
  even when someone edits it. Characters XML cannot hold (control characters) are dropped.
- In CSV, which has no cell types, such text gets a leading apostrophe (``'=HYPERLINK(...)``).
- Numbers stay numbers: only text is ever quoted, so ``-2`` as a value is still minus two.

Pure (openpyxl only, no Django): the report renderers run without settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.worksheet.worksheet import Worksheet

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
Value = str | int | float | Decimal | bool | dt.date | dt.datetime | None


def formula_like(text: str) -> bool:
    """True when a spreadsheet would read this text as a formula (or a DDE call)."""
    return text.startswith(FORMULA_STARTS)


def safe_cell(value: Value) -> tuple[Value, bool]:
    """A value as it may go into a cell, and whether it must be marked as quoted text: a
    string starting with = + - @ (or tab, CR, LF) would otherwise be a formula. Characters
    that XML cannot hold (control characters) are dropped. Non-text values are unchanged."""
    if not isinstance(value, str):
        return value, False
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return text, formula_like(text)


def put(sheet: Worksheet, row: int, column: int, value: Value) -> Cell:
    """Write one value through `safe_cell`; quoted text keeps its characters and shows as
    text (Excel's quotePrefix, the leading apostrophe a user would type)."""
    text, quoted = safe_cell(value)
    cell = sheet.cell(row=row, column=column, value=text)
    if quoted:
        cell.data_type = "s"  # openpyxl has already taken "=..." for a formula
        cell.quotePrefix = True
    return cell


def append(sheet: Worksheet, values: Iterable[Value]) -> int:
    """`Worksheet.append` through `put`: the values on the next row; returns its number."""
    row = _next_row(sheet)
    for column, value in enumerate(values, start=1):
        if value is not None:
            put(sheet, row, column, value)
    return row


def _next_row(sheet: Worksheet) -> int:
    if sheet.max_row == 1 and sheet.max_column == 1 and sheet["A1"].value is None:
        return 1  # an empty sheet
    return int(sheet.max_row) + 1


def write_only_cell(sheet: Any, value: Value) -> Any:
    """A cell for a write-only sheet (``Workbook(write_only=True)``), the same way as `put`."""
    text, quoted = safe_cell(value)
    cell = WriteOnlyCell(sheet, value=text)
    if quoted:
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def csv_field(value: Value) -> str:
    """One CSV field: numbers as they are, text that would be a formula behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if not isinstance(value, str):
        return str(value)
    return "'" + value if formula_like(value) else value


def csv_row(values: Iterable[Value]) -> list[str]:
    return [csv_field(value) for value in values]
