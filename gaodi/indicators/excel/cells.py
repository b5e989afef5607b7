"""The words of the file format: its fixed names and places, the rows and identity of a
template, a problem at one cell, and a spreadsheet cell or typed text as a number."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from gaodi.i18n import _

FORMAT_VERSION = "1"
SHEET = "填报"
GUIDE_SHEET = "填报说明"
META_SHEET = "_meta"
HEADER_ROW = 4
FIRST_ROW = 5  # the first indicator's row: derived formulas read =D5/D6 …
VALUE_COLUMN = "D"
UNIT_CODE_HEADER = "单位代码"
MAX_INTEGER = Decimal(10) ** 14  # DataValue: 20 digits, 6 of them decimals
FLOAT_LIMIT = 1e14
SIX_PLACES = Decimal("0.000001")
META_FIELDS = ("format", "data_set_id", "data_set_code", "org_unit_id", "org_unit_code", "period")


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
        if cell.is_integer() and -FLOAT_LIMIT < cell < FLOAT_LIMIT:
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
