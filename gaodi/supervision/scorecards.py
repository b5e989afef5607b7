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
  the task's light (board.plan_lights as of `as_of`, which counts 督查 findings too) is not red.
- 任务时限按期完成 (deadlines_met): Deadline ids of its lead tasks dated within the period by
  `as_of`; passed when a lead report of this department on the task, accepted as 已完成, had
  been submitted by the deadline.
- 督查问题按期整改销号 (findings_rectified): InspectionFinding ids of the department on the plan
  whose 整改时限 falls within the period by `as_of`; passed when closed (销号) by the deadline.
- 牵头任务指标达到年度目标值 (indicators_attained): Indicator ids linked to its lead tasks
  (指标 "衡量的任务") that have a target (not the 现有基础) for the period's year at the plan's
  org unit, and a value for that year; passed when the value meets the target as
  indicators.attainment decides (完成进度 ≥ 100 %, from the baseline, a decrease when the
  target is below it). The value is the plan's org unit's, live as on the 指标看板 (its own,
  else the sum of the units below, a ratio recomputed from its parts).
  Decision: an indicator without a value for the year is NOT COUNTED (neither passed nor
  failed) and is listed in `Card.indicators` as 未报实际值. The values come from the schools
  through data collection, on its own calendar (a year's value arrives after the year ends),
  not from the lead department; counting them as failed would zero this component for every
  quarter of the current year. So a quarter's score counts its year's indicators only once
  the values are in, and a year's score can change when they arrive.

No clicks, log-ins or online time: see scoring.py. The weights are the plan's
(score_weights.weights_of), unless the caller passes its own. A fixed number of queries,
whatever the number of departments.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from gaodi.indicators.attainment import attainment
from gaodi.indicators.dashboard import Actuals, targets_of
from gaodi.indicators.models import Indicator
from gaodi.indicators.periods import Period, parse_period
from gaodi.orgs.models import Department
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Assignment, Deadline, Plan

from . import scoring
from .board import TaskLight, counts_for, plan_lights, task_starts
from .models import Cycle, InspectionFinding, ProgressReport, Schedule
from .score_weights import weights_of


@dataclass(frozen=True)
class IndicatorCheck:
    """One indicator of a department's lead tasks against its target for the year."""

    indicator_id: int
    name: str
    unit: str
    year: int
    target: Decimal
    actual: Decimal | None  # None: no value for the year yet (not counted)
    met: bool | None  # the value meets the target (attainment ≥ 1); None without a value
    tasks: frozenset[int] = frozenset()  # the ids of the tasks it measures


@dataclass
class Card:
    department: Department
    total: Decimal | None
    rows: list[scoring.Explained]
    missing: list[tuple[int, int]] = field(default_factory=list)  # (cycle id, task id)
    rank: int | None = None
    indicators: list[IndicatorCheck] = field(default_factory=list)  # counted and unreported


def as_of_day(period: Period, today: dt.date) -> dt.date:
    return min(today, period.end)


def scorecards(
    plan: Plan,
    period_id: str,
    today: dt.date,
    weights: dict[str, int] | None = None,
    *,
    lights: tuple[dt.date, list[TaskLight]] | None = None,
) -> tuple[Period, dt.date, list[Card]]:
    """Every department leading tasks of the plan, ranked by total (ties, and the unscored at
    the end, by name). Raises periods.PeriodError on a bad period id. `lights`: the plan's
    lights already computed for a day (the 领导驾驶舱 has them), used when that day is the
    period's as-of day instead of computing them again."""
    period = parse_period(period_id)
    as_of = as_of_day(period, today)
    used = weights_of(plan) if weights is None else {**scoring.DEFAULT_WEIGHTS, **weights}
    leads = lead_tasks(plan)
    departments = Department.objects.filter(pk__in=leads).order_by("name")
    rows = lights[1] if lights is not None and lights[0] == as_of else plan_lights(plan, as_of)
    red = {row.task.pk for row in rows if row.light.colour == "red"}
    records = _Records(plan, period, as_of)
    cards = []
    for department in departments:
        tasks = leads[department.pk]
        reports, missing = records.reports(department.pk, tasks)
        checks = records.indicators(tasks)
        components = [
            reports,
            _on_schedule(tasks, red),
            records.deadlines(department.pk, tasks),
            records.findings(department.pk),
            _indicators_component(checks),
        ]
        components = [
            scoring.Component(c.name, used.get(c.name, 0), c.counted_ids, c.passed_ids)
            for c in components
        ]
        total, rows = scoring.department_score(components, used)
        cards.append(Card(department, total, rows, missing, indicators=checks))
    cards.sort(key=lambda c: (c.total is None, -(c.total or 0), c.department.name))
    for n, card in enumerate(cards, start=1):
        if card.total is not None:
            card.rank = n
    return period, as_of, cards


def submitted_day(report: ProgressReport) -> dt.date | None:
    return timezone.localdate(report.submitted_at) if report.submitted_at else None


def lead_tasks(plan: Plan) -> dict[int, list[int]]:
    """Department id -> the ids of the tasks it leads, in the plan's order."""
    leads: dict[int, list[int]] = defaultdict(list)
    for department_id, task_id in (
        Assignment.objects.filter(task__plan=plan, role=AssignmentRole.LEAD)
        .order_by("task__order")
        .values_list("department_id", "task_id")
    ):
        if task_id not in leads[department_id]:
            leads[department_id].append(task_id)
    return leads


class _Records:
    """The plan's records for the period, each kind read once for every department."""

    def __init__(self, plan: Plan, period: Period, as_of: dt.date) -> None:
        self.as_of = as_of
        self.cycles = _dispatch_cycles(plan, period, as_of)
        self.chains = _report_chains(plan, self.cycles)
        self.starts = task_starts(plan)
        self.all_deadlines = list(
            Deadline.objects.filter(
                task__plan=plan, date__gte=period.start, date__lte=as_of
            ).order_by("date", "pk")
        )
        self.done = _done_days(plan)
        self.all_findings = list(
            InspectionFinding.objects.filter(
                inspection__plan=plan, deadline__gte=period.start, deadline__lte=as_of
            ).order_by("deadline", "pk")
        )
        self.checks = indicator_checks(plan, [period.year])[period.year]

    def reports(
        self, department_id: int, tasks: list[int]
    ) -> tuple[scoring.Component, list[tuple[int, int]]]:
        return _reports(
            self.chains.get(department_id, {}), self.cycles, tasks, self.as_of, self.starts
        )

    def deadlines(self, department_id: int, tasks: list[int]) -> scoring.Component:
        mine = [d for d in self.all_deadlines if d.task_id in tasks]
        done = self.done.get(department_id, {})
        passed = tuple(d.pk for d in mine if d.task_id in done and done[d.task_id] <= d.date)
        return scoring.Component(scoring.DEADLINES_MET, 0, tuple(d.pk for d in mine), passed)

    def findings(self, department_id: int) -> scoring.Component:
        mine = [f for f in self.all_findings if f.department_id == department_id]
        passed = tuple(
            f.pk
            for f in mine
            if f.status == InspectionFinding.Status.CLOSED
            and f.closed_on is not None
            and f.closed_on <= f.deadline
        )
        return scoring.Component(scoring.FINDINGS_RECTIFIED, 0, tuple(f.pk for f in mine), passed)

    def indicators(self, tasks: list[int]) -> list[IndicatorCheck]:
        """The checks of the indicators measuring any of these tasks, once each, in the
        registry's order."""
        return [check for check in self.checks if check.tasks & set(tasks)]


def reports_on_time(plan: Plan, period_id: str, today: dt.date) -> tuple[Period, dt.date, int, int]:
    """按时报送: the (dispatch cycle, lead task) pairs due in the period by `as_of`, for every
    lead department, counted as the scorecards count them: (period, as_of, on time, due).
    Raises periods.PeriodError on a bad period id."""
    period = parse_period(period_id)
    as_of = as_of_day(period, today)
    cycles = _dispatch_cycles(plan, period, as_of)
    chains = _report_chains(plan, cycles)
    starts = task_starts(plan)
    passed = counted = 0
    for department_id, tasks in lead_tasks(plan).items():
        component, _missing = _reports(chains.get(department_id, {}), cycles, tasks, as_of, starts)
        passed += component.passed
        counted += component.counted
    return period, as_of, passed, counted


def _dispatch_cycles(plan: Plan, period: Period, as_of: dt.date) -> list[Cycle]:
    return list(
        Cycle.objects.filter(
            schedule__plan=plan,
            schedule__kind=Schedule.Kind.DISPATCH,
            due_on__gte=period.start,
            due_on__lte=as_of,
        ).order_by("due_on", "pk")
    )


def _reports(
    chains: dict[tuple[int, int], list[ProgressReport]],
    cycles: list[Cycle],
    tasks: list[int],
    as_of: dt.date,
    starts: dict[int, dt.date] | None = None,
) -> tuple[scoring.Component, list[tuple[int, int]]]:
    """One department's (cycle, lead task) pairs: the ids counted and passed, and the pairs
    without any report (see the module's docstring). A task issued later (a TrackedItem,
    `starts`) counts only the rounds that end on or after its issue date."""
    counted, passed, missing = [], [], []
    for cycle in cycles:
        for task_id in tasks:
            if not counts_for(cycle, (starts or {}).get(task_id)):
                continue
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


def _report_chains(
    plan: Plan, cycles: list[Cycle]
) -> dict[int, dict[tuple[int, int], list[ProgressReport]]]:
    """Department -> (cycle, task) -> its lead report versions, oldest first."""
    found: dict[int, dict[tuple[int, int], list[ProgressReport]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for report in ProgressReport.objects.filter(
        cycle__in=cycles, task__plan=plan, tier=ProgressReport.Tier.LEAD
    ).order_by("version", "pk"):
        found[report.department_id][(report.cycle_id, report.task_id)].append(report)
    return found


def _done_days(plan: Plan) -> dict[int, dict[int, dt.date]]:
    """Department -> task -> the first day a lead report of it, accepted as 已完成, was
    submitted."""
    found: dict[int, dict[int, dt.date]] = defaultdict(dict)
    for report in ProgressReport.objects.filter(
        task__plan=plan,
        tier=ProgressReport.Tier.LEAD,
        status=ProgressReport.Status.ACCEPTED,
        progress=ProgressReport.Progress.DONE,
        submitted_at__isnull=False,
    ):
        day = submitted_day(report)
        mine = found[report.department_id]
        if day is not None and (report.task_id not in mine or day < mine[report.task_id]):
            mine[report.task_id] = day
    return found


def _on_schedule(tasks: list[int], red: set[int]) -> scoring.Component:
    return scoring.Component(
        scoring.TASKS_ON_SCHEDULE, 0, tuple(tasks), tuple(t for t in tasks if t not in red)
    )


def indicator_checks(plan: Plan, years: Sequence[int]) -> dict[int, list[IndicatorCheck]]:
    """Year -> every indicator of the plan with a target (not the 现有基础) for that year at the
    plan's org unit, checked against the unit's value for the year (live, as on the 指标看板),
    in the registry's order, each with the tasks it measures. A fixed number of queries."""
    measured: dict[int, set[int]] = defaultdict(set)
    for indicator_id, task_id in Indicator.tasks.through.objects.filter(
        indicator__plan=plan
    ).values_list("indicator_id", "task_id"):
        measured[indicator_id].add(task_id)
    unit_id = plan.org_unit_id
    actuals = Actuals(plan, plan.org_unit, years)
    indicators = sorted(actuals.indicators.values(), key=lambda i: i.order)
    targets = targets_of(indicators, [unit_id])
    found: dict[int, list[IndicatorCheck]] = {year: [] for year in years}
    for indicator in indicators:
        entry = targets.get((indicator.pk, unit_id))
        for year in years:
            goal = entry.goal(year) if entry else None
            if goal is None:
                continue
            actual = actuals.value(indicator, unit_id, year)
            progress = attainment(actual, goal)
            check = IndicatorCheck(
                indicator.pk,
                indicator.name,
                indicator.unit,
                year,
                goal.target,
                actual,
                None if progress is None else progress >= 1,
                frozenset(measured.get(indicator.pk, ())),
            )
            found[year].append(check)
    return found


def _indicators_component(checks: list[IndicatorCheck]) -> scoring.Component:
    counted = tuple(c.indicator_id for c in checks if c.met is not None)
    passed = tuple(c.indicator_id for c in checks if c.met)
    return scoring.Component(scoring.INDICATORS_ATTAINED, 0, counted, passed)
