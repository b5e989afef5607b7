"""职业院校评价 (school evaluation, issue 7 §2), pure, no Django.

聊茌政发〔2020〕19号 重点任务（十八）: "建立职业院校评价标准，实行客户评价、同行评价、第三方评价的
评价标准，将校企合作、产教融合开展情况作为评估的重要内容……把第三方评价评估结果作为对相关院校
政策支持、绩效考核、表彰激励的重要参考。"

The plan names the three evaluations but gives no weights, and no source we hold does: every
weight is a parameter of a versioned, effective-dated `WeightSet` (the default, 客户 40 /
同行 30 / 第三方 30, is 示例). 校企合作、产教融合 (the clause's "重要内容") is an optional fourth
item: its weight is 0 in the default set, so it is shown but does not count until a district
gives it a weight.

How the composite is worked out — Gaodi defaults, each a parameter:

- Scores are 0–100. composite = Σ(weight × score) / Σ(weight), over the items with a weight
  above 0; weights need not add up to 100 (40/30/30 and 4/3/3 give the same composite).
- A missing score (未评) is not 0. With `missing="renormalise"` (示例 default) the composite is
  taken over the items present, their weights rescaled to the whole; with
  `missing="uncomputable"` one missing weighted item gives 无法计算. Fewer than `min_present`
  weighted items present gives 无法计算 either way; so does no weighted item at all.
- A set whose weights add up to 0 cannot be saved (no denominator).
- The composite is rounded to 0.1 (ROUND_HALF_UP); the ranking uses the rounded value, ties
  share the best place (1, 1, 3); a school without a composite is not ranked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from gaodi.i18n import _

from .versions import EXAMPLE, ParameterError, check_version, decimal, number, record, round_point

CUSTOMER, PEER, THIRD_PARTY, INTEGRATION = "customer", "peer", "third_party", "integration"
COMPONENTS = (CUSTOMER, PEER, THIRD_PARTY, INTEGRATION)
COMPONENT_LABELS = {
    CUSTOMER: _("客户评价"),
    PEER: _("同行评价"),
    THIRD_PARTY: _("第三方评价"),
    INTEGRATION: _("校企合作、产教融合"),
}
RENORMALISE, UNCOMPUTABLE = "renormalise", "uncomputable"
MISSING_RULES = (RENORMALISE, UNCOMPUTABLE)
MISSING_LABELS = {
    RENORMALISE: _("缺项时按已有各项重新归一权重"),
    UNCOMPUTABLE: _("缺任一计权项即无法计算"),
}
PLAN = "聊茌政发〔2020〕19号"  # the reference plan; a page passes its own plan's number
CLAUSE = "重点任务（十八）"
HUNDRED = Decimal(100)
OK = "ok"


@dataclass(frozen=True)
class WeightSet:
    """The weights of the composite, versioned and effective-dated. `weights` maps each
    component to a weight ≥ 0 (a missing component weighs 0)."""

    code: str
    name: str
    version: int
    effective_from: date
    weights: Mapping[str, Decimal]
    missing: str = RENORMALISE
    min_present: int = 1
    source: str = EXAMPLE
    note: str = ""

    def __post_init__(self) -> None:
        check_version(self.code, self.version)
        unknown = set(self.weights) - set(COMPONENTS)
        if unknown:
            raise ParameterError(_("没有名为“{name}”的评价项").format(name=sorted(unknown)[0]))
        if any(weight < 0 for weight in self.weights.values()):
            raise ParameterError(_("权重不能为负数"))
        if sum(self.weights.values(), Decimal(0)) <= 0:
            raise ParameterError(_("权重之和须大于 0，否则无法计算综合得分"))
        if self.missing not in MISSING_RULES:
            raise ParameterError(_("缺项规则须为 renormalise 或 uncomputable"))
        if self.min_present < 1:
            raise ParameterError(_("最少计权项数须至少为 1"))

    def weight(self, component: str) -> Decimal:
        return self.weights.get(component, Decimal(0))

    @property
    def weighted(self) -> tuple[str, ...]:
        return tuple(c for c in COMPONENTS if self.weight(c) > 0)

    @property
    def is_example(self) -> bool:
        return EXAMPLE in self.source

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> WeightSet:
        weights = {k: decimal(v, _("权重")) for k, v in data["weights"].items()}
        return cls(
            **{
                **data,
                "weights": weights,
                "effective_from": date.fromisoformat(data["effective_from"]),
            }
        )


def example_weights() -> WeightSet:
    """示例: 客户 40 / 同行 30 / 第三方 30, 校企合作、产教融合 0 (shown, not counted)."""
    return WeightSet(
        code="evaluation-example",
        name="职业院校评价综合得分（示例权重）",
        version=1,
        effective_from=date(2019, 1, 1),  # from the plan's 现有基础 year
        weights={
            CUSTOMER: Decimal(40),
            PEER: Decimal(30),
            THIRD_PARTY: Decimal(30),
            INTEGRATION: Decimal(0),
        },
        source=EXAMPLE,
        note=(
            "方案（十八）只列客户、同行、第三方三类评价，未给权重；"
            "校企合作、产教融合为“重要内容”，示例权重为 0，可另存新版本赋权。"
        ),
    )


@dataclass(frozen=True)
class Scores:
    """One school's scores for a year (None = 未评). Scores are 0–100."""

    school: str
    year: int
    customer: Decimal | None = None
    peer: Decimal | None = None
    third_party: Decimal | None = None
    integration: Decimal | None = None

    def __post_init__(self) -> None:
        for component in COMPONENTS:
            score = getattr(self, component)
            if score is not None and not (0 <= score <= HUNDRED):
                raise ParameterError(
                    _("{label}须在 0 到 100 之间").format(label=COMPONENT_LABELS[component])
                )

    def score(self, component: str) -> Decimal | None:
        value: Decimal | None = getattr(self, component)
        return value


