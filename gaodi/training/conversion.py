"""社会培训量与培训量折算 (social training and workload conversion, issue 8 §1), pure, no Django.

聊茌政发〔2020〕19号 重点任务（七）: "……年培训量达5千人次以上……允许职业院校将一定比例的培训收入
纳入学校公用经费，培训量按25%比例折算成全日制学生培养工作量，在原总量基础上及时核增所需绩效工资
总量……支持职业院校面向退役军人、下岗职工、农民工、残疾人等开展培训和职业教育。"
附件2 六、社会培训: 培训规模（人日） 13500 / 15000 / 17000 (2020–2022); 承担补贴性培训规模 and
重点人群培训规模（人日） 7600 / 9000 / 13000.

Sourced: the 5,000 人次 annual target and the 25 % ratio. Everything else is a Gaodi default
and a parameter of a versioned, effective-dated `ConversionParameters`, labelled 示例:

- The BASIS of the 25 %. The plan does not say what "培训量" is measured in. Three bases:
  `person_times` (人次 × 25 %), `person_days` (人日 × 25 %) and `student_years` (人日 ÷ days
  per student-year × 25 %, the 示例 default). Why student-years: the result is a number of
  full-time students, and a full-time student is a year of schooling; 人次 counts a one-day
  course the same as a month-long one, and 人日 is not a number of students at all. The
  示例 days per student-year is 200 (40 teaching weeks × 5 days).
- The pay per full-time student used to turn the converted students into an increment to
  the performance-pay total (示例 1,000 元; the district's own figure replaces it).
- A record counts in the year its training ENDS (a course over New Year counts once, when
  finished).

Money is exact: Decimal 元, rounded to the 元 with ROUND_HALF_UP; student equivalents are
kept exact and shown to 0.01.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
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

PLAN = "聊茌政发〔2020〕19号"
CLAUSE = "重点任务（七）"
TABLE = "附件2 六、社会培训"
YUAN = Decimal(1)
HUNDREDTH = Decimal("0.01")

PERSON_TIMES, PERSON_DAYS, STUDENT_YEARS = "person_times", "person_days", "student_years"
BASES = (PERSON_TIMES, PERSON_DAYS, STUDENT_YEARS)
BASIS_LABELS = {
    PERSON_TIMES: _("按人次折算"),
    PERSON_DAYS: _("按人日折算"),
    STUDENT_YEARS: _("按人日÷每生每年培养天数折算"),
}

VETERANS = "veterans"
LAID_OFF = "laid_off"
MIGRANT_WORKERS = "migrant_workers"
DISABLED = "disabled"
POOR_REGISTERED = "poor_registered"
CAPACITY_CUT = "capacity_cut"
OTHER = "other"
# The 附件2 row names six groups and ends with "等": a group not named (其他) counts in it too
# (a Gaodi reading, said on the page).
TARGET_GROUPS = (
    VETERANS,
    LAID_OFF,
    CAPACITY_CUT,
    MIGRANT_WORKERS,
    POOR_REGISTERED,
    DISABLED,
    OTHER,
)
TARGET_GROUP_LABELS = {
    VETERANS: _("退役军人"),
    LAID_OFF: _("下岗失业人员"),
    CAPACITY_CUT: _("去产能分流职工"),
    MIGRANT_WORKERS: _("农民工"),
    POOR_REGISTERED: _("建档立卡贫困劳动力"),
    DISABLED: _("残疾人"),
    OTHER: _("其他重点人群"),
}


def yuan(value: Decimal) -> Decimal:
    """To the 元, ROUND_HALF_UP (0.5 元 goes up)."""
    return value.quantize(YUAN, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    """43263250 -> "43,263,250 元": to the 元, digits grouped as on every money figure of the
    pages (the pages' `grouped` filter)."""
    return _("{amount} 元").format(amount=f"{yuan(value):,f}")


@dataclass(frozen=True)
class ConversionParameters:
    """The conversion rule, versioned and effective-dated."""

    code: str
    name: str
    version: int
    effective_from: date
    ratio: Decimal = Decimal("0.25")
    basis: str = STUDENT_YEARS
    days_per_student_year: Decimal = Decimal(200)
    pay_per_student: Decimal = Decimal(1000)
    annual_target_person_times: int = 5000
    source: str = EXAMPLE
    note: str = ""

    def __post_init__(self) -> None:
        check_version(self.code, self.version)
        if not Decimal(0) <= self.ratio <= Decimal(1):
            raise ParameterError(_("折算比例须在 0 与 1 之间"))
        if self.basis not in BASES:
            raise ParameterError(
                _("折算基础须为 person_times、person_days 或 student_years，不是“{basis}”").format(
                    basis=self.basis
                )
            )
        if self.days_per_student_year <= 0:
            raise ParameterError(_("每生每年培养天数须大于 0"))
        if self.pay_per_student < 0:
            raise ParameterError(_("生均绩效工资额不能为负数"))
        if self.annual_target_person_times < 0:
            raise ParameterError(_("年培训量目标不能为负数"))

    @property
    def is_example(self) -> bool:
        return EXAMPLE in self.source

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConversionParameters:
        return cls(
            **{
                **data,
                "ratio": decimal(data["ratio"], _("折算比例")),
                "days_per_student_year": decimal(
                    data["days_per_student_year"], _("每生每年培养天数")
                ),
                "pay_per_student": decimal(data["pay_per_student"], _("生均绩效工资额")),
                "effective_from": date.fromisoformat(data["effective_from"]),
            }
        )


def example_parameters() -> ConversionParameters:
    """25 % and 5,000 人次 from （七）; the basis, 200 days and 1,000 元 are 示例."""
    return ConversionParameters(
        code="training-conversion",
        name=_("培训量折算全日制学生培养工作量"),
        version=1,
        effective_from=date(2020, 1, 1),
        source=_(
            "{plan} {clause}（25%、5千人次）；折算基础、每生每年 200 天、生均 1000 元为{example}"
        ).format(plan=PLAN, clause=CLAUSE, example=EXAMPLE),
        note=_(
            "方案未说明培训量以人次还是人日计；示例按人日÷每生每年培养天数（200 天）折成学生数，"
            "再乘 25%。"
        ),
    )


def select_parameters(
    versions: Iterable[ConversionParameters], as_of: date, code: str | None = None
) -> ConversionParameters:
    found = select_version(versions, as_of, code)
    if found is None:
        raise ParameterError(_("{day} 时尚无施行中的培训量折算参数").format(day=as_of.isoformat()))
    return found


@dataclass(frozen=True)
class TrainingRecord:
    """One training programme as delivered: 人次 (participants) and 人日 (person-days)."""

    programme: str
    start: date
    end: date
    participants: int
    person_days: Decimal
    target_groups: tuple[str, ...] = ()
    subsidised: bool = False
    income: Decimal | None = None  # 元; None when not reported

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ParameterError(_("培训“{name}”结束日期早于开始日期").format(name=self.programme))
        if self.participants < 0 or self.person_days < 0:
            raise ParameterError(
                _("培训“{name}”的人次、人日不能为负数").format(name=self.programme)
            )
        unknown = set(self.target_groups) - set(TARGET_GROUPS)
        if unknown:
            raise ParameterError(_("没有名为“{name}”的培训对象").format(name=sorted(unknown)[0]))
        if self.income is not None and self.income < 0:
            raise ParameterError(_("培训“{name}”的到款额不能为负数").format(name=self.programme))

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TrainingRecord:
        income = data.get("income")
        return cls(
            programme=data["programme"],
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            participants=int(data["participants"]),
            person_days=decimal(data["person_days"], _("人日")),
            target_groups=tuple(data.get("target_groups", ())),
            subsidised=bool(data.get("subsidised", False)),
            income=None if income is None else decimal(income, _("到款额")),
        )


@dataclass(frozen=True)
class Volume:
    """A year's training volume against the 5,000 人次 target and a 附件2 row (人日)."""

    year: int
    records: int
    person_times: int
    person_days: Decimal
    subsidised_person_days: Decimal
    target_group_person_days: Decimal
    income: Decimal
    income_unreported: int
    target_person_times: int
    meets_person_times: bool
    table_person_days: Decimal | None
    meets_table: bool | None
    steps: tuple[str, ...]
    parameters_code: str
    parameters_version: int
    parameters_effective_from: date

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Volume:
        table = data["table_person_days"]
        return cls(
            **{
                **data,
                "person_days": Decimal(data["person_days"]),
                "subsidised_person_days": Decimal(data["subsidised_person_days"]),
                "target_group_person_days": Decimal(data["target_group_person_days"]),
                "income": Decimal(data["income"]),
                "table_person_days": None if table is None else Decimal(table),
                "steps": tuple(data["steps"]),
                "parameters_effective_from": date.fromisoformat(data["parameters_effective_from"]),
            }
        )


def annual_volume(
    records: Iterable[TrainingRecord],
    year: int,
    parameters: ConversionParameters,
    table_person_days: Decimal | None = None,
) -> Volume:
    """Sum the records whose training ends in `year`; compare 人次 with the annual target of
    （七） and 人日 with the 附件2 社会培训 row passed in (None: no row for that year)."""
    counted = [r for r in records if r.end.year == year]
    person_times = sum((r.participants for r in counted), 0)
    person_days = sum((r.person_days for r in counted), Decimal(0))
    subsidised = sum((r.person_days for r in counted if r.subsidised), Decimal(0))
    groups = sum((r.person_days for r in counted if r.target_groups), Decimal(0))
    income = sum((r.income for r in counted if r.income is not None), Decimal(0))
    unreported = sum(1 for r in counted if r.income is None)
    target = parameters.annual_target_person_times
    steps = [
        _("{year} 年结束的培训 {count} 项：合计 {times} 人次、{days} 人日").format(
            year=year, count=len(counted), times=person_times, days=number(person_days)
        ),
        _("其中补贴性培训 {subsidised} 人日，面向重点人群的培训 {groups} 人日").format(
            subsidised=number(subsidised), groups=number(groups)
        ),
        _("年培训量目标 {target} 人次：{verdict}").format(
            target=target,
            verdict=_("已达到")
            if person_times >= target
            else _("差 {gap} 人次").format(gap=target - person_times),
        ),
    ]
    meets_table = None
    if table_person_days is not None:
        meets_table = person_days >= table_person_days
        steps.append(
            _("{table} 培训规模 {row} 人日：{verdict}").format(
                table=TABLE,
                row=number(table_person_days),
                verdict=_("已达到")
                if meets_table
                else _("差 {gap} 人日").format(gap=number(table_person_days - person_days)),
            )
        )
    steps.append(_("培训到款额 {income}").format(income=money(income)))
    if unreported:
        steps.append(_("{count} 项培训未填报到款额，未计入").format(count=unreported))
    return Volume(
        year=year,
        records=len(counted),
        person_times=person_times,
        person_days=person_days,
        subsidised_person_days=subsidised,
        target_group_person_days=groups,
        income=yuan(income),
        income_unreported=unreported,
        target_person_times=target,
        meets_person_times=person_times >= target,
        table_person_days=table_person_days,
        meets_table=meets_table,
        steps=tuple(steps),
        parameters_code=parameters.code,
        parameters_version=parameters.version,
        parameters_effective_from=parameters.effective_from,
    )


@dataclass(frozen=True)
class Conversion:
    """Training converted into full-time students, and the performance-pay increment."""

    year: int
    basis: str
    basis_amount: Decimal
    ratio: Decimal
    students: Decimal  # exact; shown to 0.01
    pay_per_student: Decimal
    pay_increment: Decimal  # 元, ROUND_HALF_UP
    steps: tuple[str, ...]
    parameters_code: str
    parameters_version: int
    parameters_effective_from: date
    is_example: bool

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Conversion:
        return cls(
            **{
                **data,
                **{
                    key: Decimal(data[key])
                    for key in (
                        "basis_amount",
                        "ratio",
                        "students",
                        "pay_per_student",
                        "pay_increment",
                    )
                },
                "steps": tuple(data["steps"]),
                "parameters_effective_from": date.fromisoformat(data["parameters_effective_from"]),
            }
        )


def convert(volume: Volume, parameters: ConversionParameters) -> Conversion:
    """（七）: 培训量 × 25 % = 全日制学生培养工作量 (students); × 生均绩效工资 = the increment
    to the performance-pay total (元, ROUND_HALF_UP)."""
    ratio = parameters.ratio
    steps = [_("折算基础：{basis}").format(basis=BASIS_LABELS[parameters.basis])]
    if parameters.basis == PERSON_TIMES:
        amount = Decimal(volume.person_times)
        steps.append(_("培训量 {amount} 人次").format(amount=number(amount)))
    elif parameters.basis == PERSON_DAYS:
        amount = volume.person_days
        steps.append(_("培训量 {amount} 人日").format(amount=number(amount)))
    else:
        amount = volume.person_days / parameters.days_per_student_year
        steps.append(
            _("{days} 人日 ÷ 每生每年 {per} 天 = {amount} 生·年").format(
                days=number(volume.person_days),
                per=number(parameters.days_per_student_year),
                amount=number(amount.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)),
            )
        )
    students = amount * ratio
    shown = students.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    steps.append(
        _("× 折算比例 {ratio}% = 折合全日制学生 {students} 人").format(
            ratio=number(ratio * 100), students=number(shown)
        )
    )
    increment = yuan(students * parameters.pay_per_student)
    steps.append(
        _("× 生均绩效工资 {per} = 核增绩效工资总量 {increment}（四舍五入到元）").format(
            per=money(parameters.pay_per_student), increment=money(increment)
        )
    )
    return Conversion(
        year=volume.year,
        basis=parameters.basis,
        basis_amount=amount,
        ratio=ratio,
        students=students,
        pay_per_student=parameters.pay_per_student,
        pay_increment=increment,
        steps=tuple(steps),
        parameters_code=parameters.code,
        parameters_version=parameters.version,
        parameters_effective_from=parameters.effective_from,
        is_example=parameters.is_example,
    )


