"""The data of the analysis pages (指标看板, 数据表): an indicator's baseline, targets, actuals
and forecast for an org unit, its children side by side, and the indicator × unit × year table.

Values are read live from DataValue, nothing is rebuilt. An org unit's value is its own when
it reported one, else the sum over its children, each child counting everything below it as
`rollup.by_children` does; a ratio is recomputed from its parts, each part found that way
(never an average of ratios). Indicators that do not add up (汇总方式「不汇总」, such as
校均在校生规模) take only a unit's own value. The database adds: one query reads the own values
of the unit and its children, one GROUP BY over the tree the sums under each child (exact, as
the roll-up's), of the indicators the page shows and their formulas' parts only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import Any, TypeAlias

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.utils.translation import gettext as _

from gaodi.accounts.gate import Action, restrict
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import roots_under
from gaodi.orgs.tree import descendant_ids
from gaodi.plans.models import Plan

from .attainment import Goal, Light, attainment, percent, traffic_light
from .choices import Aggregation
from .forecast import Forecast, linear_forecast
from .formula import codes
from .formula import evaluate as evaluate_formula
from .models import DataValue, Indicator, TargetValue
from .rollup import _EXACT_SUM, _TREE_BY_CHILD, _as_decimal, _from_millionths

User: TypeAlias = AbstractBaseUser | AnonymousUser


class Actuals:
    """Live values of a plan's indicators for an org unit and its children, over some years:
    of every indicator of the plan, or only of ``indicators`` (and the parts of their
    formulas) when given."""

    def __init__(
        self,
        plan: Plan,
        unit: OrgUnit,
        years: Iterable[int],
        indicators: Iterable[Indicator] | None = None,
    ) -> None:
        self.unit = unit
        self.indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
        self.children = list(OrgUnit.objects.filter(parent=unit).order_by("code"))
        self._child_ids = {child.pk for child in self.children}
        self._loaded = self._with_parts(indicators)
        base = [i for i in self._loaded.values() if not i.formula]
        periods = sorted({str(year) for year in years})
        self._own: dict[tuple[str, int, int], Decimal] = {}
        self._under: dict[tuple[str, int, int], Decimal] = {}
        if not base or not periods:
            return
        roots = roots_under(unit.pk)  # the provinces the subtree's rows are in
        rows = DataValue.objects.filter(
            indicator__in=base,
            org_unit_id__in=[unit.pk, *(child.pk for child in self.children)],
            period__in=periods,
            disaggregation="",
            root_id__in=roots,
        ).values_list("indicator__code", "org_unit_id", "period", "value")
        for code, unit_id, period, value in rows:
            if period.isdigit():
                self._own[(code, unit_id, int(period))] = value
        summed = [i for i in base if i.aggregation != Aggregation.NONE]
        if summed and self.children:
            self._under = subtree_sums(unit.pk, summed, periods, roots)

    def _with_parts(self, wanted: Iterable[Indicator] | None) -> dict[str, Indicator]:
        """The indicators asked for (all by default) and, through their formulas, their parts."""
        if wanted is None:
            return dict(self.indicators)
        found: dict[str, Indicator] = {}
        stack = [i.code for i in wanted]
        while stack:
            code = stack.pop()
            if code in found or code not in self.indicators:
                continue
            found[code] = indicator = self.indicators[code]
            if indicator.formula:
                stack.extend(codes(indicator.formula))
        return found

    def value(self, indicator: Indicator, unit_id: int, year: int) -> Decimal | None:
        """The unit's (or one of its children's) value for a year; None when nothing is known."""
        if indicator.code not in self._loaded:
            raise LookupError(f"{indicator.code} was not among the indicators read")
        if unit_id != self.unit.pk and unit_id not in self._child_ids:
            raise LookupError(f"org unit {unit_id} is not {self.unit.pk} nor one of its children")
        if indicator.formula:
            parts = {
                code: self.value(self.indicators[code], unit_id, year)
                for code in codes(indicator.formula)
                if code in self.indicators
            }
            return evaluate_formula(indicator.formula, parts)
        own = self._own.get((indicator.code, unit_id, year))
        if own is not None or indicator.aggregation == Aggregation.NONE:
            return own
        if unit_id != self.unit.pk:
            return self._under.get((indicator.code, unit_id, year))
        sums = [
            self._under[key]
            for key in ((indicator.code, child.pk, year) for child in self.children)
            if key in self._under
        ]
        return sum(sums, Decimal(0)) if sums else None


# Per child of a unit, per indicator and year: the exact sum of the values of the child and of
# every unit below it (as rollup.by_children), in one GROUP BY over the tree of the children.
# The values are read first, from the index that starts with period and indicator, and looked
# up in the tree walked once (see rollup._ONE_PERIOD: SQLite keeps that order because of the
# CROSS JOIN).
_SUBTREE_SUMS = """
SELECT tree.grp, dv.indicator_id, dv.period, {total}
FROM {values} dv CROSS JOIN tree
WHERE dv.period IN ({periods}) AND dv.indicator_id IN ({indicators}) AND dv.disaggregation = ''
    AND dv.org_unit_id = tree.id AND dv.root_id IN ({roots})
