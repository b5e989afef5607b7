"""The demo's supervision history: labelled, dated back, and every light colour has a case."""

from __future__ import annotations

import datetime as dt

import pytest

from gaodi.audit.models import ChangeRecord
from gaodi.demo import set_up_demo
from gaodi.plans.models import Plan
from gaodi.supervision.board import plan_lights
from gaodi.supervision.models import (
    Chase,
    Handover,
    Inspection,
    InspectionFinding,
    Meeting,
    ProgressReport,
    Request,
    TrackedItem,
)

pytestmark = pytest.mark.django_db

DEMO = "【演示数据】"
DAY = dt.date(2021, 6, 30)


@pytest.fixture
def plan(settings) -> Plan:  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = DAY
    found, _logins = set_up_demo()
    return found


def test_the_demo_has_a_believable_labelled_year_of_supervision(plan: Plan) -> None:
    assert Handover.objects.filter(acknowledged_at__isnull=True).count() == 2
    reports = ProgressReport.objects.filter(task__plan=plan)
    assert all(r.narrative.startswith(DEMO) for r in reports)
    assert reports.filter(status="returned", version=1).count() == 1
    # 重点任务（三）, （十五）, （十六） and the 会议交办 item (the demo once had only the first).
    assert reports.filter(status="accepted", progress="done").count() == 4
    assert all(r.submitted_at.year in (2020, 2021) for r in reports)
    assert Request.objects.get().status == "approved"
    answered = Chase.objects.get(answered_on__isnull=False)
    assert answered.answered_on == dt.date(2021, 5, 12)
    lights = {row.task.number: row.light for row in plan_lights(plan, DAY)}
    assert lights[3].colour == "green" and lights[3].code == "done"
    assert lights[14].colour != "red"  # reported on time every round
    assert "caught_up_late" in {r.code for r in lights[2].reasons}  # one round reported late
    assert lights[17].colour == "red"  # 区委组织部 has not reported


def test_several_lead_departments_report_some_late_some_missing(plan: Plan) -> None:
    leads = ProgressReport.objects.filter(task__plan=plan, tier="lead")
    departments = set(leads.values_list("department__name", flat=True))
    assert {
        "区教育和体育局",
        "区财政局",
        "区人力资源和社会保障局",
        "区发展和改革委员会",
    } <= departments
    parts = ProgressReport.objects.filter(task__plan=plan, tier="part")
    assert parts.filter(department__name="区发展和改革委员会", task__number=1).exists()
    assert all(p.status == "submitted" and p.reviewed_at is None for p in parts)
    lights = {row.task.number: row.light for row in plan_lights(plan, DAY)}
    funding = {r.code for r in lights[1].reasons}  # 区财政局: the last round missing
    assert lights[1].colour == "red" and "report_late" in funding
    assert lights[7].colour == "green"  # 区人力资源和社会保障局: late once, on time since
    assert lights[15].code == lights[16].code == "done"


def test_two_inspections_have_a_closed_an_overdue_and_a_reported_finding(plan: Plan) -> None:
    inspections = Inspection.objects.filter(plan=plan).order_by("held_on")
    assert [(i.held_on, i.cycle.period) for i in inspections] == [
        (dt.date(2020, 12, 16), "2020Q4"),
        (dt.date(2021, 6, 9), "2021Q2"),
    ]
    findings = InspectionFinding.objects.filter(inspection__plan=plan)
    assert all(f.problem.startswith(DEMO) for f in findings)
    closed = findings.get(status="closed")
    assert closed.closed_on is not None and closed.closed_on <= closed.deadline
    overdue = findings.get(status="open")
    assert overdue.deadline < DAY and overdue.department.name == "区财政局"
    waiting = findings.get(status="reported")
    assert waiting.rectified_on is not None and waiting.deadline >= DAY
    lights = {row.task.number: row.light for row in plan_lights(plan, DAY)}
    assert "finding_overdue" in {r.code for r in lights[1].reasons}
    for finding in findings:  # made through the services: each has its change record
        assert ChangeRecord.objects.filter(
            object_type="supervision.inspectionfinding", object_id=str(finding.pk)
        ).exists()


def test_meetings_and_their_tracked_items_are_followed_like_tasks(plan: Plan) -> None:
    meetings = Meeting.objects.filter(plan=plan)
    assert set(meetings.values_list("kind", flat=True)) == {"leading_group", "joint"}
    assert all(m.title.startswith(DEMO) and m.decisions.startswith(DEMO) for m in meetings)
    items = {i.source: i for i in TrackedItem.objects.filter(plan=plan)}
    assert set(items) == {"meeting", "instruction"}
    assert items["meeting"].meeting.kind == "leading_group"
    assert items["instruction"].leader and items["instruction"].meeting is None
    lights = {row.task.pk: row for row in plan_lights(plan, DAY)}
    decided = lights[items["meeting"].task_id]
    assert decided.light.code == "done" and decided.lead == "区教育和体育局"
    instructed = lights[items["instruction"].task_id]
    assert instructed.light.colour == "red" and instructed.lead == "区发展和改革委员会"
    codes = {r.code for r in instructed.light.reasons}
    assert {"report_late", "chase_unanswered"} <= codes
    assert items["instruction"].task.label == "会议交办和领导批示（二十五）"
    assert plan.tasks.count() == 25  # the plan's 23 and the two tracked items
    assert ChangeRecord.objects.filter(object_type="supervision.meeting").count() == 2


def test_running_the_demo_again_adds_nothing(plan: Plan, settings) -> None:  # type: ignore[no-untyped-def]
    def counts() -> list[int]:
        return [
            ProgressReport.objects.count(),
            Inspection.objects.count(),
            InspectionFinding.objects.count(),
            Meeting.objects.count(),
            TrackedItem.objects.count(),
            plan.tasks.count(),
            Chase.objects.count(),
            Request.objects.count(),
            ChangeRecord.objects.count(),
        ]

    before = counts()
    set_up_demo()
    assert counts() == before
