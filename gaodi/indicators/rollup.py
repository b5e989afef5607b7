"""Roll-up over the org tree, live (no nightly rebuild): counts summed over every unit below,
ratios recomputed from their summed parts — never an average of ratios (DESIGN.md).

Sums are Decimal, added in Python: SQLite would add DECIMAL columns as floats.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connection

from .formula import codes, evaluate
from .models import DataValue, Indicator

_UNDER_CHILDREN = """
WITH RECURSIVE tree(id, child) AS (
    SELECT id, id FROM orgs_orgunit WHERE parent_id = %s
    UNION ALL
    SELECT o.id, tree.child FROM orgs_orgunit o JOIN tree ON o.parent_id = tree.id
) SELECT id, child FROM tree
"""


def _child_of(parent_id: int) -> dict[int, int]:
    """Every unit below a parent -> the parent's child it lies under."""
    with connection.cursor() as cursor:
        cursor.execute(_UNDER_CHILDREN, [parent_id])
        return {unit: child for unit, child in cursor.fetchall()}


def by_children(indicator: Indicator, parent_id: int, period: str) -> dict[int, Decimal | None]:
    """The indicator for each child of an org unit, everything below each child summed."""
    child_of = _child_of(parent_id)
    children = sorted(set(child_of.values()))
    if not indicator.formula:
        return _sums(indicator, child_of, children, period)
    parts = Indicator.objects.filter(plan=indicator.plan, code__in=codes(indicator.formula))
    summed = {part.code: _sums(part, child_of, children, period) for part in parts}
    return {
        child: evaluate(indicator.formula, {code: sums[child] for code, sums in summed.items()})
        for child in children
    }


def _sums(
    indicator: Indicator, child_of: dict[int, int], children: list[int], period: str
) -> dict[int, Decimal | None]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    seen: set[int] = set()
    rows = DataValue.objects.filter(
        indicator=indicator, period=period, disaggregation="", org_unit_id__in=list(child_of)
    ).values_list("org_unit_id", "value")
    for unit, value in rows:
        totals[child_of[unit]] += value
        seen.add(child_of[unit])
    return {child: (totals[child] if child in seen else None) for child in children}
