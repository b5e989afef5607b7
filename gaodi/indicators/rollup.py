"""Roll-up over the org tree and over time, live (no nightly rebuild): counts summed over every
unit below, ratios recomputed from their summed parts — never an average of ratios (DESIGN.md).

Three reads:

- ``by_children(indicator, parent_id, period)``: one indicator for each child of a unit;
- ``data_set_by_kind(data_set, unit_id, kind, period)``: every indicator of a data set for
  each unit of one kind below a unit (the province's counties), in one SQL aggregate;
  ``data_set_by_children(data_set, parent_id, period)`` the same for each child of a unit;
- ``over_time(indicator, unit_id, period, period_type)``: one unit's value for a period made
  of the sub-periods it reports (2021 from 2021Q1…Q4).

Over the tree, base indicators are summed, stocks and flows alike (the number of teachers of a
county is the sum of its schools'). An indicator that must not be summed (aggregation
``none``: 校均在校生规模, 生均拨款) is not rolled up by ``data_set_by_kind`` (None), nor is a
ratio whose formula uses one: ``i044 / (i005 * i002)`` over a county would multiply the summed
校均 by the number of schools. ``by_children`` keeps its first behaviour and sums every part.

Over time, the indicator's kind decides: a flow (招生数, 经费投入, 培训人日) is the sum of its
sub-periods, a stock (在校生数, 专任教师数) the value of the last sub-period reported. Which
sub-periods make a period is the data set's period type: a quarterly data set's 2021 is
2021Q1…2021Q4 (``sub_periods``). A ratio is recomputed from its parts rolled up this way.

One period (a year of a yearly data set) is read from the live pre-aggregation
(``totals.py``): for each group, the ``UnitTotal`` rows of everything below it plus its own
values, a few index lookups per group however much lies below; the totals are changed in the
transaction of every write, so a value written or approved is in the very next read (no
nightly rebuild). Several sub-periods (stocks take each unit's latest) are summed live over
DataValue, as below.

Sums are exact. The database adds (GROUP BY in SQL): PostgreSQL adds NUMERIC exactly; SQLite
would add the DECIMAL column as doubles, so a sum past 15 significant digits would lose its last
ones (4 × 900000000.000001 万元 + 0.1). On SQLite each value is therefore added as a whole
number of millionths (the column's 6 decimal places) in 64-bit integers: exact for every value
below 10^9 (SQLite keeps a value with a fraction as a double, 15 significant digits, which
Django reads back the same way) and for sums up to 9.2 × 10^12. Measured against fetching the
values as TEXT and adding Decimals in Python: bench/rollup.py, docs/performance.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import connection

from gaodi.i18n import _
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import roots_under

from . import totals
from .choices import Aggregation, Kind
from .formula import codes, evaluate
from .models import DataSet, DataValue, Indicator, UnitTotal
from .periods import PeriodError, parse_period

Sums = dict[int, dict[int, Decimal]]  # group unit -> indicator id -> sum

_EXACT_SUM = {
    # Whole values are stored as INTEGER and multiplied exactly; a value with a fraction is
    # a double whose millionths are rounded the way Django rounds it when reading.
    "sqlite": "SUM(CASE WHEN typeof({v}) = 'integer' THEN {v} * 1000000 "
    "ELSE CAST(ROUND({v} * 1000000) AS INTEGER) END)",
}

# Every unit below a unit -> the unit of one kind it lies in (the unit itself counts).
_TREE_BY_KIND = """
WITH RECURSIVE tree(id, grp) AS (
    SELECT id, CASE WHEN kind = %s THEN id END FROM {units} WHERE id = %s
    UNION ALL
    SELECT o.id, COALESCE(tree.grp, CASE WHEN o.kind = %s THEN o.id END)
    FROM {units} o JOIN tree ON o.parent_id = tree.id
)"""
# Every unit below a parent -> the parent's child it lies under.
_TREE_BY_CHILD = """
WITH RECURSIVE tree(id, grp) AS (
    SELECT id, id FROM {units} WHERE parent_id = %s
    UNION ALL
    SELECT o.id, tree.grp FROM {units} o JOIN tree ON o.parent_id = tree.id
)"""
# The groups of a one-period roll-up, read from the totals (totals.py): the children of a
# parent; the units of a kind at or below a unit, the walk going no deeper than a unit of
# that kind (the topmost of them is the group, as in _TREE_BY_KIND).
_GROUPS_BY_CHILD = "WITH grp_units(id) AS (SELECT id FROM {units} WHERE parent_id = %s)"
_GROUPS_BY_KIND = """
WITH RECURSIVE walk(id, grp) AS (
    SELECT id, kind = %s FROM {units} WHERE id = %s
    UNION ALL
    SELECT o.id, o.kind = %s FROM {units} o JOIN walk ON o.parent_id = walk.id WHERE NOT walk.grp
), grp_units(id) AS (SELECT id FROM walk WHERE grp)"""
# One period, live pre-aggregated: for each group, the total of every unit below it
# (UnitTotal, kept up to date in the transaction of every write: totals.py) plus the group's
# own values — a few index lookups per group, whatever lies below (the nation by its 31
# provinces: 31 × 20 rows of UnitTotal instead of 230,000 values; docs/performance.md). The
# last UNION ALL keeps a group that reported nothing in the answer, with nothing summed. The
# groups' own values are looked up group by group in the unique index (SQLite keeps the
# CROSS JOIN's order): read the other way round, from data_value_rollup, a nation's groups
# scanned every school's values of the period (48 ms instead of 1–2).
_ONE_PERIOD_TOTALS = """
SELECT g.id, t.indicator_id, t.{total}, t.{count}
FROM grp_units g JOIN {totals} t ON t.unit_id = g.id
WHERE t.period = %s AND t.indicator_id IN ({indicators}) AND t.root_id IN ({roots})
    AND t.{count} > 0
