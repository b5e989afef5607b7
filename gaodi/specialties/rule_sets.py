"""The district defines its own 专业预警 rule set (issue 7 §1, "let the district define its own"):
the flat fields of the rule-set form to and from warning.Rule / warning.RuleSet, pure.

重点任务（八）: "建立专业预警和退出机制，引导学校对设置重复、招生就业连续不达标专业及时调减或停止
招生。" The plan leaves the numbers to the district. The form shows each rule as one row of
plain fields: up to two conditions (`MAX_CONDITIONS`, enough for every preset: 吉林市's rule is
"不足计划30%或不足一个班"), the run length, the consequence, exemptions and the source. A rule
set is never edited: saving makes a new version with its own effective date, so results already
computed keep the version that produced them (warning.select_rule_set).

`fields_of_rule` and `rule_from_fields` are inverse for every rule the form can express;
test_rule_sets.py checks the round trip on every preset.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from gaodi.i18n import _
from gaodi.indicators.attainment import number

from .warning import (
    DEFAULT_MIN_PEERS,
    EMPLOYMENT_RANK_PERCENTILE,
    METRIC_LABELS,
    METRIC_UNITS,
    Condition,
    Rule,
    RuleError,
    RuleSet,
)

MAX_CONDITIONS = 2
_SHOWN = {"<=": "≤", ">=": "≥", "==": "="}
SEPARATORS = ("、", "，", ",", ";", "；")


def split_list(text: str) -> tuple[str, ...]:
    """'涉农、艺术, 老年服务' -> ('涉农', '艺术', '老年服务'): the list fields of the form."""
    for separator in SEPARATORS[1:]:
        text = text.replace(separator, SEPARATORS[0])
    return tuple(item.strip() for item in text.split(SEPARATORS[0]) if item.strip())


def fields_of_rule(rule: Rule) -> dict[str, Any]:
    """A rule as the flat fields of one row of the form (the initial values when copying)."""
    if len(rule.conditions) > MAX_CONDITIONS:
        raise RuleError(
            _("规则“{code}”有 {n} 个条件，表单最多编辑 {max} 个").format(
                code=rule.code, n=len(rule.conditions), max=MAX_CONDITIONS
            )
        )
    ranked = next(
        (c for c in rule.conditions if c.metric == EMPLOYMENT_RANK_PERCENTILE), rule.conditions[0]
    )
    fields: dict[str, Any] = {
        "code": rule.code,
        "name": rule.name,
        "level": rule.level,
        "consequence": rule.consequence,
        "consecutive_years": rule.consecutive_years,
        "match": rule.match,
        "min_peers": ranked.min_peers,
        "ties": ranked.ties,
        "exempt_classes": "、".join(rule.exempt_classes),
        "protect_new_years": rule.protect_new_years,
        "missing_breaks_run": rule.missing_breaks_run,
        "source": rule.source,
        "consequence_text": rule.consequence_text,
        "note": rule.note,
        "examples": "、".join(rule.examples),
    }
    for index in range(1, MAX_CONDITIONS + 1):
        condition = rule.conditions[index - 1] if index <= len(rule.conditions) else None
        fields[f"metric{index}"] = condition.metric if condition else ""
        fields[f"comparator{index}"] = condition.comparator if condition else ""
        fields[f"threshold{index}"] = condition.threshold if condition else None
    return fields


def rule_from_fields(fields: Mapping[str, Any]) -> Rule:
    """One row of the form as a Rule; RuleError (in Chinese) when the row cannot be a rule.

    A condition is used when its 指标 is chosen; a chosen 指标 needs its comparator and
    threshold. `min_peers` and `ties` apply to the rank metric only (elsewhere the defaults)."""
    code = str(fields.get("code") or "").strip()
    conditions = []
    for index in range(1, MAX_CONDITIONS + 1):
        metric = fields.get(f"metric{index}") or ""
        if not metric:
            continue
        comparator = fields.get(f"comparator{index}") or ""
        threshold = fields.get(f"threshold{index}")
        if not comparator or threshold in (None, ""):
            raise RuleError(
                _("规则“{code}”条件{n}：选了指标，还须填比较符和阈值").format(code=code, n=index)
            )
        ranked = metric == EMPLOYMENT_RANK_PERCENTILE
        conditions.append(
            Condition(
                metric=metric,
                comparator=comparator,
                threshold=Decimal(str(threshold)),
                min_peers=int(fields.get("min_peers") or DEFAULT_MIN_PEERS)
                if ranked
                else DEFAULT_MIN_PEERS,
                ties=(fields.get("ties") or "best") if ranked else "best",
            )
        )
    return Rule(
        code=code,
        name=str(fields.get("name") or "").strip() or code,
        level=fields.get("level") or "",
        conditions=tuple(conditions),
        consequence=fields.get("consequence") or "",
        consecutive_years=int(fields.get("consecutive_years") or 1),
        match=fields.get("match") or "all",
        exempt_classes=split_list(str(fields.get("exempt_classes") or "")),
        protect_new_years=int(fields.get("protect_new_years") or 0),
        missing_breaks_run=bool(fields.get("missing_breaks_run")),
        source=str(fields.get("source") or "").strip() or _("示例"),
        consequence_text=str(fields.get("consequence_text") or "").strip(),
        examples=split_list(str(fields.get("examples") or "")),
        note=str(fields.get("note") or "").strip(),
    )


def build_rule_set(
    *,
    code: str,
    name: str,
    version: int,
    effective_from: date,
    source: str,
    note: str,
    rows: Sequence[Mapping[str, Any]],
) -> RuleSet:
    """The rule set of the form, every row's problem listed at once (RuleError, joined by ；)."""
    rules: list[Rule] = []
    problems: list[str] = []
    for position, row in enumerate(rows, start=1):
        try:
            rules.append(rule_from_fields(row))
        except RuleError as error:
            problems.append(_("第 {n} 条规则：{error}").format(n=position, error=error))
    if not rows:
        problems.append(_("规则集至少要有一条规则"))
    if problems:
        raise RuleError("；".join(problems))
    return RuleSet(
        code=code.strip(),
        name=name.strip(),
        version=version,
        effective_from=effective_from,
        rules=tuple(rules),
        source=source.strip() or _("示例"),
        note=note.strip(),
    )


def next_version(versions: Sequence[int]) -> int:
    """The version a saved rule set gets: one more than the highest stored, 1 for a new code."""
    return max(versions, default=0) + 1


def describe(rule: Rule) -> str:
    """A rule in one Chinese sentence, for the list of rule sets:
    "中职专业招生 < 30 人，连续 3 年 → 调减（涉农、艺术除外）"."""
    joiner = _("且") if rule.match == "all" else _("或")
    tests = joiner.join(
        f"{METRIC_LABELS[c.metric]} {_SHOWN.get(c.comparator, c.comparator)} "
        f"{number(c.threshold)}{METRIC_UNITS.get(c.metric, '%')}"
        for c in rule.conditions
    )
    parts = [
        _("{level}专业{tests}，连续 {n} 年 → {consequence}").format(
            level=rule.level or _("各层次"),
            tests=tests,
            n=rule.consecutive_years,
            consequence=rule.consequence_label,
        )
    ]
    if rule.exempt_classes:
        parts.append(_("{classes}类除外").format(classes="、".join(rule.exempt_classes)))
    if rule.protect_new_years:
        parts.append(_("新设专业 {n} 年内不适用").format(n=rule.protect_new_years))
    parts.append(_("缺报年份中断连续") if rule.missing_breaks_run else _("缺报年份跳过"))
    return "；".join(parts)
