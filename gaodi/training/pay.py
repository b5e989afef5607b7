"""职业院校绩效工资 (performance pay, issue 8 §2), pure, no Django.

聊茌政发〔2020〕19号 重点任务（十六）: "绩效工资水平最高可达到区属事业单位绩效工资基准线的5倍。
学校对外开展技术开发、技术转让、技术咨询、技术服务取得的收入结余，可提取50%以上用于教师劳动
报酬，不纳入单位绩效工资总量管理。教师根据相关规定取得的科技成果转化费，计入当年学校绩效工资
总量，但不受总量控制，不作为调控基数。对学校以年薪制、协议工资、项目工资等方式引进高层次人才
予以倾斜，在绩效工资总量中单列。对学校承担的培训任务，与绩效工资问题增长挂钩。"
and （七）: the training increment "在原总量基础上及时核增".

Per school and year, the lines (each rounded to the 元, ROUND_HALF_UP; Decimal throughout):

1. 基础绩效工资 (the base, 调控基数): at most cap_multiple (5, sourced) × the district benchmark
   per head × the approved headcount. The school's requested amount, if given, is used when
   below the cap; otherwise the cap is the allowed base. The benchmark is read as per head
   (a "水平" is a level of pay); a zero benchmark gives a zero cap.
2. 培训核增: the increment from `conversion.convert`, added on top of the cap
   (`training_within_cap=False`, 示例 reading of "在原总量基础上……核增").
3. 高层次人才单列: annual / agreement / project salaries, inside the total, listed separately;
   `talent_within_cap=False` (示例 reading of "予以倾斜……单列": not squeezed by the cap).
4. 科技成果转化费: inside the total, outside the cap, not part of the base (sourced).
5. 技术服务收入结余提取: OUTSIDE the total. "可提取50%以上" is read as: the school may put
   AT LEAST 50 % of the balance to teachers — 50 % is a floor the school may go above, not a
   ceiling. The reading is sourced: the plan itself (重点任务（十六）, 附件3 第34行) and the
   Shandong 2021 text "职业院校对外技术服务收入结余，50%以上可用于教师劳动报酬"
   (/work/shared/SOURCES.md). So `tech_share_floor` is 0.5 (sourced) and
   `tech_share_ceiling` is 1.0 (示例: the plan sets no upper limit, so up to the whole
   balance). The line is balance × the school's chosen share (default: the ceiling); a share
   below the floor is allowed but flagged, one above the ceiling is refused. A negative or
   missing balance gives 0. A 示例 ceiling (of a set whose source says 示例) is never listed
   among the limits that bind: it is no rule; the working names it "示例上限". A place's own
   (or a sourced) ceiling that is reached is listed.

The allowed total (绩效工资总量) = 1 + 2 + 3 + 4; the base (调控基数) = the total less 4.
Teachers' pay in all = the total + 5.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
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

from .conversion import PLAN, money, yuan

CLAUSE = "重点任务（十六）"
ZERO = Decimal(0)

BASE, TRAINING, TALENT, TRANSFER, TECH_SERVICE = (
    "base",
    "training",
    "talent",
    "transfer",
    "tech_service",
)
LINE_LABELS = {
    BASE: _("基础绩效工资（调控基数）"),
    TRAINING: _("承担培训任务核增"),
    TALENT: _("高层次人才单列"),
    TRANSFER: _("科技成果转化费"),
    TECH_SERVICE: _("技术服务收入结余提取（不纳入总量）"),
}
ANNUAL, AGREEMENT, PROJECT = "annual", "agreement", "project"
SALARY_KINDS = {ANNUAL: _("年薪制"), AGREEMENT: _("协议工资"), PROJECT: _("项目工资")}

CAP = "cap"
TECH_CEILING = "tech_ceiling"
NO_BALANCE = "no_balance"
LIMIT_LABELS = {
    CAP: _("绩效工资水平不超过区属事业单位绩效工资基准线的倍数"),
    TECH_CEILING: _("技术服务收入结余可提取比例上限"),
    NO_BALANCE: _("技术服务收入无结余"),
}


@dataclass(frozen=True)
class PayParameters:
    code: str
    name: str
    version: int
    effective_from: date
    cap_multiple: Decimal = Decimal(5)
    tech_share_floor: Decimal = Decimal("0.5")
    tech_share_ceiling: Decimal = Decimal(1)
    training_within_cap: bool = False
    talent_within_cap: bool = False
    source: str = EXAMPLE
    note: str = ""

    def __post_init__(self) -> None:
        check_version(self.code, self.version)
        if self.cap_multiple < 0:
            raise ParameterError(_("基准线倍数不能为负数"))
        if not ZERO <= self.tech_share_floor <= self.tech_share_ceiling <= Decimal(1):
            raise ParameterError(_("提取比例须满足 0 ≤ 下限 ≤ 上限 ≤ 1"))

    @property
    def is_example(self) -> bool:
        return EXAMPLE in self.source

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PayParameters:
        return cls(
            **{
                **data,
                "cap_multiple": decimal(data["cap_multiple"], _("基准线倍数")),
                "tech_share_floor": decimal(data["tech_share_floor"], _("提取比例下限")),
                "tech_share_ceiling": decimal(data["tech_share_ceiling"], _("提取比例上限")),
                "effective_from": date.fromisoformat(data["effective_from"]),
            }
        )


def example_parameters() -> PayParameters:
    return PayParameters(
        code="performance-pay",
        name=_("职业院校绩效工资总量核定"),
        version=1,
        effective_from=date(2020, 7, 1),  # the reform document was due by end of June 2020
        source=_(
            "{plan} {clause}（附件3 第34行）：5倍、“可提取50%以上”（读作不少于 50%）；"
            "同此读法：山东省（2021 年）“职业院校对外技术服务收入结余，"
            "50%以上可用于教师劳动报酬”；提取上限 100%、培训核增与人才单列在倍数之外为{example}"
        ).format(plan=PLAN, clause=CLAUSE, example=EXAMPLE),
        note=_(
            "“可提取50%以上”读作学校可提取不少于 50%（下限），方案未设上限，"
            "示例上限为全部结余（示例上限不是规定）。"
        ),
    )


def select_parameters(
    versions: Iterable[PayParameters], as_of: date, code: str | None = None
) -> PayParameters:
    found = select_version(versions, as_of, code)
    if found is None:
        raise ParameterError(_("{day} 时尚无施行中的绩效工资参数").format(day=as_of.isoformat()))
    return found


@dataclass(frozen=True)
class Talent:
    name: str
    kind: str
    amount: Decimal  # 元 a year

    def __post_init__(self) -> None:
        if self.kind not in SALARY_KINDS:
            raise ParameterError(_("没有名为“{kind}”的薪酬方式").format(kind=self.kind))
        if self.amount < 0:
            raise ParameterError(_("高层次人才“{name}”的薪酬不能为负数").format(name=self.name))


@dataclass(frozen=True)
class PayInputs:
    """One school's year. Money in 元; None for a line not reported."""

    school: str
    year: int
    benchmark_per_head: Decimal
    headcount: int
    requested_base: Decimal | None = None
    training_increment: Decimal = ZERO  # from conversion.convert(...).pay_increment
    talents: tuple[Talent, ...] = ()
    transfer_fees: Decimal | None = None
    tech_service_balance: Decimal | None = None
    tech_share: Decimal | None = None  # the school's chosen share; None: the ceiling

    def __post_init__(self) -> None:
        if self.benchmark_per_head < 0 or self.headcount < 0:
            raise ParameterError(_("基准线与核定人数不能为负数"))
        for value in (self.requested_base, self.training_increment, self.transfer_fees):
            if value is not None and value < 0:
                raise ParameterError(_("绩效工资各项金额不能为负数"))
        if self.tech_share is not None and not ZERO <= self.tech_share <= Decimal(1):
            raise ParameterError(_("提取比例须在 0 与 1 之间"))


