"""标志性成果 against the plan's targets (issue 7 §2), pure, no Django.

聊茌政发〔2020〕19号:
- 重点任务（八）: "争取至少1个中职专业(群)入围省高水平中职专业(群)，4个专业成为市级品牌专业";
- 重点任务（九）: "争取立项建设5门以上省级在线开放精品课程";
- 重点任务（十）: "争取开展5项以上“1+X”证书试点". The X certificates move from the education
  ministry to 人社 by 2025-12-31 (人社厅函〔2025〕154号), so the kind is 职业技能等级证书试点,
  whatever scheme the pilot is under.

The numbers are never typed here: each kind says, as data, how it finds its target among the
plan's parsed targets (`TargetMatch`: the clause, the measure, words of the subject); a plan
without such a target gives 计划未设目标. The kinds are a versioned, effective-dated
`KindSet`.

How an achievement counts — Gaodi defaults:

- It counts as of a day when it was approved (入围 / 认定 / 立项) on or before that day; one
  without an approval date does not count (待批准), and neither does one approved later.
- Comparators: ">=" met when count ≥ target; "<=" when count ≤ target; "~" (约) read as ≥.
  "=" (the plan's "4个专业成为市级品牌专业") is read as "at least" when `exact_as_at_least`
  (示例 default True: the plan states a goal, not a cap); with False only exactly 4 meets it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from gaodi.i18n import _

from .versions import EXAMPLE, ParameterError, check_version, number, record

MET, NOT_MET, NO_TARGET = "met", "not_met", "no_target"
STATUS_LABELS = {MET: _("已达成"), NOT_MET: _("未达成"), NO_TARGET: _("计划未设目标")}
COMPARATOR_TEXT = {">=": "≥", "<=": "≤", "=": "=", "~": "≈"}

PROVINCIAL_GROUP = "provincial_specialty_group"
CITY_BRAND = "city_brand_specialty"
ONLINE_COURSE = "provincial_online_course"
CERTIFICATE_PILOT = "skill_certificate_pilot"


@dataclass(frozen=True)
class TargetMatch:
    """How a kind finds its target among the plan's: the clause exactly, the measure (个, 门,
    项) if given, and words that must appear in the target's subject or phrase if given."""

    clause: str
    measure: str = ""
    words: str = ""

    def matches(self, target: PlanTarget) -> bool:
        if target.clause != self.clause:
            return False
        if self.measure and target.measure != self.measure:
            return False
        return not self.words or self.words in target.subject or self.words in target.phrase

    def describe(self) -> str:
        parts = [_("条款为“{clause}”").format(clause=self.clause)]
        if self.measure:
            parts.append(_("计量单位为“{measure}”").format(measure=self.measure))
        if self.words:
            parts.append(_("指标对象含“{words}”").format(words=self.words))
        return "、".join(str(part) for part in parts)


@dataclass(frozen=True)
class Kind:
    """A kind of achievement the plan counts, with the clause that sets it."""

    code: str
    name: str
    clause: str
    match: TargetMatch
    note: str = ""
    # codes of the credit bank's certificate schemes: when given, this kind is counted from the
    # credit bank (one pilot per 认证单元 of these schemes, see `credit_bank_pilots`), not typed
    credit_bank_schemes: tuple[str, ...] = ()

    @property
    def from_credit_bank(self) -> bool:
        return bool(self.credit_bank_schemes)

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Kind:
        return cls(
            **{
                **data,
                "match": TargetMatch(**data["match"]),
                "credit_bank_schemes": tuple(data.get("credit_bank_schemes", ())),
            }
        )


@dataclass(frozen=True)
class KindSet:
    """The kinds counted, versioned and effective-dated."""

    code: str
    name: str
    version: int
    effective_from: date
    kinds: tuple[Kind, ...]
    exact_as_at_least: bool = True
    source: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        check_version(self.code, self.version)
        codes = [kind.code for kind in self.kinds]
        if not codes or len(set(codes)) != len(codes):
            raise ParameterError(_("成果类别须至少一个，编号不能重复"))

    def kind(self, code: str) -> Kind | None:
        return next((kind for kind in self.kinds if kind.code == code), None)

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> KindSet:
        return cls(
            **{
                **data,
                "kinds": tuple(Kind.from_json(item) for item in data["kinds"]),
                "effective_from": date.fromisoformat(data["effective_from"]),
            }
        )


PLAN = "聊茌政发〔2020〕19号"


