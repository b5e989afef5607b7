"""The formula engine: arithmetic over codes, nothing else, no eval()."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gaodi.indicators.formula import FormulaError, codes, evaluate


def test_a_ratio_is_computed_from_its_parts() -> None:
    values = {"students": Decimal(2193), "teachers": Decimal(202)}
    assert evaluate("students / teachers", values) == Decimal(2193) / Decimal(202)


def test_a_percentage_uses_a_factor() -> None:
    values = {"dual": Decimal(126), "specialist": Decimal(138)}
    result = evaluate("dual / specialist * 100", values)
    assert result is not None and round(result, 1) == Decimal("91.3")


def test_a_missing_part_or_a_zero_divisor_gives_unknown_not_zero() -> None:
    assert evaluate("a / b", {"a": Decimal(1), "b": Decimal(0)}) is None
    assert evaluate("a / b", {"a": Decimal(1)}) is None
    assert evaluate("-(a + b) * 2 - 1", {"a": Decimal(1), "b": Decimal(2)}) == Decimal(-7)


def test_it_lists_the_codes_it_reads() -> None:
    assert codes("(x + y) / x * 100") == ["x", "y"]


@pytest.mark.parametrize(
    "formula",
    [
        "__import__('os').system('true')",
        "a.b",
        "a[0]",
        "f(a)",
        "a ** 2",
        "lambda: 1",
        "'text'",
        "a if b else c",
        "a and b",
        "True + 1",
        "a; b",
        "",
    ],
)
def test_anything_but_arithmetic_is_refused_in_chinese(formula: str) -> None:
    with pytest.raises(FormulaError, match="公式"):
        evaluate(formula, {"a": Decimal(1), "b": Decimal(1), "c": Decimal(1)})
