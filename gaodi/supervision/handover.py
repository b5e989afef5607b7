"""Writes of 交办/签收, 催办 and the departments' requests (延期申请, 职责异议).

Lifecycle (SOURCES.md, 督查督办): 立项 -> 交办 -> 签收 -> 办理 -> 反馈. Every write is one
transaction with its change record; the 待办 it causes is sent once the write has committed.
An approved request changes the plan through the plans services (change_deadline,
set_task_departments), so the plan's own history shows it the usual way.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaodi.accounts.choices import Role
from gaodi.accounts.models import Membership
from gaodi.audit.services import record_change
from gaodi.orgs.models import Department
from gaodi.orgs.services import Actor
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Assignment, Deadline, Plan, Task
from gaodi.plans.services import change_deadline, set_task_departments
from gaodi.today import today

from .models import Chase, Cycle, Handover, Request
from .notify import notify

CHASE_AFTER_DAYS = 3  # an unacknowledged handover may be chased after this many days (示例)


class Refused(ValueError):
    """A write the rules do not allow; the message says why, in Chinese."""


def liaisons_of(department: Department) -> list[AbstractBaseUser]:
    """The people who speak for a department (部门联络员)."""
    members = Membership.objects.filter(department=department, role=Role.DEPARTMENT)
    return [m.user for m in members.select_related("user")]


def work_team_of(plan: Plan) -> list[AbstractBaseUser]:
    """The work team (工作专班) of the plan's place."""
    members = Membership.objects.filter(org_unit=plan.org_unit, role=Role.ADMIN)
    return [m.user for m in members.select_related("user")]


def _tell(
    users: list[AbstractBaseUser], key: str, title: str, *, body: str = "", url: str = ""
) -> int:
    """Send one 待办 to each; how many were new (a key already sent sends nothing)."""
    return sum(1 for user in users if notify(user, key, title, body=body, url=url) is not None)


def departments_with_tasks(plan: Plan) -> list[Department]:
    """Every department leading or supporting a task of the plan. A collective name
    (区政府有关部门) has no liaison to sign, so it gets no handover."""
    ids = Assignment.objects.filter(
        task__plan=plan, role__in=[AssignmentRole.LEAD, AssignmentRole.COOP]
    ).values("department_id")
    return list(Department.objects.filter(pk__in=ids, collective=False).order_by("name"))


def tasks_of_department(plan: Plan, department: Department, role: str) -> list[Task]:
    """The department's tasks in one role, in document order, deadlines and targets ready."""
    return list(
        plan.tasks.filter(assignments__department=department, assignments__role=role)
        .select_related("section")
        .prefetch_related("deadlines", "assignments__department")
        .distinct()
        .order_by("order")
    )


def handover_number(handover: Handover) -> str:
    """交〔2021〕3号: the year of issue and the handover's place among the plan's handovers."""
    seq = Handover.objects.filter(plan_id=handover.plan_id, pk__lte=handover.pk).count()
    year = timezone.localtime(handover.issued_at).year
    return _("交〔{year}〕{seq}号").format(year=year, seq=seq)


# 交办 / 签收 ------------------------------------------------------------------------------


def issue_handovers(plan: Plan, *, actor: Actor) -> list[Handover]:
    """交办: one handover per department with a task in the plan. Idempotent: a department
    already handed its tasks is left alone; returns the handovers made now."""
    made: list[Handover] = []
    with transaction.atomic():
        for department in departments_with_tasks(plan):
            handover, created = Handover.objects.get_or_create(
                plan=plan,
                department=department,
                defaults={
                    "issued_at": timezone.now(),
                    "issued_by": actor if isinstance(actor, AbstractBaseUser) else None,
                },
            )
            if created:
                made.append(handover)
                record_change(
                    handover,
                    actor=actor,
                    action="issue",
                    after={"department": department.name, "plan": plan.pk},
                    summary=_("向{department}交办任务").format(department=department.name),
                )
    for handover in made:
        _tell(
            liaisons_of(handover.department),
            f"handover:{handover.pk}",
            _("请签收：{plan}交办的任务").format(plan=plan.title),
            body=_("工作专班已向{department}交办任务，请查看并签收。").format(
                department=handover.department.name
            ),
            url=reverse("supervision:handover", args=[handover.pk]),
        )
    return made


def acknowledge_handover(handover: Handover, *, actor: Actor) -> Handover:
    """签收: the department's liaison signs for its tasks. Signing twice changes nothing."""
    if handover.acknowledged_at is not None:
        return handover
    with transaction.atomic():
        handover.acknowledged_at = timezone.now()
        handover.acknowledged_by = actor if isinstance(actor, AbstractBaseUser) else None
        handover.save(update_fields=["acknowledged_at", "acknowledged_by"])
        record_change(
            handover,
            actor=actor,
            action="acknowledge",
            before={"acknowledged": False},
            after={"acknowledged": True},
            summary=_("{department}签收交办任务").format(department=handover.department.name),
        )
    return handover


