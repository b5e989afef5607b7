"""督导报告 (issue 5), the figures: one plan, one period (a bimonth 202103B, a quarter 2021Q1
or a year 2021), counted as of the earlier of today and the period's last day, into a
`report_data.SupervisionReport` that every renderer prints the same way.

Where each figure comes from (the tests recompute them from the same records):

- 红黄绿灯: `board.plan_lights(plan, as_of)`, every task of the plan;
- 按时报送率 and the ranking: `scorecards.scorecards(plan, period, today)`: the (dispatch
  cycle, lead task) pairs due in the period, and those submitted by the cycle's due date;
- 逾期事项, as of `as_of`: lead progress reports due and not submitted (the scorecards'
  `missing`), task deadlines passed without the task being done (the light's `overdue`
  reasons), inspection findings past their 整改时限 and not closed;
- 退回重报: lead reports the inspector returned within the period, and whether a later
  version was submitted;
- 督查整改: findings of inspections held by `as_of` that were open at the period's start or
  raised within it;
- 指标达成: the plan's indicators with a target, for the org unit of the plan, in the latest
  year up to the period's year that has a value (the year is printed with the row).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gaodi.indicators.attainment import chinese_date
from gaodi.indicators.attainment import number as format_number
from gaodi.indicators.dashboard import SYNTHETIC_MARK, synthetic_periods, table
from gaodi.indicators.models import Indicator
from gaodi.indicators.periods import Period
from gaodi.plans.models import Plan

from . import lights as light_rules
from .board import TaskLight, plan_lights
from .models import Cycle, InspectionFinding, ProgressReport, Schedule
from .report_data import (
    AttainmentRow,
    DepartmentRow,
    FindingRow,
    Headline,
    LightRow,
    OverdueRow,
    RankRow,
    ReturnedRow,
    SupervisionReport,
)
from .scorecards import Card, lead_tasks, scorecards

DRAFT_NUMBER = "（草稿，未编号）"
QUARTERS = "一二三四"


def period_label(period: Period) -> str:
    """2021 -> 2021年度; 2021Q1 -> 2021年第一季度; 202103B -> 2021年5—6月."""
    text = period.id
    if len(text) == 4:
        return _("{year}年度").format(year=period.year)
    if "Q" in text:
        return _("{year}年第{q}季度").format(year=period.year, q=QUARTERS[int(text[-1]) - 1])
    return _("{year}年{first}—{last}月").format(
        year=period.year, first=period.start.month, last=period.end.month
    )


def rate(passed: int, counted: int) -> str:
    """87.5% to one decimal, or — when nothing was counted."""
    if not counted:
        return "—"
    return f"{(Decimal(100 * passed) / Decimal(counted)).quantize(Decimal('0.1'))}%"


def issuer_of(plan: Plan) -> str:
    """The body that issues the report: the one that runs the bimonthly dispatch
    (区政府教育督导室), else the plan's issuer."""
    body = (
        Schedule.objects.filter(plan=plan, kind=Schedule.Kind.DISPATCH)
        .exclude(body="")
        .values_list("body", flat=True)
        .first()
    )
    place = plan.org_unit.name  # 茌平区 + 区政府教育督导室 -> 茌平区政府教育督导室
    if body and not body.startswith(place[:2]):
        return place[:-1] + body if body.startswith(place[-1]) else place + body
    return body or plan.issuer or place


