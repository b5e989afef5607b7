"""CSV of 代码,数值: written for a clerk to fill in, read back with every problem at its row."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from decimal import Decimal

from gaodi.files import exports
from gaodi.i18n import _

from .cells import CellError, CellProblem, FileRefused, Line, Read, text_to_decimal


def read_csv(text: str, lines: Sequence[Line]) -> Read:
    """代码,数值 rows (a header row first; more columns are ignored); FileRefused names rows."""
    records = _csv_records(text)
    by_code = {line.code: line for line in lines}
    read, problems = Read(), []
    first: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        code, raw = record[0].strip(), (record[1] if len(record) > 1 else "")
        place = _("第{n}行").format(n=number)
        try:
            value = _csv_value(by_code.get(code), code, raw, number, first)
        except CellError as exc:
            problems.append(CellProblem("", place, f"{code},{raw.strip()}", str(exc)))
            continue
        if value is not None:
            read.values[code], read.places[code], read.shown[code] = value, ("", place), raw.strip()
    if problems:
        raise FileRefused(problems)
    return read


def _csv_records(text: str) -> list[list[str]]:
    """The rows of the CSV, once its first row is the header 代码,数值."""
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))  # \r, \r\n or \n ends a row
    except csv.Error as exc:
        raise FileRefused(
            [CellProblem("", "", "", _("CSV 格式有误：{why}").format(why=exc))]
        ) from exc
    header = [cell.strip() for cell in records[0][:2]] if records else []
    if header not in (["代码", "数值"], [_("代码"), _("数值")]):
        raise FileRefused(
            [CellProblem("", _("第1行"), ",".join(header), _("第一行应为表头“代码,数值”"))]
        )
    return records


def _csv_value(
    line: Line | None, code: str, raw: str, number: int, first: dict[str, int]
) -> Decimal | None:
    """Row `number`'s value; CellError for a code not on the form or given twice (`first`
    holds the row each code was first given on), for text, and for a derived indicator."""
    if line is None:
        raise CellError(_("代码 {code} 不属于本表").format(code=code))
    if code in first:
        raise CellError(_("代码 {code} 重复（第{n}行已填写）").format(code=code, n=first[code]))
    first[code] = number
    value = text_to_decimal(raw)
    if value is not None and line.formula:
        raise CellError(_("该指标由组成部分计算，不直接填报（最多报一次）"))
    return value


def write_csv(lines: Sequence[Line], values: Mapping[str, Decimal]) -> str:
    """A CSV to fill in: 代码,数值 and, for reading, 指标 and 单位 (ignored on upload). Every
    field goes through `exports.csv_row`: a name that a spreadsheet would run as a formula gets
    a leading apostrophe; the values stay numbers (a negative one too)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(exports.csv_row([_("代码"), _("数值"), _("指标"), _("单位")]))
    for line in lines:
        if not line.formula:
            value = values.get(line.code)
            number = None if value is None else value.normalize()
            writer.writerow(exports.csv_row([line.code, number, line.name, line.unit]))
    return buffer.getvalue()
