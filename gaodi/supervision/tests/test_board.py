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
