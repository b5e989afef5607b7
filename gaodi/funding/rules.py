"""经费保障 (funding guarantee, issue 8 §4), pure, no Django.

聊茌政发〔2020〕19号:
- 重点任务（一）: "……严格控制新增债务……落实公办中职学校生均拨款标准……严格落实教育费附加和地方
  教育附加均不低于30%用于职业教育政策。"（牵头单位：区财政局）
- 附件3 第2行: "在目前已经落实生均3300元标准的基础上，根据省市标准，组合我区实际，逐年提高公办中职
  学校生均拨款标准，确保在省市标准基础上有所提高。"
- 附件3 第3行: "逐步化解公办职业院校债务，争取2020年12月底前化解前期产生的所有债务，并控制
  新增债务。"
- 附件3 第4行: "严格落实教育费附加和地方教育附加均不低于30%用于职业教育政策。"
- 附件2 五、经费投入: the targets per year (read from the plan's parsed targets, never typed here).

Sourced: the 30 % share (for EACH of the two surcharges: "均不低于"), the 3,300 元 standard and
the 2020-12-31 deadline. Gaodi defaults, parameters of the versioned, effective-dated
`FundingRules`, labelled 示例:

- which 在校生 count the per-student appropriation multiplies (示例: 全日制中职在校生, as of 30
  September of the year before: the school-year statistics the budget is made on);
- which version applies to a year: the one in force on 31 December of that year (as for
  the other rules of Gaodi);
- the shortfall of a share is rounded UP to the whole 元 (paying it meets the rule);
- "新增债务": any debt incurred after the deadline (the plan sets no date for 控制新增债务);
- the province's / city's standard is not in the plan: unset until the district enters it.

Money is integer 元; shares are exact Decimals, shown to 0.1 %.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
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

PLAN = "聊茌政发〔2020〕19号"
CLAUSE = "重点任务（一）"
ROW_STANDARD = "附件3 第2行"
ROW_DEBT = "附件3 第3行"
ROW_SURCHARGE = "附件3 第4行"
TABLE = "附件2 五、经费投入"
HUNDRED = Decimal(100)
TENTH = Decimal("0.1")
TEN_THOUSAND = Decimal(10000)
TWO_PLACES = Decimal("0.01")

MET, NOT_MET, UNCOMPUTABLE = "met", "not_met", "uncomputable"
NO_ACTUAL, NO_TARGET = "no_actual", "no_target"
STATUS_LABELS = {
    MET: _("达标"),
    NOT_MET: _("未达标"),
    UNCOMPUTABLE: _("无法计算"),
    NO_ACTUAL: _("尚无实际值"),
    NO_TARGET: _("计划未设目标"),
}

EDUCATION, LOCAL = "education", "local"
SURCHARGE_LABELS = {EDUCATION: _("教育费附加"), LOCAL: _("地方教育附加")}

RESOLVED, RESOLVED_LATE, PENDING, OVERDUE, NEW_DEBT, NO_DEBT = (
    "resolved",
    "resolved_late",
    "pending",
    "overdue",
    "new_debt",
    "no_debt",
)
DEBT_LABELS = {
    RESOLVED: _("已化解"),
    RESOLVED_LATE: _("已化解（逾期）"),
    PENDING: _("待化解（未到期）"),
    OVERDUE: _("逾期未化解"),
    NEW_DEBT: _("新增债务"),
    NO_DEBT: _("无债务"),
}
# A school's status is its worst debt's.
DEBT_SEVERITY = (NO_DEBT, RESOLVED, RESOLVED_LATE, PENDING, OVERDUE, NEW_DEBT)


def money(amount: int | Decimal) -> str:
    """9900000 -> 9,900,000; an exact Decimal keeps its digits: 3840000.30 -> 3,840,000.3."""
    return f"{amount:,}" if isinstance(amount, int) else f"{amount.normalize() + 0:,f}"


def yuan(amount: int | Decimal) -> str:
    return _("{amount} 元").format(amount=money(amount))


def percent(share: Decimal) -> str:
    return f"{(share * HUNDRED).quantize(TENTH, rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class FundingRules:
    """The funding rules' parameters, versioned and effective-dated."""

    code: str
    name: str
    version: int
    effective_from: date
    minimum_share: Decimal = Decimal("0.30")
    standard_per_student: int = 3300
    provincial_standard: int | None = None
    student_count: str = _("上一年9月30日全日制中职在校生数")
    students_year_offset: int = -1  # the count year: the year before (-1) or the year itself (0)
    debt_deadline: date = date(2020, 12, 31)
    new_debt_after: date = date(2020, 12, 31)
    source: str = EXAMPLE
    note: str = ""

    def __post_init__(self) -> None:
        check_version(self.code, self.version)
        problems = []
        if not Decimal(0) < self.minimum_share <= Decimal(1):
            problems.append(_("附加用于职业教育的最低比例须大于 0、不超过 100%"))
        if self.standard_per_student <= 0:
            problems.append(_("生均拨款标准须为正整数（元）"))
        if self.provincial_standard is not None and self.provincial_standard <= 0:
            problems.append(_("省市生均拨款标准须为正整数（元），未知请留空"))
        if not self.student_count.strip():
            problems.append(_("请说明生均拨款按哪一在校生数计算"))
        if self.students_year_offset not in (0, -1):
            problems.append(_("在校生数取当年（0）或上一年（-1）"))
        if problems:
            raise ParameterError("；".join(str(p) for p in problems))

    @property
    def is_example(self) -> bool:
        return EXAMPLE in self.source

    @property
    def minimum_share_text(self) -> str:
        return percent(self.minimum_share)

    def count_year(self, year: int) -> int:
        """The year whose 在校生数 a year's appropriation is judged on (示例: the year before)."""
        return year + self.students_year_offset

    def label(self) -> str:
        return str(
            _("{name} 第 {version} 版，{day} 起施行").format(
                name=self.name, version=self.version, day=self.effective_from.isoformat()
            )
        )

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FundingRules:
        provincial = data.get("provincial_standard")
        return cls(
            **{
                **data,
                "minimum_share": decimal(data["minimum_share"], _("最低比例")),
                "provincial_standard": None if provincial is None else int(provincial),
                "effective_from": date.fromisoformat(data["effective_from"]),
                "debt_deadline": date.fromisoformat(data["debt_deadline"]),
                "new_debt_after": date.fromisoformat(data["new_debt_after"]),
            }
        )


