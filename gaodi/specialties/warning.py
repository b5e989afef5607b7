"""专业预警和退出 (specialty warning and exit, issue 7 §1): the rule engine, pure, no Django.

重点任务（八）: "建立专业预警和退出机制，引导学校对设置重复、招生就业连续不达标专业及时调减或停止
招生。" The plan gives no numbers; the numbers come from a rule set (presets.py holds provincial
ones, each with its source, and a 示例 set for the district), and the district may define its own.

A rule set is data: versioned and effective-dated (`select_rule_set` picks the one in force on
a day), stored as JSON (`RuleSet.to_json` / `from_json`), and every finding records the rule set
code, version and effective date, and the rule's parameters, that produced it.

How a rule is judged for one specialty (a school's 专业点) as of a year — Gaodi defaults, each a
parameter where a district could want another reading:

- Each year from the specialty's first record to `as_of_year` is a step. A year
  *fails* when all of the rule's conditions hold that year (`match="all"`), or any of them
  (`match="any"`, e.g. 吉林市: 不足计划30%或不足一个班). Years after `as_of_year` are ignored.
- The rule is triggered when the failing years run `consecutive_years` long up to and
  including `as_of_year`: an old run that has ended does not trigger.
- A year without the data (缺报) breaks the run (`missing_breaks_run=True`); with False it is
  skipped, neither counted nor breaking. "No enrolment" must be recorded as 0: a missing year
  is unknown, not zero. A zero denominator (计划招生 0 人) gives 无法计算, never 0, and always
  breaks the run.
- Percentages (计划完成率, 就业率, 对口就业率, 位次百分位) are in percentage points, computed to
  0.1 (ROUND_HALF_UP); the rounded value shown is the one compared.
- 就业率位次百分位 (`employment_rank_percentile`): the specialty's 就业率 among its peers of the
  same level (中职/高职) with a 就业率 that year, itself included: 100 × (peers at or below it)
  / (peers). Tied specialties all take the best position among them (`ties="best"`, the
  benefit of the doubt: a tie never pushes more into the bottom than the share), or the worst
  (`ties="worst"`). Fewer than `min_peers` peers with data (示例 5) gives 无法计算.
- Exemptions: a specialty of an exempt class (`exempt_classes`, e.g. 涉农) and a new major
  within `protect_new_years` years of opening (开设当年为第1年) are worked out in full but
  marked exempted, with the reason; they do not count towards the decision.
- The most severe consequence of the rules that fired wins (撤销 > 停招 > 调减 > 预警,
  `decision`); every finding is kept, fired first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from gaodi.i18n import _
from gaodi.indicators.attainment import number

HUNDRED = Decimal(100)
POINT = Decimal("0.1")

# Consequences, least severe first (the order is the severity).
WARN, CUT, STOP, WITHDRAW = "warn", "cut", "stop", "withdraw"
CONSEQUENCES = (WARN, CUT, STOP, WITHDRAW)
CONSEQUENCE_LABELS = {WARN: _("预警"), CUT: _("调减"), STOP: _("停招"), WITHDRAW: _("撤销")}

ENROLMENT = "enrolment"
PLAN_COMPLETION = "plan_completion"
EMPLOYMENT_RATE = "employment_rate"
EMPLOYMENT_RANK_PERCENTILE = "employment_rank_percentile"
COUNTERPART_RATE = "counterpart_rate"
METRICS = (
    ENROLMENT,
    PLAN_COMPLETION,
    EMPLOYMENT_RATE,
    EMPLOYMENT_RANK_PERCENTILE,
    COUNTERPART_RATE,
)
METRIC_LABELS = {
    ENROLMENT: _("招生"),
    PLAN_COMPLETION: _("招生计划完成率"),
    EMPLOYMENT_RATE: _("就业率"),
    EMPLOYMENT_RANK_PERCENTILE: _("就业率位次百分位"),
    COUNTERPART_RATE: _("对口就业率"),
}
METRIC_UNITS = {ENROLMENT: _(" 人")}  # every other metric is a percentage

# A comparator and the one that holds when it does not (for the working's sentences).
COMPARATORS = {"<": "≥", "<=": ">", "==": "≠", ">": "≤", ">=": "<"}
LEVELS = ("中职", "高职", "")  # "" = a rule for every level
MATCHES = ("all", "any")
TIES = ("best", "worst")
DEFAULT_MIN_PEERS = 5  # 示例: fewer peers with data than this are not ranked

MET, NOT_MET, MISSING, UNCOMPUTABLE = "met", "not_met", "missing", "uncomputable"
SKIPPED = "skipped"  # a missing year with missing_breaks_run=False
EXEMPT_CLASS, NEW_MAJOR = "class", "new_major"


class RuleError(ValueError):
    """A rule or rule set that cannot be used; the message says why, in Chinese."""


# Inputs


@dataclass(frozen=True)
class OfferingYear:
    """One school year of a 专业点: the numbers the school reported (None = not reported).
    Rates are in percentage points (92.5 means 92.5 %)."""

    year: int
    planned_enrolment: int | None = None  # 招生计划
    enrolment: int | None = None  # 实际招生 (0 when none enrolled)
    students: int | None = None  # 在校生
    graduates: int | None = None  # 毕业生
    employment_rate: Decimal | None = None  # 就业率 / 初次毕业去向落实率
    counterpart_rate: Decimal | None = None  # 对口就业率


@dataclass(frozen=True)
class SpecialtyHistory:
    """A school's 专业点 and its years. `specialty_class` is matched against a rule's
    exemptions (涉农, 艺术, 老年服务, 健康服务, 其他...); `level` is 中职 or 高职."""

    school: str
    specialty_code: str
    specialty_name: str
    specialty_class: str
    level: str
    opened_year: int | None
    years: tuple[OfferingYear, ...]

    def __post_init__(self) -> None:
        seen = [offering.year for offering in self.years]
        if len(set(seen)) != len(seen):
            raise ValueError(_("同一专业点同一年份只能有一条记录"))

    @property
    def key(self) -> tuple[str, str]:
        return (self.school, self.specialty_code)

    def year(self, year: int) -> OfferingYear | None:
        return next((offering for offering in self.years if offering.year == year), None)


# Rules


@dataclass(frozen=True)
class Condition:
    """A test of one metric in one year: `metric comparator threshold` (招生 < 30).
    `min_peers` and `ties` only matter to the rank metric."""

    metric: str
    comparator: str
    threshold: Decimal
    min_peers: int = DEFAULT_MIN_PEERS
    ties: str = "best"

    def __post_init__(self) -> None:
        if self.metric not in METRICS:
            raise RuleError(_("没有名为“{metric}”的指标").format(metric=self.metric))
        if self.comparator not in COMPARATORS:
            raise RuleError(_("比较符须为 <、<=、==、>、>= 之一"))
        if self.ties not in TIES or self.min_peers < 1:
            raise RuleError(_("并列处理须为 best 或 worst，最少同类专业数须至少为 1"))

    def to_json(self) -> dict[str, Any]:
        return _record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Condition:
        return cls(**{**data, "threshold": _decimal(data["threshold"])})


@dataclass(frozen=True)
class Rule:
    """One rule: when its conditions hold `consecutive_years` running, `consequence` follows.

    `source` is the document and article, or 示例; `examples` names the parameters that are
    Gaodi's 示例 rather than the source's (e.g. "threshold"); `consequence_text` keeps the
    source's own wording (调整, 调减或停止招生) where it differs from the four consequences.
    """

    code: str
    name: str
    level: str
    conditions: tuple[Condition, ...]
    consequence: str
    consecutive_years: int = 1
    match: str = "all"
    exempt_classes: tuple[str, ...] = ()
    protect_new_years: int = 0
    missing_breaks_run: bool = True
    source: str = "示例"
    consequence_text: str = ""
    examples: tuple[str, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        problems = []
        if not self.code:
            problems.append(_("规则须有编号"))
        if not self.conditions:
            problems.append(_("规则“{code}”至少要有一个条件").format(code=self.code))
        if self.consequence not in CONSEQUENCES:
            problems.append(_("处理结果须为预警、调减、停招或撤销"))
        if self.level not in LEVELS or self.match not in MATCHES:
            problems.append(_("层次须为中职或高职，条件组合须为 all 或 any"))
        if self.consecutive_years < 1 or self.protect_new_years < 0:
            problems.append(_("连续年数须至少为 1，新设专业保护年数不能为负"))
        if problems:
            raise RuleError("；".join(problems))

    @property
    def consequence_label(self) -> str:
        return CONSEQUENCE_LABELS[self.consequence]

    def to_json(self) -> dict[str, Any]:
        return _record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rule:
        conditions = tuple(Condition.from_json(item) for item in data["conditions"])
        return cls(
            **{
                **data,
                "conditions": conditions,
                "exempt_classes": tuple(data.get("exempt_classes", ())),
                "examples": tuple(data.get("examples", ())),
            }
        )


@dataclass(frozen=True)
class RuleSet:
    """A versioned, effective-dated set of rules (a province's, or the district's own)."""

    code: str
    name: str
    version: int
    effective_from: date
    rules: tuple[Rule, ...]
    source: str = "示例"
    note: str = ""

    def __post_init__(self) -> None:
        codes = [rule.code for rule in self.rules]
        if not self.code or self.version < 1:
            raise RuleError(_("规则集须有编号，版本号须至少为 1"))
        if len(set(codes)) != len(codes):
            raise RuleError(_("规则集“{code}”中的规则编号重复").format(code=self.code))

    def to_json(self) -> dict[str, Any]:
        return _record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RuleSet:
        rules = tuple(Rule.from_json(item) for item in data["rules"])
        effective_from = date.fromisoformat(data["effective_from"])
        return cls(**{**data, "rules": rules, "effective_from": effective_from})


def select_rule_set(
    rule_sets: Iterable[RuleSet], as_of: date, code: str | None = None
) -> RuleSet | None:
    """The rule set in force on `as_of`: the highest version effective on or before that day
    (of the given code, if any); None when none is in force yet."""
    in_force = [
        rule_set
        for rule_set in rule_sets
        if rule_set.effective_from <= as_of and code in (None, rule_set.code)
    ]
    return max(in_force, key=lambda chosen: (chosen.version, chosen.effective_from), default=None)


# Results


@dataclass(frozen=True)
class Check:
    """One condition in one year: the inputs, the computed value, the outcome and its
    sentence (招生 24 人 < 30 人)."""

    metric: str
    inputs: dict[str, str]
    value: Decimal | None
    outcome: str  # met / not_met / missing / uncomputable
    text: str

    def to_json(self) -> dict[str, Any]:
        return _record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Check:
        value = None if data["value"] is None else _decimal(data["value"])
        return cls(**{**data, "inputs": dict(data["inputs"]), "value": value})


@dataclass(frozen=True)
class Step:
    """One year of the working: its checks, whether the year failed (met), did not (not_met),
    broke the run (missing / uncomputable) or was skipped, and the run's length after it."""

    year: int
    checks: tuple[Check, ...]
    outcome: str
    run: int

    def to_json(self) -> dict[str, Any]:
        return _record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Step:
        checks = tuple(Check.from_json(item) for item in data["checks"])
        return cls(**{**data, "checks": checks})


