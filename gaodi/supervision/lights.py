"""Traffic lights for tasks (红黄绿灯 / 三色督办, issue 5), pure: dates and records in, a light out.

The caller gathers a task's facts from the database (`TaskFacts`) and passes "today" (the
GAODI_TODAY setting); nothing here reads the clock. A record dated after today has not
happened yet as of today (a demo run as of 2021-06-30 ignores a report submitted in July).

Every reason that applies is kept, most severe first; the light takes the worst colour.

- red (红灯): a deadline has passed and the task is not done (`overdue`, one reason per passed
  deadline, not only the final one); a report cycle is past its due date with no report
  (`report_late`); a 催办 has gone unanswered for more than `chase_answer_days` days
  (`chase_unanswered`); a 督查 finding on the task is past its 整改时限 and not closed (整改销号),
  whether or not a rectification has been reported (`finding_overdue`, one per finding).
- amber (黄灯): a lag that was red has been made up (`caught_up_late`, see below); reported
  progress trails 序时进度 (`expected_percent` to the final deadline) by more than
  `behind_points` percentage points (`behind_schedule`); an open deadline is at most
  `near_deadline_days` days away (`deadline_near`); a finding not closed has its 整改时限 at
  most `finding_near_days` days away (`finding_deadline_near`).
- green (绿灯): reported 已完成 (`done`; its findings still count, see below); otherwise, with
  nothing above, `on_track`, or `no_deadline` for a task without a deadline.
- grey (灰灯): the task has not started counting yet (`not_started`), with nothing above.

Made-up lags (`caught_up_late`). The 督查督办 practice Gaodi follows (温州瓯海 2020: monthly
绿/红/黄, red turning yellow once a lag is made up) decides the colour: a report submitted after
its due date, or a 催办 answered after the window, turns the light amber, not green, until a
report cycle due after the make-up is submitted on time; then the lag is history. The codes in
`was_red` (kept by the caller, e.g. `overdue` before an approved 延期申请 moved the deadline)
show as amber `caught_up_late` as long as the caller keeps them, unless the records already
account for that code. A done task is green: finishing after the final deadline, and the
`was_red` history, stay visible as green `caught_up_late` reasons (完成但逾期).

督查 findings (`TaskFinding`, from InspectionFinding). A finding counts from the day of its
inspection; its state is taken as of today (a rectification reported, or a 销号, dated after
today has not happened yet; a finding sent back by the inspector is open again). Decisions:

- An open finding with time to spare does not colour the task: the inspector set the
  window, and the finding's own light (inspection_light.py) shows it on the 督查 page; making
  every inspected task amber would flag being inspected rather than being late. Within
  `finding_near_days` (7, inspection_light.NEAR_DAYS, 示例) of its 整改时限 it turns the task
  amber, as a near task deadline does, reported or not (a reported one still waits for 销号).
- Past its 整改时限 and not closed: red `finding_overdue`.
- Closed after its 整改时限 (逾期销号): a made-up lag like a late report, amber
  `caught_up_late` until a report cycle due after the 销号 is reported on time, then history.
- A finding is about how the work is done, and 已完成 does not close it — 整改销号 does: a
  done task with an overdue finding is red, with one near its 整改时限 amber, and a finding
  closed late stays visible as a green `caught_up_late` reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gaodi.i18n import _
from gaodi.indicators.attainment import Colour, colour_label, number

from .inspection_light import CLOSED, NEAR_DAYS, OPEN

HUNDRED = Decimal(100)
SEVERITY = (Colour.RED, Colour.AMBER, Colour.GREEN, Colour.GREY)  # most severe first

OVERDUE = "overdue"
REPORT_LATE = "report_late"
CHASE_UNANSWERED = "chase_unanswered"
FINDING_OVERDUE = "finding_overdue"
FINDING_DEADLINE_NEAR = "finding_deadline_near"
CAUGHT_UP_LATE = "caught_up_late"
BEHIND_SCHEDULE = "behind_schedule"
DEADLINE_NEAR = "deadline_near"
DONE = "done"
ON_TRACK = "on_track"
NO_DEADLINE = "no_deadline"
NOT_STARTED = "not_started"

ReportDue = tuple[str, date, date | None]  # (cycle period, due on, submitted on or None)
Chase = tuple[date, date | None]  # (chased on, answered on or None)


@dataclass(frozen=True)
class Thresholds:
    """When a task's light changes colour. Gaodi defaults (示例), not rules of the plan: each
    district sets its own."""

    near_deadline_days: int = 15  # amber when an open deadline is within this many days
    behind_points: Decimal = Decimal(10)  # amber when progress trails 序时进度 by more points
    chase_answer_days: int = 5  # red when a 催办 is unanswered after this many days
    finding_near_days: int = NEAR_DAYS  # amber when a finding's 整改时限 is this close


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class TaskFinding:
    """A 督查 finding on the task, as stored (InspectionFinding and its inspection's date)."""

    department: str  # 责任部门
    found_on: date  # the inspection's date
    deadline: date  # 整改时限
    status: str = OPEN  # open / reported / closed, as stored now
    reported_on: date | None = None  # 报送整改日期 (kept when the inspector sends it back)
    closed_on: date | None = None  # 销号日期

    def closed_by(self, today: date) -> bool:
        return self.status == CLOSED and _happened(self.closed_on, today)

    def reported_by(self, today: date) -> bool:
        """Reported and waiting for 销号 as of today (a returned finding is open again)."""
        return self.status != OPEN and _happened(self.reported_on, today)


@dataclass(frozen=True)
class TaskFacts:
    """What the light needs, gathered by the caller from the database."""

    started_on: date  # when the task starts counting (the plan's issue date, or its own)
    deadlines: tuple[date, ...]  # the task's deadlines; the final one is the latest
    done_on: date | None  # when it was reported 已完成 (accepted); None if not done
    percent: Decimal | None  # latest reported progress percent; None if not reported
    reports_due: tuple[ReportDue, ...]  # the cycles due so far
    chases: tuple[Chase, ...]  # the 催办 sent
    was_red: tuple[str, ...] = ()  # reason codes it had been red for before
    findings: tuple[TaskFinding, ...] = ()  # the 督查 findings on the task


@dataclass(frozen=True)
class Reason:
    """One reason for a light: its code, its own colour and a Chinese sentence with the
    dates and numbers."""

    code: str
    colour: str
    text: str


@dataclass(frozen=True)
class Light:
    """A task's traffic light: the worst colour of its reasons, every reason most severe
    first."""

    colour: str
    reasons: tuple[Reason, ...]

    @property
    def code(self) -> str:
        return self.reasons[0].code

    @property
    def label(self) -> str:
        """红灯 / 黄灯 / 绿灯 / 灰灯."""
        return colour_label(Colour(self.colour))


@dataclass(frozen=True)
class _Lag:
    """A red lag that was made up: which red code it was, and when it was made up."""

    origin: str
    made_up_on: date
    text: str


def expected_percent(started_on: date, deadline: date, today: date) -> Decimal:
    """序时进度: the share of the days from the start to the deadline that have passed, as a
    percent from 0 (on or before the start) to 100 (on or after the deadline)."""
    if today >= deadline:
        return HUNDRED
    if today <= started_on:
        return Decimal(0)
    return Decimal((today - started_on).days) * HUNDRED / Decimal((deadline - started_on).days)


def task_light(facts: TaskFacts, today: date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Light:
    """The task's 红黄绿灯 as of `today` (see the module's docstring for the rules)."""
    findings = [f for f in facts.findings if _happened(f.found_on, today)]
    open_findings = _open_findings(findings, today, thresholds)
    if _happened(facts.done_on, today):
        return _light([*open_findings, *_done_reasons(facts, findings, today)])
    red = [
        *_overdue(facts.deadlines, today),
        *_late_reports(facts.reports_due, today),
        *_unanswered_chases(facts.chases, today, thresholds),
        *(reason for reason in open_findings if reason.colour == Colour.RED),
    ]
    reasons = [
        *red,
        *_made_up_lags(facts, findings, today, thresholds, {reason.code for reason in red}),
        *_behind_schedule(facts, today, thresholds),
        *_near_deadlines(facts.deadlines, today, thresholds),
        *(reason for reason in open_findings if reason.colour == Colour.AMBER),
    ]
    return _light(reasons or [_quiet_reason(facts, today)])


def supervision_sheet_rows(lights: Iterable[tuple[str, Light]]) -> list[dict[str, str]]:
    """The rows of a 三色督办单: red items first, then amber, in the order given; green and
    grey items are left out. Each row: task label, colour code, 红灯/黄灯, first reason code,
    every reason's sentence joined with "；"."""
    flagged = [(task, light) for task, light in lights if light.colour in SEVERITY[:2]]
    flagged.sort(key=lambda row: SEVERITY.index(Colour(row[1].colour)))
    return [
        {
            "task": task,
            "colour": str(light.colour),
            "colour_label": light.label,
            "code": light.code,
            "reasons": "；".join(reason.text for reason in light.reasons),
        }
        for task, light in flagged
    ]


def _happened(day: date | None, today: date) -> bool:
    return day is not None and day <= today


def _light(reasons: Sequence[Reason]) -> Light:
    ordered = sorted(reasons, key=lambda reason: SEVERITY.index(Colour(reason.colour)))
    return Light(ordered[0].colour, tuple(ordered))


def _done_reasons(facts: TaskFacts, findings: Sequence[TaskFinding], today: date) -> list[Reason]:
    """A done task: done, done late, findings closed late and the `was_red` history (green);
    an unclosed finding's own reason (red or amber) is the caller's."""
    assert facts.done_on is not None
    done_on = facts.done_on.isoformat()
    reasons = [Reason(DONE, Colour.GREEN, _("已于 {done} 完成").format(done=done_on))]
    accounted: set[str] = set()
    final = max(facts.deadlines, default=None)
    if final is not None and facts.done_on > final:
        text = _("完成但逾期：时限 {deadline}，{done} 完成，逾期 {days} 天")
        days = (facts.done_on - final).days
        text = text.format(deadline=final.isoformat(), done=done_on, days=days)
        reasons.append(Reason(CAUGHT_UP_LATE, Colour.GREEN, text))
        accounted.add(OVERDUE)
    late = _finding_lags(findings, today)
    reasons += [Reason(CAUGHT_UP_LATE, Colour.GREEN, lag.text) for lag in late]
    accounted |= {lag.origin for lag in late}
    accounted |= {FINDING_OVERDUE for f in findings if _finding_overdue(f, today)}
    return reasons + _was_red(facts.was_red, accounted, Colour.GREEN)


def _overdue(deadlines: tuple[date, ...], today: date) -> list[Reason]:
    text = _("时限 {deadline} 已过 {days} 天，尚未完成")
    return [
        Reason(OVERDUE, Colour.RED, text.format(deadline=d.isoformat(), days=(today - d).days))
        for d in sorted(deadlines)
        if d < today
    ]


def _late_reports(reports: tuple[ReportDue, ...], today: date) -> list[Reason]:
    text = _("{period} 期报告应于 {due} 报送，已迟 {days} 天未报")
    return [
        Reason(
            REPORT_LATE,
            Colour.RED,
            text.format(period=period, due=due.isoformat(), days=(today - due).days),
        )
        for period, due, submitted in reports
        if due < today and not _happened(submitted, today)
    ]


def _unanswered_chases(
    chases: tuple[Chase, ...], today: date, thresholds: Thresholds
) -> list[Reason]:
    text = _("{chased} 催办，已 {days} 天未答复（答复时限 {limit} 天）")
    limit = thresholds.chase_answer_days
    return [
        Reason(
            CHASE_UNANSWERED,
            Colour.RED,
            text.format(chased=chased.isoformat(), days=(today - chased).days, limit=limit),
        )
        for chased, answered in chases
        if not _happened(answered, today) and (today - chased).days > limit
    ]


def _made_up_lags(
    facts: TaskFacts,
    findings: Sequence[TaskFinding],
    today: date,
    thresholds: Thresholds,
    red_codes: set[str],
) -> list[Reason]:
    """Amber `caught_up_late`: lags made up and not yet followed by an on-time cycle, then
    the `was_red` codes that neither the records nor a current red reason account for."""
    lags = [
        *_report_lags(facts.reports_due, today),
        *_chase_lags(facts.chases, today, thresholds),
        *_finding_lags(findings, today),
    ]
    open_lags = [lag for lag in lags if not _cleared(lag, facts.reports_due, today)]
    reasons = [Reason(CAUGHT_UP_LATE, Colour.AMBER, lag.text) for lag in open_lags]
    accounted = red_codes | {lag.origin for lag in lags}
    return reasons + _was_red(facts.was_red, accounted, Colour.AMBER)


def _report_lags(reports: tuple[ReportDue, ...], today: date) -> list[_Lag]:
    text = _("{period} 期报告应于 {due} 报送，{submitted} 补报，迟 {days} 天")
    return [
        _Lag(
            REPORT_LATE,
            submitted,
            text.format(
                period=period,
                due=due.isoformat(),
                submitted=submitted.isoformat(),
                days=(submitted - due).days,
            ),
        )
        for period, due, submitted in reports
        if submitted is not None and due < submitted <= today
    ]


def _chase_lags(chases: tuple[Chase, ...], today: date, thresholds: Thresholds) -> list[_Lag]:
    text = _("{chased} 催办，{answered} 才答复，超过答复时限 {limit} 天")
    limit = thresholds.chase_answer_days
    return [
        _Lag(
            CHASE_UNANSWERED,
            answered,
            text.format(chased=chased.isoformat(), answered=answered.isoformat(), limit=limit),
        )
        for chased, answered in chases
        if answered is not None and answered <= today and (answered - chased).days > limit
    ]


def _finding_lags(findings: Sequence[TaskFinding], today: date) -> list[_Lag]:
    """Findings closed (销号) after their 整改时限, by today."""
    text = _("整改时限 {deadline}，{closed} 才销号，逾期 {days} 天")
    return [
        _Lag(
            FINDING_OVERDUE,
            f.closed_on,
            _about(f)
            + text.format(
                deadline=f.deadline.isoformat(),
                closed=f.closed_on.isoformat(),
                days=(f.closed_on - f.deadline).days,
            ),
        )
        for f in findings
        if f.closed_on is not None and f.closed_by(today) and f.closed_on > f.deadline
    ]


def _finding_overdue(finding: TaskFinding, today: date) -> bool:
    return not finding.closed_by(today) and finding.deadline < today


def _open_findings(
    findings: Sequence[TaskFinding], today: date, thresholds: Thresholds
) -> list[Reason]:
    """Red when past the 整改时限 and not closed, reported or not; amber when not closed and
    the 整改时限 is today or at most `finding_near_days` days away."""
    reasons = []
    for finding in findings:
        left = (finding.deadline - today).days
        if finding.closed_by(today) or left > thresholds.finding_near_days:
            continue
        if left < 0:
            code, colour = FINDING_OVERDUE, Colour.RED
            text = _("整改时限 {deadline} 已过 {days} 天，尚未销号")
        else:
            code, colour = FINDING_DEADLINE_NEAR, Colour.AMBER
            text = _("整改时限 {deadline} 还剩 {days} 天，尚未销号")
            if left == 0:
                text = _("整改时限 {deadline} 就是今天，尚未销号")
        sentence = _about(finding) + text.format(
            deadline=finding.deadline.isoformat(), days=abs(left)
        )
        if finding.reported_by(today):
            assert finding.reported_on is not None
            waiting = _("（{reported} 已报整改，待督查室销号）")
            sentence += waiting.format(reported=finding.reported_on.isoformat())
        reasons.append(Reason(code, colour, sentence))
    return reasons


def _about(finding: TaskFinding) -> str:
    """The start of a finding's reason: 2021-04-15 督查发现的问题（责任部门：区财政局）."""
    return _("{found} 督查发现的问题（责任部门：{department}）").format(
        found=finding.found_on.isoformat(), department=finding.department
    )


def _cleared(lag: _Lag, reports: tuple[ReportDue, ...], today: date) -> bool:
    """A made-up lag is history once a cycle due after the make-up was reported on time."""
    return any(
        due > lag.made_up_on and submitted is not None and submitted <= min(due, today)
        for _period, due, submitted in reports
    )


def _was_red(codes: tuple[str, ...], accounted: set[str], colour: Colour) -> list[Reason]:
    text = _("曾因{cause}亮红灯，现已消除")
    return [
        Reason(CAUGHT_UP_LATE, colour, text.format(cause=_red_cause(code)))
        for code in dict.fromkeys(codes)  # each code once, in the caller's order
        if code not in accounted
    ]


def _red_cause(code: str) -> str:
    causes = {
        OVERDUE: _("逾期未完成"),
        REPORT_LATE: _("报告迟报"),
        CHASE_UNANSWERED: _("催办未答复"),
        FINDING_OVERDUE: _("督查问题逾期未整改销号"),
    }
    return causes.get(code, code)


def _behind_schedule(facts: TaskFacts, today: date, thresholds: Thresholds) -> list[Reason]:
    if facts.percent is None or not facts.deadlines:
        return []
    expected = expected_percent(facts.started_on, max(facts.deadlines), today)
    gap = expected - facts.percent
    if gap <= thresholds.behind_points:
        return []
    text = _(
        "已报进度 {percent}%，序时进度 {expected}%，落后 {gap} 个百分点"
        "（落后超过 {limit} 个百分点为黄灯）"
    ).format(
        percent=number(facts.percent),
        expected=number(expected),
        gap=number(gap),
        limit=number(thresholds.behind_points),
    )
    return [Reason(BEHIND_SCHEDULE, Colour.AMBER, text)]


def _near_deadlines(
    deadlines: tuple[date, ...], today: date, thresholds: Thresholds
) -> list[Reason]:
    reasons = []
    for deadline in sorted(deadlines):
        days = (deadline - today).days
        if not 0 <= days <= thresholds.near_deadline_days:
            continue
        if days == 0:
            text = _("时限 {deadline} 就是今天，尚未完成").format(deadline=deadline.isoformat())
        else:
            text = _("时限 {deadline} 还剩 {days} 天，尚未完成")
            text = text.format(deadline=deadline.isoformat(), days=days)
        reasons.append(Reason(DEADLINE_NEAR, Colour.AMBER, text))
    return reasons


def _quiet_reason(facts: TaskFacts, today: date) -> Reason:
    """The one reason of a task with nothing to flag."""
    if today < facts.started_on:
        text = _("{started} 起计，尚未开始").format(started=facts.started_on.isoformat())
        return Reason(NOT_STARTED, Colour.GREY, text)
    if not facts.deadlines:
        text = _("未设时限；截至 {today} 无迟报、无未答复的催办").format(today=today.isoformat())
        return Reason(NO_DEADLINE, Colour.GREEN, text)
    upcoming = min(d for d in facts.deadlines if d >= today)  # none has passed: that is red
    text = _("截至 {today} 进度正常，下一时限 {deadline}")
    text = text.format(today=today.isoformat(), deadline=upcoming.isoformat())
    return Reason(ON_TRACK, Colour.GREEN, text)
