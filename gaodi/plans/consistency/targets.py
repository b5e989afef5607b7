"""target-conflict and unit-mismatch: one target stated differently in different places.

A body task's target is compared with the same target in the task-list rows that restate
the task (task_numbers) and with the indicator tables for the same year. Subjects are
matched by meaning (concepts.core), never by position in this one plan. Values are compared
in one unit (5000万元 = 0.5亿元); two statements of one place are never compared with each
other, nor a part (其中 …) with its whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gaodi.i18n import _
from gaodi.plans.parsing.draft import Indicator, PlanDraft, Quantity

from .concepts import comparable, convert, matching_indicators, similar_subjects
from .finding import WARNING, Finding, number_text, quoted, row_label, table_label, task_label


@dataclass
class Statement:
    """A value stated somewhere: a sentence of a task or row, or an indicator cell."""

    label: str
    where: dict[str, Any]
    value: float
    unit: str | None
    printed: str
    year: int | None
    subject: str
    comparator: str = "="
    phrase: str = ""


def _statements(draft: PlanDraft) -> list[list[Statement]]:
    """Per body task: its targets, then the targets of the rows restating it."""
    groups = []
    for task in draft.tasks:
        group = [
            _from_quantity(q, task_label(task), {"task": task.number})
            for q in task.targets
            if q.kind == "target"
        ]
        for row in draft.task_list:
            if task.number in row.task_numbers:
                group += [
                    _from_quantity(q, row_label(row), {"row": row.seq})
                    for q in row.targets
                    if q.kind == "target"
                ]
        groups.append(group)
    return groups


def _from_quantity(q: Quantity, label: str, where: dict[str, Any]) -> Statement:
    printed = number_text(q.value) + (q.unit or "")
    return Statement(
        label=label,
        where=where,
        value=q.value,
        unit=q.unit,
        printed=printed,
        year=q.year,
        subject=q.subject,
        comparator=q.comparator,
        phrase=q.phrase,
    )


def _cell(indicator: Indicator, year: int, value: float) -> Statement:
    # A percentage row without a unit of its own (X比例（A/B）) is in %.
    unit = indicator.unit or ("%" if indicator.value_kind == "percentage" else None)
    printed = indicator.raw.get(str(year)) or number_text(value)
    if unit and unit not in printed:
        printed += unit  # 0.5 in a table of 亿元 -> 0.5亿元
    return Statement(
        label=_("{table}{indicator}{year}年").format(
            table=table_label(indicator.table, indicator.attachment),
            indicator=quoted(indicator.name),
            year=year,
        ),
        where={"table": indicator.table, "indicator": indicator.name, "year": year},
        value=value,
        unit=unit,
        printed=printed,
        year=year,
        subject=indicator.name,
    )


def target_conflicts(draft: PlanDraft) -> list[Finding]:
    """One target with different values in a task, its task-list rows and the indicator table."""
    findings = []
    for group in _statements(draft):
        for cluster in _clusters(group):
            cluster += _indicator_cells(cluster, draft)
            if _disagree(cluster):
                findings.append(_conflict(cluster))
    return findings


def _disagree(cluster: list[Statement]) -> bool:
    """Values that differ once converted to one unit (the table's when a table cell is there)."""
    unit = cluster[-1].unit
    values = {round(v, 6) for s in cluster if (v := convert(s.value, s.unit, unit)) is not None}
    return len(values) > 1


def _clusters(group: list[Statement]) -> list[list[Statement]]:
    """Statements about the same subject and year, in units that convert, from different places."""
    clusters: list[list[Statement]] = []
    for statement in group:
        for cluster in clusters:
            head = cluster[0]
            if (
                head.year == statement.year
                and convert(statement.value, statement.unit, head.unit) is not None
                and similar_subjects(head.subject, statement.subject)
                and all(s.where != statement.where for s in cluster)
            ):
                cluster.append(statement)
                break
        else:
            clusters.append([statement])
    return clusters


def _indicator_cells(cluster: list[Statement], draft: PlanDraft) -> list[Statement]:
    head = cluster[0]
    if head.year is None:
        return []
    cells = []
    for indicator in matching_indicators(head.subject, draft):
        value = indicator.values.get(str(head.year))
        if value is not None and comparable(head.value, head.unit, indicator) is not None:
            cells.append(_cell(indicator, head.year, value))
    return cells[:1] if len(cells) == 1 else []


def _conflict(cluster: list[Statement]) -> Finding:
    head = cluster[0]
    year = _("{year}年").format(year=head.year) if head.year else ""
    parts = "，".join(_("{place}为{value}").format(place=s.label, value=s.printed) for s in cluster)
    message = _(
        "同一目标（{year}{subject}）在不同位置数值不一致：{parts}。请确定以哪一处为准。"
    ).format(year=year, subject=head.subject or _("该指标"), parts=parts)
    return Finding(
        code="target-conflict",
        severity=WARNING,
        message=message,
        where=[s.where for s in cluster],
        evidence=[{"source": s.label, "value": s.printed} for s in cluster],
    )


def unit_mismatches(draft: PlanDraft) -> list[Finding]:
    """The same quantity measured in units that cannot be converted (人次 vs 人日)."""
    found: dict[tuple[str, str | None], list[Statement]] = {}
    indicators: dict[str, Indicator] = {}
    for group in _statements(draft):
        for statement in group:
            for indicator in matching_indicators(statement.subject, draft):
                if indicator.value_kind == "percentage" or indicator.unit is None:
                    continue
                same = found.setdefault((indicator.name, statement.unit), [])
                if comparable(
                    statement.value, statement.unit, indicator
                ) is None and statement.where not in [s.where for s in same]:
                    same.append(statement)
                    indicators[indicator.name] = indicator
    findings = []
    for (name, unit), statements in found.items():
        if not statements:
            continue
        indicator = indicators[name]
        places = "、".join(
            dict.fromkeys(f"{s.label}“{s.phrase}”" for s in statements)
        )  # 重点任务（七）“…”
        label = table_label(indicator.table, indicator.attachment)
        message = _(
            "{places}以“{unit}”计，而{table}的{indicator}以“{other}”计：同一数量用了不能换算的"
            "两种计量单位，无法核对是否达标。"
        ).format(
            places=places,
            unit=unit,
            table=label,
            indicator=quoted(name),
            other=indicator.unit,
        )
        where = [s.where for s in statements] + [{"table": indicator.table, "indicator": name}]
        evidence = [{"source": s.label, "value": s.printed} for s in statements]
        table = f"{label}{quoted(name)}"
        evidence.append({"source": table, "value": indicator.unit or ""})
        findings.append(
            Finding(
                code="unit-mismatch",
                severity=WARNING,
                message=message,
                where=where,
                evidence=evidence,
            )
        )
    return findings