@dataclass(frozen=True)
class Finding:
    """A rule judged for one specialty as of a year, with the rule (its parameters) and the
    rule set version that produced it, and the whole working."""

    rule: Rule
    rule_set_code: str
    rule_set_version: int
    rule_set_effective_from: date
    school: str
    specialty_code: str
    specialty_name: str
    as_of_year: int
    triggered: bool
    years: tuple[int, ...]  # the failing years of the run that ends at as_of_year
    steps: tuple[Step, ...]
    exempted: bool = False
    exemption: str = ""  # class / new_major
    exemption_text: str = ""

    @property
    def fired(self) -> bool:
        """Triggered and not exempted: counts towards the decision."""
        return self.triggered and not self.exempted

    @property
    def consequence(self) -> str:
        return self.rule.consequence

    @property
    def run(self) -> int:
        return self.steps[-1].run if self.steps else 0

    def to_json(self) -> dict[str, Any]:
        return _record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            **{
                **data,
                "rule": Rule.from_json(data["rule"]),
                "rule_set_effective_from": date.fromisoformat(data["rule_set_effective_from"]),
                "years": tuple(data["years"]),
                "steps": tuple(Step.from_json(item) for item in data["steps"]),
            }
        )


# Evaluation


def evaluate(
    history: SpecialtyHistory,
    rule_set: RuleSet,
    peers: Sequence[SpecialtyHistory] = (),
    as_of_year: int | None = None,
) -> list[Finding]:
    """Every rule of the set that applies to the specialty's level, judged as of `as_of_year`
    (default: its latest year of data): fired findings first, most severe first, then the
    exempted, then those not triggered, each group in the rule set's order.

    `peers` are the specialties the rank metric compares with (the same scope); those of
    another level are left out, and the specialty itself is always among them.
    """
    if as_of_year is None:
        as_of_year = max((offering.year for offering in history.years), default=0)
    same_level = _peers(history, peers)
    findings = [
        _judge(history, rule, rule_set, same_level, as_of_year)
        for rule in rule_set.rules
        if rule.level in ("", history.level)
    ]
    return sorted(findings, key=_order)