def plan_rules() -> FundingRules:
    """30 %, 3,300 元 and 2020-12-31 from the plan; the 在校生 count and the 新增债务 date 示例."""
    return FundingRules(
        code="funding-rules",
        name=_("经费保障规则（方案预置）"),
        version=1,
        effective_from=date(2019, 1, 1),
        source=_(
            "{plan} {clause}、{standard}（生均3300元）、{debt}（2020年12月底前化解）、"
            "{surcharge}（均不低于30%）；在校生口径、新增债务起算日为{example}"
        ).format(
            plan=PLAN,
            clause=CLAUSE,
            standard=ROW_STANDARD,
            debt=ROW_DEBT,
            surcharge=ROW_SURCHARGE,
            example=EXAMPLE,
        ),
        note=_(
            "方案未说明生均拨款按哪一在校生数计算：示例取上一年9月30日全日制中职在校生数"
            "（指标库中上一年的在校生数，指标库尚无时才用手工填写的人数）。"
            "方案未给出省市标准：未设定前不作比较。“控制新增债务”未给日期：示例把化解期限之后"
            "产生的债务标为新增债务。自2019年（方案“现有基础”年）起适用：方案称生均3300元标准"
            "“目前已经落实”（示例）。"
        ),
    )


def rules_for_year(versions: Iterable[FundingRules], year: int, code: str) -> FundingRules | None:
    """The version in force on 31 December of the year."""
    return select_version(versions, date(year, 12, 31), code)


