"""The numbered outline of a plan and which level of it holds the tasks.

Numbering styles are ranked by first appearance in a region (一、 before （一） before 1.),
like a word processor's outline. The task level is the deepest one whose items carry a
responsibility tag, or the one a division-of-labour table (分工表) refers to. Numbered lines
in an attachment list (附件：1. …), in 备注 and in attachment headings never become tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .numbering import numbering
from .paragraphs import Paragraph
from .readers import TableBlock

_ATTACHMENT_HEADING = re.compile(
    r"^\s*附\s*件\s*(\d+|[一二三四五六七八九十]+)?\s*[:：]?\s*(?P<rest>.*)$"
)
_NOTE = re.compile(r"^\s*(?:备\s*注|注)\s*[:：]")


@dataclass
class Item:
    """A numbered paragraph: its style, number, where it stands and what follows it."""

    style: str
    number: int
    index: int  # position in the region's block list
    marker_end: int  # where the text starts after the numbering
    depth: int = 0
    end: int = 0  # index just past its last block
    parent: Item | None = None


@dataclass
class Region:
    """The body, or one attachment: a run of blocks between attachment headings."""

    name: str
    blocks: list[Paragraph | TableBlock]
    start_line: int
    items: list[Item] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    is_body: bool = False
    label: str = ""  # 附件2


def split_regions(blocks: list[Paragraph | TableBlock]) -> list[Region]:
    """Cut the document at attachment headings (附件1 / 附件3: …)."""
    regions = [Region(name="正文", blocks=[], start_line=1, is_body=True)]
    for block in blocks:
        if isinstance(block, Paragraph):
            m = _ATTACHMENT_HEADING.match(block.folded)
            if m and _is_attachment_heading(m):
                label = "附件" + (m.group(1) or "")
                regions.append(
                    Region(name=block.text.strip(), blocks=[], start_line=block.line, label=label)
                )
        regions[-1].blocks.append(block)
    for region in regions:
        _find_items(region)
        _link_items(region)
    return regions


def _is_attachment_heading(m: re.Match[str]) -> bool:
    """附件1 / 附件3: / 附件 — but not the list 附件：1. 名单 2. 计划 that closes the body."""
    rest = m["rest"].strip()
    return not rest or (not numbering(rest) and len(rest) <= 40 and bool(m.group(1)))


def _find_items(region: Region) -> None:
    in_list = False  # an attachment list or a 备注 with numbered lines
    for index, block in enumerate(region.blocks):
        if not isinstance(block, Paragraph):
            in_list = False
            continue
        folded = block.folded
        heading = _ATTACHMENT_HEADING.match(folded)
        if _NOTE.match(folded) or (heading and not _is_attachment_heading(heading)):
            in_list = True
            continue
        found = numbering(folded)
        if found is None:
            # A wrapped list entry (行动计划（2020—2022年）) does not end the list; prose does.
            in_list = in_list and len(folded) <= 40 and "。" not in folded
            continue
        if in_list and found[0] in {"ar_dot", "ar_paren", "circled"}:
            continue
        in_list = False
        style, number, end = found
        if style not in region.styles:
            region.styles.append(style)
        region.items.append(
            Item(
                style=style,
                number=number,
                index=index,
                marker_end=end,
                depth=region.styles.index(style) + 1,
            )
        )


def _link_items(region: Region) -> None:
    """Each item's end and parent, in linear time (a plan may have thousands of items)."""
    blocks = region.blocks
    next_table = [len(blocks)] * (len(blocks) + 1)
    for i in reversed(range(len(blocks))):
        next_table[i] = i if isinstance(blocks[i], TableBlock) else next_table[i + 1]
    following: list[Item] = []
    for item in reversed(region.items):
        while following and following[-1].depth > item.depth:
            following.pop()
        after = following[-1].index if following else len(blocks)
        item.end = min(after, next_table[item.index + 1])
        following.append(item)
    above: list[Item] = []
    for item in region.items:
        while above and above[-1].depth >= item.depth:
            above.pop()
        item.parent = above[-1] if above else None
        above.append(item)