def decision(findings: Iterable[Finding]) -> Finding | None:
    """The finding whose consequence wins: the most severe of those fired (撤销 > 停招 >
    调减 > 预警); the first in order among equals; None when none fired."""
    fired = [finding for finding in findings if finding.fired]
    return max(fired, key=lambda finding: _severity(finding.consequence), default=None)


def _order(finding: Finding) -> tuple[int, int]:
    if finding.fired:
        return (0, -_severity(finding.consequence))
    return (1 if finding.triggered else 2, 0)


def _severity(consequence: str) -> int:
    return CONSEQUENCES.index(consequence)


def _peers(
    history: SpecialtyHistory, peers: Sequence[SpecialtyHistory]
) -> tuple[SpecialtyHistory, ...]:
    chosen = {peer.key: peer for peer in peers if peer.level == history.level}
    chosen[history.key] = history
    return tuple(chosen.values())


def _judge(
    history: SpecialtyHistory,
    rule: Rule,
    rule_set: RuleSet,
    peers: tuple[SpecialtyHistory, ...],
    as_of_year: int,
) -> Finding:
    steps = _steps(history, rule, peers, as_of_year)
    run = steps[-1].run if steps else 0
    years = tuple(step.year for step in steps if step.outcome == MET)[-run:] if run else ()
    exemption, exemption_text = _exemption(history, rule, as_of_year)
    return Finding(
        rule=rule,
        rule_set_code=rule_set.code,
        rule_set_version=rule_set.version,
        rule_set_effective_from=rule_set.effective_from,
        school=history.school,
        specialty_code=history.specialty_code,
        specialty_name=history.specialty_name,
        as_of_year=as_of_year,
        triggered=run >= rule.consecutive_years,
        years=years,
        steps=tuple(steps),
        exempted=bool(exemption),
        exemption=exemption,
        exemption_text=exemption_text,
    )