def _basis(rules: FundingRules, clause: str) -> str:
    example = _("（含{example}参数）").format(example=EXAMPLE) if rules.is_example else ""
    return str(
        _("依据：{plan} {clause}；{label}{example}").format(
            plan=PLAN, clause=clause, label=rules.label(), example=example
        )
    )


# ---- 教育费附加、地方教育附加 ≥ 30 % ------------------------------------------------------------


@dataclass(frozen=True)
class SurchargeYear:
    """A place's revenue of the two surcharges in a year and the amounts spent on vocational
    education (integer 元)."""

    place: str
    year: int
    education_revenue: int
    education_to_vocational: int
    local_revenue: int
    local_to_vocational: int
    source: str = ""


@dataclass(frozen=True)
class ShareCheck:
    """One surcharge against the minimum share."""

    surcharge: str
    revenue: int
    spent: int
    share: Decimal | None  # None: no revenue
    required: Decimal | None  # exact 元
    shortfall: int  # whole 元, rounded up
    status: str

    @property
    def label(self) -> str:
        return str(SURCHARGE_LABELS[self.surcharge])

    @property
    def share_text(self) -> str:
        return "—" if self.share is None else percent(self.share)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class SurchargeResult:
    place: str
    year: int
    checks: tuple[ShareCheck, ...]
    status: str
    rules_code: str
    rules_version: int
    rules_effective_from: date
    steps: tuple[str, ...]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def to_json(self) -> dict[str, Any]:
        return record(self)


def _share(surcharge: str, revenue: int, spent: int, rules: FundingRules) -> ShareCheck:
    if revenue <= 0:
        return ShareCheck(surcharge, revenue, spent, None, None, 0, UNCOMPUTABLE)
    required = Decimal(revenue) * rules.minimum_share
    share = Decimal(spent) / Decimal(revenue)
    shortfall = max(Decimal(0), required - spent).to_integral_value(rounding=ROUND_CEILING)
    status = MET if spent >= required else NOT_MET
    return ShareCheck(surcharge, revenue, spent, share, required, int(shortfall), status)


def _share_sentence(check: ShareCheck, rules: FundingRules) -> str:
    if check.status == UNCOMPUTABLE:
        return str(
            _("{name}：当年收入为 0，无法计算比例（{status}）").format(
                name=check.label, status=check.status_label
            )
        )
    assert check.share is not None and check.required is not None
    sentence = _(
        "{name}：用于职业教育 {spent} ÷ 收入 {revenue} = {share}；应不低于 {revenue} × {minimum}"
        " = {required}：{status}"
    ).format(
        name=check.label,
        spent=yuan(check.spent),
        revenue=yuan(check.revenue),
        share=percent(check.share),
        minimum=percent(rules.minimum_share),
        required=yuan(check.required),
        status=check.status_label,
    )
    if check.status == NOT_MET:
        sentence = _("{sentence}，尚差 {gap}（向上取整到元）").format(
            sentence=sentence, gap=yuan(check.shortfall)
        )
    return str(sentence)