def convert_year(
    records: Sequence[TrainingRecord],
    year: int,
    versions: Iterable[ConversionParameters],
    as_of: date,
    table_person_days: Decimal | None = None,
) -> tuple[Volume, Conversion]:
    """The volume and conversion for `year`, with the parameter version in force on `as_of`."""
    parameters = select_parameters(versions, as_of)
    volume = annual_volume(records, year, parameters, table_person_days)
    return volume, convert(volume, parameters)


@dataclass(frozen=True)
class RowCheck:
    """One 附件2 社会培训 row (or the （七） 5,000 人次 target) against a year's volume.
    A ratio row (培训规模与全日制在校生比例, printed "4:1") reads "x:1"; its actual is None when
    it cannot be worked out (`sentence` says why)."""

    name: str
    measure: str
    actual: Decimal | None  # None: not computable
    target: Decimal | None  # None: the table sets no figure for that year
    met: bool | None
    sentence: str
    ratio: bool = False
    steps: tuple[str, ...] = ()  # the working of a ratio row, its sentence last
    detail: str = ""  # a ratio row: the division, or why it cannot be made

    @property
    def actual_text(self) -> str:
        if self.actual is None:
            return str(_("无法计算"))
        return ratio_text(self.actual) if self.ratio else number(self.actual)

    @property
    def target_text(self) -> str:
        if self.target is None:
            return ""
        return ratio_text(self.target) if self.ratio else number(self.target)