def plan_kinds() -> KindSet:
    """The four kinds of 聊茌政发〔2020〕19号（八）（九）（十）, and how each finds its target."""
    return KindSet(
        code="plan-achievements",
        name="方案标志性成果类别",
        version=1,
        effective_from=date(2020, 1, 1),
        kinds=(
            Kind(
                PROVINCIAL_GROUP,
                "省级高水平中职专业（群）",
                "重点任务（八）",
                TargetMatch("重点任务（八）", "个", "省高水平"),
            ),
            Kind(
                CITY_BRAND,
                "市级品牌专业",
                "重点任务（八）",
                TargetMatch("重点任务（八）", "个", "品牌专业"),
            ),
            Kind(
                ONLINE_COURSE,
                "省级在线开放精品课程",
                "重点任务（九）",
                TargetMatch("重点任务（九）", "门"),
            ),
            Kind(
                CERTIFICATE_PILOT,
                "职业技能等级证书试点",
                "重点任务（十）",
                TargetMatch("重点任务（十）", "项"),
                note=(
                    "方案原文为“1+X”证书试点；X证书于2025年底前转由人社部门管理"
                    "（人社厅函〔2025〕154号），故统计各类职业技能等级证书试点。"
                    "本项取自学分银行，不另行录入。"
                ),
                # the credit bank's 职业技能等级 schemes (the legacy X certificates and 人社
                # levels); its courses, training certificates and awards are not pilots
                credit_bank_schemes=("x-cert", "hrss"),
            ),
        ),
        exact_as_at_least=True,
        source=f"{PLAN} 重点任务（八）（九）（十）；“=”按“至少”读为{EXAMPLE}",
        note="方案“4个专业成为市级品牌专业”按目标而非上限理解，超过亦视为达成（示例参数）。",
    )


@dataclass(frozen=True)
class PlanTarget:
    """A target as the plan states it (gaodi.plans.models.Target)."""

    clause: str
    phrase: str
    value: Decimal
    measure: str
    comparator: str
    subject: str = ""


@dataclass(frozen=True)
class Achievement:
    """One achievement: approved_on None = not yet approved (待批准)."""

    kind: str
    name: str
    school: str
    approved_on: date | None
    doc_number: str = ""


@dataclass(frozen=True)
class Tally:
    """One kind counted as of a day against its target, with the working."""

    kind: str
    kind_name: str
    clause: str
    as_of: date
    target: PlanTarget | None
    count: int
    counted: tuple[str, ...]
    excluded: tuple[str, ...]
    status: str
    kind_set_code: str
    kind_set_version: int
    kind_set_effective_from: date
    steps: tuple[str, ...]

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def to_json(self) -> dict[str, Any]:
        return record(self)


def find_target(kind: Kind, targets: Iterable[PlanTarget]) -> PlanTarget | None:
    """The first of the plan's targets the kind's match accepts."""
    return next((target for target in targets if kind.match.matches(target)), None)


def tally(
    kinds: KindSet,
    achievements: Sequence[Achievement],
    targets: Sequence[PlanTarget],
    as_of: date,
) -> list[Tally]:
    """Each kind of the set counted as of `as_of` against the plan's target, in the set's order."""
    return [_tally(kind, kinds, achievements, targets, as_of) for kind in kinds.kinds]


def _tally(
    kind: Kind,
    kinds: KindSet,
    achievements: Sequence[Achievement],
    targets: Sequence[PlanTarget],
    as_of: date,
) -> Tally:
    mine = [a for a in achievements if a.kind == kind.code]
    counted = [a for a in mine if a.approved_on is not None and a.approved_on <= as_of]
    excluded = [a for a in mine if a not in counted]
    steps = [credit_bank_rule(kind)] if kind.from_credit_bank else []
    for a in counted:
        steps.append(
            _("计入：{school}“{name}”，{day}批准{doc}").format(
                school=a.school,
                name=a.name,
                day=a.approved_on.isoformat(),  # type: ignore[union-attr]
                doc=_("（{doc}）").format(doc=a.doc_number) if a.doc_number else "",
            )
        )
    for a in excluded:
        why = (
            _("尚未批准")
            if a.approved_on is None
            else _("{day}批准，晚于统计日").format(day=a.approved_on.isoformat())
        )
        steps.append(
            _("不计入：{school}“{name}”，{why}").format(school=a.school, name=a.name, why=why)
        )
    count = len(counted)
    steps.append(_("截至{day}共 {count} 个").format(day=as_of.isoformat(), count=count))
    target = find_target(kind, targets)
    if target is None:
        status = NO_TARGET
        steps.append(_("方案中没有{match}的目标：计划未设目标").format(match=kind.match.describe()))
    else:
        status, sentence = _judge(count, target, kinds.exact_as_at_least)
        steps.append(
            _("方案目标：{clause}“{phrase}”（{comparator} {value} {measure}）").format(
                clause=target.clause,
                phrase=target.phrase,
                comparator=COMPARATOR_TEXT.get(target.comparator, target.comparator),
                value=number(target.value),
                measure=target.measure,
            )
        )
        steps.append(sentence)
    return Tally(
        kind=kind.code,
        kind_name=kind.name,
        clause=kind.clause,
        as_of=as_of,
        target=target,
        count=count,
        counted=tuple(a.name for a in counted),
        excluded=tuple(a.name for a in excluded),
        status=status,
        kind_set_code=kinds.code,
        kind_set_version=kinds.version,
        kind_set_effective_from=kinds.effective_from,
        steps=tuple(str(step) for step in steps),
    )


