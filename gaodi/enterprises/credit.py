"""The estimated 30 % surcharge credit of 产教融合型企业 (重点任务（十二）), pure, no Django.

聊茌政发〔2020〕19号 重点任务（十二）: "对纳入产教融合型企业建设培育范围的试点企业，兴办职业教育的
投资符合规定的，可按投资额的30%比例，抵免该企业当年应缴教育费附加和地方教育附加。"
财税〔2019〕46号 (财政部等《关于调整部分政府性基金有关政策的通知》): the same rule,
"自2019年1月1日起".

估算，以税务机关认定为准: the tax office decides the credit on the 附加税 declaration. This ledger
is for planning, and for the district to see the revenue it forgoes.

Sourced: the 30 % rate and the start on 2019-01-01 (财税〔2019〕46号). Gaodi defaults, labelled
示例, each a parameter of the versioned, effective-dated `CreditParameters`:

- CARRY-FORWARD. Credit not used in its year is carried to later years (on, no time limit).
  The source does not settle it; a district that reads it otherwise turns it off (unused
  credit then lapses) or sets a number of years.
- WHICH DATES COUNT. A year qualifies when the enterprise is on a 培育 or 认定 list on any day
  of it (`any_day`; `year_end`: only when still on a list on 31 December). Investment of a
  year that does not qualify earns nothing, and carried credit is not used in such a year
  (it waits for a qualifying one).
- Credit is used oldest first (carried before new), so that a time limit expires the least.
- A year's parameters are the version in force on 31 December of that year; every row
  records the code and version that produced it.

Money exact: investment and surcharges in integer 元, credit in Decimal 元 to the 分.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gaodi.achievements.versions import (
    EXAMPLE,
    ParameterError,
    check_version,
    decimal,
    number,
    record,
    select_version,
)
from gaodi.i18n import _

from .certification import Period

PLAN = "聊茌政发〔2020〕19号"
CLAUSE = "重点任务（十二）"
TAX_SOURCE = "财税〔2019〕46号"
ESTIMATE = _("估算，以税务机关认定为准")
ESTIMATE_DETAIL = _(
    "抵免额由税务机关在附加税费申报中认定。本表供规划使用，并让本区看到减少的附加收入。"
)
ESTIMATE_NOTE = _("{estimate}：{detail}").format(estimate=ESTIMATE, detail=ESTIMATE_DETAIL)
CENT = Decimal("0.01")
PRESET_CODE = "integration-enterprise-credit"
ANY_DAY, YEAR_END = "any_day", "year_end"
QUALIFYING_DAYS = {
    ANY_DAY: _("年内任一天在培育或认定名单内即计"),
    YEAR_END: _("12 月 31 日仍在培育或认定名单内才计"),
}


def yuan(value: Decimal) -> str:
    """1200000 -> 1,200,000 元, 360.5 -> 360.50 元: to the 分, grouped as the pages' `grouped`
    filter (gaodi.plans.templatetags.plan_display) shows money."""
    exact = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if exact == exact.to_integral_value():
        return _("{amount} 元").format(amount=f"{int(exact):,}")
    return _("{amount} 元").format(amount=f"{exact:,f}")


@dataclass(frozen=True)
class CreditParameters:
    """The credit rule, versioned and effective-dated. `sources` names, per parameter, the
    document it comes from; a parameter without one is a 示例 default."""

    code: str
    name: str
    version: int
    effective_from: date
    rate: Decimal = Decimal("0.30")
    policy_start: date = date(2019, 1, 1)
    carry_forward: bool = True
    carry_years: int | None = None  # None: no limit
    qualifying_day: str = ANY_DAY
    sources: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def __post_init__(self) -> None:
        check_version(self.code, self.version)
        if not Decimal(0) <= self.rate <= Decimal(1):
            raise ParameterError(_("抵免比例须在 0 与 1 之间"))
        if self.carry_years is not None and self.carry_years < 1:
            raise ParameterError(_("结转年限须至少为 1 年，或不设年限"))
        if self.qualifying_day not in QUALIFYING_DAYS:
            raise ParameterError(
                _("计入日须为 any_day 或 year_end，不是“{value}”").format(value=self.qualifying_day)
            )

    def source_of(self, name: str) -> str:
        return self.sources.get(name) or EXAMPLE

    def source_summary(self) -> str:
        """The sources of its parameters, each once (示例 for those without one): the stored
        version's `source`."""
        found: list[str] = []
        for name in PARAMETER_NAMES:
            if self.source_of(name) not in found:
                found.append(self.source_of(name))
        return "；".join(found)

    @property
    def is_example(self) -> bool:
        return any(self.source_of(name) == EXAMPLE for name in PARAMETER_NAMES)

    def rows(self) -> list[tuple[str, str, str]]:
        """Each parameter: label, value, source (or 示例)."""
        carry = (
            _("结转以后年度，不设年限")
            if self.carry_forward and self.carry_years is None
            else _("结转以后 {n} 年").format(n=self.carry_years)
            if self.carry_forward
            else _("不结转，当年未抵完部分作废")
        )
        return [
            (_("抵免比例"), f"{number(self.rate * 100)}%", self.source_of("rate")),
            (_("政策起始日"), self.policy_start.isoformat(), self.source_of("policy_start")),
            (_("未抵完部分"), carry, self.source_of("carry_forward")),
            (
                _("哪些年份计入"),
                QUALIFYING_DAYS[self.qualifying_day],
                self.source_of("qualifying_day"),
            ),
        ]

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> CreditParameters:
        return cls(
            **{
                **data,
                "rate": decimal(data["rate"], _("抵免比例")),
                "effective_from": date.fromisoformat(data["effective_from"]),
                "policy_start": date.fromisoformat(data["policy_start"]),
            }
        )


