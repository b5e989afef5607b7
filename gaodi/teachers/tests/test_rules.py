"""师资队伍 checks: worked examples with the plan's own numbers (附件2 三、师资队伍: 2193/202,
126/138, 166/180, 210/220; （十四） 70 %, 附件3 第29行 80 %; （十五） 3 years and 20 %), edge
cases and the parameter versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from gaodi.teachers.counts import (
    DUAL,
    FULL_TIME,
    HIRES,
    HIRES_EXPERIENCED,
    MASTER,
    SPECIALTY_TEACHERS,
    STUDIO,
    HonourFact,
    count_honours,
    indicator_values,
)
from gaodi.teachers.rules import (
    BODY,
    MET,
    NO_TARGET,
    NONE,
    NOT_MET,
    TABLE,
    TASK_LIST,
    UNCOMPUTABLE,
    ParameterError,
    RatioTarget,
    SourceFigure,
    TeacherFact,
    TeacherRules,
    as_of_for,
    check_dual_share,
    check_new_hires,
    check_part_time,
    check_student_ratio,
    contradiction,
    plan_rules,
    select_version,
)

RULES = plan_rules()
YEAR_END = date(2022, 12, 31)
LONG_AGO = date(2010, 9, 1)
# The plan's three figures for the 2022 双师型 share, as the parser stores them.
FIGURES = [
    SourceFigure(BODY, "重点任务（十四）", 2022, Decimal(70), "2022年…达到70%以上"),
    SourceFigure(TASK_LIST, "任务清单第29行", 2022, Decimal(80), "2022年…达到80%以上"),
    SourceFigure(TABLE, "附件2 三、师资队伍", 2022, Decimal("95.4"), "95.4%（210/220）"),
    SourceFigure(TABLE, "附件2 三、师资队伍", 2021, Decimal("92.2"), "92.2%（166/180）"),
]


def staff(dual: int, specialty: int, full_time: int, **extra: object) -> list[TeacherFact]:
    """`full_time` full-time teachers, the first `specialty` of them 专业课 teachers, the first
    `dual` of those certified 双师型 long ago."""
    return [
        TeacherFact(
            name=f"教师{k:03d}",
            full_time=True,
            specialty_course=k < specialty,
            hired_on=LONG_AGO,
            dual_qualified=k < dual,
            certified_on=LONG_AGO if k < dual else None,
            **extra,  # type: ignore[arg-type]
        )
        for k in range(full_time)
    ]


@pytest.mark.parametrize(
    ("dual", "specialty", "shown"),
    [(126, 138, "91.30%"), (166, 180, "92.22%"), (210, 220, "95.45%")],
)
def test_the_plans_own_dual_shares_come_out_of_its_parts(
    dual: int, specialty: int, shown: str
) -> None:
    found = check_dual_share(
        "职教中心", 2022, staff(dual, specialty, 302), FIGURES, RULES, YEAR_END
    )
    assert found.value == shown
    assert f"{dual} ÷ {specialty} = {shown}" in found.steps


def test_210_of_220_meets_the_strictest_2022_figure_and_names_the_contradiction() -> None:
    found = check_dual_share("职教中心", 2022, staff(210, 220, 302), FIGURES, RULES, YEAR_END)
    assert found.status == MET  # 95.45 % ≥ 95.4 %
    [warning] = found.warnings
    assert "方案前后不一致" in warning
    assert "70%以上" in warning and "80%以上" in warning and "95.4%（210/220）" in warning
    assert "对照正文 70%：达到" in found.steps and "对照附件2 指标表 95.4%：达到" in found.steps


def test_126_of_138_meets_70_and_80_but_not_the_table_so_the_default_says_not_met() -> None:
    found = check_dual_share("职教中心", 2022, staff(126, 138, 202), FIGURES, RULES, YEAR_END)
    assert found.status == NOT_MET  # 91.30 % < 95.4 %
    assert "对照正文 70%：达到" in found.steps
    assert "对照工作任务清单 80%：达到" in found.steps
    assert "对照附件2 指标表 95.4%：未达到" in found.steps


def test_reading_the_body_instead_judges_against_70_percent() -> None:
    body = replace(RULES, dual_target_reading=BODY)
    found = check_dual_share("职教中心", 2022, staff(126, 138, 202), FIGURES, body, YEAR_END)
    assert found.status == MET
    assert any("即 70%（重点任务（十四））" in step for step in found.steps)


def test_a_teacher_counts_as_dual_only_from_the_certification_date() -> None:
    teachers = staff(2, 4, 4)
    late = replace(teachers[2], dual_qualified=True, certified_on=date(2023, 3, 1))
    teachers[2] = late
    found = check_dual_share("职教中心", 2022, teachers, FIGURES, RULES, YEAR_END)
    assert found.value == "50.00%"  # 2 of 4; the third is certified in 2023
    assert any("教师002" in step and "2023-03-01晚于统计日" in step for step in found.steps)
    later = check_dual_share("职教中心", 2023, teachers, FIGURES, RULES, date(2023, 12, 31))
    assert later.value == "75.00%" and later.status == NO_TARGET


def test_no_specialty_teachers_is_uncomputable_not_zero() -> None:
    found = check_dual_share("职教中心", 2022, staff(0, 0, 5), FIGURES, RULES, YEAR_END)
    assert found.status == UNCOMPUTABLE and found.value == "—"


def test_part_time_teachers_count_only_when_asked() -> None:
    teachers = [*staff(1, 2, 2), replace(staff(1, 1, 1)[0], name="兼职甲", full_time=False)]
    default = check_dual_share("职教中心", 2022, teachers, FIGURES, RULES, YEAR_END)
    counted = check_dual_share(
        "职教中心", 2022, teachers, FIGURES, replace(RULES, dual_counts_part_time=True), YEAR_END
    )
    assert (default.value, counted.value) == ("50.00%", "66.67%")


@pytest.mark.parametrize(
    ("students", "teachers", "year", "ratio"),
    [
        (2193, 202, 2019, "10.86:1"),
        (3456, 202, 2020, "17.11:1"),
        (4888, 252, 2021, "19.40:1"),
        (6000, 302, 2022, "19.87:1"),
    ],
)
def test_the_plans_student_teacher_ratios_come_out_of_its_parts(
    students: int, teachers: int, year: int, ratio: str
) -> None:
    printed = {2019: 11, 2020: 17, 2021: 19, 2022: 20}[year]
    target = RatioTarget(year, Decimal(printed), f"{printed}:1（{students}/{teachers}）")
    found = check_student_ratio(
        "职教中心", year, Decimal(students), staff(0, 0, teachers), target, RULES, YEAR_END
    )
    assert found.value == ratio
    # the plan prints whole students per teacher (4888/252 = 19.40 is its 19:1): compared so
    assert found.status == MET
    assert f"按方案写法取整为 {printed}:1" in found.steps[-2]


def test_a_ratio_above_the_ceiling_fails_and_missing_parts_are_uncomputable() -> None:
    target = RatioTarget(2021, Decimal(19), "19:1（4888/252）", note="中职学校生师比为全市平均数")
    over = check_student_ratio(
        "职教中心", 2021, Decimal(4888), staff(0, 0, 202), target, RULES, YEAR_END
    )
    assert over.status == NOT_MET and over.value == "24.20:1"
    assert "方案备注：中职学校生师比为全市平均数" in over.steps
    no_students = check_student_ratio(
        "职教中心", 2021, None, staff(0, 0, 5), target, RULES, YEAR_END
    )
    no_teachers = check_student_ratio("职教中心", 2021, Decimal(10), [], target, RULES, YEAR_END)
    assert no_students.status == no_teachers.status == UNCOMPUTABLE
    no_target = check_student_ratio(
        "职教中心", 2023, Decimal(10), staff(0, 0, 1), None, RULES, YEAR_END
    )
    assert no_target.status == NO_TARGET


def test_a_year_without_its_own_enrolment_uses_the_latest_and_says_so() -> None:
    target = RatioTarget(2021, Decimal(19), "19:1（4888/252）")
    own = check_student_ratio(
        "职教中心", 2021, Decimal(4888), staff(0, 0, 252), target, RULES, YEAR_END
    )
    stand_in = check_student_ratio(
        "职教中心",
        2021,
        Decimal(3456),
        staff(0, 0, 202),
        target,
        RULES,
        YEAR_END,
        students_year=2020,
    )
    # the 2020 figure is used for 2021, said plainly (示例) in the working and as a warning
    said = "2021 年在校生尚未填报，按 2020 年 3456 人计算（示例）"
    assert stand_in.warnings == (said,) and said in stand_in.steps
    assert stand_in.value == "17.11:1" and stand_in.status == MET
    # the year's own figure: no warning, as before
    assert own.warnings == () and "2021 年在校生数 4888 人（读自指标填报）" in own.steps
    same_year = check_student_ratio(
        "职教中心",
        2021,
        Decimal(4888),
        staff(0, 0, 252),
        target,
        RULES,
        YEAR_END,
        students_year=2021,
    )
    assert same_year == own


def hire(name: str, years: str | None, **extra: object) -> TeacherFact:
    given: dict[str, object] = {"full_time": True, "specialty_course": True, **extra}
    return TeacherFact(
        name=name,
        hired_on=date(2021, 9, 1),
        enterprise_years=None if years is None else Decimal(years),
        **given,  # type: ignore[arg-type]
    )


def test_new_hires_without_three_years_are_listed_and_exemptions_are_a_parameter() -> None:
    teachers = [
        hire("甲", "3.0"),
        hire("乙", "2.9"),
        hire("丙", None),
        hire("丁", "0", exemption="高技能人才直接考察招聘"),
        hire("戊", "1", exemption="领导推荐"),
        hire("己", "0", specialty_course=False),  # a culture teacher: out of scope by default
        replace(hire("庚", "0"), hired_on=date(2020, 9, 1)),  # hired the year before
    ]
    found = check_new_hires("职教中心", 2021, teachers, RULES, date(2021, 12, 31))
    assert found.status == NOT_MET
    assert found.failing == ("乙", "丙", "戊")
    assert found.value == "2/5"
    assert any("所报豁免“领导推荐”不在参数所列情形内" in step for step in found.steps)
    everyone = check_new_hires(
        "职教中心", 2021, teachers, replace(RULES, hire_scope="all"), date(2021, 12, 31)
    )
    assert everyone.failing == ("乙", "丙", "戊", "己")
    strict = check_new_hires(
        "职教中心", 2021, teachers, replace(RULES, exemptions=()), date(2021, 12, 31)
    )
    assert "丁" in strict.failing


def test_a_year_without_hires_says_so_and_hires_after_the_count_day_wait() -> None:
    teachers = [hire("甲", "0")]
    assert check_new_hires("职教中心", 2021, teachers, RULES, date(2021, 6, 30)).status == NONE
    assert check_new_hires("职教中心", 2020, teachers, RULES, date(2020, 12, 31)).status == NONE


def part_timers(n: int, **extra: object) -> list[TeacherFact]:
    return [
        TeacherFact(f"兼职{k}", full_time=False, specialty_course=True, hired_on=LONG_AGO, **extra)  # type: ignore[arg-type]
        for k in range(n)
    ]


def test_part_time_teachers_within_20_percent_of_the_quota() -> None:
    # 40 part-time teachers against a quota of 202: 19.80 % ≤ 20 %, the cap 40.4
    within = check_part_time("职教中心", 2021, part_timers(40), 202, RULES, YEAR_END)
    assert within.status == MET and within.value == "19.80%"
    assert any("202 × 20% = 40.4 人" in step for step in within.steps)
    over = check_part_time("职教中心", 2021, part_timers(41), 202, RULES, YEAR_END)
    assert over.status == NOT_MET and over.value == "20.30%"


def test_zero_or_missing_quota_is_uncomputable_and_leavers_do_not_count() -> None:
    assert check_part_time("职教中心", 2021, part_timers(3), 0, RULES, YEAR_END).status == (
        UNCOMPUTABLE
    )
    missing = check_part_time("职教中心", 2021, part_timers(3), None, RULES, YEAR_END)
    assert missing.status == UNCOMPUTABLE and any("未登记编制员额" in s for s in missing.steps)
    gone = part_timers(5, left_on=date(2021, 7, 1))
    assert check_part_time("职教中心", 2021, gone, 10, RULES, YEAR_END).value == "0.00%"


def test_every_result_records_the_version_and_ends_with_its_clause() -> None:
    found = check_part_time("职教中心", 2021, [], 10, RULES, YEAR_END)
    assert (found.rules_code, found.rules_version) == ("teacher-rules", 1)
    assert found.steps[-1].startswith("依据：聊茌政发〔2020〕19号 重点任务（十五）、附件3 第32行")
    # users read the set's Chinese name and 第 N 版, not its code
    assert f"参数集“{RULES.name}”第 1 版（2020-01-01 起施行）" in found.steps[-1]
    assert "teacher-rules" not in found.steps[-1]


def test_a_new_version_changes_only_results_counted_on_or_after_its_day() -> None:
    second = replace(
        RULES, version=2, effective_from=date(2022, 1, 1), part_time_cap=Decimal("0.1")
    )
    versions = [RULES, second]
    teachers = part_timers(15)
    results = {}
    for year in (2021, 2022):
        day = as_of_for(year, date(2023, 1, 1))
        rules = select_version(versions, day, "teacher-rules")
        assert rules is not None
        results[year] = check_part_time("职教中心", year, teachers, 100, rules, day)
    assert (results[2021].status, results[2021].rules_version) == (MET, 1)
    assert (results[2022].status, results[2022].rules_version) == (NOT_MET, 2)
    assert select_version(versions, date(2019, 12, 31), "teacher-rules") is None


def test_parameters_round_trip_and_bad_ones_are_refused_in_chinese() -> None:
    assert TeacherRules.from_json(RULES.to_json()) == RULES
    with pytest.raises(ParameterError, match="兼职教师比例上限.*；.*适用范围|适用范围.*；.*兼职"):
        replace(RULES, part_time_cap=Decimal(0), hire_scope="everybody")


def test_the_count_day_is_the_year_end_or_today() -> None:
    assert as_of_for(2020, date(2021, 6, 30)) == date(2020, 12, 31)
    assert as_of_for(2021, date(2021, 6, 30)) == date(2021, 6, 30)


def test_contradiction_is_empty_when_the_figures_agree() -> None:
    from gaodi.teachers.rules import contradictions

    assert contradictions(FIGURES) == contradiction(FIGURES, 2022) != ""
    assert contradiction(FIGURES, 2021) == ""
    assert contradiction([FIGURES[0], replace(FIGURES[1], value=Decimal(70))], 2022) == ""


def test_honours_are_counted_per_kind_as_of_a_day() -> None:
    honours = [
        HonourFact("甲", STUDIO, "区级", date(2021, 3, 1)),
        HonourFact("乙", MASTER, "区级", date(2021, 5, 1)),
        HonourFact("丙", MASTER, "市级", date(2021, 9, 1)),
    ]
    counts = {c.kind: c for c in count_honours(honours, date(2021, 6, 30))}
    assert counts[STUDIO].count == 1 and counts[MASTER].count == 1
    assert counts[MASTER].names == ("乙（区级）",) and counts[MASTER].clause == "重点任务（十七）"
    assert sum(c.count for c in counts.values()) == 2


def test_indicator_parts_come_from_the_records() -> None:
    teachers = [*staff(126, 138, 202), hire("新甲", "4"), hire("新乙", "1")]
    values = {v.role: v.value for v in indicator_values(teachers, 2021, RULES, YEAR_END)}
    assert values[FULL_TIME] == 204 and values[SPECIALTY_TEACHERS] == 140
    assert values[DUAL] == 126
    assert (values[HIRES], values[HIRES_EXPERIENCED]) == (Decimal(2), Decimal(1))


def test_every_parameter_is_shown_with_its_value_and_its_source_or_example() -> None:
    from gaodi.teachers.rules import parameter_rows

    rows = {label: (value, why) for label, value, why in parameter_rows(RULES)}
    assert rows["新进教师企业工作年限下限（年）"] == (
        "3",
        "聊茌政发〔2020〕19号 重点任务（十五）“3年以上企业工作经历”",
    )
    assert rows["兼职教师占编制员额上限"][0] == "20%"
    assert rows["“双师型”目标取值"][1].startswith("示例")
    assert len(rows) == 8


def test_the_qualification_is_listed_and_required_only_when_the_parameter_says_so() -> None:
    teachers = [hire("甲", "4", has_qualification=True), hire("乙", "4")]
    listed = check_new_hires("职教中心", 2021, teachers, RULES, date(2021, 12, 31))
    assert listed.status == MET
    assert "共 2 人，不符合 0 人；登记有相关专业技术资格 1 人" in listed.steps
    required = check_new_hires(
        "职教中心", 2021, teachers, replace(RULES, require_qualification=True), date(2021, 12, 31)
    )
    assert required.failing == ("乙",)
    assert any("乙" in s and "不符合（无相关专业技术资格）" in s for s in required.steps)
