"""专业预警和退出: worked examples for every preset, metric, exemption and edge of the engine."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from gaodi.specialties import presets
from gaodi.specialties.warning import (
    COUNTERPART_RATE,
    CUT,
    EMPLOYMENT_RANK_PERCENTILE,
    EMPLOYMENT_RATE,
    ENROLMENT,
    PLAN_COMPLETION,
    STOP,
    WARN,
    WITHDRAW,
    Check,
    Condition,
    Finding,
    OfferingYear,
    Rule,
    RuleError,
    RuleSet,
    SpecialtyHistory,
    Step,
    decision,
    evaluate,
    explain,
    select_rule_set,
)

D = Decimal
PLAN_FILE = Path(__file__).resolve().parents[2] / "plans" / "examples" / "chiping-2020-19.txt"


def specialty(
    years: Mapping[int, Mapping[str, Any]] | None = None,
    *,
    code: str = "710201",
    name: str = "计算机应用",
    specialty_class: str = "其他",
    level: str = "中职",
    opened_year: int | None = 2010,
    school: str = "茌平区职业教育中心学校",
) -> SpecialtyHistory:
    offerings = tuple(
        OfferingYear(year, **values) for year, values in sorted((years or {}).items())
    )
    return SpecialtyHistory(school, code, name, specialty_class, level, opened_year, offerings)


def enrolled(**by_year: int | None) -> dict[int, dict[str, Any]]:
    """enrolled(y2019=24, y2020=18) -> {2019: {"enrolment": 24}, ...}."""
    return {int(key[1:]): {"enrolment": value} for key, value in by_year.items()}


def rule_set(*rules: Rule, version: int = 1, effective_from: date = date(2020, 1, 1)) -> RuleSet:
    return RuleSet("test", "测试规则集", version, effective_from, rules)


def one_rule(**overrides: Any) -> Rule:
    values: dict[str, Any] = {
        "code": "r",
        "name": "测试",
        "level": "中职",
        "conditions": (Condition(ENROLMENT, "<", D(30)),),
        "consequence": CUT,
        "consecutive_years": 1,
    }
    values.update(overrides)
    return Rule(**values)


def only(findings: list[Finding], code: str) -> Finding:
    return next(finding for finding in findings if finding.rule.code == code)


# The reference plan's own numbers (附件2 二、专业布局)


def plan_offerings() -> dict[str, SpecialtyHistory]:
    """附件2 二、专业布局: 学生数 per year. Enrolment is not in the table; here it is the growth
    in 学生数 plus a third of the students graduating (a three-year 中职 course), as a clerk
    would report it. 旅游服务与管理 has no 学生数 in the plan at all."""
    computer = {2019: 564, 2020: 664, 2021: 750}
    return {
        "计算机应用": specialty(
            {
                year: {"students": students, "enrolment": students // 3, "planned_enrolment": 250}
                for year, students in computer.items()
            }
        ),
        "康复技术": specialty(
            {
                2020: {"students": 50, "enrolment": 50},
                2021: {"students": 150, "enrolment": 100},
                2022: {"students": 250, "enrolment": 100},
            },
            code="720201",
            name="康复技术",
            specialty_class="健康服务",
            opened_year=2020,
        ),
        "旅游服务与管理": specialty(
            {2019: {}, 2020: {}, 2021: {}}, code="740100", name="旅游服务与管理"
        ),
    }


def test_the_plans_computer_course_fires_nothing_in_the_example_set() -> None:
    computer = plan_offerings()["计算机应用"]
    assert [offering.enrolment for offering in computer.years] == [188, 221, 250]
    findings = evaluate(computer, presets.chiping_example(), as_of_year=2021)
    assert [finding.rule.code for finding in findings] == [
        rule.code for rule in presets.chiping_example().rules
    ]
    assert not any(finding.triggered for finding in findings)
    assert decision(findings) is None
    warn = only(findings, "cp-warn-enrolment")
    assert explain(warn)[0] == "2021年招生 250 人 ≥ 30 人：未触发"
    plan = only(findings, "cp-stop-under-plan")
    assert plan.steps[-1].checks[0].value == D("100.0")  # 250 / 250
    assert plan.steps[0].checks[0].text == "招生 188 人 / 计划 250 人，招生计划完成率 75.2% ≥ 30%"


def test_a_row_of_the_plan_without_numbers_is_unknown_not_zero() -> None:
    tourism = plan_offerings()["旅游服务与管理"]
    findings = evaluate(tourism, presets.chiping_example(), as_of_year=2021)
    withdraw = only(findings, "cp-withdraw-no-enrolment")
    assert not withdraw.triggered
    assert withdraw.steps[-1].outcome == "missing"
    assert explain(withdraw)[0] == "2021年无招生数据（未报送），连续计数中断：未触发"


def test_the_plans_new_rehabilitation_course_is_protected_and_its_class_exempt() -> None:
    rehab = plan_offerings()["康复技术"]
    small = replace(rehab, years=tuple(replace(y, enrolment=12) for y in rehab.years))
    cut = only(evaluate(small, presets.chiping_example(), as_of_year=2022), "cp-cut-enrolment")
    assert cut.triggered and cut.exempted and not cut.fired
    assert cut.exemption == "class"  # 健康服务 is checked before the protection
    withdraw = only(
        evaluate(rehab, presets.chiping_example(), as_of_year=2022), "cp-withdraw-no-enrolment"
    )
    assert withdraw.exemption == "new_major"
    assert withdraw.exemption_text == "2020年新设专业，2022年为开设第 3 年，未满 5 年不予撤销调整"


# The autonomous region (2023): < 30 three years running -> 调整


def test_three_years_under_thirty_trigger_the_adjustment() -> None:
    history = specialty(enrolled(y2018=40, y2019=24, y2020=18, y2021=0))
    [finding] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2021)
    assert finding.fired and finding.consequence == CUT
    assert finding.years == (2019, 2020, 2021)
    assert [step.run for step in finding.steps][-4:] == [0, 1, 2, 3]
    lines = explain(finding)
    assert lines[0] == (
        "2019年招生 24 人 < 30 人；2020年招生 18 人 < 30 人；2021年招生 0 人 < 30 人："
        "连续 3 年，触发“调减”（原文：调整）"
    )
    assert lines[-1].startswith("依据：某自治区 2023 年中职专业设置通知")
    assert "（规则集 autonomous-region-2023 第 1 版，2023-02-16 起施行）" in lines[-1]
    assert decision([finding]) is finding


def test_two_years_under_thirty_are_not_enough() -> None:
    history = specialty(enrolled(y2019=35, y2020=18, y2021=20))
    [finding] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2021)
    assert not finding.triggered and finding.years == (2020, 2021)
    assert explain(finding)[0] == (
        "2019年招生 35 人 ≥ 30 人；2020年招生 18 人 < 30 人；2021年招生 20 人 < 30 人："
        "连续 2 年，不足 3 年，未触发"
    )


def test_exactly_thirty_is_not_under_thirty() -> None:
    history = specialty(enrolled(y2019=30, y2020=30, y2021=30))
    [finding] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2021)
    assert not finding.triggered and finding.run == 0


def test_a_run_that_ended_before_the_year_does_not_trigger() -> None:
    history = specialty(enrolled(y2016=10, y2017=10, y2018=10, y2019=45))
    [finding] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2019)
    assert not finding.triggered
    [then] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2018)
    assert then.fired


def test_years_after_the_as_of_year_are_ignored_and_the_default_is_the_latest() -> None:
    history = specialty(enrolled(y2019=10, y2020=10, y2021=10, y2022=50))
    [as_of_2021] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2021)
    assert as_of_2021.fired and as_of_2021.steps[-1].year == 2021
    [latest] = evaluate(history, presets.autonomous_region_2023())
    assert latest.as_of_year == 2022 and not latest.triggered


@pytest.mark.parametrize("exempt_class", ["涉农", "艺术", "老年服务", "健康服务"])
def test_the_exempt_classes_are_worked_out_but_not_counted(exempt_class: str) -> None:
    history = specialty(enrolled(y2019=5, y2020=5, y2021=5), specialty_class=exempt_class)
    [finding] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2021)
    assert finding.triggered and finding.exempted and not finding.fired
    assert finding.exemption_text == exempt_class + "类专业不适用本条（豁免）"
    assert explain(finding)[1] == finding.exemption_text
    assert decision([finding]) is None


@pytest.mark.parametrize(("as_of", "protected"), [(2021, True), (2023, True), (2024, False)])
def test_a_new_major_is_protected_for_five_years(as_of: int, protected: bool) -> None:
    years = {year: {"enrolment": 10} for year in range(2019, 2025)}
    history = specialty(years, opened_year=2019)
    [finding] = evaluate(history, presets.autonomous_region_2023(), as_of_year=as_of)
    assert finding.triggered
    assert finding.exempted is protected
    assert (finding.exemption == "new_major") is protected


def test_without_an_opening_year_nothing_is_protected() -> None:
    history = specialty(enrolled(y2019=10, y2020=10, y2021=10), opened_year=None)
    [finding] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2021)
    assert finding.fired and finding.steps[0].year == 2019


def test_a_rule_of_another_level_does_not_apply() -> None:
    history = specialty(enrolled(y2019=5, y2020=5, y2021=5), level="高职")
    assert evaluate(history, presets.autonomous_region_2023(), as_of_year=2021) == []
    everyone = rule_set(one_rule(level=""))
    assert evaluate(history, everyone, as_of_year=2021)[0].fired


# Missing years and zero denominators


def test_a_missing_year_breaks_the_run_by_default() -> None:
    history = specialty(enrolled(y2019=24, y2021=18, y2022=10))
    [finding] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2022)
    assert not finding.triggered
    assert [(step.year, step.outcome, step.run) for step in finding.steps[-4:]] == [
        (2019, "met", 1),
        (2020, "missing", 0),
        (2021, "met", 1),
        (2022, "met", 2),
    ]
    assert explain(finding)[0] == (
        "2020年无招生数据（未报送），连续计数中断；2021年招生 18 人 < 30 人；"
        "2022年招生 10 人 < 30 人：连续 2 年，不足 3 年，未触发"
    )


def test_a_missing_year_can_be_skipped_instead() -> None:
    history = specialty(enrolled(y2019=24, y2021=18, y2022=10))
    region = presets.autonomous_region_2023()
    skipping = replace(region, rules=(replace(region.rules[0], missing_breaks_run=False),))
    [finding] = evaluate(history, skipping, as_of_year=2022)
    assert finding.fired and finding.years == (2019, 2021, 2022)
    assert finding.steps[-3].outcome == "skipped" and finding.steps[-3].run == 1


def test_a_history_of_only_skipped_years_says_there_was_nothing_to_count() -> None:
    rule = one_rule(missing_breaks_run=False)
    [finding] = evaluate(specialty({2021: {}}, opened_year=2021), rule_set(rule), as_of_year=2021)
    assert explain(finding)[0] == "截至2021年各年均无可计数据：未触发"


def test_a_missing_as_of_year_means_no_run() -> None:
    history = specialty(enrolled(y2019=5, y2020=5))
    [finding] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2021)
    assert finding.run == 0 and not finding.triggered


def test_no_data_at_all_is_one_missing_year() -> None:
    history = specialty(opened_year=None)
    [finding] = evaluate(history, presets.autonomous_region_2023(), as_of_year=2021)
    assert [step.outcome for step in finding.steps] == ["missing"]
    assert not finding.triggered
    assert explain(finding)[0] == "2021年无招生数据（未报送），连续计数中断：未触发"


def test_a_plan_of_zero_is_uncomputable_not_zero_percent_and_breaks_the_run() -> None:
    rule = one_rule(conditions=(Condition(PLAN_COMPLETION, "<", D(30)),), consecutive_years=2)
    history = specialty(
        {
            2020: {"planned_enrolment": 100, "enrolment": 10},
            2021: {"planned_enrolment": 0, "enrolment": 0},
        }
    )
    [finding] = evaluate(history, rule_set(rule), as_of_year=2021)
    check = finding.steps[-1].checks[0]
    assert check.value is None and check.outcome == "uncomputable"
    assert check.text == "招生计划 0 人，计划完成率无法计算"
    assert not finding.triggered and finding.steps[-1].run == 0
    assert explain(finding)[0] == "2021年招生计划 0 人，计划完成率无法计算，连续计数中断：未触发"


def test_a_plan_without_its_enrolment_is_missing() -> None:
    rule = one_rule(conditions=(Condition(PLAN_COMPLETION, "<", D(30)),))
    history = specialty({2021: {"planned_enrolment": 100}})
    [finding] = evaluate(history, rule_set(rule), as_of_year=2021)
    assert finding.steps[-1].checks[0].inputs == {"planned_enrolment": "100", "enrolment": ""}
    assert finding.steps[-1].outcome == "missing"


def test_plan_completion_is_rounded_to_a_tenth_and_the_rounded_value_is_compared() -> None:
    rule = one_rule(conditions=(Condition(PLAN_COMPLETION, "<", D(30)),))
    history = specialty({2021: {"planned_enrolment": 3000, "enrolment": 899}})  # 29.966…
    [finding] = evaluate(history, rule_set(rule), as_of_year=2021)
    assert finding.steps[-1].checks[0].value == D("30.0")
    assert not finding.triggered


# 吉林市 (2013): under 30 % of plan or under one class, two years running -> 停招


def test_under_thirty_percent_of_plan_two_years_stops_enrolment() -> None:
    history = specialty(
        {
            2020: {"planned_enrolment": 200, "enrolment": 50},
            2021: {"planned_enrolment": 200, "enrolment": 45},
        }
    )
    [finding] = evaluate(history, presets.jilin_city_2013(), as_of_year=2021)
    assert finding.fired and finding.consequence == STOP
    assert explain(finding)[0] == (
        "2020年招生 50 人 / 计划 200 人，招生计划完成率 25% < 30%，招生 50 人 ≥ 40 人；"
        "2021年招生 45 人 / 计划 200 人，招生计划完成率 22.5% < 30%，招生 45 人 ≥ 40 人："
        "连续 2 年，触发“停招”（原文：下一年度停止招生）"
    )


def test_either_test_in_each_year_counts_towards_the_run() -> None:
    history = specialty(
        {
            2020: {"planned_enrolment": 200, "enrolment": 50},  # 25 % of plan
            2021: {"planned_enrolment": 40, "enrolment": 35},  # 87.5 %, but under one class
        }
    )
    [finding] = evaluate(history, presets.jilin_city_2013(), as_of_year=2021)
    assert finding.fired
    [bigger_class] = evaluate(history, presets.jilin_city_2013(class_size=30), as_of_year=2021)
    assert not bigger_class.triggered


def test_under_any_a_condition_that_holds_wins_over_an_uncomputable_one() -> None:
    history = specialty(
        {
            2020: {"planned_enrolment": 0, "enrolment": 10},
            2021: {"planned_enrolment": 0, "enrolment": 50},
        }
    )
    [finding] = evaluate(history, presets.jilin_city_2013(), as_of_year=2021)
    assert [step.outcome for step in finding.steps[-2:]] == ["met", "uncomputable"]
    assert not finding.triggered


def test_under_all_a_condition_that_fails_wins_over_a_missing_one() -> None:
    rule = one_rule(
        conditions=(Condition(ENROLMENT, "<", D(30)), Condition(EMPLOYMENT_RATE, "<", D(80)))
    )
    history = specialty({2020: {"enrolment": 50}, 2021: {"enrolment": 10}})
    [finding] = evaluate(history, rule_set(rule), as_of_year=2021)
    assert [step.outcome for step in finding.steps[-2:]] == ["not_met", "missing"]
    both = specialty({2021: {"enrolment": 10, "employment_rate": D(70)}})
    assert evaluate(both, rule_set(rule), as_of_year=2021)[0].fired


# 山东 (2017): low employment two years -> 调减直至停招; no enrolment three years -> 撤销


def gaozhi(years: Mapping[int, Mapping[str, Any]], **kwargs: Any) -> SpecialtyHistory:
    return specialty(years, level="高职", code="510201", name="计算机应用技术", **kwargs)


def test_low_employment_two_years_cuts_enrolment_with_an_example_threshold() -> None:
    history = gaozhi(
        {
            2020: {"employment_rate": D("75.25"), "graduates": 40, "enrolment": 45},
            2021: {"employment_rate": D("70"), "graduates": 38, "enrolment": 40},
        }
    )
    low = only(evaluate(history, presets.shandong_2017(), as_of_year=2021), "sd-low-employment")
    assert low.fired and low.consequence == CUT
    assert low.steps[0].checks[0].inputs == {"employment_rate": "75.25", "graduates": "40"}
    assert explain(low)[0] == (
        "2020年就业率 75.3% < 80%；2021年就业率 70% < 80%：连续 2 年，"
        "触发“调减”（原文：调减招生计划直至停招）"
    )
    assert "threshold" in low.rule.examples
    lenient = presets.shandong_2017(low_employment_rate=D(60))
    assert not only(evaluate(history, lenient, as_of_year=2021), "sd-low-employment").triggered


def test_three_years_without_enrolment_withdraws_and_outranks_the_cut() -> None:
    history = gaozhi(
        {year: {"enrolment": 0, "employment_rate": D(50)} for year in (2019, 2020, 2021)}
    )
    findings = evaluate(history, presets.shandong_2017(), as_of_year=2021)
    assert [(finding.rule.code, finding.fired) for finding in findings] == [
        ("sd-no-enrolment", True),
        ("sd-low-employment", True),
    ]
    winner = decision(findings)
    assert winner is not None and winner.consequence == WITHDRAW


def test_an_unreported_year_is_not_a_year_without_enrolment() -> None:
    history = gaozhi({2019: {"enrolment": 0}, 2021: {"enrolment": 0}, 2022: {"enrolment": 0}})
    withdraw = only(evaluate(history, presets.shandong_2017(), as_of_year=2022), "sd-no-enrolment")
    assert not withdraw.triggered and withdraw.years == (2021, 2022)


# Severity and order


def test_the_most_severe_consequence_wins_and_every_finding_is_kept() -> None:
    rules = (
        one_rule(code="warn", consequence=WARN),
        one_rule(code="stop", consequence=STOP),
        one_rule(code="cut", consequence=CUT),
        one_rule(code="withdraw", consequence=WITHDRAW, exempt_classes=("艺术",)),
        one_rule(code="quiet", conditions=(Condition(ENROLMENT, "<", D(1)),)),
    )
    history = specialty(enrolled(y2021=10), specialty_class="艺术")
    findings = evaluate(history, rule_set(*rules), as_of_year=2021)
    assert [finding.rule.code for finding in findings] == [
        "stop",
        "cut",
        "warn",
        "withdraw",
        "quiet",
    ]
    winner = decision(findings)
    assert winner is not None and winner.rule.code == "stop"
    assert decision(findings[3:]) is None


def test_among_equal_consequences_the_first_rule_wins() -> None:
    rules = (one_rule(code="a"), one_rule(code="b"))
    findings = evaluate(specialty(enrolled(y2021=10)), rule_set(*rules), as_of_year=2021)
    winner = decision(findings)
    assert winner is not None and winner.rule.code == "a"


# 福建 (2023): bottom 10 % by 就业率 two years running (高职), ranks among peers


def cohort(
    rates: list[int | None], years: tuple[int, ...] = (2020, 2021)
) -> list[SpecialtyHistory]:
    return [
        gaozhi(
            {year: {"employment_rate": None if rate is None else D(rate)} for year in years},
            school="学院" + str(index),
        )
        for index, rate in enumerate(rates)
    ]


def test_the_bottom_tenth_of_twenty_peers_is_the_lowest_two() -> None:
    peers = cohort(list(range(70, 90)))  # 70 … 89, distinct
    fujian = presets.fujian_2023()
    fired = [evaluate(peer, fujian, peers, 2021)[0].fired for peer in peers]
    assert fired == [True, True] + [False] * 18
    [second] = evaluate(peers[1], fujian, peers, 2021)
    check = second.steps[-1].checks[0]
    assert check.value == D("10.0")
    assert check.inputs == {"employment_rate": "71", "peers": "20", "position": "2", "tied": "1"}
    assert (
        check.text == "就业率 71% 在 20 个同层次专业中由低到高排第 2 位，就业率位次百分位 10% ≤ 10%"
    )
    assert explain(second)[0].endswith("连续 2 年，触发“调减”（原文：调减或停止招生）")
    [third] = evaluate(peers[2], fujian, peers, 2021)
    assert third.steps[-1].checks[0].text.endswith("就业率位次百分位 15% > 10%")


def test_tied_peers_take_the_best_position_by_default_or_the_worst_if_set() -> None:
    peers = cohort([70, 70, 70, *range(75, 92)])  # three tied at the bottom of twenty
    [tied] = evaluate(peers[0], presets.fujian_2023(), peers, 2021)
    check = tied.steps[-1].checks[0]
    assert check.value == D("15.0") and not tied.triggered
    assert "（3 个专业并列，取其中最高位次）" in check.text
    fujian = presets.fujian_2023()
    rule = fujian.rules[0]
    worst = replace(rule, conditions=(replace(rule.conditions[0], ties="worst"),))
    [harsh] = evaluate(peers[0], replace(fujian, rules=(worst,)), peers, 2021)
    assert harsh.fired and harsh.steps[-1].checks[0].value == D("5.0")
    assert "取其中最低位次" in harsh.steps[-1].checks[0].text


def test_a_small_peer_group_is_not_ranked() -> None:
    peers = cohort([50, 90, 91, 92])
    [finding] = evaluate(peers[0], presets.fujian_2023(), peers, 2021)
    check = finding.steps[-1].checks[0]
    assert check.outcome == "uncomputable" and check.value is None
    assert check.text == "同层次有该年就业率的专业仅 4 个，少于 5 个，不排位次，无法计算"
    [ranked] = evaluate(peers[0], presets.fujian_2023(min_peers=2), peers, 2021)
    assert ranked.steps[-1].checks[0].value == D("25.0")  # 1 of 4: never in the bottom 10 %


def test_peers_without_a_rate_of_another_level_or_listed_twice_are_not_counted() -> None:
    peers = cohort([60, *range(80, 90), None, None])  # 11 with a rate, 2 without
    other_level = replace(peers[5], level="中职", school="中职学校")
    history = peers[0]
    [finding] = evaluate(history, presets.fujian_2023(), [*peers[1:], other_level, peers[3]], 2021)
    check = finding.steps[-1].checks[0]
    assert check.inputs["peers"] == "11"  # itself included though not passed in
    assert check.value == D("9.1")  # 1 of 11
    assert finding.fired


def test_without_its_own_rate_a_specialty_is_not_ranked() -> None:
    peers = cohort([None, *range(80, 90)])
    [finding] = evaluate(peers[0], presets.fujian_2023(), peers, 2021)
    assert finding.steps[-1].outcome == "missing"


def test_a_percentile_is_a_tenth_of_a_point() -> None:
    peers = cohort([60, 70, 80])
    rule = one_rule(
        level="高职",
        conditions=(Condition(EMPLOYMENT_RANK_PERCENTILE, "<=", D(40), min_peers=3),),
    )
    [finding] = evaluate(peers[0], rule_set(rule), peers, 2021)
    assert finding.steps[-1].checks[0].value == D("33.3") and finding.fired


# Comparators and the other metrics


@pytest.mark.parametrize(
    ("comparator", "value", "holds", "text"),
    [
        ("<", 29, True, "招生 29 人 < 30 人"),
        ("<", 30, False, "招生 30 人 ≥ 30 人"),
        ("<=", 30, True, "招生 30 人 ≤ 30 人"),
        ("<=", 31, False, "招生 31 人 > 30 人"),
        ("==", 30, True, "招生 30 人 = 30 人"),
        ("==", 0, False, "招生 0 人 ≠ 30 人"),
        (">", 31, True, "招生 31 人 > 30 人"),
        (">", 30, False, "招生 30 人 ≤ 30 人"),
        (">=", 30, True, "招生 30 人 ≥ 30 人"),
        (">=", 29, False, "招生 29 人 < 30 人"),
    ],
)
def test_each_comparator_and_its_negation_read_as_written(
    comparator: str, value: int, holds: bool, text: str
) -> None:
    rule = one_rule(conditions=(Condition(ENROLMENT, comparator, D(30)),))
    [finding] = evaluate(specialty({2021: {"enrolment": value}}), rule_set(rule), as_of_year=2021)
    assert finding.triggered is holds
    assert finding.steps[-1].checks[0].text == text


def test_the_counterpart_rate_is_a_metric_too() -> None:
    rule = one_rule(conditions=(Condition(COUNTERPART_RATE, "<", D(50)),), consecutive_years=2)
    history = specialty({2020: {"counterpart_rate": D("45.5")}, 2021: {"counterpart_rate": D(40)}})
    [finding] = evaluate(history, rule_set(rule), as_of_year=2021)
    assert finding.fired
    assert explain(finding)[0].startswith(
        "2020年对口就业率 45.5% < 50%；2021年对口就业率 40% < 50%"
    )


# Rule sets are data: checked, versioned, effective-dated, JSON


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Condition("clicks", "<", D(1)), "没有名为“clicks”的指标"),
        (lambda: Condition(ENROLMENT, "!=", D(1)), "比较符"),
        (lambda: Condition(ENROLMENT, "<", D(1), ties="middle"), "并列处理"),
        (lambda: Condition(ENROLMENT, "<", D(1), min_peers=0), "最少同类专业数"),
        (lambda: one_rule(code=""), "规则须有编号"),
        (lambda: one_rule(conditions=()), "至少要有一个条件"),
        (lambda: one_rule(consequence="close"), "处理结果"),
        (lambda: one_rule(level="本科"), "层次"),
        (lambda: one_rule(match="most"), "条件组合"),
        (lambda: one_rule(consecutive_years=0), "连续年数"),
        (lambda: one_rule(protect_new_years=-1), "保护年数"),
        (lambda: rule_set(one_rule(), version=0), "版本号"),
        (lambda: rule_set(one_rule(), one_rule()), "规则编号重复"),
        (
            lambda: Condition.from_json(
                {"metric": ENROLMENT, "comparator": "<", "threshold": "三十"}
            ),
            "不是数字",
        ),
    ],
)
def test_a_rule_that_cannot_be_used_is_refused_in_chinese(
    make: Callable[[], object], message: str
) -> None:
    with pytest.raises(RuleError, match=message):
        make()


def test_a_year_reported_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="同一年份只能有一条记录"):
        SpecialtyHistory(
            "校", "1", "专业", "其他", "中职", 2020, (OfferingYear(2021), OfferingYear(2021))
        )


@pytest.mark.parametrize("preset", presets.all_presets(), ids=lambda preset: preset.code)
def test_every_preset_survives_a_json_round_trip(preset: RuleSet) -> None:
    stored = json.loads(json.dumps(preset.to_json(), ensure_ascii=False))
    assert RuleSet.from_json(stored) == preset
    assert stored["effective_from"] == preset.effective_from.isoformat()


def test_findings_survive_a_json_round_trip_with_their_working() -> None:
    peers = cohort([60, *range(80, 90)])
    findings = [
        *evaluate(peers[0], presets.fujian_2023(), peers, 2021),
        *evaluate(
            specialty(enrolled(y2019=24, y2020=18, y2021=0)),
            presets.chiping_example(),
            as_of_year=2021,
        ),
        *evaluate(plan_offerings()["康复技术"], presets.chiping_example(), as_of_year=2022),
    ]
    for finding in findings:
        stored = json.loads(json.dumps(finding.to_json(), ensure_ascii=False))
        assert Finding.from_json(stored) == finding
        assert explain(Finding.from_json(stored)) == explain(finding)
    stored = findings[0].to_json()
    assert stored["rule_set_code"] == "fujian-2023" and stored["rule_set_version"] == 1
    assert stored["steps"][-1]["checks"][0]["value"] == "9.1"


def test_a_second_version_changes_results_from_its_effective_date_only() -> None:
    v1 = presets.chiping_example()
    rule = v1.rules[1]  # 调减 after three years under 30
    stricter = replace(rule, conditions=(Condition(ENROLMENT, "<", D(40)),))
    v2 = replace(
        v1, version=2, effective_from=date(2022, 1, 1), rules=(v1.rules[0], stricter, *v1.rules[2:])
    )
    history = specialty(enrolled(y2019=35, y2020=35, y2021=35, y2022=35))
    versions = [v2, v1]
    assert select_rule_set(versions, date(2020, 7, 1)) is None
    in_2021 = select_rule_set(versions, date(2021, 12, 31))
    in_2022 = select_rule_set(versions, date(2022, 1, 1))
    assert in_2021 is v1 and in_2022 is v2
    then = only(evaluate(history, in_2021, as_of_year=2021), "cp-cut-enrolment")
    now = only(evaluate(history, in_2022, as_of_year=2022), "cp-cut-enrolment")
    assert not then.triggered and then.rule_set_version == 1
    assert now.fired and now.rule_set_version == 2
    assert now.rule_set_effective_from == date(2022, 1, 1)
    assert "（规则集 chiping-example 第 2 版，2022-01-01 起施行）" in explain(now)[-1]
    # recomputed as of 2021 with the rule set in force then, the 2021 result does not change
    again = only(evaluate(history, in_2021, as_of_year=2021), "cp-cut-enrolment")
    assert again == then


def test_rule_sets_of_another_code_are_left_out_when_asked() -> None:
    sets = [presets.chiping_example(), presets.autonomous_region_2023()]
    assert select_rule_set(sets, date(2024, 1, 1), code="chiping-example") is sets[0]
    assert select_rule_set(sets, date(2024, 1, 1), code="none") is None


# The presets cite their sources


def test_the_sourced_presets_cite_the_addresses_in_sources_md() -> None:
    assert presets.FUJIAN_URL in presets.fujian_2023().rules[0].source
    assert presets.REGION_URL in presets.autonomous_region_2023().rules[0].source
    assert all(presets.SHANDONG_URL in rule.source for rule in presets.shandong_2017().rules)
    assert "吉林市 2013 年" in presets.jilin_city_2013().rules[0].source
    region = presets.autonomous_region_2023().rules[0]
    assert region.exempt_classes == ("涉农", "艺术", "老年服务", "健康服务")
    assert region.protect_new_years == 5 and region.consecutive_years == 3


def test_every_example_parameter_is_named_and_the_district_set_is_all_example() -> None:
    assert presets.shandong_2017().rules[0].examples == ("threshold",)
    assert presets.jilin_city_2013().rules[0].examples == ("conditions[1].threshold",)
    chiping = presets.chiping_example()
    assert all(rule.source.startswith("示例") for rule in chiping.rules)
    assert all("level" in rule.examples or rule.source == "示例" for rule in chiping.rules)
    assert chiping.effective_from == date(2020, 7, 2)  # the plan's date
    assert "示例" in chiping.source and presets.CHIPING_CLAUSE in chiping.source


def test_the_quoted_clause_is_the_plans_own_words() -> None:
    plan = PLAN_FILE.read_text(encoding="utf-8")
    assert "2020年7月2日" in plan
    clause = presets.CHIPING_CLAUSE.split("：", 1)[1]
    assert clause in plan


def test_the_parts_of_a_finding_round_trip_on_their_own() -> None:
    condition = Condition(EMPLOYMENT_RANK_PERCENTILE, "<=", D("10.5"), min_peers=7, ties="worst")
    assert Condition.from_json(condition.to_json()) == condition
    [finding] = evaluate(
        specialty(enrolled(y2021=10)), rule_set(one_rule(consequence=WARN)), (), 2021
    )
    step = finding.steps[-1]
    assert Step.from_json(step.to_json()) == step
    assert Check.from_json(step.checks[0].to_json()) == step.checks[0]
    assert explain(finding)[0] == "2021年招生 10 人 < 30 人：连续 1 年，触发“预警”"
