"""Department findings: near-miss names, a name twice in one list, a row missing its lead."""

from __future__ import annotations

from collections import Counter

from gaodi.i18n import _
from gaodi.plans.parsing.draft import PlanDraft

from .finding import INFO, WARNING, Finding, row_label, task_by_number, task_label


def unknown_units(draft: PlanDraft) -> list[Finding]:
    findings = []
    for department in draft.units:
        for spelling in department.near_misses:
            places = [
                {"task": t.number} for t in draft.tasks if spelling in t.lead_units + t.coop_units
            ]
            places += [{"row": r.seq} for r in draft.task_list if spelling in r.units]
            labels = [task_label(t) for t in draft.tasks if spelling in t.lead_units + t.coop_units]
            labels += [row_label(r) for r in draft.task_list if spelling in r.units]
            findings.append(
                Finding(
                    code="unknown-unit",
                    severity=WARNING,
                    message=(
                        _(
                            "{places}的部门“{spelling}”不是已知部门，最接近的是“{name}”，疑为笔误。"
                        ).format(
                            places="、".join(labels) or _("文中"),
                            spelling=spelling,
                            name=department.name,
                        )
                    ),
                    where=places,
                    evidence=[
                        {"source": _("原文"), "value": spelling},
                        {"source": _("最接近的部门"), "value": department.name},
                    ],
                )
            )
    return findings


def duplicate_units(draft: PlanDraft) -> list[Finding]:
    findings = []
    lists = [(task_label(t), {"task": t.number}, t.lead_units + t.coop_units) for t in draft.tasks]
    lists += [(row_label(r), {"row": r.seq}, r.units) for r in draft.task_list]
    canonical = draft.canonical_names()
    for label, where, names in lists:
        counts = Counter(canonical.get(n, n) for n in names)
        for name, count in counts.items():
            if count > 1:
                spellings = [n for n in names if canonical.get(n, n) == name]
                findings.append(
                    Finding(
                        code="duplicate-unit",
                        severity=INFO if len(set(spellings)) > 1 else WARNING,
                        message=_(
                            "{place}的责任部门中“{name}”出现了{count}次（{spellings}）。"
                        ).format(
                            place=label, name=name, count=count, spellings="、".join(spellings)
                        ),
                        where=[where],
                        evidence=[{"source": label, "value": "、".join(names)}],
                    )
                )
    return findings


def list_lead_missing(draft: PlanDraft) -> list[Finding]:
    tasks = task_by_number(draft)
    canonical = draft.canonical_names()
    findings = []
    for row in draft.task_list:
        present = {canonical.get(n, n) for n in row.units}
        for number in row.task_numbers:
            task = tasks.get(number)
            if task is None:
                continue
            missing = [n for n in task.lead_units if canonical.get(n, n) not in present]
            if not missing:
                continue
            findings.append(
                Finding(
                    code="list-lead-missing",
                    severity=WARNING,
                    message=(
                        _(
                            "{row}重述了{task}，但责任部门（{units}）中没有该任务的牵头单位{missing}。"
                        ).format(
                            row=row_label(row),
                            task=task_label(task),
                            units="、".join(row.units),
                            missing="、".join(missing),
                        )
                    ),
                    where=[{"row": row.seq}, {"task": number}],
                    evidence=[
                        {"source": row_label(row), "value": "、".join(row.units)},
                        {
                            "source": _("{task}牵头单位").format(task=task_label(task)),
                            "value": "、".join(task.lead_units),
                        },
                    ],
                )
            )
    return findings
