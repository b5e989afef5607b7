"""Task lights from the records: deadlines, lead reports per dispatch cycle, 催办."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.orgs.models import Department
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.supervision import inspections
from gaodi.supervision.board import plan_lights
from gaodi.supervision.models import Chase, Cycle, ProgressReport
from gaodi.supervision.services import run_cycles

pytestmark = pytest.mark.django_db
DAY = dt.date(2021, 6, 30)


@pytest.fixture
def plan() -> Plan:
    county = ensure_reference_tree(actor=None)
    imported = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    create_member("leader", "pw", role=Role.LEADER, actor=None, org_unit=county)
    run_cycles(DAY)
    return imported


def light_of(plan: Plan, number: int, day: dt.date = DAY):  # type: ignore[no-untyped-def]
    return next(row.light for row in plan_lights(plan, day) if row.task.number == number)


def test_with_no_report_in_a_due_cycle_a_task_is_red_for_the_late_report(plan: Plan) -> None:
    light = light_of(plan, 14)
    assert light.colour == "red" and "report_late" in {r.code for r in light.reasons}


def test_reports_on_time_and_a_chase_answered_change_the_light(plan: Plan) -> None:
    task = plan.tasks.get(number=14)
    lead = Department.objects.get(org_unit=plan.org_unit, name="区教育和体育局")
    for cycle in Cycle.objects.filter(schedule__kind="dispatch", due_on__lte=DAY):
        ProgressReport.objects.create(
            cycle=cycle,
            task=task,
            department=lead,
            tier="lead",
            status="accepted",
            progress="ongoing",
            percent=60,
            narrative="按计划推进",
            submitted_at=timezone.make_aware(dt.datetime.combine(cycle.due_on, dt.time(9))),
        )
    light = light_of(plan, 14)
    assert "report_late" not in {r.code for r in light.reasons}
    Chase.objects.create(
        task=task, department=lead, message="请报送佐证材料", chased_on=dt.date(2021, 6, 1)
    )
    assert "chase_unanswered" in {r.code for r in light_of(plan, 14).reasons}
    Chase.objects.update(answered_on=dt.date(2021, 6, 3))
    assert "chase_unanswered" not in {r.code for r in light_of(plan, 14).reasons}


def test_the_lights_page_and_the_sheet(plan: Plan) -> None:
    client = Client()
    assert client.login(username="leader", password="pw")
    page = client.get(f"/supervision/plans/{plan.pk}/lights/").content.decode()
    assert "重点任务（十四）" in page and "红灯" in page and "示例" in page
    red = client.get(f"/supervision/plans/{plan.pk}/lights/?colour=red").content.decode()
    assert "tl-green" not in red
    sheet = client.get(f"/supervision/plans/{plan.pk}/lights/?sheet=1").content.decode()
    assert "三色督办单" in sheet and "红灯" in sheet
    assert Client().get(f"/supervision/plans/{plan.pk}/lights/").status_code == 302


# 督查 findings in the task's light


def _finding_on_14(plan: Plan, deadline: dt.date = dt.date(2021, 6, 20)):  # type: ignore[no-untyped-def]
    """区委督查室 finds a problem on task 14 on 2021-04-15; the education bureau answers."""
    county = plan.org_unit
    create_member("zhuanban", "pw", role=Role.ADMIN, actor=None, org_unit=county)
    lead = Department.objects.get(org_unit=county, name="区教育和体育局")
    create_member("jiaoti", "pw", role=Role.DEPARTMENT, actor=None, department=lead)
    inspection = inspections.record_inspection(
        plan,
        method="regular",
        held_on=dt.date(2021, 4, 15),
        findings=[
            inspections.FindingSpec(plan.tasks.get(number=14), lead, "双师型教师认定滞后", deadline)
        ],
        actor=_user("zhuanban"),
    )
    return inspection.findings.get()


def _user(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _finding_reasons(plan: Plan, day: dt.date = DAY) -> list[tuple[str, str, str]]:
    light = light_of(plan, 14, day)
    return [(r.code, r.colour, r.text) for r in light.reasons if "督查" in r.text]


def test_an_overdue_finding_turns_its_task_red_naming_the_dates_and_the_department(
    plan: Plan,
) -> None:
    _finding_on_14(plan)
    light = light_of(plan, 14)
    assert light.colour == "red"
    assert _finding_reasons(plan) == [
        (
            "finding_overdue",
            "red",
            "2021-04-15 督查发现的问题（责任部门：区教育和体育局）"
            "整改时限 2021-06-20 已过 10 天，尚未销号",
        )
    ]
    # As of earlier days: near its deadline amber, with time to spare nothing, before the
    # inspection nothing at all.
    assert [r[:2] for r in _finding_reasons(plan, dt.date(2021, 6, 15))] == [
        ("finding_deadline_near", "amber")
    ]
    assert _finding_reasons(plan, dt.date(2021, 5, 1)) == []
    assert _finding_reasons(plan, dt.date(2021, 4, 1)) == []


def test_a_finding_closed_late_stays_on_the_task_as_history(plan: Plan, settings) -> None:  # type: ignore[no-untyped-def]
    finding = _finding_on_14(plan)
    settings.GAODI_TODAY = dt.date(2021, 6, 22)
    inspections.report_rectification(finding, rectification="已认定 12 名", actor=_user("jiaoti"))
    assert "待督查室销号" in _finding_reasons(plan)[0][2]
    settings.GAODI_TODAY = dt.date(2021, 6, 25)
    inspections.close_finding(finding, actor=_user("zhuanban"))
    assert _finding_reasons(plan) == [
        (
            "caught_up_late",
            "amber",
            "2021-04-15 督查发现的问题（责任部门：区教育和体育局）整改时限 2021-06-20，"
            "2021-06-25 才销号，逾期 5 天",
        )
    ]
    # As of the day before the 销号, it was still red.
    assert _finding_reasons(plan, dt.date(2021, 6, 24))[0][0] == "finding_overdue"


def test_the_lights_take_a_fixed_number_of_queries_however_many_findings(
    plan: Plan, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _finding_on_14(plan)
    with django_assert_max_num_queries(9):
        rows = plan_lights(plan, DAY)
    assert len(rows) == plan.tasks.count()
