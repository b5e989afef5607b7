"""Validation rules of a data set (DHIS2's validation rules), pure: rules and values in,
violations out, each with a Chinese reason and the codes it concerns (to show next to the cell).

Two kinds:

- compare: ``left operator right``, both sides formulas over indicator codes (the formula
  engine, no eval), e.g. ``i039n <= i039d`` (双师型教师数 ≤ 专业课教师总数). A side that
  cannot be computed (a part not reported) skips the rule: unknown is not a violation.
- outlier: one indicator's value against its own history (earlier years of the same unit):
  a year-on-year change whose z-score exceeds ``z`` (default 3, needs ≥ 3 earlier values),
  or a value outside the earlier minimum and maximum widened by ``band`` (default 50 %).
  These are warnings by default: an outlier may be true.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from gaodi.i18n import _

from .formula import codes, evaluate

OPERATORS = {
    "<=": (lambda a, b: a <= b, "≤"),
    "<": (lambda a, b: a < b, "<"),
    ">=": (lambda a, b: a >= b, "≥"),
    ">": (lambda a, b: a > b, ">"),
    "==": (lambda a, b: a == b, "="),
}

BLOCKING = "blocking"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    """What the engine needs of a rule (the model's fields, without the database)."""

    name: str
    left: str
    operator: str = "<="
    right: str = ""
    severity: str = BLOCKING
    kind: str = "compare"
    parameters: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Violation:
    rule: str
    severity: str
    message: str
    codes: tuple[str, ...]

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING


def check(
    rules: Iterable[Rule],
    values: Mapping[str, Decimal | None],
    history: Mapping[str, list[Decimal]] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[Violation]:
    """Every violated rule. `history[code]` is the unit's earlier values, oldest first."""
    found = []
    for rule in rules:
        if rule.kind == "outlier":
            found += _outlier(rule, values, history or {}, names or {})
        else:
            violation = _compare(rule, values, names or {})
            if violation is not None:
                found.append(violation)
    return found


def _compare(
    rule: Rule, values: Mapping[str, Decimal | None], names: Mapping[str, str]
) -> Violation | None:
    test, symbol = OPERATORS[rule.operator]
    left, right = evaluate(rule.left, dict(values)), evaluate(rule.right, dict(values))
    if left is None or right is None or test(left, right):
        return None
    return Violation(
        rule=rule.name,
        severity=rule.severity,
        message=_("{name}：{left}（{lv}）应 {op} {right}（{rv}）").format(
            name=rule.name,
            left=spell(rule.left, names),
            lv=_plain(left),
            op=symbol,
            right=spell(rule.right, names),
            rv=_plain(right),
        ),
        codes=tuple(codes(rule.left) + codes(rule.right)),
    )


def _outlier(
    rule: Rule,
    values: Mapping[str, Decimal | None],
    history: Mapping[str, list[Decimal]],
    names: Mapping[str, str],
) -> list[Violation]:
    code = rule.left
    value, earlier = values.get(code), list(history.get(code, []))
    if value is None or not earlier:
        return []
    name = names.get(code, code)
    z_limit = Decimal(str(rule.parameters.get("z", 3)))
    band = Decimal(str(rule.parameters.get("band", 0.5)))
    found = []
    low, high = min(earlier) * (1 - band), max(earlier) * (1 + band)
    if not low <= value <= high:
        found.append(
            _("{name} {value} 超出往年范围（{low}—{high}，已放宽 {band}%）").format(
                name=name,
                value=_plain(value),
                low=_plain(min(earlier)),
                high=_plain(max(earlier)),
                band=_plain(band * 100),
            )
        )
    z = year_on_year_z(earlier, value)
    if z is not None and abs(z) > z_limit:
        found.append(
            _("{name} 同比变化异常（z = {z}，超过 {limit}）").format(
                name=name, z=_plain(z.quantize(Decimal("0.1"))), limit=_plain(z_limit)
            )
        )
    return [
        Violation(rule=rule.name, severity=rule.severity, message=message, codes=(code,))
        for message in found
    ]


def year_on_year_z(earlier: list[Decimal], value: Decimal) -> Decimal | None:
    """The z-score of this year's change among the earlier year-on-year changes; None with
    fewer than two earlier changes or when they never varied."""
    changes = [b - a for a, b in zip(earlier, earlier[1:], strict=False)]
    if len(changes) < 2:
        return None
    spread = statistics.pstdev(changes)
    if spread == 0:
        return None
    return (value - earlier[-1] - statistics.mean(changes)) / spread


def spell(formula: str, names: Mapping[str, str]) -> str:
    """i039n <= i039d -> 〔“双师型”教师数…〕 <= 〔专业课教师总数…〕: codes spelt with names."""
    text = formula
    if not formula.strip():
        return ""
    for code in sorted(codes(formula), key=len, reverse=True):
        if code in names:
            text = text.replace(code, f"〔{names[code]}〕")
    return text


def _plain(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')).normalize():f}" if value % 1 else f"{int(value)}"
