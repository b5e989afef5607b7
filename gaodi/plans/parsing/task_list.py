"""Task-list tables (工作任务清单) and division-of-labour tables (分工表).

Both have a row number, a content column and department columns (责任部门, or 牵头 / 配合).
A 分工表 refers to the body's numbered items — （一）, 任务（一）, or a number whose row text is
the item's title — and its departments are carried onto those tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .departments import split_names
from .numbering import TOKENS, UNCAPTURED
from .tables import Grid, norm_cell

_SEQ = ("序号", "编号", "任务序号")
_CONTENT = (
    "政策内容",
    "工作任务",
    "重点任务",
    "任务内容",
    "主要内容",
    "工作内容",
    "具体任务",
    "任务",
    "内容",
    "措施",
    "事项",
)
_LEAD = ("主要责任单位", "主要责任部门", "牵头单位", "牵头部门")
_COOP = ("协同配合单位", "协同配合部门", "配合单位", "配合部门", "参与单位")
_RESP = ("责任部门", "责任单位", "责任主体")
_DUE = ("完成时限", "完成时间", "时间节点", "时限")


@dataclass
class Columns:
    seq: int | None
    content: int | None
    lead: int | None
    coop: int | None
    resp: int | None
    due: int | None


@dataclass
class ListRow:
    seq: int
    text: str
    units: list[str]
    lead: list[str] | None
    coop: list[str] | None
    due: str
    reference: str
    line: int


def columns_of(grid: Grid) -> Columns | None:
    """The roles of a table's columns, or None when it is not a task list."""
    labels = [norm_cell(c) for c in grid.columns]

    def find(words: tuple[str, ...]) -> int | None:
        for word in words:
            for k, label in enumerate(labels):
                if label == word or (label.endswith(word) and len(label) <= len(word) + 4):
                    return k
        return None

    columns = Columns(
        seq=find(_SEQ),
        content=find(_CONTENT),
        lead=find(_LEAD),
        coop=find(_COOP),
        resp=find(_RESP),
        due=find(_DUE),
    )
    if columns.content is None or (columns.lead is None and columns.resp is None):
        return None
    return columns


def read_rows(grid: Grid, columns: Columns) -> list[ListRow]:
    rows: list[ListRow] = []
    for position, row in enumerate(grid.rows, start=1):

        def cell(k: int | None, row: list[str] = row) -> str:
            return row[k].strip() if k is not None and k < len(row) else ""

        text = cell(columns.content)
        if not text:
            continue
        seq_text = norm_cell(cell(columns.seq))
        seq = int(seq_text) if seq_text.isdigit() else position
        lead = split_names(cell(columns.lead)) if columns.lead is not None else None
        coop = split_names(cell(columns.coop)) if columns.coop is not None else None
        units = lead + (coop or []) if lead is not None else split_names(cell(columns.resp))
        rows.append(
            ListRow(
                seq=seq,
                text=text,
                units=units,
                lead=lead,
                coop=coop,
                due=cell(columns.due),
                reference=cell(columns.seq),
                line=grid.line,
            )
        )
    return rows


_TASK_REF = re.compile(
    r"^(?:重点任务|任务)?\s*(?P<ref>"
    + "|".join(UNCAPTURED.sub("(?:", TOKENS[s]) for s in ("cn_paren", "cn_dun", "di"))
    + r"|\d{1,3}[、.]?)"
)


def reference_of(row: ListRow) -> str | None:
    """The numbering a row cites: （一） in its number cell or at the head of its text."""
    for candidate in (row.reference, row.text):
        m = _TASK_REF.match(norm_cell(candidate))
        if m:
            return m["ref"]
    return None
