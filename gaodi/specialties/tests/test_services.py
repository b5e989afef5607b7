"""The specialties services: seeding, offerings, stored warnings and their rule set versions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gaodi.audit.models import ChangeRecord
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_org_unit, ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.specialties.catalogue import CATALOGUE_2010, CATALOGUE_2021
from gaodi.specialties.models import (
    Industry,
    LayoutTarget,
    Offering,
    RuleSetVersion,
    Specialty,
    SpecialtyCodeChange,
    WarningResult,
)
from gaodi.specialties.presets import chiping_example
from gaodi.specialties.services import (
    Numbers,
    Refused,
    record_offering,
    run_warnings,
    save_rule_set,
    seed_catalogue,
    seed_layout,
)
from gaodi.specialties.warning import RuleSet

pytestmark = pytest.mark.django_db

CODE = "chiping-example"


@pytest.fixture
def plan() -> Plan:
    county = ensure_reference_tree(actor=None)
    return import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)


@pytest.fixture
def school(plan: Plan) -> OrgUnit:
    return ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )


def specialty(name: str) -> Specialty:
    return Specialty.objects.get(catalogue=CATALOGUE_2021, name=name)


def enrol(school: OrgUnit, name: str, enrolments: dict[int, int], planned: int = 40) -> None:
    for year, enrolled in enrolments.items():
        numbers = Numbers(planned_enrolment=planned, enrolment=enrolled)
        record_offering(school, specialty(name), year, numbers, source="录入", actor=None)


def test_seeding_the_catalogue_twice_creates_nothing_the_second_time() -> None:
    created = seed_catalogue(actor=None)
    assert created > 0
    assert seed_catalogue(actor=None) == 0
    assert ChangeRecord.objects.filter(object_type__startswith="specialties.").count() == created


def test_no_catalogue_code_is_shown_as_verified_and_the_old_accounting_name_maps_to_the_new() -> (
    None
):
    seed_catalogue(actor=None)
    assert not Specialty.objects.exclude(code_status=Specialty.CodeStatus.UNVERIFIED).exists()
    assert all(code.startswith("示例") for code in Specialty.objects.values_list("code", flat=True))
    change = SpecialtyCodeChange.objects.get(new__name="会计事务")
    assert change.old.name == "会计电算化" and change.old.catalogue == CATALOGUE_2010


def test_the_layout_of_annex_2_is_seeded_per_top_ten_industry_and_year(plan: Plan) -> None:
    # import_plan seeded the catalogue and the layout already: seeding again creates nothing
    assert LayoutTarget.objects.filter(plan=plan).count() == 10 * 4  # 十强 rows, 2019 to 2022
    assert seed_catalogue(actor=None) == 0
    assert seed_layout(plan, actor=None) == 0
    computing = LayoutTarget.objects.get(plan=plan, row_label="新一代信息技术", year=2022)
    assert (computing.points, computing.students) == (2, 750)
    health = LayoutTarget.objects.get(plan=plan, row_label="医养健康", year=2019)
    assert (health.points, health.students, health.specialties) == (None, None, "")
    tourism = LayoutTarget.objects.get(plan=plan, row_label="精品旅游", year=2021)
    assert (tourism.points, tourism.students) == (1, None)  # 学生数 left blank in the plan


def test_an_offering_is_recorded_then_corrected_each_with_its_change_record(
    school: OrgUnit,
) -> None:
    seed_catalogue(actor=None)
    enrol(school, "旅游服务与管理", {2019: 24})
    numbers = Numbers(planned_enrolment=40, enrolment=25, employment_rate=Decimal("90.5"))
    offering = record_offering(
        school, specialty("旅游服务与管理"), 2019, numbers, source="录入", actor=None
    )
    assert Offering.objects.get().enrolment == 25
    records = ChangeRecord.objects.filter(
        object_type="specialties.offering", object_id=str(offering.pk)
    ).order_by("pk")
    assert [r.action for r in records] == ["create", "update"]
    assert records[1].before["enrolment"] == 24 and records[1].after["enrolment"] == 25


def test_an_offering_of_a_county_is_refused(plan: Plan) -> None:
    seed_catalogue(actor=None)
    with pytest.raises(Refused):
        record_offering(
            plan.org_unit, specialty("电子商务"), 2019, Numbers(), source="录入", actor=None
        )


def test_warnings_are_stored_with_the_rule_set_version_that_produced_them(
    plan: Plan, school: OrgUnit
) -> None:
    seed_catalogue(actor=None)
    enrol(school, "旅游服务与管理", {2019: 24, 2020: 18, 2021: 12})
    enrol(school, "计算机应用", {2019: 190, 2020: 221, 2021: 246}, planned=250)
    results = {r.specialty.name: r for r in run_warnings(plan, 2021, CODE, actor=None)}
    tourism = results["旅游服务与管理"]
    assert (tourism.rule_set_code, tourism.rule_set_version) == (CODE, 1)
    assert tourism.consequence == "stop"  # under 30 % of plan or one class, 2 years running
    assert tourism.decision["rule_set_version"] == 1
    assert len(tourism.findings) == len(chiping_example().rules)
    assert results["计算机应用"].consequence == "" and results["计算机应用"].decision is None
    assert ChangeRecord.objects.filter(object_type="specialties.warningresult").count() == 2


def test_running_again_replaces_the_results_of_that_year_and_rule_set(
    plan: Plan, school: OrgUnit
) -> None:
    seed_catalogue(actor=None)
    enrol(school, "旅游服务与管理", {2019: 24, 2020: 18})
    run_warnings(plan, 2020, CODE, actor=None)
    run_warnings(plan, 2020, CODE, actor=None)
    assert WarningResult.objects.filter(as_of_year=2020, rule_set_code=CODE).count() == 1
    deleted = ChangeRecord.objects.filter(object_type="specialties.warningresult", action="delete")
    assert deleted.count() == 1


def test_a_new_version_effective_later_changes_only_the_later_results(
    plan: Plan, school: OrgUnit
) -> None:
    seed_catalogue(actor=None)
    enrol(school, "旅游服务与管理", {2019: 24, 2020: 18, 2021: 12})
    # The district sets one class at 10 from 2021: 12 enrolled is no longer under a class.
    data = chiping_example(class_size=10).to_json()
    save_rule_set(
        RuleSet.from_json({**data, "version": 2, "effective_from": "2021-01-01"}), actor=None
    )
    earlier = run_warnings(plan, 2020, CODE, actor=None)[0]
    later = run_warnings(plan, 2021, CODE, actor=None)[0]
    assert (earlier.rule_set_version, earlier.consequence) == (1, "stop")
    assert (later.rule_set_version, later.consequence) == (2, "cut")  # 3 years under 30
    assert earlier.decision["rule_set_effective_from"] == "2020-07-02"
    assert later.decision["rule_set_effective_from"] == "2021-01-01"


def test_a_stored_version_is_never_overwritten() -> None:
    seed_catalogue(actor=None)
    with pytest.raises(Refused):
        save_rule_set(chiping_example(), actor=None)


def test_no_rule_set_in_force_that_year_is_refused(plan: Plan) -> None:
    seed_catalogue(actor=None)
    with pytest.raises(Refused):
        run_warnings(plan, 2019, CODE, actor=None)  # the 示例 set is in force from 2020-07-02


def test_importing_a_plan_seeds_the_catalogue_and_its_layout_and_a_new_version_its_own() -> None:
    county = ensure_reference_tree(actor=None)
    first = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    specialties = Specialty.objects.count()
    assert specialties > 0 and Industry.objects.filter(group="十强产业").count() == 10
    assert RuleSetVersion.objects.filter(code=CODE).exists()
    assert LayoutTarget.objects.filter(plan=first).count() == 10 * 4
    record = ChangeRecord.objects.get(object_type="plans.plan", action="import")
    assert record.after["specialties"] > 0 and record.after["layout"] == 10 * 4
    second = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    assert second.version == 2
    assert Specialty.objects.count() == specialties  # the catalogue is seeded once
    assert LayoutTarget.objects.filter(plan=second).count() == 10 * 4
    assert LayoutTarget.objects.filter(plan=first).count() == 10 * 4  # version 1 untouched
