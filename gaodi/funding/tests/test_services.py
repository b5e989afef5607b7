"""The funding services: records with their change records, refusals that list every problem and
write nothing, rule versions per place that change only the years from their effective date,
and 中职生均拨款 fed to the indicators without rewriting approved data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gaodi.audit.models import ChangeRecord
from gaodi.funding import rules
from gaodi.funding.feeding import feed_per_student
from gaodi.funding.models import Appropriation, RulesVersion, SurchargeYear
from gaodi.funding.queries import (
    Counted,
    counted_students,
    feed_rows,
    funding_table,
    overview,
    plan_checks,
)
from gaodi.funding.services import (
    STUDENTS_TABLE,
    STUDENTS_WORDS,
    DebtInput,
    Refused,
    SurchargeInput,
    new_rules_version,
    record_appropriation,
    record_debt,
    record_surcharge_year,
    resolve_debt,
    rules_of_year,
    seed_rules,
)
from gaodi.indicators.collection import store_values
from gaodi.indicators.models import DataSet, DataValue, Indicator, TargetValue
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_org_unit, ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

pytestmark = pytest.mark.django_db

DAY = dt.date(2021, 6, 30)


@pytest.fixture
def plan(settings) -> Plan:  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = DAY
    county = ensure_reference_tree(actor=None)
    found = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    seed_rules(actor=None)
    return found


@pytest.fixture
def school(plan: Plan) -> OrgUnit:
    return ensure_org_unit("371503-S01", "职教中心", OrgKind.SCHOOL, plan.org_unit, actor=None)


def test_the_rules_are_seeded_once_with_a_change_record(plan: Plan) -> None:
    assert seed_rules(actor=None) == 0
    assert RulesVersion.objects.count() == 1
    assert ChangeRecord.objects.filter(object_type="funding.rulesversion").count() == 1


def test_a_surcharge_year_is_recorded_then_corrected_with_before_and_after(plan: Plan) -> None:
    first = record_surcharge_year(
        plan,
        SurchargeInput("2020", "1,000,000", "300000", "500000", "100000", "财政决算"),
        actor=None,
    )
    assert (first.education_revenue, first.local_to_vocational) == (1_000_000, 100_000)
    again = record_surcharge_year(
        plan, SurchargeInput(2020, 1_000_000, 300_000, 500_000, 150_000, "更正"), actor=None
    )
    assert again.pk == first.pk and SurchargeYear.objects.count() == 1
    change = ChangeRecord.objects.filter(object_type="funding.surchargeyear").latest("pk")
    assert change.before["local_to_vocational"] == 100_000
    assert change.after["local_to_vocational"] == 150_000


def test_bad_surcharge_input_lists_every_problem_and_writes_nothing(plan: Plan) -> None:
    with pytest.raises(Refused) as refused:
        record_surcharge_year(
            plan, SurchargeInput("1999", "-5", "abc", "100", "200", " "), actor=None
        )
    problems = str(refused.value).split("；")
    assert "年份须在 2000–2100 之间" in problems
    assert "教育费附加收入“-5”须为不小于 0 的整数" in problems
    assert "教育费附加用于职业教育的金额“abc”须为不小于 0 的整数" in problems
    assert "地方教育附加用于职业教育的金额不能超过当年收入" in problems
    assert "请填写来源说明" in problems
    assert len(problems) == 5
    assert not SurchargeYear.objects.exists()
    assert not ChangeRecord.objects.filter(object_type="funding.surchargeyear").exists()


def test_an_appropriation_must_be_of_a_school_of_the_plan(plan: Plan, school: OrgUnit) -> None:
    elsewhere = ensure_org_unit("9-S", "外地学校", OrgKind.SCHOOL, None, actor=None)
    with pytest.raises(Refused) as refused:
        record_appropriation(
            plan, elsewhere, year=2020, actual=1, students="x", source="a" * 201, actor=None
        )
    assert str(refused.value).split("；") == [
        "“外地学校”不是本方案所辖的学校",
        "在校生数“x”须为不小于 0 的整数",
        "来源说明不能超过 200 个字（现为 201 个字）",
    ]
    found = record_appropriation(
        plan, school, year=2020, actual=3300 * 10, students=10, source="预算", actor=None
    )
    assert Appropriation.objects.get() == found


def _store_students(plan: Plan, school: OrgUnit, year: int, count: int) -> None:
    indicator = Indicator.objects.get(plan=plan, category=STUDENTS_TABLE, name=STUDENTS_WORDS)
    data_set = DataSet.objects.filter(plan=plan, indicators=indicator).first()
    assert data_set is not None
    store_values(
        data_set,
        str(year),
        {school.pk: {indicator.code: Decimal(count)}},
        actor=None,
        source="学籍统计",
        check_window=False,
    )


def test_the_students_come_from_the_indicators_and_typing_is_only_a_fallback(
    plan: Plan, school: OrgUnit
) -> None:
    with pytest.raises(Refused) as refused:
        record_appropriation(
            plan, school, year=2021, actual=100, students="", source="预算", actor=None
        )
    assert str(refused.value) == "指标库尚无“职教中心”2020 年的在校生数，请填写在校生数"
    assert not Appropriation.objects.exists()
    typed = record_appropriation(
        plan, school, year=2022, actual=3300 * 50, students=50, source="预算", actor=None
    )
    chosen = rules_of_year(plan, 2021)
    assert chosen is not None
    _store_students(plan, school, chosen.count_year(2021), 2824)
    from_indicator = record_appropriation(
        plan, school, year=2021, actual=3300 * 2824, students=None, source="预算", actor=None
    )
    assert from_indicator.students is None
    counted = counted_students(plan, [typed, from_indicator])
    assert counted[from_indicator.pk] == Counted(2824, "取自指标库（2020年，填报中）")
    assert counted[typed.pk] == Counted(50, "手工填写，指标库尚无（2021年）")
    results = {r.year: r for r in overview(plan, DAY).appropriations}
    assert results[2021].students == 2824 and results[2021].status == rules.MET
    assert "取自指标库（2020年，填报中）" in results[2021].steps[0]
    assert "手工填写，指标库尚无（2021年）" in results[2022].steps[0]
    # a typed count beside the indicator's is not used, and the working says so
    record_appropriation(
        plan, school, year=2021, actual=3300 * 2824, students=3000, source="预算", actor=None
    )
    again = {r.year: r for r in overview(plan, DAY).appropriations}[2021]
    assert again.students == 2824 and "手工填写的 3,000 人未采用" in again.students_from


def test_a_debt_and_its_resolution(plan: Plan, school: OrgUnit) -> None:
    with pytest.raises(Refused) as refused:
        record_debt(
            plan,
            school,
            DebtInput("欠款", "0", "2022-01-01", "2019-01-01", "", "台账"),
            actor=None,
        )
    assert str(refused.value).split("；") == [
        "债务金额须大于 0",
        "产生日期不能晚于今天",
        "填写了化解日期，请同时填写已化解金额",
        "化解日期不能早于产生日期",
    ]
    debt = record_debt(
        plan, school, DebtInput("欠款", 1000, dt.date(2019, 1, 1), source="台账"), actor=None
    )
    with pytest.raises(Refused):
        resolve_debt(debt, resolved_on="2021-01-05", resolved_amount=2000, actor=None)
    resolve_debt(debt, resolved_on="2021-01-05", resolved_amount="1000", actor=None)
    debt.refresh_from_db()
    assert (debt.resolved_on, debt.resolved_amount) == (dt.date(2021, 1, 5), 1000)
    found = overview(plan, DAY)
    assert found.debts[0][1].status == rules.RESOLVED_LATE


def test_a_new_version_of_the_place_changes_only_the_years_from_its_effective_date(
    plan: Plan, school: OrgUnit
) -> None:
    for year in (2021, 2022):
        record_appropriation(
            plan, school, year=year, actual=3300 * 100, students=100, source="预算", actor=None
        )
    stored = new_rules_version(
        plan,
        {"standard_per_student": 3600},
        effective_from=dt.date(2022, 1, 1),
        source="区财政局文件",
        actor=None,
    )
    assert (stored.code, stored.version) == ("funding-371503", 1)
    assert rules_of_year(plan, 2021).standard_per_student == 3300  # type: ignore[union-attr]
    assert rules_of_year(plan, 2022).standard_per_student == 3600  # type: ignore[union-attr]
    results = {r.year: r for r in overview(plan, DAY).appropriations}
    assert (results[2021].status, results[2021].rules_version) == (rules.MET, 1)
    assert results[2022].status == rules.NOT_MET and results[2022].shortfall == 300 * 100
    assert results[2022].rise == rules.RISEN
    with pytest.raises(Refused):
        new_rules_version(plan, {}, effective_from=dt.date(2021, 1, 1), source="更早", actor=None)
    with pytest.raises(Refused) as refused:
        new_rules_version(
            plan,
            {"standard_per_student": 0},
            effective_from=dt.date(2023, 1, 1),
            source="x",
            actor=None,
        )
    assert "生均拨款标准须为正整数" in str(refused.value)


def test_the_funding_table_reads_the_plans_targets_and_notes_the_drop(plan: Plan) -> None:
    rows, years = funding_table(plan)
    total = next(r for r in rows if r.name == "财政性职业教育经费总投入")
    stored = {
        t.year: t.value
        for t in TargetValue.objects.filter(indicator__plan=plan, indicator__code=total.code)
    }
    assert {c.year: c.target for c in total.cells} == {y: stored[y] for y in years}
    assert total.baseline == stored[2019]
    assert any("2022 年目标 30000 万元 低于 2021 年目标 50000 万元" in d for d in total.drops)


def test_per_student_is_fed_to_the_indicators_and_compared(plan: Plan, school: OrgUnit) -> None:
    record_appropriation(
        plan, school, year=2021, actual=9_500_000, students=3000, source="预算", actor=None
    )
    (row,) = feed_rows(plan)
    assert row.computed == Decimal("0.316667") and row.stored is None and row.agreement == "尚无"
    (fed,) = feed_per_student(plan, 2021, actor=None)
    assert fed.stored
    value = DataValue.objects.get(org_unit=school, period="2021", indicator__name="中职生均拨款")
    assert value.value == Decimal("0.316667")
    assert feed_rows(plan)[0].agreement == "一致"
    rows, _years = funding_table(plan)
    per_student = next(r for r in rows if r.name == "中职生均拨款")
    cell = next(c for c in per_student.cells if c.year == 2021)
    assert cell.actual == Decimal("0.316667") and cell.status == rules.NOT_MET


def test_the_rules_are_checked_against_the_numbers_the_plan_parser_stored(plan: Plan) -> None:
    checks = plan_checks(plan, rules_of_year(plan, 2021))
    assert [(c.plan_value, c.clause, c.agrees) for c in checks] == [
        ("30%", "重点任务（一）", True),
        ("3,300 元", "任务清单第2行", True),
        ("2020-12-31", "任务清单第3行", True),
    ]
    new_rules_version(
        plan,
        {"standard_per_student": 3600},
        effective_from=dt.date(2022, 1, 1),
        source="区财政局文件",
        actor=None,
    )
    later = plan_checks(plan, rules_of_year(plan, 2022))
    assert [c.agrees for c in later] == [True, False, True]
