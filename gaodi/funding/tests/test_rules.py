"""The funding rules with the plan's own numbers (30 %, 3,300 元, 2020-12-31, the 附件2 五
targets), edge cases, and parameter versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from gaodi.achievements.versions import ParameterError
from gaodi.funding import rules
from gaodi.funding.rules import (
    AppropriationYear,
    DebtItem,
    FundingLine,
    SurchargeYear,
    check_appropriation,
    check_debts,
    check_surcharge,
    compare_funding,
    per_student_wan,
    plan_rules,
    rules_for_year,
)

RULES = plan_rules()


def test_the_plan_rules_carry_the_plans_numbers_and_say_what_is_an_example() -> None:
    assert RULES.minimum_share == Decimal("0.30")
    assert RULES.standard_per_student == 3300
    assert RULES.debt_deadline == date(2020, 12, 31)
    assert "附件3 第2行" in RULES.source and "示例" in RULES.source
    assert RULES.is_example
    assert RULES.provincial_standard is None


def test_both_surcharges_at_thirty_percent_or_more_meet_the_rule() -> None:
    given = SurchargeYear("茌平区", 2020, 10_000_000, 3_000_000, 6_000_000, 2_400_000)
    found = check_surcharge(given, RULES)
    assert [c.status for c in found.checks] == [rules.MET, rules.MET]
    assert found.status == rules.MET
    assert found.checks[0].share == Decimal("0.3")
    assert found.checks[1].share == Decimal("0.4")
    assert "用于职业教育 3,000,000 元 ÷ 收入 10,000,000 元 = 30.0%" in found.steps[2]
    assert found.steps[-1].startswith("依据：聊茌政发〔2020〕19号 重点任务（一）、附件3 第4行")
    assert found.rules_version == 1


def test_each_surcharge_is_judged_on_its_own_and_the_shortfall_is_rounded_up_to_the_yuan() -> None:
    # 地方教育附加 1,234,567 元 × 30 % = 370,370.1 元; 300,000 spent: short 70,370.1 -> 70,371
    given = SurchargeYear("茌平区", 2021, 5_000_000, 2_000_000, 1_234_567, 300_000)
    found = check_surcharge(given, RULES)
    education, local = found.checks
    assert education.status == rules.MET and education.shortfall == 0
    assert local.status == rules.NOT_MET
    required = Decimal(1_234_567) * Decimal("0.30")
    assert local.required == required
    assert local.shortfall == 70_371 and local.shortfall >= required - 300_000
    assert found.status == rules.NOT_MET
    assert any("尚差 70,371 元" in step for step in found.steps)


def test_exactly_thirty_percent_meets_and_one_yuan_less_does_not() -> None:
    met = check_surcharge(SurchargeYear("茌平区", 2020, 1000, 300, 1000, 300), RULES)
    assert met.status == rules.MET
    short = check_surcharge(SurchargeYear("茌平区", 2020, 1000, 299, 1000, 300), RULES)
    assert short.checks[0].status == rules.NOT_MET and short.checks[0].shortfall == 1


def test_zero_revenue_cannot_be_computed_rather_than_dividing_by_zero() -> None:
    found = check_surcharge(SurchargeYear("茌平区", 2020, 0, 0, 1000, 400), RULES)
    assert found.checks[0].status == rules.UNCOMPUTABLE
    assert found.checks[0].share is None
    assert found.status == rules.UNCOMPUTABLE
    assert "无法计算" in found.steps[2]
    # a shortfall elsewhere still makes the year 未达标
    short = check_surcharge(SurchargeYear("茌平区", 2020, 0, 0, 1000, 100), RULES)
    assert short.status == rules.NOT_MET


def test_the_appropriation_is_3300_yuan_times_the_students() -> None:
    students = 2193  # 附件2 三、师资队伍: 中职在校生 2019
    required = 3300 * students
    found = check_appropriation(AppropriationYear("职教中心", 2020, required, students), RULES)
    assert found.required == required == 7_236_900
    assert found.status == rules.MET and found.shortfall == 0
    assert found.per_student == Decimal(3300)
    short = check_appropriation(
        AppropriationYear("职教中心", 2020, required - 900, students), RULES
    )
    assert short.status == rules.NOT_MET and short.shortfall == 900
    assert any("尚差 900 元" in s for s in short.steps)
    assert any("上一年9月30日全日制中职在校生数" in s for s in found.steps)


def test_the_count_year_is_the_year_before_and_the_working_says_where_the_count_came_from() -> None:
    assert RULES.students_year_offset == -1 and RULES.count_year(2021) == 2020
    assert replace(RULES, version=2, students_year_offset=0).count_year(2021) == 2021
    with pytest.raises(ParameterError):
        replace(RULES, version=2, students_year_offset=1)
    origin = "取自指标库（2020年，已审核）"
    found = check_appropriation(
        AppropriationYear("职教中心", 2021, 3300 * 2824, 2824, origin), RULES
    )
    assert found.students_from == origin
    assert "在校生 2,824 人" in found.steps[0]
    assert "2020 年数；" + origin in found.steps[0]
    assert found.steps[1] == "应拨 3,300 元/生 × 2,824 人 = 9,319,200 元；实拨 9,319,200 元：达标"


def test_a_version_stored_before_the_count_year_reads_it_as_the_year_before() -> None:
    data = RULES.to_json()
    del data["students_year_offset"]
    assert rules.FundingRules.from_json(data).count_year(2021) == 2020


def test_the_rules_are_named_by_their_name_and_version_not_their_code() -> None:
    assert RULES.label() == "经费保障规则（方案预置） 第 1 版，2019-01-01 起施行"
    assert RULES.code not in RULES.label()


def test_money_is_grouped_and_exact() -> None:
    assert rules.yuan(9_900_000) == "9,900,000 元"
    assert rules.yuan(Decimal("3840000.30")) == "3,840,000.3 元"
    assert rules.yuan(Decimal("3840000.000000")) == "3,840,000 元"


def test_no_students_cannot_be_computed() -> None:
    found = check_appropriation(AppropriationYear("职教中心", 2020, 100, 0), RULES)
    assert found.status == rules.UNCOMPUTABLE and found.per_student is None
    assert per_student_wan(100, 0) is None


def test_per_student_in_wan_is_a_ratio_of_sums() -> None:
    # two schools: 3,300 × 1000 and 3,600 × 500 -> (3,300,000 + 1,800,000) / 1,500 = 3,400 元
    assert per_student_wan(3_300_000 + 1_800_000, 1500) == Decimal("0.34")
    assert per_student_wan(1000, 3) == Decimal("0.033333")


def test_a_standard_that_does_not_rise_is_flagged_and_a_rise_is_shown() -> None:
    flat = check_appropriation(AppropriationYear("职教中心", 2021, 0, 10), RULES, RULES)
    assert flat.rise == rules.FLAT
    higher = replace(RULES, version=2, standard_per_student=3600)
    risen = check_appropriation(AppropriationYear("职教中心", 2022, 0, 10), higher, RULES)
    assert risen.rise == rules.RISEN and risen.previous_standard == 3300
    assert any("+300 元" in s for s in risen.steps)
    first = check_appropriation(AppropriationYear("职教中心", 2020, 0, 10), RULES, None)
    assert first.rise == rules.NO_PREVIOUS


def test_the_provincial_standard_is_compared_only_when_set() -> None:
    assert check_appropriation(AppropriationYear("x", 2020, 0, 1), RULES).above_provincial is None
    set_ = replace(RULES, provincial_standard=3000)
    assert check_appropriation(AppropriationYear("x", 2020, 0, 1), set_).above_provincial is True
    same = replace(RULES, provincial_standard=3300)
    assert check_appropriation(AppropriationYear("x", 2020, 0, 1), same).above_provincial is False


def test_a_new_version_changes_only_the_years_from_its_effective_date() -> None:
    newer = replace(RULES, version=2, effective_from=date(2022, 1, 1), standard_per_student=3600)
    versions = [RULES, newer]
    assert rules_for_year(versions, 2021, RULES.code) == RULES
    assert rules_for_year(versions, 2022, RULES.code) == newer
    assert rules_for_year(versions, 2018, RULES.code) is None
    given = AppropriationYear("职教中心", 2021, 3300 * 100, 100)
    before = check_appropriation(given, rules_for_year(versions, 2021, RULES.code))  # type: ignore[arg-type]
    after_year = replace(given, year=2022)
    after = check_appropriation(after_year, rules_for_year(versions, 2022, RULES.code))  # type: ignore[arg-type]
    assert (before.status, before.rules_version) == (rules.MET, 1)
    assert (after.status, after.rules_version, after.shortfall) == (rules.NOT_MET, 2, 300 * 100)


def test_bad_parameters_are_refused_with_every_problem() -> None:
    with pytest.raises(ParameterError) as refused:
        replace(RULES, minimum_share=Decimal(0), standard_per_student=0, student_count=" ")
    message = str(refused.value)
    assert "最低比例" in message and "生均拨款标准" in message and "在校生" in message


def test_parameters_survive_json() -> None:
    again = rules.FundingRules.from_json(replace(RULES, provincial_standard=3000).to_json())
    assert again == replace(RULES, provincial_standard=3000)


def _line(
    code: str, name: str, targets: dict[int, str], actuals: dict[int, str | None]
) -> FundingLine:
    return FundingLine(
        code,
        name,
        "万元",
        Decimal("5387.35"),
        2019,
        tuple((y, Decimal(v)) for y, v in targets.items()),
        tuple((y, None if v is None else Decimal(v)) for y, v in actuals.items()),
    )


def test_the_funding_table_compares_each_year_and_notes_the_2022_drop() -> None:
    plan_targets = {2020: "20000", 2021: "50000", 2022: "30000"}
    line = _line("i048", "财政性职业教育经费总投入", plan_targets, {2020: "12694", 2021: None})
    (row,) = compare_funding([line], [2020, 2021, 2022])
    cells = {c.year: c for c in row.cells}
    assert cells[2020].status == rules.NOT_MET
    assert cells[2020].gap == Decimal(20000) - Decimal(12694)
    assert cells[2021].status == rules.NO_ACTUAL
    assert cells[2022].target == Decimal(30000)  # as the plan says
    assert row.drops == (
        "方案 2022 年目标 30000 万元 低于 2021 年目标 50000 万元，按方案原文列示，未作更改",
    )
    met = compare_funding([_line("a", "b", {2020: "1"}, {2020: "1"})], [2020])
    assert met[0].cells[0].status == rules.MET
    blank = compare_funding([_line("a", "b", {}, {2020: "5"})], [2020])
    assert blank[0].cells[0].status == rules.NO_TARGET


AS_OF = date(2021, 6, 30)


def test_debts_resolved_in_time_overdue_and_new() -> None:
    debts = [
        DebtItem(
            "职教中心", "实训楼工程款", 2_000_000, date(2018, 5, 1), date(2020, 11, 30), 2_000_000
        ),
        DebtItem("职教中心", "设备采购欠款", 800_000, date(2019, 3, 1), date(2020, 6, 1), 300_000),
        DebtItem("二职", "宿舍改造", 500_000, date(2021, 3, 1)),
        DebtItem("三职", "食堂", 100_000, date(2019, 1, 1), date(2021, 2, 1), 100_000),
    ]
    results, schools = check_debts(debts, ["职教中心", "二职", "三职", "四职"], RULES, AS_OF)
    assert [r.status for r in results] == [
        rules.RESOLVED,
        rules.OVERDUE,
        rules.NEW_DEBT,
        rules.RESOLVED_LATE,
    ]
    assert results[1].outstanding == 500_000
    by_school = {s.school: s for s in schools}
    assert by_school["职教中心"].status == rules.OVERDUE
    assert by_school["职教中心"].outstanding == 500_000
    assert by_school["二职"].status == rules.NEW_DEBT
    assert by_school["四职"].status == rules.NO_DEBT
    assert by_school["职教中心"].status_label == "逾期未化解"


def test_before_the_deadline_a_debt_is_pending_and_a_later_resolution_does_not_count() -> None:
    debt = DebtItem("职教中心", "x", 1000, date(2019, 1, 1), date(2020, 12, 1), 1000)
    found, _schools = check_debts([debt], ["职教中心"], RULES, date(2020, 6, 30))
    assert found[0].status == rules.PENDING and found[0].outstanding == 1000


def test_the_debt_deadline_follows_the_version_in_force() -> None:
    later = replace(RULES, version=2, debt_deadline=date(2021, 12, 31))
    debt = DebtItem("职教中心", "x", 1000, date(2019, 1, 1))
    assert check_debts([debt], [], RULES, AS_OF)[0][0].status == rules.OVERDUE
    assert check_debts([debt], [], later, AS_OF)[0][0].status == rules.PENDING
