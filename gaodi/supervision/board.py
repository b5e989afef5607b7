"""The traffic lights of a plan's tasks, from the records (the rules are in `lights`).

For each task: its deadlines; the lead department's reports in the dispatch cycles due so
far (submitted when, accepted as 已完成 when, the percent last reported); the 催办 sent; the
督查 findings on it (责任部门, the inspection's date, 整改时限, reported and 销号 dates).
Everything as of `today`. Eight queries for the whole plan, whatever its size.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Plan, Task

from .lights import Light, TaskFacts, TaskFinding, task_light
from .models import Chase, Cycle, InspectionFinding, ProgressReport, Schedule, TrackedItem


@dataclass(frozen=True)
class TaskLight:
    task: Task
    light: Light
    lead: str


def task_starts(plan: Plan) -> dict[int, dt.date]:
    """Task id -> the day a task issued after the plan started counting: a 会议交办 or
    领导批示 item (TrackedItem) counts from its issue date; the plan's own tasks are absent
    (they count from the plan's issue date)."""
    return dict(TrackedItem.objects.filter(plan=plan).values_list("task_id", "issued_on"))


def counts_for(cycle: Cycle, start: dt.date | None) -> bool:
    """A dispatch round asks for a task's report when it ends on or after the task started."""
    return start is None or cycle.ends_on >= start


def plan_lights(plan: Plan, today: dt.date) -> list[TaskLight]:
    """Every task of the plan with its light, in the plan's order."""
    tasks = list(
        plan.tasks.select_related("section").prefetch_related(
            "deadlines", "assignments__department"
        )
    )
    started = plan.issue_date or today
    starts = task_starts(plan)
    cycles = list(
        Cycle.objects.filter(
            schedule__plan=plan, schedule__kind=Schedule.Kind.DISPATCH, due_on__lte=today
        ).order_by("starts_on")
    )
    reports = _lead_reports(plan, today)
    chases = defaultdict(list)
    for chase in Chase.objects.filter(task__plan=plan):
        chases[chase.task_id].append((chase.chased_on, chase.answered_on))
    findings = task_findings(plan, today)
    found = []
    for task in tasks:
        mine = reports.get(task.pk, [])
        start = starts.get(task.pk)
        facts = TaskFacts(
            started_on=start or started,
            deadlines=tuple(d.date for d in task.deadlines.all()),
            done_on=_done_on(mine),
            percent=_percent(mine),
            reports_due=tuple(
                (cycle.period, cycle.due_on, _submitted_on(mine, cycle.pk))
                for cycle in cycles
                if counts_for(cycle, start)
            ),
            chases=tuple(chases[task.pk]),
            findings=tuple(findings.get(task.pk, ())),
        )
        leads = [a.department.name for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
        found.append(TaskLight(task, task_light(facts, today), "、".join(leads)))
    return found


def task_findings(plan: Plan, today: dt.date) -> dict[int, list[TaskFinding]]:
    """Task id -> the findings of the plan's inspections held by `today`, by 整改时限."""
    found: dict[int, list[TaskFinding]] = defaultdict(list)
    rows = (
        InspectionFinding.objects.filter(inspection__plan=plan, inspection__held_on__lte=today)
        .order_by("deadline", "pk")
        .values_list(
            "task_id",
            "department__name",
            "inspection__held_on",
            "deadline",
            "status",
            "rectified_on",
            "closed_on",
        )
    )
    for task_id, department, held_on, deadline, status, reported_on, closed_on in rows:
        found[task_id].append(
            TaskFinding(department, held_on, deadline, status, reported_on, closed_on)
        )
    return found


def _lead_reports(plan: Plan, today: dt.date) -> dict[int, list[ProgressReport]]:
    """Lead reports submitted by `today` (what happened after it has not happened yet)."""
    found: dict[int, list[ProgressReport]] = defaultdict(list)
    rows = ProgressReport.objects.filter(
        task__plan=plan, tier=ProgressReport.Tier.LEAD, submitted_at__isnull=False
    ).order_by("submitted_at")
    for report in rows:
        if _day(report.submitted_at) > today:  # type: ignore[operator]
            continue
        found[report.task_id].append(report)
    return found


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _submitted_on(reports: list[ProgressReport], cycle_id: int) -> dt.date | None:
    days = [_day(r.submitted_at) for r in reports if r.cycle_id == cycle_id]
    return min((d for d in days if d), default=None)


def _done_on(reports: list[ProgressReport]) -> dt.date | None:
    done = [
        _day(r.submitted_at)
        for r in reports
        if r.status == ProgressReport.Status.ACCEPTED and r.progress == ProgressReport.Progress.DONE
    ]
    return min((d for d in done if d), default=None)


def _percent(reports: list[ProgressReport]) -> Decimal | None:
    for report in reversed(reports):
        if report.percent is not None:
            return Decimal(report.percent)
    return None
