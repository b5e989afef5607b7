"""The training app's writes on the demo: records (recorded, corrected, refused with every
problem), pay inputs, parameter versions (the place's own wins; only later years change), the
stored results with their versions, and the 附件2 社会培训 feed (元 -> 万元, locked data kept)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from gaodi.audit.models import ChangeRecord
from gaodi.indicators.models import DataValue
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.specialties.services import schools_of
from gaodi.training import conversion, pay
from gaodi.training.feeding import (
    AGREE,
    DISAGREE,
    GROUPS,
    INCOME,
    PERSON_DAYS,
    SUBSIDISED,
    feed_training,
    preview,
    social_training_indicators,
)
from gaodi.training.models import ParameterVersion, PayInput, TrainingRecord, YearResult
from gaodi.training.services import (
    PayGiven,
    Refused,
    TrainingInput,
    compute_year,
    conversion_in_force,
    pure_inputs,
    pure_record,
    record_training,
    save_parameters,
    save_pay_inputs,
)

D = Decimal


@pytest.fixture
def plan(demo_once: Plan, db: Any) -> Plan:
    return demo_once


@pytest.fixture
def school(plan: Plan) -> OrgUnit:
    return schools_of(plan)[0]


def good(**changes: Any) -> TrainingInput:
    given = TrainingInput(
        programme="电工上岗培训",
        start=date(2021, 5, 1),
        end=date(2021, 5, 10),
        participants=100,
        person_days=D("800"),
        target_groups=(conversion.VETERANS,),
        subsidised=True,
        income=123456,
        source="测试",
    )
    return replace(given, **changes)


def expected_year(plan: Plan, school: OrgUnit, year: int) -> conversion.Conversion:
    records = [pure_record(r) for r in TrainingRecord.objects.filter(school=school, end__year=year)]
    params = conversion_in_force(plan, date(year, 12, 31))
    assert params is not None
    return conversion.convert(conversion.annual_volume(records, year, params), params)


def test_demo_results_carry_the_versions_and_match_the_pure_rules(
    plan: Plan, school: OrgUnit
) -> None:
    for year in (2020, 2021):
        result = YearResult.objects.get(plan=plan, school=school, year=year)
        expected = expected_year(plan, school, year)
        assert conversion.Conversion.from_json(result.conversion) == expected
        assert (result.conversion_code, result.conversion_version) == ("training-conversion", 1)
        assert (result.pay_code, result.pay_version) == ("performance-pay", 1)
        given = PayInput.objects.get(plan=plan, school=school, year=year)
        rules = pay.select_parameters([pay.example_parameters()], date(year, 12, 31))
        found = pay.allowed_pay(pure_inputs(given, expected.pay_increment), rules)
        assert pay.PayResult.from_json(result.pay) == found
    # the course over New Year counts once, in 2021, when it ended
    assert TrainingRecord.objects.filter(school=school, start__year=2020, end__year=2021).exists()


def test_a_record_is_recorded_and_the_year_recomputed(plan: Plan, school: OrgUnit) -> None:
    before = conversion.Conversion.from_json(
        YearResult.objects.get(plan=plan, school=school, year=2021).conversion
    )
    found = record_training(plan, school, good(), actor=None)
    assert found.income == 123456
    after = conversion.Conversion.from_json(
        YearResult.objects.get(plan=plan, school=school, year=2021).conversion
    )
    assert after == expected_year(plan, school, 2021)
    assert after.basis_amount - before.basis_amount == D(800) / D(200)
    assert ChangeRecord.objects.filter(summary="社会培训记录", object_id=str(found.pk)).exists()


def test_every_problem_is_listed_and_nothing_written(plan: Plan, school: OrgUnit) -> None:
    count = TrainingRecord.objects.count()
    bad = good(
        programme=" ",
        start=date(2021, 5, 10),
        end=date(2021, 5, 1),
        participants=-1,
        person_days=D("1.25"),
        target_groups=("aliens",),
        income=-5,
        source="长" * 201,
    )
    with pytest.raises(Refused) as refused:
        record_training(plan, school, bad, actor=None)
    problems = str(refused.value).split("；")
    assert len(problems) >= 7
    for words in (
        "培训项目",
        "结束日期早于开始日期",
        "人次",
        "一位小数",
        "aliens",
        "到款额",
        "来源说明",
    ):
        assert any(words in problem for problem in problems), words
    assert TrainingRecord.objects.count() == count


def test_person_days_beyond_participants_times_days_and_future_end_refused(
    plan: Plan, school: OrgUnit
) -> None:
    with pytest.raises(Refused, match="每人次每天至多计 1 人日"):
        record_training(plan, school, good(participants=10, person_days=D(101)), actor=None)
    with pytest.raises(Refused, match="不能晚于今天"):
        record_training(plan, school, good(end=date(2021, 7, 1)), actor=None)
    with pytest.raises(Refused, match="本方案所辖的学校"):
        record_training(plan, plan.org_unit, good(), actor=None)


def test_a_correction_moving_a_record_to_another_year_recomputes_both(
    plan: Plan, school: OrgUnit
) -> None:
    found = record_training(plan, school, good(), actor=None)
    moved = good(start=date(2020, 5, 1), end=date(2020, 5, 10))
    record_training(plan, school, moved, actor=None, record=found)
    for year in (2020, 2021):
        stored = YearResult.objects.get(plan=plan, school=school, year=year)
        assert conversion.Conversion.from_json(stored.conversion) == expected_year(
            plan, school, year
        )
    change = ChangeRecord.objects.filter(summary="社会培训记录", action="update").latest("pk")
    assert change.before["end"] == "2021-05-10"
    assert change.after["end"] == "2020-05-10"


def test_pay_inputs_refused_with_every_problem(plan: Plan, school: OrgUnit) -> None:
    bad = PayGiven(
        year=1999,
        benchmark_per_head=None,
        headcount=None,
        tech_share=D("1.5"),
        talents=(pay_talent("", "piecework", -1),),
    )
    with pytest.raises(Refused) as refused:
        save_pay_inputs(plan, school, bad, actor=None)
    assert len(str(refused.value).split("；")) >= 6
    early = PayGiven(year=2019, benchmark_per_head=1, headcount=1)
    with pytest.raises(Refused, match="2019 年尚无施行中的"):
        save_pay_inputs(plan, school, early, actor=None)


def pay_talent(name: str, kind: str, amount: int) -> Any:
    from gaodi.training.services import TalentInput

    return TalentInput(name, kind, amount)


def test_pay_inputs_saved_and_the_total_is_the_rule(plan: Plan, school: OrgUnit) -> None:
    given = PayGiven(
        year=2022,
        benchmark_per_head=40000,
        headcount=10,
        requested_base=3000000,  # over the cap of 2,000,000
        tech_service_balance=100000,
        tech_share=D("0.5"),
        transfer_fees=5000,
        source="测试",
    )
    save_pay_inputs(plan, school, given, actor=None)
    result = YearResult.objects.get(plan=plan, school=school, year=2022)
    found = pay.PayResult.from_json(result.pay)
    assert found.cap == D(40000 * 5 * 10)
    assert found.line(pay.BASE).amount == found.cap
    assert found.line(pay.TECH_SERVICE).amount == D(50000)
    assert found.total == found.cap + D(5000)  # no training in 2022: increment 0
    assert pay.CAP in found.binding


def test_a_place_version_wins_and_changes_only_later_years(plan: Plan, school: OrgUnit) -> None:
    before_2020 = YearResult.objects.get(plan=plan, school=school, year=2020).conversion
    stored = save_parameters(
        plan,
        ParameterVersion.Kind.CONVERSION,
        {
            "ratio": D("0.25"),
            "basis": conversion.PERSON_TIMES,
            "days_per_student_year": D(200),
            "pay_per_student": D(1000),
            "annual_target_person_times": 5000,
        },
        effective_from=date(2021, 1, 1),
        source="区人社局 测试文件",
        actor=None,
    )
    assert stored.code == f"training-conversion-{plan.org_unit.code}"
    assert stored.owner == plan.org_unit
    assert YearResult.objects.get(plan=plan, school=school, year=2020).conversion == before_2020
    after = YearResult.objects.get(plan=plan, school=school, year=2021)
    assert (after.conversion_code, after.conversion_version) == (stored.code, 1)
    people = sum(r.participants for r in TrainingRecord.objects.filter(end__year=2021))
    assert D(after.conversion["students"]) == D(people) * D("0.25")
    # a version may not take effect before the latest one; every problem listed
    with pytest.raises(Refused) as refused:
        save_parameters(
            plan,
            ParameterVersion.Kind.CONVERSION,
            {"ratio": D(2), "basis": "hours"},
            effective_from=date(2020, 6, 1),
            source="",
            actor=None,
        )
    assert len(str(refused.value).split("；")) >= 3


def test_feed_writes_the_year_in_wan_yuan_and_keeps_approved_data(
    plan: Plan, school: OrgUnit
) -> None:
    indicators = social_training_indicators(plan)
    assert set(indicators) == {PERSON_DAYS, SUBSIDISED, GROUPS, INCOME}
    approved = DataValue.objects.get(
        indicator=indicators[PERSON_DAYS], org_unit=school, period="2020"
    )
    [locked] = feed_training(plan, 2020, actor=None)
    assert not locked.stored and locked.refused
    assert DataValue.objects.get(pk=approved.pk).value == approved.value
    assert any(row.state == DISAGREE for row in preview(plan, [school], 2020))

    [fed] = feed_training(plan, 2021, actor=None)
    assert fed.stored
    records = TrainingRecord.objects.filter(school=school, end__year=2021)
    values = {
        row: DataValue.objects.get(indicator=ind, org_unit=school, period="2021").value
        for row, ind in indicators.items()
    }
    assert values[PERSON_DAYS] == sum(r.person_days for r in records)
    assert values[SUBSIDISED] == sum(r.person_days for r in records if r.subsidised)
    assert values[GROUPS] == sum(r.person_days for r in records if r.target_groups)
    assert values[INCOME] == D(sum(r.income or 0 for r in records)) / D(10000)
    assert all(row.state == AGREE for row in preview(plan, [school], 2021))


def test_income_not_fed_when_a_record_has_none(plan: Plan, school: OrgUnit) -> None:
    record_training(plan, school, good(income=None), actor=None)
    indicators = social_training_indicators(plan)
    [fed] = feed_training(plan, 2021, actor=None)
    assert fed.stored
    assert not DataValue.objects.filter(
        indicator=indicators[INCOME], org_unit=school, period="2021"
    ).exists()
    assert DataValue.objects.filter(
        indicator=indicators[PERSON_DAYS], org_unit=school, period="2021"
    ).exists()


def test_no_records_and_no_inputs_leaves_no_result(plan: Plan, school: OrgUnit) -> None:
    assert compute_year(plan, school, 2019, actor=None) is None
    assert not YearResult.objects.filter(plan=plan, year=2019).exists()


def test_refusals_are_the_shared_class() -> None:
    from gaodi.specialties import services as shared

    assert Refused is shared.Refused


def test_a_preset_with_older_wording_gets_the_current_one_and_keeps_its_values(
    plan: Plan,
) -> None:
    from gaodi.training.services import seed_parameters

    stored = ParameterVersion.objects.get(code="performance-pay", version=1, owner=None)
    values = {k: v for k, v in stored.data.items() if k not in ("name", "source", "note")}
    stored.source = "旧的依据"
    stored.data = {**stored.data, "source": "旧的依据", "note": "旧的说明"}
    stored.save()
    assert seed_parameters(actor=None) == 1
    stored.refresh_from_db()
    assert stored.source == pay.example_parameters().source
    assert stored.data == pay.example_parameters().to_json()
    assert {k: v for k, v in stored.data.items() if k not in ("name", "source", "note")} == values
    change = ChangeRecord.objects.filter(summary="预置参数集依据更正").latest("pk")
    assert change.before["source"] == "旧的依据"
    assert seed_parameters(actor=None) == 0  # idempotent
    # a different value is never rewritten by the seed (that would be a new version)
    stored.data = {**stored.data, "cap_multiple": "4", "source": "旧的依据"}
    stored.save()
    assert seed_parameters(actor=None) == 0
    stored.refresh_from_db()
    assert stored.data["cap_multiple"] == "4"


def test_the_comparison_words_are_translatable() -> None:
    from django.utils.functional import Promise

    from gaodi.training.feeding import NONE_YET

    assert all(isinstance(word, Promise) for word in (AGREE, DISAGREE, NONE_YET))
    assert (str(AGREE), str(DISAGREE), str(NONE_YET)) == ("一致", "不一致", "尚无")