def overdue_handovers(plan: Plan, *, days: int, on: dt.date | None = None) -> list[Handover]:
    """Handovers not signed for although issued at least `days` days ago."""
    day = on or today()
    return [
        handover
        for handover in plan.handovers.filter(acknowledged_at__isnull=True).select_related(
            "department"
        )
        if (day - timezone.localtime(handover.issued_at).date()).days >= days
    ]


def chase_handovers(plan: Plan, *, days: int = CHASE_AFTER_DAYS, actor: Actor) -> list[Handover]:
    """催办 every handover left unsigned `days` days or more: a 待办 to its liaisons, at most
    once a day per handover, and a change record. Returns the handovers chased now."""
    if days < 0:
        raise Refused(_("天数不能为负"))
    day = today()
    chased: list[Handover] = []
    for handover in overdue_handovers(plan, days=days, on=day):
        sent = _tell(
            liaisons_of(handover.department),
            f"handover-chase:{handover.pk}:{day.isoformat()}",
            _("催办：请签收{plan}交办的任务").format(plan=plan.title),
            body=_("交办已超过 {days} 天尚未签收，请尽快查看并签收。").format(days=days),
            url=reverse("supervision:handover", args=[handover.pk]),
        )
        if sent:
            record_change(
                handover,
                actor=actor,
                action="chase",
                after={"days": days, "on": day.isoformat(), "sent": sent},
                summary=_("催办{department}签收（逾 {days} 天）").format(
                    department=handover.department.name, days=days
                ),
            )
            chased.append(handover)
    return chased


# 催办 of a task ---------------------------------------------------------------------------


def is_assigned(task: Task, department: Department) -> bool:
    return task.assignments.filter(
        department=department, role__in=[AssignmentRole.LEAD, AssignmentRole.COOP]
    ).exists()


def chase_task(
    task: Task,
    department: Department,
    *,
    message: str,
    actor: Actor,
    cycle: Cycle | None = None,
) -> Chase:
    """催办: the work team or an inspector chases a department on one of its tasks."""
    message = message.strip()
    if not message:
        raise Refused(_("请填写催办内容"))
    if not is_assigned(task, department):
        raise Refused(_("{department}不承担该任务").format(department=department.name))
    with transaction.atomic():
        chase = Chase.objects.create(
            task=task,
            department=department,
            cycle=cycle,
            message=message,
            chased_on=today(),
            chased_by=actor if isinstance(actor, AbstractBaseUser) else None,
        )
        record_change(
            chase,
            actor=actor,
            action="create",
            after={"task": task.label, "department": department.name, "message": message},
            summary=_("催办{department}：{task}").format(
                department=department.name, task=task.label
            ),
        )
    _tell(
        liaisons_of(department),
        f"chase:{chase.pk}",
        _("催办：{task}").format(task=task.label),
        body=message,
        url=reverse("supervision:chase", args=[chase.pk]),
    )
    return chase


def answer_chase(chase: Chase, *, answer: str, actor: Actor) -> Chase:
    """The department answers a chase (once; a later word is a new report, not an edit)."""
    answer = answer.strip()
    if not answer:
        raise Refused(_("请填写回复"))
    if chase.answered_on is not None:
        raise Refused(_("该催办已回复"))
    with transaction.atomic():
        chase.answer = answer
        chase.answered_on = today()
        chase.save(update_fields=["answer", "answered_on"])
        record_change(
            chase,
            actor=actor,
            action="answer",
            before={"answered": False},
            after={"answer": answer},
            summary=_("{department}回复催办：{task}").format(
                department=chase.department.name, task=chase.task.label
            ),
        )
    if chase.chased_by is not None:
        _tell(
            [chase.chased_by],
            f"chase-answer:{chase.pk}",
            _("{department}已回复催办：{task}").format(
                department=chase.department.name, task=chase.task.label
            ),
            body=answer,
            url=reverse("supervision:chase", args=[chase.pk]),
        )
    return chase


# 延期申请 / 职责异议 ------------------------------------------------------------------------


def _file(request: Request, actor: Actor, summary: str) -> Request:
    with transaction.atomic():
        request.save()
        record_change(
            request,
            actor=actor,
            action="create",
            after={
                "kind": request.kind,
                "task": request.task.label,
                "department": request.department.name,
                "old_date": request.old_date.isoformat() if request.old_date else None,
                "new_date": request.new_date.isoformat() if request.new_date else None,
                "reason": request.reason,
            },
            summary=summary,
        )
    _tell(
        work_team_of(request.task.plan),
        f"request:{request.pk}",
        _("待处理：{department}的{kind}（{task}）").format(
            department=request.department.name,
            kind=request.get_kind_display(),
            task=request.task.label,
        ),
        body=request.reason,
        url=reverse("supervision:request", args=[request.pk]),
    )
    return request