def check_surcharge(given: SurchargeYear, rules: FundingRules) -> SurchargeResult:
    """教育费附加和地方教育附加均不低于30%用于职业教育 — 重点任务（一）、附件3 第4行: each of the
    two on its own ("均"); the year meets the rule only when both do."""
    checks = (
        _share(EDUCATION, given.education_revenue, given.education_to_vocational, rules),
        _share(LOCAL, given.local_revenue, given.local_to_vocational, rules),
    )
    statuses = {check.status for check in checks}
    status = NOT_MET if NOT_MET in statuses else UNCOMPUTABLE if UNCOMPUTABLE in statuses else MET
    steps = [
        str(
            _(
                "{place} {year} 年：教育费附加收入 {er}，用于职业教育 {es}；地方教育附加收入 {lr}，"
                "用于职业教育 {ls}"
            ).format(
                place=given.place,
                year=given.year,
                er=yuan(given.education_revenue),
                es=yuan(given.education_to_vocational),
                lr=yuan(given.local_revenue),
                ls=yuan(given.local_to_vocational),
            )
        ),
        str(
            _("参数：两项附加各自不低于 {minimum} 用于职业教育（方案“均不低于30%”）").format(
                minimum=percent(rules.minimum_share)
            )
        ),
        *(_share_sentence(check, rules) for check in checks),
        str(_("两项均达标才算落实：{status}").format(status=STATUS_LABELS[status])),
        _basis(rules, f"{CLAUSE}、{ROW_SURCHARGE}"),
    ]
    return SurchargeResult(
        place=given.place,
        year=given.year,
        checks=checks,
        status=status,
        rules_code=rules.code,
        rules_version=rules.version,
        rules_effective_from=rules.effective_from,
        steps=tuple(steps),
    )


# ---- 生均拨款 3,300 元 × 在校生 ------------------------------------------------------------------


@dataclass(frozen=True)
class AppropriationYear:
    """A school's actual appropriation of a year (元) and the 在校生 count it is judged on,
    with where that count came from (the indicators of the count year, or typed)."""

    school: str
    year: int
    actual: int
    students: int
    students_from: str = ""


RISEN, FLAT, FELL, NO_PREVIOUS = "risen", "flat", "fell", "no_previous"
RISE_LABELS = {
    RISEN: _("比上年提高"),
    FLAT: _("与上年持平，未逐年提高"),
    FELL: _("低于上年"),
    NO_PREVIOUS: _("无上年标准可比"),
}


@dataclass(frozen=True)
class AppropriationResult:
    school: str
    year: int
    students: int
    students_from: str
    standard: int
    required: int
    actual: int
    per_student: Decimal | None  # 元, exact; None without students
    shortfall: int
    status: str
    previous_standard: int | None
    rise: str
    above_provincial: bool | None  # None: the province's / city's standard is not set
    rules_code: str
    rules_version: int
    rules_effective_from: date
    steps: tuple[str, ...]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def rise_label(self) -> str:
        return str(RISE_LABELS[self.rise])

    def to_json(self) -> dict[str, Any]:
        return record(self)


def _rise(rules: FundingRules, previous: FundingRules | None) -> tuple[str, str]:
    if previous is None:
        return NO_PREVIOUS, str(_("上年无施行中的标准，无法比较是否逐年提高"))
    now, before = rules.standard_per_student, previous.standard_per_student
    rise = RISEN if now > before else FLAT if now == before else FELL
    sentence = _(
        "标准 {now} 元/生，上年 {before} 元/生（上年按{label}），变化 {diff} 元：{verdict}"
    ).format(
        now=f"{now:,}",
        before=f"{before:,}",
        label=previous.label(),
        diff=f"{now - before:+,d}",
        verdict=RISE_LABELS[rise],
    )
    return rise, str(sentence)


def _provincial(rules: FundingRules) -> tuple[bool | None, str]:
    if rules.provincial_standard is None:
        return None, str(_("省市生均拨款标准未设定（方案未给出），未作比较"))
    above = rules.standard_per_student > rules.provincial_standard
    return above, str(
        _(
            "省市标准 {provincial} 元/生：本地标准{verdict}（方案要求“在省市标准基础上有所提高”）"
        ).format(
            provincial=f"{rules.provincial_standard:,}",
            verdict=_("高于省市标准") if above else _("未高于省市标准"),
        )
    )


