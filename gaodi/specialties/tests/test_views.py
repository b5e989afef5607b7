"""The 专业预警 page and API on the demo: who sees which school's results, with the working."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from gaodi.audit.models import ChangeRecord
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.plans.models import Plan
from gaodi.specialties.models import Offering, WarningResult
from tests.helpers import client_of

pytestmark = pytest.mark.django_db

User = get_user_model()


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


def recompute(
    username: str, plan: Plan, data: dict[str, str], client: Client | None = None
) -> HttpResponse:
    client = client or client_of(username)
    return client.post(reverse("specialties:recompute", args=[plan.pk]), data)


def test_the_work_team_recomputes_and_is_told_so_in_chinese(plan: Plan) -> None:
    before = set(WarningResult.objects.filter(as_of_year=2021, rule_set_code="chiping-example"))
    assert "重新计算" in page("zhuanban", plan)
    zhuanban = client_of("zhuanban")
    response = recompute(
        "zhuanban", plan, {"rule_set": "chiping-example", "year": "2021"}, zhuanban
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?rule_set=chiping-example&year=2021")
    after = set(WarningResult.objects.filter(as_of_year=2021, rule_set_code="chiping-example"))
    assert len(after) == len(before) == 7 and not after & before  # replaced
    deleted = ChangeRecord.objects.filter(object_type="specialties.warningresult", action="delete")
    assert deleted.count() == 7 and deleted.first().actor_name == "zhuanban"  # type: ignore[union-attr]
    html = zhuanban.get(response["Location"]).content.decode()
    assert "已按规则集“chiping-example”重新计算 2021 年的专业预警：共 7 个专业点" in html


def test_a_rule_set_not_in_force_or_a_bad_year_is_refused_with_a_message(plan: Plan) -> None:
    count = WarningResult.objects.count()
    zhuanban = client_of("zhuanban")
    response = recompute("zhuanban", plan, {"rule_set": "fujian-2023", "year": "2020"}, zhuanban)
    html = zhuanban.get(response["Location"]).content.decode()
    assert "2020 年没有施行中的规则集“fujian-2023”" in html
    response = recompute("zhuanban", plan, {"rule_set": "chiping-example", "year": "abc"})
    assert response.status_code == 302
    assert WarningResult.objects.count() == count


def test_only_the_work_team_sees_the_button_and_others_get_404(plan: Plan) -> None:
    count = WarningResult.objects.count()
    for username in ("lingdao", "ducha", "dudao", "xuexiao", "jiaoti"):
        if username != "jiaoti":
            assert "重新计算" not in page(username, plan)
        response = recompute(username, plan, {"rule_set": "chiping-example", "year": "2021"})
        assert response.status_code == 404
    assert (
        client_of("zhuanban").get(reverse("specialties:recompute", args=[plan.pk])).status_code
        == 405
    )
    assert WarningResult.objects.count() == count


def test_the_command_recomputes_and_prints_a_chinese_summary(plan: Plan) -> None:
    out = io.StringIO()
    call_command("warnings", "--year", "2021", "--rule-set", "chiping-example", stdout=out)
    text = out.getvalue()
    assert (
        "规则集 chiping-example，评估至 2021 年：共 7 个专业点，1 个预警或需调减、停招、撤销"
        in text
    )
    assert "聊城市茌平区职业教育中心学校 旅游服务与管理：停招" in text
    out = io.StringIO()
    call_command("warnings", "--year", "2020", "--plan", str(plan.pk), stdout=out)
    assert "2020 年没有施行中的规则集“fujian-2023”，跳过" in out.getvalue()
    with pytest.raises(CommandError, match="没有规则集“nope”"):
        call_command("warnings", "--year", "2021", "--rule-set", "nope")


def test_the_layout_targets_of_annex_2_are_shown_beside_the_schools_students(plan: Plan) -> None:
    html = page("zhuanban", plan)
    assert (
        "专业布局：方案目标与学校实际" in html and "聊茌政发〔2020〕19号 附件2 二、专业布局" in html
    )
    # 新一代信息技术 2021: the plan's 1 point and 750 students, the demo school's 1 and 657
    assert (
        '<th scope="row">新一代信息技术</th><td>2021</td><td>计算机应用 (大数据方向)</td>'
        "<td>1</td><td>750</td><td>1</td><td>657</td>"
    ) in html
    # 精品旅游: 学生数 left blank in the plan stays blank; the school reports 54
    assert (
        '<th scope="row">精品旅游</th><td>2021</td><td>旅游服务与管理</td>'
        "<td>1</td><td></td><td>1</td><td>54</td>" in html
    )
    # 现代金融服务 2020 (会计事务 + 电子商务): 220 planned, 115 + 105 reported
    assert "<td>2</td><td>220</td><td>2</td><td>220</td>" in html
    assert "来源：【演示数据】" in html
    # a blank industry row stays blank, with nothing reported
    assert (
        '<th scope="row">现代海洋</th><td>2020</td><td></td><td></td><td></td><td></td><td></td>'
        in html
    )


def test_the_plan_header_links_the_page_for_those_who_may_see_it(plan: Plan) -> None:
    link = f'href="{reverse("specialties:warnings", args=[plan.pk])}"'
    overview = reverse("plans:overview", args=[plan.pk])
    for username in ("zhuanban", "lingdao", "ducha", "xuexiao"):
        assert link in client_of(username).get(overview).content.decode(), username
    assert link not in client_of("jiaoti").get(overview).content.decode()
    assert link not in Client().get(overview).content.decode()


def test_recomputing_without_the_csrf_token_is_refused(plan: Plan) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="zhuanban"))
    count = ChangeRecord.objects.count()
    response = client.post(
        reverse("specialties:recompute", args=[plan.pk]),
        {"rule_set": "chiping-example", "year": "2021"},
    )
    assert response.status_code == 403
    assert ChangeRecord.objects.count() == count
