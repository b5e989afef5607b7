"""考核通过率 (issue 9, "counts for the plan: … pass rates"), pure, no Django.

A pass rate is an exam figure, not a recognition figure: of the candidates who sat a
certificate's assessment (考核批次: one scheme, one 认证单元, one level, one school, one day),
how many passed. The credit bank records what a learner holds, never who failed, so the
sittings are recorded on their own: candidates and passes as the assessment organisation
(评价组织 / 职业技能等级认定机构) reports them.

Rates are recomputed from the summed parts (passes ÷ candidates of every sitting in the group),
never averaged over sittings: a sitting of 200 weighs 200 times one of 1.

Beside each rate the certificates actually registered in the credit bank for the same scheme
and level are compared with the passes: more passes than certificates means certificates not
yet registered; more certificates than passes means certificates from sittings not recorded
(another school's, or before the credit bank). Both are facts to look at, not errors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from gaodi.i18n import _

MAX_CANDIDATES = 100_000  # a sitting larger than this is a typing error


@dataclass(frozen=True)
class Sitting:
    scheme: str  # the scheme's name, e.g. 人社职业技能等级
    unit: str  # the 认证单元's name
    level: str
    school: str
    held_on: date
    candidates: int
    passed: int


@dataclass(frozen=True)
class Rate:
    scheme: str
    level: str
    sittings: int
    candidates: int
    passed: int
    rate: Decimal | None  # per cent, one decimal; None when nobody sat

    @property
    def label(self) -> str:
        if self.rate is None:
            return _("无人参加考核")
        return _("{rate}%").format(rate=self.rate)


def check(
    candidates: object, passed: object, level: str, levels: Iterable[str], held_on: date | None
) -> list[str]:
    """Problems of one sitting as typed, in Chinese (empty if none)."""
    problems: list[str] = []
    counts: list[int] = []
    for value, what in ((candidates, _("参加考核人数")), (passed, _("通过人数"))):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(_("{what}应为整数").format(what=what))
        elif value < 0:
            problems.append(_("{what}不能为负数").format(what=what))
        elif value > MAX_CANDIDATES:
            problems.append(_("{what}超过 {limit}，请核对").format(what=what, limit=MAX_CANDIDATES))
        else:
            counts.append(value)
    if len(counts) == 2:
        if counts[0] == 0:
            problems.append(_("参加考核人数应大于 0"))
        elif counts[1] > counts[0]:
            problems.append(
                _("通过人数（{passed}）不能多于参加考核人数（{candidates}）").format(
                    passed=counts[1], candidates=counts[0]
                )
            )
    known = list(levels)
    if level not in known:
        problems.append(
            _("该体系没有“{level}”这一等级（可用：{levels}）").format(
                level=level, levels="、".join(known)
            )
        )
    if held_on is None:
        problems.append(_("请填写考核日期"))
    return problems


def percent(passed: int, candidates: int) -> Decimal | None:
    """passed ÷ candidates as a percentage with one decimal, halves rounded up."""
    if candidates <= 0:
        return None
    return (Decimal(passed) * 100 / Decimal(candidates)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def rates(
    sittings: Iterable[Sitting],
    *,
    start: date,
    end: date,
    scales: Mapping[str, list[str]] | None = None,
) -> list[Rate]:
    """One rate per (scheme, level) over the sittings held from `start` to `end` inclusive,
    in scheme order, then level from lowest to highest by the scheme's scale (`scales`: the
    scheme's levels by its name; levels not in it last, by name)."""
    scales = scales or {}

    def order(key: tuple[str, str]) -> tuple[str, int, str]:
        scale = scales.get(key[0], [])
        return (key[0], scale.index(key[1]) if key[1] in scale else len(scale), key[1])

    groups: dict[tuple[str, str], list[Sitting]] = defaultdict(list)
    for sitting in sittings:
        if start <= sitting.held_on <= end:
            groups[(sitting.scheme, sitting.level)].append(sitting)
    result = []
    for (scheme, level), group in sorted(groups.items(), key=lambda item: order(item[0])):
        candidates = sum(s.candidates for s in group)
        passed = sum(s.passed for s in group)
        result.append(
            Rate(scheme, level, len(group), candidates, passed, percent(passed, candidates))
        )
    return result


def overall(found: Iterable[Rate]) -> Rate:
    """All groups together, again from the parts."""
    found = list(found)
    candidates = sum(r.candidates for r in found)
    passed = sum(r.passed for r in found)
    return Rate(
        _("合计"),
        "",
        sum(r.sittings for r in found),
        candidates,
        passed,
        percent(passed, candidates),
    )


def comparisons(found: Iterable[Rate], certificates: Mapping[tuple[str, str], int]) -> list[str]:
    """For each (scheme, level) with sittings, how the passes compare with the certificates
    registered in the credit bank in the same period."""
    notes = []
    for rate in found:
        held = certificates.get((rate.scheme, rate.level), 0)
        if held == rate.passed:
            notes.append(
                _(
                    "{scheme}·{level}：通过 {passed} 人，学分银行认定通过证书 {held} 张，一致"
                ).format(scheme=rate.scheme, level=rate.level, passed=rate.passed, held=held)
            )
        elif held < rate.passed:
            notes.append(
                _(
                    "{scheme}·{level}：通过 {passed} 人，学分银行认定通过证书 {held} 张，"
                    "尚有 {gap} 张未登记"
                ).format(
                    scheme=rate.scheme,
                    level=rate.level,
                    passed=rate.passed,
                    held=held,
                    gap=rate.passed - held,
                )
            )
        else:
            notes.append(
                _(
                    "{scheme}·{level}：通过 {passed} 人，学分银行认定通过证书 {held} 张，"
                    "多出的 {gap} 张来自未登记的考核批次（如校外考核）"
                ).format(
                    scheme=rate.scheme,
                    level=rate.level,
                    passed=rate.passed,
                    held=held,
                    gap=held - rate.passed,
                )
            )
    return notes
