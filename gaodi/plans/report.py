"""Plain-text Chinese renderings of a parsed plan and of its audit, for the terminal."""

from __future__ import annotations

from collections import Counter

from gaodi.i18n import _
from gaodi.plans.consistency.finding import Finding, task_label
from gaodi.plans.parsing.draft import PlanDraft


def severity_label(severity: str) -> str:
    return {"error": _("错误"), "warning": _("警告"), "info": _("提示")}[severity]


def code_label(code: str) -> str:
    labels = {
        "target-conflict": _("目标值前后不一"),
        "deadline-before-issue": _("时限早于印发日期"),
        "table-arithmetic": _("表内计算不符"),
        "cross-table-mismatch": _("跨表数据不一致"),
        "unit-mismatch": _("计量单位不一致"),
        "unknown-unit": _("部门名称疑似笔误"),
        "duplicate-unit": _("部门重复列出"),
        "duplicate-row": _("表格行重复"),
        "list-lead-missing": _("任务清单缺牵头单位"),
        "ambiguous-deadline": _("时限表述有歧义"),
        "missing-responsibility": _("未写明责任单位"),
        "truncated": _("文件被截断"),
        "no-tasks": _("未识别到任务"),
        "numbering-restart": _("任务编号重复"),
    }
    return labels.get(code, code)


def _heading(draft: PlanDraft) -> str:
    doc = draft.document
    heading = _("{number}《{title}》").format(
        number=f"{doc.doc_number} " if doc.doc_number else "", title=doc.title
    )
    if doc.issuer and doc.issue_date:
        heading += _("（{issuer}，{date}印发）").format(issuer=doc.issuer, date=doc.issue_date)
    return heading


def draft_summary(draft: PlanDraft) -> str:
    counts = _(
        "重点任务与保障措施 {tasks} 项，任务清单 {rows} 行，领导小组成员 {members} 人，"
        "指标 {indicators} 个，部门 {units} 个。"
    ).format(
        tasks=len(draft.tasks),
        rows=len(draft.task_list),
        members=len(draft.leading_group),
        indicators=len(draft.indicators),
        units=len([u for u in draft.units if not u.collective]),
    )
    lines = [_heading(draft), "", counts, ""]
    for task in draft.tasks:
        lead = "、".join(draft.canonical(n) for n in task.lead_units) or _("（未写明）")
        coop = "、".join(draft.canonical(n) for n in task.coop_units) or _("无")
        lines.append(f"{task_label(task)} {task.title}")
        duty = _("    牵头：{lead}；配合：{coop}").format(lead=lead, coop=coop)
        if task.deadlines:
            due = "；".join(f"{d.phrase}→{d.date}" for d in task.deadlines)
            duty += _("；时限：{due}").format(due=due)
        lines.append(duty)
    if draft.warnings:
        lines += ["", _("解析提示：")] + [f"  - {w.message}" for w in draft.warnings]
    lines += ["", _("完整结构化数据请用 gaodi parse 文件 --json 查看。"), ""]
    return "\n".join(lines)


def findings_report(draft: PlanDraft, findings: list[Finding], bundled: bool = False) -> str:
    lines = []
    if bundled:
        lines.append(_("（未指定文件，核查内置示例方案。核查其他方案：gaodi audit 文件路径）"))
    lines.append(_("{heading} 自洽性核查").format(heading=_heading(draft)))
    counts = Counter(f.severity for f in findings)
    if findings:
        summary = "，".join(
            _("{severity} {count} 处").format(severity=severity_label(s), count=counts[s])
            for s in ("error", "warning", "info")
            if counts[s]
        )
        lines.append(
            _("共发现 {count} 处问题：{summary}。").format(count=len(findings), summary=summary)
        )
    else:
        lines.append(_("共发现 0 处问题，方案前后一致。"))
    for number, finding in enumerate(findings, start=1):
        lines.append("")
        lines.append(
            _("{number}. 【{severity}】{label}（{code}）").format(
                number=number,
                severity=severity_label(finding.severity),
                label=code_label(finding.code),
                code=finding.code,
            )
        )
        lines.append(f"   {finding.message}")
    lines += ["", _("机器可读结果：gaodi audit 文件 --json"), ""]
    return "\n".join(lines)
