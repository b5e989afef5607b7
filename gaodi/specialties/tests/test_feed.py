"""专业布局 indicators from the offerings: pure worked examples, then the feed on the demo."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from gaodi.audit.models import ChangeRecord
from gaodi.indicators.models import DataValue
from gaodi.plans.models import Plan
from gaodi.specialties.feed import FED_SOURCE, OfferingFact, layout_values
from gaodi.specialties.feeding import feed_layout
from gaodi.specialties.models import Offering
from tests.helpers import client_of

INDICATORS = {
    "新一代信息技术专业点数": ("i010", "新一代信息技术"),
    "新一代信息技术学生数": ("i011", "新一代信息技术"),
    "高端装备专业点数": ("i012", "高端装备"),
    "高端装备学生数": ("i013", "高端装备"),
    "现代海洋专业点数": ("i016", "现代海洋"),
    "现代海洋学生数": ("i017", "现代海洋"),
}


def test_points_count_offerings_and_students_add_up_per_row() -> None:
    fed = layout_values(
        [
            OfferingFact("计算机应用", ("新一代信息技术",), 657),
            OfferingFact("机电技术应用", ("高端装备",), 341),
            OfferingFact("数控技术应用", ("高端装备",), 271),
        ],
        INDICATORS,
    )
    assert [(v.code, v.value) for v in fed.values] == [
        ("i010", Decimal(1)),
        ("i011", Decimal(657)),
        ("i012", Decimal(2)),
        ("i013", Decimal(612)),
        ("i016", Decimal(0)),  # no 专业点 serving 现代海洋: 0, not blank
        ("i017", Decimal(0)),
    ]
    assert fed.values[3].working == "在校生 机电技术应用 341 + 数控技术应用 271 = 612 人"
    assert fed.values[2].working == "对接“高端装备”的专业点 2 个：机电技术应用、数控技术应用"
    assert fed.values[4].working == "没有对接“现代海洋”的专业点：0 个"
    assert fed.missing_students == []


def test_a_specialty_serving_two_rows_counts_in_both() -> None:
    fed = layout_values(
        [
            OfferingFact("计算机应用", ("新一代信息技术", "高端装备"), 100),
            OfferingFact("机电技术应用", ("高端装备",), 50),
        ],
        INDICATORS,
    )
    values = {v.name: v.value for v in fed.values}
    assert values["新一代信息技术学生数"] == 100
    assert (values["高端装备专业点数"], values["高端装备学生数"]) == (2, 150)


def test_an_unreported_student_count_gives_no_sum_and_is_named() -> None:
    fed = layout_values(
        [
            OfferingFact("计算机应用", ("新一代信息技术",), 100),
            OfferingFact("机电技术应用", ("高端装备",), None),
        ],
        INDICATORS,
    )
    names = [v.name for v in fed.values]
    assert "高端装备学生数" not in names and "高端装备专业点数" in names
    assert "新一代信息技术学生数" in names
    assert fed.missing_students == ["机电技术应用"]


@pytest.mark.django_db
def test_the_feed_stores_the_schools_values_through_the_indicators_service(plan: Plan) -> None:
    before = ChangeRecord.objects.count()
    [result] = feed_layout(plan, 2021, actor=None)
    assert result.stored and result.refused == []
    stored = dict(
        DataValue.objects.filter(period="2021", source=FED_SOURCE).values_list(
            "indicator__name", "value"
        )
    )
    assert stored["新一代信息技术学生数"] == 657  # 计算机应用, 【演示数据】 2021
    assert stored["高端装备专业点数"] == 2
    assert ChangeRecord.objects.count() > before
    again = feed_layout(plan, 2021, actor=None)  # the same numbers again: no conflict
    assert again[0].stored


@pytest.mark.django_db
def test_a_school_with_an_unreported_student_count_is_not_written(plan: Plan) -> None:
    Offering.objects.filter(year=2021, specialty__name="数控技术应用").update(students=None)
    [result] = feed_layout(plan, 2021, actor=None)
    assert not result.stored
    assert result.refused == ["数控技术应用未报在校生，学生数无法计算，请先补报"]
    assert not DataValue.objects.filter(source=FED_SOURCE).exists()


@pytest.mark.django_db
def test_approved_data_is_not_rewritten_and_the_reason_is_given(plan: Plan) -> None:
    values_2020 = list(DataValue.objects.filter(period="2020").values_list("pk", "value"))
    [result] = feed_layout(plan, 2020, actor=None)
    assert not result.stored
    assert any("已锁定" in reason for reason in result.refused)
    assert list(DataValue.objects.filter(period="2020").values_list("pk", "value")) == values_2020


@pytest.mark.django_db
def test_the_page_shows_computed_beside_stored_and_the_work_team_writes_them(plan: Plan) -> None:
    client = client_of("zhuanban")
    url = reverse("specialties:warnings", args=[plan.pk]) + "?year=2021"
    html = client.get(url).content.decode()
    assert "在校生 计算机应用 657 = 657 人" in html and "尚无" in html
    response = client.post(
        reverse("specialties:feed", args=[plan.pk]), {"year": "2021"}, follow=True
    )
    text = response.content.decode()
    assert "已按专业点数据写入 2021 年专业布局指标" in text
    assert "一致" in text
    html_2020 = client.get(reverse("specialties:warnings", args=[plan.pk]) + "?year=2020")
    assert "不一致" in html_2020.content.decode()  # the demo's typed 2020 values differ


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["lingdao", "xuexiao", "ducha"])
def test_only_the_work_team_may_write_them(plan: Plan, username: str) -> None:
    response = client_of(username).post(
        reverse("specialties:feed", args=[plan.pk]), {"year": "2021"}
    )
    assert response.status_code == 404
    assert not DataValue.objects.filter(source=FED_SOURCE).exists()
