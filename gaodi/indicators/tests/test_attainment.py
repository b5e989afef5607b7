"""完成进度, 序时进度 and the traffic light: worked examples with the reference plan's numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gaodi.indicators.attainment import (
    Colour,
    Goal,
    Thresholds,
    attainment,
    expected_progress,
    number,
    percent,
    traffic_light,
)
from gaodi.indicators.forecast import linear_forecast

D = Decimal
DEMO_DAY = dt.date(2021, 6, 30)
# 中职学校在校生数: 2193 in 2019 (现有基础), 4888 planned for 2021, 6000 for 2022.
STUDENTS_2021 = Goal(target=D(4888), target_year=2021, baseline=D(2193), baseline_year=2019)
STUDENTS_2022 = Goal(target=D(6000), target_year=2022, baseline=D(2193), baseline_year=2019)


def test_progress_runs_from_the_baseline_to_the_target() -> None:
    assert attainment(D(4888), STUDENTS_2022) == D(4888 - 2193) / D(6000 - 2193)
    assert attainment(D(2193), STUDENTS_2022) == 0
    assert attainment(D(6000), STUDENTS_2022) == 1
    passed, moved_away = attainment(D(7000), STUDENTS_2022), attainment(D(2000), STUDENTS_2022)
    assert passed is not None and passed > 1
    assert moved_away is not None and moved_away < 0


def test_a_target_below_its_baseline_wants_a_decrease() -> None:
    goal = Goal(target=D(15), target_year=2022, baseline=D(20), baseline_year=2019)
    assert goal.wants_decrease
    assert attainment(D(18), goal) == D("0.4")
    assert attainment(D(22), goal) == D("-0.4")
    assert attainment(D(14), goal) == D("1.2")


def test_without_a_baseline_progress_is_actual_over_target() -> None:
    goal = Goal(target=D(150), target_year=2021)  # 医养健康学生数: no 2019 value
    assert attainment(D(100), goal) == D(100) / D(150)
    assert attainment(D(300), goal) == 2


def test_zero_and_held_targets() -> None:
    assert attainment(D(0), Goal(target=D(0), target_year=2021)) == 1
    assert attainment(D(3), Goal(target=D(0), target_year=2021)) == 1
    held_zero = Goal(target=D(0), target_year=2021, baseline=D(0), baseline_year=2019)
    assert attainment(D(0), held_zero) == 1  # 高职院校数量 0 -> 0
    one_school = Goal(target=D(1), target_year=2021, baseline=D(1), baseline_year=2019)
    assert attainment(D(1), one_school) == 1
    assert attainment(D(0), one_school) == 0
    assert attainment(D(2), one_school) == 1


def test_a_missing_actual_has_no_progress() -> None:
    assert attainment(None, STUDENTS_2022) is None


def test_expected_progress_is_pro_rated_by_days_between_year_ends() -> None:
    # 2019-12-31 -> 2021-06-30 is 547 days of the 1096 to 2022-12-31.
    assert expected_progress(STUDENTS_2022, DEMO_DAY) == D(547) / D(1096)
    assert expected_progress(STUDENTS_2021, DEMO_DAY) == D(547) / D(731)
    assert expected_progress(STUDENTS_2022, dt.date(2019, 6, 1)) == 0
    assert expected_progress(STUDENTS_2022, dt.date(2023, 3, 1)) == 1


def test_a_past_years_actual_is_judged_as_of_the_end_of_its_year() -> None:
    assert expected_progress(STUDENTS_2022, DEMO_DAY, actual_year=2020) == D(366) / D(1096)
    assert expected_progress(STUDENTS_2022, DEMO_DAY, actual_year=2021) == D(547) / D(1096)


def test_without_a_baseline_the_clock_starts_with_the_target_year() -> None:
    goal = Goal(target=D(150), target_year=2021)
    assert expected_progress(goal, DEMO_DAY) == D(181) / D(365)


def test_on_track_is_green_with_the_numbers_in_its_reason() -> None:
    # progress (4100 − 2193) / 2695 = 70.8 %; 序时进度 547 / 731 = 74.8 %: 4.0 points behind.
    light = traffic_light(D(4100), 2021, STUDENTS_2021, DEMO_DAY, unit="人")
    assert light.colour == Colour.GREEN and light.label == "绿灯"
    assert light.reason == (
        "截至2021年6月30日，2021年实际值4100人，2021年目标值4888人（2019年基础2193人），"
        "完成进度70.8%，序时进度74.8%。进度正常。"
    )


def test_behind_is_amber_and_seriously_behind_is_red() -> None:
    amber = traffic_light(D(3675), 2021, STUDENTS_2021, DEMO_DAY, unit="人")
    assert amber.colour == Colour.AMBER and amber.label == "黄灯"
    assert "完成进度55.0%" in amber.reason
    assert "落后序时进度19.8个百分点，进度滞后（超过10个百分点为黄灯）" in amber.reason
    red = traffic_light(D(2800), 2021, STUDENTS_2021, DEMO_DAY, unit="人")
    assert red.colour == Colour.RED and red.label == "红灯"
    assert "落后序时进度52.3个百分点，严重滞后（超过25个百分点为红灯）" in red.reason


def test_the_thresholds_are_parameters() -> None:
    lenient = Thresholds(amber_gap=D("0.25"), red_gap=D("0.60"))
    assert traffic_light(D(3675), 2021, STUDENTS_2021, DEMO_DAY, thresholds=lenient).colour == (
        Colour.GREEN
    )
    assert traffic_light(D(2800), 2021, STUDENTS_2021, DEMO_DAY, thresholds=lenient).colour == (
        Colour.AMBER
    )


def test_a_met_target_is_green() -> None:
    light = traffic_light(D(5000), 2021, STUDENTS_2021, DEMO_DAY, unit="人")
    assert light.colour == Colour.GREEN and light.reason.endswith("已达到目标值。")


def test_a_fall_counts_as_progress_when_a_decrease_is_wanted() -> None:
    goal = Goal(target=D(15), target_year=2021, baseline=D(20), baseline_year=2019)
    light = traffic_light(D(17), 2021, goal, DEMO_DAY)  # 60 % of the way, 序时 74.8 %
    assert light.colour == Colour.AMBER and "完成进度60.0%" in light.reason
    assert traffic_light(D(16), 2021, goal, DEMO_DAY).colour == Colour.GREEN


def test_no_data_is_grey() -> None:
    light = traffic_light(None, None, STUDENTS_2021, DEMO_DAY)
    assert light.colour == Colour.GREY and light.label == "灰灯"
    assert light.reason == "截至2021年6月30日尚无实际值，无法判断进度。"
    assert traffic_light(D(1), 2021, None, DEMO_DAY).reason == "没有目标值，无法判断进度。"


def test_a_forecast_that_misses_the_last_target_turns_the_light_red() -> None:
    # On schedule by the 2021 value, but the trend of the years before creeps up by about 100
    # a year: even the high end of its interval stays far below 6000.
    forecast = linear_forecast(
        [(2018, D(2100)), (2019, D(2193)), (2020, D(2300)), (2021, D(2400))], 2022
    )
    assert forecast.upper is not None and forecast.upper < 6000
    light = traffic_light(
        D(4100),
        2021,
        STUDENTS_2021,
        DEMO_DAY,
        unit="人",
        forecast=forecast,
        final_goal=STUDENTS_2022,
    )
    assert light.colour == Colour.RED
    assert "按线性趋势（最小二乘法），80% 预测区间，2022年预计为" in light.reason
    assert "低于目标值6000人，预计不能按期完成。" in light.reason


def test_a_forecast_that_may_reach_the_target_changes_nothing() -> None:
    forecast = linear_forecast([(2019, D(2193)), (2020, D(3500)), (2021, D(4700))], 2022)
    light = traffic_light(
        D(4100), 2021, STUDENTS_2021, DEMO_DAY, forecast=forecast, final_goal=STUDENTS_2022
    )
    assert light.colour == Colour.GREEN
    too_few = linear_forecast([(2020, D(1)), (2021, D(1))], 2022)
    light = traffic_light(
        D(4100), 2021, STUDENTS_2021, DEMO_DAY, forecast=too_few, final_goal=STUDENTS_2022
    )
    assert light.colour == Colour.GREEN


def test_a_wanted_decrease_is_missed_when_even_the_low_end_stays_above() -> None:
    goal = Goal(target=D(10), target_year=2022, baseline=D(20), baseline_year=2019)
    flat = linear_forecast([(2019, D(20)), (2020, D(19)), (2021, D(18))], 2022)
    light = traffic_light(D(17), 2021, goal, DEMO_DAY, forecast=flat, final_goal=goal)
    assert light.colour == Colour.RED and "高于目标值10，预计不能按期完成" in light.reason


def test_numbers_print_as_the_plan_writes_them() -> None:
    assert number(D("4888.000000")) == "4888"
    assert number(D("19.396825")) == "19.4"
    assert number(D("-0.001")) == "0"
    assert number(D("5387.35")) == "5387.35"
    assert percent(D("0.74829")) == "74.8"