PARAMETER_NAMES = ("rate", "policy_start", "carry_forward", "qualifying_day")


def preset() -> CreditParameters:
    """30 % from 2019-01-01 (财税〔2019〕46号, 重点任务（十二））; carry-forward and which
    dates count are 示例 defaults."""
    tax = _("{tax}；{plan} {clause}").format(tax=TAX_SOURCE, plan=PLAN, clause=CLAUSE)
    return CreditParameters(
        code=PRESET_CODE,
        name=_("产教融合型企业投资抵免教育费附加和地方教育附加"),
        version=1,
        effective_from=date(2019, 1, 1),
        sources={"rate": tax, "policy_start": TAX_SOURCE},
        note=_(
            "未抵完部分是否结转以后年度，公开资料未能核实：默认结转、不设年限（示例，可改）。"
            "年内任一天在培育或认定名单内，该年投资即可计入（示例，可改）。"
        ),
    )


@dataclass(frozen=True)
class YearFigures:
    """An enterprise's figures of a year: eligible and other investment in 兴办职业教育 (integer
    元), and the 教育费附加 and 地方教育附加 payable (None: not entered)."""

    year: int
    eligible_investment: int = 0
    ineligible_investment: int = 0
    education_surcharge: int | None = None
    local_education_surcharge: int | None = None

    def __post_init__(self) -> None:
        amounts = (
            self.eligible_investment,
            self.ineligible_investment,
            self.education_surcharge or 0,
            self.local_education_surcharge or 0,
        )
        if any(amount < 0 for amount in amounts):
            raise ParameterError(_("{year} 年的金额不能为负数").format(year=self.year))

    @property
    def payable(self) -> int | None:
        if self.education_surcharge is None or self.local_education_surcharge is None:
            return None
        return self.education_surcharge + self.local_education_surcharge


@dataclass(frozen=True)
class LedgerRow:
    """One year of the ledger; revenue forgone is the credit used."""

    year: int
    parameters_code: str
    parameters_version: int | None
    qualified: bool
    eligible_investment: int
    ineligible_investment: int
    opening_carry: Decimal
    expired: Decimal
    new_credit: Decimal
    surcharge_payable: int | None
    credit_used: Decimal
    lapsed: Decimal
    closing_carry: Decimal
    working: tuple[str, ...]
    parameters_name: str = ""

    @property
    def revenue_forgone(self) -> Decimal:
        return self.credit_used

    @property
    def written_off(self) -> Decimal:
        """Expired (past the carry limit) and lapsed (no carry-forward)."""
        return self.expired + self.lapsed


@dataclass(frozen=True)
class Ledger:
    rows: tuple[LedgerRow, ...]
    parameters: tuple[CreditParameters, ...]  # the versions the rows used
    statement: str = ESTIMATE

    @property
    def revenue_forgone(self) -> Decimal:
        return sum((row.credit_used for row in self.rows), Decimal(0))

    @property
    def closing_carry(self) -> Decimal:
        return self.rows[-1].closing_carry if self.rows else Decimal(0)

    def to_json(self) -> dict[str, Any]:
        return {
            "statement": str(self.statement),
            "rows": [{**record(r), "revenue_forgone": str(r.revenue_forgone)} for r in self.rows],
            "parameters": [p.to_json() for p in self.parameters],
            "revenue_forgone": str(self.revenue_forgone),
        }


