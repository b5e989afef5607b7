"""Reads that matter for plans."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from gaodi.orgs.models import Department

from .choices import AssignmentRole, QuantityKind
from .diff import Snapshot, quantity_key, task_key
from .models import Assignment, Deadline, Parameter, Plan, PlanTable, Section, Target, Task


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
    rows = {
        str(row.seq): {"text": row.text, "units": _canonical_units(row.units, plan)}
        for row in plan.task_list.all()
    }
    document = {"title": plan.title, "doc_number": plan.doc_number, "public": plan.public}
    members = [
        f"{m.role} {m.person.name} {m.person.position}"
        for m in plan.leading_group.select_related("person")
    ]
    return {
        "tasks": tasks,
        "departments": departments,
        "rows": rows,
        "document": document,
        "leading_group": members,
    }


def _canonical_units(spellings: list[str], plan: Plan) -> list[str]:
    names = {}
    for department in plan.org_unit.departments.all():
        names[department.name] = department.name
        names.update(dict.fromkeys(department.aliases, department.name))
    return [names.get(s, s) for s in spellings]


def counts(plan: Plan) -> dict[str, int]:
    return {
        "tasks": plan.tasks.count(),
        "rows": plan.task_list.count(),
        "departments": Department.objects.filter(
            Q(assignments__task__plan=plan) | Q(assignments__list_item__plan=plan), collective=False
        )
        .distinct()
        .count(),
        "deadlines": Deadline.objects.filter(task__plan=plan).count(),
        "findings": plan.findings.count(),
    }


def sections_with_counts(plan: Plan) -> QuerySet[Section]:
    return plan.sections.annotate(task_count=Count("tasks"))


def tasks_of(plan: Plan) -> QuerySet[Task]:
    """A plan's tasks with what every list shows (departments, deadlines), in document order."""
    assignments = Prefetch("assignments", queryset=Assignment.objects.select_related("department"))
    return plan.tasks.select_related("section", "plan").prefetch_related(assignments, "deadlines")


def filter_tasks(
    tasks: QuerySet[Task],
    *,
    department: Department | None = None,
    role: str = "",
    section: Section | None = None,
    due_before: dt.date | None = None,
    q: str = "",
) -> QuerySet[Task]:
    if department is not None:
        condition = Q(assignments__department=department)
        if role:
            condition &= Q(assignments__role=role)
        tasks = tasks.filter(condition)
    elif role:
        tasks = tasks.filter(assignments__role=role)
    if section is not None:
        tasks = tasks.filter(section=section)
    if due_before is not None:
        tasks = tasks.filter(deadlines__date__lte=due_before)
    if q:
        tasks = tasks.filter(Q(title__icontains=q) | Q(text__icontains=q))
    return tasks.distinct()


def targets_of(task: Task) -> QuerySet[Target]:
    return Target.objects.filter(task=task).order_by("id")


def parameters_of(task: Task) -> QuerySet[Parameter]:
    return Parameter.objects.filter(task=task).order_by("id")


def departments_of(plan: Plan) -> list[dict[str, Any]]:
    """Departments named by the plan, with how many tasks each leads and supports."""
    rows = (
        Assignment.objects.filter(task__plan=plan)
        .values("department_id", "department__name", "department__collective")
        .annotate(
            lead=Count("id", filter=Q(role=AssignmentRole.LEAD)),
            coop=Count("id", filter=Q(role=AssignmentRole.COOP)),
        )
        .order_by("-lead", "-coop", "department__name")
    )
    return [
        {
            "id": r["department_id"],
            "name": r["department__name"],
            "collective": r["department__collective"],
            "lead": r["lead"],
            "coop": r["coop"],
        }
        for r in rows
    ]


def work_of(plan: Plan, department: Department) -> dict[str, Any]:
    """What a department leads, what it supports, and its deadlines in order (a liaison's page)."""
    # One filter() per role: the department and the role must be the same assignment.
    mine = tasks_of(plan).filter(assignments__department=department).distinct()
    leads = (
        tasks_of(plan)
        .filter(assignments__department=department, assignments__role=AssignmentRole.LEAD)
        .distinct()
    )
    supports = (
        tasks_of(plan)
        .filter(assignments__department=department, assignments__role=AssignmentRole.COOP)
        .distinct()
    )
    deadlines = (
        Deadline.objects.filter(task__in=mine.values("pk"))
        .select_related("task__section")
        .order_by("date", "task__order")
    )
    rows = plan.task_list.filter(assignments__department=department).distinct()
    return {"leads": leads, "supports": supports, "deadlines": deadlines, "rows": rows}


def _table_row(tables: dict[str, PlanTable], where: dict[str, Any]) -> dict[str, Any]:
    """The printed row a table finding points at, with its table's columns."""
    table = tables.get(where.get("table", ""))
    name = where.get("indicator") or ""
    if table is None or not name:
        return {}
    row = next(
        (
            r
            for r in table.rows
            if r
            and r[0].replace(" ", "").startswith(name.replace(" ", ""))
            or (len(r) > 1 and r[1].startswith(name))
        ),
        None,
    )
    return {"columns": table.columns, "row": row} if row else {}


_DEPARTMENT_CODES = {
    "list-lead-missing",
    "unknown-unit",
    "duplicate-unit",
    "missing-responsibility",
}


def review_items(plan: Plan) -> list[dict[str, Any]]:
    """Each finding with the source it points at: the task's text, the row, the table."""
    tasks = {t.number: t for t in tasks_of(plan)}
    rows = {r.seq: r for r in plan.task_list.prefetch_related("tasks")}
    targets: dict[int, list[Target]] = {}
    for target in Target.objects.filter(task__plan=plan).order_by("id"):
        targets.setdefault(target.task_id or 0, []).append(target)
    by_line = {t.line: t for t in tasks.values() if t.line}
    tables = {t.title: t for t in plan.tables.all()}
    items = []
    for finding in plan.findings.all():
        places = []
        if finding.line in by_line and not finding.where:  # a parse warning: show its task
            places.append({"kind": "task", "task": by_line[finding.line], "targets": []})
        for where in finding.where or []:
            if "task" in where and where["task"] in tasks:
                task = tasks[where["task"]]
                shown = targets.get(task.pk, []) if finding.code == "target-conflict" else []
                duty = finding.code in _DEPARTMENT_CODES
                places.append(
                    {
                        "kind": "task",
                        "task": task,
                        "targets": shown,
                        "departments": duty,
                        "lead_ids": {
                            a.department_id for a in task.assignments.all() if a.role == "lead"
                        },
                        "coop_ids": {
                            a.department_id for a in task.assignments.all() if a.role == "coop"
                        },
                    }
                )
            elif "row" in where and where["row"] in rows:
                row = rows[where["row"]]
                linked = {t.pk for t in row.tasks.all()}
                places.append({"kind": "row", "row": row, "linked": linked})
            elif "table" in where:
                places.append({"kind": "table", "where": where, **_table_row(tables, where)})
        items.append({"finding": finding, "places": places})
    return items


_YEAR_COLUMN = re.compile(r"\d{4}\s*年")


def indicator_tables(plan: Plan) -> list[PlanTable]:
    """The plan's tables with year columns (附件2-style indicator tables), not its task lists."""
    return [t for t in plan.tables.all() if any(_YEAR_COLUMN.search(c) for c in t.columns)]
