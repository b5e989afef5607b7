"""The 评价与成果 page and API on the demo: who sees what, the working, the forms."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from gaodi.achievements.models import Achievement, CompetitionAward, EvaluationResult
from gaodi.audit.models import ChangeRecord
from gaodi.demo import DEMO_PASSWORD
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from tests.helpers import client_of

pytestmark = pytest.mark.django_db


def page(username: str, plan: Plan, query: str = "") -> str:
    response = client_of(username).get(reverse("achievements:overview", args=[plan.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_records_are_labelled(plan: Plan) -> None:
    from gaodi.achievements.demo import DEMO_ACHIEVEMENTS

    # the typed ones (the certificate pilots are not typed: they come from the credit bank)
    assert Achievement.objects.filter(plan=plan).count() == len(DEMO_ACHIEVEMENTS) > 0
    assert set(CompetitionAward.objects.values_list("source", flat=True)) == {"【演示数据】"}
    assert all("【演示数据】" in a.evidence for a in Achievement.objects.all())
    assert EvaluationResult.objects.filter(plan=plan).count() == 2


def test_the_work_team_sees_targets_met_and_not_met_with_the_working(plan: Plan) -> None:
    html = page("zhuanban", plan)
    assert "评价与成果" in html
    assert "“争取至少1个”" in html and "已达成" in html and "未达成" in html
    assert "3 &lt; 5：未达成，尚差 2 门" in html  # 省级在线开放精品课程 as of 2021-06-30
    assert "不计入：聊城市茌平区职业教育中心学校“康复技术”，尚未批准" in html
    assert "依据：聊茌政发〔2020〕19号 重点任务（十）" in html
    assert "职业技能等级证书试点" in html and "人社厅函〔2025〕154号" in html
    # evaluation 2020: (40×88 + 30×82 + 30×79.5) / 100 = 83.65 -> 83.7, weights labelled 示例
    assert "综合得分 83.7，第 1 名" in html
    assert "示例" in html and "权重集 evaluation-example 第 1 版" in html
    assert "省级一等奖" not in html and "省级二等奖（学生）" in html  # competitions working
    assert "登记标志性成果" in html and "重新计算" in html
    assert "聊城市职业院校教学能力大赛</td><td>市级</td><td>三等奖</td><td>教师</td>" in html


def test_an_earlier_day_counts_fewer_and_2019_shows_the_renormalised_composite(
    plan: Plan,
) -> None:
    html = page("zhuanban", plan, "?as_of=2021-01-01&year=2019")
    assert "2 &lt; 5：未达成，尚差 3 门" in html
    assert "同行评价未评（不按 0 分计）" in html and "综合得分 82.0" in html


def test_leader_inspector_and_school_read_it_without_the_forms(plan: Plan) -> None:
    for username in ("lingdao", "ducha", "dudao", "xuexiao"):
        html = page(username, plan)
        assert "综合得分 83.7" in html and "登记标志性成果" not in html
    assert "统计范围：本校" in page("xuexiao", plan)


def test_a_department_liaison_gets_404(plan: Plan) -> None:
    url = reverse("achievements:overview", args=[plan.pk])
    assert client_of("jiaoti").get(url).status_code == 404


def test_the_work_team_records_an_achievement_through_the_form(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    url = reverse("achievements:record", args=[plan.pk])
    data = {
        "school": school.pk,
        "kind": "provincial_online_course",
        "name": "康复评定技术",
        "approved_on": "2021-06-01",
        "doc_number": "鲁教职函〔2021〕30号",
    }
    response = client_of("zhuanban").post(url, data, follow=True)
    html = response.content.decode()
    assert "已登记标志性成果“康复评定技术”" in html
    assert "4 &lt; 5：未达成，尚差 1 门" in html
    assert ChangeRecord.objects.filter(summary="标志性成果", after__name="康复评定技术").exists()


def test_the_demo_brand_specialties_are_linked_and_the_form_offers_the_schools_specialties(
    plan: Plan,
) -> None:
    linked = Achievement.objects.filter(kind="city_brand_specialty").exclude(specialty=None)
    assert sorted(a.specialty.name for a in linked) == ["康复技术", "机电技术应用", "计算机应用"]  # type: ignore[union-attr]
    html = page("zhuanban", plan)
    assert "（专业：计算机应用）" in html and '<option value="">（不对应具体专业）</option>' in html
    school = OrgUnit.objects.get(code="371503-S01")
    computing = Achievement.objects.filter(specialty__name="计算机应用").first().specialty  # type: ignore[union-attr]
    data = {
        "school": school.pk,
        "kind": "city_brand_specialty",
        "name": "电子商务",
        "approved_on": "2021-06-01",
        "specialty": "999999",
    }
    url = reverse("achievements:record", args=[plan.pk])
    html = client_of("zhuanban").post(url, data, follow=True).content.decode()
    assert "所选专业不是该校开设的专业" in html
    data["specialty"] = str(computing.pk)
    client_of("zhuanban").post(url, data)
    assert Achievement.objects.get(name="电子商务").specialty == computing


def test_a_bad_date_is_refused_with_a_message_and_nothing_written(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    count = Achievement.objects.count()
    data = {
        "school": school.pk,
        "kind": "provincial_online_course",
        "name": "x",
        "approved_on": "6/1",
    }
    html = (
        client_of("zhuanban")
        .post(reverse("achievements:record", args=[plan.pk]), data, follow=True)
        .content.decode()
    )
    assert "批准（立项）日期须为 YYYY-MM-DD 格式" in html
    assert Achievement.objects.count() == count


def test_scores_then_recompute_and_a_bad_score_is_refused(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    client = client_of("zhuanban")
    data = {
        "school": school.pk,
        "year": "2021",
        "customer": "90",
        "peer": "",
        "third_party": "abc",
        "source": "x",
    }
    html = client.post(
        reverse("achievements:evaluation", args=[plan.pk]), data, follow=True
    ).content.decode()
    assert "得分“abc”不是数字" in html
    data["third_party"] = "85.55"  # numeric(5,1): SQLite would keep it, PostgreSQL round it
    html = client.post(
        reverse("achievements:evaluation", args=[plan.pk]), data, follow=True
    ).content.decode()
    assert "得分“85.55”最多保留一位小数" in html
    data["third_party"] = "70"
    client.post(reverse("achievements:evaluation", args=[plan.pk]), data)
    html = client.post(
        reverse("achievements:recompute", args=[plan.pk]), {"year": "2021"}, follow=True
    ).content.decode()
    assert "已重新计算 2021 年的学校评价：共 1 所学校，其中 1 所得出综合得分。" in html
    assert "综合得分 81.4" in html  # (40×90 + 30×70) / 70


def test_others_cannot_write(plan: Plan) -> None:
    url = reverse("achievements:recompute", args=[plan.pk])
    for username in ("lingdao", "ducha", "xuexiao", "jiaoti"):
        assert client_of(username).post(url, {"year": "2020"}).status_code == 404
    csrf = Client(enforce_csrf_checks=True)
    csrf.login(username="zhuanban", password=DEMO_PASSWORD)
    assert csrf.post(url, {"year": "2020"}).status_code == 403


def test_the_api_gives_counts_targets_composites_and_awards(plan: Plan) -> None:
    client = client_of("zhuanban")
    tallies = client.get(f"/api/v1/plans/{plan.pk}/achievements?as_of=2021-06-30").json()
    courses = next(t for t in tallies if t["kind"] == "provincial_online_course")
    assert courses["count"] == 3 and courses["target"]["value"] == "5"
    assert courses["status"] == "未达成" and courses["working"][-1].startswith("依据：")
    evaluations = client.get(f"/api/v1/plans/{plan.pk}/school-evaluations?year=2020").json()
    assert evaluations[0]["composite"] == "83.7" and evaluations[0]["example_weights"] is True
    assert evaluations[0]["scores"]["peer"] == "82"
    competitions = client.get(f"/api/v1/plans/{plan.pk}/competitions").json()
    assert len(competitions["awards"]) == 4
    assert competitions["summaries"][0]["points"] == "23"  # 省二 10 + 市一 8 + 市三 3 + 校一 2
    assert client_of("jiaoti").get(f"/api/v1/plans/{plan.pk}/achievements").status_code == 404


def test_the_evaluations_command_recomputes_a_year_and_refuses_a_bad_one(plan: Plan) -> None:
    out = io.StringIO()
    call_command("evaluations", "--year", "2020", stdout=out)
    text = out.getvalue()
    assert "2020 年学校评价（权重集 evaluation-example 第 1 版）：共 1 所学校" in text
    assert "聊城市茌平区职业教育中心学校：综合得分 83.7，第 1 名" in text
    out = io.StringIO()
    call_command("evaluations", "--year", "2018", stdout=out)
    assert "2018 年没有施行中的权重集，跳过" in out.getvalue()
    with pytest.raises(CommandError, match="评价年份应在 2000–2100 之间"):
        call_command("evaluations", "--year", "1999")


def test_the_work_team_saves_its_own_weights_and_old_results_stay(plan: Plan) -> None:
    client = client_of("zhuanban")
    url = reverse("achievements:weights", args=[plan.pk])
    data = {
        "w_customer": "20",
        "w_peer": "30",
        "w_third_party": "50",
        "missing": "renormalise",
        "effective_from": "2020-12-31",
        "source": "区教体局2020年第5次会议纪要",
    }
    html = client.post(url, {**data, "w_customer": "x"}, follow=True).content.decode()
    assert "得分“x”不是数字" in html
    html = client.post(url, data, follow=True).content.decode()
    assert "已保存权重集 evaluation-371503 第 1 版，2020-12-31 起施行" in html
    assert "综合得分 83.7" in html  # the stored 2020 result is left as it was
    html = client.post(
        reverse("achievements:recompute", args=[plan.pk]), {"year": "2020"}, follow=True
    ).content.decode()
    # (20×88 + 30×82 + 50×79.5) / 100 = 81.95 -> 82.0 (ROUND_HALF_UP); 2019 keeps the 示例 set
    assert "综合得分 82.0，第 1 名" in html and "权重集 evaluation-371503 第 1 版" in html
    assert "权重依据：区教体局2020年第5次会议纪要" in html
    assert "区教体局2020年第5次会议纪要" not in page("zhuanban", plan, "?year=2019")
    assert "权重集 evaluation-example 第 1 版" in page("zhuanban", plan, "?year=2019")
