"""The leading group (领导小组): members in order, with role and position, and its office.

Rows come as table cells (组 长： | 郭 飞 | 区委书记（副厅级）), continuation rows with an empty
role cell (they inherit the role above), or lines where spaces separate name and position
(齐春英 区残联理事长) — what is left of a table after a page break in a text export.
"""

from __future__ import annotations

import re

from .departments import level_pattern, split_top_level
from .draft import Member
from .paragraphs import Paragraph
from .readers import TableBlock
from .text import fold

_ROLES = (
    "常务副组长",
    "第一组长",
    "副组长",
    "组长",
    "成员",
    "秘书长",
    "副秘书长",
    "顾问",
    "办公室主任",
    "办公室副主任",
    "联络员",
)
_ROLE_PREFIX = re.compile(
    r"^\s*(?P<role>(?:" + "|".join(r"\s*".join(role) for role in _ROLES) + r"))\s*[:]?\s*"
)
_HEADING = re.compile(r"领导小组|工作专班|指挥部|委员会")
_NAME = re.compile(r"^[\u3400-\u9fff·]{2,5}$")
_POSITION_START = re.compile(
    r"^(?:" + level_pattern() + r"|团)|(?:长|主任|书记|主席|部长|委员|理事长|常委)"
)
_OFFICE_AT = re.compile(r"办公室设在(?P<dept>[^，,。；;]+?)(?:[，,。；;]|$)")
_OFFICE_DIRECTOR = re.compile(r"(?:办公室)?主任由(?P<who>[^，,。；;]+?)(?:同志)?(?:兼任|担任|兼)")


def read_leading_group(
    blocks: list[Paragraph | TableBlock],
) -> tuple[list[Member], dict[str, str] | None]:
    """Members and office from the blocks of the region that lists the group."""
    start = next(
        (
            i
            for i, b in enumerate(blocks)
            if isinstance(b, Paragraph)
            and _HEADING.search(b.folded)
            and ("名单" in b.folded or "组成" in b.folded or "成员" in b.folded)
            and len(b.folded) <= 60
        ),
        None,
    )
    if start is None:
        return [], None
    members: list[Member] = []
    role = ""
    for block in blocks[start + 1 :]:
        rows = block.rows if isinstance(block, TableBlock) else [[block.text]]
        parsed_any = False
        for row in rows:
            for parsed in _row(row, role):
                role = parsed.role
                members.append(parsed)
                parsed_any = True
        if not parsed_any and isinstance(block, Paragraph) and members:
            break
    return members, _office(blocks[start + 1 :])


def _row(cells: list[str], inherited_role: str) -> list[Member]:
    cells = [c.strip() for c in cells]
    if len([c for c in cells if c]) == 1 and len(cells) == 1:
        return _line(cells[0], inherited_role)
    role = inherited_role
    rest = list(cells)
    if rest and _role_of(fold(rest[0])) in _ROLES:
        role = _role_of(rest[0])
        rest = rest[1:]
    elif rest and not rest[0]:
        rest = rest[1:]
    rest = [c for c in rest if c]
    if len(rest) < 2 or not role:
        return []
    name = re.sub(r"\s+", "", rest[0])
    if not _NAME.match(fold(name)):
        return []
    return [Member(name=name, role=role, position=" ".join(rest[1:]).strip())]


def _role_of(cell: str) -> str:
    return re.sub(r"[\s:：]", "", cell)


def _line(text: str, inherited_role: str) -> list[Member]:
    """One line of members: 郭 飞 区委书记 / 成 员：谷秀坤 区政协副主席 / 组长：张三（县委书记）/
    组长：张三，县委书记 / 组长：县委书记张三 / 成员：张三（…）、李四（…）."""
    folded = fold(text)
    role = inherited_role
    m = _ROLE_PREFIX.match(folded)
    if m and (":" in m.group(0) or " " in folded[m.end() - 1 : m.end() + 1]):
        role = _role_of(text[: m.end("role")])
        text = text[m.end() :]
    if not role:
        return []
    pieces = [p for p in split_top_level(text) if p.strip()]
    listed = [found for piece in pieces if (found := _labelled(piece))]
    if len(pieces) > 1 and len(listed) == len(pieces):
        return [Member(name=name, role=role, position=position) for name, position in listed]
    found = _labelled(text) or _spaced(text)
    return [Member(name=found[0], role=role, position=found[1])] if found else []


_BRACKETED_POSITION = re.compile(r"^(?P<name>[\u3400-\u9fff·\s]{2,8}?)\s*\((?P<pos>.+)\)$")
_COMMA_POSITION = re.compile(r"^(?P<name>[\u3400-\u9fff·\s]{2,8}?)\s*,\s*(?P<pos>.+)$")
_TITLE_FIRST = re.compile(
    r"^(?P<pos>.+(?:书记|主任|局长|部长|县长|区长|市长|主席|理事长|常委|校长|院长))"
    r"(?P<name>[\u3400-\u9fff]{2,3})$"
)


def _labelled(text: str) -> tuple[str, str] | None:
    """张三（县委书记） / 张三，县委书记 / 县委书记张三 -> (name, position)."""
    text = text.strip()
    folded = fold(text)
    for pattern in (_BRACKETED_POSITION, _COMMA_POSITION, _TITLE_FIRST):
        m = pattern.match(folded)
        if m:
            name = re.sub(r"\s+", "", text[m.start("name") : m.end("name")])
            if _NAME.match(fold(name)):
                return name, text[m.start("pos") : m.end("pos")].strip()
    return None


def _spaced(text: str) -> tuple[str, str] | None:
    """郭 飞 区委书记 / 齐春英 区残联理事长: a name of single characters, then the position."""
    tokens = text.split()
    if len(tokens) < 2:
        return None
    name = ""
    k = 0
    while k < len(tokens) - 1:
        token = tokens[k]
        if name and (
            len(name) >= 2 and (_POSITION_START.search(fold(token)) or len(name) + len(token) > 4)
        ):
            break
        name += token
        k += 1
    if not _NAME.match(fold(name)) or k >= len(tokens):
        return None
    return name, " ".join(tokens[k:])


def _office(blocks: list[Paragraph | TableBlock]) -> dict[str, str] | None:
    for block in blocks:
        if not isinstance(block, Paragraph):
            continue
        at = _OFFICE_AT.search(block.folded)
        if not at:
            continue
        office = {"department": block.text[at.start("dept") : at.end("dept")].strip()}
        director = _OFFICE_DIRECTOR.search(block.folded)
        if director:
            who = block.text[director.start("who") : director.end("who")].strip()
            name = re.search(r"(?:长|主任|书记|主席)([\u3400-\u9fff]{2,4})$", fold(who))
            office["director"] = who[name.start(1) :] if name else who
            if name:
                office["director_position"] = who[: name.start(1)]
        return office
    return None
