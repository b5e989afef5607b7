"""The achievements services: parameter versions, records with their change records, refusals
that write nothing, and composites that keep the weight set version that produced them."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from gaodi.achievements.achievements import CITY_BRAND, ONLINE_COURSE, PROVINCIAL_GROUP
from gaodi.achievements.evaluation import example_weights
from gaodi.achievements.models import (
    Achievement,
    CompetitionAward,
    EvaluationResult,
    ParameterSetVersion,
    SchoolEvaluation,
)
from gaodi.achievements.queries import competition_summaries, plan_targets, tallies
from gaodi.achievements.services import (
    AchievementInput,
    AwardInput,
    Refused,
    compute_evaluations,
    new_weight_version,
    record_achievement,
    record_award,
    record_evaluation,
    save_parameter_set,
    seed_parameters,
)
from gaodi.audit.models import ChangeRecord
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_org_unit, ensure_reference_tree
from gaodi.plans.models import Plan, Target
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.specialties.catalogue import CATALOGUE_2021
from gaodi.specialties.models import Specialty
from gaodi.specialties.services import Numbers, record_offering, seed_catalogue

pytestmark = pytest.mark.django_db

D = Decimal
DAY = dt.date(2021, 6, 30)


@pytest.fixture
def plan(settings) -> Plan:  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = DAY
    county = ensure_reference_tree(actor=None)
    found = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    seed_parameters(actor=None)
    return found


@pytest.fixture
def school(plan: Plan) -> OrgUnit:
    return ensure_org_unit("371503-S01", "职教中心", OrgKind.SCHOOL, plan.org_unit, actor=None)


def full(customer: str, peer: str | None, third: str) -> dict[str, Decimal | None]:
    return {
        "customer": D(customer),
        "peer": None if peer is None else D(peer),
        "third_party": D(third),
    }


def test_seeding_the_parameters_is_idempotent_and_recorded(plan: Plan) -> None:
    assert seed_parameters(actor=None) == 0  # the fixture seeded them already
    assert set(ParameterSetVersion.objects.values_list("kind", flat=True)) == {
        "weights",
        "achievement_kinds",
        "points",
    }
    assert ChangeRecord.objects.filter(summary="预置参数集").count() == 3


def test_an_existing_version_is_never_overwritten(plan: Plan) -> None:
    with pytest.raises(Refused, match="第 1 版已存在"):
        save_parameter_set(example_weights(), actor=None)


def test_the_targets_are_read_from_the_plan_not_typed(plan: Plan, school: OrgUnit) -> None:
    record_achievement(
        plan, school, AchievementInput(PROVINCIAL_GROUP, "智能制造专业群", DAY), actor=None
    )
    _kinds, rows = tallies(plan, [school], DAY)
    found = {row.tally.kind: row.tally for row in rows}
    assert found[PROVINCIAL_GROUP].status == "met"
    assert found[CITY_BRAND].target.value == 4  # type: ignore[union-attr]
    # the work team corrects the plan's target: the tally follows, nothing typed twice
    Target.objects.filter(clause="重点任务（八）", subject__contains="省高水平").update(value=2)
    _kinds, rows = tallies(plan, [school], DAY)
    assert {row.tally.kind: row.tally for row in rows}[PROVINCIAL_GROUP].status == "not_met"


def test_a_plan_without_the_targets_says_so(plan: Plan, school: OrgUnit) -> None:
    Target.objects.filter(clause="重点任务（九）").delete()
    _kinds, rows = tallies(plan, [school], DAY)
    found = {row.tally.kind: row.tally for row in rows}
    assert found[ONLINE_COURSE].status_label == "计划未设目标"
    assert all(t.clause != "重点任务（九）" for t in plan_targets(plan))


def test_an_achievement_is_recorded_with_its_change_record(plan: Plan, school: OrgUnit) -> None:
    found = record_achievement(
        plan,
        school,
        AchievementInput(
            ONLINE_COURSE, " 数控编程 ", dt.date(2021, 5, 1), doc_number="鲁教职函1号"
        ),
        actor=None,
    )
    assert found.name == "数控编程"
    record = ChangeRecord.objects.get(summary="标志性成果")
    assert record.after["name"] == "数控编程" and record.action == "create"
    again = AchievementInput(ONLINE_COURSE, "数控编程", dt.date(2021, 5, 2))
    with pytest.raises(Refused, match="职教中心已登记过“数控编程”，同一成果只登记一次"):
        record_achievement(plan, school, again, actor=None)
    assert Achievement.objects.count() == 1


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (AchievementInput("olympics", "x", DAY), "没有名为“olympics”的成果类别"),
        (AchievementInput(ONLINE_COURSE, "  ", DAY), "请填写成果名称"),
        (AchievementInput(ONLINE_COURSE, "x", dt.date(2021, 7, 1)), "不能晚于今天"),
        (AchievementInput(ONLINE_COURSE, "课" * 201, DAY), "成果名称不能超过 200 个字"),
        (
            AchievementInput(ONLINE_COURSE, "x", DAY, doc_number="号" * 101),
            "文号不能超过 100 个字",
        ),
    ],
)
def test_bad_achievements_are_refused_and_nothing_is_written(
    plan: Plan, school: OrgUnit, given: AchievementInput, message: str
) -> None:
    before = ChangeRecord.objects.count()
    with pytest.raises(Refused, match=message):
        record_achievement(plan, school, given, actor=None)
    assert Achievement.objects.count() == 0 and ChangeRecord.objects.count() == before


def test_a_school_of_another_place_is_refused(plan: Plan) -> None:
    elsewhere = ensure_org_unit(
        "371502", "东昌府区", OrgKind.COUNTY, plan.org_unit.parent, actor=None
    )
    other = ensure_org_unit("371502-S01", "外区学校", OrgKind.SCHOOL, elsewhere, actor=None)
    with pytest.raises(Refused, match="不是本方案所辖的学校"):
        record_award(
            plan, other, AwardInput(2021, "x", "省", "一等奖", "学生"), source="录入", actor=None
        )
    assert CompetitionAward.objects.count() == 0


def test_scores_are_corrected_with_before_and_after_and_bad_scores_refused(
    plan: Plan, school: OrgUnit
) -> None:
    record_evaluation(plan, school, 2020, full("88", "82", "79.5"), source="评估报告", actor=None)
    record_evaluation(plan, school, 2020, full("90", None, "79.5"), source="评估报告", actor=None)
    stored = SchoolEvaluation.objects.get()
    assert stored.customer == 90 and stored.peer is None
    update = ChangeRecord.objects.filter(summary="学校评价得分", action="update").get()
    assert update.before["customer"] == "88.0" and update.after["peer"] is None
    with pytest.raises(Refused, match="同行评价须在 0 到 100 之间"):
        record_evaluation(plan, school, 2020, full("90", "120", "1"), source="x", actor=None)
    with pytest.raises(Refused, match="请填写来源说明"):
        record_evaluation(plan, school, 2020, full("90", "80", "1"), source=" ", actor=None)
    with pytest.raises(Refused, match="第三方评价最多保留一位小数"):
        record_evaluation(plan, school, 2020, full("90", "80", "85.55"), source="x", actor=None)
    with pytest.raises(Refused, match="来源说明不能超过 200 个字"):
        record_evaluation(plan, school, 2020, full("90", "80", "1"), source="x" * 201, actor=None)
    stored.refresh_from_db()
    assert stored.customer == 90 and stored.peer is None


def test_a_bad_award_is_refused_in_chinese(plan: Plan, school: OrgUnit) -> None:
    with pytest.raises(Refused, match="级别须为国家、省、市、区或校"):
        record_award(
            plan, school, AwardInput(2021, "x", "世界", "一等奖", "学生"), source="录入", actor=None
        )
    with pytest.raises(Refused, match="获奖人数须在 1 到 1000 之间"):
        record_award(
            plan,
            school,
            AwardInput(2021, "x", "省", "一等奖", "学生", 5000),
            source="录入",
            actor=None,
        )
    assert CompetitionAward.objects.count() == 0
    record_award(
        plan, school, AwardInput(2021, "省赛", "省", "一等奖", "学生", 2), source="录入", actor=None
    )
    views, tables = competition_summaries(plan, [school])
    assert views[0].summary.points == 15 and tables[0].version == 1


def test_composites_record_their_version_and_a_new_version_changes_only_later_years(
    plan: Plan, school: OrgUnit
) -> None:
    record_evaluation(plan, school, 2021, full("90", "80", "70"), source="x", actor=None)
    record_evaluation(plan, school, 2022, full("90", "80", "70"), source="x", actor=None)
    first = compute_evaluations(plan, 2021, actor=None)[0]
    assert (first.composite, first.rank, first.weight_set_version) == (D("81.0"), 1, 1)
    later = replace(
        example_weights(),
        version=2,
        effective_from=dt.date(2022, 1, 1),
        weights={"customer": D(20), "peer": D(30), "third_party": D(50)},
    )
    save_parameter_set(later, actor=None)
    # 2021 recomputed: the version in force on 2021-12-31 is still v1, same composite
    again = compute_evaluations(plan, 2021, actor=None)[0]
    assert (again.composite, again.weight_set_version) == (D("81.0"), 1)
    # 2022: v2, (20×90 + 30×80 + 50×70) / 100 = 77
    new = compute_evaluations(plan, 2022, actor=None)[0]
    assert (new.composite, new.weight_set_version) == (D("77.0"), 2)
    assert EvaluationResult.objects.filter(year=2021).count() == 1  # replaced, not added
    assert ChangeRecord.objects.filter(summary="重新计算，旧结果删除").count() == 1


def test_a_missing_score_gives_a_renormalised_composite_and_no_weights_is_refused(
    plan: Plan, school: OrgUnit
) -> None:
    record_evaluation(plan, school, 2021, full("90", None, "70"), source="x", actor=None)
    found = compute_evaluations(plan, 2021, actor=None)[0]
    assert found.composite == D("81.4")
    with pytest.raises(Refused, match="2018 年没有施行中的权重集"):
        compute_evaluations(plan, 2018, actor=None)


def test_two_schools_of_the_same_name_keep_their_own_composites(
    plan: Plan, school: OrgUnit
) -> None:
    twin = ensure_org_unit("371503-S07", "职教中心", OrgKind.SCHOOL, plan.org_unit, actor=None)
    record_evaluation(plan, school, 2021, full("90", "90", "90"), source="x", actor=None)
    record_evaluation(plan, twin, 2021, full("60", "60", "60"), source="x", actor=None)
    found = {
        r.school_id: (r.composite, r.rank) for r in compute_evaluations(plan, 2021, actor=None)
    }
    assert found == {school.pk: (D("90.0"), 1), twin.pk: (D("60.0"), 2)}


def test_an_achievement_may_name_only_a_specialty_the_school_offers(
    plan: Plan, school: OrgUnit
) -> None:
    seed_catalogue(actor=None)
    computing = Specialty.objects.get(catalogue=CATALOGUE_2021, name="计算机应用")
    given = AchievementInput(CITY_BRAND, "计算机应用", DAY, specialty=computing)
    with pytest.raises(Refused, match="“计算机应用”不是职教中心开设的专业"):
        record_achievement(plan, school, given, actor=None)
    record_offering(school, computing, 2020, Numbers(enrolment=40), source="录入", actor=None)
    assert record_achievement(plan, school, given, actor=None).specialty == computing


def test_a_place_saves_its_own_weights_which_apply_from_their_date_and_only_there(
    plan: Plan, school: OrgUnit
) -> None:
    elsewhere = ensure_org_unit(
        "371502", "东昌府区", OrgKind.COUNTY, plan.org_unit.parent, actor=None
    )
    other_plan = import_plan(parse_path(example_plan_path()), actor=None, org_unit=elsewhere)
    other_school = ensure_org_unit(
        "371502-S01", "东昌府职专", OrgKind.SCHOOL, elsewhere, actor=None
    )
    for year in (2021, 2022):
        record_evaluation(plan, school, year, full("90", "80", "70"), source="x", actor=None)
        record_evaluation(
            other_plan, other_school, year, full("90", "80", "70"), source="x", actor=None
        )
    heavy_third = {"customer": D(20), "peer": D(30), "third_party": D(50)}
    stored = new_weight_version(
        plan,
        heavy_third,
        missing="renormalise",
        effective_from=dt.date(2022, 1, 1),
        source="区教体局会议纪要",
        actor=None,
    )
    assert (stored.code, stored.version) == ("evaluation-371503", 1)
    assert ChangeRecord.objects.filter(summary="参数集", object_id=str(stored.pk)).exists()
    mine = {year: compute_evaluations(plan, year, actor=None)[0] for year in (2021, 2022)}
    assert (mine[2021].composite, mine[2021].weight_set_code) == (D("81.0"), "evaluation-example")
    assert (mine[2022].composite, mine[2022].weight_set_code) == (D("77.0"), "evaluation-371503")
    theirs = compute_evaluations(other_plan, 2022, actor=None)[0]
    assert (theirs.composite, theirs.weight_set_code) == (D("81.0"), "evaluation-example")


def test_a_citys_weights_apply_in_its_counties_until_a_county_sets_its_own(
    plan: Plan, school: OrgUnit
) -> None:
    city_plan = import_plan(
        parse_path(example_plan_path()), actor=None, org_unit=plan.org_unit.parent
    )
    equal = {"customer": D(1), "peer": D(1), "third_party": D(1)}
    new_weight_version(
        city_plan,
        equal,
        missing="renormalise",
        effective_from=dt.date(2021, 1, 1),
        source="市教育局通知",
        actor=None,
    )
    record_evaluation(plan, school, 2021, full("90", "80", "70"), source="x", actor=None)
    [found] = compute_evaluations(plan, 2021, actor=None)
    assert (found.composite, found.weight_set_code) == (D("80.0"), "evaluation-371500")
    new_weight_version(
        plan,
        {"customer": D(1)},
        missing="renormalise",
        effective_from=dt.date(2021, 1, 1),
        source="区教体局会议纪要",
        actor=None,
    )
    [found] = compute_evaluations(plan, 2021, actor=None)
    assert (found.composite, found.weight_set_code) == (D("90.0"), "evaluation-371503")


@pytest.mark.parametrize(
    ("weights", "day", "source", "message"),
    [
        ({"customer": D(0)}, dt.date(2022, 1, 1), "纪要", "权重之和须大于 0"),
        ({"customer": D(1)}, dt.date(2022, 1, 1), " ", "请填写新权重的依据"),
        (
            {"customer": D(1)},
            dt.date(2021, 1, 1),
            "纪要",
            "施行日期不能早于第 1 版的施行日期 2022-01-01",
        ),
    ],
)
def test_bad_weights_are_refused_and_nothing_is_saved(
    plan: Plan, weights: dict[str, Decimal], day: dt.date, source: str, message: str
) -> None:
    new_weight_version(
        plan,
        {"customer": D(1)},
        missing="renormalise",
        effective_from=dt.date(2022, 1, 1),
        source="纪要",
        actor=None,
    )
    count = ParameterSetVersion.objects.count()
    with pytest.raises(Refused, match=message):
        new_weight_version(
            plan, weights, missing="renormalise", effective_from=day, source=source, actor=None
        )
    assert ParameterSetVersion.objects.count() == count