def check_appropriation(
    given: AppropriationYear, rules: FundingRules, previous: FundingRules | None = None
) -> AppropriationResult:
    """生均拨款: 标准 × 在校生 = 应拨数, against the actual (重点任务（一）、附件3 第2行); the
    standard should rise year by year (`previous` is the version in force the year before)."""
    standard = rules.standard_per_student
    required = standard * given.students
    steps = [
        str(
            _(
                "{school} {year} 年：在校生 {students} 人（口径：{basis}，{count_year} 年数；"
                "{origin}），实际拨款 {actual}"
            ).format(
                school=given.school,
                year=given.year,
                students=f"{given.students:,}",
                basis=rules.student_count,
                count_year=rules.count_year(given.year),
                origin=given.students_from or _("来源未说明"),
                actual=yuan(given.actual),
            )
        )
    ]
    if given.students <= 0:
        status, per_student, shortfall = UNCOMPUTABLE, None, 0
        steps.append(str(_("在校生为 0，生均拨款无法计算（无法计算）")))
    else:
        per_student = Decimal(given.actual) / Decimal(given.students)
        shortfall = max(0, required - given.actual)
        status = MET if given.actual >= required else NOT_MET
        steps.append(
            str(
                _(
                    "应拨 {standard} 元/生 × {students} 人 = {required}；实拨 {actual}：{status}"
                ).format(
                    standard=f"{standard:,}",
                    students=f"{given.students:,}",
                    required=yuan(required),
                    actual=yuan(given.actual),
                    status=STATUS_LABELS[status],
                )
            )
        )
        if status == NOT_MET:
            steps.append(str(_("尚差 {gap}").format(gap=yuan(shortfall))))
        steps.append(
            str(
                _("实际生均 {actual} ÷ {students} 人 = {per} 元/生（{wan} 万元）").format(
                    actual=yuan(given.actual),
                    students=f"{given.students:,}",
                    per=money(per_student.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)),
                    wan=number(
                        (per_student / TEN_THOUSAND).quantize(
                            Decimal("0.0001"), rounding=ROUND_HALF_UP
                        )
                    ),
                )
            )
        )
    rise, rise_sentence = _rise(rules, previous)
    above, provincial_sentence = _provincial(rules)
    steps += [rise_sentence, provincial_sentence, _basis(rules, f"{CLAUSE}、{ROW_STANDARD}")]
    return AppropriationResult(
        school=given.school,
        year=given.year,
        students=given.students,
        students_from=given.students_from,
        standard=standard,
        required=required,
        actual=given.actual,
        per_student=per_student,
        shortfall=shortfall,
        status=status,
        previous_standard=None if previous is None else previous.standard_per_student,
        rise=rise,
        above_provincial=above,
        rules_code=rules.code,
        rules_version=rules.version,
        rules_effective_from=rules.effective_from,
        steps=tuple(steps),
    )


def per_student_wan(total_actual: int, total_students: int) -> Decimal | None:
    """中职生均拨款（万元） = 拨款 ÷ 在校生 ÷ 10000, exact to the column's 6 decimals
    (ROUND_HALF_UP); None without students. Over many schools pass the sums (a ratio of
    sums, never an average)."""
    if total_students <= 0:
        return None
    value = Decimal(total_actual) / Decimal(total_students) / TEN_THOUSAND
    return value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


# ---- 附件2 五、经费投入: actual vs target ----------------------------------------------------


@dataclass(frozen=True)
class FundingLine:
    """One row of the table as the plan states it (targets by year, the 现有基础) with the
    actuals known (None: not reported)."""

    code: str
    name: str
    measure: str
    baseline: Decimal | None
    baseline_year: int | None
    targets: tuple[tuple[int, Decimal], ...]
    actuals: tuple[tuple[int, Decimal | None], ...]
    actual_note: str = ""


@dataclass(frozen=True)
class FundingCell:
    year: int
    target: Decimal | None
    actual: Decimal | None
    gap: Decimal | None  # target − actual when short
    status: str

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


@dataclass(frozen=True)
class FundingRow:
    code: str
    name: str
    measure: str
    baseline: Decimal | None
    cells: tuple[FundingCell, ...]
    drops: tuple[str, ...]
    steps: tuple[str, ...]


