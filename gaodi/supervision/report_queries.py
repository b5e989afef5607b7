"""进展报告, the read side: a report's chain of versions and evidence, who may see, edit and
review it, and the rows of 本部门本轮任务. The writes are in reports.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from gaodi.accounts.choices import Role
from gaodi.accounts.gate import Action, User, can, department_of, memberships
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Assignment, Plan, Task

from .models import Cycle, Evidence, ProgressReport

Status = ProgressReport.Status
Tier = ProgressReport.Tier
LEAD, PART = "lead", "part"  # the values of ProgressReport.Tier, as plain str for the type checker


def tier_of(task: Task, department_id: int) -> str | None:
    """`lead` if the department leads the task, `part` if it cooperates, else None."""
    roles = set(
        Assignment.objects.filter(task=task, department_id=department_id).values_list(
            "role", flat=True
        )
    )
    if AssignmentRole.LEAD in roles:
        return LEAD
    return PART if AssignmentRole.COOP in roles else None


def chain(
    cycle: Cycle, task: Task, department_id: int, root_id: int | None = None
) -> QuerySet[ProgressReport]:
    """Every version of one department's report on a task in a cycle (``root_id``: the
    department's root when known, so that the write path reads one province)."""
    found = ProgressReport.objects.filter(cycle=cycle, task=task, department_id=department_id)
    return found if root_id is None else found.filter(root_id=root_id)


def latest_report(cycle: Cycle, task: Task, department_id: int) -> ProgressReport | None:
    found: ProgressReport | None = chain(cycle, task, department_id).order_by("-version").first()
    return found


def evidence_of(report: ProgressReport) -> QuerySet[Evidence]:
    """The evidence of this version and of the versions before it."""
    return Evidence.objects.filter(
        report__cycle=report.cycle_id,
        report__task=report.task_id,
        report__department=report.department_id,
        report__version__lte=report.version,
    ).order_by("uploaded_at", "pk")


def lead_department_ids(task: Task) -> list[int]:
    return list(
        Assignment.objects.filter(task=task, role=AssignmentRole.LEAD).values_list(
            "department_id", flat=True
        )
    )


def sees_all(user: User, plan: Plan) -> bool:
    """The work team, the leaders and the inspectors of the plan's place see every report."""
    return can(user, Action.VIEW_FINDINGS, plan.org_unit_id)


def may_see(user: User, plan: Plan, task: Task, department_id: int) -> bool:
    """Own reports; a lead department also sees the parts of its cooperating departments."""
    if sees_all(user, plan):
        return True
    own = department_of(user)
    if own is None:
        return False
    if own == department_id:
        return True
    return tier_of(task, own) == LEAD and tier_of(task, department_id) == PART


def may_review(user: User, report: ProgressReport) -> bool:
    """The work team of the place, or an inspector whose scope runs the report's schedule
    (区委督查室 reviews the 督查 rounds, 区政府教育督导室 the 调度 rounds)."""
    plan = report.task.plan
    if not can(user, Action.INSPECT, plan.org_unit_id):
        return False
    if can(user, Action.REVIEW, plan.org_unit_id):
        return True
    scope = report.cycle.schedule.scope
    return any(m.role == Role.INSPECTOR and m.inspector_scope == scope for m in memberships(user))


def may_edit(user: User, department_id: int) -> bool:
    return department_of(user) == department_id


def current_cycles(plan: Plan, day: dt.date) -> list[Cycle]:
    """Per active schedule of the plan (调度, then 督查), the latest round begun by `day`."""
    found = []
    for schedule in plan.schedules.filter(active=True).order_by("kind"):  # dispatch < inspection
        cycle = schedule.cycles.filter(starts_on__lte=day).order_by("-starts_on").first()
        if cycle is not None:
            found.append(cycle)
    return found


@dataclass
class TaskRow:
    """A line of 本部门本轮任务."""

    cycle: Cycle
    task: Task
    tier: str
    report: ProgressReport | None
    parts_submitted: int = 0

    @property
    def tier_label(self) -> str:
        return str(Tier(self.tier).label)


def department_rows(plan: Plan, department_id: int, day: dt.date) -> list[TaskRow]:
    """Every task the department leads or cooperates on, in every current cycle."""
    assignments = Assignment.objects.filter(
        task__plan=plan,
        department_id=department_id,
        role__in=[AssignmentRole.LEAD, AssignmentRole.COOP],
    ).select_related("task__section")
    tiers: dict[int, tuple[Task, str]] = {}
    for assignment in assignments.order_by("task__order"):
        tier = LEAD if assignment.role == AssignmentRole.LEAD else PART
        if tiers.get(assignment.task_id, (None, ""))[1] != LEAD:
            tiers[assignment.task_id] = (assignment.task, tier)
    rows = []
    for cycle in current_cycles(plan, day):
        for task, tier in tiers.values():
            row = TaskRow(cycle, task, tier, latest_report(cycle, task, department_id))
            if tier == LEAD:
                row.parts_submitted = len(parts_of(cycle, task))
            rows.append(row)
    return rows


def parts_of(cycle: Cycle, task: Task) -> list[ProgressReport]:
    """The latest submitted version of every cooperating department's part (drafts unseen)."""
    found: dict[int, ProgressReport] = {}
    parts = ProgressReport.objects.filter(cycle=cycle, task=task, tier=Tier.PART).exclude(
        status=Status.DRAFT
    )
    for part in parts.select_related("department").order_by("department_id", "-version"):
        found.setdefault(part.department_id, part)
    return list(found.values())


def consolidated_narrative(parts: list[ProgressReport]) -> str:
    """A starting text for the lead's first draft: each part under its department's name."""
    return "\n".join(
        _("【{department}】{narrative}").format(
            department=part.department.name, narrative=part.narrative
        )
        for part in parts
    )
