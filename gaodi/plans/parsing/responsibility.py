"""Responsibility tags: who leads a task and who cooperates.

Forms handled (full- or half-width punctuation):
（牵头单位：X；配合单位：Y、Z）  (牵头单位:X;配合单位:Y)  （牵头单位：X，配合单位：Y）
[责任单位：X、Y]   （主要责任单位：X；协同配合单位：Y）   lines of their own: 牵头单位：X
inline (X、Y牵头，Z按职责分工负责)   （责任单位：X牵头，Y配合）
When only 责任单位 is given, every department listed is responsible (lead), unless the
document says the first listed leads (排在第一位的为牵头单位).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .departments import looks_complete, split_names
from .text import fold

_LEAD_WORDS = ("主要责任单位", "主要责任部门", "牵头单位", "牵头部门", "主办单位", "牵头")
_COOP_WORDS = (
    "协同配合单位",
    "协同配合部门",
    "配合单位",
    "配合部门",
    "协办单位",
    "参与单位",
    "协同单位",
    "配合",
)
_RESP_WORDS = ("责任单位", "责任部门", "责任主体", "负责单位")
_KEYWORD = re.compile(
    "|".join(sorted(_LEAD_WORDS[:-1] + _COOP_WORDS[:-1] + _RESP_WORDS, key=len, reverse=True))
)
# Fields a tag may hold besides departments: a due date is read as a deadline, a person is not
# a department.
_DUE_WORDS = ("完成时限", "完成时间", "时间节点", "时限要求", "完成期限")
_PERSON_WORDS = ("责任领导", "牵头领导", "分管领导", "责任人", "联系人")
_FIELD = re.compile(
    "|".join(
        sorted(
            _LEAD_WORDS[:-1] + _COOP_WORDS[:-1] + _RESP_WORDS + _DUE_WORDS + _PERSON_WORDS,
            key=len,
            reverse=True,
        )
    )
)
_OPENS_TAG = re.compile(r"\s*(?:" + _FIELD.pattern + ")")
# A tag on its own line, or closing a paragraph without brackets (…。责任单位：X、Y).
_OWN_LINE = re.compile(
    r"(?:^|(?<=[。;]))\s*(?P<body>(?:" + _KEYWORD.pattern + r")\s*[:][^\n。]*)。?$", re.M
)
_INLINE_VERB = re.compile("牵头|负责")
_OPEN = "(["
_BRACKET = re.compile(r"[()\[\]]")
FIRST_LEADS = re.compile(r"(?:排|列)在?(?:第一位|首位|第一个|前面)的?(?:为|是)牵头")


@dataclass
class Tag:
    lead: list[str] = field(default_factory=list)
    coop: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    truncated: bool = False
    due: list[tuple[int, int]] = field(default_factory=list)  # spans of 完成时限 values


def find_tags(text: str, first_leads: bool = False, at_end: bool = False) -> list[Tag]:
    """Every responsibility tag in a text, in order. `at_end`: the text ends the file."""
    return list(_find_tags(text, first_leads, at_end))


@lru_cache(maxsize=4096)
def _find_tags(text: str, first_leads: bool, at_end: bool) -> tuple[Tag, ...]:
    folded = fold(text)
    tags: list[Tag] = []  # read-only once made: results are cached per parse
    taken: list[tuple[int, int]] = []

    def keep(tag: Tag, start: int, end: int) -> None:
        if tag.lead or tag.coop:
            tag.start, tag.end = start, end
            tags.append(tag)
            taken.append((start, end))

    groups = bracket_groups(folded)
    for start, end, closed in groups:  # （牵头单位：…；配合单位：各县（市、区）人民政府）
        inside_end = end - 1 if closed else end
        opens_tag = _OPENS_TAG.match(folded, start + 1) and (closed or at_end)
        if opens_tag and not any(s <= start < e for s, e in taken):
            body = text[start + 1 : inside_end]
            keep(_shifted(read_tag(body, first_leads, truncated=not closed), start + 1), start, end)
    for m in _OWN_LINE.finditer(folded):
        if not any(s <= m.start("body") < e for s, e in taken):
            tag = read_tag(text[m.start("body") : m.end("body")], first_leads)
            keep(_shifted(tag, m.start("body")), m.start("body"), m.end())
    for start, end, closed in groups:  # (X、Y牵头，Z按职责分工负责)
        if closed and end - start <= 160 and not any(s <= start < e for s, e in taken):
            body = text[start + 1 : end - 1]
            if _INLINE_VERB.search(folded, start + 1, end - 1):
                tag = Tag()
                _read_inline(tag, body)
                keep(tag, start, end)
    return tuple(sorted(tags, key=lambda t: t.start))


def read_tag(body: str, first_leads: bool = False, truncated: bool = False) -> Tag:
    """The departments of one tag's text, lead and cooperating, verbatim in order."""
    tag = Tag(truncated=truncated)
    folded = fold(body)
    fields = list(_FIELD.finditer(folded))
    for k, found in enumerate(fields):
        end = fields[k + 1].start() if k + 1 < len(fields) else len(body)
        word = found.group(0)
        if word in _DUE_WORDS:
            tag.due.append((found.end(), end))
        elif word not in _PERSON_WORDS:
            _assign(tag, word, body[found.end() : end].lstrip(" :："), first_leads)
    if not fields:
        _read_inline(tag, body)
    if truncated:
        _drop_cut_names(tag)
    return tag


