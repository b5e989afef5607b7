"""Indicator tables of other counties: columns found by role (序号, 指标, 单位, years), header
rows without the reference plan's words, and cells printed with separators, 万 and comparators."""

from __future__ import annotations

import pytest

from gaodi.plans.parsing import parse_bytes
from gaodi.plans.parsing.draft import Indicator
from gaodi.plans.parsing.indicators import parse_cell

PLAN = """青禾区人民政府关于印发青禾区职业教育行动计划的通知

青禾区人民政府
2024年5月8日

青禾区职业教育行动计划

一、重点任务
（一）扩大办学规模。到2025年，中职学校在校生数达到3200人。
牵头单位：区教育局

附件2

青禾区职业教育主要指标

{table}
"""


def indicators(*rows: str) -> list[Indicator]:
    table = "\n".join(rows)
    return parse_bytes(PLAN.format(table=table).encode("utf-8")).indicators


def by_name(found: list[Indicator]) -> dict[str, Indicator]:
    return {i.name: i for i in found}


def test_a_serial_column_never_becomes_an_indicator_name() -> None:
    found = indicators(
        "序号\t指标\t单位\t2024年\t2025年",
        "1\t中职学校在校生数\t人\t3000\t3200",
        "2\t财政性职业教育经费投入\t亿元\t0.4\t0.5",
    )
    assert [i.name for i in found] == ["中职学校在校生数", "财政性职业教育经费投入"]
    assert found[1].values == {"2024": 0.4, "2025": 0.5}


def test_the_unit_column_gives_the_unit_when_the_label_has_none() -> None:
    found = by_name(
        indicators(
            "序号\t指标名称\t计量单位\t2024年\t2025年",
            "1\t财政性职业教育经费投入\t亿元\t0.4\t0.5",
            "2\t财政拨款（万元）\t元\t900\t990",
            "3\t中职学校生师比（在校生数/专任教师数）\t\t15:1（3000/200）\t16:1（3200/200）",
        )
    )
    assert found["财政性职业教育经费投入"].unit == "亿元"
    assert found["财政拨款"].unit == "万元"  # the label's own unit wins
    ratio = found["中职学校生师比"]
    assert ratio.unit is None
    assert ratio.formula == {"numerator": "在校生数", "denominator": "专任教师数"}


def test_the_label_column_is_found_by_its_head_wherever_it_stands() -> None:
    found = indicators(
        "单位\t项目\t2024年\t2025年",
        "所\t中职学校数量\t2\t3",
    )
    assert [(i.name, i.unit, i.values["2025"]) for i in found] == [("中职学校数量", "所", 3)]


def test_a_header_that_starts_with_a_label_head_is_read_as_a_header() -> None:
    found = indicators(
        "项目\t2024年目标\t2025年目标",
        "中职学校数量（所）\t2\t3",
    )
    assert [(i.name, i.unit, i.values) for i in found] == [
        ("中职学校数量", "所", {"2024": 2, "2025": 3})
    ]


def test_a_row_of_words_and_years_is_a_header_whatever_its_first_word() -> None:
    found = indicators(
        "事项\t现状（2023年）\t2024年\t2025年",
        "中职学校数量（所）\t1\t2\t3",
    )
    assert [i.name for i in found] == ["中职学校数量"]
    assert found[0].baseline_year == 2023


def test_a_part_marked_in_the_serial_column_is_a_subset_of_the_row_above() -> None:
    found = by_name(
        indicators(
            "序号\t指标\t单位\t2024年\t2025年",
            "1\t社会培训规模\t人次\t15000\t20000",
            "其中\t退役军人培训规模\t人次\t4000\t5000",
        )
    )
    assert found["退役军人培训规模"].subset_of == "社会培训规模"
    assert found["社会培训规模"].subset_of is None


@pytest.mark.parametrize(
    ("raw", "value", "comparator"),
    [
        ("5,387.35", 5387.35, "="),
        ("1，000", 1000, "="),
        ("20,000", 20000, "="),
        ("1.2万", 12000, "="),
        ("≥70%", 70, ">="),
        ("70%以上", 70, ">="),
        ("不低于70%", 70, ">="),
        ("≤5", 5, "<="),
        ("约100", 100, "~"),
        ("1,2,3", None, "="),
    ],
)
def test_a_cell_with_separators_ten_thousands_or_a_comparator_is_read(
    raw: str, value: float | None, comparator: str
) -> None:
    cell = parse_cell(raw)
    assert cell.value == (pytest.approx(value) if value is not None else None)
    assert cell.comparator == comparator


def test_cells_printed_in_other_forms_reach_the_indicator_values() -> None:
    [training, dual] = indicators(
        "序号\t指标\t单位\t2024年\t2025年",
        "1\t社会培训规模\t人次\t1.2万\t20,000",
        "2\t中职学校“双师型”教师比例\t%\t≥60%\t70%以上",
    )
    assert training.values == {"2024": 12000, "2025": 20000}
    assert training.raw == {"2024": "1.2万", "2025": "20,000"}
    assert dual.values == {"2024": 60, "2025": 70} and dual.unit == "%"
