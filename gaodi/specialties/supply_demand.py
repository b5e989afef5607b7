"""供求信息 (supply and demand of graduates, issue 7 §1): pure, no Django.

Clause — 聊茌政发〔2020〕19号 重点任务（八）: “建立人力资源统计、市场预测、供求信息发布制度，为专业
调整提供数据支撑。” The plan names the system, not its arithmetic: every reading below is a
Gaodi default, a parameter of a versioned, effective-dated `Parameters` set, and 示例 on the page.

The working, step by step:

- **Demand** (需求) is what enterprises declare: headcount wanted per specialty, industry and
  year. A year is *surveyed* when at least one declaration exists for it; in a surveyed year a
  specialty (or industry) that nobody declared has demand 0. A year nobody declared for is
  *not surveyed*: its demand is unknown (None), never 0, and it is left out of the forecast.
- **Supply** (供给) is the schools' expected graduates of a specialty in a year, school by
  school: the `graduates` the school reported for that year (毕业生) when reported; otherwise
  the cohort that entered `programme_years` earlier (中职 三年制: the 实际招生 of year − 3), the
  only estimate available for a future year. A school with neither is left out and named in
  the working; a specialty with no school known has supply None (未报).
- **Gap** (缺口) = demand − supply (positive: more wanted than trained); **ratio** (供求比,
  like the labour market's 求人倍率) = demand ÷ supply to 0.01 when supply > 0, 无法计算 when
  supply is 0 (never 0, never infinity).
- **By industry**: demand is the declarations naming that industry; supply is the sum of the
  supply of the specialties serving it (a specialty serving two industries counts in both,
  as in alignment.py).
- **Forecast** of demand for year + `horizon`, from the last `window` surveyed years before it
  (at least `min_history` of them, else 无法预测): method ``linear`` fits a least-squares line
  through (year, demand) in exact fractions; ``average_change`` adds the average yearly change
  between the first and last year used. Both are floored at 0 and rounded half up to whole
  persons. With one year used, the trend is flat (that year's value). The forecast supply is
  the same supply rule applied to that year, so the forecast gap uses the entering cohort.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from gaodi.i18n import _

EXAMPLE = "示例"
LINEAR, AVERAGE_CHANGE = "linear", "average_change"
METHOD_LABELS = {LINEAR: _("线性趋势（最小二乘法）"), AVERAGE_CHANGE: _("平均年增量")}
RATIO_PLACES = Decimal("0.01")
UNCOMPUTABLE = _("无法计算")


class ParameterError(ValueError):
    """A parameter set that cannot be used; the message says why, in Chinese."""


@dataclass(frozen=True)
class Parameters:
    """A versioned, effective-dated parameter set of the 供求 computation (示例 by default)."""

    code: str
    version: int
    effective_from: date
    name: str
    method: str = LINEAR
    window: int = 3  # the last N surveyed years the forecast uses
    min_history: int = 2  # fewer surveyed years than this: 无法预测
    horizon: int = 1  # forecast year = the year shown + horizon
    programme_years: int = 3  # 中职 三年制: year − 3's 实际招生 graduates in year
    bulletin_prefix: str = "茌平职教供求"  # the bulletin's number: 茌平职教供求〔2021〕1号
    source: str = EXAMPLE

    def __post_init__(self) -> None:
        problems = []
        if not self.code or self.version < 1:
            problems.append(_("参数集须有编号，版本号须至少为 1"))
        if self.method not in METHOD_LABELS:
            problems.append(_("预测方法须为 linear 或 average_change"))
        if self.window < 1 or self.min_history < 1 or self.min_history > self.window:
            problems.append(_("预测所用年数须至少为 1，最少历史年数须在 1 与所用年数之间"))
        if self.horizon < 1 or self.programme_years < 1:
            problems.append(_("预测提前年数和学制年数须至少为 1"))
        if problems:
            raise ParameterError("；".join(problems))

    @property
    def method_label(self) -> str:
        return str(METHOD_LABELS[self.method])

    @property
    def is_example(self) -> bool:
        return EXAMPLE in self.source

    def to_json(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__dataclass_fields__}
        data["effective_from"] = self.effective_from.isoformat()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Parameters:
        return cls(**{**data, "effective_from": date.fromisoformat(data["effective_from"])})


def example_parameters() -> Parameters:
    """The district's 示例 set: the plan gives no method, so every value here is Gaodi's."""
    return Parameters(
        code="chiping-supply-demand-example",
        version=1,
        effective_from=date(2020, 1, 1),
        name="茌平区供求预测参数（示例）",
        source="示例：方案（八）只要求建立人力资源统计、市场预测、供求信息发布制度，未给出预测方法",
    )


def select_parameters(versions: Iterable[Parameters], as_of: date) -> Parameters | None:
    """The set in force on `as_of`: the highest version effective on or before that day."""
    in_force = [p for p in versions if p.effective_from <= as_of]
    return max(in_force, key=lambda p: (p.version, p.effective_from), default=None)


# Inputs


@dataclass(frozen=True)
class Declaration:
    """An enterprise's declared demand: `headcount` graduates of a specialty in a year."""

    enterprise: str
    specialty: str
    industry: str
    year: int
    headcount: int


