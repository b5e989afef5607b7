"""绩效工资总量 (重点任务（十六）): 5x cap, 50 % of the technical-service balance, transfer fees,
training increment, talent lines; zero benchmark, missing lines, negative balance, versions."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from gaodi.achievements.versions import ParameterError
from gaodi.training import conversion
from gaodi.training.pay import (
    AGREEMENT,
    ANNUAL,
    BASE,
    CAP,
    NO_BALANCE,
    TALENT,
    TECH_CEILING,
    TECH_SERVICE,
    TRAINING,
    TRANSFER,
    PayInputs,
    PayParameters,
    PayResult,
    Talent,
    allowed_pay,
    allowed_pay_on,
    example_parameters,
    explain,
)

D = Decimal
PARAMS = example_parameters()


def inputs(**given: object) -> PayInputs:
    values: dict[str, object] = {
        "school": "茌平职专",
        "year": 2021,
        "benchmark_per_head": D(20000),
        "headcount": 100,
    }
    values.update(given)
    return PayInputs(**values)  # type: ignore[arg-type]


def test_example_parameters_carry_the_plans_numbers() -> None:
    assert PARAMS.cap_multiple == D(5)
    assert PARAMS.tech_share_floor == D("0.5")
    assert PARAMS.is_example
    assert "（十六）" in PARAMS.source


def test_worked_example_all_lines() -> None:
    # cap 20,000 × 5 × 100 = 10,000,000; requested 12,000,000 -> 10,000,000 (cap binds)
    volume = conversion.annual_volume(
        [conversion.TrainingRecord("电工", date(2021, 3, 1), date(2021, 5, 1), 5000, D(13500))],
        2021,
        conversion.example_parameters(),
    )
    increment = conversion.convert(volume, conversion.example_parameters()).pay_increment
    found = allowed_pay(
        inputs(
            requested_base=D(12000000),
            training_increment=increment,
            talents=(Talent("张工", ANNUAL, D(300000)), Talent("李博士", AGREEMENT, D(200000))),
            transfer_fees=D("50000.5"),
            tech_service_balance=D(400000),
            tech_share=D("0.5"),
        ),
        PARAMS,
    )
    assert found.cap == D(10000000)
    assert found.line(BASE).amount == D(10000000)
    assert found.line(TRAINING).amount == D(16875)
    assert found.line(TALENT).amount == D(500000)
    assert found.line(TRANSFER).amount == D(50001)  # half up to the 元
    assert found.line(TECH_SERVICE).amount == D(200000)  # 50 % of 400,000, outside the total
    assert found.total == D(10000000 + 16875 + 500000 + 50001)
    assert found.base == found.total - D(50001)  # transfer fees are not part of the base
    assert found.outside_total == D(200000)
    assert found.teachers_in_all == found.total + D(200000)
    assert CAP in found.binding
    assert TECH_CEILING not in found.binding  # 50 % chosen, below the ceiling
    assert not found.line(TECH_SERVICE).in_total
    assert found.line(TRANSFER).in_total and not found.line(TRANSFER).under_cap
    assert found.parameters_version == 1


def test_request_below_cap_is_granted_and_cap_does_not_bind() -> None:
    found = allowed_pay(inputs(requested_base=D(6000000)), PARAMS)
    assert found.line(BASE).amount == D(6000000)
    assert CAP not in found.binding


def test_no_request_means_the_cap_is_the_base() -> None:
    found = allowed_pay(inputs(), PARAMS)
    assert found.line(BASE).amount == D(10000000)
    assert found.binding == (CAP,)


def test_default_share_is_the_whole_balance_and_an_example_ceiling_does_not_bind() -> None:
    # 示例 ceiling (100 %): the school gave no share, so the whole balance; no rule binds
    found = allowed_pay(inputs(tech_service_balance=D("1001")), PARAMS)
    assert found.line(TECH_SERVICE).amount == D(1001)
    assert TECH_CEILING not in found.binding
    assert any("学校未填报提取比例，按示例上限 100%" in step for step in found.steps)
    assert not any("技术服务收入结余可提取比例上限" in line for line in explain(found))
    # chosen at the 示例 ceiling: still no rule, said so
    chosen = allowed_pay(inputs(tech_service_balance=D(10), tech_share=D(1)), PARAMS)
    assert TECH_CEILING not in chosen.binding
    assert any("示例上限" in step and "不列为" in step for step in chosen.steps)


def test_a_place_set_ceiling_binds_when_reached() -> None:
    # a place's own version (its source, no 示例): its 70 % ceiling is a rule and binds
    placed = replace(
        PARAMS, version=2, tech_share_ceiling=D("0.7"), source="区人社局 2021 年绩效工资办法"
    )
    assert not placed.is_example
    default = allowed_pay(inputs(tech_service_balance=D(1000)), placed)
    assert default.line(TECH_SERVICE).amount == D(1000) * D("0.7")
    assert TECH_CEILING in default.binding
    assert "起约束作用：技术服务收入结余可提取比例上限" in explain(default)
    assert any("按参数上限 70%" in step for step in default.steps)
    chosen = allowed_pay(inputs(tech_service_balance=D(1000), tech_share=D("0.6")), placed)
    assert TECH_CEILING not in chosen.binding


def test_a_stored_result_listing_the_example_ceiling_is_shown_without_it() -> None:
    from gaodi.training.pay import binding_limits

    found = allowed_pay(inputs(tech_service_balance=D(100)), PARAMS)
    older = replace(found, binding=(*found.binding, TECH_CEILING))  # as stored before the fix
    assert binding_limits(older) == list(found.binding)
    assert explain(older) == explain(found)


def test_the_fifty_percent_reading_is_cited() -> None:
    # the plan (（十六）, 附件3 row 34) and the Shandong 2021 text (SOURCES.md)
    assert "附件3 第34行" in PARAMS.source
    assert "职业院校对外技术服务收入结余，50%以上可用于教师劳动报酬" in PARAMS.source
    assert "重点任务（十六）" in PARAMS.source


def test_share_above_ceiling_is_refused_below_floor_is_flagged() -> None:
    capped = replace(PARAMS, version=2, tech_share_ceiling=D("0.7"))
    with pytest.raises(ParameterError):
        allowed_pay(inputs(tech_service_balance=D(100), tech_share=D("0.8")), capped)
    low = allowed_pay(inputs(tech_service_balance=D(100), tech_share=D("0.3")), PARAMS)
    assert low.line(TECH_SERVICE).amount == D(30)
    assert any("低于方案所说的 50%" in step for step in low.steps)


def test_zero_benchmark_gives_zero_cap_but_outside_lines_stay() -> None:
    found = allowed_pay(
        inputs(
            benchmark_per_head=D(0),
            requested_base=D(100),
            training_increment=D(1000),
            transfer_fees=D(10),
        ),
        PARAMS,
    )
    assert found.cap == 0
    assert found.line(BASE).amount == 0
    assert found.total == D(1010)
    assert CAP in found.binding
    assert any("基准线为 0" in step for step in found.steps)


def test_training_within_cap_squeezes_the_base() -> None:
    within = replace(PARAMS, version=2, training_within_cap=True, talent_within_cap=True)
    found = allowed_pay(
        inputs(training_increment=D(100000), talents=(Talent("王", ANNUAL, D(50000)),)), within
    )
    assert found.line(BASE).amount == D(10000000 - 150000)
    assert found.total == D(10000000)
    outside = allowed_pay(
        inputs(training_increment=D(100000), talents=(Talent("王", ANNUAL, D(50000)),)), PARAMS
    )
    assert outside.total == D(10150000)


def test_missing_income_lines_count_as_zero_and_say_so() -> None:
    found = allowed_pay(inputs(), PARAMS)
    assert found.line(TRANSFER).amount == 0
    assert found.line(TECH_SERVICE).amount == 0
    assert any("未填报科技成果转化费" in step for step in found.steps)
    assert any("未填报技术服务收入结余" in step for step in found.steps)


def test_negative_balance_gives_nothing_to_extract() -> None:
    found = allowed_pay(inputs(tech_service_balance=D(-5000)), PARAMS)
    assert found.line(TECH_SERVICE).amount == 0
    assert NO_BALANCE in found.binding


def test_bad_inputs_are_refused() -> None:
    with pytest.raises(ParameterError):
        inputs(benchmark_per_head=D(-1))
    with pytest.raises(ParameterError):
        inputs(transfer_fees=D(-1))
    with pytest.raises(ParameterError):
        Talent("x", "piecework", D(1))
    with pytest.raises(ParameterError):
        replace(PARAMS, tech_share_floor=D("0.8"), tech_share_ceiling=D("0.6"))


def test_json_round_trip() -> None:
    found = allowed_pay(
        inputs(
            requested_base=D(1),
            talents=(Talent("张", ANNUAL, D(3)),),
            transfer_fees=D(2),
            tech_service_balance=D(10),
        ),
        PARAMS,
    )
    data = json.loads(json.dumps(found.to_json(), ensure_ascii=False))
    assert PayResult.from_json(data) == found
    params = json.loads(json.dumps(PARAMS.to_json(), ensure_ascii=False))
    assert PayParameters.from_json(params) == PARAMS


def test_new_version_changes_only_computations_dated_after_it() -> None:
    v2 = replace(PARAMS, version=2, effective_from=date(2022, 1, 1), cap_multiple=D(3))
    before = allowed_pay_on(inputs(), [PARAMS, v2], date(2021, 12, 31))
    after = allowed_pay_on(inputs(), [PARAMS, v2], date(2022, 1, 1))
    assert (before.parameters_version, before.cap) == (1, D(10000000))
    assert (after.parameters_version, after.cap) == (2, D(6000000))
    with pytest.raises(ParameterError):
        allowed_pay_on(inputs(), [PARAMS, v2], date(2020, 6, 30))


def test_explain_names_binding_limits_clause_and_version() -> None:
    lines = explain(allowed_pay(inputs(requested_base=D(20000000)), PARAMS))
    assert any(line.startswith("起约束作用：绩效工资水平") for line in lines)
    assert "重点任务（十六）" in lines[-1]
    assert "第 1 版" in lines[-1]
    named = explain(allowed_pay(inputs(), PARAMS), name=PARAMS.name)
    assert f"（{PARAMS.name} 第 1 版，2020-07-01 起施行）" in named[-1]
    assert "performance-pay" not in named[-1]