GROUP BY tree.grp, dv.indicator_id, dv.period"""


def subtree_sums(
    parent_id: int,
    indicators: Iterable[Indicator],
    periods: Iterable[str],
    roots: Sequence[int] | None = None,
) -> dict[tuple[str, int, int], Decimal]:
    """(indicator code, child id, year) -> the sum over the child and everything below it, for
    each child of ``parent_id`` with a value; exact (rollup's sum: millionths on SQLite).
    ``roots``: the roots of the subtree's rows (orgs.roots.roots_under), read when not given."""
    roots = list(roots) if roots is not None else roots_under(parent_id)
    code_of = {i.pk: i.code for i in indicators}
    years = [p for p in periods if p.isdigit()]
    if not code_of or not years:
        return {}
    names = {
        "units": OrgUnit._meta.db_table,
        "values": DataValue._meta.db_table,
        "periods": ", ".join(["%s"] * len(years)),
        "indicators": ", ".join(["%s"] * len(code_of)),
        "roots": ", ".join(["%s"] * len(roots)),
        "total": _EXACT_SUM.get(connection.vendor, "SUM({v})").format(v="dv.value"),
    }
    sql = (_TREE_BY_CHILD + _SUBTREE_SUMS).format(**names)
    decimal = _from_millionths if connection.vendor in _EXACT_SUM else _as_decimal
    found: dict[tuple[str, int, int], Decimal] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [parent_id, *years, *code_of, *roots])
        for child, indicator_id, period, total in cursor.fetchall():
            if total is not None:
                found[(code_of[indicator_id], child, int(period))] = decimal(total)
    return found


def unit_value(indicator: Indicator, unit: OrgUnit, year: int) -> Decimal | None:
    """An org unit's value: its own if reported, else the sum over its children (live)."""
    return Actuals(indicator.plan, unit, [year], [indicator]).value(indicator, unit.pk, year)


# ---- what the pages choose from -------------------------------------------------------------


def readable_units(plan: Plan, user: User) -> list[tuple[OrgUnit, int]]:
    """The plan's org unit and the units below it whose data the user may read, each with its
    depth below the plan's unit, in tree order (a school clerk reads his school only; a
    department's liaison reads none: values and roll-ups are Action.READ_VALUES, as in the API)."""
    below = OrgUnit.objects.filter(pk__in=descendant_ids(plan.org_unit))
    readable = restrict(below, user, Action.READ_VALUES, place="pk")
    allowed = set(readable.values_list("pk", flat=True))
    children: dict[int | None, list[OrgUnit]] = defaultdict(list)
    units: dict[int, OrgUnit] = {}
    for unit in below.order_by("code"):
        children[unit.parent_id].append(unit)
        units[unit.pk] = unit
    ordered: list[tuple[OrgUnit, int]] = []
    stack = [(plan.org_unit, 0)]
    while stack:
        unit, depth = stack.pop()
        if unit.pk in allowed:
            ordered.append((units[unit.pk], depth))
        stack.extend((child, depth + 1) for child in reversed(children[unit.pk]))
    return ordered


def indicator_groups(plan: Plan) -> list[tuple[str, list[Indicator]]]:
    """The plan's indicators by 附件2 table, in the table's order (for the pickers)."""
    indicators = Indicator.objects.filter(plan=plan).order_by("order")
    return [(category, list(rows)) for category, rows in groupby(indicators, lambda i: i.category)]


def default_indicator(plan: Plan) -> Indicator | None:
    """The first indicator that has a target, else the first indicator."""
    with_target = Indicator.objects.filter(plan=plan, targets__isnull=False).order_by("order")
    found: Indicator | None = with_target.first()
    return found or Indicator.objects.filter(plan=plan).order_by("order").first()


def plan_years(plan: Plan, as_of_year: int) -> list[int]:
    """From the baseline year to the last target year, and on to this year if later."""
    years = set(TargetValue.objects.filter(indicator__plan=plan).values_list("year", flat=True))
    if not years:
        return [as_of_year]
    return list(range(min(years), max(max(years), as_of_year) + 1))


# ---- goals ----------------------------------------------------------------------------------