@dataclass(frozen=True)
class Cohort:
    """A school's 专业点 in a year (an Offering): what it reported (None = not reported)."""

    school: str
    specialty: str
    year: int
    graduates: int | None = None
    enrolment: int | None = None


# Supply


@dataclass(frozen=True)
class Figure:
    """A number and the sentences that show how it was reached (None = unknown)."""

    value: int | None
    steps: tuple[str, ...] = ()


def expected_graduates(
    cohorts: Sequence[Cohort], specialty: str, year: int, parameters: Parameters
) -> Figure:
    """Supply of a specialty in a year: per school, 毕业生 reported for the year, else the
    实际招生 of year − programme_years; schools with neither are named and left out. Schools
    are listed in the order of `cohorts`."""
    schools = list(dict.fromkeys(c.school for c in cohorts if c.specialty == specialty))
    by_key = {(c.school, c.year): c for c in cohorts if c.specialty == specialty}
    entry_year = year - parameters.programme_years
    parts, steps = [], []
    for school in schools:
        own = by_key.get((school, year))
        entered = by_key.get((school, entry_year))
        if own is not None and own.graduates is not None:
            parts.append(own.graduates)
            text = _("{school}{year}年报送毕业生 {n} 人")
            steps.append(text.format(school=school, year=year, n=own.graduates))
        elif entered is not None and entered.enrolment is not None:
            parts.append(entered.enrolment)
            text = _("{school}未报{year}年毕业生，按{entry}年实际招生 {n} 人（{years}年制）估计")
            steps.append(
                text.format(
                    school=school,
                    year=year,
                    entry=entry_year,
                    n=entered.enrolment,
                    years=parameters.programme_years,
                )
            )
        else:
            text = _("{school}既无{year}年毕业生也无{entry}年招生数据，未计入")
            steps.append(text.format(school=school, year=year, entry=entry_year))
    if not parts:
        return Figure(None, tuple(steps))
    return Figure(sum(parts), tuple(steps))


# Demand


def surveyed_years(declarations: Iterable[Declaration]) -> tuple[int, ...]:
    """The years with at least one declaration: in those, an undeclared specialty wants 0."""
    return tuple(sorted({d.year for d in declarations}))


def demand_history(
    declarations: Sequence[Declaration], *, specialty: str = "", industry: str = ""
) -> dict[int, int]:
    """Demand per surveyed year of one specialty (or one industry); unsurveyed years absent."""
    history = dict.fromkeys(surveyed_years(declarations), 0)
    for d in declarations:
        if (specialty and d.specialty == specialty) or (industry and d.industry == industry):
            history[d.year] += d.headcount
    return history


# Forecast


@dataclass(frozen=True)
class Forecast:
    """Demand forecast for `target_year`; value None when it could not be made (steps say why)."""

    target_year: int
    method: str
    used: tuple[tuple[int, int], ...]
    value: int | None
    steps: tuple[str, ...]


