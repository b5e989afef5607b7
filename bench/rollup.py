"""Benchmark ``rollup``: one whole data set rolled up by the children of an org unit.

Work: every indicator of 师资队伍 (the data set with the ratios: 12 base counts summed, 生师比
and “双师型”教师比例 of 中职 and 高职 recomputed from the summed parts) for the last year:

- ``--scale district``: a county by its schools (``rollup.data_set_by_children``; ``gaodi
  synth --scale district``: 1 county, 5 schools);
- ``--scale province``: the synthetic province by its 136 COUNTIES (``data_set_by_kind(...,
  "county")``; ``gaodi synth --scale province``: 16 cities, 136 counties, 450 schools);
- ``--scale nation``: the synthetic nation by its 31 provinces (``data_set_by_children``;
  ``gaodi synth --scale nation``: 333 cities, 2,850 counties, 11,400 schools, ~2.9 million
  values written in bulk by ``synth_nation``).

Ours reads the live pre-aggregation (``totals.py``): for each group, the ``UnitTotal`` rows of
what lies below it plus its own values, kept up to date in the transaction of every write
(``store_values``, approval steps; ``synth_nation`` rebuilds them once after its bulk COPY).
The baseline below still walks every value, so ``ratio`` shows what the pre-aggregation
bought; before anything is timed, ``totals.check()`` proves the totals equal a recomputation
from DataValue (district and province; at nation scale the comparison with the baseline,
over every group and indicator, is the proof — the recomputation would take a minute).

The data are generated once per run into a throw-away database (``bench/_django.py``: SQLite,
or PostgreSQL with ``GAODI_BENCH_DATABASE_URL``). On PostgreSQL the generators end with
ANALYZE, as autovacuum would soon after a bulk load: timed before it, both queries run ten
times slower (nested loops over a table the planner still believes empty).

Baseline: ONE hand-written SQL statement over the same rows: the same recursive walk of the
tree, the same values-first join (the period's values from the data_value_rollup index, then
their unit looked up in the tree), one conditional SUM per base indicator per group, the
ratios divided in SQL. Its
numbers are checked against ours before anything is timed (sums exactly, ratios to 12
significant digits: SQL divides in floating point on SQLite); a mismatch fails the benchmark.

At nation scale it also times, for comparison with issue 10's ~570 ms, the naive statement
``SELECT indicator_id, SUM(value) ... WHERE period = <year> AND indicator_id IN (<20 base
indicators>) GROUP BY indicator_id`` over all 11,400 schools (``naive_group_by_20_ms``).

On SQLite two other ways of summing are timed as well, for docs/performance.md: fetching
each value as TEXT and adding Decimals in Python (exact), and SQLite's own SUM (floats: not
exact once a value has a fraction).
"""

from __future__ import annotations

import time
from collections import defaultdict
from decimal import Decimal
from typing import Any

from _django import throwaway_database
from timing import median, percentile, rounded, time_calls

REPETITIONS = 50
WARMUP = 5
TARGET_P95_MS = 100.0
TARGET_RATIO = 2.0
DATA_SET = "师资队伍"
BASELINE = "one hand-written SQL aggregate over the same rows (tree walk + conditional SUMs)"

# The hand-written statement: base indicators summed per county, ratios divided in SQL.
BASE = ["i034", "i035", "i036", "i037n", "i037d", "i038n", "i038d", "i039n", "i039d"]
BASE += ["i040n", "i040d", "i041"]
RATIOS = {"i037": ("i037n", "i037d", 1), "i038": ("i038n", "i038d", 1)}
RATIOS |= {"i039": ("i039n", "i039d", 100), "i040": ("i040n", "i040d", 1)}
EXACT_SUM = {
    "sqlite": "SUM(CASE WHEN dv.indicator_id = %s THEN (CASE WHEN typeof(dv.value) = 'integer' "
    "THEN dv.value * 1000000 ELSE CAST(ROUND(dv.value * 1000000) AS INTEGER) END) END)",
    "postgresql": "SUM(CASE WHEN dv.indicator_id = %s THEN dv.value END)",
}
DIVIDE = {
    "sqlite": "CAST({n} AS REAL) * {k} / NULLIF({d}, 0)",
    "postgresql": "{n} * {k} / NULLIF({d}, 0)",
}
# The tree walk: every unit below -> its group (the county it lies in, or the child of the
# parent it lies under).
BY_COUNTY = """
WITH RECURSIVE tree(id, county) AS (
    SELECT id, CASE WHEN kind = 'county' THEN id END FROM orgs_orgunit WHERE id = %s
    UNION ALL
    SELECT o.id, COALESCE(tree.county, CASE WHEN o.kind = 'county' THEN o.id END)
    FROM orgs_orgunit o JOIN tree ON o.parent_id = tree.id
)"""
BY_CHILD = """
WITH RECURSIVE tree(id, county) AS (
    SELECT id, id FROM orgs_orgunit WHERE parent_id = %s
    UNION ALL
    SELECT o.id, tree.county FROM orgs_orgunit o JOIN tree ON o.parent_id = tree.id
)"""
HAND_WRITTEN = """{tree}, sums AS (
    SELECT tree.county, {sums}
    FROM indicators_datavalue dv CROSS JOIN tree
    WHERE dv.period = %s AND dv.indicator_id IN ({ids}) AND dv.disaggregation = ''
        AND dv.org_unit_id = tree.id AND tree.county IS NOT NULL
    GROUP BY tree.county
)
SELECT county, {columns}, {ratios} FROM sums ORDER BY county
"""