@dataclass
class Targets:
    """The targets of one indicator for one org unit: the baseline and the yearly goals."""

    baseline: TargetValue | None = None
    by_year: dict[int, TargetValue] = field(default_factory=dict)

    def goal(self, year: int) -> Goal | None:
        """The goal of a target year (not the baseline's own year), from the baseline."""
        target = self.by_year.get(year)
        if target is None or target.baseline:
            return None
        base = self.baseline
        return Goal(
            target=target.value,
            target_year=year,
            baseline=base.value if base else None,
            baseline_year=base.year if base else None,
        )

    def goal_for(self, actual_year: int) -> Goal | None:
        """The goal an actual is judged against: its own year's, else the next, else the last."""
        years = sorted(year for year, t in self.by_year.items() if not t.baseline)
        later = [year for year in years if year >= actual_year]
        if later:
            return self.goal(later[0])
        return self.goal(years[-1]) if years else None

    def final(self) -> Goal | None:
        years = [year for year, t in self.by_year.items() if not t.baseline]
        return self.goal(max(years)) if years else None


def targets_of(indicators: Iterable[Indicator], units: Iterable[int]) -> dict[Any, Targets]:
    """(indicator id, unit id) -> Targets, in one query."""
    found: dict[Any, Targets] = defaultdict(Targets)
    rows = TargetValue.objects.filter(indicator__in=list(indicators), org_unit_id__in=list(units))
    for target in rows.order_by("year"):
        entry = found[(target.indicator_id, target.org_unit_id)]
        entry.by_year[target.year] = target
        if target.baseline and entry.baseline is None:
            entry.baseline = target
    return found


# ---- the dashboard --------------------------------------------------------------------------


@dataclass
class TrendRow:
    year: int
    target: TargetValue | None
    actual: Decimal | None
    progress: Decimal | None
    forecast: tuple[Decimal, Decimal, Decimal] | None = None

    @property
    def progress_percent(self) -> str:
        return "" if self.progress is None else percent(self.progress)


@dataclass
class Trend:
    """Everything the dashboard shows for one indicator and org unit, as of a day."""

    indicator: Indicator
    unit: OrgUnit
    rows: list[TrendRow]
    forecast: Forecast
    baseline_in_forecast: bool
    light: Light
    comparison_year: int
    children: list[tuple[OrgUnit, Decimal | None]]


def trend(
    plan: Plan, indicator: Indicator, unit: OrgUnit, as_of: dt.date, year: int | None
) -> Trend:
    """The indicator's baseline, targets, actuals, forecast and light for a unit, and its
    children's values for one year (`year`, else the latest year with a value)."""
    years = plan_years(plan, as_of.year)
    actuals = Actuals(plan, unit, [y for y in years if y <= as_of.year], [indicator])
    targets = targets_of([indicator], [unit.pk]).get((indicator.pk, unit.pk)) or Targets()
    values = {y: actuals.value(indicator, unit.pk, y) for y in years if y <= as_of.year}
    reported = [(y, v) for y, v in values.items() if v is not None]
    points, baseline_used = _forecast_points(reported, targets)
    final = targets.final()
    forecast = linear_forecast(points, final.target_year if final else years[-1])
    last_year = reported[-1][0] if reported else None
    light = traffic_light(
        reported[-1][1] if reported else None,
        last_year,
        targets.goal_for(last_year) if last_year is not None else targets.final(),
        as_of,
        unit=indicator.unit,
        forecast=forecast,
        final_goal=final,
    )
    rows = [_trend_row(y, targets, values.get(y), forecast, last_year) for y in years]
    shown = year or last_year or min(as_of.year, years[-1])
    children = [(child, actuals.value(indicator, child.pk, shown)) for child in actuals.children]
    if year is not None and year > as_of.year:
        children = [(child, None) for child, _value in children]
    return Trend(indicator, unit, rows, forecast, baseline_used, light, shown, children)


def _forecast_points(
    reported: list[tuple[int, Decimal]], targets: Targets
) -> tuple[list[tuple[int, Decimal]], bool]:
    """The yearly actuals, with the baseline (现有基础, itself an observed value) standing in for
    its year when nothing was reported for it."""
    base = targets.baseline
    if base is None or any(year == base.year for year, _value in reported):
        return reported, False
    return sorted([*reported, (base.year, base.value)]), True


def _trend_row(
    year: int,
    targets: Targets,
    actual: Decimal | None,
    forecast: Forecast,
    last_year: int | None,
) -> TrendRow:
    goal = targets.goal(year)
    progress = attainment(actual, goal) if goal else None
    band = None
    fit = forecast.fit
    if fit is not None and last_year is not None and last_year <= year <= forecast.target_year:
        band = fit.predict(year)
    return TrendRow(year, targets.by_year.get(year), actual, progress, band)