def ratio_text(value: Decimal) -> str:
    """5.3470 -> "5.35:1" (to 0.01, ROUND_HALF_UP), as 附件2 prints "4:1"."""
    return f"{number(value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP))}:1"


def check_row(name: str, measure: str, actual: Decimal, target: Decimal | None) -> RowCheck:
    """actual against target (≥ meets); no target: nothing to judge (None)."""
    if target is None:
        return RowCheck(
            name,
            measure,
            actual,
            None,
            None,
            _("{name}：{actual} {measure}，方案该年未设目标").format(
                name=name, actual=number(actual), measure=measure
            ),
        )
    met = actual >= target
    verdict = (
        _("已达到")
        if met
        else _("差 {gap} {measure}").format(gap=number(target - actual), measure=measure)
    )
    return RowCheck(
        name,
        measure,
        actual,
        target,
        met,
        _("{name}：{actual} {measure}，目标 {target} {measure}，{verdict}").format(
            name=name,
            actual=number(actual),
            target=number(target),
            measure=measure,
            verdict=verdict,
        ),
    )


@dataclass(frozen=True)
class Enrolment:
    """全日制在校生 of the schools counted, as the indicators app holds it: the total (None when
    it cannot be had), how it was read, and why not."""

    students: Decimal | None
    steps: tuple[str, ...] = ()
    missing: str = ""  # why there is no total (Chinese); "" when there is one


