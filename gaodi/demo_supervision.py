"""A labelled demo history of supervision for `gaodi demo`, as of 2021-06-30.

Made through the same services a user's clicks go through (handovers, reports, reviews,
requests, chases, inspections, meetings), then dated back into 2020–2021 so that the lights and
lists read as a year of real work would:

- most handovers signed;
- 区教育和体育局: reports on time for some tasks, one late, one returned and corrected, one task
  done, one extension granted, one chase answered;
- 区财政局 (lead of 重点任务（一）): reports with the parts of its cooperating departments,
  one round late, the last round missing; 区人力资源和社会保障局: two tasks done, one reported
  late once and then on time again; 区委组织部 and the others: nothing reported;
- two quarterly inspections of 区委督查室 (2020Q4, 2021Q2): one finding rectified and closed on
  time, one still open past its 整改时限, one rectified and waiting for 销号;
- the leading group's first meeting and the first 政府、企业、学校联席会议; one decision handed
  as 会议交办 (done on time), one 领导批示 (led by 区发展和改革委员会: a late round, the last
  round missing, a chase unanswered).

Every narrative, title and note says 【演示数据】. Idempotent: each part is made once (a demo
made by an earlier version gets the parts it lacks), each in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.models import Membership
from gaodi.orgs.models import Department
from gaodi.plans.models import Plan, Task

from .supervision.change_requests import decide_request, file_extension
from .supervision.chases import answer_chase, chase_task
from .supervision.handover import acknowledge_handover, issue_handovers
from .supervision.inspections import (
    FindingSpec,
    close_finding,
    record_inspection,
    report_rectification,
)
from .supervision.meetings import record_meeting, track_item
from .supervision.models import (
    Chase,
    Cycle,
    Inspection,
    InspectionFinding,
    Meeting,
    ProgressReport,
    Schedule,
    TrackedItem,
)
from .supervision.reports import ReportInput, review_report, save_report, submit_report

DEMO = "【演示数据】"
UNSIGNED = {"区委办公室", "区政府办公室"}  # two handovers left unsigned: the list shows them
EDUCATION = "区教育和体育局"
FINANCE = "区财政局"
LABOUR = "区人力资源和社会保障局"
DEVELOPMENT = "区发展和改革委员会"
INDUSTRY = "区工业和信息化局"


@dataclass(frozen=True)
class Cast:
    """The demo users who act in the story (set_up_demo makes them first)."""

    work_team: AbstractBaseUser
    leader: AbstractBaseUser
    inspector: AbstractBaseUser
    education: AbstractBaseUser


def seed_demo_supervision(plan: Plan) -> None:
    departments = {d.name: d for d in Department.objects.filter(org_unit=plan.org_unit)}
    reports = ProgressReport.objects.filter(task__plan=plan)
    tasks = {t.number: t for t in plan.tasks.all()}
    cycles = _dispatch_cycles(plan)
    cast = _cast(plan, departments[EDUCATION])
    if not reports.filter(department=departments[EDUCATION]).exists():
        with transaction.atomic():
            _education_year(plan, tasks, cycles, departments[EDUCATION])
    if not reports.exclude(department=departments[EDUCATION]).exists():
        with transaction.atomic():
            _other_departments(tasks, cycles, departments)
    if not Inspection.objects.filter(plan=plan).exists():
        with transaction.atomic():
            _inspections(plan, tasks, departments, cast)
    if not Meeting.objects.filter(plan=plan).exists():
        with transaction.atomic():
            _meetings(plan, cycles, departments, cast)


def _dispatch_cycles(plan: Plan) -> list[Cycle]:
    """The 调度 rounds due by the demo day (the round just ended has nothing due yet)."""
    return list(
        Cycle.objects.filter(schedule__plan=plan, schedule__kind=Schedule.Kind.DISPATCH)
        .exclude(period="202103B")
        .order_by("starts_on")
    )


def _cast(plan: Plan, education: Department) -> Cast:
    def member(**lookup: object) -> AbstractBaseUser:
        found = Membership.objects.filter(**lookup).select_related("user").order_by("pk").first()
        if found is None:
            raise LookupError(f"demo user missing: {lookup}")
        return found.user

    place = plan.org_unit
    return Cast(
        work_team=member(org_unit=place, role=Role.ADMIN),
        leader=member(org_unit=place, role=Role.LEADER),
        inspector=member(
            org_unit=place, role=Role.INSPECTOR, inspector_scope=InspectorScope.INSPECTION
        ),
        education=member(department=education, role=Role.DEPARTMENT),
    )


# 区教育和体育局 ----------------------------------------------------------------------------


def _education_year(
    plan: Plan, tasks: dict[int, Task], cycles: list[Cycle], education: Department
) -> None:
    for handover in issue_handovers(plan, actor=None):
        if handover.department.name not in UNSIGNED:
            acknowledge_handover(handover, actor=None)
    for index, cycle in enumerate(cycles):
        _report(cycle, tasks[14], education, 40 + 10 * index, late=False)
        _report(cycle, tasks[2], education, 30 + 12 * index, late=index == len(cycles) - 1)
        if index < 2:
            _report(cycle, tasks[3], education, 60 + 40 * index, done=index == 1)
    _returned_and_corrected(cycles[-1], tasks[9], education)
    _extension_and_chase(tasks, education)


def _report(
    cycle: Cycle,
    task: Task,
    department: Department,
    percent: int,
    *,
    late: bool = False,
    done: bool = False,
    days: int | None = None,
    narrative: str = "",
) -> ProgressReport:
    """A lead report, submitted and accepted; dated `days` after the round's due date (two
    days before it, or nine after when `late`)."""
    report = save_report(
        cycle,
        task,
        department,
        ReportInput(
            progress=ProgressReport.Progress.DONE if done else ProgressReport.Progress.ONGOING,
            narrative=DEMO + (narrative or f"{cycle.period} 期间按计划推进，已完成阶段目标。"),
            percent=100 if done else min(percent, 95),
        ),
        actor=None,
    )
    report = submit_report(report, actor=None)
    review_report(report, accept=True, comment="", actor=None)
    if days is None:
        days = 9 if late else -2
    _date_back(report, cycle.due_on + dt.timedelta(days=days))
    return report


def _part(cycle: Cycle, task: Task, department: Department, narrative: str, percent: int) -> None:
    """A cooperating department's part, reported to the lead four days before the due date."""
    part = save_report(
        cycle,
        task,
        department,
        ReportInput(progress="ongoing", narrative=DEMO + narrative, percent=percent),
        actor=None,
    )
    part = submit_report(part, actor=None)
    _date_back(part, cycle.due_on - dt.timedelta(days=4), reviewed=False)


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


