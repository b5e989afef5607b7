"""Benchmark ``import``: one workbook of 1,000 schools × 60 indicators for one year.

Work: ``gaodi.indicators.excel.import_workbook`` on ONE .xlsx held in memory (one row a school,
one column an indicator, 60,000 values): the file defences (zip checks, every member inflated
once), the read with python-calamine, every cell checked (numbers only, no formulas), the
schools looked up, then ONE ``store_values`` call — value rules, 10 blocking “其中 ≤ 总数”
rules per school, one upsert of every value and one change record per school — in one
transaction. Before each repetition the values and submissions of the previous one are
deleted (not timed), so that every repetition really writes 60,000 rows.

The data are synthetic (合成): a data set ``bench`` of 60 base counts added to the reference
plan, 1,000 schools under 茌平区, values from a fixed random seed that satisfy the rules.
Database: a throw-away SQLite (``bench/_django.py``), or PostgreSQL with
``GAODI_BENCH_DATABASE_URL``.

Baseline: python-calamine's bare read of the same bytes (open + ``to_python()`` of the sheet),
the least any import must do. ``ratio`` is the whole import over that read; ``read_ratio`` is
our file checks and cell reading over it (the part of the import that is reading). Also
printed: ``insert_floor_ms``, one raw executemany INSERT of the same rows into the values table
(rolled back), what the database alone needs to take them: no import can be faster.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from typing import Any

from _django import throwaway_database
from timing import median, rounded

REPETITIONS = 5
WARMUP = 1
INDICATORS = 60
RULES = 10  # s02 <= s01, s04 <= s03, ...: 其中 ≤ 总数
SCHOOLS = {"district": 1_000, "province": 5_000, "nation": 20_000}
PERIOD = "2021"
TARGET_VALUES_PER_S = 100_000
TARGET_RATIO = 5.0
BASELINE = "python-calamine: open the same in-memory .xlsx and to_python() its sheet"
INSERT_FLOOR = "one raw executemany INSERT of the same 60,000 rows, no checks (rolled back)"
INSERT = (
    "INSERT INTO indicators_datavalue (indicator_id, org_unit_id, period, disaggregation, value,"
    " status, entered_by_id, entered_at, source, root_id) VALUES (%s, %s, %s, '', %s, 'draft',"
    " NULL, %s, %s, %s)"
)


def run(scale: str) -> dict[str, Any]:
    with throwaway_database("import") as vendor:
        return _measure(scale, vendor)


def _measure(scale: str, vendor: str) -> dict[str, Any]:
    from python_calamine import CalamineWorkbook

    from gaodi.indicators import excel, uploads

    data_set, county = _synthetic_data_set()
    schools = _schools(county, SCHOOLS[scale])
    codes = [i.code for i in data_set.indicators.order_by("order")]
    content = excel.write_units_workbook(codes, schools, _values(len(schools)))
    values = len(schools) * INDICATORS

    def bare_read() -> int:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        return len(workbook.get_sheet_by_index(0).to_python())

    def ours() -> int:
        units = dict(county.children.values_list("code", "pk"))
        stored = excel.import_workbook(
            data_set, PERIOD, content, units=units, actor=None, source="基准测试"
        )
        return stored.values

    assert ours() == values  # warm-up, and proof that every value is stored
    ours_ms = _timed(ours, before=lambda: _forget(data_set))
    baseline_ms = _timed(bare_read)
    check_ms = _timed(lambda: uploads.check_xlsx(content))
    read_ms = _timed(lambda: excel.read_units_workbook(content, codes))
    rows = _rows(data_set, excel.read_units_workbook(content, codes).values)
    floor_ms = _timed(lambda: _insert_only(rows), before=lambda: _forget(data_set))
    ours_median, baseline_median = median(ours_ms), median(baseline_ms)
    reading = median(check_ms) + median(read_ms)
    per_s = values / (ours_median / 1000)
    ratio = ours_median / baseline_median
    return {
        "name": "import",
        "scale": scale,
        "database": vendor,
        "schools": len(schools),
        "indicators": INDICATORS,
        "values": values,
        "file_bytes": len(content),
        "repetitions": REPETITIONS,
        "warmup": WARMUP,
        "median_ms": rounded(ours_median),
        "max_ms": rounded(max(ours_ms)),
        "values_per_s": round(per_s),
        "check_file_ms": rounded(median(check_ms)),
        "read_and_validate_cells_ms": rounded(median(read_ms)),
        "read_ratio": round(reading / baseline_median, 2),
        "insert_floor_ms": rounded(median(floor_ms)),
        "insert_floor": INSERT_FLOOR,
        "baseline": BASELINE,
        "baseline_ms": rounded(baseline_median),
        "ratio": round(ratio, 2),
        "target": f"values_per_s >= {TARGET_VALUES_PER_S:,} and ratio <= {TARGET_RATIO:g}",
        "target_met": per_s >= TARGET_VALUES_PER_S and ratio <= TARGET_RATIO,
    }


def _timed(work: Any, before: Any = None) -> list[float]:
    """Milliseconds of each repetition after a warm-up; `before` runs untimed each time."""
    timings = []
    for repetition in range(WARMUP + REPETITIONS):
        if before is not None:
            before()
        started = time.perf_counter()
        work()
        if repetition >= WARMUP:
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _rows(data_set: Any, by_code: dict[str, dict[str, Any]]) -> list[tuple[Any, ...]]:
    """The values as rows for the floor: (indicator, unit, period, value, time, source)."""
    from django.db import connection
    from django.utils import timezone

    from gaodi.orgs.models import OrgUnit
    from gaodi.orgs.roots import root_ids_of

    ids = dict(data_set.indicators.values_list("code", "pk"))
    units = dict(OrgUnit.objects.filter(code__in=by_code).values_list("code", "pk"))
    at = connection.ops.adapt_datetimefield_value(timezone.now())
    roots = root_ids_of(units.values())
    return [
        (ids[code], units[unit], PERIOD, value, at, "基准测试", roots[units[unit]])
        for unit, values in by_code.items()
        for code, value in values.items()
    ]


def _insert_only(rows: list[tuple[Any, ...]]) -> None:
    """What the database alone needs to take the rows (the floor of any import)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(INSERT, rows)
        transaction.set_rollback(True)


