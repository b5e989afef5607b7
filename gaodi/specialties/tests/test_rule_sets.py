"""The rule-set form's pure part: rows to rules and back, every problem at once, in words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from gaodi.specialties.presets import all_presets, autonomous_region_2023, jilin_city_2013
from gaodi.specialties.rule_sets import (
    build_rule_set,
    describe,
    fields_of_rule,
    next_version,
    rule_from_fields,
    split_list,
)
from gaodi.specialties.warning import (
    CUT,
    ENROLMENT,
    Condition,
    OfferingYear,
    Rule,
    RuleError,
    SpecialtyHistory,
    evaluate,
)


@pytest.mark.parametrize(
    "rule", [rule for preset in all_presets() for rule in preset.rules], ids=lambda r: r.code
)
def test_every_preset_rule_survives_the_form_unchanged(rule: Rule) -> None:
    assert rule_from_fields(fields_of_rule(rule)) == rule


def test_the_region_rule_in_words_names_threshold_run_exemptions_and_protection() -> None:
    rule = autonomous_region_2023().rules[0]
    text = describe(rule)
    assert text.startswith("中职专业招生 < 30 人，连续 3 年 → 调减")
    assert "涉农、艺术、老年服务、健康服务类除外" in text
    assert "新设专业 5 年内不适用" in text
    assert "缺报年份中断连续" in text


def test_an_or_rule_reads_with_or() -> None:
    rule = jilin_city_2013().rules[0]
    assert rule.match == "any"
    assert "或" in describe(rule) and "招生计划完成率 < 30%" in describe(rule)


def row(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "code": "enrol-30",
        "name": "招生不足30人",
        "level": "中职",
        "consequence": CUT,
        "consecutive_years": 2,
        "match": "all",
        "metric1": ENROLMENT,
        "comparator1": "<",
        "threshold1": Decimal(30),
        "metric2": "",
        "comparator2": "",
        "threshold2": None,
        "exempt_classes": "涉农，艺术",
        "protect_new_years": 0,
        "missing_breaks_run": True,
        "source": "",
    }
    base.update(changes)
    return base


def test_a_row_without_a_source_is_labelled_example_and_lists_split_on_any_comma() -> None:
    rule = rule_from_fields(row())
    assert rule.source == "示例"
    assert rule.exempt_classes == ("涉农", "艺术")
    assert rule.conditions == (Condition(ENROLMENT, "<", Decimal(30)),)


def test_a_district_rule_judges_a_specialty_like_any_other() -> None:
    rule_set = build_rule_set(
        code="chiping-2021",
        name="茌平区中职专业预警",
        version=1,
        effective_from=date(2021, 9, 1),
        source="茌平区教育和体育局文件（示例）",
        note="",
        rows=[row()],
    )
    history = SpecialtyHistory(
        school="职教中心",
        specialty_code="示例-01",
        specialty_name="旅游服务与管理",
        specialty_class="其他",
        level="中职",
        opened_year=None,
        years=(OfferingYear(2020, enrolment=24), OfferingYear(2021, enrolment=18)),
    )
    [finding] = evaluate(history, rule_set, [history], 2021)
    assert finding.fired and finding.rule.consequence == CUT


def test_every_bad_row_is_reported_at_once_and_nothing_is_built() -> None:
    with pytest.raises(RuleError) as refused:
        build_rule_set(
            code="x-1",
            name="x",
            version=1,
            effective_from=date(2021, 1, 1),
            source="",
            note="",
            rows=[row(threshold1=None), row(code="b", metric1="", consequence="stop")],
        )
    message = str(refused.value)
    assert "第 1 条规则" in message and "阈值" in message
    assert "第 2 条规则" in message and "至少要有一个条件" in message


def test_a_rule_set_needs_a_rule_and_distinct_rule_codes() -> None:
    with pytest.raises(RuleError, match="至少要有一条规则"):
        build_rule_set(
            code="x-1",
            name="x",
            version=1,
            effective_from=date(2021, 1, 1),
            source="",
            note="",
            rows=[],
        )
    with pytest.raises(RuleError, match="规则编号重复"):
        build_rule_set(
            code="x-1",
            name="x",
            version=1,
            effective_from=date(2021, 1, 1),
            source="",
            note="",
            rows=[row(), row()],
        )


def test_a_rank_condition_keeps_its_peer_minimum_and_ties() -> None:
    rule = rule_from_fields(
        row(
            metric1="employment_rank_percentile",
            comparator1="<=",
            threshold1=Decimal(10),
            min_peers=8,
            ties="worst",
        )
    )
    assert rule.conditions[0].min_peers == 8 and rule.conditions[0].ties == "worst"


def test_versions_count_on_from_the_highest_stored() -> None:
    assert next_version([]) == 1
    assert next_version([1, 3, 2]) == 4


def test_split_list_ignores_blanks() -> None:
    assert split_list(" 涉农 、, 艺术;；") == ("涉农", "艺术")