def _extension_and_chase(tasks: dict[int, Task], education: Department) -> None:
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
    Chase.objects.filter(pk=chase.pk).update(
        chased_on=dt.date(2021, 5, 10), answered_on=dt.date(2021, 5, 12)
    )


# The other lead departments ----------------------------------------------------------------


def _other_departments(
    tasks: dict[int, Task], cycles: list[Cycle], departments: dict[str, Department]
) -> None:
    """区财政局 with its cooperating parts, the last round missing; 区人力资源和社会保障局
    with two tasks done and one round late; the other lead departments have not reported."""
    finance, labour = departments[FINANCE], departments[LABOUR]
    funding = tasks[1]  # 完善经费长效稳定保障机制: 区财政局 leads
    for index, cycle in enumerate(cycles[:-1]):  # the last round due (202102B) not reported
        if index >= 2:
            _part(cycle, funding, departments[EDUCATION], "已核实中职学校在校生人数。", 50)
            _part(cycle, funding, departments[DEVELOPMENT], "已将职教经费纳入年度计划。", 40)
        _report(
            cycle,
            funding,
            finance,
            20 + 15 * index,
            days=6 if index == 2 else -1,
            narrative=f"{cycle.period} 期间生均拨款按季度拨付，教育费附加按比例安排职业教育。",
        )
    _report(cycles[0], tasks[15], labour, 100, done=True, narrative="教师招聘办法已印发。")
    for index, cycle in enumerate(cycles[:3]):  # 改革教师绩效工资制度: done in the third round
        _report(cycle, tasks[16], labour, 50 + 30 * index, late=index == 1, done=index == 2)
    for index, cycle in enumerate(cycles):  # 大力开展职业技能培训: late once, then on time
        if index == len(cycles) - 1:
            _part(cycle, tasks[7], finance, "职业技能提升行动专账资金已拨付。", 60)
        _report(
            cycle,
            tasks[7],
            labour,
            25 + 15 * index,
            late=index == 3,
            narrative=f"{cycle.period} 期间开展职业技能培训，按月统计培训人次。",
        )


