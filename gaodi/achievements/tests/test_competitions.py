"""技能大赛 counts and 示例 points (重点任务（六）（十四）（十八））."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from gaodi.achievements.competitions import (
    Award,
    PointsTable,
    example_points,
    explain,
    summarise,
)
from gaodi.achievements.versions import ParameterError, select_version

TABLE = example_points()
AWARDS = [
    Award("职教中心", 2021, "省职业院校技能大赛 电子商务", "省", "一等奖", "学生", 2),
    Award("职教中心", 2021, "市教学能力大赛", "市", "二等奖", "教师", 3),
    Award("职教中心", 2020, "区技能大赛 数控", "区", "三等奖", "学生"),
    Award("二职", 2021, "校赛 会计", "校", "优秀奖", "学生", 5),
]


def test_counts_by_school_and_year_level_grade_and_category() -> None:
    found = summarise(AWARDS)
    assert [(s.school, s.year, s.awards) for s in found] == [
        ("职教中心", 2020, 1),
        ("职教中心", 2021, 2),
        ("二职", 2021, 1),
    ]
    center = found[1]
    assert dict(center.by_level) == {"国家": 0, "省": 1, "市": 1, "区": 0, "校": 0}
    assert dict(center.by_category) == {"学生": 1, "教师": 1}
    assert center.participants == 5
    assert center.points is None and center.table_version is None


def test_the_example_points_table_adds_up_with_the_working() -> None:
    center = summarise(AWARDS, TABLE)[1]
    # 省一等奖 15 + 市二等奖 5 = 20
    assert center.points == Decimal(20)
    assert center.steps[0] == "省级一等奖（学生）“省职业院校技能大赛 电子商务”，2 人：15 分"
    assert center.steps[-1] == (
        "合计 20 分（积分表 competition-points-example 第 1 版，2019-01-01 起施行）"
    )
    # 校级优秀奖 scores 0 in the example table
    assert summarise(AWARDS, TABLE)[2].points == Decimal(0)


def test_a_level_the_table_does_not_list_scores_zero_and_says_so() -> None:
    partial = replace(TABLE, points={"国家": {"一等奖": Decimal(30)}})
    center = summarise(AWARDS, partial)[1]
    assert center.points == 0
    assert center.steps[0].endswith("：积分表未列，计 0 分")


def test_bad_awards_and_tables_are_refused_in_chinese() -> None:
    with pytest.raises(ParameterError, match="级别须为国家、省、市、区或校"):
        Award("甲", 2021, "x", "世界", "一等奖", "学生")
    with pytest.raises(ParameterError, match="获奖人数须至少为 1"):
        Award("甲", 2021, "x", "省", "一等奖", "学生", 0)
    with pytest.raises(ParameterError, match="积分不能为负数"):
        replace(TABLE, points={"省": {"一等奖": Decimal(-1)}})


def test_no_awards_no_rows_and_the_explanation_names_the_clauses() -> None:
    assert summarise([], TABLE) == []
    lines = explain(summarise(AWARDS, TABLE)[1])
    assert (
        lines[0]
        == "2021年职教中心获奖 2 项（省级 1 项，市级 1 项；学生 1 项，教师 1 项），获奖 5 人次"
    )
    assert lines[-1] == "依据：聊茌政发〔2020〕19号 重点任务（六）（十四）（十八）"
    assert PointsTable.from_json(TABLE.to_json()) == TABLE


def test_a_new_points_version_applies_from_its_date() -> None:
    later = replace(
        TABLE, version=2, effective_from=date(2022, 1, 1), points={"省": {"一等奖": Decimal(50)}}
    )
    assert select_version([TABLE, later], date(2021, 12, 31)) == TABLE
    assert select_version([TABLE, later], date(2022, 12, 31)) == later
