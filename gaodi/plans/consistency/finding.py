"""A finding of the plan audit (contracts/audit.schema.json) and how places are named."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from gaodi.i18n import _
from gaodi.plans.parsing.draft import PlanDraft, Task, TaskListItem
from gaodi.plans.parsing.text import int_to_cn

ERROR, WARNING, INFO = "error", "warning", "info"


@dataclass
class Finding:
    """One contradiction or oddity in a plan, with the places and the numbers."""

    code: str
    severity: str
    message: str
    where: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# How each numbering style (outline.py) prints a number: {cn} 十四, {n} 14, {circled} ⑭.
# How a place is cited in a sentence, by the plan's own numbering: 重点任务（十四）,
# 主要任务第十四项 (for 十四、), 重点工作第14项 (for 14. / 14、), （14）, ⑭, 第十四条.
_MARKERS = {
    "cn_paren": "（{cn}）",
    "cn_dun": "第{cn}项",
    "ar_dot": "第{n}项",
    "ar_paren": "（{n}）",
    "circled": "{circled}",
    "di": "第{cn}条",
}


def task_label(task: Task) -> str:
    """The task cited as the plan numbers it (see cite_task)."""
    return cite_task(task.section, task.number, task.numbering)


def cite_task(section: str, number: int, numbering: str) -> str:
    """重点任务（十四）, 重点任务第十四项 (十四、), 重点任务第14项 (14.), 重点任务（14）, 重点任务⑭;
    （十四） when the style is not known."""
    style = numbering if numbering in _MARKERS else "cn_paren"
    if style == "circled" and not 1 <= number <= 20:
        style = "ar_paren"  # ⑳ is the last circled number
    marker = _MARKERS[style].format(
        cn=int_to_cn(number), n=number, circled=chr(0x245F + min(max(number, 1), 20))
    )
    return _("{section}{number}").format(section=section or _("任务"), number=marker)


def row_label(row: TaskListItem) -> str:
    return _("任务清单第{seq}行").format(seq=row.seq)


def table_label(title: str, attachment: str | None) -> str:
    """附件2 三、师资队伍: the table's title after the attachment it stands in (if any)."""
    if attachment and title:
        return _("{attachment} {title}").format(attachment=attachment, title=title)
    return attachment or title or _("指标表")


def task_by_number(draft: PlanDraft) -> dict[int, Task]:
    return {task.number: task for task in draft.tasks}


def number_text(value: float) -> str:
    """2182.0 -> 2182; 95.4 -> 95.4; 0.0229 -> 0.023 (3 significant decimals)."""
    if float(value).is_integer():
        return str(int(value))
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text if text not in {"0", "-0"} else f"{value:.4g}"


def quoted(name: str) -> str:
    """“name”, or 《name》 when the name holds quotes itself (“双师型”教师比例)."""
    return f"《{name}》" if "“" in name or '"' in name else f"“{name}”"
