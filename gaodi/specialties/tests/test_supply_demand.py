"""供求信息 (重点任务（八）): worked examples of supply, gap and forecast, pure, no database."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from gaodi.specialties.supply_demand import (
    AVERAGE_CHANGE,
    Cohort,
    Declaration,
    ParameterError,
    Parameters,
    SupplyDemand,
    demand_history,
    example_parameters,
    expected_graduates,
    explain,
    forecast,
    gap,
    select_parameters,
    supply_demand,
)

LINEAR_SET = example_parameters()
AVERAGE_SET = replace(LINEAR_SET, version=2, method=AVERAGE_CHANGE)
IT = "新一代信息技术"


def declared(*rows: tuple[str, str, int, int]) -> list[Declaration]:
    return [Declaration(firm, specialty, IT, year, n) for firm, specialty, year, n in rows]


# Forecast


def test_a_linear_trend_through_three_years_gives_the_next_year() -> None:
    # 30, 50, 46: x̄ 2020, ȳ 42, Sxy = (−1)(−12) + (1)(4) = 16, Sxx = 2, b = 8
    found = forecast({2019: 30, 2020: 50, 2021: 46}, 2022, LINEAR_SET)
    assert found.value == 42 + 8 * 2 == 58
    assert found.used == ((2019, 30), (2020, 50), (2021, 46))
    assert any("= 16 ÷ 2 = 8 人/年" in step for step in found.steps)
    assert found.steps[-1] == "2022年需求预测 58 人（四舍五入到整人）"


def test_the_average_change_method_adds_the_mean_yearly_change_to_the_last_year() -> None:
    found = forecast({2019: 30, 2020: 50, 2021: 46}, 2022, AVERAGE_SET)
    assert found.value == 46 + (46 - 30) // 2 == 54
    assert "平均年增量：(46 − 30) ÷ (2021 − 2019) = 8 人/年" in found.steps[1]


def test_a_year_without_a_survey_is_left_out_not_counted_as_zero() -> None:
    declarations = declared(("甲", "计算机应用", 2019, 30), ("甲", "计算机应用", 2021, 46))
    history = demand_history(declarations, specialty="计算机应用")
    assert history == {2019: 30, 2021: 46}  # no 2020 key: unknown, not 0
    # line through (2019, 30) and (2021, 46): slope 8, so 2022 = 38 + 8 × 2 = 54
    assert forecast(history, 2022, LINEAR_SET).value == 54
    # 2020 counted as 0 would have given a different line
    assert forecast({2019: 30, 2020: 0, 2021: 46}, 2022, LINEAR_SET).value != 54


def test_in_a_surveyed_year_a_specialty_nobody_declared_wants_zero() -> None:
    declarations = declared(("甲", "计算机应用", 2019, 30), ("乙", "会计事务", 2020, 5))
    assert demand_history(declarations, specialty="会计事务") == {2019: 0, 2020: 5}


def test_a_falling_trend_is_floored_at_zero() -> None:
    found = forecast({2019: 20, 2020: 10, 2021: 0}, 2022, LINEAR_SET)
    assert found.value == 0  # 10 − 10 × 2 = −10
    assert "结果 -10 为负，按 0 计" in found.steps


def test_a_half_person_is_rounded_up() -> None:
    # (11 − 10) ÷ 2 = 0.5 a year: 2022 = 11 + 0.5 = 11.5 → 12
    assert forecast({2019: 10, 2021: 11}, 2022, AVERAGE_SET).value == 12
    # 10, 11, 13: ȳ 34/3, b 1.5: 2022 = 11.33 + 3 = 14.33 → 14
    assert forecast({2019: 10, 2020: 11, 2021: 13}, 2022, LINEAR_SET).value == 14


def test_too_little_history_gives_no_forecast_and_says_why() -> None:
    found = forecast({2021: 40}, 2022, LINEAR_SET)
    assert found.value is None
    assert "申报年度仅 1 个，少于最少 2 个，无法预测" in found.steps


def test_with_one_year_allowed_the_trend_is_flat() -> None:
    single = replace(LINEAR_SET, window=1, min_history=1)
    found = forecast({2020: 12, 2021: 40}, 2022, single)
    assert found.used == ((2021, 40),) and found.value == 40


def test_only_the_last_window_years_before_the_target_are_used() -> None:
    history = {2016: 500, 2019: 30, 2020: 40, 2021: 50, 2023: 999}
    found = forecast(history, 2022, LINEAR_SET)
    assert found.used == ((2019, 30), (2020, 40), (2021, 50)) and found.value == 60


# Supply and gap


COHORTS = [
    Cohort("一校", "计算机应用", 2021, graduates=180, enrolment=250),
    Cohort("二校", "计算机应用", 2018, enrolment=60),
    Cohort("三校", "计算机应用", 2020, enrolment=30),
]


def test_supply_takes_reported_graduates_else_the_cohort_that_entered_three_years_earlier() -> None:
    found = expected_graduates(COHORTS, "计算机应用", 2021, LINEAR_SET)
    assert found.value == 180 + 60
    assert found.steps == (
        "一校2021年报送毕业生 180 人",
        "二校未报2021年毕业生，按2018年实际招生 60 人（3年制）估计",
        "三校既无2021年毕业生也无2018年招生数据，未计入",
    )


def test_supply_of_a_specialty_no_school_reported_is_unknown() -> None:
    assert expected_graduates(COHORTS, "计算机应用", 2019, LINEAR_SET).value is None


def test_the_gap_is_demand_minus_supply_and_the_ratio_needs_a_supply() -> None:
    assert gap(300, 240) == (60, Decimal("1.25"))
    assert gap(0, 40) == (-40, Decimal("0.00"))
    assert gap(25, 0) == (25, None)  # 供给为 0: 供求比无法计算
    assert gap(None, 40) == (None, None)
    assert gap(25, None) == (None, None)


def test_the_whole_year_by_specialty_and_industry_with_its_working() -> None:
    declarations = [
        *declared(
            ("甲", "计算机应用", 2019, 30),
            ("甲", "计算机应用", 2020, 25),
            ("乙", "计算机应用", 2020, 15),
            ("甲", "计算机应用", 2021, 50),
        ),
        Declaration("丙", "康复技术", "医养健康", 2021, 20),
    ]
    cohorts = [
        *COHORTS,
        Cohort("一校", "计算机应用", 2019, enrolment=246),
        Cohort("一校", "康复技术", 2021, graduates=0),
    ]
    served = {IT: {"计算机应用", "电子商务"}, "医养健康": {"康复技术"}}
    result = supply_demand(2021, declarations, cohorts, served, LINEAR_SET)
    assert result.surveyed == (2019, 2020, 2021)
    rehab, computing = result.specialties  # sorted by name (code point order)
    assert (computing.name, computing.demand, computing.supply) == ("计算机应用", 50, 240)
    assert (computing.gap, computing.ratio) == (-190, Decimal("0.21"))
    # demand 30, 40, 50: 2022 = 60; supply 2022: 一校 entered 2019 with 246
    assert computing.forecast.value == 60 and computing.forecast_supply == 246
    assert computing.forecast_gap == 60 - 246
    assert computing.serves == (IT,)
    assert (rehab.demand, rehab.supply, rehab.gap, rehab.ratio) == (20, 0, 20, None)
    assert rehab.ratio_text == "无法计算"
    assert "2021年缺口 = 需求 20 − 供给 0 = 20 人；供求比 = 需求 ÷ 供给 = 无法计算（供给为 0）" in (
        rehab.steps
    )
    health, info = result.industries
    assert (health.name, health.demand, health.supply) == ("医养健康", 20, 0)
    assert (info.name, info.demand, info.supply, info.gap) == (IT, 50, 240, -190)
    assert info.serves == ("计算机应用",)  # 电子商务 is not offered or declared
    sentences = explain(computing)
    assert "一校2021年报送毕业生 180 人" in sentences
    assert "一校未报2022年毕业生，按2019年实际招生 246 人（3年制）估计" in sentences
    assert "2022年预测缺口 = 预测需求 60 − 预计供给 246 = -186 人" in sentences
    assert any("参数集 chiping-supply-demand-example 第 1 版" in s for s in result.steps)


def test_a_year_without_a_survey_has_no_gap() -> None:
    result = supply_demand(2020, declared(("甲", "计算机应用", 2021, 50)), COHORTS, {}, LINEAR_SET)
    (row,) = result.specialties
    assert row.demand is None and row.gap is None
    assert "2020年未开展需求申报，缺口无法计算" in row.steps


def test_the_result_survives_its_json_snapshot_with_the_parameter_version() -> None:
    result = supply_demand(
        2021, declared(("甲", "计算机应用", 2021, 50)), COHORTS, {IT: {"计算机应用"}}, AVERAGE_SET
    )
    data = result.to_json()
    assert data["parameters"]["version"] == 2 and data["parameters"]["method"] == AVERAGE_CHANGE
    assert SupplyDemand.from_json(data) == result


# Parameters


def test_the_parameter_set_in_force_is_the_highest_version_effective_that_day() -> None:
    later = replace(LINEAR_SET, version=2, effective_from=date(2022, 1, 1))
    assert select_parameters([LINEAR_SET, later], date(2021, 12, 31)) == LINEAR_SET
    assert select_parameters([LINEAR_SET, later], date(2022, 1, 1)) == later
    assert select_parameters([later], date(2021, 1, 1)) is None


def test_bad_parameters_are_refused_in_chinese() -> None:
    with pytest.raises(ParameterError, match="预测方法"):
        replace(LINEAR_SET, method="magic")
    with pytest.raises(ParameterError, match="最少历史年数"):
        replace(LINEAR_SET, window=2, min_history=3)
    assert Parameters.from_json(LINEAR_SET.to_json()) == LINEAR_SET
    assert LINEAR_SET.is_example and "示例" in LINEAR_SET.source
