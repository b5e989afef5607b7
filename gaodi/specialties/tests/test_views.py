"""The 专业预警 page and API on the demo: who sees which school's results, with the working."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gaodi.demo import DEMO_PASSWORD, set_up_demo
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.plans.models import Plan
from gaodi.specialties.models import Offering, WarningResult

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(settings) -> Plan:  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    found, _logins = set_up_demo()
    return found


def client_of(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def page(username: str, plan: Plan, query: str = "?rule_set=chiping-example&year=2021") -> str:
    response = client_of(username).get(reverse("specialties:warnings", args=[plan.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_offerings_are_labelled_and_one_specialty_fails_the_example_rule_set(
    plan: Plan,
) -> None:
    assert Offering.objects.count() == 7 * 3
    assert set(Offering.objects.values_list("source", flat=True)) == {"【演示数据】"}
    failing = WarningResult.objects.filter(
        plan=plan, as_of_year=2021, rule_set_code="chiping-example"
    ).exclude(consequence="")
    assert [(r.specialty.name, r.consequence) for r in failing] == [("旅游服务与管理", "stop")]


def test_the_work_team_sees_the_decision_with_its_working_inputs_and_basis(plan: Plan) -> None:
    html = page("zhuanban", plan)
    assert "旅游服务与管理" in html and "停招" in html
    assert "招生 12 人 / 计划 40 人" in html  # the inputs of the year
    assert "依据：" in html and "规则集 chiping-example 第 1 版" in html
    assert "示例" in html and "福建" in html  # the chooser lists the presets and their sources
    assert "代码示例，待核实" in html
    assert "正常" in html  # 计算机应用


def test_a_leader_and_an_inspector_see_it_and_a_school_sees_its_own(plan: Plan) -> None:
    for username in ("lingdao", "ducha", "dudao", "xuexiao"):
        assert "聊城市茌平区职业教育中心学校" in page(username, plan)


def test_a_school_does_not_see_another_schools_results(plan: Plan) -> None:
    other = ensure_org_unit("371503-S02", "另一所学校", OrgKind.SCHOOL, plan.org_unit, actor=None)
    WarningResult.objects.create(
        plan=plan,
        school=other,
        specialty=Offering.objects.first().specialty,  # type: ignore[union-attr]
        as_of_year=2021,
        rule_set_code="chiping-example",
        rule_set_version=1,
        computed_at=dt.datetime(2021, 6, 30, tzinfo=dt.UTC),
    )
    assert "另一所学校" in page("zhuanban", plan)
    assert "另一所学校" not in page("xuexiao", plan)


def test_a_department_liaison_gets_404(plan: Plan) -> None:
    response = client_of("jiaoti").get(reverse("specialties:warnings", args=[plan.pk]))
    assert response.status_code == 404


def test_a_rule_set_not_yet_in_force_has_no_results_and_says_so(plan: Plan) -> None:
    html = page("zhuanban", plan, "?rule_set=fujian-2023&year=2020")
    assert "尚无按此规则集计算的结果" in html


def test_the_api_returns_the_stored_results_with_the_rule_set_version(plan: Plan) -> None:
    response = client_of("zhuanban").get(
        f"/api/v1/plans/{plan.pk}/specialty-warnings?year=2021&rule_set=chiping-example"
    )
    assert response.status_code == 200
    rows = {row["specialty_name"]: row for row in response.json()}
    tourism = rows["旅游服务与管理"]
    assert (tourism["rule_set_code"], tourism["rule_set_version"]) == ("chiping-example", 1)
    assert tourism["decision"] == "停招"
    assert any(sentence.startswith("依据：") for sentence in tourism["working"])
    assert rows["计算机应用"]["decision"] == "正常" and rows["计算机应用"]["working"] == []


def test_the_api_is_404_for_a_liaison(plan: Plan) -> None:
    response = client_of("jiaoti").get(f"/api/v1/plans/{plan.pk}/specialty-warnings")
    assert response.status_code == 404