def check_ratio(
    name: str, person_days: Decimal, enrolment: Enrolment, target: Decimal | None
) -> RowCheck:
    """附件2 六、社会培训 培训规模与全日制在校生比例 (4:1 / 3:1 / 3:1): the year's 培训规模（人日）
    ÷ 全日制在校生, read as "x:1" and met when x ≥ the target's x (a floor, as every row of
    the table). No enrolment, or an enrolment of 0: 无法计算, with the reason."""
    steps = [
        _("培训规模 {days} 人日（该年结束的培训记录合计）").format(days=number(person_days)),
        *enrolment.steps,
    ]
    target_words = (
        _("方案该年未设目标")
        if target is None
        else _("目标 {target}").format(target=ratio_text(target))
    )
    students = enrolment.students
    if students is None or students == 0:
        why = enrolment.missing or _("全日制在校生为 0，不能作除数")
        sentence = _("{name}：无法计算——{why}（{target}）").format(
            name=name, why=why, target=target_words
        )
        return RowCheck(name, "", None, target, None, sentence, True, (*steps, sentence), why)
    actual = person_days / students
    met = None if target is None else actual >= target
    if met is not None:
        target_words = _("{target}，{verdict}").format(
            target=target_words, verdict=_("已达到") if met else _("未达到")
        )
    sentence = _("{name}：{days} 人日 ÷ 全日制在校生 {students} 人 = {ratio}；{target}").format(
        name=name,
        days=number(person_days),
        students=number(students),
        ratio=ratio_text(actual),
        target=target_words,
    )
    division = _("{days} 人日 ÷ {students} 人").format(
        days=number(person_days), students=number(students)
    )
    return RowCheck(name, "", actual, target, met, sentence, True, (*steps, sentence), division)


def income_in_wan(income: Decimal) -> Decimal:
    """元 to 万元, exact (the 附件2 row 培训到款额 is in 万元): 123,456 元 = 12.3456 万元."""
    return income / Decimal(10000)


def explain(
    volume: Volume, conversion: Conversion, plan: str = PLAN, name: str | None = None
) -> list[str]:
    """The working as Chinese sentences, ending with the basis and the parameter version
    (the set's Chinese `name` when given, else its code)."""
    lines = [*volume.steps, *conversion.steps]
    if conversion.is_example:
        lines.append(_("折算基础与生均金额为示例参数，以区里核定的为准"))
    lines.append(
        _("依据：{plan} {clause}（{name} 第 {version} 版，{day} 起施行）").format(
            plan=plan,
            clause=CLAUSE,
            name=name or conversion.parameters_code,
            version=conversion.parameters_version,
            day=conversion.parameters_effective_from.isoformat(),
        )
    )
    return lines
