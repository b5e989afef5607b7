"""Reads of the registry."""

from __future__ import annotations

import re
from typing import Any

from gaodi.plans.models import Plan

from .models import Indicator

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