def _synthetic_data_set() -> tuple[Any, Any]:
    """合成 data set: 60 base counts on the reference plan, 10 blocking 其中 rules, open 2021."""
    from gaodi.indicators.models import DataSet, Indicator, ReportingWindow, ValidationRule
    from gaodi.orgs.services import ensure_reference_tree
    from gaodi.plans.parsing import example_plan_path, parse_path
    from gaodi.plans.services import import_plan

    county = ensure_reference_tree(actor=None)
    plan = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    indicators = Indicator.objects.bulk_create(
        Indicator(
            plan=plan,
            org_unit=county,
            code=f"s{n:02d}",
            name=f"合成指标{n:02d}（基准测试）",
            unit="人",
            category="合成（基准测试）",
            order=10_000 + n,
        )
        for n in range(1, INDICATORS + 1)
    )
    data_set = DataSet.objects.create(plan=plan, code="bench", name="合成填报表（基准测试）")
    data_set.indicators.set(indicators)
    ValidationRule.objects.bulk_create(
        ValidationRule(
            data_set=data_set,
            name=f"合成：s{2 * k:02d} 不超过 s{2 * k - 1:02d}",
            left=f"s{2 * k:02d}",
            operator="<=",
            right=f"s{2 * k - 1:02d}",
        )
        for k in range(1, RULES + 1)
    )
    always = {"opens_on": dt.date(2000, 1, 1), "closes_on": dt.date(2999, 12, 31)}
    ReportingWindow.objects.create(data_set=data_set, period=PERIOD, **always)
    return data_set, county


def _schools(county: Any, count: int) -> list[tuple[str, str]]:
    from gaodi.orgs.choices import OrgKind
    from gaodi.orgs.models import OrgUnit

    made = OrgUnit.objects.bulk_create(
        OrgUnit(code=f"B{n:05d}", name=f"合成学校{n:05d}", kind=OrgKind.SCHOOL, parent=county)
        for n in range(1, count + 1)
    )
    return [(unit.code, unit.name) for unit in made]


def _values(count: int) -> list[list[int | float]]:
    """Counts that satisfy the rules (each part at most its whole); one in ten has a fraction."""
    chance = random.Random(20210630)
    rows = []
    for _school in range(count):
        row: list[int | float] = []
        for n in range(1, INDICATORS + 1):
            if n % 2 == 0 and n <= 2 * RULES:
                row.append(chance.randint(0, int(row[-1])))
            else:
                row.append(chance.randint(0, 5000) + (0.5 if n % 10 == 0 else 0))
        rows.append(row)
    return rows


def _forget(data_set: Any) -> None:
    """Delete what the previous repetition stored, so that the next one writes afresh (its
    change records stay: the trail cannot be deleted through the app)."""
    from gaodi.indicators.models import DataValue, Submission

    DataValue.objects.filter(indicator__data_sets=data_set).delete()
    Submission.objects.filter(data_set=data_set).delete()
