"""How far an indicator has come towards its target, and its traffic light (pure).

完成进度 (progress) is measured from the baseline (现有基础) towards the target:
(actual − baseline) / (target − baseline). The direction comes from the plan itself: a target
below its baseline asks for a decrease, and the same formula then counts a fall as progress.
Without a baseline, progress is actual / target (a zero target is met by any value that is
not negative). A target equal to its baseline asks to hold the level: met when the actual is
not below it, else actual / target.

序时进度 (expected progress) is the share of the time from the end of the baseline year to
the end of the target year that has passed as of the day the actual stands for: the as-of date,
or the end of the actual's year when that year is over (a 2020 value is judged as of the end
of 2020). Without a baseline the time runs from the start of the target year.

The traffic light (红黄绿灯) compares the two. Thresholds are Gaodi's defaults (示例), to be
set by each district:

- green (绿灯): the target is met, or progress is not more than 10 percentage points behind
  the expected progress (`amber_gap`);
- amber (黄灯, "behind" 落后序时进度): more than 10 and at most 25 points behind (`red_gap`);
- red (红灯): more than 25 points behind, or the forecast for the last target year misses it
  even at the favourable end of its 80 % prediction interval;
- grey (灰灯): no target, or no actual yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from gaodi.i18n import _

from .forecast import Forecast

HUNDRED = Decimal(100)


class Colour(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"


def colour_label(colour: Colour) -> str:
    return {
        Colour.GREEN: _("绿灯"),
        Colour.AMBER: _("黄灯"),
        Colour.RED: _("红灯"),
        Colour.GREY: _("灰灯"),
    }[colour]


@dataclass(frozen=True)
class Thresholds:
    """How far behind 序时进度 (as a fraction: 0.10 = 10 percentage points) turns a light
    amber, and red. Gaodi defaults (示例), not a rule of the plan."""

    amber_gap: Decimal = Decimal("0.10")
    red_gap: Decimal = Decimal("0.25")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Goal:
    """A target value for a year, and the baseline it starts from (both optional parts)."""

    target: Decimal
    target_year: int
    baseline: Decimal | None = None
    baseline_year: int | None = None

    @property
    def start_year(self) -> int:
        """The year whose end the clock starts from."""
        if self.baseline is not None and self.baseline_year is not None:
            return self.baseline_year
        return self.target_year - 1

    @property
    def wants_decrease(self) -> bool:
        return self.baseline is not None and self.target < self.baseline


@dataclass(frozen=True)
class Light:
    """A traffic light with the Chinese sentence that explains it."""

    colour: Colour
    reason: str
    progress: Decimal | None = None
    expected: Decimal | None = None

    @property
    def label(self) -> str:
        return colour_label(self.colour)


def attainment(actual: Decimal | None, goal: Goal) -> Decimal | None:
    """完成进度 as a fraction (1 = the target is reached; above 1 = passed; below 0 = moved
    away from the target). None without an actual."""
    if actual is None:
        return None
    if goal.baseline is None:
        if goal.target == 0:  # nothing to reach: met by any value that is not negative
            return Decimal(1) if actual >= 0 else Decimal(0)
        return actual / goal.target
    if goal.target == goal.baseline:  # hold the level
        if actual >= goal.target:
            return Decimal(1)
        return actual / goal.target if goal.target > 0 else Decimal(0)
    return (actual - goal.baseline) / (goal.target - goal.baseline)


def expected_progress(goal: Goal, as_of: dt.date, actual_year: int | None = None) -> Decimal:
    """序时进度 as a fraction between 0 and 1 (see the module's docstring)."""
    measured_on = as_of
    if actual_year is not None:
        measured_on = min(as_of, dt.date(actual_year, 12, 31))
    start = dt.date(goal.start_year, 12, 31)
    end = dt.date(goal.target_year, 12, 31)
    if end <= start:
        return Decimal(1)
    share = Decimal((measured_on - start).days) / Decimal((end - start).days)
    return min(Decimal(1), max(Decimal(0), share))


def traffic_light(
    actual: Decimal | None,
    actual_year: int | None,
    goal: Goal | None,
    as_of: dt.date,
    *,
    unit: str = "",
    forecast: Forecast | None = None,
    final_goal: Goal | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Light:
    """The light for an actual against a goal as of a day, with its reason naming the
    numbers; a forecast that misses `final_goal` turns it red."""
    if goal is None:
        return Light(Colour.GREY, _("没有目标值，无法判断进度。"))
    if actual is None or actual_year is None:
        return Light(
            Colour.GREY,
            _("截至{date}尚无实际值，无法判断进度。").format(date=chinese_date(as_of)),
        )
    progress = attainment(actual, goal)
    assert progress is not None
    expected = expected_progress(goal, as_of, actual_year)
    facts = _facts(actual, actual_year, goal, as_of, unit, progress, expected)
    miss = _forecast_miss(forecast, final_goal, unit)
    if miss:
        return Light(Colour.RED, facts + miss, progress, expected)
    gap = expected - progress
    if progress >= 1:
        verdict, colour = _("已达到目标值。"), Colour.GREEN
    elif gap <= thresholds.amber_gap:
        verdict, colour = _("进度正常。"), Colour.GREEN
    elif gap <= thresholds.red_gap:
        verdict = _("落后序时进度{gap}个百分点，进度滞后（超过{limit}个百分点为黄灯）。")
        verdict = verdict.format(gap=percent(gap), limit=number(thresholds.amber_gap * HUNDRED))
        colour = Colour.AMBER
    else:
        verdict = _("落后序时进度{gap}个百分点，严重滞后（超过{limit}个百分点为红灯）。")
        verdict = verdict.format(gap=percent(gap), limit=number(thresholds.red_gap * HUNDRED))
        colour = Colour.RED
    return Light(colour, facts + verdict, progress, expected)


def _facts(
    actual: Decimal,
    actual_year: int,
    goal: Goal,
    as_of: dt.date,
    unit: str,
    progress: Decimal,
    expected: Decimal,
) -> str:
    if goal.baseline is not None and goal.baseline_year is not None:
        base = _("（{year}年基础{value}{unit}）").format(
            year=goal.baseline_year, value=number(goal.baseline), unit=unit
        )
    else:
        base = _("（无基础值）")
    return _(
        "截至{date}，{year}年实际值{actual}{unit}，{target_year}年目标值{target}{unit}{base}，"
        "完成进度{progress}%，序时进度{expected}%。"
    ).format(
        date=chinese_date(as_of),
        year=actual_year,
        actual=number(actual),
        unit=unit,
        target_year=goal.target_year,
        target=number(goal.target),
        base=base,
        progress=percent(progress),
        expected=percent(expected),
    )


def _forecast_miss(forecast: Forecast | None, goal: Goal | None, unit: str) -> str:
    """A sentence when even the favourable end of the interval misses the goal, else ""."""
    if forecast is None or goal is None or forecast.insufficient:
        return ""
    assert forecast.lower is not None and forecast.upper is not None
    if goal.wants_decrease:
        if forecast.lower <= goal.target:
            return ""
        side = _("高于")
    else:
        if forecast.upper >= goal.target:
            return ""
        side = _("低于")
    return _(
        "按{method}，{year}年预计为{estimate}{unit}（{lower}～{upper}{unit}），"
        "{side}目标值{target}{unit}，预计不能按期完成。"
    ).format(
        method=forecast.method,
        year=forecast.target_year,
        estimate=number(forecast.estimate or Decimal(0)),
        lower=number(forecast.lower),
        upper=number(forecast.upper),
        unit=unit,
        side=side,
        target=number(goal.target),
    )


def number(value: Decimal) -> str:
    """A value as the page prints it: at most two decimals, no trailing zeros (4888, 19.4)."""
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
    return f"{rounded + 0:f}"  # + 0 turns -0 into 0


def percent(fraction: Decimal) -> str:
    """0.7483 -> 74.8 (percentage points, one decimal)."""
    return f"{(fraction * HUNDRED).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP) + 0:f}"


def chinese_date(day: dt.date) -> str:
    return _("{year}年{month}月{day}日").format(year=day.year, month=day.month, day=day.day)
