"""A finding of the plan audit (contracts/audit.schema.json) and how places are named."""

from __future__ import annotations

import re
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


def task_label(task: Task) -> str:
    """重点任务（十四） / 保障措施（二十二）."""
    section = task.section or _("任务")
    return _("{section}（{number}）").format(section=section, number=int_to_cn(task.number))


def row_label(row: TaskListItem) -> str:
    return _("任务清单第{seq}行").format(seq=row.seq)


def table_label(title: str) -> str:
    if re.match(r"^[一二三四五六七八九十]+、", title):
        return _("附件2 {title}").format(title=title)
    return title


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
