"""Tables: glue the pieces a page break made, find header rows and titles."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .paragraphs import Paragraph
from .readers import TableBlock
from .text import fold

_SPACE = re.compile(r"\s+")
YEAR_CELL = re.compile(r"(\d{4})\s*年")
_NOTE = re.compile(r"^\s*(?:备\s*注|注)\s*[:：]|^\s*\d\s*[.、]")


@dataclass
class Grid:
    """A whole table: its title (the heading above it), header rows and body rows."""

    title: str
    header: list[list[str]]
    rows: list[list[str]]
    line: int
    notes: list[str] = field(default_factory=list)

    @property
    def columns(self) -> list[str]:
        return flatten_header(self.header)


def norm_cell(cell: str) -> str:
    return _SPACE.sub("", fold(cell))


_HEADER_WORDS = (
    "序号",
    "指标",
    "产业",
    "责任",
    "牵头",
    "配合",
    "内容",
    "任务",
    "开设专业",
    "专业点数",
    "学生数",
    "现有基础",
    "完成时限",
)
# A first cell that names the label column: 项目 | 2020年 | 2021年.
_LABEL_HEADS = {"项目", "指标", "指标名称", "项目名称", "名称", "类别", "编号", "序号"}
_UNIT_HEADS = {"单位", "计量单位"}
# 2020年, 现有基础（2019年）, 2022年目标值: a year with a few words, not a sentence.
_YEAR_HEAD = re.compile(r"^\D{0,8}\d{4}年\D{0,8}$")


def _is_header_row(row: list[str]) -> bool:
    """Header words in cells without figures; or a label head (项目 …); or ≥ 2 year cells."""
    cells = [norm_cell(c) for c in row if c.strip()]
    if not cells:
        return False
    wordy = sum(1 for c in cells if not re.search(r"\d", c) or YEAR_CELL.search(c))
    if wordy != len(cells):
        return False
    if cells[0] in _LABEL_HEADS or any(c in _UNIT_HEADS for c in cells):
        return True
    if sum(1 for c in cells if _YEAR_HEAD.match(c)) >= 2:
        return True
    return any(w in c for c in cells for w in _HEADER_WORDS)


def is_unit_head(cell: str) -> bool:
    """单位 / 计量单位 heads the column of units (责任单位 does not)."""
    return norm_cell(cell) in _UNIT_HEADS


def header_depth(rows: list[list[str]]) -> int:
    depth = 0
    while depth < len(rows) and depth < 3 and _is_header_row(rows[depth]):
        depth += 1
    return depth


def merge_tables(blocks: list[Paragraph | TableBlock]) -> list[Grid]:
    """Consecutive table pieces of one width are one table; a repeated header is dropped."""
    grids: list[Grid] = []
    recent: list[str] = []
    previous_was_table = False
    for block in blocks:
        if isinstance(block, Paragraph):
            if grids and _NOTE.match(block.folded) and all(_NOTE.match(fold(t)) for t in recent):
                # 备注 lines right under a table belong to it.
                grids[-1].notes.append(block.text.strip())
            recent.append(block.text.strip())
            recent = recent[-4:]
            previous_was_table = False
            continue
        rows = [r for r in block.rows if any(c.strip() for c in r)]
        if not rows:
            continue
        depth = header_depth(rows)
        last = grids[-1] if grids else None
        if previous_was_table and last is not None and not last.rows and depth:
            last.header += rows[:depth]  # the page break fell inside the header
            _append_rows(last, rows[depth:])
        elif previous_was_table and last is not None and _continues(last, rows, depth):
            body = rows[depth:] if depth and _same_header(last.header, rows[:depth]) else rows
            _append_rows(last, body)
        else:
            title = _title_from(recent)
            grids.append(
                Grid(
                    title=title,
                    header=rows[:depth],
                    rows=rows[depth:],
                    line=block.line,
                )
            )
        previous_was_table = True
        recent = []
    return grids


def _width(rows: list[list[str]]) -> int:
    return max((len(r) for r in rows), default=0)


def _continues(last: Grid, rows: list[list[str]], depth: int) -> bool:
    if depth:
        return _same_header(last.header, rows[:depth])
    return _width(rows) <= _width(last.header + last.rows)


def _same_header(a: list[list[str]], b: list[list[str]]) -> bool:
    return [[norm_cell(c) for c in r if c.strip()] for r in a] == [
        [norm_cell(c) for c in r if c.strip()] for r in b
    ]


def _append_rows(grid: Grid, rows: list[list[str]]) -> None:
    """A first row without its number continues the last row cut by the page break."""
    for row in rows:
        if not grid.rows and grid.header and row and not row[0].strip():
            _extend_cells(grid.header[-1], row)  # a header row cut by the page break
            continue
        if grid.rows and row and not row[0].strip() and _is_cut_row(grid, row):
            _extend_cells(grid.rows[-1], row)
            continue
        grid.rows.append(row)


def _extend_cells(last: list[str], row: list[str]) -> None:
    for k, cell in enumerate(row):
        if k < len(last) and cell.strip():
            last[k] = last[k] + cell.strip()


def _is_cut_row(grid: Grid, row: list[str]) -> bool:
    first_cells = [r[0].strip() for r in grid.rows if r]
    numbered = sum(1 for c in first_cells if c.isdigit())
    return numbered >= max(1, len(first_cells) // 2)


def _title_from(recent: list[str]) -> str:
    for text in reversed(recent):
        if (
            text
            and len(text) <= 60
            and not re.search(r"[。；]", text)
            and not text.startswith(("备注", "注"))
        ):
            return text
    return ""


def flatten_header(header: list[list[str]]) -> list[str]:
    """Two header rows (a year spanning 开设专业|专业点数|学生数) -> one label per column."""
    if not header:
        return []
    width = max(len(r) for r in header)
    labels = [""] * width
    for row in header:
        carry = ""
        for k in range(width):
            cell = row[k].strip() if k < len(row) else ""
            if cell:
                carry = cell
            part = cell or (carry if row is not header[-1] else "")
            if part:
                labels[k] = f"{labels[k]} {part}".strip() if labels[k] else part
    return labels
