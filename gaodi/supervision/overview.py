"""领导驾驶舱 (issue 5): the whole plan's state at a glance, as of a day, from the same queries
as the pages it links to, so that every figure on it can be followed to its records:

- the tasks by light, and the red ones with their reasons: board.plan_lights;
- 按时报送率 of the current and the last quarter: scorecards.reports_on_time, the (dispatch
  cycle, lead task) pairs the scorecards count;
- the department ranking, top and bottom: scorecards.scorecards for the current quarter;
- the 督查 findings not closed, and those past their 整改时限: board.task_findings (the facts
  the lights use), as of the day;
- 指标达成 this year and last year: scorecards.indicator_checks, the plan's indicators with a
  target for the year at the plan's org unit (this year's values usually arrive after it ends,
  so last year is shown beside it);
- the latest published 督导报告.

A fixed number of queries, whatever the size of the plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from gaodi.indicators.attainment import Colour, colour_label
from gaodi.indicators.periods import Period, parse_period, quarter_of
from gaodi.plans.models import Plan

from .board import TaskLight, plan_lights, task_findings
from .lights import Reason, TaskFinding
from .models import PublishedReport
from .scorecards import Card, IndicatorCheck, indicator_checks, reports_on_time, scorecards

COLOURS = (Colour.RED, Colour.AMBER, Colour.GREEN, Colour.GREY)
RANKED = 3  # departments shown at the top and at the bottom of the ranking


@dataclass(frozen=True)
class Timeliness:
    """按时报送 in one quarter: lead reports due by `as_of` and those submitted on time."""

    period: Period
    as_of: dt.date
    on_time: int
    due: int

    @property
    def rate(self) -> Decimal | None:
        """The percentage to 0.1, None when nothing was due."""
        if not self.due:
            return None
        return (Decimal(100 * self.on_time) / Decimal(self.due)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class OpenFinding:
    """A 督查 finding not closed as of the day, with its task."""

    task: TaskLight
    finding: TaskFinding
    overdue: bool


@dataclass(frozen=True)
class Attainment:
    """指标达成 in one year: the indicators with a target, those with a value, those met."""

    year: int
    checks: list[IndicatorCheck]

    @property
    def with_target(self) -> int:
        return len(self.checks)

    @property
    def reported(self) -> int:
        return sum(1 for c in self.checks if c.met is not None)

    @property
    def met(self) -> int:
        return sum(1 for c in self.checks if c.met)

    @property
    def missed(self) -> int:
        return self.reported - self.met


@dataclass
class Overview:
    today: dt.date
    lights: list[TaskLight]
    counts: dict[str, int]  # colour -> tasks
    timeliness: list[Timeliness]  # this quarter, then the last
    period: Period  # of the ranking
    cards: list[Card]  # the ranking, every department
    findings: list[OpenFinding]  # not closed as of today, overdue first
    attainment: list[Attainment]  # this year, then the last
    latest_report: PublishedReport | None

    @property
    def red(self) -> list[TaskLight]:
        return [row for row in self.lights if row.light.colour == Colour.RED]

    @property
    def red_rows(self) -> list[tuple[TaskLight, list[Reason]]]:
        """Each red task with its red reasons (the lights page has the rest)."""
        return [(row, [r for r in row.light.reasons if r.colour == Colour.RED]) for row in self.red]

    @property
    def scored(self) -> list[Card]:
        return [card for card in self.cards if card.total is not None]

    @property
    def top(self) -> list[Card]:
        return self.scored[:RANKED]

    @property
    def bottom(self) -> list[Card]:
        """The last RANKED scored departments, worst last, none of them also in `top`."""
        scored = self.scored
        return scored[max(RANKED, len(scored) - RANKED) :]

    @property
    def overdue_findings(self) -> list[OpenFinding]:
        return [f for f in self.findings if f.overdue]


def previous_quarter(day: dt.date) -> str:
    start = parse_period(quarter_of(day)).start
    return quarter_of(start - dt.timedelta(days=1))


def plan_overview(plan: Plan, today: dt.date) -> Overview:
    """Everything the 领导驾驶舱 shows, as of `today`."""
    lights = plan_lights(plan, today)
    counts = Counter(row.light.colour for row in lights)
    timeliness = [
        Timeliness(*reports_on_time(plan, period_id, today))
        for period_id in (quarter_of(today), previous_quarter(today))
    ]
    period, _as_of, cards = scorecards(plan, quarter_of(today), today, lights=(today, lights))
    checks = indicator_checks(plan, [today.year, today.year - 1])
    return Overview(
        today=today,
        lights=lights,
        counts={str(colour): counts[colour] for colour in COLOURS},
        timeliness=timeliness,
        period=period,
        cards=cards,
        findings=_open_findings(plan, lights, today),
        attainment=[Attainment(year, checks[year]) for year in (today.year, today.year - 1)],
        latest_report=plan.published_reports.order_by("-year", "-sequence").first(),
    )


def _open_findings(plan: Plan, lights: list[TaskLight], today: dt.date) -> list[OpenFinding]:
    by_task = {row.task.pk: row for row in lights}
    found = [
        OpenFinding(by_task[task_id], finding, finding.deadline < today)
        for task_id, findings in task_findings(plan, today).items()
        if task_id in by_task
        for finding in findings
        if not finding.closed_by(today)
    ]
    found.sort(key=lambda f: (not f.overdue, f.finding.deadline))
    return found


def charts(overview: Overview) -> dict[str, dict[str, Any]]:
    """The data of the page's charts for leader.js (floats: for drawing only)."""
    return {
        "lights": {
            "kind": "pie",
            "items": [
                {"name": colour_label(colour), "value": overview.counts[colour], "colour": colour}
                for colour in COLOURS
                if overview.counts[colour]
            ],
        },
        "ranking": {
            "kind": "bars",
            "unit": _("分"),
            "categories": [card.department.name for card in overview.scored],
            "series": [
                {"name": _("总分"), "data": [float(card.total or 0) for card in overview.scored]}
            ],
        },
        "attainment": {
            "kind": "stack",
            "unit": _("个"),
            "categories": [_("{year}年").format(year=row.year) for row in overview.attainment],
            "series": [
                {
                    "name": _("达到目标值"),
                    "colour": Colour.GREEN,
                    "data": [row.met for row in overview.attainment],
                },
                {
                    "name": _("未达到"),
                    "colour": Colour.RED,
                    "data": [row.missed for row in overview.attainment],
                },
                {
                    "name": _("未报实际值"),
                    "colour": Colour.GREY,
                    "data": [row.with_target - row.reported for row in overview.attainment],
                },
            ],
        },
    }