def qualifies(year: int, on_list: Sequence[Period], parameters: CreditParameters) -> bool:
    """On a 培育 or 认定 list in the year (any day, or 31 December), from the policy start."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    if last < parameters.policy_start:
        return False
    first = max(first, parameters.policy_start)
    if parameters.qualifying_day == YEAR_END:
        return any(period.covers(last) for period in on_list)
    return any(period.overlaps(first, last) for period in on_list)


Choose = Callable[[Sequence[CreditParameters], date], CreditParameters | None]


@dataclass
class _Lot:
    """Credit earned in a year and not yet used."""

    year: int
    amount: Decimal


def ledger(
    figures: Iterable[YearFigures],
    on_list: Sequence[Period],
    versions: Iterable[CreditParameters],
    *,
    choose: Choose | None = None,
    last_year: int | None = None,
) -> Ledger:
    """The ledger from the first year with figures to the last (or `last_year`); a year in
    between without figures counts as no investment and no surcharge entered. Each year takes
    the version `choose(versions, its 31 December)` gives (the register: the nearest place's
    own set, else the preset, gaodi.versioning.nearest_version); by default the version in
    force that day of any code."""
    by_year = {f.year: f for f in figures}
    choices = list(versions)
    if not by_year:
        return Ledger((), ())
    end = max(max(by_year), last_year or 0)
    lots: list[_Lot] = []
    rows: list[LedgerRow] = []
    used_versions: list[CreditParameters] = []
    for year in range(min(by_year), end + 1):
        day = date(year, 12, 31)
        parameters = choose(choices, day) if choose else select_version(choices, day)
        if parameters is not None and parameters not in used_versions:
            used_versions.append(parameters)
        row, lots = _year(by_year.get(year) or YearFigures(year), on_list, parameters, lots)
        rows.append(row)
    return Ledger(tuple(rows), tuple(used_versions))


def _year(
    figures: YearFigures,
    on_list: Sequence[Period],
    parameters: CreditParameters | None,
    lots: list[_Lot],
) -> tuple[LedgerRow, list[_Lot]]:
    year = figures.year
    lots = [_Lot(lot.year, lot.amount) for lot in lots]
    opening = _total(lots)
    working: list[str] = [_("年初结转 {amount}").format(amount=yuan(opening))]
    expired = Decimal(0)
    if parameters is not None and parameters.carry_years is not None:
        keep = [lot for lot in lots if year - lot.year <= parameters.carry_years]
        expired = opening - _total(keep)
        lots = keep
        if expired:
            working.append(
                _("超过结转年限（{n} 年）失效 {amount}").format(
                    n=parameters.carry_years, amount=yuan(expired)
                )
            )
    qualified = parameters is not None and qualifies(year, on_list, parameters)
    new = Decimal(0)
    if parameters is None:
        working.append(_("该年尚无施行中的抵免参数，不计抵免"))
    elif not qualified:
        working.append(
            _("该年不在培育或认定名单内（{rule}），投资不计抵免，结转额留待以后年度").format(
                rule=QUALIFYING_DAYS[parameters.qualifying_day]
            )
        )
    else:
        new = (figures.eligible_investment * parameters.rate).quantize(CENT, rounding=ROUND_HALF_UP)
        working.append(
            _("新增抵免额 = 符合规定的投资 {investment} × {rate}% = {credit}").format(
                investment=yuan(Decimal(figures.eligible_investment)),
                rate=number(parameters.rate * 100),
                credit=yuan(new),
            )
        )
        lots.append(_Lot(year, new))
    if figures.ineligible_investment:
        working.append(
            _("不符合规定的投资 {amount} 不计").format(
                amount=yuan(Decimal(figures.ineligible_investment))
            )
        )
    used = _use(figures, qualified, lots, working)
    lapsed = Decimal(0)
    if parameters is not None and not parameters.carry_forward:
        lapsed = _total(lots)
        lots = []
        if lapsed:
            working.append(_("参数为不结转：未抵完的 {amount} 作废").format(amount=yuan(lapsed)))
    lots = [lot for lot in lots if lot.amount]
    closing = _total(lots)
    working.append(
        _("年末结转 = {opening} − {expired} + {new} − {used} − {lapsed} = {closing}").format(
            opening=yuan(opening),
            expired=yuan(expired),
            new=yuan(new),
            used=yuan(used),
            lapsed=yuan(lapsed),
            closing=yuan(closing),
        )
    )
    if parameters is not None:
        working.append(
            _("参数：{name}（第 {version} 版，{day} 起施行）").format(
                name=parameters.name,
                version=parameters.version,
                day=parameters.effective_from.isoformat(),
            )
        )
    row = LedgerRow(
        year=year,
        parameters_code=parameters.code if parameters else "",
        parameters_version=parameters.version if parameters else None,
        parameters_name=parameters.name if parameters else "",
        qualified=qualified,
        eligible_investment=figures.eligible_investment,
        ineligible_investment=figures.ineligible_investment,
        opening_carry=opening,
        expired=expired,
        new_credit=new,
        surcharge_payable=figures.payable,
        credit_used=used,
        lapsed=lapsed,
        closing_carry=closing,
        working=tuple(working),
    )
    return row, lots


def _use(figures: YearFigures, qualified: bool, lots: list[_Lot], working: list[str]) -> Decimal:
    """Use the credit against the year's surcharges, oldest first; returns what was used."""
    payable = figures.payable
    if not qualified:
        return Decimal(0)
    if payable is None:
        working.append(_("该年应缴教育费附加和地方教育附加未录入：本年不计抵免，可抵免额全部结转"))
        return Decimal(0)
    available = _total(lots)
    used = min(available, Decimal(payable))
    working.append(
        _(
            "应缴教育费附加 {education} + 地方教育附加 {local} = {payable}；可抵免 {available}，"
            "本年抵免 = 两者较小者 = {used}（即减少的附加收入）"
        ).format(
            education=yuan(Decimal(figures.education_surcharge or 0)),
            local=yuan(Decimal(figures.local_education_surcharge or 0)),
            payable=yuan(Decimal(payable)),
            available=yuan(available),
            used=yuan(used),
        )
    )
    left = used
    for lot in lots:  # oldest first: carried credit before the year's own
        take = min(lot.amount, left)
        lot.amount -= take
        left -= take
    return used


