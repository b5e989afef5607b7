"""产教融合型企业 certification workflow (重点任务（十二）), pure, no Django.

申请 -> 审核 -> 培育 (纳入建设培育范围) / 认定 (at 区县, 市, 省 or 国家 level) / 不予认定 (with a
reason). The steps follow 《建设产教融合型企业实施办法(试行)》(发改社会〔2019〕590号):
申报、复核确认、建设培育、认证评价, under 先建后认、动态实施 — so a 培育 enterprise may later
be 认定, an enterprise may be listed again at a higher level, a listed one may be 不予认定
(dropped from the list, with the reason), and a refused one may apply again.

Every 培育 and 认定 step names the list that published it (the source) and its date: the
enterprise is "in the period" (qualifies for the 30 % credit, credit.py) from the date of the
first 培育 or 认定 step until the day before a 不予认定 step. Those dates are the dates the lists
were published (or the decision dated), not the dates the steps were typed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from gaodi.i18n import _

APPLIED, REVIEW, CULTIVATING, CERTIFIED, REJECTED = "申请", "审核", "培育", "认定", "不予认定"
STATES = (APPLIED, REVIEW, CULTIVATING, CERTIFIED, REJECTED)
STATE_LABELS = {
    APPLIED: _("申请"),
    REVIEW: _("审核"),
    CULTIVATING: _("培育（纳入建设培育范围）"),
    CERTIFIED: _("认定"),
    REJECTED: _("不予认定"),
}
LISTED = frozenset({CULTIVATING, CERTIFIED})  # the states that come from a published list
COUNTY, CITY, PROVINCE, NATIONAL = "区县", "市", "省", "国家"
LEVELS = (COUNTY, CITY, PROVINCE, NATIONAL)  # low to high
LEVEL_LABELS = {
    COUNTY: _("区县级"),
    CITY: _("市级"),
    PROVINCE: _("省级"),
    NATIONAL: _("国家级"),
}
SOURCE = "《建设产教融合型企业实施办法(试行)》(发改社会〔2019〕590号)"

# From each state (None: no step yet), the states the next step may reach. A listed state may
# repeat only at a higher level (the same list at a higher level: 市级 -> 省级).
TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({APPLIED}),
    APPLIED: frozenset({REVIEW}),
    REVIEW: frozenset({CULTIVATING, CERTIFIED, REJECTED}),
    CULTIVATING: frozenset({CULTIVATING, CERTIFIED, REJECTED}),
    CERTIFIED: frozenset({CERTIFIED, REJECTED}),
    REJECTED: frozenset({APPLIED}),
}


@dataclass(frozen=True)
class Step:
    """One step of an enterprise's certification: the state reached, on which day, at which
    level and from which published list (培育/认定), or why (不予认定)."""

    state: str
    on: date
    level: str = ""
    source: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Period:
    """Days the enterprise is on a 培育 or 认定 list: `start` to `end` inclusive (None: open)."""

    start: date
    end: date | None
    state: str
    level: str

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and (self.end is None or first <= self.end)


def current(history: Sequence[Step]) -> Step | None:
    return history[-1] if history else None


def allowed_next(history: Sequence[Step]) -> frozenset[str]:
    """The states the next step may reach."""
    last = current(history)
    return TRANSITIONS[last.state if last else None]


def problems(history: Sequence[Step], step: Step) -> list[str]:
    """Every reason why `step` may not follow `history` (empty: it may), in Chinese."""
    found: list[str] = []
    last = current(history)
    if step.state not in STATES:
        return [_("没有名为“{state}”的认定环节").format(state=step.state)]
    if step.state not in allowed_next(history):
        found.append(
            _("当前为“{now}”，不能转为“{next}”；可转为：{allowed}").format(
                now=last.state if last else _("未申请"),
                next=step.state,
                allowed="、".join(s for s in STATES if s in allowed_next(history)),
            )
        )
    if last is not None and step.on < last.on:
        found.append(
            _("日期 {day} 早于上一环节“{state}”的日期 {before}").format(
                day=step.on.isoformat(), state=last.state, before=last.on.isoformat()
            )
        )
    found.extend(_listing_problems(history, step))
    if step.state == REJECTED and not step.reason.strip():
        found.append(_("不予认定须写明理由"))
    return found


def _listing_problems(history: Sequence[Step], step: Step) -> list[str]:
    found: list[str] = []
    if step.state not in LISTED:
        if step.level:
            found.append(_("只有培育、认定环节有级别"))
        return found
    if step.level not in LEVELS:
        found.append(_("培育、认定须选级别：区县、市、省或国家"))
    if not step.source.strip():
        found.append(_("培育、认定须写明公布的名单（文件名称或文号）"))
    last = current(history)
    if (
        last is not None
        and last.state == step.state
        and step.level in LEVELS
        and last.level in LEVELS
        and LEVELS.index(step.level) <= LEVELS.index(last.level)
    ):
        found.append(
            _("已是{level}“{state}”；再次{state}须为更高级别").format(
                level=last.level, state=step.state
            )
        )
    return found


def periods(history: Sequence[Step]) -> list[Period]:
    """The periods on a list: from a 培育/认定 step's date until the day before a 不予认定 (a
    later listing continues the period, with the latest state and level)."""
    found: list[Period] = []
    start: date | None = None
    state, level = "", ""
    for step in history:
        if step.state in LISTED:
            start = start or step.on
            state, level = step.state, step.level
        elif step.state == REJECTED and start is not None:
            found.append(Period(start, step.on - timedelta(days=1), state, level))
            start = None
    if start is not None:
        found.append(Period(start, None, state, level))
    return found
