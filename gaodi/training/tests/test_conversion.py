"""培训量与折算 (重点任务（七）): the plan's 5,000 人次 and 25 %, the 附件2 row, bases, versions."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from gaodi.achievements.versions import ParameterError
from gaodi.training.conversion import (
    DISABLED,
    PERSON_DAYS,
    PERSON_TIMES,
    STUDENT_YEARS,
    VETERANS,
    Conversion,
    ConversionParameters,
    TrainingRecord,
    Volume,
    annual_volume,
    convert,
    convert_year,
    example_parameters,
    explain,
)

D = Decimal
PARAMS = example_parameters()


def rec(
    participants: int,
    days: str,
    end: date = date(2020, 6, 30),
    groups: tuple[str, ...] = (),
    subsidised: bool = False,
    income: str | None = None,
    start: date | None = None,
) -> TrainingRecord:
    return TrainingRecord(
        programme="电工培训",
        start=start or date(end.year, 1, 1),
        end=end,
        participants=participants,
        person_days=D(days),
        target_groups=groups,
        subsidised=subsidised,
        income=None if income is None else D(income),
    )


def test_example_parameters_carry_the_plans_numbers_and_are_labelled_example() -> None:
    assert PARAMS.ratio == D("0.25")
    assert PARAMS.annual_target_person_times == 5000
    assert PARAMS.basis == STUDENT_YEARS
    assert PARAMS.is_example
    assert "（七）" in PARAMS.source


def test_volume_against_5000_target_and_annex_row() -> None:
    records = [
        rec(3000, "8000", groups=(VETERANS,), subsidised=True, income="120000"),
        rec(2000, "5500", income="80000.50"),
        rec(999, "9999", end=date(2021, 1, 5), start=date(2020, 12, 28)),  # counts in 2021
    ]
    volume = annual_volume(records, 2020, PARAMS, table_person_days=D(13500))
    assert volume.records == 2
    assert volume.person_times == 5000
    assert volume.person_days == D(13500)
    assert volume.meets_person_times is True
    assert volume.meets_table is True
    assert volume.subsidised_person_days == D(8000)
    assert volume.target_group_person_days == D(8000)
    assert volume.income == D(200001)  # 200000.50 rounds half up to the 元
    assert any("已达到" in step for step in volume.steps)


def test_volume_short_of_targets_says_by_how_much() -> None:
    volume = annual_volume([rec(4999, "13499")], 2020, PARAMS, table_person_days=D(13500))
    assert volume.meets_person_times is False
    assert volume.meets_table is False
    assert any("差 1 人次" in step for step in volume.steps)
    assert any("差 1 人日" in step for step in volume.steps)


def test_no_training_gives_zero_and_no_table_row_gives_none() -> None:
    volume = annual_volume([], 2020, PARAMS)
    assert volume.person_times == 0
    assert volume.person_days == 0
    assert volume.meets_person_times is False
    assert volume.meets_table is None
    result = convert(volume, PARAMS)
    assert result.students == 0
    assert result.pay_increment == 0


def test_missing_income_is_not_zero_it_is_flagged() -> None:
    volume = annual_volume([rec(10, "20", income="500"), rec(5, "5")], 2020, PARAMS)
    assert volume.income == D(500)
    assert volume.income_unreported == 1
    assert any("未填报到款额" in step for step in volume.steps)


def test_conversion_student_years_default() -> None:
    # 13,500 人日 ÷ 200 = 67.5 生·年 × 25 % = 16.875 students × 1,000 元 = 16,875 元
    volume = annual_volume([rec(5000, "13500")], 2020, PARAMS)
    result = convert(volume, PARAMS)
    assert result.basis_amount == D("67.5")
    assert result.students == D("16.875")
    assert result.pay_increment == D(16875)
    assert result.parameters_code == PARAMS.code
    assert result.parameters_version == 1


@pytest.mark.parametrize(
    ("basis", "students", "increment"),
    [
        (PERSON_TIMES, D(1250), D(1250000)),  # 5,000 人次 × 25 %
        (PERSON_DAYS, D(3375), D(3375000)),  # 13,500 人日 × 25 %
        (STUDENT_YEARS, D("16.875"), D(16875)),
    ],
)
def test_basis_is_a_parameter_and_the_choice_is_shown(
    basis: str, students: Decimal, increment: Decimal
) -> None:
    params = replace(PARAMS, basis=basis)
    result = convert(annual_volume([rec(5000, "13500")], 2020, params), params)
    assert result.basis == basis
    assert result.students == students
    assert result.pay_increment == increment
    assert result.steps[0].startswith("折算基础")


def test_pay_increment_rounds_half_up_to_the_yuan() -> None:
    # 1 人日 ÷ 200 × 25 % = 0.00125 students × 1,000 元 = 1.25 元 -> 1 元; × 1,200 = 1.5 -> 2
    volume = annual_volume([rec(1, "1")], 2020, PARAMS)
    assert convert(volume, PARAMS).pay_increment == D(1)
    assert convert(volume, replace(PARAMS, pay_per_student=D(1200))).pay_increment == D(2)


def test_bad_parameters_and_records_are_refused() -> None:
    with pytest.raises(ParameterError):
        replace(PARAMS, basis="hours")
    with pytest.raises(ParameterError):
        replace(PARAMS, days_per_student_year=D(0))
    with pytest.raises(ParameterError):
        replace(PARAMS, ratio=D("1.5"))
    with pytest.raises(ParameterError):
        replace(PARAMS, version=0)
    with pytest.raises(ParameterError):
        rec(1, "-1")
    with pytest.raises(ParameterError):
        rec(1, "1", groups=("aliens",))
    with pytest.raises(ParameterError):
        rec(1, "1", end=date(2020, 1, 1), start=date(2020, 2, 1))


def test_json_round_trip() -> None:
    records = [rec(3000, "8000", groups=(VETERANS, DISABLED), subsidised=True, income="1.5")]
    volume = annual_volume(records, 2020, PARAMS, table_person_days=D(13500))
    result = convert(volume, PARAMS)
    for thing, kind in (
        (volume, Volume),
        (result, Conversion),
        (PARAMS, ConversionParameters),
        (records[0], TrainingRecord),
    ):
        data = json.loads(json.dumps(thing.to_json(), ensure_ascii=False))
        assert kind.from_json(data) == thing  # type: ignore[attr-defined]


def test_new_version_changes_only_computations_dated_after_it() -> None:
    v2 = replace(PARAMS, version=2, effective_from=date(2021, 9, 1), basis=PERSON_TIMES)
    versions = [PARAMS, v2]
    records = [rec(5000, "13500", end=date(2021, 6, 30))]
    _, before = convert_year(records, 2021, versions, as_of=date(2021, 8, 31))
    _, after = convert_year(records, 2021, versions, as_of=date(2021, 9, 1))
    assert (before.parameters_version, before.pay_increment) == (1, D(16875))
    assert (after.parameters_version, after.pay_increment) == (2, D(1250000))
    with pytest.raises(ParameterError):
        convert_year(records, 2019, versions, as_of=date(2019, 12, 31))


def test_explain_is_chinese_and_names_clause_and_version() -> None:
    volume = annual_volume([rec(5000, "13500")], 2020, PARAMS)
    lines = explain(volume, convert(volume, PARAMS))
    assert "重点任务（七）" in lines[-1]
    assert "第 1 版" in lines[-1]
    assert any("示例" in line for line in lines)
    assert any("25%" in line for line in lines)


def test_other_group_counts_in_the_target_group_row() -> None:
    from gaodi.training.conversion import OTHER

    volume = annual_volume([rec(10, "30", groups=(OTHER,)), rec(5, "7")], 2020, PARAMS)
    assert volume.target_group_person_days == D(30)


def test_rows_against_the_annex_targets() -> None:
    from gaodi.training.conversion import check_row

    # 附件2 承担补贴性培训规模 2021: 9,000 人日
    short = check_row("承担补贴性培训规模", "人日", D(8999.5), D(9000))
    assert short.met is False
    assert "差 0.5 人日" in short.sentence
    met = check_row("承担补贴性培训规模", "人日", D(9000), D(9000))
    assert met.met is True and "已达到" in met.sentence
    none = check_row("培训到款额", "万元", D("85.6"), None)
    assert none.met is None and "未设目标" in none.sentence
    assert (met.actual_text, met.target_text, none.target_text) == ("9000", "9000", "")


def test_income_in_wan_yuan_is_exact() -> None:
    from gaodi.training.conversion import income_in_wan

    assert income_in_wan(D(856000)) == D("85.6")
    assert income_in_wan(D(123457)) == D("12.3457")  # no rounding away of a yuan
    assert income_in_wan(D(0)) == 0


def test_ratio_row_divides_the_person_days_by_the_enrolment() -> None:
    from gaodi.training.conversion import Enrolment, check_ratio

    # 附件2 培训规模与全日制在校生比例 2020: 4:1 (stored as 4); enrolment read elsewhere
    days, students = D("15100"), D("2824")
    row = check_ratio("比例", days, Enrolment(students, ("在校生取自指标",)), D(4))
    assert row.actual == days / students
    assert row.met is True  # 5.35 ≥ 4
    assert (row.actual_text, row.target_text) == ("5.35:1", "4:1")
    assert row.detail == "15100 人日 ÷ 2824 人"
    assert row.steps[1] == "在校生取自指标" and row.steps[-1] == row.sentence
    assert "15100 人日 ÷ 全日制在校生 2824 人 = 5.35:1" in row.sentence
    short = check_ratio("比例", D(8000), Enrolment(D(2824)), D(3))
    assert short.met is False and "目标 3:1，未达到" in short.sentence
    exact = check_ratio("比例", D(9000), Enrolment(D(3000)), D(3))
    assert exact.met is True  # 3:1 reached exactly
    untargeted = check_ratio("比例", D(9000), Enrolment(D(3000)), None)
    assert untargeted.met is None and "方案该年未设目标" in untargeted.sentence


def test_ratio_row_without_enrolment_says_it_cannot_be_computed_and_why() -> None:
    from gaodi.training.conversion import Enrolment, check_ratio

    missing = check_ratio("比例", D(100), Enrolment(None, (), "甲校尚未填报在校生数"), D(4))
    assert missing.actual is None and missing.met is None
    assert missing.actual_text == "无法计算"
    assert missing.detail == "甲校尚未填报在校生数"
    assert "无法计算——甲校尚未填报在校生数" in missing.sentence
    zero = check_ratio("比例", D(100), Enrolment(D(0)), D(4))
    assert zero.actual is None and "全日制在校生为 0" in zero.sentence


def test_money_in_the_working_is_grouped_by_thousands() -> None:
    from gaodi.training.conversion import money

    assert money(D(43263250)) == "43,263,250 元"
    assert money(D("-20000")) == "-20,000 元"
    assert money(D("999.5")) == "1,000 元"  # to the 元, half up
    assert money(D(0)) == "0 元"


def test_explain_names_the_set_when_given() -> None:
    volume = annual_volume([rec(10, "30")], 2020, PARAMS)
    lines = explain(volume, convert(volume, PARAMS), name=PARAMS.name)
    assert f"（{PARAMS.name} 第 1 版，2020-01-01 起施行）" in lines[-1]