def hand_written(vendor: str, tree: str = BY_COUNTY) -> str:
    sums = ", ".join(f"{EXACT_SUM[vendor]} AS {code}" for code in BASE)
    ratios = ", ".join(
        DIVIDE[vendor].format(n=n, d=d, k=k) + f" AS {code}" for code, (n, d, k) in RATIOS.items()
    )
    ids = ", ".join(["%s"] * len(BASE))
    return HAND_WRITTEN.format(
        tree=tree, sums=sums, columns=", ".join(BASE), ratios=ratios, ids=ids
    )


DEFAULT_SCALE = "nation"  # without --scale: the scale of the target (bench/run.py)


def run(scale: str) -> dict[str, Any]:
    """Generate the synthetic data set, check ours against the baseline, time both."""
    with throwaway_database("rollup") as vendor:
        return _run(scale, vendor)


def _run(scale: str, vendor: str) -> dict[str, Any]:
    from django.db import connection

    from gaodi.indicators import totals
    from gaodi.indicators.models import DataSet, DataValue, UnitTotal
    from gaodi.indicators.rollup import data_set_by_children, data_set_by_kind

    years = [2019, 2020, 2021, 2022]
    started = time.perf_counter()
    made = _generate(scale, years)
    synth_seconds = time.perf_counter() - started
    data_set = DataSet.objects.get(plan=made.plan, name=DATA_SET)
    year = str(years[-1])
    ids = dict(data_set.indicators.values_list("code", "pk"))
    base_ids = [ids[c] for c in BASE]
    if scale == "province":
        top, grouping = made.province.pk, "the province's 136 counties (data_set_by_kind)"
        sql = hand_written(vendor, BY_COUNTY)

        def ours() -> dict[int, dict[str, Decimal | None]]:
            return data_set_by_kind(data_set, top, "county", year)

    else:
        if scale == "nation":
            top, grouping = made.root.pk, "the nation's 31 provinces (data_set_by_children)"
        else:
            county = made.province.children.get().children.get()
            top, grouping = county.pk, "the county's 5 schools (data_set_by_children)"
        sql = hand_written(vendor, BY_CHILD)

        def ours() -> dict[int, dict[str, Decimal | None]]:
            return data_set_by_children(data_set, top, year)

    params = [top, *base_ids, str(year), *base_ids]

    def baseline() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    mismatches = compare(ours(), baseline(), vendor)
    if mismatches:
        raise AssertionError(f"ours and the baseline differ: {mismatches[:5]}")
    if scale != "nation" and (wrong := totals.check()):
        raise AssertionError(f"the live totals differ from DataValue: {wrong[:5]}")
    ours_ms = time_calls(ours, repetitions=REPETITIONS, warmup=WARMUP)
    floor_ms = time_calls(baseline, repetitions=REPETITIONS, warmup=WARMUP)
    p95, ratio = percentile(ours_ms, 0.95), median(ours_ms) / median(floor_ms)
    figures = {
        "name": "rollup",
        "scale": scale,
        "database": vendor,
        "grouped_by": grouping,
        "rows": DataValue.objects.count(),
        "rows_rolled_up": DataValue.objects.filter(
            indicator__data_sets=data_set, period=year
        ).count(),
        "groups": len(ours()),
        "indicators": len(ids),
        "repetitions": REPETITIONS,
        "warmup": WARMUP,
        "p95_ms": rounded(p95),
        "median_ms": rounded(median(ours_ms)),
        "baseline": BASELINE,
        "baseline_ms": rounded(median(floor_ms)),
        "baseline_p95_ms": rounded(percentile(floor_ms, 0.95)),
        "ratio": round(ratio, 2) if ratio >= 0.1 else round(ratio, 4),
        "target": f"p95 <= {TARGET_P95_MS:g} ms and ratio <= {TARGET_RATIO:g}",
        "target_met": p95 <= TARGET_P95_MS and ratio <= TARGET_RATIO,
        "method": "live pre-aggregation: UnitTotal rows of each group + its own values",
        "unit_totals": UnitTotal.objects.count(),
        "synth_values": made.values,
        "synth_s": round(synth_seconds, 1),
        "synth_values_per_s": round(made.values / synth_seconds),
    }
    if scale == "nation":
        figures["totals_rebuild_s"] = round(made.totals_seconds, 1)
        figures |= naive_group_by(ids, made, year)
    if vendor == "sqlite":
        figures |= sqlite_alternatives(sql, params)
    return figures