def _exemption(history: SpecialtyHistory, rule: Rule, as_of_year: int) -> tuple[str, str]:
    if history.specialty_class in rule.exempt_classes:
        text = _("{cls}类专业不适用本条（豁免）").format(cls=history.specialty_class)
        return EXEMPT_CLASS, text
    opened, years = history.opened_year, rule.protect_new_years
    if years and opened is not None and as_of_year < opened + years:
        text = _("{opened}年新设专业，{year}年为开设第 {nth} 年，未满 {years} 年不予撤销调整")
        nth = as_of_year - opened + 1
        return NEW_MAJOR, text.format(opened=opened, year=as_of_year, nth=nth, years=years)
    return "", ""


def _steps(
    history: SpecialtyHistory, rule: Rule, peers: tuple[SpecialtyHistory, ...], as_of_year: int
) -> list[Step]:
    """One step a year, from the first year with a record (the opening year only decides the
    protection: the years before the first record are not listed as gaps) to as_of_year."""
    known = [offering.year for offering in history.years if offering.year <= as_of_year]
    steps: list[Step] = []
    run = 0
    for year in range(min(known, default=as_of_year), as_of_year + 1):
        checks = tuple(_check(history, condition, peers, year) for condition in rule.conditions)
        outcome = _year_outcome(checks, rule)
        if outcome == MET:
            run += 1
        elif outcome != SKIPPED:
            run = 0
        steps.append(Step(year, checks, outcome, run))
    return steps


def _year_outcome(checks: tuple[Check, ...], rule: Rule) -> str:
    """A year fails (met) when all (or any) conditions hold. A known answer wins over a gap:
    under "any" one condition that holds is enough, under "all" one that does not is enough,
    even if another cannot be computed; otherwise the gap decides (it breaks the run)."""
    outcomes = [check.outcome for check in checks]
    decisive = MET if rule.match == "any" else NOT_MET
    if decisive in outcomes:
        return decisive
    if UNCOMPUTABLE in outcomes:
        return UNCOMPUTABLE
    if MISSING in outcomes:
        return MISSING if rule.missing_breaks_run else SKIPPED
    return NOT_MET if decisive == MET else MET