# 督查 and 整改 ----------------------------------------------------------------------------


def _inspections(
    plan: Plan, tasks: dict[int, Task], departments: dict[str, Department], cast: Cast
) -> None:
    """Two quarterly inspections of 区委督查室: a finding closed on time, one still open past
    its 整改时限, one rectified and waiting for 销号."""
    education, finance = departments[EDUCATION], departments[FINANCE]
    quarters = {
        c.period: c
        for c in Cycle.objects.filter(schedule__plan=plan, schedule__kind=Schedule.Kind.INSPECTION)
    }
    winter = record_inspection(
        plan,
        method="regular",
        held_on=dt.date(2020, 12, 16),
        cycle=quarters.get("2020Q4"),
        summary=f"{DEMO}2020年第四季度定期督查：实地查看职教中心，查阅经费拨付和教师认定台账。",
        findings=[
            FindingSpec(
                tasks[14],
                education,
                f"{DEMO}“双师型”教师认定办法尚未印发，认定工作未启动。",
                dt.date(2021, 1, 31),
            ),
            FindingSpec(
                tasks[1],
                finance,
                f"{DEMO}2020年中职学校生均拨款未按季度足额拨付。",
                dt.date(2021, 3, 31),
            ),
        ],
        actor=cast.inspector,
    )
    _date_inspection(winter)
    teachers = winter.findings.get(task=tasks[14])
    report_rectification(
        teachers,
        rectification=f"{DEMO}《“双师型”教师认定办法》已印发，首批认定工作已启动。",
        evidence=f"{DEMO}认定办法（文件）\n首批认定名单",
        actor=cast.education,
    )
    close_finding(teachers, note=f"{DEMO}经核查，已整改到位，同意销号。", actor=cast.inspector)
    InspectionFinding.objects.filter(pk=teachers.pk).update(
        rectified_on=dt.date(2021, 1, 20), closed_on=dt.date(2021, 1, 26)
    )
    summer = record_inspection(
        plan,
        method="regular",
        held_on=dt.date(2021, 6, 9),
        cycle=quarters.get("2021Q2"),
        summary=f"{DEMO}2021年第二季度定期督查：抽查专业标准化建设验收材料。",
        findings=[
            FindingSpec(
                tasks[9],
                education,
                f"{DEMO}专业标准化建设验收佐证材料不全，缺少企业参与评价记录。",
                dt.date(2021, 7, 5),
            )
        ],
        actor=cast.inspector,
    )
    _date_inspection(summer)
    standards = summer.findings.get()
    report_rectification(
        standards,
        rectification=f"{DEMO}已补齐 3 个专业的企业评价记录和验收材料。",
        evidence=f"{DEMO}企业评价表 3 份",
        actor=cast.education,
    )
    InspectionFinding.objects.filter(pk=standards.pk).update(rectified_on=dt.date(2021, 6, 25))


def _date_inspection(inspection: Inspection) -> None:
    Inspection.objects.filter(pk=inspection.pk).update(
        created_at=_moment(inspection.held_on + dt.timedelta(days=1))
    )


# 会议与批示 -------------------------------------------------------------------------------