def build_report(plan: Plan, period_id: str, today: dt.date) -> SupervisionReport:
    """The report of the plan for the period, as of min(today, the period's last day).
    Raises periods.PeriodError on a bad period id."""
    period, as_of, cards = scorecards(plan, period_id, today)
    lights = plan_lights(plan, as_of)
    counts = Counter(row.light.colour for row in lights)
    due = sum(_reports_part(card)[0] for card in cards)
    on_time = sum(_reports_part(card)[1] for card in cards)
    overdue = _overdue(plan, cards, lights, as_of)
    returned = _returned(plan, period, as_of)
    findings = _findings(plan, period, as_of)
    attained = _attainment(plan, period)
    label = period_label(period)
    on_time_rate = rate(on_time, due)
    summary = _(
        "截至{as_of}，方案{tasks}项任务中绿灯{green}项、黄灯{amber}项、红灯{red}项；"
        "本期应报进展报告{due}份，按时报送{on_time}份，按时报送率{rate}；"
        "逾期事项{overdue}项，退回重报{returned}份，督查发现问题{findings}个。"
    ).format(
        as_of=chinese_date(as_of),
        tasks=len(lights),
        green=counts["green"],
        amber=counts["amber"],
        red=counts["red"],
        due=due,
        on_time=on_time,
        rate=on_time_rate,
        overdue=len(overdue),
        returned=len(returned),
        findings=len(findings),
    )
    closed = sum(1 for f in findings if f.status == _status_label("closed"))
    attained_count = sum(1 for row in attained if row.attained)
    judged = sum(1 for row in attained if row.attained is not None)
    return SupervisionReport(
        number=DRAFT_NUMBER,
        title=_("关于{period}《{plan}》落实情况的督导报告").format(period=label, plan=plan.title),
        issuer=issuer_of(plan),
        plan_title=plan.title,
        plan_doc_number=plan.doc_number,
        period=period.id,
        period_label=label,
        as_of=as_of.isoformat(),
        issued_on=chinese_date(today),
        summary=summary,
        headlines=[
            Headline(_("任务总数"), str(len(lights))),
            Headline(_("红灯任务"), str(counts["red"])),
            Headline(_("黄灯任务"), str(counts["amber"])),
            Headline(_("绿灯任务"), str(counts["green"])),
            Headline(_("按时报送率"), on_time_rate, f"{on_time}/{due}"),
            Headline(_("逾期事项"), str(len(overdue))),
            Headline(_("退回重报"), str(len(returned))),
            Headline(
                _("督查问题已销号"),
                f"{closed}/{len(findings)}",
            ),
            Headline(_("指标达标"), f"{attained_count}/{judged}"),
        ],
        lights={colour: counts[colour] for colour in ("green", "amber", "red", "grey")},
        departments=_departments(plan, cards, lights, as_of),
        flagged=[_light_row(row) for row in lights if row.light.colour in ("red", "amber")],
        overdue=overdue,
        returned=returned,
        findings=findings,
        ranking=[_rank_row(card) for card in cards],
        attainment=attained,
        notes=_notes(plan, period),
    )


# ---- parts ----------------------------------------------------------------------------------


def _reports_part(card: Card) -> tuple[int, int]:
    """(due, on time) of a card's 进展报告按时报送 component."""
    for row in card.rows:
        if row.name == "reports_on_time":
            return row.component.counted, row.component.passed
    return 0, 0


def _departments(
    plan: Plan, cards: list[Card], lights: list[TaskLight], as_of: dt.date
) -> list[DepartmentRow]:
    colour = {row.task.pk: row.light for row in lights}
    leads = lead_tasks(plan)
    percents = _latest_percents(plan, as_of)
    rows = []
    for card in sorted(cards, key=lambda c: c.department.name):
        tasks = leads.get(card.department.pk, [])
        mine = [colour[t] for t in tasks if t in colour]
        due, on_time = _reports_part(card)
        known = [
            percents[(card.department.pk, t)] for t in tasks if (card.department.pk, t) in percents
        ]
        rows.append(
            DepartmentRow(
                department=card.department.name,
                tasks=len(tasks),
                green=sum(1 for light in mine if light.colour == "green"),
                amber=sum(1 for light in mine if light.colour == "amber"),
                red=sum(1 for light in mine if light.colour == "red"),
                done=sum(1 for light in mine if light.code == light_rules.DONE),
                reports_due=due,
                reports_on_time=on_time,
                on_time_rate=rate(on_time, due),
                percent=round(sum(known) / len(known)) if known else None,
            )
        )
    return rows