def _total(lots: Sequence[_Lot]) -> Decimal:
    return sum((lot.amount for lot in lots), Decimal(0))


def explain(found: Ledger, enterprise: str) -> list[str]:
    """The ledger's general working: the rule, its source, the total and the statement."""
    sentences = [
        _(
            "{plan} {clause}：纳入产教融合型企业建设培育范围的试点企业，"
            "兴办职业教育的投资符合规定的，可按投资额的30%比例，"
            "抵免该企业当年应缴教育费附加和地方教育附加（{tax}）。"
        ).format(plan=PLAN, clause=CLAUSE, tax=TAX_SOURCE),
    ]
    for parameters in found.parameters:
        for label, value, source in parameters.rows():
            sentences.append(
                _("{label}：{value}（{source}；{name} 第 {version} 版）").format(
                    label=label,
                    value=value,
                    source=source,
                    name=parameters.name,
                    version=parameters.version,
                )
            )
    sentences.append(
        _("{enterprise}合计减少附加收入 {forgone}，年末结转 {carry}。").format(
            enterprise=enterprise,
            forgone=yuan(found.revenue_forgone),
            carry=yuan(found.closing_carry),
        )
    )
    sentences.append(str(ESTIMATE_NOTE))
    return sentences


@dataclass(frozen=True)
class YearTotal:
    """Revenue forgone in a year over a place's enterprises: the sum of their credit used
    that year, and how many enterprises used credit (contribute)."""

    year: int
    revenue_forgone: Decimal
    enterprises: int


@dataclass(frozen=True)
class DistrictTotals:
    """减少的附加收入（估算） of a place: per year and overall, over its enterprises' ledgers."""

    years: tuple[YearTotal, ...]
    enterprises: int  # enterprises with any credit used
    statement: str = ESTIMATE

    @property
    def revenue_forgone(self) -> Decimal:
        return sum((y.revenue_forgone for y in self.years), Decimal(0))


def district_totals(ledgers: Iterable[Ledger]) -> DistrictTotals:
    """Sum each year's credit used (= revenue forgone) over the ledgers; a year appears when
    any ledger has a row for it. An enterprise contributes to a year when it used credit in
    it."""
    sums: dict[int, Decimal] = {}
    counts: dict[int, int] = {}
    contributing = 0
    for found in ledgers:
        if found.revenue_forgone:
            contributing += 1
        for row in found.rows:
            sums[row.year] = sums.get(row.year, Decimal(0)) + row.credit_used
            counts[row.year] = counts.get(row.year, 0) + (1 if row.credit_used else 0)
    years = tuple(YearTotal(y, sums[y], counts[y]) for y in sorted(sums))
    return DistrictTotals(years, contributing)
