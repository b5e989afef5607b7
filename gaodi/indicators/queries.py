"""Reads of the registry."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from gaodi.plans.models import Plan

from .formula import codes, evaluate
from .models import DataValue, Indicator

_CODE = re.compile(r"\bi\d{3}[a-z]?\b")


def registry_rows(plan: Plan) -> list[dict[str, Any]]:
    """Each indicator with its values by year and its formula spelt with names."""
    indicators = list(
        Indicator.objects.filter(plan=plan).prefetch_related("targets", "tasks__section")
    )
    names = {i.code: i.name for i in indicators}
    years = sorted({t.year for i in indicators for t in i.targets.all()})
    rows = []
    for indicator in indicators:
        values = {t.year: t for t in indicator.targets.all()}
        rows.append(
            {
                "indicator": indicator,
                "values": [values.get(year) for year in years],
                "formula": _CODE.sub(
                    lambda m: f"〔{names.get(m.group(0), m.group(0))}〕", indicator.formula
                ),
                "tasks": list(indicator.tasks.all()),
            }
        )
    return [{"years": years, "rows": rows}]


def actual(indicator: Indicator, org_unit_id: int, period: str) -> Decimal | None:
    """The value for an org unit and period: as reported, or computed from its parts."""
    return unit_values(indicator.plan, org_unit_id, period).get(indicator.code)


def unit_values(plan: Plan, org_unit_id: int, period: str) -> dict[str, Decimal | None]:
    """Every indicator of the plan for an org unit and period (code -> value): a base
    indicator as reported, a formula computed from its parts (themselves reported or
    computed), None when unknown. Two queries, however many formulas."""
    formulas = dict(Indicator.objects.filter(plan=plan).values_list("code", "formula"))
    reported: dict[str, Decimal | None] = dict(
        DataValue.objects.filter(
            indicator__plan=plan, org_unit_id=org_unit_id, period=period, disaggregation=""
        ).values_list("indicator__code", "value")
    )
    found: dict[str, Decimal | None] = {}

    def value(code: str, seen: frozenset[str]) -> Decimal | None:
        if code in found:
            return found[code]
        formula = formulas[code]
        if not formula:
            result = reported.get(code)
        elif code in seen:  # a formula that reads itself has no value
            return None
        else:
            parts = {c: value(c, seen | {code}) for c in codes(formula) if c in formulas}
            result = evaluate(formula, parts)
        found[code] = result
        return result

    return {code: value(code, frozenset()) for code in formulas}
