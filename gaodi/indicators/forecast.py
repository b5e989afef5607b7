"""Will the plan's last target be met? A straight line through the yearly values (pure).

Ordinary least squares over (year, value), exact in fractions; the point estimate for the
target year and an 80 % prediction interval — estimate ± t · s · √(1 + 1/n + (x₀ − x̄)² / Sxx),
with s² = Σ residual² / (n − 2) and Student's t at 0.90 for n − 2 degrees of freedom (the
two-sided 80 % quantile). The t values are written out below: no scipy.

Three yearly values at least: through two points any line fits exactly and says nothing about
how far the next year may stray.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from gaodi.i18n import _

# t_{0.90, df}: the two-sided 80 % quantiles of Student's t for df = 1..30; beyond, the
# normal quantile z_{0.90}.
_T80 = (
    Decimal("3.0777"),
    Decimal("1.8856"),
    Decimal("1.6377"),
    Decimal("1.5332"),
    Decimal("1.4759"),
    Decimal("1.4398"),
    Decimal("1.4149"),
    Decimal("1.3968"),
    Decimal("1.3830"),
    Decimal("1.3722"),
    Decimal("1.3634"),
    Decimal("1.3562"),
    Decimal("1.3502"),
    Decimal("1.3450"),
    Decimal("1.3406"),
    Decimal("1.3368"),
    Decimal("1.3334"),
    Decimal("1.3304"),
    Decimal("1.3277"),
    Decimal("1.3253"),
    Decimal("1.3232"),
    Decimal("1.3212"),
    Decimal("1.3195"),
    Decimal("1.3178"),
    Decimal("1.3163"),
    Decimal("1.3150"),
    Decimal("1.3137"),
    Decimal("1.3125"),
    Decimal("1.3114"),
    Decimal("1.3104"),
)
_Z80 = Decimal("1.2816")
CONFIDENCE = Decimal("0.8")
MIN_POINTS = 3


def t_quantile(degrees_of_freedom: int) -> Decimal:
    """Student's t at 0.90 (the 80 % two-sided interval's multiplier)."""
    if degrees_of_freedom < 1:
        raise ValueError(degrees_of_freedom)
    if degrees_of_freedom <= len(_T80):
        return _T80[degrees_of_freedom - 1]
    return _Z80


def method_name() -> str:
    """How the forecast is made, as the page names it."""
    return _("线性趋势（最小二乘法），80% 预测区间")


@dataclass(frozen=True)
class Fit:
    """A least-squares line through the points, with what its prediction interval needs."""

    points: int
    mean_year: Fraction
    sxx: Fraction
    slope: Fraction
    intercept: Fraction  # the value at year 0, so that value = intercept + slope · year
    residual_variance: Fraction  # s² = Σ residual² / (n − 2)

    def predict(self, year: int) -> tuple[Decimal, Decimal, Decimal]:
        """The estimate for a year and its 80 % prediction interval (lower, upper)."""
        estimate = self.intercept + self.slope * year
        spread = self.residual_variance * (
            1 + Fraction(1, self.points) + (year - self.mean_year) ** 2 / self.sxx
        )
        half_width = t_quantile(self.points - 2) * _decimal(spread).sqrt()
        centre = _decimal(estimate)
        return centre, centre - half_width, centre + half_width


@dataclass(frozen=True)
class Forecast:
    """A forecast for one year; `insufficient` when it could not be made, `reason` says why."""

    target_year: int
    method: str
    confidence: Decimal
    points: int
    estimate: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    fit: Fit | None = None
    reason: str = ""

    @property
    def insufficient(self) -> bool:
        return self.fit is None


def linear_forecast(
    points: Sequence[tuple[int, Decimal]],
    target_year: int,
    confidence: Decimal | float = CONFIDENCE,
) -> Forecast:
    """The value a straight-line trend gives for `target_year`, with its 80 % prediction
    interval; flagged insufficient with fewer than three distinct years."""
    if Decimal(str(confidence)) != CONFIDENCE:
        raise ValueError(_("只支持 80% 预测区间"))
    method = method_name()
    if len({year for year, _value in points}) < MIN_POINTS:
        return Forecast(
            target_year,
            method,
            CONFIDENCE,
            len(points),
            reason=_("数据不足（至少需要三个年度的实际值）"),
        )
    fit = least_squares(points)
    estimate, lower, upper = fit.predict(target_year)
    return Forecast(target_year, method, CONFIDENCE, len(points), estimate, lower, upper, fit)


def least_squares(points: Sequence[tuple[int, Decimal]]) -> Fit:
    """Ordinary least squares in exact fractions (a perfect line has no residual at all)."""
    xs = [Fraction(year) for year, _value in points]
    ys = [Fraction(value) for _year, value in points]
    n = len(points)
    zero = Fraction(0)
    mean_x, mean_y = sum(xs, zero) / n, sum(ys, zero) / n
    sxx = sum(((x - mean_x) ** 2 for x in xs), zero)
    sxy = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), zero)
    slope = sxy / sxx
    residuals = [(y - mean_y) - slope * (x - mean_x) for x, y in zip(xs, ys, strict=True)]
    return Fit(
        points=n,
        mean_year=mean_x,
        sxx=sxx,
        slope=slope,
        intercept=mean_y - slope * mean_x,
        residual_variance=sum((r * r for r in residuals), zero) / (n - 2),
    )


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)
