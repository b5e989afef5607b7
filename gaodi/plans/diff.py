"""What changed between two versions of a plan: tasks, departments, deadlines, targets.

Pure: snapshots are plain dicts (from a PlanDraft here, from the database in queries.py), so
the diff is tested without a database and reads the same whichever side it comes from.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gaodi.plans.parsing.draft import PlanDraft

Snapshot = dict[str, Any]


def task_key(section: str, number: int) -> str:
    """重点任务:14 — numbers may restart per part, so the part is part of the key."""
    return f"{section}:{number}"


def draft_snapshot(draft: PlanDraft) -> Snapshot:
    """The comparable content of a parsed plan, departments by their canonical names."""
    names = draft.canonical_names()
    tasks = {}
    for task in draft.tasks:
        tasks[task_key(task.section, task.number)] = {
            "title": task.title,
            "lead": [names.get(n, n) for n in task.lead_units],
            "coop": [names.get(n, n) for n in task.coop_units],
            "deadlines": sorted(d.date for d in task.deadlines),
            "targets": sorted(
                quantity_key(Decimal(str(q.value)), q.unit, q.comparator, q.year)
                for q in task.targets
                if q.kind == "target"
            ),
        }
    collective = {u.name for u in draft.units if u.collective}
    named = [n for t in draft.tasks for n in t.lead_units + t.coop_units]
    named += [n for row in draft.task_list for n in row.units]
    departments = sorted({names.get(n, n) for n in named} - collective)
    rows = {
        str(row.seq): {"text": row.text, "units": [names.get(n, n) for n in row.units]}
        for row in draft.task_list
    }
    document = {
        "title": draft.document.title,
        "doc_number": draft.document.doc_number or "",
        "public": draft.document.public,
    }
    members = [f"{m.role} {m.name} {m.position}" for m in draft.leading_group]
    return {
        "tasks": tasks,
        "departments": departments,
        "rows": rows,
        "document": document,
        "leading_group": members,
    }


def plain_number(value: Decimal) -> str:
    """70.000000 -> 70, 95.400000 -> 95.4 (never 7E+1)."""
    return f"{value.normalize():f}"


def quantity_key(value: Decimal, unit: str | None, comparator: str, year: int | None) -> str:
    """>=70%@2022: one target as text, the same from a draft and from the database."""
    number = plain_number(value)
    return f"{comparator}{number}{unit or ''}" + (f"@{year}" if year else "")


def diff_snapshots(old: Snapshot, new: Snapshot) -> dict[str, Any]:
    """Added, removed and changed tasks (field by field) and departments."""
    old_tasks, new_tasks = old.get("tasks", {}), new.get("tasks", {})
    changed = {}
    for key in sorted(set(old_tasks) & set(new_tasks), key=_order):
        fields = {
            name: {"before": old_tasks[key][name], "after": new_tasks[key][name]}
            for name in ("title", "lead", "coop", "deadlines", "targets")
            if old_tasks[key].get(name) != new_tasks[key].get(name)
        }
        if fields:
            changed[key] = fields
    old_departments, new_departments = (
        set(old.get("departments", [])),
        set(new.get("departments", [])),
    )
    old_rows, new_rows = old.get("rows", {}), new.get("rows", {})
    document = {
        name: {"before": value, "after": new.get("document", {}).get(name)}
        for name, value in old.get("document", {}).items()
        if new.get("document", {}).get(name) != value
    }
    group_before, group_after = old.get("leading_group", []), new.get("leading_group", [])
    return {
        "document_changed": document,
        "rows_added": sorted(set(new_rows) - set(old_rows), key=int),
        "rows_removed": sorted(set(old_rows) - set(new_rows), key=int),
        "rows_changed": sorted(
            (s for s in set(old_rows) & set(new_rows) if old_rows[s] != new_rows[s]), key=int
        ),
        "leading_group_changed": (
            {"before": group_before, "after": group_after} if group_before != group_after else {}
        ),
        "tasks_added": sorted(set(new_tasks) - set(old_tasks), key=_order),
        "tasks_removed": sorted(set(old_tasks) - set(new_tasks), key=_order),
        "tasks_changed": changed,
        "departments_added": sorted(new_departments - old_departments),
        "departments_removed": sorted(old_departments - new_departments),
    }


def _order(key: str) -> tuple[str, int]:
    section, _, number = key.rpartition(":")
    return section, int(number) if number.isdigit() else 0


def is_empty(diff: dict[str, Any]) -> bool:
    return not any(diff.values())
