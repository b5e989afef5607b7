"""Plain-text Chinese renderings of a parsed plan and of its audit, for the terminal."""

from __future__ import annotations

from collections import Counter

from gaodi.plans.consistency.finding import Finding, task_label
from gaodi.plans.parsing.draft import PlanDraft

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
CODE_LABELS = {
    "target-conflict": "目标值前后不一",
    "deadline-before-issue": "时限早于印发日期",
    "table-arithmetic": "表内计算不符",
    "cross-table-mismatch": "跨表数据不一致",
    "unit-mismatch": "计量单位不一致",
    "unknown-unit": "部门名称疑似笔误",
    "duplicate-unit": "部门重复列出",
    "duplicate-row": "表格行重复",
    "list-lead-missing": "任务清单缺牵头单位",
}


def _heading(draft: PlanDraft) -> str:
    doc = draft.document
    number = f"{doc.doc_number} " if doc.doc_number else ""
    issued = f"（{doc.issuer}，{doc.issue_date}印发）" if doc.issuer and doc.issue_date else ""
    return f"{number}《{doc.title}》{issued}"


def draft_summary(draft: PlanDraft) -> str:
    lines = [_heading(draft), ""]
    lines.append(
        f"重点任务与保障措施 {len(draft.tasks)} 项，任务清单 {len(draft.task_list)} 行，"
        f"领导小组成员 {len(draft.leading_group)} 人，指标 {len(draft.indicators)} 个，"
        f"部门 {len([u for u in draft.units if not u.collective])} 个。"
    )
    lines.append("")
    for task in draft.tasks:
        lead = "、".join(draft.canonical(n) for n in task.lead_units) or "（未写明）"
        coop = "、".join(draft.canonical(n) for n in task.coop_units) or "无"
        due = "；".join(f"{d.phrase}→{d.date}" for d in task.deadlines)
        lines.append(f"{task_label(task)} {task.title}")
        lines.append(f"    牵头：{lead}；配合：{coop}" + (f"；时限：{due}" if due else ""))
    if draft.warnings:
        lines += ["", "解析提示："] + [f"  - {w.message}" for w in draft.warnings]
    lines += ["", "完整结构化数据请用 gaodi parse 文件 --json 查看。", ""]
    return "\n".join(lines)


def findings_report(draft: PlanDraft, findings: list[Finding], bundled: bool = False) -> str:
    lines = []
    if bundled:
        lines.append("（未指定文件，核查内置示例方案。核查其他方案：gaodi audit 文件路径）")
    lines.append(f"{_heading(draft)} 自洽性核查")
    counts = Counter(f.severity for f in findings)
    summary = "，".join(
        f"{SEVERITY_LABELS[s]} {counts[s]} 处" for s in ("error", "warning", "info") if counts[s]
    )
    lines.append(
        f"共发现 {len(findings)} 处问题" + (f"：{summary}。" if findings else "，方案前后一致。")
    )
    for number, finding in enumerate(findings, start=1):
        label = CODE_LABELS.get(finding.code, finding.code)
        lines.append("")
        lines.append(f"{number}. 【{SEVERITY_LABELS[finding.severity]}】{label}（{finding.code}）")
        lines.append(f"   {finding.message}")
    lines += ["", "机器可读结果：gaodi audit 文件 --json", ""]
    return "\n".join(lines)
