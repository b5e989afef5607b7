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
    if not indicator.formula:
        return (
            DataValue.objects.filter(
                indicator=indicator, org_unit_id=org_unit_id, period=period, disaggregation=""
            )
            .values_list("value", flat=True)
            .first()
        )
    parts = Indicator.objects.filter(plan=indicator.plan, code__in=codes(indicator.formula))
    values = {part.code: actual(part, org_unit_id, period) for part in parts}
    return evaluate(indicator.formula, values)