def _assign(tag: Tag, keyword: str, value: str, first_leads: bool) -> None:
    if keyword in _RESP_WORDS:
        folded = fold(value)
        if "牵头" in folded or "配合" in folded or "负责" in folded:
            _read_inline(tag, value)
            return
        names = split_names(value)
        if first_leads and names:
            tag.lead.extend(names[:1])
            tag.coop.extend(names[1:])
        else:
            tag.lead.extend(names)
    elif keyword in _LEAD_WORDS:
        tag.lead.extend(split_names(value))
    else:
        tag.coop.extend(split_names(value))


_INLINE_LEAD = re.compile(r"^(?P<lead>.+?)(?:牵头|负责)(?:[,，;；]|$)")
_INLINE_COOP = re.compile(
    r"(?P<coop>[^,，;；]+?)(?:配合|按职责分工负责|按照职责分工负责|参与|协助|协同)"
)


def _read_inline(tag: Tag, text: str) -> None:
    """X、Y牵头，Z按职责分工负责 / X牵头，Y配合."""
    text = text.strip()
    folded = fold(text)
    lead = _INLINE_LEAD.match(folded)
    if not lead:
        return
    names = split_names(text[: lead.end("lead")])
    if not names or not all(looks_complete(n) for n in names):
        return
    tag.lead.extend(names)
    for m in _INLINE_COOP.finditer(folded, lead.end()):
        tag.coop.extend(split_names(text[m.start("coop") : m.end("coop")]))


def _drop_cut_names(tag: Tag) -> None:
    """A tag cut off by the end of the file: keep only names that end like a body."""
    for names in (tag.coop, tag.lead):
        while names and not looks_complete(names[-1]):
            names.pop()


def _shifted(tag: Tag, offset: int) -> Tag:
    """Due-date spans measured in the tag's body -> measured in the whole text."""
    tag.due = [(start + offset, end + offset) for start, end in tag.due]
    return tag


def bracket_groups(folded: str) -> list[tuple[int, int, bool]]:
    """Outermost bracket groups as (start, end past the closer, closed?), nesting respected."""
    groups: list[tuple[int, int, bool]] = []
    depth, start = 0, 0
    for m in _BRACKET.finditer(folded):
        i, ch = m.start(), m.group(0)
        if ch in _OPEN:
            if depth == 0:
                start = i
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                groups.append((start, i + 1, True))
    if depth:
        groups.append((start, len(folded), False))
    return groups


def clear_tag_cache() -> None:
    _find_tags.cache_clear()
