"""A labelled demo history of supervision for `gaodi demo`, as of 2021-06-30.

Made through the same services a user's clicks go through (handovers, reports, reviews,
requests, chases), then dated back into 2020–2021 so that the lights and lists read as a
year of real work would: most handovers signed; the education bureau's reports on time for
some tasks, one late, one returned and corrected; one task reported done; one extension
granted; one chase answered. Every narrative starts with 【演示数据】. Idempotent.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gaodi.orgs.models import Department
from gaodi.plans.models import Plan, Task

from .supervision.change_requests import decide_request, file_extension
from .supervision.chases import answer_chase, chase_task
from .supervision.handover import acknowledge_handover, issue_handovers
from .supervision.models import Cycle, ProgressReport, Schedule
from .supervision.reports import ReportInput, review_report, save_report, submit_report

DEMO = "【演示数据】"
UNSIGNED = {"区委办公室", "区政府办公室"}  # two handovers left unsigned: the list shows them


def seed_demo_supervision(plan: Plan) -> None:
    if ProgressReport.objects.filter(task__plan=plan).exists():
        return
    for handover in issue_handovers(plan, actor=None):
        if handover.department.name not in UNSIGNED:
            acknowledge_handover(handover, actor=None)
    education = Department.objects.get(org_unit=plan.org_unit, name="区教育和体育局")
    cycles = list(
        Cycle.objects.filter(schedule__plan=plan, schedule__kind=Schedule.Kind.DISPATCH)
        .exclude(period="202103B")  # the round just ended: nothing due yet
        .order_by("starts_on")
    )
    tasks = {t.number: t for t in plan.tasks.all()}
    for index, cycle in enumerate(cycles):
        _report(cycle, tasks[14], education, 40 + 10 * index, late=False)
        _report(cycle, tasks[2], education, 30 + 12 * index, late=index == len(cycles) - 1)
        if index < 2:
            _report(cycle, tasks[3], education, 60 + 40 * index, done=index == 1)
    _returned_and_corrected(cycles[-1], tasks[9], education)
    _extension_and_chase(plan, tasks, education)


def _report(
    cycle: Cycle,
    task: Task,
    department: Department,
    percent: int,
    *,
    late: bool = False,
    done: bool = False,
) -> ProgressReport:
    report = save_report(
        cycle,
        task,
        department,
        ReportInput(
            progress=ProgressReport.Progress.DONE if done else ProgressReport.Progress.ONGOING,
            narrative=f"{DEMO}{cycle.period} 期间按计划推进，已完成阶段目标。",
            percent=100 if done else min(percent, 95),
        ),
        actor=None,
    )
    report = submit_report(report, actor=None)
    review_report(report, accept=True, comment="", actor=None)
    submitted = cycle.due_on + dt.timedelta(days=9 if late else -2)
    _date_back(report, submitted)
    return report


def _returned_and_corrected(cycle: Cycle, task: Task, department: Department) -> None:
    first = save_report(
        cycle,
        task,
        department,
        ReportInput(progress="ongoing", narrative=f"{DEMO}标准化建设推进中。", percent=50),
        actor=None,
    )
    first = submit_report(first, actor=None)
    review_report(first, accept=False, comment=f"{DEMO}请补充佐证材料和具体数字", actor=None)
    _date_back(first, cycle.due_on - dt.timedelta(days=3))
    second = save_report(
        cycle,
        task,
        department,
        ReportInput(
            progress="ongoing",
            narrative=f"{DEMO}已完成 3 个专业的标准化建设，补充了验收材料。",
            percent=55,
        ),
        actor=None,
    )
    second = submit_report(second, actor=None)
    review_report(second, accept=True, comment="", actor=None)
    _date_back(second, cycle.due_on - dt.timedelta(days=1))


def _extension_and_chase(plan: Plan, tasks: dict[int, Task], education: Department) -> None:
    deadline = tasks[5].deadlines.first()
    if deadline is not None:
        request = file_extension(
            deadline,
            education,
            new_date=deadline.date + dt.timedelta(days=180),
            reason=f"{DEMO}实训基地建设受疫情影响，设备招标延后",
            actor=None,
        )
        decide_request(request, approve=True, decision=f"{DEMO}同意延期半年", actor=None)
    chase = chase_task(
        tasks[14],
        education,
        message=f"{DEMO}请报送“双师型”教师认定进展",
        actor=None,
    )
    answer_chase(chase, answer=f"{DEMO}已完成第一批认定，名单已报送", actor=None)
    type(chase).objects.filter(pk=chase.pk).update(
        chased_on=dt.date(2021, 5, 10), answered_on=dt.date(2021, 5, 12)
    )


def _date_back(report: ProgressReport, day: dt.date) -> None:
    """Demo only: the report was made now, the story says it was made on `day`."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
    ProgressReport.objects.filter(pk=report.pk).update(
        submitted_at=moment, reviewed_at=moment + dt.timedelta(days=1)
    )