def _check(
    history: SpecialtyHistory, condition: Condition, peers: tuple[SpecialtyHistory, ...], year: int
) -> Check:
    offering = history.year(year) or OfferingYear(year)
    if condition.metric == PLAN_COMPLETION:
        return _plan_completion(offering, condition)
    if condition.metric == EMPLOYMENT_RANK_PERCENTILE:
        return _rank_percentile(history, offering, condition, peers)
    raw = getattr(offering, condition.metric)
    inputs = {condition.metric: _text(raw)}
    if condition.metric == EMPLOYMENT_RATE:
        inputs["graduates"] = _text(offering.graduates)
    if raw is None:
        return _missing(condition.metric, inputs)
    value = Decimal(raw) if condition.metric == ENROLMENT else _round(Decimal(raw))
    return _compare(condition, inputs, value)


def _plan_completion(offering: OfferingYear, condition: Condition) -> Check:
    """招生计划完成率 = 100 × 实际招生 / 招生计划."""
    planned, enrolled = offering.planned_enrolment, offering.enrolment
    inputs = {"planned_enrolment": _text(planned), "enrolment": _text(enrolled)}
    if planned is None or enrolled is None:
        return _missing(PLAN_COMPLETION, inputs)
    if planned == 0:
        text = _("招生计划 0 人，计划完成率无法计算")
        return Check(PLAN_COMPLETION, inputs, None, UNCOMPUTABLE, text)
    value = _round(HUNDRED * enrolled / planned)
    check = _compare(condition, inputs, value)
    text = _("招生 {enrolled} 人 / 计划 {planned} 人，{comparison}").format(
        enrolled=enrolled, planned=planned, comparison=check.text
    )
    return Check(PLAN_COMPLETION, inputs, value, check.outcome, text)


def _rank_percentile(
    history: SpecialtyHistory,
    offering: OfferingYear,
    condition: Condition,
    peers: tuple[SpecialtyHistory, ...],
) -> Check:
    """100 × (peers with a 就业率 at or below this one) / (peers with a 就业率 that year),
    ties sharing the best (or worst) position among them."""
    own = offering.employment_rate
    rates = [rate for peer in peers if (rate := _rate(peer, offering.year)) is not None]
    inputs = {"employment_rate": _text(own), "peers": str(len(rates))}
    if own is None:
        return _missing(EMPLOYMENT_RANK_PERCENTILE, inputs)
    if len(rates) < condition.min_peers:
        text = _("同层次有该年就业率的专业仅 {count} 个，少于 {least} 个，不排位次，无法计算")
        text = text.format(count=len(rates), least=condition.min_peers)
        return Check(EMPLOYMENT_RANK_PERCENTILE, inputs, None, UNCOMPUTABLE, text)
    below = sum(1 for rate in rates if rate < own)
    tied = sum(1 for rate in rates if rate == own)
    position = below + tied if condition.ties == "best" else below + 1
    inputs.update(position=str(position), tied=str(tied))
    value = _round(HUNDRED * position / len(rates))
    check = _compare(condition, inputs, value)
    tie_text = ""
    if tied > 1:
        rule_text = _("取其中最高位次") if condition.ties == "best" else _("取其中最低位次")
        tie_text = _("（{tied} 个专业并列，{rule}）").format(tied=tied, rule=rule_text)
    text = _(
        "就业率 {rate}% 在 {count} 个同层次专业中由低到高排第 {position} 位{ties}，{comparison}"
    )
    text = text.format(
        rate=number(own), count=len(rates), position=position, ties=tie_text, comparison=check.text
    )
    return Check(EMPLOYMENT_RANK_PERCENTILE, inputs, value, check.outcome, text)


def _rate(history: SpecialtyHistory, year: int) -> Decimal | None:
    offering = history.year(year)
    return None if offering is None else offering.employment_rate


