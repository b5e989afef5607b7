"""Paragraph numbering (（一） 一、 （1） 1. 1、 ① 第一条): one table of styles for the parser."""

from __future__ import annotations

import re

from .text import cn_to_int

# Style name -> the marker, with the number captured (on folded text: （ -> ( and so on).
TOKENS: dict[str, str] = {
    "cn_paren": r"\(\s*([一二三四五六七八九十百零〇]+)\s*\)",
    "cn_dun": r"([一二三四五六七八九十百]+)\s*[、.]",
    "ar_paren": r"\(\s*(\d{1,3})\s*\)",
    "ar_dot": r"(\d{1,3})\s*[、.](?!\d)",
    "circled": r"([①-⑳])",
    "di": r"第([一二三四五六七八九十百]+)[条章节部分项]",
}
_STYLES = [(style, re.compile(r"^\s*" + token + r"\s*")) for style, token in TOKENS.items()]
UNCAPTURED = re.compile(r"(?<!\\)\((?!\?)")
# Any numbered start, for a quick test.
NUMBERING = re.compile(
    r"^\s*(?:" + "|".join(UNCAPTURED.sub("(?:", token) for token in TOKENS.values()) + ")"
)


def numbering(folded: str) -> tuple[str, int, int] | None:
    """(style, number, end of marker) for a numbered paragraph, or None."""
    for style, pattern in _STYLES:
        m = pattern.match(folded)
        if m:
            token = m.group(1)
            number = ord(token) - 0x245F if style == "circled" else cn_to_int(token)
            if number is not None and number > 0:
                return style, number, m.end()
    return None
