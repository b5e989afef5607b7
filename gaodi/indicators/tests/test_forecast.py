"""The linear forecast: least squares by hand, an 80 % prediction interval with Student's t."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from gaodi.indicators.forecast import least_squares, linear_forecast, method_name, t_quantile

D = Decimal


def rounded(value: Decimal | None, places: str = "0.0001") -> Decimal:
    assert value is not None
    return value.quantize(D(places))


def test_a_perfect_line_has_a_zero_width_interval() -> None:
    points = [(2019, D(100)), (2020, D(110)), (2021, D(120)), (2022, D(130)), (2023, D(140))]
    forecast = linear_forecast(points, 2025)
    assert not forecast.insufficient
    assert forecast.estimate == forecast.lower == forecast.upper == D(160)


def test_three_points_worked_by_hand() -> None:
    # x̄ = 2020, ȳ = 13, Sxx = 2, Sxy = 7: slope 3.5; at 2022: 13 + 3.5 · 2 = 20.
    # Residuals 0.5, −1, 0.5: s² = 1.5 / 1. Spread 1.5 · (1 + 1/3 + 4/2) = 5;
    # t(0.90, 1) = 3.0777; half-width 3.0777 · √5 = 6.881946...
    forecast = linear_forecast([(2019, D(10)), (2020, D(12)), (2021, D(17))], 2022)
    assert forecast.estimate == D(20)
    assert rounded(forecast.lower) == D("13.1181")
    assert rounded(forecast.upper) == D("26.8819")
    assert forecast.fit is not None and forecast.fit.slope == D("3.5")
    assert forecast.points == 3 and forecast.target_year == 2022


def test_four_points_worked_by_hand() -> None:
    # x̄ = 2019.5, ȳ = 2.75, Sxx = 5, Sxy = 5.5: slope 1.1; at 2022: 2.75 + 1.1 · 2.5 = 5.5.
    # Residuals −0.1, 0.8, −1.3, 0.6: s² = 2.70 / 2 = 1.35. Spread 1.35 · (1 + 1/4 + 6.25/5)
    # = 3.375; t(0.90, 2) = 1.8856; half-width 1.8856 · √3.375 = 3.464068...
    points = [(2018, D(1)), (2019, D(3)), (2020, D(2)), (2021, D(5))]
    forecast = linear_forecast(points, 2022)
    assert forecast.estimate == D("5.5")
    assert rounded(forecast.lower) == D("2.0359")
    assert rounded(forecast.upper) == D("8.9641")


def test_the_order_of_the_points_does_not_matter() -> None:
    points = [(2021, D(5)), (2018, D(1)), (2020, D(2)), (2019, D(3))]
    assert linear_forecast(points, 2022).upper == linear_forecast(sorted(points), 2022).upper


def test_a_falling_trend_is_forecast_falling() -> None:
    points = [(2019, D("20.5")), (2020, D("19.5")), (2021, D("18.5"))]
    forecast = linear_forecast(points, 2022)
    assert forecast.estimate == D("17.5") and forecast.lower == forecast.upper == D("17.5")


def test_fewer_than_three_years_is_insufficient_and_says_why() -> None:
    for points in ([], [(2020, D(1))], [(2020, D(1)), (2021, D(2))]):
        forecast = linear_forecast(points, 2022)
        assert forecast.insufficient and forecast.estimate is None
        assert forecast.reason == "数据不足（至少需要三个年度的实际值）"
    same_year_twice = [(2020, D(1)), (2020, D(2)), (2021, D(3))]
    assert linear_forecast(same_year_twice, 2022).insufficient


def test_the_method_is_named_in_chinese() -> None:
    assert method_name() == "线性趋势（最小二乘法），80% 预测区间"
    assert linear_forecast([(2020, D(1))], 2022).method == method_name()


def test_only_the_80_percent_interval_is_offered() -> None:
    points = [(2019, D(10)), (2020, D(12)), (2021, D(17))]
    assert (
        linear_forecast(points, 2022, confidence=0.8).upper == linear_forecast(points, 2022).upper
    )
    with pytest.raises(ValueError):
        linear_forecast(points, 2022, confidence=0.95)


def test_t_quantiles_are_students_then_the_normal_one() -> None:
    assert t_quantile(1) == D("3.0777")
    assert t_quantile(2) == D("1.8856")
    assert t_quantile(10) == D("1.3722")
    assert t_quantile(30) == D("1.3104")
    assert t_quantile(31) == t_quantile(500) == D("1.2816")
    with pytest.raises(ValueError):
        t_quantile(0)


def test_many_points_use_the_normal_quantile() -> None:
    # 40 years scattered one above and one below the line y = 2x: df = 38 > 30, so the
    # interval's multiplier is z(0.90) = 1.2816.
    points = [(2000 + k, D(2 * (2000 + k) + (1 if k % 2 else -1))) for k in range(40)]
    fit = least_squares(points)
    forecast = linear_forecast(points, 2045)
    half_width = (forecast.upper or D(0)) - (forecast.estimate or D(0))
    spread = fit.residual_variance * (1 + Fraction(1, 40) + (2045 - fit.mean_year) ** 2 / fit.sxx)
    expected = D("1.2816") * (D(spread.numerator) / D(spread.denominator)).sqrt()
    assert rounded(half_width, "0.000001") == rounded(expected, "0.000001")


def test_decimal_values_stay_decimal() -> None:
    forecast = linear_forecast([(2019, D("0.25")), (2020, D("0.43")), (2021, D("0.67"))], 2022)
    assert isinstance(forecast.estimate, Decimal) and isinstance(forecast.lower, Decimal)
    # slope (0.67 − 0.25) / 2 = 0.21; ȳ = 0.45; at 2022: 0.45 + 0.21 · 2 = 0.87
    assert forecast.estimate == D("0.87")