def forecast(history: Mapping[int, int], target_year: int, parameters: Parameters) -> Forecast:
    """The demand of `target_year` from the last `window` surveyed years before it."""
    earlier = sorted((y, v) for y, v in history.items() if y < target_year)
    used = tuple(earlier[-parameters.window :])
    method = parameters.method
    listing = "、".join(_("{y}年 {v} 人").format(y=y, v=v) for y, v in used) or _("无")
    steps = [
        _("取{target}年之前最近 {n} 个申报年度：{listing}").format(
            target=target_year, n=parameters.window, listing=listing
        )
    ]
    if len(used) < parameters.min_history:
        text = _("申报年度仅 {count} 个，少于最少 {least} 个，无法预测")
        steps.append(text.format(count=len(used), least=parameters.min_history))
        return Forecast(target_year, method, used, None, tuple(steps))
    if len(used) == 1:
        raw = Fraction(used[0][1])
        steps.append(_("只有一个年度，趋势取平：{v} 人").format(v=used[0][1]))
    elif method == LINEAR:
        raw, text = _linear(used, target_year)
        steps.append(text)
    else:
        raw, text = _average_change(used, target_year)
        steps.append(text)
    value = _whole(max(raw, Fraction(0)))
    if raw < 0:
        steps.append(_("结果 {raw} 为负，按 0 计").format(raw=_show(raw)))
    steps.append(
        _("{target}年需求预测 {value} 人（四舍五入到整人）").format(target=target_year, value=value)
    )
    return Forecast(target_year, method, used, value, tuple(steps))


def _linear(used: Sequence[tuple[int, int]], target: int) -> tuple[Fraction, str]:
    """Least squares through the points: value = ȳ + b·(target − x̄), b = Sxy / Sxx."""
    n = len(used)
    mean_x = Fraction(sum(y for y, _v in used), n)
    mean_y = Fraction(sum(v for _y, v in used), n)
    sxx = sum(((y - mean_x) ** 2 for y, _v in used), Fraction(0))
    sxy = sum(((y - mean_x) * (v - mean_y) for y, v in used), Fraction(0))
    slope = Fraction(sxy / sxx)  # the years used are distinct, so sxx > 0 when n ≥ 2
    raw = mean_y + slope * (target - mean_x)
    text = _(
        "线性趋势（最小二乘法）：年份均值 {mx}，需求均值 {my}，斜率 b = Σ(x−x̄)(y−ȳ) ÷ Σ(x−x̄)² "
        "= {sxy} ÷ {sxx} = {b} 人/年；{target}年 = {my} + {b} × ({target} − {mx}) = {raw}"
    )
    return raw, text.format(
        mx=_show(mean_x),
        my=_show(mean_y),
        sxy=_show(sxy),
        sxx=_show(sxx),
        b=_show(slope),
        target=target,
        raw=_show(raw),
    )


def _average_change(used: Sequence[tuple[int, int]], target: int) -> tuple[Fraction, str]:
    """Last value + (last − first) ÷ (years between) × (target − last year)."""
    (first_year, first), (last_year, last) = used[0], used[-1]
    change = Fraction(last - first, last_year - first_year)
    raw = last + change * (target - last_year)
    text = _(
        "平均年增量：({last} − {first}) ÷ ({ly} − {fy}) = {change} 人/年；"
        "{target}年 = {last} + {change} × ({target} − {ly}) = {raw}"
    )
    return raw, text.format(
        last=last,
        first=first,
        ly=last_year,
        fy=first_year,
        change=_show(change),
        target=target,
        raw=_show(raw),
    )


# Gap


@dataclass(frozen=True)
class GapRow:
    """One specialty (or industry): demand, supply, gap and ratio in the year, and the
    forecast of the forecast year with its expected supply and gap."""

    name: str
    demand: int | None
    supply: int | None
    gap: int | None
    ratio: Decimal | None
    forecast: Forecast
    forecast_supply: int | None
    forecast_gap: int | None
    steps: tuple[str, ...]
    # a specialty: the industries it serves; an industry: its specialties
    serves: tuple[str, ...] = ()
    forecast_supply_steps: tuple[str, ...] = ()  # how the forecast year's supply was reached

    @property
    def ratio_text(self) -> str:
        return UNCOMPUTABLE if self.ratio is None else str(self.ratio)


