"""合成数据: a province of the right size, plainly marked synthetic, the same for the same seed,
realistic, and passing every blocking validation rule of the plan."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from gaodi.audit.models import ChangeRecord
from gaodi.indicators.collection import rules_of
from gaodi.indicators.models import DataSet, DataValue
from gaodi.indicators.synth import (
    SCALES,
    SOURCE,
    Shape,
    parse_years,
    places,
    school_values,
    synthesize,
)
from gaodi.indicators.validation import check
from gaodi.plans.models import Plan

SMALL = Shape(cities=2, counties=3, schools=7)
YEARS = [2019, 2020, 2021, 2022]


def test_the_province_scale_has_16_cities_136_counties_and_450_schools_all_marked() -> None:
    tree = places(SCALES["province"])
    assert Counter(p.kind for p in tree) == {
        "province": 1,
        "city": 16,
        "county": 136,
        "school": 450,
    }
    assert sum(p.higher for p in tree) == 45  # every 10th school is a 高职院校
    assert len({p.code for p in tree}) == len(tree)
    assert all(p.code.startswith("99") and p.name.startswith("示例") for p in tree)
    assert tree[0].name == "示例省（合成数据）"
    district = places(SCALES["district"])
    assert Counter(p.kind for p in district)["school"] == 5


def test_the_same_seed_gives_the_same_values_and_another_seed_other_values() -> None:
    first = school_values("990101001", higher=False, seed=7, years=YEARS)
    assert first == school_values("990101001", higher=False, seed=7, years=YEARS)
    assert first != school_values("990101001", higher=False, seed=8, years=YEARS)
    assert first != school_values("990101002", higher=False, seed=7, years=YEARS)


@pytest.mark.parametrize("higher", [False, True])
def test_a_school_looks_like_a_real_one(higher: bool) -> None:
    level = "i038" if higher else "i037"
    dual = "i040" if higher else "i039"
    for n in range(1, 60):
        values = school_values(f"990101{n:03d}", higher=higher, seed=n, years=YEARS)
        for year, v in values.items():
            students, teachers = v[f"{level}n"], v[f"{level}d"]
            assert (5000 if higher else 1200) <= students <= (15000 if higher else 5000) * 2
            # teachers about students / 18: 15–19 at first, a little more as rounding lags
            assert 15 <= students / teachers <= 23
            assert v[f"{dual}n"] <= v[f"{dual}d"] <= teachers  # 双师型 ≤ 专业课 ≤ 专任
            assert v["i035"] <= v["i034"] and v["i036"] <= v["i034"]
            if year > YEARS[0]:
                before = values[year - 1][f"{level}n"]
                assert before <= students <= before * Decimal("1.10")  # modest growth


def test_years_are_read_from_a_range() -> None:
    assert parse_years("2019-2022") == YEARS
    assert parse_years("2021") == [2021]
    with pytest.raises(ValueError, match="先后颠倒"):
        parse_years("2022-2019")


@pytest.fixture
def small(db):  # type: ignore[no-untyped-def]
    return synthesize(SMALL, seed=3, years=YEARS)


def test_every_school_reports_every_base_indicator_of_every_data_set_every_year(small) -> None:  # type: ignore[no-untyped-def]
    bases = [i for ds in DataSet.objects.filter(plan=small.plan) for i in ds.indicators.all()]
    base_count = len({i.pk for i in bases if not i.formula})
    assert base_count == small.base_indicators == 63  # 校均在校生规模 is computed
    assert small.values == DataValue.objects.count() == SMALL.schools * len(YEARS) * base_count
    assert set(DataValue.objects.values_list("source", flat=True)) == {SOURCE}
    assert small.plan.title.startswith("（合成数据）")
    assert small.plan.org_unit == small.province


def test_the_values_pass_every_blocking_rule_and_raise_no_outlier_warning(small) -> None:  # type: ignore[no-untyped-def]
    stored: dict[tuple[int, str, str], Decimal] = {
        (unit, period, code): value
        for unit, period, code, value in DataValue.objects.values_list(
            "org_unit_id", "period", "indicator__code", "value"
        )
    }
    units = {unit for unit, _p, _c in stored}
    checked = 0
    for data_set in DataSet.objects.filter(plan=small.plan):
        rules = rules_of(data_set)
        codes = [i.code for i in data_set.indicators.all() if not i.formula]
        for unit in units:
            for year in YEARS:
                values = {c: stored[(unit, str(year), c)] for c in codes}
                history = {
                    c: [stored[(unit, str(y), c)] for y in YEARS if year - 5 <= y < year]
                    for c in codes
                }
                assert check(rules, values, history) == []
                checked += len(rules)
    assert checked > 1000  # the rules really ran: 其中 ≤ 总数, the teacher chain, outliers


def test_a_second_run_with_the_same_seed_changes_nothing(small) -> None:  # type: ignore[no-untyped-def]
    before = set(
        DataValue.objects.values_list("org_unit__code", "indicator__code", "period", "value")
    )
    records = ChangeRecord.objects.count()
    again = synthesize(SMALL, seed=3, years=YEARS)
    assert again.plan == small.plan and Plan.objects.count() == 1  # the plan copy is reused
    after = set(
        DataValue.objects.values_list("org_unit__code", "indicator__code", "period", "value")
    )
    assert after == before
    assert ChangeRecord.objects.count() == records  # nothing changed, nothing recorded


@pytest.mark.django_db
def test_the_command_says_the_data_are_synthetic_and_how_fast_they_were_written() -> None:
    out = StringIO()
    call_command("synth", "--scale", "district", "--seed", "2", "--years", "2021-2022", stdout=out)
    text = out.getvalue()
    assert text.startswith("合成数据，仅供演示和测试")
    assert "1 个市、1 个县（区）、5 所学校（中职学校 4 所、高职院校 1 所）" in text
    assert "写入 630 个数值，全部通过阻止性校验" in text
    assert "每秒写入" in text
    assert DataValue.objects.count() == 5 * 63 * 2