UNION ALL
SELECT g.id, dv.indicator_id, {own}, 1
FROM grp_units g CROSS JOIN {values} dv
WHERE dv.org_unit_id = g.id AND dv.period = %s AND dv.indicator_id IN ({indicators})
    AND dv.root_id IN ({roots})
    AND dv.disaggregation = ''{approved}
UNION ALL
SELECT g.id, NULL, NULL, 0 FROM grp_units g"""
# (Before the totals, one period was one walk over DataValue like _SUB_PERIODS': the
# period's values read first from data_value_rollup, looked up in the walked tree, summed per
# group — bench/rollup.py's baseline is that statement.)
# Sub-periods: flows add every row, stocks only each unit's latest reported sub-period.
_SUB_PERIODS = """
SELECT grp, indicator_id, {total} FROM (
    SELECT tree.grp, dv.indicator_id, dv.value, ROW_NUMBER() OVER (
        PARTITION BY tree.id, dv.indicator_id ORDER BY dv.period DESC) AS latest
    FROM tree LEFT JOIN {values} dv
        ON dv.org_unit_id = tree.id AND dv.period IN ({periods}) AND dv.disaggregation = ''
        AND dv.indicator_id IN ({indicators}) AND dv.root_id IN ({roots}){approved}
    WHERE tree.grp IS NOT NULL
) dv
WHERE dv.latest = 1 OR dv.indicator_id IN ({flows})
GROUP BY grp, indicator_id"""


def by_children(indicator: Indicator, parent_id: int, period: str) -> dict[int, Decimal | None]:
    """The indicator for each child of an org unit, everything below each child summed."""
    parts = [indicator]
    if indicator.formula:
        parts = list(
            Indicator.objects.filter(plan_id=indicator.plan_id, code__in=codes(indicator.formula))
        )
    tree = (_TREE_BY_CHILD, [parent_id])
    groups = (_GROUPS_BY_CHILD, [parent_id])
    sums = _grouped_sums(parent_id, tree, groups, [p.pk for p in parts], [period], flows=[])
    result = {}
    for child in sorted(sums):
        summed = {p.code: sums[child].get(p.pk) for p in parts}
        result[child] = (
            evaluate(indicator.formula, summed) if indicator.formula else summed[indicator.code]
        )
    return result


def data_set_by_kind(
    data_set: DataSet, unit_id: int, kind: str, period: str, *, approved_only: bool = False
) -> dict[int, dict[str, Decimal | None]]:
    """Every indicator of a data set for each unit of ``kind`` at or below ``unit_id``:
    group unit id -> indicator code -> value (None when nothing was reported or the
    indicator is not rolled up). ``period`` may be longer than the data set's period type
    (a year of a quarterly data set); ``approved_only`` leaves out values not yet approved."""
    tree = (_TREE_BY_KIND, [kind, unit_id, kind])
    groups = (_GROUPS_BY_KIND, [kind, unit_id, kind])
    return _data_set_rollup(data_set, unit_id, tree, groups, period, approved_only)


def data_set_by_children(
    data_set: DataSet, parent_id: int, period: str, *, approved_only: bool = False
) -> dict[int, dict[str, Decimal | None]]:
    """``data_set_by_kind`` grouped by the children of ``parent_id`` whatever their kind
    (a county's schools, a province's cities, the synthetic nation's provinces): child id ->
    indicator code -> value, everything below each child summed."""
    tree = (_TREE_BY_CHILD, [parent_id])
    groups = (_GROUPS_BY_CHILD, [parent_id])
    return _data_set_rollup(data_set, parent_id, tree, groups, period, approved_only)


def _data_set_rollup(
    data_set: DataSet,
    top: int,
    tree: tuple[str, Sequence[object]],
    groups: tuple[str, Sequence[object]],
    period: str,
    approved_only: bool,
) -> dict[int, dict[str, Decimal | None]]:
    indicators = list(data_set.indicators.all())
    parts = _formula_parts(data_set, indicators)
    summable = {i.pk: i for i in [*indicators, *parts] if _summable(i)}
    flows = [pk for pk, i in summable.items() if i.kind == Kind.FLOW]
    periods = sub_periods(period, data_set.period_type)
    sums = _grouped_sums(
        top, tree, groups, list(summable), periods, flows=flows, approved_only=approved_only
    )
    code_of = {pk: i.code for pk, i in summable.items()}
    ratios = [(i.code, i.formula) for i in indicators if i.formula]
    result = {}
    for group in sorted(sums):
        values: dict[str, Decimal | None] = dict.fromkeys(code_of.values())
        values.update((code_of[pk], total) for pk, total in sums[group].items())
        values.update((code, evaluate(formula, values)) for code, formula in ratios)
        result[group] = {i.code: values.get(i.code) for i in indicators}  # None: not summed
    return result


def over_time(indicator: Indicator, unit_id: int, period: str, period_type: str) -> Decimal | None:
    """One unit's own value for ``period`` from its sub-periods of ``period_type``: flows
    summed, stocks the last reported, a ratio from its parts rolled up so."""
    parts = [indicator]
    if indicator.formula:
        parts = list(
            Indicator.objects.filter(plan_id=indicator.plan_id, code__in=codes(indicator.formula))
        )
    periods = sub_periods(period, period_type)
    rows = DataValue.objects.filter(
        indicator__in=parts, org_unit_id=unit_id, period__in=periods, disaggregation=""
    ).values_list("indicator_id", "period", "value")
    by_part: dict[int, dict[str, Decimal]] = {p.pk: {} for p in parts}
    for part_id, sub_period, value in rows:
        by_part[part_id][sub_period] = value
    summed = {p.code: from_sub_periods(p.kind, by_part[p.pk]) for p in parts}
    return evaluate(indicator.formula, summed) if indicator.formula else summed[indicator.code]


def from_sub_periods(kind: str, values: Mapping[str, Decimal]) -> Decimal | None:
    """A period's value from its sub-periods' (period id -> value, all of one type): a flow is
    their sum, a stock the latest one's; None when none was reported."""
    if not values:
        return None
    if kind == Kind.FLOW:
        return sum(values.values(), Decimal(0))
    return values[max(values, key=lambda p: parse_period(p).end)]


_SUB_PERIOD_IDS = {
    DataSet.PeriodType.YEARLY: lambda year: [str(year)],
    DataSet.PeriodType.QUARTERLY: lambda year: [f"{year}Q{q}" for q in range(1, 5)],
    DataSet.PeriodType.BIMONTHLY: lambda year: [f"{year}{b:02d}B" for b in range(1, 7)],
}


def sub_periods(period: str, period_type: str) -> list[str]:
    """The periods of ``period_type`` that make up ``period`` exactly, in order:
    2021 of a quarterly data set -> 2021Q1…2021Q4; 2021Q3 of a quarterly one -> 2021Q3.
    PeriodError when they do not (2021Q1 of a yearly or of a bimonthly data set)."""
    whole = parse_period(period)
    candidates = [
        p
        for year in range(whole.start.year, whole.end.year + 1)
        for p in _SUB_PERIOD_IDS[DataSet.PeriodType(period_type)](year)
    ]
    inside = [
        p
        for p in candidates
        if whole.start <= parse_period(p).start and parse_period(p).end <= whole.end
    ]
    if (
        not inside
        or parse_period(inside[0]).start != whole.start
        or parse_period(inside[-1]).end != whole.end
    ):
        raise PeriodError(
            _("{kind}数据无法汇总出期间 {period} 的值").format(
                kind=DataSet.PeriodType(period_type).label, period=period
            )
        )
    return inside


def _summable(indicator: Indicator) -> bool:
    return not indicator.formula and indicator.aggregation != Aggregation.NONE


def _formula_parts(data_set: DataSet, indicators: Sequence[Indicator]) -> list[Indicator]:
    """The parts of the data set's ratios that belong to other data sets (i005 of i045)."""
    inside = {i.code for i in indicators}
    outside = {c for i in indicators if i.formula for c in codes(i.formula)} - inside
    if not outside:
        return []
    return list(Indicator.objects.filter(plan_id=data_set.plan_id, code__in=outside))


def _grouped_sums(
    top: int,
    tree: tuple[str, Sequence[object]],
    groups: tuple[str, Sequence[object]],
    indicator_ids: Sequence[int],
    periods: Sequence[str],
    *,
    flows: Sequence[int],
    approved_only: bool = False,
) -> Sums:
    """group unit -> indicator id -> exact sum, in one query; every group is a key. One
    period: from the live totals (``groups``); several: over DataValue (``tree``). Only the
    rows of the provinces of ``top``'s subtree are read (orgs.roots.roots_under)."""
    roots = roots_under(top)
    if len(periods) == 1:
        return _totals_sums(groups, indicator_ids, periods[0], approved_only, roots)
    cte, tree_params = tree
    total = _EXACT_SUM.get(connection.vendor, "SUM({v})").format(v="dv.value")
    names = {
        "units": OrgUnit._meta.db_table,
        "values": DataValue._meta.db_table,
        "indicators": ", ".join(["%s"] * len(indicator_ids)) or "NULL",
        "approved": " AND dv.status = %s" if approved_only else "",
        "total": total,
        "roots": ", ".join(["%s"] * len(roots)),
    }
    approved = [DataValue.Status.APPROVED] if approved_only else []
    sql = (cte + _SUB_PERIODS).format(
        **names,
        periods=", ".join(["%s"] * len(periods)),
        flows=", ".join(["%s"] * len(flows)) or "NULL",
    )
    params = [*tree_params, *periods, *indicator_ids, *roots, *approved, *flows]
    decimal = _from_millionths if connection.vendor in _EXACT_SUM else _as_decimal
    sums: Sums = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for group, indicator_id, value in cursor.fetchall():
            found = sums.setdefault(group, {})
            if indicator_id is not None and value is not None:
                found[indicator_id] = decimal(value)
    return sums


def _totals_sums(
    groups: tuple[str, Sequence[object]],
    indicator_ids: Sequence[int],
    period: str,
    approved_only: bool,
    roots: Sequence[int],
) -> Sums:
    """One period from the live totals: each group's total of what lies below it plus its
    own values, in whole millionths (exact), then as Decimals."""
    cte, group_params = groups
    marks = ", ".join(["%s"] * len(indicator_ids)) or "NULL"
    sql = (cte + _ONE_PERIOD_TOTALS).format(
        units=OrgUnit._meta.db_table,
        values=DataValue._meta.db_table,
        totals=UnitTotal._meta.db_table,
        indicators=marks,
        total="approved_total_millionths" if approved_only else "total_millionths",
        count="approved_count" if approved_only else "count",
        own=totals.MILLIONTHS[connection.vendor].format(v="dv.value"),
        approved=" AND dv.status = %s" if approved_only else "",
        roots=", ".join(["%s"] * len(roots)),
    )
    approved = [DataValue.Status.APPROVED] if approved_only else []
    params = [
        *group_params,
        period,
        *indicator_ids,
        *roots,
        period,
        *indicator_ids,
        *roots,
        *approved,
    ]
    summed: dict[int, dict[int, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for group, indicator_id, amount, count in cursor.fetchall():
            found = summed.setdefault(group, {})
            if indicator_id is not None and count:
                found[indicator_id] = found.get(indicator_id, 0) + int(amount)
    return {
        group: {pk: _from_millionths(amount) for pk, amount in found.items()}
        for group, found in summed.items()
    }


def _from_millionths(value: int) -> Decimal:
    return Decimal(value).scaleb(-6)


def _as_decimal(value: Decimal | float) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))
