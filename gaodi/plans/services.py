"""Writes to plans. `import_plan` turns a PlanDraft into a stored, versioned plan."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change
from gaodi.indicators.services import seed_indicators
from gaodi.orgs.models import Department, OrgUnit, Person
from gaodi.orgs.services import (
    Actor,
    department_aliases,
    record_department_changes,
    upsert_department,
)
from gaodi.orgs.tree import units_named_in
from gaodi.plans.consistency import audit_plan
from gaodi.plans.consistency.finding import task_label
from gaodi.plans.parsing import draft as parsed
from gaodi.specialties.services import seed_catalogue, seed_layout
from gaodi.supervision.services import seed_schedules

from .choices import AssignmentRole, QuantityKind
from .diff import diff_snapshots, draft_snapshot, plain_number
from .models import (
    Assignment,
    Deadline,
    Finding,
    LeadingGroupMember,
    Parameter,
    Plan,
    PlanTable,
    Section,
    Target,
    Task,
    TaskListItem,
)
from .queries import latest_version, plan_snapshot


class FixRefused(ValueError):
    """A review fix that cannot be made as asked; the message is Chinese, nothing changed."""


class ImportRefused(Exception):
    """The plan cannot be imported as it is; the message says why, in Chinese."""


def series_of(draft: parsed.PlanDraft) -> str:
    """All versions of one plan share this: its 文号, else its title."""
    return draft.document.doc_number or draft.document.title


def org_unit_for(draft: parsed.PlanDraft) -> OrgUnit:
    """The deepest org unit the issuer names (聊城市茌平区人民政府 -> 茌平区)."""
    text = (draft.document.issuer or "") + draft.document.title
    units = list(units_named_in(text))
    if not units:
        raise ImportRefused(_("无法从发文机关判断方案所属的行政区，请指定所属机构"))
    return max(units, key=lambda u: len(_ancestors(u)))


def _ancestors(unit: OrgUnit) -> list[OrgUnit]:
    chain = []
    while unit.parent_id:
        unit = unit.parent  # type: ignore[assignment]
        chain.append(unit)
    return chain


@transaction.atomic
def import_plan(
    draft: parsed.PlanDraft,
    *,
    actor: Actor,
    org_unit: OrgUnit | None = None,
    source_sha256: str = "",
) -> Plan:
    """Store a parsed plan as a new version, with one change record for the whole import.

    Re-importing the same plan (same 文号 or title in the same org unit) makes version n+1,
    keeps version n untouched and records what changed between them.
    """
    if not draft.tasks:
        raise ImportRefused(_("文件中没有识别到任务，未导入"))
    unit = org_unit or org_unit_for(draft)
    series = series_of(draft)
    previous = latest_version(unit.pk, series)
    changes = diff_snapshots(plan_snapshot(previous), draft_snapshot(draft)) if previous else {}
    plan = Plan.objects.create(
        org_unit=unit,
        series=series,
        version=previous.version + 1 if previous else 1,
        previous=previous,
        title=draft.document.title,
        doc_number=draft.document.doc_number or "",
        issuer=draft.document.issuer or "",
        issue_date=dt.date.fromisoformat(draft.document.issue_date)
        if draft.document.issue_date
        else None,
        public=draft.document.public,
        source_format=draft.source_format,
        source_sha256=source_sha256,
        imported_at=timezone.now(),
        changes=changes,
    )
    known = department_aliases(unit)
    departments = _departments(draft, unit)
    counts = _store_content(plan, draft, departments, unit)
    record_department_changes(unit, known, actor=actor)
    counts.update(seed_indicators(plan, draft))
    counts["schedules"] = seed_schedules(plan, draft)
    counts["specialties"] = seed_catalogue(actor=actor)  # idempotent: the first plan seeds it
    counts["layout"] = seed_layout(plan, actor=actor)  # 附件2 二、专业布局, when the plan has it
    record_change(
        plan,
        actor=actor,
        action="import",
        after={"version": plan.version, "sha256": source_sha256, **counts},
        before={"version": previous.version} if previous else None,
        summary=_("导入《{title}》第{version}版").format(title=plan.title, version=plan.version),
    )
    return plan


def _departments(draft: parsed.PlanDraft, unit: OrgUnit) -> dict[str, Department]:
    """Every spelling of the draft -> its stored Department."""
    by_spelling = {}
    for registered in draft.units:
        department = upsert_department(
            unit, registered.name, registered.aliases, registered.collective
        )
        by_spelling[registered.name] = department
        for alias in registered.aliases:
            by_spelling[alias] = department
    return by_spelling


def _store_content(
    plan: Plan, draft: parsed.PlanDraft, departments: dict[str, Department], unit: OrgUnit
) -> dict[str, int]:
    sections: dict[str, Section] = {}
    tasks = []
    for order, parsed_task in enumerate(draft.tasks, start=1):
        title = parsed_task.section
        if title not in sections:
            sections[title] = Section.objects.create(
                plan=plan, order=len(sections) + 1, title=title
            )
        task = Task.objects.create(
            plan=plan,
            section=sections[title],
            order=order,
            number=parsed_task.number,
            numbering=parsed_task.numbering,
            title=parsed_task.title[:500],
            text=parsed_task.text,
            line=parsed_task.line,
        )
        clause = task_label(parsed_task)
        _assign(departments, parsed_task.lead_units, AssignmentRole.LEAD, task=task)
        _assign(departments, parsed_task.coop_units, AssignmentRole.COOP, task=task)
        _dates_and_numbers(parsed_task.deadlines, parsed_task.targets, clause, task=task)
        tasks.append((parsed_task, task))
    rows = _store_rows(plan, draft, departments, tasks)
    _store_people(plan, draft, departments, unit)
    _store_tables_and_findings(plan, draft)
    return {
        "tasks": len(tasks),
        "task_list": rows,
        "departments": len(set(departments.values())),
        "leading_group": len(draft.leading_group),
    }


def _assign(departments: dict[str, Department], names: list[str], role: str, **owner: Any) -> None:
    for order, name in enumerate(names, start=1):
        department = departments.get(name)
        if department is None:  # a name the registry did not list: keep it, as written
            unit = (owner.get("task") or owner["list_item"]).plan.org_unit
            department = departments[name] = upsert_department(unit, name, [], False)
        Assignment.objects.create(
            department=department, role=role, order=order, spelling=name[:100], **owner
        )


def _dates_and_numbers(
    deadlines: list[parsed.Deadline], quantities: list[parsed.Quantity], clause: str, **owner: Any
) -> None:
    for deadline in deadlines:
        Deadline.objects.create(
            date=dt.date.fromisoformat(deadline.date), phrase=deadline.phrase[:100], **owner
        )
    for quantity in quantities:
        fields = {
            "phrase": quantity.phrase[:300],
            "value": Decimal(str(quantity.value)),
            "unit": quantity.unit or "",
            "comparator": quantity.comparator,
            "year": quantity.year,
            "subject": quantity.subject[:200],
            "clause": clause[:100],
            **owner,
        }
        if quantity.kind == QuantityKind.PARAMETER:
            Parameter.objects.create(**fields)
        else:
            Target.objects.create(kind=quantity.kind, **fields)


def _store_rows(
    plan: Plan,
    draft: parsed.PlanDraft,
    departments: dict[str, Department],
    tasks: list[tuple[parsed.Task, Task]],
) -> int:
    by_number: dict[int, list[Task]] = {}
    for parsed_task, task in tasks:
        by_number.setdefault(parsed_task.number, []).append(task)
    for row in draft.task_list:
        item = TaskListItem.objects.create(
            plan=plan, seq=row.seq, text=row.text, units=row.units, line=row.line
        )
        item.tasks.set([t for n in row.task_numbers for t in by_number.get(n, [])])
        if row.lead_units is not None:
            _assign(departments, row.lead_units, AssignmentRole.LEAD, list_item=item)
            _assign(departments, row.coop_units or [], AssignmentRole.COOP, list_item=item)
        else:
            _assign(
                departments,
                list(dict.fromkeys(row.units)),
                AssignmentRole.RESPONSIBLE,
                list_item=item,
            )
        _dates_and_numbers(
            row.deadlines, row.targets, _("任务清单第{seq}行").format(seq=row.seq), list_item=item
        )
    return len(draft.task_list)


def _store_people(
    plan: Plan, draft: parsed.PlanDraft, departments: dict[str, Department], unit: OrgUnit
) -> None:
    for order, member in enumerate(draft.leading_group, start=1):
        person = Person.objects.create(
            name=member.name, position=member.position[:200], org_unit=unit
        )
        LeadingGroupMember.objects.create(
            plan=plan, person=person, role=member.role[:20], order=order
        )
    office = draft.leading_group_office or {}
    if office.get("department") in departments:
        plan.office_department = departments[office["department"]]
    plan.office_director = office.get("director", "")[:50]
    plan.save(update_fields=["office_department", "office_director"])


def _store_tables_and_findings(plan: Plan, draft: parsed.PlanDraft) -> None:
    for order, table in enumerate(draft.tables, start=1):
        PlanTable.objects.create(
            plan=plan,
            order=order,
            title=table.title[:200],
            attachment=table.attachment or "",
            columns=table.columns,
            rows=table.rows,
            notes=table.notes,
        )
    for warning in draft.warnings:
        Finding.objects.create(
            plan=plan,
            source="parse",
            code=warning.code,
            severity="warning",
            message=warning.message,
            line=warning.line,
        )
    for finding in audit_plan(draft):
        Finding.objects.create(
            plan=plan,
            source="audit",
            code=finding.code,
            severity=finding.severity,
            message=finding.message,
            where=finding.where,
            evidence=finding.evidence,
        )


@transaction.atomic
def change_deadline(deadline: Deadline, *, date: dt.date, reason: str, actor: Actor) -> Deadline:
    """Correct a deadline the parser read wrong; the old date stays in the change record."""
    before = {"date": deadline.date.isoformat(), "phrase": deadline.phrase}
    deadline.date = date
    deadline.save(update_fields=["date"])
    owner = deadline.task or deadline.list_item
    record_change(
        deadline,
        actor=actor,
        action="update",
        before=before,
        after={"date": date.isoformat(), "phrase": deadline.phrase, "reason": reason},
        summary=_("修改时限：{owner}").format(owner=str(owner)[:80]),
    )
    if deadline.task is not None:
        record_change(
            deadline.task,
            actor=actor,
            action="update",
            before={"deadline": before["date"]},
            after={"deadline": date.isoformat()},
            summary=_("时限 {old} 改为 {new}：{reason}").format(
                old=before["date"], new=date.isoformat(), reason=reason
            ),
        )
    return deadline


@transaction.atomic
def link_row(item: TaskListItem, tasks: list[Task], *, reason: str, actor: Actor) -> TaskListItem:
    """Say which body tasks a task-list row restates (the parser's link was wrong or missing)."""
    before = sorted(t.label for t in item.tasks.all())
    item.tasks.set(tasks)
    after = sorted(t.label for t in tasks)
    record_change(
        item,
        actor=actor,
        action="update",
        before={"tasks": before},
        after={"tasks": after, "reason": reason},
        summary=_("任务清单第{seq}行对应任务改为：{tasks}").format(
            seq=item.seq, tasks="、".join(after) or _("无")
        ),
    )
    return item


@transaction.atomic
def change_target(target: Target, *, value: Decimal, reason: str, actor: Actor) -> Target:
    """Correct a target's value (the governing value when the plan states it differently)."""
    before = {"value": plain_number(target.value), "phrase": target.phrase}
    target.value = value
    target.save(update_fields=["value"])
    record_change(
        target,
        actor=actor,
        action="update",
        before=before,
        after={"value": plain_number(value), "reason": reason},
        summary=_("目标“{phrase}”数值改为 {value}：{reason}").format(
            phrase=target.phrase[:40], value=plain_number(value), reason=reason
        ),
    )
    if target.task is not None:
        record_change(
            target.task,
            actor=actor,
            action="update",
            before={"target": before["value"]},
            after={"target": plain_number(value)},
            summary=_("目标 {old} 改为 {new}：{reason}").format(
                old=before["value"], new=plain_number(value), reason=reason
            ),
        )
    return target


@transaction.atomic
def set_task_departments(
    task: Task, *, lead: list[Department], coop: list[Department], reason: str, actor: Actor
) -> Task:
    """Replace a task's lead and cooperating departments; the old ones stay in the record."""
    current = list(task.assignments.select_related("department"))
    before = {
        role: [a.department.name for a in current if a.role == role]
        for role in (AssignmentRole.LEAD, AssignmentRole.COOP)
    }
    task.assignments.all().delete()
    for role, departments in ((AssignmentRole.LEAD, lead), (AssignmentRole.COOP, coop)):
        for order, department in enumerate(departments, start=1):
            Assignment.objects.create(
                task=task, department=department, role=role, order=order, spelling=department.name
            )
    after = {
        AssignmentRole.LEAD: [d.name for d in lead],
        AssignmentRole.COOP: [d.name for d in coop],
    }
    record_change(
        task,
        actor=actor,
        action="update",
        before=before,
        after={**after, "reason": reason},
        summary=_("分工改为 牵头：{lead}；配合：{coop}：{reason}").format(
            lead="、".join(after[AssignmentRole.LEAD]) or _("无"),
            coop="、".join(after[AssignmentRole.COOP]) or _("无"),
            reason=reason,
        ),
    )
    return task


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@transaction.atomic
def choose_governing_value(finding: Finding, *, choice: int, reason: str, actor: Actor) -> Finding:
    """A target stated differently in several places: the work team says which one governs.

    The choice is kept on the finding, and the indicator's target value for that year (the
    registry seeded from 附件2) becomes the chosen value; both writes are on record.
    """
    from gaodi.indicators.models import Indicator, TargetValue

    statement = finding.evidence[choice]
    number = _NUMBER.search(str(statement["value"]).replace(",", ""))
    if number is None:
        raise FixRefused(_("所选位置没有可用的数值"))
    value = Decimal(number.group(0))
    before = dict(finding.resolution)
    finding.resolution = {
        "choice": choice,
        "source": statement["source"],
        "value": plain_number(value),
        "reason": reason,
    }
    finding.save(update_fields=["resolution"])
    record_change(
        finding,
        actor=actor,
        action="resolve",
        before=before or None,
        after=finding.resolution,
        summary=_("以“{source}”的 {value} 为准：{reason}").format(
            source=statement["source"], value=plain_number(value), reason=reason
        ),
    )
    for where in finding.where:
        if "indicator" not in where or "year" not in where:
            continue
        indicator = Indicator.objects.filter(plan=finding.plan, name=where["indicator"]).first()
        target = TargetValue.objects.filter(indicator=indicator, year=where["year"]).first()
        if target is not None and target.value != value:
            old = plain_number(target.value)
            target.value = value
            target.save(update_fields=["value"])
            record_change(
                target,
                actor=actor,
                action="update",
                before={"value": old},
                after={"value": plain_number(value), "finding": finding.pk},
                summary=_("{year}年目标值 {old} 改为 {new}（核查发现 #{id}）").format(
                    year=where["year"], old=old, new=plain_number(value), id=finding.pk
                ),
            )
    return finding