def file_extension(
    deadline: Deadline, department: Department, *, new_date: dt.date, reason: str, actor: Actor
) -> Request:
    """延期申请: a department asks to move one of its task's deadlines to a later date."""
    task = deadline.task
    reason = reason.strip()
    if task is None or not is_assigned(task, department):
        raise Refused(_("只能为本部门承担的任务申请延期"))
    if not reason:
        raise Refused(_("请填写理由"))
    if new_date <= deadline.date:
        raise Refused(_("新时限应晚于原时限 {old}").format(old=deadline.date.isoformat()))
    if Request.objects.filter(
        deadline=deadline, status=Request.Status.PENDING, kind=Request.Kind.EXTENSION
    ).exists():
        raise Refused(_("该时限已有待处理的延期申请"))
    request = Request(
        kind=Request.Kind.EXTENSION,
        task=task,
        department=department,
        deadline=deadline,
        old_date=deadline.date,
        new_date=new_date,
        reason=reason,
        requested_at=timezone.now(),
        requested_by=actor if isinstance(actor, AbstractBaseUser) else None,
    )
    summary = _("{department}申请将{task}的时限由 {old} 延至 {new}").format(
        department=department.name,
        task=task.label,
        old=deadline.date.isoformat(),
        new=new_date.isoformat(),
    )
    return _file(request, actor, summary)


def file_dispute(task: Task, department: Department, *, reason: str, actor: Actor) -> Request:
    """职责异议: a department disputes that a task (or its role in it) is its own."""
    reason = reason.strip()
    if not is_assigned(task, department):
        raise Refused(_("只能对本部门承担的任务提出异议"))
    if not reason:
        raise Refused(_("请填写理由"))
    if Request.objects.filter(
        task=task, department=department, status=Request.Status.PENDING, kind=Request.Kind.DISPUTE
    ).exists():
        raise Refused(_("该任务已有本部门待处理的职责异议"))
    request = Request(
        kind=Request.Kind.DISPUTE,
        task=task,
        department=department,
        reason=reason,
        requested_at=timezone.now(),
        requested_by=actor if isinstance(actor, AbstractBaseUser) else None,
    )
    summary = _("{department}对{task}的分工提出异议").format(
        department=department.name, task=task.label
    )
    return _file(request, actor, summary)


def decide_request(
    request: Request,
    *,
    approve: bool,
    decision: str,
    actor: Actor,
    lead: list[Department] | None = None,
    coop: list[Department] | None = None,
) -> Request:
    """The work team approves or refuses. An approved extension moves the deadline
    (change_deadline); an approved dispute sets the task's corrected departments
    (set_task_departments). A refusal needs a reason; the plan is left as it was."""
    decision = decision.strip()
    if request.status != Request.Status.PENDING:
        raise Refused(_("该申请已处理"))
    if not approve and not decision:
        raise Refused(_("不同意时请写明理由"))
    with transaction.atomic():
        if approve:
            _apply(request, decision, actor, lead, coop)
        request.status = Request.Status.APPROVED if approve else Request.Status.REFUSED
        request.decision = decision
        request.decided_at = timezone.now()
        request.decided_by = actor if isinstance(actor, AbstractBaseUser) else None
        request.save(update_fields=["status", "decision", "decided_at", "decided_by"])
        record_change(
            request,
            actor=actor,
            action="approve" if approve else "refuse",
            before={"status": Request.Status.PENDING},
            after={"status": request.status, "decision": decision},
            summary=_("{status}{department}的{kind}（{task}）").format(
                status=request.get_status_display(),
                department=request.department.name,
                kind=request.get_kind_display(),
                task=request.task.label,
            ),
        )
    _tell(
        [request.requested_by] if request.requested_by else liaisons_of(request.department),
        f"request-decided:{request.pk}",
        _("{kind}{status}：{task}").format(
            kind=request.get_kind_display(),
            status=request.get_status_display(),
            task=request.task.label,
        ),
        body=decision,
        url=reverse("supervision:request", args=[request.pk]),
    )
    return request


def _apply(
    request: Request,
    decision: str,
    actor: Actor,
    lead: list[Department] | None,
    coop: list[Department] | None,
) -> None:
    reason = _("同意{department}的{kind}").format(
        department=request.department.name, kind=request.get_kind_display()
    )
    if decision:
        reason = f"{reason}：{decision}"
    if request.kind == Request.Kind.EXTENSION:
        if request.deadline is None or request.new_date is None:
            raise Refused(_("原时限已不存在，无法延期"))
        change_deadline(request.deadline, date=request.new_date, reason=reason, actor=actor)
        return
    lead, coop = corrected_departments(request.task, request.department, lead, coop)
    if not lead:
        raise Refused(_("任务至少要有一个牵头单位"))
    set_task_departments(request.task, lead=lead, coop=coop, reason=reason, actor=actor)


def corrected_departments(
    task: Task,
    department: Department,
    lead: list[Department] | None = None,
    coop: list[Department] | None = None,
) -> tuple[list[Department], list[Department]]:
    """The departments the task gets if a dispute is approved: as given, or by default the
    current ones without the disputing department."""
    current = list(
        task.assignments.filter(role__in=[AssignmentRole.LEAD, AssignmentRole.COOP])
        .select_related("department")
        .order_by("order")
    )
    if lead is None:
        lead = [
            a.department
            for a in current
            if a.role == AssignmentRole.LEAD and a.department_id != department.pk
        ]
    if coop is None:
        coop = [
            a.department
            for a in current
            if a.role == AssignmentRole.COOP and a.department_id != department.pk
        ]
    return lead, [d for d in coop if d not in lead]
