"""部门评分 (issue 5), the arithmetic: pure, no Django.

A department's score for a period is the weighted mean of a few components, each the share
of the records it counted that passed (100 × passed / counted). Every point is explained:
each component keeps the ids of the records it counted and of those that passed, so the
score can be recomputed from the records themselves (scorecards.py documents which records).

Only work done counts: reports on time, tasks on schedule, deadlines met, findings rectified
on time, and the indicators of the tasks a department leads meeting their targets. Never
clicks, log-ins or online time (不计点击、登录次数和在线时长): the 2024 rules against
指尖上的形式主义 forbid scoring those.

The weights are Gaodi defaults (示例), not rules of the plan; the work team may change them
(whole numbers from 0 to 100, at least one above 0: `check_weights`). They need not add up to
100: the total is a weighted mean.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from gaodi.i18n import _

REPORTS_ON_TIME = "reports_on_time"
TASKS_ON_SCHEDULE = "tasks_on_schedule"
DEADLINES_MET = "deadlines_met"
FINDINGS_RECTIFIED = "findings_rectified"
INDICATORS_ATTAINED = "indicators_attained"

LABELS = {  # the language is GAODI_LANGUAGE's, fixed for the process (gaodi.i18n)
    REPORTS_ON_TIME: _("进展报告按时报送"),
    TASKS_ON_SCHEDULE: _("牵头任务按进度推进（非红灯）"),
    DEADLINES_MET: _("任务时限按期完成"),
    FINDINGS_RECTIFIED: _("督查问题按期整改销号"),
    INDICATORS_ATTAINED: _("牵头任务指标达到年度目标值"),
}

# 示例 defaults (Gaodi's, not the plan's): the work of reporting and keeping to schedule
# weighs most, then deadlines, then 整改 and the indicators' results.
DEFAULT_WEIGHTS: dict[str, int] = {
    REPORTS_ON_TIME: 25,
    TASKS_ON_SCHEDULE: 25,
    DEADLINES_MET: 20,
    FINDINGS_RECTIFIED: 15,
    INDICATORS_ATTAINED: 15,
}
MAX_WEIGHT = 100

POINT = Decimal("0.1")


@dataclass(frozen=True)
class Component:
    """One part of a score: the records counted and those of them that passed."""

    name: str
    weight: int
    counted_ids: tuple[int, ...]
    passed_ids: tuple[int, ...]

    @property
    def counted(self) -> int:
        return len(self.counted_ids)

    @property
    def passed(self) -> int:
        return len(self.passed_ids)

    @property
    def score(self) -> Decimal | None:
        """100 × passed / counted, to 0.1; None when nothing was counted."""
        if not self.counted_ids:
            return None
        return _round(Decimal(100 * self.passed) / Decimal(self.counted))

    @property
    def label(self) -> str:
        return LABELS.get(self.name, self.name)


@dataclass(frozen=True)
class Explained:
    """A line of the explanation: the component with the weight actually used."""

    component: Component
    weight: int
    used: bool  # counted something and weighs more than 0

    @property
    def name(self) -> str:
        return self.component.name

    @property
    def score(self) -> Decimal | None:
        return self.component.score


def department_score(
    components: Iterable[Component], weights: Mapping[str, int] | None = None
) -> tuple[Decimal | None, list[Explained]]:
    """The weighted mean of the components that counted something (None if none did).

    `weights` overrides each component's own weight by name.
    """
    rows = []
    total = Decimal(0)
    weight_sum = 0
    for component in components:
        weight = (weights or {}).get(component.name, component.weight)
        score = component.score
        used = score is not None and weight > 0
        if used:
            total += score * weight  # type: ignore[operator]
            weight_sum += weight
        rows.append(Explained(component, weight, used))
    if weight_sum == 0:
        return None, rows
    return _round(total / weight_sum), rows


def _round(value: Decimal) -> Decimal:
    return value.quantize(POINT, rounding=ROUND_HALF_UP)


class WeightError(ValueError):
    """Weights that cannot be used; the message lists every problem, in Chinese."""


def check_weights(weights: Mapping[str, object]) -> dict[str, int]:
    """Every component's weight as a whole number from 0 to 100 (a form's "25" is 25), at
    least one above 0, in the order of DEFAULT_WEIGHTS. Raises WeightError naming each
    unknown component, missing weight or bad value."""
    problems = [
        _("没有名为“{name}”的评分项").format(name=name)
        for name in weights
        if name not in DEFAULT_WEIGHTS
    ]
    checked: dict[str, int] = {}
    for name in DEFAULT_WEIGHTS:
        value = _whole_number(weights.get(name))
        if value is None or not 0 <= value <= MAX_WEIGHT:
            label = LABELS[name]
            problems.append(_("“{label}”的权重须为 0 到 100 的整数").format(label=label))
        else:
            checked[name] = value
    if not problems and not any(checked.values()):
        problems.append(_("至少要有一项权重大于 0"))
    if problems:
        raise WeightError("；".join(problems))
    return checked


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        return int(value.strip())
    return None
