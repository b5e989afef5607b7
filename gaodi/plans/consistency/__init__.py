"""The plan audit (`gaodi audit`): contradictions and oddities a plan contains.

Pure functions from a PlanDraft to findings (contracts/audit.schema.json); no database.
"""

from __future__ import annotations

import datetime as dt

from gaodi.i18n import _
from gaodi.plans.parsing.draft import PlanDraft

from .arithmetic import cross_tables, duplicate_rows, per_student, stated_ratios, subsets
from .departments import duplicate_units, list_lead_missing, unknown_units
from .finding import ERROR, INFO, WARNING, Finding, row_label, task_label
from .targets import target_conflicts, unit_mismatches

__all__ = ["Finding", "audit_plan"]

_SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


def audit_plan(draft: PlanDraft) -> list[Finding]:
    """Every finding, most severe first, in document order within a severity."""
    findings: list[Finding] = []
    for check in (
        target_conflicts,
        deadlines_before_issue,
        stated_ratios,
        per_student,
        subsets,
        cross_tables,
        unit_mismatches,
        unknown_units,
        duplicate_units,
        duplicate_rows,
        list_lead_missing,
    ):
        findings.extend(check(draft))
    return sorted(findings, key=lambda f: _SEVERITY_ORDER[f.severity])


def deadlines_before_issue(draft: PlanDraft) -> list[Finding]:
    """A deadline earlier than the day the plan was issued cannot be met as written."""
    if not draft.document.issue_date:
        return []
    issued = dt.date.fromisoformat(draft.document.issue_date)
    places = [(task_label(t), {"task": t.number}, t.deadlines) for t in draft.tasks]
    places += [(row_label(r), {"row": r.seq}, r.deadlines) for r in draft.task_list]
    findings = []
    for label, where, deadlines in places:
        for deadline in deadlines:
            if dt.date.fromisoformat(deadline.date) < issued:
                findings.append(
                    Finding(
                        code="deadline-before-issue",
                        severity=WARNING,
                        message=(
                            _(
                                "{place}要求“{phrase}”完成（{date}），早于方案印发日期{issued}。"
                            ).format(
                                place=label,
                                phrase=deadline.phrase,
                                date=deadline.date,
                                issued=draft.document.issue_date,
                            )
                        ),
                        where=[where],
                        evidence=[
                            {"source": label, "value": deadline.date},
                            {"source": _("印发日期"), "value": draft.document.issue_date},
                        ],
                    )
                )
    return findings