def _generate(scale: str, years: list[int]) -> Any:
    if scale == "nation":
        from gaodi.indicators.synth_nation import NATION, synthesize_nation

        return synthesize_nation(NATION, seed=1, years=years, extras=False)
    from gaodi.indicators.synth import SCALES, synthesize

    return synthesize(SCALES[scale], seed=1, years=years)


NAIVE = """
SELECT indicator_id, SUM(value) FROM indicators_datavalue
WHERE period = %s AND indicator_id IN ({ids})
GROUP BY indicator_id"""


def naive_group_by(ids: dict[str, int], made: Any, year: str) -> dict[str, Any]:
    """Issue 10's point of comparison: a plain GROUP BY of 20 base indicators for one year
    over every school of the nation (SQLite/PostgreSQL's own SUM, no tree walk)."""
    from django.db import connection

    from gaodi.indicators.models import Indicator

    twenty = list(
        Indicator.objects.filter(plan=made.plan, formula="")
        .order_by("order")
        .values_list("pk", flat=True)[:20]
    )
    sql = NAIVE.format(ids=", ".join(["%s"] * len(twenty)))

    def naive() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [year, *twenty])
            return cursor.fetchall()

    rows = naive()
    timed = time_calls(naive, repetitions=REPETITIONS, warmup=WARMUP)
    return {
        "naive_group_by_20_ms": rounded(median(timed)),
        "naive_group_by_20_p95_ms": rounded(percentile(timed, 0.95)),
        "naive_group_by_20_indicators": len(rows),
        "naive_group_by_20_schools": made.shape.schools,
    }


def compare(
    ours: dict[int, dict[str, Decimal | None]], rows: list[tuple[Any, ...]], vendor: str
) -> list[str]:
    """Where the two disagree (county, code, ours, baseline); empty when they agree."""
    found = []
    if sorted(ours) != [row[0] for row in rows]:
        return [f"counties differ: {len(ours)} vs {len(rows)}"]
    for county, *values in rows:
        for code, value in zip([*BASE, *RATIOS], values, strict=True):
            mine = ours[county][code]
            if code in RATIOS:
                same = (mine is None and value is None) or (
                    mine is not None and value is not None and _close(mine, Decimal(str(value)))
                )
            else:
                theirs = None if value is None else _exact(value, vendor)
                same = mine == theirs
            if not same:
                found.append(f"{county} {code}: {mine} != {value}")
    return found


def _exact(value: Any, vendor: str) -> Decimal:
    return Decimal(int(value)).scaleb(-6) if vendor == "sqlite" else Decimal(value)


def _close(a: Decimal, b: Decimal) -> bool:
    return abs(a - b) <= abs(a) * Decimal("1e-12")


def sqlite_alternatives(sql: str, params: list[Any]) -> dict[str, Any]:
    """Other ways of summing on SQLite, timed on the same work: each value fetched as TEXT
    and added as Decimal in Python (exact), and SQLite's own SUM (floats: not exact once a
    value has a fraction, see test_rollup.py)."""
    from django.db import connection

    text_sql = sql.split("), sums AS")[0] + (
        ") SELECT tree.county, dv.indicator_id, CAST(dv.value AS TEXT) FROM tree"
        " JOIN indicators_datavalue dv ON dv.org_unit_id = tree.id AND dv.period = %s"
        " AND dv.disaggregation = '' AND dv.indicator_id IN ("
        + ", ".join(["%s"] * len(BASE))
        + ") WHERE tree.county IS NOT NULL"
    )
    text_params = [params[0], *params[len(BASE) + 1 :]]
    float_sql = sql.replace(
        "(CASE WHEN typeof(dv.value) = 'integer' THEN dv.value * 1000000 "
        "ELSE CAST(ROUND(dv.value * 1000000) AS INTEGER) END)",
        "dv.value",
    )

    def text_sum() -> dict[tuple[int, int], Decimal]:
        totals: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        with connection.cursor() as cursor:
            cursor.execute(text_sql, text_params)
            for county, indicator, value in cursor.fetchall():
                totals[(county, indicator)] += Decimal(value)
        return totals

    def float_sum() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(float_sql, params)
            return cursor.fetchall()

    text_ms = time_calls(text_sum, repetitions=REPETITIONS, warmup=WARMUP)
    float_ms = time_calls(float_sum, repetitions=REPETITIONS, warmup=WARMUP)
    return {
        "sqlite_text_python_sum_ms": rounded(median(text_ms)),
        "sqlite_float_sum_ms": rounded(median(float_ms)),
    }
