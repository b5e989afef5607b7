"""学分转换: worked examples with the sourced college rules (one course per certificate, at most
8 credits per certificate, 初级 -> 基础课, 中级 -> 核心课, 高级 -> both), caps, validity,
versions, and the conflict checker. No database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from gaodi.achievements.versions import ParameterError
from gaodi.credits.conversion import (
    Conversion,
    Outcome,
    Rule,
    RuleSet,
    Scheme,
    conflicts,
    convert,
    simulate,
)

X = Scheme(
    "x-cert",
    "职业技能等级证书（原1+X）",
    ("初级", "中级", "高级"),
    ("某培训评价组织",),
    date(2019, 4, 1),
    retired_on=date(2025, 12, 31),
)
SKILL = Scheme(
    "hrss",
    "人社职业技能等级",
    ("五级", "四级", "三级", "二级", "一级"),
    ("茌平区职业技能鉴定中心",),
    date(2020, 1, 1),
)
SCHEMES = {s.code: s for s in (X, SKILL)}
WEB = "web-front-end"  # 认证单元: Web前端开发

RULES = (
    Rule(
        "x-cert",
        WEB,
        ("初级", "高级"),
        "C101",
        "网页设计基础",
        Decimal(4),
        "计算机应用",
        "专业基础课",
    ),
    Rule(
        "x-cert",
        WEB,
        ("中级", "高级"),
        "C201",
        "前端框架开发",
        Decimal(6),
        "计算机应用",
        "专业核心课",
    ),
    Rule("hrss", "electrician", ("四级", "三级"), "E101", "电工技术", Decimal(3), "", "专业基础课"),
)
V1 = RuleSet("college", 1, date(2021, 1, 1), "学分转换规则", RULES)


def web(level: str, key: str = "x-1", issued: date = date(2021, 6, 1), **kw: object) -> Outcome:
    return Outcome(key, "x-cert", WEB, level, issued, name="Web前端开发", **kw)  # type: ignore[arg-type]


def run(outcomes: list[Outcome], **kw: Any) -> Conversion:
    base: dict[str, Any] = {
        "schemes": SCHEMES,
        "specialty": "计算机应用",
        "as_of": date(2022, 3, 1),
    }
    return convert(outcomes, [V1], **(base | kw))


def test_primary_level_gives_the_foundation_course() -> None:
    result = run([web("初级")])
    assert [(g.course, g.credits) for g in result.granted] == [("C101", Decimal(4))]
    assert result.total == 4 and result.version == 1
    assert "网页设计基础（专业基础课）：规则 4 学分，计 4 学分" in " ".join(result.steps)


def test_advanced_level_gives_both_courses_within_the_8_credit_cap() -> None:
    result = run([web("高级")])
    assert [(g.course, g.credits, g.asked) for g in result.granted] == [
        ("C101", Decimal(4), Decimal(4)),
        ("C201", Decimal(4), Decimal(6)),  # 4 + 6 > 8: the second course gets what is left
    ]
    assert result.total == 8
    assert result.granted[1].note == "每证上限 8 学分"


def test_one_course_is_credited_from_one_certificate_only() -> None:
    first, second = web("初级", "x-1"), web("高级", "x-2", issued=date(2021, 9, 1))
    result = run([second, first])  # order of storage does not matter: oldest first
    assert [(g.outcome, g.course) for g in result.granted] == [("x-1", "C101"), ("x-2", "C201")]
    assert any("该课程已有学分" in step for step in result.steps)


def test_a_course_the_learner_has_is_not_credited_again() -> None:
    result = run([web("初级")], credited_courses=["C101"])
    assert result.granted == () and result.total == 0


def test_the_same_outcome_is_never_converted_twice() -> None:
    result = run([web("初级")], already={"x-1": Decimal(4)})
    assert result.granted == ()
    assert result.skipped[0].reason == "该成果已转换过（4 学分），同一成果不重复转换"


def test_the_per_learner_cap_counts_earlier_conversions() -> None:
    capped = replace(V1, per_learner=Decimal(10))
    result = convert(
        [web("中级", "x-2"), Outcome("e-1", "hrss", "electrician", "四级", date(2021, 7, 1))],
        [capped],
        schemes=SCHEMES,
        specialty="计算机应用",
        as_of=date(2022, 3, 1),
        already={"old": Decimal(5)},
    )
    # 5 before; C201 asks 6 -> 5 left -> 5; then nothing left for the electrician course.
    assert [(g.course, g.credits) for g in result.granted] == [("C201", Decimal(5))]
    assert any("已达上限" in step and "电工技术" in step for step in result.steps)


def test_a_rule_for_another_specialty_does_not_apply() -> None:
    result = run([web("初级")], specialty="会计事务")
    assert result.granted == ()
    assert "没有该证书该等级对应本专业的课程" in result.skipped[0].reason


def test_a_rule_for_any_specialty_applies_to_all() -> None:
    outcome = Outcome("e-1", "hrss", "electrician", "三级", date(2021, 7, 1))
    assert run([outcome], specialty="会计事务").total == 3


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [
        (web("初级", valid_until=date(2022, 1, 1)), "证书已于 2022-01-01 过期"),
        (web("初级", issued=date(2026, 3, 1)), "不在该证书体系的认可期内"),  # after retirement
        (web("初级", issued=date(2022, 5, 1)), "晚于转换日期"),
        (web("特级"), "没有“特级”这一等级"),
        (Outcome("z", "unknown", WEB, "初级", date(2021, 1, 1)), "不在认可的体系之中"),
    ],
)
def test_outcomes_that_cannot_convert_say_why(outcome: Outcome, reason: str) -> None:
    result = run([outcome])
    assert result.granted == () and reason in result.skipped[0].reason


def test_a_new_version_changes_only_conversions_on_or_after_its_day() -> None:
    v2 = replace(V1, version=2, effective_from=date(2023, 1, 1), per_certificate=Decimal(6))
    before = convert(
        [web("高级")], [V1, v2], schemes=SCHEMES, specialty="计算机应用", as_of=date(2022, 12, 31)
    )
    after = convert(
        [web("高级")], [V1, v2], schemes=SCHEMES, specialty="计算机应用", as_of=date(2023, 1, 1)
    )
    assert (before.version, before.total) == (1, Decimal(8))
    assert (after.version, after.total) == (2, Decimal(6))


def test_no_rules_in_force_is_refused_in_chinese() -> None:
    with pytest.raises(ParameterError, match="没有施行中的学分转换规则"):
        run([web("初级")], as_of=date(2020, 12, 31))


def test_simulation_is_the_same_computation() -> None:
    kwargs: dict[str, Any] = {
        "schemes": SCHEMES,
        "specialty": "计算机应用",
        "as_of": date(2022, 3, 1),
    }
    assert simulate([web("高级")], [V1], **kwargs) == convert([web("高级")], [V1], **kwargs)


def test_rule_sets_round_trip_through_json() -> None:
    assert RuleSet.from_json(V1.to_json()) == V1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"per_certificate": Decimal(0)}, "每证上限须大于 0"),
        ({"rules": (replace(RULES[0], credits=Decimal("1.3")),)}, "0.5 的正整数倍"),
        ({"rules": (replace(RULES[0], levels=()),)}, "须写明适用的等级"),
        ({"version": 0}, "版本号须至少为 1"),
    ],
)
def test_bad_rule_sets_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        replace(V1, **change)  # type: ignore[arg-type]


def test_the_sourced_rule_set_has_no_blocking_conflicts_but_reports_the_capped_level() -> None:
    found = conflicts(V1, SCHEMES)
    assert [c for c in found if c.blocking] == []
    # 高级 gives both courses (4 + 6 > 8): reported, not refused (the source's 高级 -> both)
    assert [(c.kind, c.rules) for c in found] == [("over_cap_sum", (0, 1))]


def test_conflicts_find_double_counts_dead_rules_and_unknown_levels() -> None:
    twice = replace(RULES[0], levels=("初级",), credits=Decimal(2))
    big = Rule("x-cert", "ai", ("中级",), "C301", "人工智能应用", Decimal(10))
    odd = Rule("hrss", "electrician", ("初级",), "E101", "电工技术", Decimal(3))
    lost = Rule("nope", "x", ("初级",), "Z1", "无", Decimal(1))
    found = conflicts(replace(V1, rules=(*RULES, twice, big, odd, lost)), SCHEMES)
    found = [c for c in found if c.kind != "over_cap_sum"]  # 高级 4 + 6: see the test above
    kinds = [c.kind for c in found]
    assert kinds == ["double_count", "over_cap", "unknown_level", "unknown_scheme"]
    assert found[0].rules == (0, 3)
    assert "同一学习成果会被计算两次" in found[0].message


def test_without_one_course_one_certificate_two_certificates_for_a_course_conflict() -> None:
    other = Rule("hrss", "web-skill", ("四级",), "C101", "网页设计基础", Decimal(2), "计算机应用")
    found = conflicts(replace(V1, rules=(*RULES, other), one_course_one_certificate=False), SCHEMES)
    found = [c for c in found if c.blocking]
    assert [c.kind for c in found] == ["course_twice"]
    assert found[0].rules == (0, 3)
