"""职业院校评价 composite (重点任务（十八）): worked examples, missing scores, zero weights."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from gaodi.achievements.evaluation import (
    INTEGRATION,
    UNCOMPUTABLE,
    Composite,
    Scores,
    WeightSet,
    composite,
    evaluate,
    example_weights,
    explain,
)
from gaodi.achievements.versions import ParameterError, select_version

D = Decimal
WEIGHTS = example_weights()


def scores(school: str = "甲校", **given: str) -> Scores:
    return Scores(school, 2021, **{k: D(v) for k, v in given.items()})


def test_the_example_weights_40_30_30_give_the_weighted_mean() -> None:
    found = composite(scores(customer="90", peer="80", third_party="70"), WEIGHTS)
    # 0.4×90 + 0.3×80 + 0.3×70 = 36 + 24 + 21 = 81
    assert found.value == D("81.0")
    assert found.numerator == D(8100) and found.denominator == D(100)
    assert "综合得分 = (40×90 + 30×80 + 30×70) ÷ (40 + 30 + 30) = 8100 ÷ 100 = 81" in found.steps
    assert (found.weight_set_code, found.weight_set_version) == ("evaluation-example", 1)


def test_weights_need_not_add_up_to_100() -> None:
    small = replace(WEIGHTS, weights={"customer": D(4), "peer": D(3), "third_party": D(3)})
    given = scores(customer="90", peer="80", third_party="70")
    assert composite(given, small).value == composite(given, WEIGHTS).value == D("81.0")


def test_a_missing_score_is_not_zero_the_weights_are_renormalised() -> None:
    found = composite(scores(customer="90", third_party="70"), WEIGHTS)
    # (40×90 + 30×70) / 70 = 5700 / 70 = 81.428... -> 81.4 (not (3600+2100)/100 = 57)
    assert found.value == D("81.4")
    assert any("同行评价未评（不按 0 分计）" in step for step in found.steps)


def test_with_the_strict_rule_a_missing_score_gives_uncomputable() -> None:
    strict = replace(WEIGHTS, missing=UNCOMPUTABLE)
    found = composite(scores(customer="90", third_party="70"), strict)
    assert found.value is None and found.status == "uncomputable"
    assert found.steps[-1] == "同行评价未评，按“缺任一计权项即无法计算”无法计算"


def test_no_score_at_all_and_too_few_scores_give_uncomputable() -> None:
    assert composite(scores(), WEIGHTS).steps[-1] == "计权各项均未评，无法计算"
    two = replace(WEIGHTS, min_present=2)
    found = composite(scores(customer="90"), two)
    assert found.value is None
    assert found.steps[-1] == "已评计权项仅 1 项，少于 2 项，无法计算"


def test_a_zero_weight_item_is_shown_but_not_counted_and_can_be_given_a_weight() -> None:
    given = scores(customer="90", peer="80", third_party="70", integration="50")
    found = composite(given, WEIGHTS)
    assert found.value == D("81.0")
    assert "校企合作、产教融合 50 分，权重为 0，不计入" in found.steps
    weighted = replace(WEIGHTS, version=2, weights={**WEIGHTS.weights, INTEGRATION: D(20)})
    # (8100 + 20×50) / 120 = 9100 / 120 = 75.83 -> 75.8
    assert composite(given, weighted).value == D("75.8")


def test_weights_that_add_up_to_zero_or_are_negative_are_refused() -> None:
    with pytest.raises(ParameterError, match="权重之和须大于 0"):
        replace(WEIGHTS, weights={"customer": D(0), "peer": D(0)})
    with pytest.raises(ParameterError, match="不能为负数"):
        replace(WEIGHTS, weights={"customer": D(-1), "peer": D(50)})
    with pytest.raises(ParameterError, match="没有名为"):
        replace(WEIGHTS, weights={"votes": D(1)})


def test_scores_outside_0_to_100_are_refused() -> None:
    with pytest.raises(ParameterError, match="客户评价须在 0 到 100 之间"):
        scores(customer="101")


def test_ranking_shares_the_best_place_on_a_tie_and_leaves_the_uncomputable_unranked() -> None:
    found = evaluate(
        [
            scores("甲校", customer="80", peer="80", third_party="80"),
            scores("乙校"),
            scores("丙校", customer="90", peer="90", third_party="90"),
            scores("丁校", customer="80", peer="80", third_party="80"),
        ],
        WEIGHTS,
    )
    assert [(c.school, c.rank) for c in found] == [
        ("丙校", 1),
        ("甲校", 2),
        ("丁校", 2),
        ("乙校", None),
    ]


def test_the_explanation_lists_inputs_weights_arithmetic_place_and_basis() -> None:
    found = evaluate([scores(customer="90", peer="80", third_party="70")], WEIGHTS)[0]
    lines = explain(found)
    assert lines[0] == "客户评价：90 分，权重 40"
    assert lines[3] == "校企合作、产教融合：未评，权重 0"
    assert "在同年参评学校中排第 1 名" in lines
    assert lines[-1] == (
        "依据：聊茌政发〔2020〕19号 重点任务（十八）（权重集 evaluation-example 第 1 版，"
        "2019-01-01 起施行）"
    )


def test_another_plan_is_cited_by_its_own_number() -> None:
    found = evaluate([scores(customer="90", peer="80", third_party="70")], WEIGHTS)[0]
    assert explain(found, "东府政发〔2021〕1号")[-1].startswith(
        "依据：东府政发〔2021〕1号 重点任务（十八）"
    )


def test_a_composite_survives_json() -> None:
    found = composite(scores(customer="90", peer="80", third_party="70"), WEIGHTS)
    assert Composite.from_json(found.to_json()) == found
    assert WeightSet.from_json(WEIGHTS.to_json()) == WEIGHTS


def test_a_new_version_is_in_force_from_its_effective_date_only() -> None:
    later = replace(
        WEIGHTS, version=2, effective_from=date(2022, 1, 1), weights={"third_party": D(1)}
    )
    sets = [WEIGHTS, later]
    assert select_version(sets, date(2021, 12, 31)) == WEIGHTS
    assert select_version(sets, date(2022, 1, 1)) == later
    assert select_version(sets, date(2018, 12, 31)) is None
    given = scores(customer="90", peer="80", third_party="70")
    assert composite(given, select_version(sets, date(2021, 12, 31))).value == D("81.0")  # type: ignore[arg-type]
    assert composite(given, select_version(sets, date(2022, 12, 31))).value == D("70.0")  # type: ignore[arg-type]
