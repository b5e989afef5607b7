"""标志性成果 against the plan's targets: worked examples with the plan's own numbers (1, 4,
5, 5 from 聊茌政发〔2020〕19号（八）（九）（十）, as the parser stores them)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from gaodi.achievements.achievements import (
    CERTIFICATE_PILOT,
    CITY_BRAND,
    ONLINE_COURSE,
    PROVINCIAL_GROUP,
    Achievement,
    KindSet,
    PlanTarget,
    explain,
    find_target,
    plan_kinds,
    tally,
)
from gaodi.achievements.versions import select_version

KINDS = plan_kinds()
DAY = date(2021, 6, 30)
# The targets as gaodi.plans stores them for the reference plan (clause, phrase, value, unit,
# comparator, subject), the 任务清单 duplicates included.
TARGETS = [
    PlanTarget(
        "重点任务（八）",
        "争取至少1个",
        Decimal(1),
        "个",
        ">=",
        "中职专业(群)入围省高水平中职专业(群)",
    ),
    PlanTarget("重点任务（八）", "4个", Decimal(4), "个", "=", "专业成为市级品牌专业"),
    PlanTarget("重点任务（九）", "争取立项建设5门以上", Decimal(5), "门", ">=", "争取立项建设"),
    PlanTarget("重点任务（十）", "争取开展5项以上", Decimal(5), "项", ">=", "争取开展"),
    PlanTarget("任务清单第19行", "4个", Decimal(4), "个", "=", "专业成为市级品牌专业"),
]


def made(kind: str, n: int, day: date | None = date(2021, 3, 1)) -> list[Achievement]:
    return [Achievement(kind, f"{kind}-{i}", "职教中心", day) for i in range(1, n + 1)]


def by_kind(found: list) -> dict:  # type: ignore[type-arg]
    return {t.kind: t for t in found}


def test_each_kind_finds_its_own_target_by_the_rule_in_its_definition() -> None:
    found = {kind.code: find_target(kind, TARGETS) for kind in KINDS.kinds}
    assert found[PROVINCIAL_GROUP].value == 1  # type: ignore[union-attr]
    assert found[CITY_BRAND].value == 4  # type: ignore[union-attr]
    assert found[CITY_BRAND].clause == "重点任务（八）"  # type: ignore[union-attr]
    assert found[ONLINE_COURSE].value == 5 and found[ONLINE_COURSE].measure == "门"  # type: ignore[union-attr]
    assert found[CERTIFICATE_PILOT].value == 5 and found[CERTIFICATE_PILOT].measure == "项"  # type: ignore[union-attr]


def test_one_provincial_group_meets_at_least_one() -> None:
    found = by_kind(tally(KINDS, made(PROVINCIAL_GROUP, 1), TARGETS, DAY))[PROVINCIAL_GROUP]
    assert (found.count, found.status, found.status_label) == (1, "met", "已达成")
    assert found.steps[-1] == "1 ≥ 1：已达成"


def test_three_courses_of_five_are_not_met_and_the_gap_is_said() -> None:
    found = by_kind(tally(KINDS, made(ONLINE_COURSE, 3), TARGETS, DAY))[ONLINE_COURSE]
    assert found.status == "not_met"
    assert found.steps[-2] == "方案目标：重点任务（九）“争取立项建设5门以上”（≥ 5 门）"
    assert found.steps[-1] == "3 < 5：未达成，尚差 2 门"


def test_four_brand_specialties_meet_the_equal_target_and_five_do_too_by_default() -> None:
    four = by_kind(tally(KINDS, made(CITY_BRAND, 4), TARGETS, DAY))[CITY_BRAND]
    assert four.status == "met"
    five = by_kind(tally(KINDS, made(CITY_BRAND, 5), TARGETS, DAY))[CITY_BRAND]
    assert five.status == "met"
    assert "“=”按“至少”理解，示例参数" in five.steps[-1]
    strict = replace(KINDS, exact_as_at_least=False)
    found = by_kind(tally(strict, made(CITY_BRAND, 5), TARGETS, DAY))[CITY_BRAND]
    assert (found.status, found.steps[-1]) == ("not_met", "5 ≠ 4：未达成")


def test_only_achievements_approved_by_the_day_count() -> None:
    achievements = [
        *made(CERTIFICATE_PILOT, 4),
        Achievement(CERTIFICATE_PILOT, "later", "职教中心", date(2021, 7, 1)),
        Achievement(CERTIFICATE_PILOT, "pending", "职教中心", None),
        Achievement(CERTIFICATE_PILOT, "same day", "职教中心", DAY),
    ]
    found = by_kind(tally(KINDS, achievements, TARGETS, DAY))[CERTIFICATE_PILOT]
    assert found.count == 5 and found.status == "met"
    assert found.excluded == ("later", "pending")
    assert "不计入：职教中心“later”，2021-07-01批准，晚于统计日" in found.steps
    assert "不计入：职教中心“pending”，尚未批准" in found.steps
    # a day later the pilot approved on 1 July counts too
    assert (
        by_kind(tally(KINDS, achievements, TARGETS, date(2021, 7, 1)))[CERTIFICATE_PILOT].count == 6
    )


def test_zero_achievements_against_a_target_is_not_met() -> None:
    found = by_kind(tally(KINDS, [], TARGETS, DAY))[PROVINCIAL_GROUP]
    assert (found.count, found.status) == (0, "not_met")
    assert found.steps[-1] == "0 < 1：未达成，尚差 1 个"


def test_a_plan_without_the_target_says_so() -> None:
    found = by_kind(tally(KINDS, made(ONLINE_COURSE, 2), TARGETS[:2], DAY))[ONLINE_COURSE]
    assert (found.target, found.status, found.status_label) == (None, "no_target", "计划未设目标")
    assert found.steps[-1] == "方案中没有条款为“重点任务（九）”、计量单位为“门”的目标：计划未设目标"


def test_the_explanation_ends_with_the_basis_and_the_version() -> None:
    found = tally(KINDS, made(PROVINCIAL_GROUP, 1), TARGETS, DAY)[0]
    assert explain(found)[-1] == (
        "依据：聊茌政发〔2020〕19号 重点任务（八）（成果类别集 plan-achievements 第 1 版，"
        "2020-01-01 起施行）"
    )
    assert KindSet.from_json(KINDS.to_json()) == KINDS


def test_a_new_kind_set_version_changes_only_tallies_after_its_effective_date() -> None:
    strict = replace(KINDS, version=2, effective_from=date(2022, 1, 1), exact_as_at_least=False)
    sets = [KINDS, strict]
    five = made(CITY_BRAND, 5)

    def status(day: date) -> tuple[str, int]:
        chosen = select_version(sets, day)
        assert chosen is not None
        found = by_kind(tally(chosen, five, TARGETS, day))[CITY_BRAND]
        return found.status, found.kind_set_version

    assert status(date(2021, 12, 31)) == ("met", 1)
    assert status(date(2022, 1, 1)) == ("not_met", 2)
