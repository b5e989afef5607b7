"""Parameter versions shared by the rules of this app, pure, no Django.

A parameter set (evaluation weights, the achievement kinds and how they find the plan's
targets, a competition points table) is data: it has a code, a version and the day it takes
effect. `select_version` picks the one in force on a day; a change is a new version with its
own effective date, so results computed before that day stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol, TypeVar

from gaodi.i18n import _

EXAMPLE = "示例"
POINT = Decimal("0.1")


class ParameterError(ValueError):
    """A parameter set that cannot be used; the message says why, in Chinese."""


class Versioned(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def version(self) -> int: ...

    @property
    def effective_from(self) -> date: ...


V = TypeVar("V", bound=Versioned)


def select_version(versions: Iterable[V], as_of: date, code: str | None = None) -> V | None:
    """The version in force on `as_of`: the highest version effective on or before that day
    (of the given code, if any); None when none is in force yet."""
    in_force = [v for v in versions if v.effective_from <= as_of and code in (None, v.code)]
    return max(in_force, key=lambda chosen: (chosen.version, chosen.effective_from), default=None)


def check_version(code: str, version: int) -> None:
    if not code or version < 1:
        raise ParameterError(_("参数集须有编号，版本号须至少为 1"))


def record(value: Any) -> dict[str, Any]:
    """A dataclass as a JSON-ready dict, field by field."""
    return {item.name: to_json(getattr(value, item.name)) for item in fields(value)}


def to_json(value: Any) -> Any:
    """JSON-ready: dataclasses as dicts, tuples as lists, Decimal as exact text, dates ISO."""
    if is_dataclass(value) and not isinstance(value, type):
        return record(value)
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def decimal(value: object, what: str) -> Decimal:
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        raise ParameterError(_("{what}“{value}”不是数字").format(what=what, value=value)) from None
    if not found.is_finite():
        raise ParameterError(_("{what}“{value}”不是数字").format(what=what, value=value))
    return found


def round_point(value: Decimal) -> Decimal:
    return value.quantize(POINT, rounding=ROUND_HALF_UP)


def number(value: Decimal) -> str:
    """4888, 81.4, 0.5: no trailing zeros."""
    return f"{value.normalize() + 0:f}"