@dataclass(frozen=True)
class Composite:
    """A school's composite for a year with the weight set version that produced it and the
    working: every item's score and weight, the sums, and the sentences."""

    school: str
    year: int
    value: Decimal | None  # None = 无法计算
    status: str  # ok / uncomputable
    weight_set_code: str
    weight_set_version: int
    weight_set_effective_from: date
    missing_rule: str
    items: tuple[tuple[str, str, str, str], ...]  # component, score ("" 未评), weight, used
    numerator: Decimal | None
    denominator: Decimal | None
    steps: tuple[str, ...]
    rank: int | None = None

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Composite:
        def maybe(value: Any) -> Decimal | None:
            return None if value is None else Decimal(value)

        return cls(
            **{
                **data,
                "value": maybe(data["value"]),
                "numerator": maybe(data["numerator"]),
                "denominator": maybe(data["denominator"]),
                "weight_set_effective_from": date.fromisoformat(data["weight_set_effective_from"]),
                "items": tuple(tuple(item) for item in data["items"]),
                "steps": tuple(data["steps"]),
            }
        )


def composite(scores: Scores, weights: WeightSet) -> Composite:
    """The composite of one school's scores with one weight set, with the working."""
    items = []
    present: list[str] = []
    missing: list[str] = []
    steps: list[str] = []
    for component in COMPONENTS:
        score, weight = scores.score(component), weights.weight(component)
        used = weight > 0 and score is not None
        items.append((component, "" if score is None else number(score), number(weight), used))
        if weight > 0:
            (present if score is not None else missing).append(component)
        elif score is not None:
            steps.append(
                _("{label} {score} 分，权重为 0，不计入").format(
                    label=COMPONENT_LABELS[component], score=number(score)
                )
            )
    labels = "、".join(str(COMPONENT_LABELS[c]) for c in missing)
    reason = ""
    if not present:
        reason = _("计权各项均未评，无法计算")
    elif missing and weights.missing == UNCOMPUTABLE:
        reason = _("{labels}未评，按“{rule}”无法计算").format(
            labels=labels, rule=MISSING_LABELS[UNCOMPUTABLE]
        )
    elif len(present) < weights.min_present:
        reason = _("已评计权项仅 {count} 项，少于 {least} 项，无法计算").format(
            count=len(present), least=weights.min_present
        )
    base: dict[str, Any] = {
        "school": scores.school,
        "year": scores.year,
        "weight_set_code": weights.code,
        "weight_set_version": weights.version,
        "weight_set_effective_from": weights.effective_from,
        "missing_rule": weights.missing,
        "items": tuple((c, s, w, "1" if u else "") for c, s, w, u in items),
    }
    if reason:
        steps.append(reason)
        return Composite(
            **base,
            value=None,
            status=UNCOMPUTABLE,
            numerator=None,
            denominator=None,
            steps=tuple(steps),
        )
    numerator = sum((weights.weight(c) * scores.score(c) for c in present), Decimal(0))  # type: ignore[operator]
    denominator = sum((weights.weight(c) for c in present), Decimal(0))
    value = round_point(numerator / denominator)
    terms = " + ".join(
        f"{number(weights.weight(c))}×{number(scores.score(c))}"  # type: ignore[arg-type]
        for c in present
    )
    weight_terms = " + ".join(number(weights.weight(c)) for c in present)
    if missing:
        steps.append(
            _("{labels}未评（不按 0 分计），按“{rule}”只用已评各项").format(
                labels=labels, rule=MISSING_LABELS[RENORMALISE]
            )
        )
    steps.append(
        _("综合得分 = ({terms}) ÷ ({weights}) = {num} ÷ {den} = {value}").format(
            terms=terms,
            weights=weight_terms,
            num=number(numerator),
            den=number(denominator),
            value=number(value),
        )
    )
    return Composite(
        **base,
        value=value,
        status=OK,
        numerator=numerator,
        denominator=denominator,
        steps=tuple(steps),
    )