def _cell(year: int, target: Decimal | None, actual: Decimal | None) -> FundingCell:
    if target is None:
        return FundingCell(year, None, actual, None, NO_TARGET)
    if actual is None:
        return FundingCell(year, target, None, None, NO_ACTUAL)
    if actual >= target:
        return FundingCell(year, target, actual, None, MET)
    return FundingCell(year, target, actual, target - actual, NOT_MET)


def compare_funding(lines: Sequence[FundingLine], years: Sequence[int]) -> list[FundingRow]:
    """Each row of 附件2 五、经费投入: each year's actual against the plan's target (met when at
    least the target). A target lower than the year before is shown as the plan states it, with a
    note (the plan's 2022 财政性职业教育经费总投入 30000 is below its 2021 50000)."""
    rows = []
    for line in lines:
        targets, actuals = dict(line.targets), dict(line.actuals)
        cells = tuple(_cell(year, targets.get(year), actuals.get(year)) for year in years)
        drops = []
        target_years = sorted(targets)
        for before, after in zip(target_years, target_years[1:], strict=False):
            if targets[after] < targets[before]:
                drops.append(
                    str(
                        _(
                            "方案 {after} 年目标 {t1} {m} 低于 {before} 年目标 {t0} {m}，"
                            "按方案原文列示，未作更改"
                        ).format(
                            after=after,
                            before=before,
                            t1=number(targets[after]),
                            t0=number(targets[before]),
                            m=line.measure,
                        )
                    )
                )
        steps = []
        if line.baseline is not None:
            steps.append(
                str(
                    _("现有基础（{year} 年）{value} {m}").format(
                        year=line.baseline_year, value=number(line.baseline), m=line.measure
                    )
                )
            )
        for cell in cells:
            steps.append(_cell_sentence(cell, line.measure))
        if line.actual_note:
            steps.append(line.actual_note)
        steps += drops
        steps.append(
            str(
                _("依据：{plan} {table}（目标读自方案，不重复录入）").format(plan=PLAN, table=TABLE)
            )
        )
        rows.append(
            FundingRow(
                line.code, line.name, line.measure, line.baseline, cells, tuple(drops), tuple(steps)
            )
        )
    return rows


def _cell_sentence(cell: FundingCell, measure: str) -> str:
    target = "—" if cell.target is None else f"{number(cell.target)} {measure}"
    actual = "—" if cell.actual is None else f"{number(cell.actual)} {measure}"
    sentence = _("{year} 年：目标 {target}，实际 {actual}：{status}").format(
        year=cell.year, target=target, actual=actual, status=cell.status_label
    )
    if cell.gap is not None:
        sentence = _("{sentence}，差 {gap} {m}").format(
            sentence=sentence, gap=number(cell.gap), m=measure
        )
    return str(sentence)


# ---- 债务化解 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DebtItem:
    """A debt of a public vocational school: amount (元), when incurred, and what has been
    resolved (amount, on which day; None = nothing yet)."""

    school: str
    description: str
    amount: int
    incurred_on: date
    resolved_on: date | None = None
    resolved_amount: int = 0


@dataclass(frozen=True)
class DebtResult:
    school: str
    description: str
    amount: int
    outstanding: int
    status: str
    steps: tuple[str, ...]

    @property
    def status_label(self) -> str:
        return str(DEBT_LABELS[self.status])


@dataclass(frozen=True)
class SchoolDebt:
    school: str
    status: str
    debts: int
    outstanding: int
    rules_code: str
    rules_version: int
    rules_effective_from: date
    steps: tuple[str, ...]

    @property
    def status_label(self) -> str:
        return str(DEBT_LABELS[self.status])


