"""专业与产业对接 (issue 7 §1, alignment): the share of students per industry against the
district's target structure, and what serves nothing or is served by nothing. Pure: no Django.

Clause — 聊茌政发〔2020〕19号 （八）: “构建与全市全区产业结构相匹配的职业教育专业体系”, with the
目标 of 附件2 二、专业布局 (学生数 per industry and year).

The working, step by step (documented defaults, 示例 where the plan says nothing):
- the target structure of a year is each industry's 学生数 in 附件2 divided by the sum of the
  industries that have a number (a blank in the plan is not 0: it is left out of the sum and
  its share is unknown);
- the actual structure is the students of the schools' offerings of the specialties that serve
  each industry, divided by their sum over the same industries; a specialty serving two
  industries counts in both (the plan's own table lists 计算机应用 under two rows), so the
  shares are of the counted total, which the page says;
- the gap is actual share − target share, in percentage points to 0.1;
- industries of the plan with no specialty mapped, and specialties offered that serve no
  industry of the plan, are listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from gaodi.i18n import _

HUNDRED = Decimal(100)
POINT = Decimal("0.1")


@dataclass(frozen=True)
class IndustryShare:
    industry: str
    target_students: int | None
    target_share: Decimal | None  # percent
    actual_students: int | None
    actual_share: Decimal | None  # percent
    gap: Decimal | None  # actual − target, percentage points


@dataclass(frozen=True)
class Alignment:
    year: int
    rows: tuple[IndustryShare, ...]
    target_total: int
    actual_total: int
    unserved_industries: tuple[str, ...]
    unmapped_specialties: tuple[str, ...]
    steps: tuple[str, ...] = field(default=())


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(POINT, rounding=ROUND_HALF_UP)


def alignment(
    year: int,
    targets: Mapping[str, int | None],
    actuals: Mapping[str, int | None],
    served_by: Mapping[str, frozenset[str] | set[str]],
    offered: set[str] | frozenset[str],
) -> Alignment:
    """The alignment of one year.

    targets: industry -> 学生数 of 附件2 (None where the plan is blank), in the plan's order;
    actuals: industry -> students of the specialties serving it (None when none reported);
    served_by: industry -> the names of the specialties mapped to it;
    offered: the names of the specialties the schools offer that year."""
    target_total = sum(v for v in targets.values() if v is not None)
    actual_total = sum(v for v in actuals.values() if v is not None)
    rows = []
    steps = [
        _("{year}年目标结构：各产业学生数 ÷ 有数字的产业学生数之和 {total} 人").format(
            year=year, total=target_total
        ),
        _("{year}年实际结构：对接各产业的专业在校生 ÷ 合计 {total} 人").format(
            year=year, total=actual_total
        ),
    ]
    for industry, target in targets.items():
        actual = actuals.get(industry)
        target_share = _percent(target, target_total) if target is not None else None
        actual_share = _percent(actual, actual_total) if actual is not None else None
        gap = (
            actual_share - target_share
            if actual_share is not None and target_share is not None
            else None
        )
        rows.append(IndustryShare(industry, target, target_share, actual, actual_share, gap))
        steps.append(_step(industry, target, target_share, actual, actual_share, gap))
    mapped = set().union(*served_by.values()) if served_by else set()
    unserved = tuple(i for i in targets if not served_by.get(i))
    unmapped = tuple(sorted(s for s in offered if s not in mapped))
    steps_done = tuple(steps)
    return Alignment(year, tuple(rows), target_total, actual_total, unserved, unmapped, steps_done)


def _step(
    industry: str,
    target: int | None,
    target_share: Decimal | None,
    actual: int | None,
    actual_share: Decimal | None,
    gap: Decimal | None,
) -> str:
    want = _("方案未填") if target is None else _("{n} 人（{s}%）").format(n=target, s=target_share)
    have = _("未报") if actual is None else _("{n} 人（{s}%）").format(n=actual, s=actual_share)
    text = _("{industry}：目标 {want}，实际 {have}").format(industry=industry, want=want, have=have)
    if gap is not None:
        text += _("，相差 {gap:+} 个百分点").format(gap=gap)
    return text