@dataclass(frozen=True)
class SupplyDemand:
    """The 供求 of one year: per specialty and per industry, with the parameter set used."""

    year: int
    parameters: Parameters
    surveyed: tuple[int, ...]
    specialties: tuple[GapRow, ...]
    industries: tuple[GapRow, ...]
    steps: tuple[str, ...] = field(default=())

    @property
    def forecast_year(self) -> int:
        return self.year + self.parameters.horizon

    def to_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "parameters": self.parameters.to_json(),
            "surveyed": list(self.surveyed),
            "specialties": [_row_json(r) for r in self.specialties],
            "industries": [_row_json(r) for r in self.industries],
            "steps": list(self.steps),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SupplyDemand:
        return cls(
            year=data["year"],
            parameters=Parameters.from_json(data["parameters"]),
            surveyed=tuple(data["surveyed"]),
            specialties=tuple(_row_from_json(r) for r in data["specialties"]),
            industries=tuple(_row_from_json(r) for r in data["industries"]),
            steps=tuple(data["steps"]),
        )


def gap(demand: int | None, supply: int | None) -> tuple[int | None, Decimal | None]:
    """(demand − supply, demand ÷ supply to 0.01): None where it cannot be computed — an
    unknown side, or (for the ratio) a supply of 0."""
    if demand is None or supply is None:
        return None, None
    ratio = None
    if supply > 0:
        ratio = (Decimal(demand) / Decimal(supply)).quantize(RATIO_PLACES, ROUND_HALF_UP)
    return demand - supply, ratio


def supply_demand(
    year: int,
    declarations: Sequence[Declaration],
    cohorts: Sequence[Cohort],
    served_by: Mapping[str, Iterable[str]],
    parameters: Parameters,
) -> SupplyDemand:
    """The 供求 of `year` — 重点任务（八）“人力资源统计、市场预测、供求信息发布”.

    served_by: industry -> the specialties serving it (the plan's 专业布局 mapping)."""
    surveyed = surveyed_years(declarations)
    target = year + parameters.horizon
    names = sorted({d.specialty for d in declarations} | {c.specialty for c in cohorts})
    serving = {i: tuple(sorted(set(s))) for i, s in served_by.items()}
    rows = []
    for name in names:
        history = demand_history(declarations, specialty=name)
        now = expected_graduates(cohorts, name, year, parameters)
        later = expected_graduates(cohorts, name, target, parameters)
        industries = tuple(i for i, s in serving.items() if name in s)
        rows.append(_row(name, year, history, now, later, parameters, industries))
    by_name = {r.name: r for r in rows}
    declared = {d.industry for d in declarations}
    industry_rows = []
    for industry in sorted(declared | {i for i, s in serving.items() if set(s) & set(by_name)}):
        members = tuple(s for s in serving.get(industry, ()) if s in by_name)
        now = _sum_supply([by_name[s].supply for s in members], members, year)
        later = _sum_supply([by_name[s].forecast_supply for s in members], members, target)
        history = demand_history(declarations, industry=industry)
        industry_rows.append(_row(industry, year, history, now, later, parameters, members))
    steps = _overview(year, surveyed, parameters)
    return SupplyDemand(year, parameters, surveyed, tuple(rows), tuple(industry_rows), steps)


def _row(
    name: str,
    year: int,
    history: Mapping[int, int],
    now: Figure,
    later: Figure,
    parameters: Parameters,
    serves: tuple[str, ...],
) -> GapRow:
    demand = history.get(year)
    difference, ratio = gap(demand, now.value)
    predicted = forecast(history, year + parameters.horizon, parameters)
    forecast_gap, _ratio = gap(predicted.value, later.value)
    steps = [*now.steps, _gap_text(year, demand, now.value, difference, ratio)]
    return GapRow(
        name,
        demand,
        now.value,
        difference,
        ratio,
        predicted,
        later.value,
        forecast_gap,
        tuple(steps),
        serves,
        later.steps,
    )


def _sum_supply(values: Sequence[int | None], members: tuple[str, ...], year: int) -> Figure:
    known = [v for v in values if v is not None]
    if not members:
        return Figure(None, (_("没有对接该产业的专业，{year}年供给无数据").format(year=year),))
    parts = "、".join(
        _("{name} {v}").format(name=m, v="未报" if v is None else v)
        for m, v in zip(members, values, strict=True)
    )
    total = sum(known) if known else None
    text = _("{year}年供给 = 对接专业之和：{parts}").format(year=year, parts=parts)
    return Figure(total, (text,))