def check_debt(debt: DebtItem, rules: FundingRules, as_of: date) -> DebtResult:
    """附件3 第3行: 前期债务 resolved by the deadline; a debt incurred after `new_debt_after` is
    新增债务 (flagged, 控制新增债务). A resolution dated after `as_of` does not count yet."""
    counted = debt.resolved_on is not None and debt.resolved_on <= as_of
    resolved = min(debt.resolved_amount, debt.amount) if counted else 0
    outstanding = debt.amount - resolved
    deadline = rules.debt_deadline
    steps = [
        str(
            _("{school}“{what}”：{amount}，{day} 产生").format(
                school=debt.school,
                what=debt.description,
                amount=yuan(debt.amount),
                day=debt.incurred_on.isoformat(),
            )
        )
    ]
    if counted:
        steps.append(
            str(
                _("{day} 已化解 {resolved}，余 {left}").format(
                    day=debt.resolved_on.isoformat(),  # type: ignore[union-attr]
                    resolved=yuan(resolved),
                    left=yuan(outstanding),
                )
            )
        )
    else:
        steps.append(str(_("截至 {day} 未化解").format(day=as_of.isoformat())))
    if debt.incurred_on > rules.new_debt_after:
        status = NEW_DEBT
        steps.append(
            str(
                _("产生于 {cutoff} 之后，属新增债务（方案要求控制新增债务，{example}口径）").format(
                    cutoff=rules.new_debt_after.isoformat(), example=EXAMPLE
                )
            )
        )
    elif outstanding == 0 and debt.resolved_on is not None and debt.resolved_on <= deadline:
        status = RESOLVED
        steps.append(str(_("在 {deadline} 前化解完毕").format(deadline=deadline.isoformat())))
    elif outstanding == 0:
        status = RESOLVED_LATE
        steps.append(
            str(_("化解完毕，但晚于期限 {deadline}").format(deadline=deadline.isoformat()))
        )
    elif as_of > deadline:
        status = OVERDUE
        steps.append(
            str(
                _("已过期限 {deadline}，尚余 {left} 未化解").format(
                    deadline=deadline.isoformat(), left=yuan(outstanding)
                )
            )
        )
    else:
        status = PENDING
        steps.append(str(_("期限 {deadline} 未到").format(deadline=deadline.isoformat())))
    steps.append(str(_("结论：{status}").format(status=DEBT_LABELS[status])))
    return DebtResult(debt.school, debt.description, debt.amount, outstanding, status, tuple(steps))


def check_debts(
    debts: Sequence[DebtItem], schools: Sequence[str], rules: FundingRules, as_of: date
) -> tuple[list[DebtResult], list[SchoolDebt]]:
    """Each debt, then each school's status (its worst debt's; 无债务 without any)."""
    results = [check_debt(debt, rules, as_of) for debt in debts]
    by_school = []
    for school in schools:
        mine = [r for r in results if r.school == school]
        status = max((r.status for r in mine), key=DEBT_SEVERITY.index, default=NO_DEBT)
        outstanding = sum(r.outstanding for r in mine)
        steps = [
            str(
                _("{school}：债务 {count} 笔，截至 {day} 尚余 {left}").format(
                    school=school, count=len(mine), day=as_of.isoformat(), left=yuan(outstanding)
                )
            ),
            *(
                str(_("{what}：{status}").format(what=r.description, status=r.status_label))
                for r in mine
            ),
            str(_("学校状态取最不利的一笔：{status}").format(status=DEBT_LABELS[status])),
            str(
                _("参数：前期债务须于 {deadline} 前化解；{cutoff} 之后产生的为新增债务").format(
                    deadline=rules.debt_deadline.isoformat(),
                    cutoff=rules.new_debt_after.isoformat(),
                )
            ),
            _basis(rules, f"{CLAUSE}、{ROW_DEBT}"),
        ]
        by_school.append(
            SchoolDebt(
                school,
                status,
                len(mine),
                outstanding,
                rules.code,
                rules.version,
                rules.effective_from,
                tuple(steps),
            )
        )
    return results, by_school
