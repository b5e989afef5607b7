"""The 经费保障 page and API on the demo: who sees and writes what, the working, the forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gaodi.audit.models import ChangeRecord
from gaodi.funding import rules
from gaodi.funding.demo import (
    DEMO_SHORTFALLS,
    DEMO_SURCHARGES,
    demo_appropriation,
    seed_demo_funding,
)
from gaodi.funding.models import Appropriation, Debt, RulesVersion, SurchargeYear
from gaodi.funding.queries import overview
from gaodi.funding.services import stored_students
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from tests.helpers import client_of

pytestmark = pytest.mark.django_db


def page(username: str, plan: Plan) -> str:
    response = client_of(username).get(reverse("funding:overview", args=[plan.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_records_are_labelled_and_cover_each_case(plan: Plan) -> None:
    assert set(SurchargeYear.objects.values_list("source", flat=True)) == {"【演示数据】"}
    assert sorted(SurchargeYear.objects.values_list("year", flat=True)) == sorted(DEMO_SURCHARGES)
    assert Appropriation.objects.filter(plan=plan).count() == 3
    assert all("【演示数据】" in d.description for d in Debt.objects.filter(plan=plan))
    found = overview(plan, dt.date(2021, 6, 30))
    statuses = {(s.year, c.surcharge): c.status for s in found.surcharges for c in s.checks}
    assert list(statuses.values()).count(rules.NOT_MET) == 1
    assert statuses[(2020, rules.LOCAL)] == rules.NOT_MET
    assert {r.status for _d, r in found.debts} == {rules.RESOLVED, rules.OVERDUE}


def _demo_school(plan: Plan) -> OrgUnit:
    record = Appropriation.objects.filter(plan=plan).select_related("school").first()
    assert record is not None
    school: OrgUnit = record.school
    return school


def test_the_work_team_sees_each_result_with_its_working(plan: Plan) -> None:
    html = page("zhuanban", plan)
    assert "经费保障" in html and ">保存新版本</button>" in html and ">写入指标</button>" in html
    # the expected figures worked out from the demo's constants by the rules themselves
    preset = rules.plan_rules()
    er, es, lr, ls = DEMO_SURCHARGES[2020]
    surcharge = rules.check_surcharge(rules.SurchargeYear("茌平区", 2020, er, es, lr, ls), preset)
    local = next(c for c in surcharge.checks if c.surcharge == rules.LOCAL)
    assert local.status == rules.NOT_MET and local.shortfall > 0
    share = local.share_text
    assert "地方教育附加：用于职业教育 " + rules.yuan(ls) + " ÷ 收入 " + rules.yuan(lr) in html
    assert " = " + share + "；应不低于 " in html
    assert surcharge.steps[3] in html  # the local surcharge's whole sentence
    assert "尚差 " + rules.yuan(local.shortfall) + "（向上取整到元）" in html
    assert "依据：聊茌政发〔2020〕19号 重点任务（一）、附件3 第4行" in html
    school = _demo_school(plan)
    count_year = preset.count_year(2021)
    students = stored_students(plan, {school.pk}, count_year)[school.pk].count
    actual, typed = demo_appropriation(plan, school, 2021)
    assert typed is None  # the indicators hold the count: nothing typed twice
    assert actual == preset.standard_per_student * students - DEMO_SHORTFALLS[2021]
    result = rules.check_appropriation(
        rules.AppropriationYear(school.name, 2021, actual, students), preset, preset
    )
    assert result.status == rules.NOT_MET and result.shortfall == DEMO_SHORTFALLS[2021]
    assert result.steps[1] in html  # 应拨 标准 × 在校生 = …；实拨 …：未达标
    assert "取自指标库（" + str(count_year) + "年，已审核）" in html
    assert "手工填写，指标库尚无（" + str(preset.count_year(2019)) + "年）" in html
    assert "经费保障规则（方案预置） 第 1 版（2019-01-01 起施行）" in html
    assert "3,300 元/生（0.33 万元）" in html and "0.330000" not in html
    assert "与上年持平，未逐年提高" in html
    assert "方案 2022 年目标 30000 万元 低于 2021 年目标 50000 万元" in html
    assert "逾期未化解" in html and "已化解" in html
    assert "上一年9月30日全日制中职在校生数" in html and "示例" in html


def test_the_finance_liaison_reads_and_writes_but_not_the_rules(plan: Plan) -> None:
    html = page("caizheng", plan)
    assert "登记（更正）一年的附加收入与使用" in html
    assert ">保存新版本</button>" not in html and ">写入指标</button>" not in html
    client = client_of("caizheng")
    response = client.post(
        reverse("funding:surcharge", args=[plan.pk]),
        {
            "year": "2018",
            "education_revenue": "17000000",
            "education_to_vocational": "5100000",
            "local_revenue": "11000000",
            "local_to_vocational": "3300000",
            "source": "2018年决算",
        },
        follow=True,
    )
    assert "已保存 2018 年教育附加收入与使用。" in response.content.decode()
    assert SurchargeYear.objects.filter(plan=plan, year=2018).exists()
    change = ChangeRecord.objects.filter(object_type="funding.surchargeyear").latest("pk")
    assert change.actor_name == "caizheng"
    assert client.post(reverse("funding:rules", args=[plan.pk]), {}).status_code == 404


@pytest.mark.parametrize("username", ["jiaoti", "xuexiao"])
def test_other_departments_and_schools_get_404(plan: Plan, username: str) -> None:
    client = client_of(username)
    assert client.get(reverse("funding:overview", args=[plan.pk])).status_code == 404
    assert client.get(f"/api/v1/plans/{plan.pk}/funding").status_code == 404
    plans_page = client.get(reverse("plans:overview", args=[plan.pk])).content.decode()
    assert reverse("funding:overview", args=[plan.pk]) not in plans_page


def test_a_bad_form_lists_every_problem_and_writes_nothing(plan: Plan) -> None:
    before = Debt.objects.count()
    response = client_of("zhuanban").post(
        reverse("funding:debt", args=[plan.pk]),
        {"school": "", "description": "", "amount": "十万", "incurred_on": "昨天"},
        follow=True,
    )
    html = response.content.decode()
    for problem in (
        "请选择本方案所辖的学校",
        "请填写债务说明",
        "债务金额“十万”须为不小于 0 的整数",
        "产生日期“昨天”须为 YYYY-MM-DD 格式",
        "请填写来源说明",
    ):
        assert problem in html
    assert Debt.objects.count() == before


def test_the_api_gives_every_result_with_its_working(plan: Plan) -> None:
    body = client_of("lingdao").get(f"/api/v1/plans/{plan.pk}/funding").json()
    assert body["rules"]["standard_per_student"] == 3300 and body["rules"]["is_example"]
    year_2020 = next(s for s in body["surcharges"] if s["year"] == 2020)
    assert year_2020["status"] == "未达标"
    local = next(c for c in year_2020["checks"] if c["surcharge"] == "地方教育附加")
    assert (local["shortfall"], local["required"]) == (340000, "3840000")
    assert year_2020["working"][-1].startswith("依据：")
    total = next(r for r in body["table"] if r["name"] == "财政性职业教育经费总投入")
    assert [c["target"] for c in total["cells"]] == ["20000", "50000", "30000"]
    assert total["drops"]
    assert {d["status"] for d in body["debts"]} == {"已化解", "逾期未化解"}
    assert body["schools_debt"][0]["status"] == "逾期未化解"


def test_the_demo_is_set_up_once(plan: Plan) -> None:
    counts = (SurchargeYear.objects.count(), Appropriation.objects.count(), Debt.objects.count())
    seed_demo_funding(plan, OrgUnit.objects.get(code="371503-S01"))
    assert (
        SurchargeYear.objects.count(),
        Appropriation.objects.count(),
        Debt.objects.count(),
    ) == counts


def test_the_page_checks_the_rules_against_the_plans_words(plan: Plan) -> None:
    html = page("lingdao", plan)
    assert "“在目前已经落实生均3300元”（3,300 元）" in html
    assert "任务清单第3行" in html and "不一致" not in html


def test_the_work_team_saves_a_new_rules_version_through_the_form(plan: Plan) -> None:
    response = client_of("zhuanban").post(
        reverse("funding:rules", args=[plan.pk]),
        {
            "standard_per_student": "3600",
            "provincial_standard": "3400",
            "effective_from": "2022-01-01",
            "source": "区政府常务会议",
        },
        follow=True,
    )
    assert (
        "已保存经费保障规则第 1 版，2022-01-01 起施行；此前年度的结果不变。"
        in response.content.decode()
    )
    stored = RulesVersion.objects.get(code="funding-371503")
    assert (stored.data["standard_per_student"], stored.data["provincial_standard"]) == (3600, 3400)
    assert stored.data["source"] == "区政府常务会议"


def test_the_finance_liaison_records_a_late_resolution(plan: Plan) -> None:
    debt = Debt.objects.get(plan=plan, description__contains="设备采购")
    response = client_of("caizheng").post(
        reverse("funding:resolve", args=[plan.pk, debt.pk]),
        {"resolved_on": "2021-06-01", "resolved_amount": "1,150,000"},
        follow=True,
    )
    assert "已登记“【演示数据】教学设备采购欠款”的化解情况。" in response.content.decode()
    found = overview(plan, dt.date(2021, 6, 30))
    assert {r.status for _d, r in found.debts} == {rules.RESOLVED, rules.RESOLVED_LATE}
    assert "1,150,000" in page("caizheng", plan)
