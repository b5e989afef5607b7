"""考核通过率: rates from summed parts, the checks of a typed sitting, the comparison with the
certificates registered in the credit bank. Pure, no database."""

from datetime import date
from decimal import Decimal

import pytest

from gaodi.credits import pass_rates as pr

LEVELS = ["初级", "中级", "高级"]
YEAR = {"start": date(2021, 1, 1), "end": date(2021, 12, 31)}


def sitting(level="初级", candidates=10, passed=7, held_on=date(2021, 6, 1), scheme="X证书"):
    return pr.Sitting(scheme, "Web前端开发", level, "示例职业学校", held_on, candidates, passed)


def test_a_rate_is_recomputed_from_the_summed_parts_not_averaged():
    # 1/1 = 100 % and 10/100 = 10 %: the average of the rates would say 55 %
    found = pr.rates([sitting(candidates=1, passed=1), sitting(candidates=100, passed=10)], **YEAR)
    assert [(r.sittings, r.candidates, r.passed, r.rate) for r in found] == [
        (2, 101, 11, Decimal("10.9"))
    ]


def test_rates_group_by_scheme_and_level_in_order_and_keep_to_the_period():
    found = pr.rates(
        [
            sitting("中级", 20, 15),
            sitting("初级", 8, 8),
            sitting("初级", 10, 5, scheme="人社职业技能等级"),
            sitting("初级", 50, 50, held_on=date(2020, 12, 31)),  # the year before
            sitting("初级", 50, 0, held_on=date(2022, 1, 1)),  # the year after
        ],
        **YEAR,
        scales={"X证书": LEVELS},
    )
    assert [(r.scheme, r.level, r.candidates, r.passed, r.label) for r in found] == [
        ("X证书", "初级", 8, 8, "100.0%"),
        ("X证书", "中级", 20, 15, "75.0%"),
        ("人社职业技能等级", "初级", 10, 5, "50.0%"),
    ]
    total = pr.overall(found)
    assert (total.sittings, total.candidates, total.passed, total.rate) == (
        3,
        38,
        28,
        Decimal("73.7"),
    )


def test_halves_round_up_and_nobody_sitting_has_no_rate():
    assert pr.percent(1, 8) == Decimal("12.5")
    assert pr.percent(1, 16) == Decimal("6.3")  # 6.25 -> 6.3
    assert pr.percent(2, 3) == Decimal("66.7")
    assert pr.percent(0, 0) is None
    assert pr.overall([]).rate is None
    assert pr.overall([]).label == "无人参加考核"


def test_a_sitting_as_typed_is_checked():
    assert pr.check(10, 7, "初级", LEVELS, date(2021, 6, 1)) == []
    assert pr.check(10, 11, "初级", LEVELS, date(2021, 6, 1)) == [
        "通过人数（11）不能多于参加考核人数（10）"
    ]
    assert pr.check(0, 0, "初级", LEVELS, date(2021, 6, 1)) == ["参加考核人数应大于 0"]
    assert pr.check(-1, "7", "五级", LEVELS, None) == [
        "参加考核人数不能为负数",
        "通过人数应为整数",
        "该体系没有“五级”这一等级（可用：初级、中级、高级）",
        "请填写考核日期",
    ]
    assert pr.check(True, 1, "初级", LEVELS, date(2021, 6, 1)) == ["参加考核人数应为整数"]
    assert pr.check(pr.MAX_CANDIDATES + 1, 1, "初级", LEVELS, date(2021, 6, 1)) == [
        f"参加考核人数超过 {pr.MAX_CANDIDATES}，请核对"
    ]


@pytest.mark.parametrize(
    ("held", "note"),
    [
        (7, "X证书·初级：通过 7 人，学分银行认定通过证书 7 张，一致"),
        (5, "X证书·初级：通过 7 人，学分银行认定通过证书 5 张，尚有 2 张未登记"),
        (
            9,
            "X证书·初级：通过 7 人，学分银行认定通过证书 9 张，"
            "多出的 2 张来自未登记的考核批次（如校外考核）",
        ),
    ],
)
def test_passes_are_compared_with_the_certificates_registered(held, note):
    found = pr.rates([sitting()], **YEAR)
    assert pr.comparisons(found, {("X证书", "初级"): held}) == [note]


def test_a_level_without_certificates_counts_as_none_registered():
    found = pr.rates([sitting("高级", 4, 3)], **YEAR)
    assert pr.comparisons(found, {}) == [
        "X证书·高级：通过 3 人，学分银行认定通过证书 0 张，尚有 3 张未登记"
    ]
