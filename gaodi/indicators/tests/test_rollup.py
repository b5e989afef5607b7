"""Roll-up over the tree equals a brute-force sum; ratios come from summed parts; over time a
stock takes the last sub-period and a flow their sum; a stored value is in the next read."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from gaodi.indicators.approval import Step
from gaodi.indicators.approving import take_step
from gaodi.indicators.collection import store_values
from gaodi.indicators.formula import evaluate
from gaodi.indicators.models import DataSet, DataValue, Indicator
from gaodi.indicators.periods import PeriodError
from gaodi.indicators.rollup import (
    by_children,
    data_set_by_kind,
    from_sub_periods,
    over_time,
    sub_periods,
)
from gaodi.indicators.synth import Shape, synthesize
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.orgs.tree import descendant_ids
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

pytestmark = pytest.mark.django_db


def test_children_sums_equal_a_brute_force_sum_and_ratios_use_summed_parts() -> None:
    county = ensure_reference_tree(actor=None)
    plan = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    city = county.parent
    assert city is not None
    counties = [county] + [
        OrgUnit.objects.create(code=f"3715{n:02d}", name=f"县{n}", kind=OrgKind.COUNTY, parent=city)
        for n in (20, 21)
    ]
    schools = [
        OrgUnit.objects.create(
            code=f"{c.code}-S{k}", name=f"{c.name}学校{k}", kind=OrgKind.SCHOOL, parent=c
        )
        for c in counties
        for k in range(3)
    ]
    students = Indicator.objects.get(plan=plan, name="在校生数（中职学校生师比）")
    teachers = Indicator.objects.get(plan=plan, name="专任教师数（中职学校生师比）")
    ratio = Indicator.objects.get(plan=plan, name="中职学校生师比")
    rng = random.Random(7)
    brute: dict[int, list[Decimal]] = {c.pk: [Decimal(0), Decimal(0)] for c in counties}
    for school in schools:
        s, t = Decimal(rng.randint(300, 3000)), Decimal(rng.randint(20, 200))
        DataValue.objects.create(
            indicator=students,
            org_unit=school,
            period="2021",
            value=s,
            entered_at="2021-06-30T00:00:00+08:00",
        )
        DataValue.objects.create(
            indicator=teachers,
            org_unit=school,
            period="2021",
            value=t,
            entered_at="2021-06-30T00:00:00+08:00",
        )
        brute[school.parent_id][0] += s  # type: ignore[index]
        brute[school.parent_id][1] += t  # type: ignore[index]
    assert by_children(students, city.pk, "2021") == {c: v[0] for c, v in brute.items()}
    ratios = by_children(ratio, city.pk, "2021")
    for child, (s, t) in brute.items():
        assert ratios[child] == s / t  # from summed parts, not an average of school ratios
    assert by_children(students, city.pk, "2020") == {c.pk: None for c in counties}


# The whole-data-set roll-up and the roll-up over time ----------------------------------


def brute_force(data_set: DataSet, group: OrgUnit, period: str) -> dict[str, Decimal | None]:
    """Every indicator of the data set for one group, summed in Python over its units."""
    below = descendant_ids(group)
    plan_indicators = {i.code: i for i in Indicator.objects.filter(plan=data_set.plan)}
    sums: dict[str, Decimal | None] = {}
    for code, indicator in plan_indicators.items():
        rows = DataValue.objects.filter(indicator=indicator, org_unit_id__in=below, period=period)
        values = [row.value for row in rows]
        summable = not indicator.formula and indicator.aggregation != "none"
        sums[code] = sum(values, Decimal(0)) if values and summable else None
    return {
        i.code: evaluate(i.formula, sums) if i.formula else sums[i.code]
        for i in data_set.indicators.all()
    }


def test_a_whole_data_set_rolls_up_by_county_and_by_city_like_a_brute_force_sum() -> None:
    made = synthesize(Shape(cities=2, counties=3, schools=8), seed=5, years=[2020, 2021])
    for kind in ("county", "city"):
        groups = OrgUnit.objects.filter(kind=kind, code__startswith="99")
        for data_set in DataSet.objects.filter(plan=made.plan):
            rolled = data_set_by_kind(data_set, made.province.pk, kind, "2021")
            assert rolled == {g.pk: brute_force(data_set, g, "2021") for g in groups}
    teachers = DataSet.objects.get(plan=made.plan, name="师资队伍")
    by_county = data_set_by_kind(teachers, made.province.pk, "county", "2021")
    assert by_county.keys() == {c.pk for c in OrgUnit.objects.filter(kind="county")}
    first = next(iter(by_county.values()))
    assert first["i037"] == first["i037n"] / first["i037d"]  # from summed parts
    assert first["i039"] == first["i039n"] / first["i039d"] * 100
    scale = DataSet.objects.get(plan=made.plan, name="规模与布局")
    students = data_set_by_kind(teachers, made.province.pk, "county", "2021")
    for county, values in data_set_by_kind(scale, made.province.pk, "county", "2021").items():
        # 校均在校生规模 = the county's students (summed) / its schools (summed): never a sum
        # or an average of the schools' own averages.
        assert values["i005"] == students[county]["i037n"] / values["i002"]


def test_sums_of_values_with_six_decimals_are_exact_beyond_what_floats_hold() -> None:
    made = synthesize(Shape(cities=1, counties=1, schools=5), seed=1, years=[2021])
    funding = DataSet.objects.get(plan=made.plan, name="经费投入")
    schools = OrgUnit.objects.filter(kind="school", code__startswith="99")
    amounts = [Decimal("900000000.000001")] * 4 + [Decimal("0.1")]  # 万元
    store_values(
        funding,
        "2022",
        {s.pk: {"i048": a} for s, a in zip(schools, amounts, strict=True)},
        actor=None,
        source="测试",
        check_window=False,
    )
    total = Decimal("3600000000.100004")  # 16 significant digits: more than a double holds
    county, city = (OrgUnit.objects.get(kind=k, code__startswith="99") for k in ("county", "city"))
    assert data_set_by_kind(funding, made.province.pk, "county", "2022")[county.pk]["i048"] == total
    i048 = Indicator.objects.get(plan=made.plan, code="i048")
    assert by_children(i048, made.province.pk, "2022") == {city.pk: total}
    if connection.vendor == "sqlite":  # why: SQLite's own SUM adds floats
        summed = DataValue.objects.filter(indicator=i048, period="2022").aggregate(s=Sum("value"))
        assert summed["s"] != total


def test_a_stock_takes_the_last_quarter_reported_and_a_flow_the_sum_of_the_quarters() -> None:
    made = synthesize(Shape(cities=1, counties=1, schools=2), seed=1, years=[2020])
    teachers = DataSet.objects.get(plan=made.plan, name="师资队伍")
    DataSet.objects.filter(pk=teachers.pk).update(period_type=DataSet.PeriodType.QUARTERLY)
    teachers.refresh_from_db()
    first, second = OrgUnit.objects.filter(kind="school", code__startswith="99").order_by("code")
    quarters = {  # school -> quarter -> (在校生数 stock, 专任教师 stock, 招聘教师数 flow)
        first: {
            "2021Q1": (1000, 50, 1),
            "2021Q2": (1010, 50, 2),
            "2021Q3": (1100, 55, 3),
            "2021Q4": (1120, 56, 4),
        },
        second: {"2021Q1": (2000, 100, 5), "2021Q2": (2040, 102, 5), "2021Q3": (2100, 105, 5)},
    }
    for school, by_quarter in quarters.items():
        for quarter, (students, staff, recruits) in by_quarter.items():
            store_values(
                teachers,
                quarter,
                {
                    school.pk: {
                        "i037n": Decimal(students),
                        "i037d": Decimal(staff),
                        "i034": Decimal(recruits),
                    }
                },
                actor=None,
                source="测试",
                check_window=False,
            )
    code = {i.code: i for i in teachers.indicators.all()}
    assert over_time(code["i037n"], first.pk, "2021", "quarterly") == 1120  # Q4, the last
    assert over_time(code["i037n"], second.pk, "2021", "quarterly") == 2100  # Q3: last reported
    assert over_time(code["i034"], first.pk, "2021", "quarterly") == 10  # 1 + 2 + 3 + 4
    assert over_time(code["i037"], first.pk, "2021", "quarterly") == Decimal(1120) / 56
    county = OrgUnit.objects.get(kind="county", code__startswith="99")
    year = data_set_by_kind(teachers, made.province.pk, "county", "2021")[county.pk]
    assert year["i037n"] == 1120 + 2100 and year["i037d"] == 56 + 105
    assert year["i034"] == 10 + 15
    assert year["i037"] == Decimal(1120 + 2100) / (56 + 105)  # from the rolled-up parts
    third = data_set_by_kind(teachers, made.province.pk, "county", "2021Q3")[county.pk]
    assert third["i037n"] == 1100 + 2100 and third["i034"] == 3 + 5


def test_a_period_is_made_of_the_sub_periods_of_the_data_sets_type() -> None:
    assert sub_periods("2021", "quarterly") == ["2021Q1", "2021Q2", "2021Q3", "2021Q4"]
    assert sub_periods("2021", "bimonthly")[-1] == "202106B"
    assert sub_periods("2021", "yearly") == ["2021"]
    assert sub_periods("2021Q3", "quarterly") == ["2021Q3"]
    with pytest.raises(PeriodError):
        sub_periods("2021Q3", "yearly")  # a year's data say nothing of a quarter
    with pytest.raises(PeriodError):
        sub_periods("2021Q1", "bimonthly")  # Jan–Feb and Mar–Apr do not make Jan–Mar
    assert from_sub_periods("flow", {"2021Q1": Decimal(2), "2021Q2": Decimal(3)}) == 5
    assert from_sub_periods("stock", {"2021Q2": Decimal(3), "2021Q1": Decimal(2)}) == 3
    assert from_sub_periods("stock", {}) is None


def test_a_value_stored_and_approved_is_in_the_very_next_roll_up() -> None:
    made = synthesize(Shape(cities=1, counties=1, schools=1), seed=1, years=[2020])
    teachers = DataSet.objects.get(plan=made.plan, name="师资队伍")
    county = OrgUnit.objects.get(kind="county", code__startswith="99")
    school = OrgUnit.objects.get(kind="school", code__startswith="99")
    store_values(
        teachers,
        "2021",
        {school.pk: {"i037n": Decimal(4888), "i037d": Decimal(252)}},
        actor=None,
        source="测试",
        check_window=False,
    )

    def read(approved_only: bool) -> dict[str, Decimal | None]:
        rolled = data_set_by_kind(
            teachers, made.province.pk, "county", "2021", approved_only=approved_only
        )
        return rolled[county.pk]

    assert read(False)["i037n"] == 4888  # live: no rebuild between the write and the read
    assert read(True)["i037n"] is None  # not approved yet
    take_step(teachers, school, "2021", Step.SUBMIT, actor=None)
    take_step(teachers, school, "2021", Step.APPROVE, actor=None)
    assert read(True)["i037n"] == 4888
    assert read(True)["i037"] == Decimal(4888) / 252
