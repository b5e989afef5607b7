"""Character-level normalisation and Chinese numerals.

Matching happens on a *folded* copy of the text: full-width ASCII becomes half-width,
traditional characters become simplified (OpenCC, character by character so that every
index in the folded text is the same index in the original) and odd spaces become plain
spaces. Output always slices the original, so the document keeps its own spelling.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from functools import cache, lru_cache
from typing import Any

_FULLWIDTH_OFFSET = 0xFEE0
_SPACES = {"\u3000": " ", "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " "}
_PUNCT_FOLD = {
    "〔": "[",
    "〕": "]",
    "【": "[",
    "】": "]",
    "﹝": "[",
    "﹞": "]",
    "—": "-",
    "－": "-",
    "–": "-",
    "─": "-",
    "﹐": ",",
    "﹔": ";",
    "﹕": ":",
}


@cache
def _opencc() -> Any:  # the opencc binding ships no type information
    import opencc

    return opencc.OpenCC("t2s")


_FOLD_TABLE: dict[int, int | str] = {c: c - _FULLWIDTH_OFFSET for c in range(0xFF01, 0xFF5F)}
_FOLD_TABLE.update({ord(k): v for k, v in {**_SPACES, **_PUNCT_FOLD}.items()})


def _fold_ascii_and_space(text: str) -> str:
    return text.translate(_FOLD_TABLE)


def to_simplified(text: str) -> str:
    """Traditional -> simplified, keeping every character at its index."""
    converted = _opencc().convert(text)
    if len(converted) == len(text):
        return str(converted)
    # Phrase tables changed a length: fall back to one character at a time.
    return "".join(c if len(c := _opencc().convert(ch)) == 1 else ch for ch in text)


# Set per parse when the whole document has no traditional character: OpenCC is skipped.
SIMPLIFIED_ONLY: ContextVar[bool] = ContextVar("simplified_only", default=False)


def fold(text: str) -> str:
    """The matching form of a text: same length, half-width, simplified."""
    return _fold(text, SIMPLIFIED_ONLY.get())


@lru_cache(maxsize=8192)
def _fold(text: str, simplified_only: bool) -> str:
    ascii_folded = _fold_ascii_and_space(text)
    return ascii_folded if simplified_only else to_simplified(ascii_folded)


def clear_fold_cache() -> None:
    """Forget folded texts (each parse starts afresh: honest timings, bounded memory)."""
    _fold.cache_clear()


def has_traditional(text: str) -> bool:
    return to_simplified(text) != text


_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_to_int(numeral: str) -> int | None:
    """一 -> 1, 十三 -> 13, 二十三 -> 23, 一百零五 -> 105; 二〇二〇 -> 2020 (digit by digit).

    cn2an does this too but costs 200 ms to import; numbering and years need only this.
    """
    if not numeral:
        return None
    if numeral.isdigit():
        return int(numeral)
    if all(ch in _CN_DIGITS for ch in numeral):
        value = 0
        for ch in numeral:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    total, digit = 0, 0
    for ch in numeral:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        else:
            return None
    return total + digit


_CN_YEAR = re.compile("[零〇○一二三四五六七八九]{4}(?=年)")
_CN_MONTH_DAY = re.compile(
    "(?<=年)([一二三四五六七八九十]{1,3})(?=月)|(?<=月)([一二三四五六七八九十]{1,3})(?=日)"
)


def arabise_dates(folded: str) -> str:
    """二〇二〇年七月二日 -> 2020年7月2日, padded with spaces so that indexes are kept."""

    def pad(value: int | None, width: int) -> str:
        return str(value).rjust(width) if value is not None else " " * width

    def year(m: re.Match[str]) -> str:
        return pad(cn_to_int(m.group(0)), 4)

    def month_day(m: re.Match[str]) -> str:
        value = cn_to_int(m.group(0))
        return pad(value, len(m.group(0))) if len(str(value)) <= len(m.group(0)) else m.group(0)

    return _CN_MONTH_DAY.sub(month_day, _CN_YEAR.sub(year, folded))


_BULLET = re.compile(r"^\s*[-*•]\s+")


def strip_markup(line: str) -> str:
    """Drop markdown emphasis and list bullets that text exports leave behind."""
    line = line.replace("**", "")
    return _BULLET.sub("", line) if line[:3].lstrip()[:1] in {"-", "*", "•"} else line


def int_to_cn(number: int) -> str:
    """14 -> 十四, 23 -> 二十三, 100 -> 一百 (numbering of tasks)."""
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 20:
        return "十" + (digits[number % 10] if number % 10 else "")
    if number < 100:
        return digits[number // 10] + "十" + (digits[number % 10] if number % 10 else "")
    rest = number % 100
    tail = (
        ""
        if not rest
        else (
            "零" + int_to_cn(rest)
            if rest < 10
            else int_to_cn(rest)
            if rest >= 20
            else "一" + int_to_cn(rest)
        )
    )
    return digits[number // 100] + "百" + tail