def _meetings(
    plan: Plan, cycles: list[Cycle], departments: dict[str, Department], cast: Cast
) -> None:
    """The leading group's first meeting and its 会议交办 (done on time); a 领导批示 led by
    区发展和改革委员会 (a round late, the last one missing, chased); the first 联席会."""
    first = record_meeting(
        plan,
        kind=Meeting.Kind.LEADING_GROUP,
        title=f"{DEMO}区职业教育工作领导小组第一次会议",
        held_on=dt.date(2020, 8, 18),
        attendees="区委书记（组长）、区长、分管副区长，区委办公室、区政府办公室、"
        "区教育和体育局、区财政局、区人力资源和社会保障局、区发展和改革委员会等成员单位主要负责同志",
        decisions=f"{DEMO}一、审议通过实施方案任务分工，各牵头单位8月底前签收交办任务。\n"
        "二、建立政府、企业、学校联席会议制度，由区教育和体育局牵头，10月底前召开首次联席会议。\n"
        "三、工作专班每两个月调度一次，区委督查室每季度督查一次。",
        actor=cast.work_team,
    )
    joint = track_item(
        plan,
        source=TrackedItem.Source.MEETING,
        meeting=first,
        issued_on=first.held_on,
        title=f"{DEMO}建立政府、企业、学校联席会议制度并召开首次联席会议",
        wording=f"{DEMO}建立政府、企业、学校联席会议制度，由区教育和体育局牵头，"
        "区人力资源和社会保障局、区工业和信息化局配合，10月底前召开首次联席会议。",
        lead=departments[EDUCATION],
        cooperating=[departments[LABOUR], departments[INDUSTRY]],
        deadline=dt.date(2020, 10, 31),
        deadline_phrase="10月底前",
        actor=cast.work_team,
    )
    instruction = track_item(
        plan,
        source=TrackedItem.Source.INSTRUCTION,
        leader="区委书记（领导小组组长）",
        issued_on=dt.date(2020, 8, 26),
        title=f"{DEMO}谋划职教中心实训基地建设项目并申报专项债券",
        wording=f"{DEMO}区委书记在《职业教育工作专报》第1期上批示：请区发展和改革委员会牵头，"
        "区财政局、区教育和体育局配合，抓紧谋划职教中心实训基地建设项目，"
        "争取列入2021年地方政府专项债券项目，9月底前完成申报。",
        lead=departments[DEVELOPMENT],
        cooperating=[departments[FINANCE], departments[EDUCATION]],
        deadline=dt.date(2021, 9, 30),
        deadline_phrase="2021年9月底前",
        actor=cast.leader,
    )
    council = record_meeting(
        plan,
        kind=Meeting.Kind.JOINT,
        title=f"{DEMO}茌平区职业教育政府、企业、学校第一次联席会议",
        held_on=dt.date(2020, 10, 28),
        attendees="分管副区长（召集人），区教育和体育局、区人力资源和社会保障局、"
        "区工业和信息化局、区财政局，区内重点企业代表 5 家，聊城市茌平区职业教育中心学校",
        decisions=f"{DEMO}一、校企共建智能制造、电子商务 2 个实训基地，企业提供设备和兼职教师。\n"
        "二、2021年春季学期开设订单班 3 个。\n"
        "三、联席会议每半年召开一次，由区教育和体育局承办。",
        actor=cast.work_team,
    )
    for found in (first, council):
        Meeting.objects.filter(pk=found.pk).update(
            created_at=_moment(found.held_on + dt.timedelta(days=1))
        )
    for item in (joint, instruction):
        TrackedItem.objects.filter(pk=item.pk).update(created_at=_moment(item.issued_on))
    _follow_items(joint.task, instruction.task, cycles, departments, cast)


def _follow_items(
    joint: Task,
    instruction: Task,
    cycles: list[Cycle],
    departments: dict[str, Department],
    cast: Cast,
) -> None:
    education, development = departments[EDUCATION], departments[DEVELOPMENT]
    _report(cycles[0], joint, education, 40, narrative="已起草联席会议制度，征求企业意见。")
    _report(
        cycles[1],
        joint,
        education,
        100,
        done=True,
        days=-7,  # 2020-10-30, within the 10月底前 of the decision
        narrative="联席会议制度已印发，10月28日召开首次联席会议。",
    )
    for index, cycle in enumerate(cycles[:-1]):  # the last round due (202102B) not reported
        _report(
            cycle,
            instruction,
            development,
            20 + 12 * index,
            days=10 if index == 3 else -2,
            narrative=f"{cycle.period} 期间推进实训基地项目可研和专项债券申报准备。",
        )
    chase = chase_task(
        instruction,
        development,
        message=f"{DEMO}请报送202102B期实训基地项目专项债券申报进展",
        actor=cast.work_team,
    )
    Chase.objects.filter(pk=chase.pk).update(chased_on=dt.date(2021, 5, 20))


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def _date_back(report: ProgressReport, day: dt.date, *, reviewed: bool = True) -> None:
    """Demo only: the report was made now, the story says it was made on `day`."""
    moment = _moment(day)
    ProgressReport.objects.filter(pk=report.pk).update(
        submitted_at=moment, reviewed_at=moment + dt.timedelta(days=1) if reviewed else None
    )