def trend_chart(trend: Trend) -> dict[str, Any]:
    """The trend chart's data for charts.js (floats: for drawing only)."""
    return {
        "unit": trend.indicator.unit,
        "categories": [str(row.year) for row in trend.rows],
        "series": [
            {
                "name": _("基础与目标值"),
                "type": "line",
                "data": [_float(row.target.value if row.target else None) for row in trend.rows],
            },
            {
                "name": _("实际值"),
                "type": "bar",
                "data": [_float(row.actual) for row in trend.rows],
            },
            *_forecast_series(trend),
        ],
    }


def _forecast_series(trend: Trend) -> list[dict[str, Any]]:
    if trend.forecast.insufficient:
        return []
    names = (_("趋势预测"), _("80% 预测区间下限"), _("80% 预测区间上限"))
    return [
        {
            "name": name,
            "type": "line",
            "dashed": True,
            "data": [_float(row.forecast[k] if row.forecast else None) for row in trend.rows],
        }
        for k, name in enumerate(names)
    ]


def children_chart(trend: Trend) -> dict[str, Any]:
    return {
        "unit": trend.indicator.unit,
        "categories": [child.name for child, _value in trend.children],
        "series": [
            {
                "name": _("{year}年实际值").format(year=trend.comparison_year),
                "type": "bar",
                "data": [_float(value) for _child, value in trend.children],
            }
        ],
    }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# ---- the table ------------------------------------------------------------------------------


@dataclass
class Cell:
    year: int
    target: TargetValue | None
    actual: Decimal | None
    progress: Decimal | None

    @property
    def progress_percent(self) -> str:
        return "" if self.progress is None else percent(self.progress)


@dataclass
class TableRow:
    indicator: Indicator
    unit: OrgUnit
    cells: list[Cell]
    span: int = 0  # on an indicator's first row: how many rows it spans


def table(
    plan: Plan, indicators: list[Indicator], unit: OrgUnit, years: list[int]
) -> list[TableRow]:
    """Indicator × (the unit and its children) × year: target, actual, progress."""
    actuals = Actuals(plan, unit, years, indicators)
    units = [unit, *actuals.children]
    targets = targets_of(indicators, [u.pk for u in units])
    rows = []
    for indicator in indicators:
        for position, row_unit in enumerate(units):
            entry = targets.get((indicator.pk, row_unit.pk)) or Targets()
            cells = []
            for year in years:
                actual = actuals.value(indicator, row_unit.pk, year)
                goal = entry.goal(year)
                progress = attainment(actual, goal) if goal else None
                cells.append(Cell(year, entry.by_year.get(year), actual, progress))
            rows.append(TableRow(indicator, row_unit, cells, 0 if position else len(units)))
    return rows


# In DataValue.source of every generated value (gaodi demo, gaodi synth).
SYNTHETIC_MARK = "合成数据"


def synthetic_periods(plan: Plan, unit: OrgUnit) -> list[str]:
    """The periods whose values under this unit include generated ones: pages say so.

    One query, without reading every value under the unit: the periods that have values are
    found by seeking the next one in the index that starts with period (a handful of seeks),
    and each is kept as soon as one generated value of the plan under the unit is found in it
    (the first row tried, for a generated province; a LIKE over all values took ~70 ms a
    page at province scale). A scalar subquery with LIMIT 1, not EXISTS: PostgreSQL turns an
    EXISTS into a join over every value (73 ms at province scale)."""
    sql = _SYNTHETIC_PERIODS.format(
        units=OrgUnit._meta.db_table,
        values=DataValue._meta.db_table,
        indicators=Indicator._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit.pk, plan.pk, f"%{SYNTHETIC_MARK}%"])
        return [period for (period,) in cursor.fetchall()]


_SYNTHETIC_PERIODS = """
WITH RECURSIVE tree(id) AS (
    SELECT id FROM {units} WHERE id = %s
    UNION ALL
    SELECT o.id FROM {units} o JOIN tree ON o.parent_id = tree.id
), periods(period) AS (
    SELECT MIN(period) FROM {values}
    UNION ALL
    SELECT (SELECT MIN(v.period) FROM {values} v WHERE v.period > periods.period)
    FROM periods WHERE periods.period IS NOT NULL
)
SELECT periods.period FROM periods
WHERE periods.period IS NOT NULL AND (
    SELECT 1 FROM {values} dv
    WHERE dv.period = periods.period
        AND dv.indicator_id IN (SELECT id FROM {indicators} WHERE plan_id = %s)
        AND dv.org_unit_id IN (SELECT id FROM tree)
        AND dv.source LIKE %s
    LIMIT 1
) IS NOT NULL
ORDER BY periods.period"""