def _judge(count: int, target: PlanTarget, exact_as_at_least: bool) -> tuple[str, str]:
    value, shown = target.value, number(target.value)
    comparator = target.comparator
    note = ""
    if comparator == "=" and exact_as_at_least:
        comparator = ">="
        note = str(_("（“=”按“至少”理解，{example}参数）").format(example=EXAMPLE))
    elif comparator == "~":
        comparator = ">="
        note = str(_("（“约”按“不少于”理解）"))
    holds = {
        ">=": count >= value,
        "<=": count <= value,
        "=": count == value,
    }.get(comparator, False)
    status = MET if holds else NOT_MET
    if comparator == ">=":
        relation = "≥" if holds else "<"
    elif comparator == "<=":
        relation = "≤" if holds else ">"
    else:
        relation = "=" if holds else "≠"
    sentence = _("{count} {relation} {target}{note}：{status}").format(
        count=count, relation=relation, target=shown, note=note, status=STATUS_LABELS[status]
    )
    if status == NOT_MET and comparator == ">=":
        sentence = _("{sentence}，尚差 {gap} {measure}").format(
            sentence=sentence, gap=number(value - count), measure=target.measure
        )
    return status, str(sentence)


def explain(found: Tally, plan: str = PLAN) -> list[str]:
    """The working as sentences, then the basis — the plan's document number (the reference
    plan's by default) and clause — with the kind set version."""
    return [
        *found.steps,
        _("依据：{plan} {clause}（成果类别集 {code} 第 {version} 版，{day} 起施行）").format(
            plan=plan,
            clause=found.clause,
            code=found.kind_set_code,
            version=found.kind_set_version,
            day=found.kind_set_effective_from.isoformat(),
        ),
    ]


# --- pilots counted from the credit bank ----------------------------------------------------


@dataclass(frozen=True)
class CreditBankOutcome:
    """A learning outcome held at one of the plan's schools, as the pilot count reads it:
    `recognised_on` is the day its recognition (认定) was decided in its favour, None while it
    is not (yet) recognised."""

    scheme_code: str
    scheme_name: str
    unit_code: str
    unit_name: str
    school: str
    recognised_on: date | None


def credit_bank_pilots(kind: Kind, outcomes: Iterable[CreditBankOutcome]) -> list[Achievement]:
    """The pilots of a credit-bank kind: one per 认证单元 (certificate type, e.g. one X
    certificate) of the kind's schemes that learners of the plan's schools hold, "approved" on
    the first day one of its outcomes was recognised (None — 待批准 — while none is). Outcomes of
    other schemes (courses, training certificates, awards) are not pilots."""
    units: dict[tuple[str, str], list[CreditBankOutcome]] = {}
    for outcome in outcomes:
        if outcome.scheme_code in kind.credit_bank_schemes:
            units.setdefault((outcome.scheme_code, outcome.unit_code), []).append(outcome)
    pilots = []
    for (_scheme, _unit), held in sorted(units.items()):
        days = sorted(o.recognised_on for o in held if o.recognised_on is not None)
        first = next((o for o in held if days and o.recognised_on == days[0]), held[0])
        pilots.append(
            Achievement(
                kind.code,
                str(_("{scheme}：{unit}").format(scheme=first.scheme_name, unit=first.unit_name)),
                first.school,
                days[0] if days else None,
                str(_("学分银行认定")) if days else "",
            )
        )
    return pilots


def credit_bank_rule(kind: Kind) -> str:
    """The definition, as the first sentence of the working."""
    return str(
        _(
            "本项取自学分银行，不另行录入：证书体系 {schemes} 下每个认证单元（一种证书）算一项"
            "试点；本方案所辖学校有学习者持有该证书即列出，其中最早一张经认定通过之日为批准日期，"
            "尚无认定通过的不计入；学历教育课程、培训证书、技能大赛获奖等其他体系不计。"
        ).format(schemes="、".join(kind.credit_bank_schemes))
    )