def _compare(condition: Condition, inputs: dict[str, str], value: Decimal) -> Check:
    holds = _holds(value, condition.comparator, condition.threshold)
    unit = METRIC_UNITS.get(condition.metric, "%")
    comparator = condition.comparator if holds else COMPARATORS[condition.comparator]
    text = _("{metric} {value}{unit} {comparator} {threshold}{unit}").format(
        metric=METRIC_LABELS[condition.metric],
        value=number(value),
        unit=unit,
        comparator=comparator.replace("<=", "≤").replace(">=", "≥").replace("==", "="),
        threshold=number(condition.threshold),
    )
    return Check(condition.metric, inputs, value, MET if holds else NOT_MET, text)


def _holds(value: Decimal, comparator: str, threshold: Decimal) -> bool:
    return {
        "<": value < threshold,
        "<=": value <= threshold,
        "==": value == threshold,
        ">": value > threshold,
        ">=": value >= threshold,
    }[comparator]


def _missing(metric: str, inputs: dict[str, str]) -> Check:
    text = _("无{metric}数据（未报送）").format(metric=METRIC_LABELS[metric])
    return Check(metric, inputs, None, MISSING, text)


# The working, in sentences


def explain(finding: Finding) -> list[str]:
    """The working as Chinese sentences for the page: the run (2019年招生 24 人 < 30 人；…：
    连续 3 年，触发“调减”), or what stopped it, then any exemption, then the basis."""
    rule = finding.rule
    run_steps = [step for step in finding.steps if step.year in finding.years]
    run_text = "；".join(_step_text(step) for step in run_steps)
    consequence = _consequence_text(rule)
    if finding.triggered:
        text = _("{run}：连续 {n} 年，触发{consequence}")
        lines = [text.format(run=run_text, n=len(run_steps), consequence=consequence)]
    else:
        lines = [_not_triggered(finding, run_steps, run_text)]
    if finding.exempted:
        lines.append(finding.exemption_text)
    lines.append(
        _("依据：{source}（规则集 {code} 第 {version} 版，{day} 起施行）").format(
            source=rule.source,
            code=finding.rule_set_code,
            version=finding.rule_set_version,
            day=finding.rule_set_effective_from.isoformat(),
        )
    )
    return lines


def _not_triggered(finding: Finding, run_steps: list[Step], run_text: str) -> str:
    needed = finding.rule.consecutive_years
    stop = _stopping_step(finding, run_steps)
    stop_text = _step_text(stop) if stop else ""
    if stop is not None and stop.outcome in (MISSING, UNCOMPUTABLE):
        stop_text = _("{text}，连续计数中断").format(text=stop_text)
    if not run_steps:
        stop_text = stop_text or _("截至{year}年各年均无可计数据").format(year=finding.as_of_year)
        return _("{stop}：未触发").format(stop=stop_text)
    parts = [part for part in (stop_text, run_text) if part]
    return _("{run}：连续 {n} 年，不足 {needed} 年，未触发").format(
        run="；".join(parts), n=len(run_steps), needed=needed
    )


def _stopping_step(finding: Finding, run_steps: list[Step]) -> Step | None:
    """The last year before the run that was not skipped (the one that ended the count)."""
    first = run_steps[0].year if run_steps else finding.as_of_year + 1
    earlier = [step for step in finding.steps if step.year < first and step.outcome != SKIPPED]
    return earlier[-1] if earlier else None


def _step_text(step: Step) -> str:
    return _("{year}年{checks}").format(
        year=step.year, checks="，".join(check.text for check in step.checks)
    )


def _consequence_text(rule: Rule) -> str:
    if rule.consequence_text and rule.consequence_text != rule.consequence_label:
        return _("“{label}”（原文：{text}）").format(
            label=rule.consequence_label, text=rule.consequence_text
        )
    return _("“{label}”").format(label=rule.consequence_label)


def _record(value: Any) -> dict[str, Any]:
    """A dataclass as a JSON-ready dict, field by field."""
    return {item.name: _json(getattr(value, item.name)) for item in fields(value)}


def _json(value: Any) -> Any:
    """A JSON-ready copy: dataclasses as dicts, tuples as lists, Decimal as text (exact),
    dates as ISO text."""
    if is_dataclass(value) and not isinstance(value, type):
        return _record(value)
    if isinstance(value, tuple | list):
        return [_json(item) for item in value]
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _round(value: Decimal) -> Decimal:
    return value.quantize(POINT, rounding=ROUND_HALF_UP)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _decimal(value: object) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise RuleError(_("阈值“{value}”不是数字").format(value=value)) from None
