"""部门评分 (issue 5), the records: each department that leads tasks of a plan, scored for a
period (a quarter 2021Q2 or a year 2021) as of a day, computed live (nothing stored).

`as_of` is the earlier of today and the period's last day: what had not happened by then
is not counted. The components and the ids they keep (scoring.Component):

- 进展报告按时报送 (reports_on_time): the (dispatch cycle, lead task) pairs whose cycle is due
  within the period by `as_of`. The id of a pair is the id of its lead ProgressReport of this
  department — the first version submitted by `as_of`, else the latest version (a draft).
  A pair without any report is counted as the NEGATIVE id of its cycle (-cycle.pk), and the
  pair is listed in `Card.missing`. Passed: the report was submitted on or before the
  cycle's due date.
- 牵头任务按进度推进 (tasks_on_schedule): Task ids of the department's lead tasks; passed when
  the task's light (board.plan_lights as of `as_of`) is not red.
- 任务时限按期完成 (deadlines_met): Deadline ids of its lead tasks dated within the period by
  `as_of`; passed when a lead report of this department on the task, accepted as 已完成, had
  been submitted by the deadline.
- 督查问题按期整改销号 (findings_rectified): InspectionFinding ids of the department on the plan
  whose 整改时限 falls within the period by `as_of`; passed when closed (销号) by the deadline.
- 指标达成 (indicators_attained): not computed yet (weight 0, counts nothing).

No clicks, log-ins or online time: see scoring.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from gaodi.indicators.periods import Period, parse_period
from gaodi.orgs.models import Department
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Assignment, Deadline, Plan

from . import scoring
from .board import plan_lights
from .models import Cycle, InspectionFinding, ProgressReport, Schedule


@dataclass
class Card:
    department: Department
    total: Decimal | None
    rows: list[scoring.Explained]
    missing: list[tuple[int, int]] = field(default_factory=list)  # (cycle id, task id)
    rank: int | None = None


def as_of_day(period: Period, today: dt.date) -> dt.date:
    return min(today, period.end)


def scorecards(
    plan: Plan, period_id: str, today: dt.date, weights: dict[str, int] | None = None
) -> tuple[Period, dt.date, list[Card]]:
    """Every department leading tasks of the plan, ranked by total (ties, and the unscored at
    the end, by name). Raises periods.PeriodError on a bad period id."""
    period = parse_period(period_id)
    as_of = as_of_day(period, today)
    used = dict(scoring.DEFAULT_WEIGHTS, **(weights or {}))
    leads: dict[int, list[int]] = defaultdict(list)
    for department_id, task_id in (
        Assignment.objects.filter(task__plan=plan, role=AssignmentRole.LEAD)
        .order_by("task__order")
        .values_list("department_id", "task_id")
    ):
        if task_id not in leads[department_id]:
            leads[department_id].append(task_id)
    departments = Department.objects.filter(pk__in=leads).order_by("name")
    red = {row.task.pk for row in plan_lights(plan, as_of) if row.light.colour == "red"}
    cycles = list(
        Cycle.objects.filter(
            schedule__plan=plan,
            schedule__kind=Schedule.Kind.DISPATCH,
            due_on__gte=period.start,
            due_on__lte=as_of,
        ).order_by("due_on", "pk")
    )
    cards = []
    for department in departments:
        tasks = leads[department.pk]
        reports, missing = _reports(plan, department.pk, tasks, cycles, as_of)
        components = [
            reports,
            _on_schedule(tasks, red),
            _deadlines(department.pk, tasks, period, as_of),
            _findings(plan, department.pk, period, as_of),
            scoring.Component(scoring.INDICATORS_ATTAINED, 0, (), ()),
        ]
        components = [
            scoring.Component(c.name, used.get(c.name, 0), c.counted_ids, c.passed_ids)
            for c in components
        ]
        total, rows = scoring.department_score(components, used)
        cards.append(Card(department, total, rows, missing))
    cards.sort(key=lambda c: (c.total is None, -(c.total or 0), c.department.name))
    for n, card in enumerate(cards, start=1):
        if card.total is not None:
            card.rank = n
    return period, as_of, cards


def submitted_day(report: ProgressReport) -> dt.date | None:
    return timezone.localdate(report.submitted_at) if report.submitted_at else None


def _reports(
    plan: Plan, department_id: int, tasks: list[int], cycles: list[Cycle], as_of: dt.date
) -> tuple[scoring.Component, list[tuple[int, int]]]:
    chains: dict[tuple[int, int], list[ProgressReport]] = defaultdict(list)
    for report in ProgressReport.objects.filter(
        cycle__in=cycles, task_id__in=tasks, department_id=department_id, tier="lead"
    ).order_by("version"):
        chains[(report.cycle_id, report.task_id)].append(report)
    counted, passed, missing = [], [], []
    for cycle in cycles:
        for task_id in tasks:
            chain = chains.get((cycle.pk, task_id), [])
            submitted = [r for r in chain if (d := submitted_day(r)) and d <= as_of]
            if submitted:
                first = min(submitted, key=lambda r: r.submitted_at)  # type: ignore[arg-type,return-value]
                counted.append(first.pk)
                if submitted_day(first) <= cycle.due_on:  # type: ignore[operator]
                    passed.append(first.pk)
            elif chain:
                counted.append(chain[-1].pk)
            else:
                counted.append(-cycle.pk)
                missing.append((cycle.pk, task_id))
    component = scoring.Component(scoring.REPORTS_ON_TIME, 0, tuple(counted), tuple(passed))
    return component, missing


def _on_schedule(tasks: list[int], red: set[int]) -> scoring.Component:
    return scoring.Component(
        scoring.TASKS_ON_SCHEDULE, 0, tuple(tasks), tuple(t for t in tasks if t not in red)
    )


def _deadlines(
    department_id: int, tasks: list[int], period: Period, as_of: dt.date
) -> scoring.Component:
    deadlines = list(
        Deadline.objects.filter(
            task_id__in=tasks, date__gte=period.start, date__lte=as_of
        ).order_by("date", "pk")
    )
    done: dict[int, dt.date] = {}
    for report in ProgressReport.objects.filter(
        task_id__in=tasks,
        department_id=department_id,
        tier="lead",
        status=ProgressReport.Status.ACCEPTED,
        progress=ProgressReport.Progress.DONE,
        submitted_at__isnull=False,
    ):
        day = submitted_day(report)
        if day is not None and (report.task_id not in done or day < done[report.task_id]):
            done[report.task_id] = day
    passed = tuple(d.pk for d in deadlines if d.task_id in done and done[d.task_id] <= d.date)
    return scoring.Component(scoring.DEADLINES_MET, 0, tuple(d.pk for d in deadlines), passed)


def _findings(plan: Plan, department_id: int, period: Period, as_of: dt.date) -> scoring.Component:
    findings = list(
        InspectionFinding.objects.filter(
            inspection__plan=plan,
            department_id=department_id,
            deadline__gte=period.start,
            deadline__lte=as_of,
        ).order_by("deadline", "pk")
    )
    passed = tuple(
        f.pk
        for f in findings
        if f.status == InspectionFinding.Status.CLOSED
        and f.closed_on is not None
        and f.closed_on <= f.deadline
    )
    return scoring.Component(scoring.FINDINGS_RECTIFIED, 0, tuple(f.pk for f in findings), passed)