@dataclass(frozen=True)
class Line:
    code: str
    amount: Decimal
    in_total: bool
    under_cap: bool
    in_base: bool


@dataclass(frozen=True)
class PayResult:
    school: str
    year: int
    cap: Decimal
    lines: tuple[Line, ...]
    total: Decimal  # 绩效工资总量
    base: Decimal  # 调控基数
    outside_total: Decimal
    teachers_in_all: Decimal
    binding: tuple[str, ...]
    steps: tuple[str, ...]
    parameters_code: str
    parameters_version: int
    parameters_effective_from: date
    is_example: bool

    def line(self, code: str) -> Line:
        return next(found for found in self.lines if found.code == code)

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PayResult:
        lines = tuple(Line(**{**item, "amount": Decimal(item["amount"])}) for item in data["lines"])
        return cls(
            **{
                **data,
                **{
                    key: Decimal(data[key])
                    for key in ("cap", "total", "base", "outside_total", "teachers_in_all")
                },
                "lines": lines,
                "binding": tuple(data["binding"]),
                "steps": tuple(data["steps"]),
                "parameters_effective_from": date.fromisoformat(data["parameters_effective_from"]),
            }
        )


def allowed_pay(inputs: PayInputs, parameters: PayParameters) -> PayResult:
    """The allowed performance-pay total of one school and year, line by line, with the
    limits that bind and the working."""
    steps: list[str] = []
    binding: list[str] = []
    cap = yuan(parameters.cap_multiple * inputs.benchmark_per_head * inputs.headcount)
    steps.append(
        _("上限：基准线 {benchmark}/人 × {multiple} 倍 × 核定 {heads} 人 = {cap}").format(
            benchmark=money(inputs.benchmark_per_head),
            multiple=number(parameters.cap_multiple),
            heads=inputs.headcount,
            cap=money(cap),
        )
    )
    if inputs.benchmark_per_head == 0:
        steps.append(_("基准线为 0，受倍数控制的各项只能为 0"))

    training = yuan(inputs.training_increment)
    talent = yuan(sum((t.amount for t in inputs.talents), ZERO))
    under_cap_others = (training if parameters.training_within_cap else ZERO) + (
        talent if parameters.talent_within_cap else ZERO
    )
    room = max(cap - under_cap_others, ZERO)
    if under_cap_others > cap:
        binding.append(CAP)
        steps.append(
            _("计入倍数控制的培训核增、人才单列共 {amount}，已超过上限").format(
                amount=money(under_cap_others)
            )
        )
    if inputs.requested_base is None:
        base = room
        if CAP not in binding:
            binding.append(CAP)
        steps.append(_("学校未填报申请数，基础绩效工资按上限计 {base}").format(base=money(base)))
    else:
        requested = yuan(inputs.requested_base)
        base = min(requested, room)
        if requested > room:
            if CAP not in binding:
                binding.append(CAP)
            steps.append(
                _("申请基础绩效工资 {requested}，超过可用上限 {room}，按 {base} 核定").format(
                    requested=money(requested), room=money(room), base=money(base)
                )
            )
        else:
            steps.append(
                _("申请基础绩效工资 {requested}，未超上限，照数核定").format(
                    requested=money(requested)
                )
            )

    steps.append(
        _("承担培训任务核增 {amount}（{where}）").format(
            amount=money(training),
            where=_("计入倍数控制") if parameters.training_within_cap else _("在倍数之外核增"),
        )
    )
    for person in inputs.talents:
        steps.append(
            _("高层次人才 {name}（{kind}）{amount}，在总量中单列").format(
                name=person.name, kind=SALARY_KINDS[person.kind], amount=money(person.amount)
            )
        )
    if inputs.transfer_fees is None:
        transfer = ZERO
        steps.append(_("未填报科技成果转化费，按 0 计"))
    else:
        transfer = yuan(inputs.transfer_fees)
        steps.append(
            _("科技成果转化费 {amount}：计入总量，不受总量控制，不作为调控基数").format(
                amount=money(transfer)
            )
        )

    ceiling = parameters.tech_share_ceiling
    ceiling_words = (
        _("示例上限 {ceiling}%（方案未设上限，示例上限不是规定）")
        if parameters.is_example
        else _("参数上限 {ceiling}%")
    ).format(ceiling=number(ceiling * 100))
    share = ceiling if inputs.tech_share is None else inputs.tech_share
    if share > ceiling:
        raise ParameterError(
            _("提取比例 {share}% 超过参数上限 {ceiling}%").format(
                share=number(share * 100), ceiling=number(ceiling * 100)
            )
        )
    balance = inputs.tech_service_balance
    if balance is None:
        tech = ZERO
        steps.append(_("未填报技术服务收入结余，提取额按 0 计"))
    elif balance <= 0:
        tech = ZERO
        binding.append(NO_BALANCE)
        steps.append(
            _("技术服务收入结余为 {balance}，没有可提取的结余").format(balance=money(balance))
        )
    else:
        tech = yuan(balance * share)
        if inputs.tech_share is None:
            steps.append(_("学校未填报提取比例，按{ceiling}计").format(ceiling=ceiling_words))
        steps.append(
            _("技术服务收入结余 {balance} × {share}% = {tech}，不纳入绩效工资总量").format(
                balance=money(balance), share=number(share * 100), tech=money(tech)
            )
        )
        if share == ceiling:
            if parameters.is_example:
                steps.append(
                    _("提取比例为{ceiling}，不列为起约束作用的限制").format(ceiling=ceiling_words)
                )
            else:
                binding.append(TECH_CEILING)
        if share < parameters.tech_share_floor:
            steps.append(
                _("提取比例低于方案所说的 {floor}%（方案允许提取 {floor}% 以上）").format(
                    floor=number(parameters.tech_share_floor * 100)
                )
            )

    lines = (
        Line(BASE, base, True, True, True),
        Line(TRAINING, training, True, parameters.training_within_cap, True),
        Line(TALENT, talent, True, parameters.talent_within_cap, True),
        Line(TRANSFER, transfer, True, False, False),
        Line(TECH_SERVICE, tech, False, False, False),
    )
    total = sum((item.amount for item in lines if item.in_total), ZERO)
    base_total = sum((item.amount for item in lines if item.in_base), ZERO)
    steps.append(
        _("绩效工资总量 = {base} + {training} + {talent} + {transfer} = {total}").format(
            base=money(base),
            training=money(training),
            talent=money(talent),
            transfer=money(transfer),
            total=money(total),
        )
    )
    steps.append(_("调控基数（不含科技成果转化费）{amount}").format(amount=money(base_total)))
    return PayResult(
        school=inputs.school,
        year=inputs.year,
        cap=cap,
        lines=lines,
        total=total,
        base=base_total,
        outside_total=tech,
        teachers_in_all=total + tech,
        binding=tuple(binding),
        steps=tuple(steps),
        parameters_code=parameters.code,
        parameters_version=parameters.version,
        parameters_effective_from=parameters.effective_from,
        is_example=parameters.is_example,
    )


def allowed_pay_on(inputs: PayInputs, versions: Iterable[PayParameters], as_of: date) -> PayResult:
    return allowed_pay(inputs, select_parameters(versions, as_of))


def binding_limits(found: PayResult) -> list[str]:
    """The limits that bind, as listed on the page: a 示例 ceiling of the extraction share is
    no rule and is left out (results stored before this rule may still carry it)."""
    return [limit for limit in found.binding if not (limit == TECH_CEILING and found.is_example)]


def explain(found: PayResult, plan: str = PLAN, name: str | None = None) -> list[str]:
    """The working as Chinese sentences, ending with the clause and the parameter version (the
    set's Chinese `name` when given, else its code)."""
    lines = list(found.steps)
    for limit in binding_limits(found):
        lines.append(_("起约束作用：{limit}").format(limit=LIMIT_LABELS[limit]))
    if found.is_example:
        lines.append(_("部分参数为示例，以区里出台的绩效工资改革文件为准"))
    lines.append(
        _("依据：{plan} {clause}（{name} 第 {version} 版，{day} 起施行）").format(
            plan=plan,
            clause=CLAUSE,
            name=name or found.parameters_code,
            version=found.parameters_version,
            day=found.parameters_effective_from.isoformat(),
        )
    )
    return lines
