"""Word's automatic numbering: the 1. or （一） that Word draws but does not store as text.

python-docx's `paragraph.text` leaves the number out; a plan numbered by Word's list styles
would lose the very markers that make its tasks. This rebuilds each marker from the
paragraph's numbering (direct or through its style) and the level's format and text pattern
in word/numbering.xml (`%1.`, `（%1）`, `%1、`).
"""

from __future__ import annotations

from typing import Any

from .text import int_to_cn

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CHINESE = {
    "chineseCounting",
    "chineseCountingThousand",
    "ideographTraditional",
    "taiwaneseCountingThousand",
    "japaneseCounting",
    "ideographDigital",
}


class WordNumbering:
    """Counts list paragraphs in document order and renders their markers."""

    def __init__(self, document: Any) -> None:
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self._counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {a.get(_W + "abstractNumId"): a for a in root.iter(_W + "abstractNum")}
        for num in root.iter(_W + "num"):
            ref = num.find(_W + "abstractNumId")
            definition = abstract.get(ref.get(_W + "val")) if ref is not None else None
            if definition is not None:
                self._levels[num.get(_W + "numId") or ""] = _read_levels(definition)

    def marker(self, paragraph: Any) -> str:
        """The number Word shows before this paragraph, or ""."""
        num_id, level = _numbering_of(paragraph)
        levels = self._levels.get(num_id or "")
        if not levels or level not in levels:
            return ""
        counts = self._counters.setdefault(num_id or "", [0] * 9)
        counts[level] = (counts[level] or levels[level][2] - 1) + 1
        for deeper in range(level + 1, 9):
            counts[deeper] = 0
        fmt, pattern, _start = levels[level]
        text = pattern
        for k in range(level, -1, -1):
            shown = counts[k] or levels.get(k, ("decimal", "", 1))[2]
            text = text.replace(f"%{k + 1}", _format(shown, levels.get(k, (fmt, "", 1))[0]))
        return text


def _read_levels(definition: Any) -> dict[int, tuple[str, str, int]]:
    levels = {}
    for lvl in definition.iter(_W + "lvl"):
        fmt = lvl.find(_W + "numFmt")
        text = lvl.find(_W + "lvlText")
        start = lvl.find(_W + "start")
        levels[int(lvl.get(_W + "ilvl") or 0)] = (
            fmt.get(_W + "val") if fmt is not None else "decimal",
            text.get(_W + "val") if text is not None else "",
            int(start.get(_W + "val")) if start is not None else 1,
        )
    return levels


def _numbering_of(paragraph: Any) -> tuple[str | None, int]:
    """numId and level from the paragraph's own properties, else from its style."""
    for element in (paragraph._p, getattr(paragraph.style, "element", None)):
        ppr = element.find(_W + "pPr") if element is not None else None
        num_pr = ppr.find(_W + "numPr") if ppr is not None else None
        if num_pr is None:
            continue
        num_id = num_pr.find(_W + "numId")
        ilvl = num_pr.find(_W + "ilvl")
        value = num_id.get(_W + "val") if num_id is not None else None
        if value and value != "0":
            return value, int(ilvl.get(_W + "val")) if ilvl is not None else 0
    return None, 0


def _format(number: int, fmt: str) -> str:
    if fmt in _CHINESE:
        return int_to_cn(number)
    if fmt == "lowerLetter":
        return chr(ord("a") + (number - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (number - 1) % 26)
    if fmt == "decimalEnclosedCircle" and 1 <= number <= 20:
        return chr(0x245F + number)
    return str(number)
