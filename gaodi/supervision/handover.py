"""Writes of 交办/签收, and what the 催办 and request services share (Refused, who is told).

Lifecycle (SOURCES.md, 督查督办): 立项 -> 交办 -> 签收 -> 办理 -> 反馈. Every write is one
transaction with its change record; the 待办 it causes is sent once the write has committed.
催办 of a task is in chases.py, the departments' requests (延期申请, 职责异议) in
change_requests.py.
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
from gaodi.plans.models import Assignment, Plan, Task
from gaodi.today import now, today

from .models import Handover
from .notify import notify

CHASE_AFTER_DAYS = 3  # an unacknowledged handover may be chased after this many days (示例)


class Refused(ValueError):
    """A write the rules do not allow; the message says why, in Chinese."""


def liaisons_of(department: Department) -> list[AbstractBaseUser]:
    """The people who speak for a department (部门联络员)."""
    members = Membership.objects.filter(department=department, role=Role.DEPARTMENT)
    return [m.user for m in members.select_related("user")]


def tell(
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


def is_assigned(task: Task, department: Department) -> bool:
    return task.assignments.filter(
        department=department, role__in=[AssignmentRole.LEAD, AssignmentRole.COOP]
    ).exists()


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
                    "issued_at": now(),
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
        tell(
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
    with transaction.atomic():
        # Locked and read again: two signatures sent at once (a double click) store one.
        Handover.objects.select_for_update().filter(pk=handover.pk).first()
        handover.refresh_from_db(fields=["acknowledged_at", "acknowledged_by"])
        if handover.acknowledged_at is not None:
            return handover
        handover.acknowledged_at = now()
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
        sent = tell(
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
