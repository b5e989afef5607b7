"""Reads that matter for plans."""

from __future__ import annotations

from django.db.models import Prefetch, Q

from .choices import AssignmentRole, QuantityKind
from .diff import Snapshot, quantity_key, task_key
from .models import Assignment, Plan, Target


def latest_version(org_unit_id: int, series: str) -> Plan | None:
    return Plan.objects.filter(org_unit_id=org_unit_id, series=series).order_by("-version").first()


def plan_snapshot(plan: Plan) -> Snapshot:
    """The comparable content of a stored plan (see diff.draft_snapshot)."""
    tasks = {}
    assignments = Prefetch("assignments", queryset=Assignment.objects.select_related("department"))
    for task in plan.tasks.select_related("section").prefetch_related(assignments, "deadlines"):
        roles = {
            role: [a.department.name for a in task.assignments.all() if a.role == role]
            for role in (AssignmentRole.LEAD, AssignmentRole.COOP)
        }
        targets = Target.objects.filter(task=task, kind=QuantityKind.TARGET)
        tasks[task_key(task.section.title if task.section else "", task.number)] = {
            "title": task.title,
            "lead": roles[AssignmentRole.LEAD],
            "coop": roles[AssignmentRole.COOP],
            "deadlines": sorted(d.date.isoformat() for d in task.deadlines.all()),
            "targets": sorted(quantity_key(t.value, t.unit, t.comparator, t.year) for t in targets),
        }
    in_plan = Q(assignments__task__plan=plan) | Q(assignments__list_item__plan=plan)
    departments = sorted(
        set(
            plan.org_unit.departments.filter(in_plan, collective=False).values_list(
                "name", flat=True
            )
        )
    )
    return {"tasks": tasks, "departments": departments}