def _latest_percents(plan: Plan, as_of: dt.date) -> dict[tuple[int, int], int]:
    """(department, task) -> the percent of its latest lead report submitted by `as_of`."""
    found: dict[tuple[int, int], int] = {}
    end = _end_of(as_of)
    for department_id, task_id, percent in (
        ProgressReport.objects.filter(
            task__plan=plan, tier="lead", submitted_at__lt=end, percent__isnull=False
        )
        .order_by("submitted_at")
        .values_list("department_id", "task_id", "percent")
    ):
        found[(department_id, task_id)] = percent
    return found


def _light_row(row: TaskLight) -> LightRow:
    return LightRow(
        task=row.task.label,
        title=row.task.title,
        colour=row.light.colour,
        reasons=_reasons(row),
        lead=row.lead,
    )


def _reasons(row: TaskLight, shown: int = 2) -> str:
    """The first reasons that are not green, and how many more there are."""
    texts = [reason.text for reason in row.light.reasons if reason.colour != "green"]
    text = "；".join(texts[:shown])
    if len(texts) > shown:
        text += _("；等{n}项").format(n=len(texts))
    return text


def _overdue(
    plan: Plan, cards: list[Card], lights: list[TaskLight], as_of: dt.date
) -> list[OverdueRow]:
    rows: list[OverdueRow] = []
    cycles = {c.pk: c for c in Cycle.objects.filter(schedule__plan=plan)}
    tasks = {row.task.pk: row.task for row in lights}
    for card in cards:
        for cycle_id, task_id in card.missing:
            cycle = cycles[cycle_id]
            if cycle.due_on < as_of:
                rows.append(
                    OverdueRow(
                        kind=_("进展报告"),
                        task=tasks[task_id].label,
                        department=card.department.name,
                        due_on=cycle.due_on.isoformat(),
                        days=(as_of - cycle.due_on).days,
                        note=_("{period}期未报送").format(period=cycle.period),
                    )
                )
    for row in lights:
        if row.light.code == light_rules.DONE:
            continue
        passed = [d.date for d in row.task.deadlines.all() if d.date < as_of]
        if passed:
            last = max(passed)
            rows.append(
                OverdueRow(
                    kind=_("任务时限"),
                    task=row.task.label,
                    department=row.lead,
                    due_on=last.isoformat(),
                    days=(as_of - last).days,
                    note=_("时限已过，尚未报告完成"),
                )
            )
    for finding in (
        InspectionFinding.objects.filter(
            inspection__plan=plan, inspection__held_on__lte=as_of, deadline__lt=as_of
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .select_related("task__section", "department")
    ):
        rows.append(
            OverdueRow(
                kind=_("督查整改"),
                task=finding.task.label,
                department=finding.department.name,
                due_on=finding.deadline.isoformat(),
                days=(as_of - finding.deadline).days,
                note=finding.problem[:60],
            )
        )
    rows.sort(key=lambda r: (-r.days, r.kind, r.task))
    return rows


def _returned(plan: Plan, period: Period, as_of: dt.date) -> list[ReturnedRow]:
    start = _start_of(period.start)
    end = _end_of(as_of)
    returned = ProgressReport.objects.filter(
        task__plan=plan,
        tier="lead",
        status=ProgressReport.Status.RETURNED,
        reviewed_at__gte=start,
        reviewed_at__lt=end,
    ).select_related("cycle", "task__section", "department")
    rows = []
    for report in returned.order_by("reviewed_at"):
        again = ProgressReport.objects.filter(
            cycle=report.cycle,
            task=report.task,
            department=report.department,
            tier=report.tier,
            version__gt=report.version,
            submitted_at__lt=end,
        ).exists()
        rows.append(
            ReturnedRow(
                task=report.task.label,
                department=report.department.name,
                period=report.cycle.period,
                comment=report.review_comment,
                resubmitted=again,
            )
        )
    return rows


def _status_label(status: str) -> str:
    return str(InspectionFinding.Status(status).label)


def _findings(plan: Plan, period: Period, as_of: dt.date) -> list[FindingRow]:
    found = (
        InspectionFinding.objects.filter(inspection__plan=plan, inspection__held_on__lte=as_of)
        .filter(
            Q(inspection__held_on__gte=period.start)
            | Q(closed_on__isnull=True)
            | Q(closed_on__gte=period.start)
        )
        .select_related("inspection", "task__section", "department")
        .order_by("inspection__held_on", "deadline", "pk")
    )
    rows = []
    for finding in found:
        closed = finding.closed_on is not None and finding.closed_on <= as_of
        status = finding.status
        if not closed and status == InspectionFinding.Status.CLOSED:
            status = InspectionFinding.Status.REPORTED  # closed after the report's day
        if status == InspectionFinding.Status.REPORTED and (
            finding.rectified_on is None or finding.rectified_on > as_of
        ):
            status = InspectionFinding.Status.OPEN
        rows.append(
            FindingRow(
                held_on=finding.inspection.held_on.isoformat(),
                task=finding.task.label,
                department=finding.department.name,
                problem=finding.problem,
                deadline=finding.deadline.isoformat(),
                status=_status_label(status),
                closed_on=finding.closed_on.isoformat() if closed and finding.closed_on else "",
                overdue=not closed and finding.deadline < as_of,
            )
        )
    return rows


def _rank_row(card: Card) -> RankRow:
    parts = "；".join(
        _("{label} {score}（{passed}/{counted}，权重{weight}）").format(
            label=row.component.label,
            score=row.score,
            passed=row.component.passed,
            counted=row.component.counted,
            weight=row.weight,
        )
        for row in card.rows
        if row.used
    )
    return RankRow(
        rank=card.rank,
        department=card.department.name,
        total=str(card.total) if card.total is not None else "—",
        parts=parts or _("本期无可计分事项"),
    )


def _attainment(plan: Plan, period: Period) -> list[AttainmentRow]:
    indicators = list(
        Indicator.objects.filter(plan=plan, targets__isnull=False).distinct().order_by("order")
    )
    if not indicators:
        return []
    years = [period.year - 1, period.year]
    synthetic = set(synthetic_periods(plan, plan.org_unit))
    rows = [row for row in table(plan, indicators, plan.org_unit, years) if row.span]
    found = []
    for row in rows:
        cells = [cell for cell in row.cells if cell.actual is not None]
        cell = cells[-1] if cells else row.cells[-1]
        target = cell.target
        progress = cell.progress
        unit = row.indicator.unit or ""
        found.append(
            AttainmentRow(
                indicator=_("{name}（{year}年）").format(name=row.indicator.name, year=cell.year),
                unit=unit,
                target=format_number(target.value) if target and not target.baseline else "—",
                actual=format_number(cell.actual) if cell.actual is not None else "—",
                attained=None if progress is None or cell.actual is None else progress >= 1,
                synthetic=str(cell.year) in synthetic,
            )
        )
    return found


def _notes(plan: Plan, period: Period) -> list[str]:
    notes = [
        _(
            "统计口径：红黄绿灯按报告截止日计算；按时报送率为本期到期的牵头任务进展报告中"
            "在截止日前报送的比例；部门评分权重为高地默认值（示例），可由工作专班调整。"
        )
    ]
    if ProgressReport.objects.filter(task__plan=plan, narrative__contains="【演示数据】").exists():
        notes.append(_("【演示数据】本报告所用的进展、督查记录为演示数据，不是真实工作记录。"))
    if synthetic_periods(plan, plan.org_unit):
        notes.append(
            _("指标数据中标有“{mark}”的年度为系统生成的合成数据。").format(mark=SYNTHETIC_MARK)
        )
    return notes


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _end_of(day: dt.date) -> dt.datetime:
    return _start_of(day + dt.timedelta(days=1))
