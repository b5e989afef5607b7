"""The departments' requests: 延期申请 (move a deadline) and 职责异议 (dispute a task's part).

A department files, the work team approves or refuses. An approved request changes the plan
through the plans services (change_deadline, set_task_departments), so the plan's own history
shows it the usual way. Every write is one transaction with its change record; the 待办 is sent
once it has committed.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from gaodi.accounts.choices import Role
from gaodi.accounts.models import Membership
from gaodi.audit.queries import last_change, who_and_when
from gaodi.audit.services import record_change
from gaodi.orgs.models import Department
from gaodi.orgs.services import Actor
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Deadline, Plan, Task
from gaodi.plans.services import change_deadline, set_task_departments
from gaodi.today import now

from .handover import Refused, is_assigned, liaisons_of, tell
from .models import Request


def work_team_of(plan: Plan) -> list[AbstractBaseUser]:
    """The work team (工作专班) of the plan's place."""
    members = Membership.objects.filter(org_unit=plan.org_unit, role=Role.ADMIN)
    return [m.user for m in members.select_related("user")]


def _file(request: Request, actor: Actor, summary: str) -> Request:
    try:
        with transaction.atomic():
            _store_request(request, actor, summary)
    except IntegrityError:  # the same request sent twice at once: the other one is pending
        raise Refused(_("已有待处理的同类申请，请勿重复提交")) from None
    tell(
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


def _store_request(request: Request, actor: Actor, summary: str) -> None:
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
        requested_at=now(),
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
        requested_at=now(),
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
    if not approve and not decision:
        raise Refused(_("不同意时请写明理由"))
    with transaction.atomic():
        # Locked and read again: two decisions sent at once (a double click, two members of
        # the work team) apply one; the second is told who decided.
        Request.objects.select_for_update().filter(pk=request.pk).first()
        request.refresh_from_db()
        if request.status != Request.Status.PENDING:
            raise Refused(_decided_already(request))
        if approve:
            _apply(request, decision, actor, lead, coop)
        request.status = Request.Status.APPROVED if approve else Request.Status.REFUSED
        request.decision = decision
        request.decided_at = now()
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
    tell(
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


def _decided_already(request: Request) -> str:
    who, when = who_and_when(last_change(request))
    if not who:
        return _("该申请已处理")
    return _("该申请已处理（{who}于 {when}{status}），请刷新后查看").format(
        who=who, when=when, status=request.get_status_display()
    )


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