def _gap_text(
    year: int, demand: int | None, supply: int | None, difference: int | None, ratio: Decimal | None
) -> str:
    if demand is None:
        return _("{year}年未开展需求申报，缺口无法计算").format(year=year)
    if supply is None:
        return _("{year}年需求 {d} 人，供给未报，缺口无法计算").format(year=year, d=demand)
    ratio_text = UNCOMPUTABLE + _("（供给为 0）") if ratio is None else str(ratio)
    text = _("{year}年缺口 = 需求 {d} − 供给 {s} = {g} 人；供求比 = 需求 ÷ 供给 = {r}")
    return text.format(year=year, d=demand, s=supply, g=difference, r=ratio_text)


def _overview(year: int, surveyed: tuple[int, ...], parameters: Parameters) -> tuple[str, ...]:
    listing = "、".join(str(y) for y in surveyed) or _("无")
    return (
        _(
            "需求：企业申报的毕业生需求；已开展申报的年度：{listing}。"
            "申报年度内未申报的专业按 0 计，未开展申报的年度不按 0 计，不参与预测"
        ).format(listing=listing),
        _("供给：各校报送的当年毕业生；未报的按 {n} 年前的实际招生估计").format(
            n=parameters.programme_years
        ),
        _(
            "预测：{method}，取最近 {window} 个申报年度（至少 {least} 个），结果不小于 0，"
            "预测{target}年"
        ).format(
            method=parameters.method_label,
            window=parameters.window,
            least=parameters.min_history,
            target=year + parameters.horizon,
        ),
        _("参数集 {code} 第 {version} 版（{day} 起施行）；依据：{source}").format(
            code=parameters.code,
            version=parameters.version,
            day=parameters.effective_from.isoformat(),
            source=parameters.source,
        ),
    )


def explain(row: GapRow) -> list[str]:
    """The working of one row as Chinese sentences: supply, gap, then the forecast."""
    lines = list(row.steps)
    lines.extend(row.forecast.steps)
    lines.extend(row.forecast_supply_steps)
    if row.forecast.value is not None and row.forecast_supply is not None:
        text = _("{year}年预测缺口 = 预测需求 {d} − 预计供给 {s} = {g} 人")
        lines.append(
            text.format(
                year=row.forecast.target_year,
                d=row.forecast.value,
                s=row.forecast_supply,
                g=row.forecast_gap,
            )
        )
    return lines


def _row_json(row: GapRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "demand": row.demand,
        "supply": row.supply,
        "gap": row.gap,
        "ratio": None if row.ratio is None else str(row.ratio),
        "forecast": {
            "target_year": row.forecast.target_year,
            "method": row.forecast.method,
            "used": [list(pair) for pair in row.forecast.used],
            "value": row.forecast.value,
            "steps": list(row.forecast.steps),
        },
        "forecast_supply": row.forecast_supply,
        "forecast_gap": row.forecast_gap,
        "steps": list(row.steps),
        "serves": list(row.serves),
        "forecast_supply_steps": list(row.forecast_supply_steps),
    }


def _row_from_json(data: Mapping[str, Any]) -> GapRow:
    predicted = data["forecast"]
    return GapRow(
        name=data["name"],
        demand=data["demand"],
        supply=data["supply"],
        gap=data["gap"],
        ratio=None if data["ratio"] is None else Decimal(data["ratio"]),
        forecast=Forecast(
            predicted["target_year"],
            predicted["method"],
            tuple((y, v) for y, v in predicted["used"]),
            predicted["value"],
            tuple(predicted["steps"]),
        ),
        forecast_supply=data["forecast_supply"],
        forecast_gap=data["forecast_gap"],
        steps=tuple(data["steps"]),
        serves=tuple(data["serves"]),
        forecast_supply_steps=tuple(data.get("forecast_supply_steps", ())),
    )


def _whole(value: Fraction) -> int:
    """Half up to a whole person (value ≥ 0)."""
    return int((value * 2 + 1) // 2)


def _show(value: Fraction) -> str:
    """A fraction as the working prints it: at most two decimals, no trailing zeros."""
    shown = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        RATIO_PLACES, ROUND_HALF_UP
    )
    return f"{shown.normalize() + 0:f}"
