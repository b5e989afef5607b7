"""Lines -> paragraphs: join what a page break or a line wrap cut apart, nothing else.

A line is continued by the next one when it stops where a sentence cannot stop (no 。；：
at its end, or a dangling ，、) and it is running prose, and the next line does not open a
new item (a number, a responsibility tag, an attachment or 备注 heading, a date line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbering import NUMBERING
from .readers import Block, Line, TableBlock
from .text import fold

_TERMINAL = set("。！？!?；;：:")
_CLOSERS = set("）)】]」』")
_DANGLING = set("，,、")
_PROSE_MARK = re.compile(r"[，,。；;、]")
_SENTENCE_MARK = re.compile(r"[，,。；;]")
_TITLE_ENDS = (
    "通知",
    "方案",
    "意见",
    "办法",
    "决定",
    "规划",
    "计划",
    "名单",
    "清单",
    "报告",
    "细则",
    "纲要",
)

_OPENS_ITEM = re.compile(
    r"^\s*(?:[(\[]?\s*(?:牵头|配合|责任|主要责任|协同|协办|主办)(?:单位|部门)|附件|备注|注[:：]|"
    r"(?:常务)?副?\s*组\s*长\s*[:：]|成\s*员\s*[:：]|副?秘书长\s*[:：]|"
    r"(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*\S{1,3}\s*月\s*\S{1,3}\s*日\s*$)"
)


@dataclass
class Paragraph:
    """A logical paragraph: its original text and the line it starts on."""

    text: str
    line: int
    folded: str = ""

    def __post_init__(self) -> None:
        if not self.folded:
            self.folded = fold(self.text)


def ends_sentence(folded: str) -> bool:
    """True when a line may end a paragraph where it stops."""
    tail = folded.rstrip()
    if not tail:
        return True
    if tail[-1] in _TERMINAL:
        return True
    return tail[-1] in _CLOSERS


def continues(previous: str, following: str) -> bool:
    """Whether `following` is the rest of the paragraph that `previous` began."""
    prev, nxt = previous.rstrip(), following.lstrip()
    if not prev or not nxt or NUMBERING.match(nxt) or _OPENS_ITEM.match(nxt):
        return False
    if prev[-1] in _DANGLING:
        return True
    if ends_sentence(prev):
        return False
    numbered = NUMBERING.match(prev)
    if numbered:
        prev = prev[numbered.end() :]  # 一、指导思想 is a heading, not a cut sentence
    if prev.endswith(_TITLE_ENDS) and not _SENTENCE_MARK.search(prev):
        return False  # …实施方案的通知 is a title line
    return bool(_PROSE_MARK.search(prev)) or len(prev) >= 30


def join_lines(blocks: list[Block]) -> list[Paragraph | TableBlock]:
    """Merge cut lines into paragraphs; tables pass through untouched."""
    out: list[Paragraph | TableBlock] = []
    current: Paragraph | None = None
    for block in blocks:
        if isinstance(block, TableBlock):
            current = None
            out.append(block)
            continue
        assert isinstance(block, Line)
        folded = fold(block.text)
        if current is not None and continues(current.folded, folded):
            current.text = current.text.rstrip() + block.text.lstrip()
            current.folded = current.folded.rstrip() + folded.lstrip()
            continue
        current = Paragraph(text=block.text, line=block.line, folded=folded)
        out.append(current)
    return out