def rank(composites: Sequence[Composite]) -> list[Composite]:
    """Highest composite first; ties share the best place (1, 1, 3); the uncomputable last,
    unranked, in the order given."""
    scored = sorted(
        (c for c in composites if c.value is not None),
        key=lambda c: -c.value,  # type: ignore[operator]
    )
    ranked: list[Composite] = []
    for index, found in enumerate(scored):
        place: int | None = index + 1
        if index and found.value == scored[index - 1].value:
            place = ranked[-1].rank
        ranked.append(replace(found, rank=place))
    return ranked + [c for c in composites if c.value is None]


def evaluate(scores: Iterable[Scores], weights: WeightSet) -> list[Composite]:
    """Every school's composite, ranked."""
    return rank([composite(found, weights) for found in scores])


def explain(found: Composite, plan: str = PLAN) -> list[str]:
    """The working as Chinese sentences: each item's score and weight, the arithmetic or why
    it cannot be done, the place, and the basis with the weight set version."""
    lines = []
    for component, score, weight, _used in found.items:
        shown = _("{score} 分").format(score=score) if score else _("未评")
        lines.append(
            _("{label}：{score}，权重 {weight}").format(
                label=COMPONENT_LABELS[component], score=shown, weight=weight
            )
        )
    lines.extend(found.steps)
    if found.rank is not None:
        lines.append(_("在同年参评学校中排第 {rank} 名").format(rank=found.rank))
    lines.append(
        _("依据：{plan} {clause}（权重集 {code} 第 {version} 版，{day} 起施行）").format(
            plan=plan,
            clause=CLAUSE,
            code=found.weight_set_code,
            version=found.weight_set_version,
            day=found.weight_set_effective_from.isoformat(),
        )
    )
    return lines
