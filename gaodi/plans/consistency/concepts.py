"""What a number is about: matching a sentence's subject to an indicator row, and the
quantities several tables share (在校生数 of the scale table; X behind 生均X).

Indicator tables of this shape (附表1—6) are a provincial template, so concepts are named
by the template's words, not by one district's numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gaodi.plans.parsing.draft import Indicator, PlanDraft
from gaodi.plans.parsing.text import fold

_QUALIFIERS = re.compile(
    r"全区|全县|全市|全省|我区|我县|我市|职业院校|职业学校|中职学校|高职院校|中职|高职|"
    r"“|”|\"|的|年度|每年|年$|^年"
)
_SYNONYMS = (("规模", "量"), ("数量", "量"), ("人数", "量"), ("总数", "量"), ("数", "量"))
_LEVELS = ("中职", "高职")
_MONEY = {"元": 1, "千元": 1_000, "万元": 10_000, "亿元": 100_000_000}
_SCALE = {"千": 1_000, "万": 10_000, "亿": 100_000_000}
_SUBSET = re.compile(r"^\s*其中\s*[,，、:：]?\s*")
# 在校生数, 全日制在校生规模, 职业院校在校生总数: the enrolment of every level together.
_ALL_ENROLMENT = {"在校生量", "全日制在校生量"}


def core(text: str) -> str:
    """2022年全区职业院校“双师型”教师比例 -> 双师型教师比例; 培训规模 -> 培训量.

    A leading 其中 is dropped (其中退役军人培训规模 -> 退役军人培训量): the row is matched to its
    own indicator; that it is a part of another is `is_subset`'s business.
    """
    text = _SUBSET.sub("", _QUALIFIERS.sub("", fold(text)).strip())
    for word, replacement in _SYNONYMS:
        text = text.replace(word, replacement)
    return text


def level_of(text: str) -> str | None:
    folded = fold(text)
    found = [level for level in _LEVELS if level in folded]
    return found[0] if len(found) == 1 else None


def matching_indicators(subject: str, draft: PlanDraft) -> list[Indicator]:
    """Indicators whose name means the subject; a level (中职/高职) in the subject must agree."""
    wanted = core(subject)
    if len(wanted) < 2:
        return []
    level = level_of(subject)
    found = []
    for indicator in draft.indicators:
        if indicator.industry:
            continue
        if core(indicator.name) != wanted:
            continue
        if level and level_of(indicator.name) not in {level, None}:
            continue
        found.append(indicator)
    return found


def money_factor(unit: str | None) -> int | None:
    """元 -> 1, 万元 -> 10000, 亿元 -> 100000000; None for a unit that is not money."""
    return _MONEY.get(unit or "")


def _scaled(unit: str) -> tuple[str, int]:
    """万元 -> (元, 10000), 万人次 -> (人次, 10000), 人次 -> (人次, 1)."""
    if factor := money_factor(unit):
        return "元", factor
    if len(unit) > 1 and unit[0] in _SCALE:
        return unit[1:], _SCALE[unit[0]]
    return unit, 1


def convert(value: float, unit: str | None, to_unit: str | None) -> float | None:
    """A value in another unit (5000 万元 -> 0.5 亿元), or None when the units do not convert."""
    if unit == to_unit:
        return value
    if unit is None or to_unit is None:
        return None
    (base, factor), (to_base, to_factor) = _scaled(unit), _scaled(to_unit)
    return value * factor / to_factor if base == to_base else None


def comparable(value: float, unit: str | None, indicator: Indicator) -> float | None:
    """A sentence's value in the indicator's unit, or None when the units cannot be compared."""
    if indicator.value_kind == "percentage":
        return value if unit == "%" else None
    return convert(value, unit, indicator.unit)


@dataclass
class Students:
    """在校生数 per year as the scale table gives it, and how it was read."""

    values: dict[str, float]
    source: Indicator
    explanation: str


def students(draft: PlanDraft, level: str | None = "中职") -> Students | None:
    """Enrolment of a level: 校均在校生规模 x 学校数量, or 在校生规模/在校生数 as printed.

    Without a level: the enrolment of every level together (see all_students).
    """
    if level is None:
        return all_students(draft)
    for indicator in draft.indicators:
        name = fold(indicator.name)
        if indicator.industry or level not in name or "在校生" not in name or indicator.formula:
            continue
        if "校均" not in name:
            values = {y: v for y, v in indicator.values.items() if v is not None}
            return Students(values, indicator, f"{indicator.name}")
        schools = school_count(draft, level)
        if schools is None:
            return None
        counts = {y: n for y, n in schools.values.items() if n is not None}
        values = {
            y: v * counts[y] for y, v in indicator.values.items() if v is not None and y in counts
        }
        return Students(values, indicator, f"{indicator.name}×{schools.name}")
    return None


def school_count(draft: PlanDraft, level: str) -> Indicator | None:
    for indicator in draft.indicators:
        name = fold(indicator.name)
        if indicator.subset_of is None and name.startswith(level) and name.endswith("学校数量"):
            return indicator
    return None


def all_students(draft: PlanDraft) -> Students | None:
    """Enrolment of every level: a printed total (在校生数), else 中职 + 高职 where they have
    figures; for 生均 values and 生师比 with no level."""
    for indicator in draft.indicators:
        if (
            core(indicator.name) in _ALL_ENROLMENT
            and not (indicator.industry or indicator.formula or indicator.subset_of)
            and level_of(indicator.name) is None
        ):
            values = {y: v for y, v in indicator.values.items() if v is not None}
            return Students(values, indicator, indicator.name)
    found = [s for level in _LEVELS if (s := students(draft, level))]
    if not found:
        return None
    years = set().union(*(s.values for s in found))
    values = {
        y: sum(s.values.get(y, 0.0) for s in found)
        for y in years
        if all(y in s.values for s in found)
    }
    return Students(values, found[0].source, " + ".join(s.explanation for s in found))


def similar_subjects(a: str, b: str) -> bool:
    """Two sentences' subjects name the same quantity: equal cores, and both or neither a
    part (其中 …) — 社会培训规模 and 其中退役军人培训规模 are a whole and its part.

    One core inside the other is not enough: 社会培训量 lies inside 退役军人社会培训量.
    """
    ca, cb = core(a), core(b)
    return bool(ca) and ca == cb and is_subset(a) == is_subset(b)


def is_subset(subject: str) -> bool:
    """其中退役军人培训规模 (or …，其中 …) is a part of the quantity named before it."""
    return "其中" in fold(subject)
