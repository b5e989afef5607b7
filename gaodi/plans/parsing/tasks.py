"""Body tasks: the items of the task level with their text, departments, deadlines, targets."""

from __future__ import annotations

import re
from collections.abc import Iterable

from gaodi.i18n import _

from .deadlines import FoundDeadline, find_deadlines
from .draft import Deadline, ParseWarning, Quantity, Task
from .outline import Item, Region
from .paragraphs import Paragraph
from .quantities import find_quantities
from .responsibility import Tag, find_tags
from .text import arabise_dates, fold

_SENTENCE_END = re.compile(r"[。!?！？；;]")


def task_items(region: Region, first_leads: bool, last_region: bool = False) -> list[Item]:
    """Per top-level part (二、重点任务, 三、保障措施 …), its items at the deepest depth that
    carries a responsibility tag of its own. A part without tags (一、总体要求) gives none."""
    deepest: dict[int, int] = {}
    items = region.items
    for k, item in enumerate(items):
        end = min(items[k + 1].index, item.end) if k + 1 < len(items) else item.end
        own = "\n".join(b.text for b in region.blocks[item.index : end] if isinstance(b, Paragraph))
        at_end = last_region and k + 1 == len(items)
        if find_tags(own, first_leads, at_end=at_end):
            top = id(_top(item))
            deepest[top] = max(deepest.get(top, 0), item.depth)
    return [item for item in items if deepest.get(id(_top(item))) == item.depth]


def _top(item: Item) -> Item:
    while item.parent is not None:
        item = item.parent
    return item


def item_paragraphs(region: Region, item: Item) -> list[Paragraph]:
    end = item.end
    return [b for b in region.blocks[item.index : end] if isinstance(b, Paragraph)]


def item_text(region: Region, item: Item) -> str:
    paragraphs = item_paragraphs(region, item)
    if not paragraphs:
        return ""
    first = paragraphs[0].text[item.marker_end :].lstrip()
    return "\n".join([first] + [p.text for p in paragraphs[1:]])


def build_task(
    region: Region, item: Item, *, first_leads: bool, at_end: bool, warnings: list[ParseWarning]
) -> Task:
    text = _trim_after_tag(item_text(region, item), first_leads)
    tags = find_tags(text, first_leads, at_end=at_end)
    lead = _unique(name for tag in tags for name in tag.lead)
    coop = _unique(name for tag in tags for name in tag.coop)
    line = region.blocks[item.index].line if hasattr(region.blocks[item.index], "line") else None
    if any(tag.truncated for tag in tags):
        warnings.append(
            ParseWarning(
                "truncated",
                _("任务（{number}）的责任单位在文件末尾被截断，只保留了完整的单位名称").format(
                    number=item.number
                ),
                line,
            )
        )
    elif not tags:
        warnings.append(
            ParseWarning(
                "missing-responsibility",
                _("任务（{number}）没有找到牵头单位或配合单位").format(number=item.number),
                line,
            )
        )
    section_item = item.parent
    deadlines, quantities = read_commitments(text, tags, warnings, line)
    return Task(
        number=item.number,
        title=title_of(text),
        section=_section(region, section_item),
        text=text,
        lead_units=lead,
        coop_units=coop,
        deadlines=deadlines,
        targets=quantities,
        numbering=item.style,
        line=line,
    )


def _trim_after_tag(text: str, first_leads: bool) -> str:
    """An item ends with its responsibility tag; a closing paragraph after it is not the task's."""
    paragraphs = text.split("\n")
    for k, paragraph in enumerate(paragraphs):
        tags = find_tags(paragraph, first_leads)
        if tags and tags[-1].end >= len(fold(paragraph).rstrip(" 。.")) and k + 1 < len(paragraphs):
            rest = paragraphs[k + 1 :]
            if not any(find_tags(p, first_leads) for p in rest):
                return "\n".join(paragraphs[: k + 1])
    return text


def title_of(text: str) -> str:
    """The first sentence, verbatim, without its 。."""
    first = text.split("\n", 1)[0]
    folded = fold(first)
    end = len(first)
    m = _SENTENCE_END.search(folded)
    if m:
        end = m.start()
    tag = re.search(r"[(\[]\s*(?:牵头|配合|责任|主要责任)", folded)
    if tag and tag.start() < end:
        end = tag.start()
    return first[:end].strip()


def _section(region: Region, heading: Item | None) -> str:
    if heading is None:
        return ""
    block = region.blocks[heading.index]
    assert isinstance(block, Paragraph)
    text = block.text[heading.marker_end :].strip()
    m = _SENTENCE_END.search(fold(text))
    return text[: m.start()].strip() if m else text


def read_commitments(
    text: str, tags: list[Tag], warnings: list[ParseWarning], line: int | None
) -> tuple[list[Deadline], list[Quantity]]:
    """Deadlines and quantities of a text, outside its responsibility tags."""
    original = arabise_dates(fold(text))
    folded = list(original)
    for tag in tags:  # departments are not dates; a 完成时限 inside the tag is
        folded[tag.start : tag.end] = " " * (tag.end - tag.start)
        for start, end in tag.due:
            folded[start:end] = original[start:end]
    plain = "".join(folded)
    found = find_deadlines(plain)
    deadlines = []
    for d in found:
        phrase = text[d.start : d.end].strip()
        deadlines.append(Deadline(date=d.date.isoformat(), phrase=phrase))
        if d.ambiguous:
            warnings.append(
                ParseWarning(
                    "ambiguous-deadline",
                    _(
                        "“{phrase}”按“在此之前”理解为{date}；也有文件理解为包含该时段在内，请核对"
                    ).format(phrase=phrase, date=d.date.isoformat()),
                    line,
                )
            )
    quantities = []
    for q in find_quantities(plain):
        year = _year_for(q.end, found, plain) if q.kind == "target" else None
        quantities.append(
            Quantity(
                phrase=text[q.start : q.end].strip(),
                value=q.value,
                unit=q.unit,
                comparator=q.comparator,
                year=year,
                kind=q.kind,
                subject=q.subject,
            )
        )
    return _unique_deadlines(deadlines), quantities


def _year_for(position: int, deadlines: list[FoundDeadline], text: str) -> int | None:
    """A target's year: the deadline earlier in the same sentence."""
    sentence_start = max(text.rfind(ch, 0, position) for ch in "。；;\n") + 1
    for d in reversed(deadlines):
        if sentence_start <= d.start < position:
            return int(d.date.year)
    return None


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _unique_deadlines(deadlines: list[Deadline]) -> list[Deadline]:
    seen, out = set(), []
    for d in deadlines:
        if (d.date, d.phrase) not in seen:
            seen.add((d.date, d.phrase))
            out.append(d)
    return out
