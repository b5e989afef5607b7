"""供求信息 on the demo: the page with its working, declaring, publishing, the bulletin and its
Excel export, and who may do which."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gaodi.audit.models import ChangeRecord
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.plans.models import Plan
from gaodi.specialties.models import (
    DemandDeclaration,
    Enterprise,
    Industry,
    Offering,
    Specialty,
    SupplyDemandBulletin,
    SupplyDemandParameters,
)
from gaodi.specialties.services import Numbers, Refused, record_offering
from gaodi.specialties.supply_demand import AVERAGE_CHANGE, SupplyDemand, example_parameters
from gaodi.specialties.supply_demand_services import (
    declare_demand,
    publish_bulletin,
    save_parameters,
)
from tests.helpers import client_of

pytestmark = pytest.mark.django_db


def url(plan: Plan, name: str = "specialties:supply_demand", *args: int) -> str:
    return reverse(name, args=[plan.pk, *args])


def page(username: str, plan: Plan, year: int = 2021) -> str:
    response = client_of(username).get(url(plan) + f"?year={year}")
    assert response.status_code == 200
    return response.content.decode()


def specialty(name: str) -> Specialty:
    return Specialty.objects.get(name=name, catalogue__contains="2021")


def industry(name: str) -> Industry:
    return Industry.objects.get(name=name, group="十强产业")


def test_the_demo_has_labelled_declarations_for_four_years_and_one_bulletin(plan: Plan) -> None:
    assert set(DemandDeclaration.objects.values_list("year", flat=True)) == {2019, 2020, 2021, 2022}
    assert set(DemandDeclaration.objects.values_list("source", flat=True)) == {"【演示数据】"}
    assert all(
        name.startswith("【演示数据】")
        for name in Enterprise.objects.values_list("name", flat=True)
    )
    bulletin = SupplyDemandBulletin.objects.get(plan=plan)
    assert bulletin.number == "茌平职教供求〔2021〕1号"
    assert (bulletin.parameters_code, bulletin.parameters_version) == (
        "chiping-supply-demand-example",
        1,
    )
    assert SupplyDemandParameters.objects.count() == 1


def test_the_work_team_sees_gap_forecast_working_and_the_example_parameters(plan: Plan) -> None:
    html = page("zhuanban", plan)
    # 数控技术应用 2021: demand 85 declared, 78 graduates reported
    assert "2021年缺口 = 需求 85 − 供给 78 = 7 人；供求比 = 需求 ÷ 供给 = 1.09" in html
    # 康复技术 opened 2019: 0 graduates, so the ratio cannot be computed
    assert "供求比 = 需求 ÷ 供给 = 无法计算（供给为 0）" in html
    # forecast of 2022 from 60, 72, 85: ȳ 72.33, b 12.5 → 97.33 → 97
    assert "2022年需求预测 97 人（四舍五入到整人）" in html
    assert "参数集 chiping-supply-demand-example 第 1 版" in html and "示例" in html
    assert "【演示数据】鲁西数控装备有限公司" in html
    assert "茌平职教供求〔2021〕1号" in html
    assert "录入企业用人需求" in html and "发布 2021 年供求信息" in html


def test_a_year_without_declarations_says_so_and_is_not_zero(plan: Plan) -> None:
    html = page("zhuanban", plan, 2018)
    assert "2018 年尚无企业用人需求申报（未开展申报的年度不按 0 计）" in html
    assert "2018年未开展需求申报，缺口无法计算" in html


def test_a_leader_reads_it_without_the_forms_and_a_school_sees_its_own_supply(plan: Plan) -> None:
    html = page("lingdao", plan)
    assert "需求 85 − 供给 78" in html and "录入企业用人需求" not in html
    ensure_org_unit("371503-S02", "另一所学校", OrgKind.SCHOOL, plan.org_unit, actor=None)
    html = page("xuexiao", plan)
    assert "供给只计您可查看的学校：聊城市茌平区职业教育中心学校" in html
    assert "发布 2021 年供求信息" not in html


def test_a_department_liaison_gets_404(plan: Plan) -> None:
    assert client_of("jiaoti").get(url(plan)).status_code == 404


def test_the_work_team_records_a_declaration_with_its_change_record(plan: Plan) -> None:
    records = ChangeRecord.objects.count()
    response = client_of("zhuanban").post(
        url(plan, "specialties:declare"),
        {
            "enterprise": "新办精工有限公司",
            "credit_code": "",
            "specialty": specialty("会计事务").pk,
            "industry": industry("现代金融服务").pk,
            "year": "2021",
            "headcount": "12",
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain == [(url(plan) + "?year=2021", 302)]
    found = DemandDeclaration.objects.get(enterprise__name="新办精工有限公司")
    assert (found.year, found.headcount, found.source) == (2021, 12, "录入")
    assert found.declared_by is not None and found.declared_by.username == "zhuanban"
    assert ChangeRecord.objects.count() == records + 2  # the enterprise and the declaration
    assert "已记录：新办精工有限公司 2021 年需要会计事务专业毕业生 12 人。" in html
    assert "2021年缺口 = 需求 12 − 供给 35 = -23 人" in html


def test_a_second_declaration_corrects_the_first_and_keeps_the_old_number(plan: Plan) -> None:
    demo = DemandDeclaration.objects.get(enterprise__name="【演示数据】康宁医养中心", year=2021)
    declare_demand(
        plan,
        enterprise_name="【演示数据】康宁医养中心",
        specialty=demo.specialty,
        industry=demo.industry,
        year=2021,
        headcount=40,
        actor=None,
    )
    demo.refresh_from_db()
    assert demo.headcount == 40
    record = ChangeRecord.objects.get(
        object_type="specialties.demanddeclaration", object_id=str(demo.pk), action="update"
    )
    assert record.before["headcount"] == 25 and record.after["headcount"] == 40


def test_bad_input_is_refused_in_chinese_and_nothing_changes(plan: Plan) -> None:
    before = (DemandDeclaration.objects.count(), ChangeRecord.objects.count())
    client = client_of("zhuanban")
    data = {
        "enterprise": "某公司",
        "specialty": specialty("会计事务").pk,
        "industry": industry("现代金融服务").pk,
        "year": "2021",
        "headcount": "-3",
    }
    response = client.post(url(plan, "specialties:declare"), data, follow=True)
    assert "需求人数须为不小于 0 的整数" in response.content.decode()
    response = client.post(
        url(plan, "specialties:declare"),
        {**data, "headcount": "3", "credit_code": "ABC"},
        follow=True,
    )
    assert "统一社会信用代码须为 18 位" in response.content.decode()
    with pytest.raises(Refused, match="企业名称不能为空"):
        declare_demand(
            plan,
            enterprise_name="  ",
            specialty=specialty("会计事务"),
            industry=industry("现代金融服务"),
            year=2021,
            headcount=1,
            actor=None,
        )
    assert (DemandDeclaration.objects.count(), ChangeRecord.objects.count()) == before


def test_publishing_freezes_the_figures_under_the_next_number(plan: Plan) -> None:
    response = client_of("zhuanban").post(url(plan, "specialties:publish"), {"year": "2021"})
    bulletin = SupplyDemandBulletin.objects.get(number="茌平职教供求〔2021〕2号")
    assert response.status_code == 302
    assert response["Location"] == url(plan, "specialties:bulletin", bulletin.pk)
    assert ChangeRecord.objects.filter(
        object_type="specialties.supplydemandbulletin", object_id=str(bulletin.pk)
    ).exists()
    frozen = SupplyDemand.from_json(bulletin.snapshot)
    # a later declaration or offering does not change the published figures
    offering = Offering.objects.get(specialty__name="数控技术应用", year=2021)
    record_offering(
        offering.school, offering.specialty, 2021, Numbers(graduates=10), source="录入", actor=None
    )
    bulletin.refresh_from_db()
    assert SupplyDemand.from_json(bulletin.snapshot) == frozen
    html = client_of("lingdao").get(url(plan, "specialties:bulletin", bulletin.pk)).content.decode()
    assert "茌平职教供求〔2021〕2号" in html and "需求 85 − 供给 78 = 7 人" in html
    assert "需求 85 − 供给 10" in page("zhuanban", plan)  # the live page follows the data


def test_publishing_a_year_without_declarations_is_refused(plan: Plan) -> None:
    with pytest.raises(Refused, match="2018 年尚无企业用人需求申报"):
        publish_bulletin(plan, 2018, actor=None)
    response = client_of("zhuanban").post(
        url(plan, "specialties:publish"), {"year": "2018"}, follow=True
    )
    assert "2018 年尚无企业用人需求申报，不能发布供求信息" in response.content.decode()
    assert SupplyDemandBulletin.objects.count() == 1


def test_publishing_without_the_csrf_token_is_refused(plan: Plan) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="zhuanban"))
    response = client.post(url(plan, "specialties:publish"), {"year": "2021"})
    assert response.status_code == 403 and SupplyDemandBulletin.objects.count() == 1


def test_the_bulletin_exports_to_excel_with_formula_like_names_as_text(plan: Plan) -> None:
    declare_demand(
        plan,
        enterprise_name='=HYPERLINK("http://x","点击")',
        specialty=specialty("会计事务"),
        industry=industry("现代金融服务"),
        year=2021,
        headcount=5,
        actor=None,
    )
    bulletin = publish_bulletin(plan, 2021, actor=None)
    response = client_of("ducha").get(url(plan, "specialties:bulletin_xlsx", bulletin.pk))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["按专业"]
    assert sheet["A1"].value == bulletin.number
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["数控技术应用"][1:5] == (85, 78, 7, "1.09")
    assert rows["康复技术"][4] == "无法计算"
    assert "按产业" in book.sheetnames and "计算过程" in book.sheetnames
    # the enterprise name goes nowhere as a formula: no cell of the workbook is one
    assert all(
        cell.data_type != "f" for ws in book.worksheets for row in ws.iter_rows() for cell in row
    )


def test_a_department_liaison_cannot_open_a_bulletin(plan: Plan) -> None:
    bulletin = SupplyDemandBulletin.objects.get()
    for name in ("specialties:bulletin", "specialties:bulletin_xlsx"):
        assert client_of("caizheng").get(url(plan, name, bulletin.pk)).status_code == 404


def test_the_api_gives_the_gap_forecast_working_and_parameter_version(plan: Plan) -> None:
    response = client_of("lingdao").get(f"/api/v1/plans/{plan.pk}/supply-demand?year=2021")
    assert response.status_code == 200
    data = response.json()
    assert data["surveyed_years"] == [2019, 2020, 2021, 2022]
    assert data["parameters"]["code"] == "chiping-supply-demand-example"
    assert data["parameters"]["version"] == 1 and data["parameters"]["example"] is True
    rows = {row["name"]: row for row in data["specialties"]}
    cnc = rows["数控技术应用"]
    assert (cnc["demand"], cnc["supply"], cnc["gap"], cnc["ratio"]) == (85, 78, 7, "1.09")
    assert (cnc["forecast_year"], cnc["forecast_demand"]) == (2022, 97)
    assert "2022年需求预测 97 人（四舍五入到整人）" in cnc["working"]
    assert rows["康复技术"]["ratio"] is None and rows["康复技术"]["gap"] == 25
    industries = {row["name"]: row for row in data["industries"]}
    assert industries["高端装备"]["supply"] == 78 + 100
    assert industries["高端装备"]["serves"] == ["数控技术应用", "机电技术应用"]


def test_the_api_gives_an_unsurveyed_year_as_null_not_zero(plan: Plan) -> None:
    data = client_of("zhuanban").get(f"/api/v1/plans/{plan.pk}/supply-demand?year=2018").json()
    assert all(row["demand"] is None and row["gap"] is None for row in data["specialties"])


def test_the_alignment_api_gives_shares_gaps_and_what_serves_nothing(plan: Plan) -> None:
    response = client_of("ducha").get(f"/api/v1/plans/{plan.pk}/specialty-alignment?year=2021")
    assert response.status_code == 200
    data = response.json()
    assert data["year"] == 2021 and data["rows"]
    it = next(row for row in data["rows"] if row["industry"] == "新一代信息技术")
    assert it["actual_students"] == 657  # the demo's 计算机应用 2021
    assert it["gap"] is not None
    assert any(step.startswith("2021年目标结构") for step in data["steps"])
    assert "unserved_industries" in data and "unmapped_specialties" in data
    assert (
        client_of("jiaoti").get(f"/api/v1/plans/{plan.pk}/specialty-alignment").status_code == 404
    )


def test_the_page_and_the_api_cost_the_same_queries_with_more_declarations(plan: Plan) -> None:
    client = client_of("zhuanban")
    address = f"/api/v1/plans/{plan.pk}/supply-demand?year=2021"

    def cost() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page_queries:
            assert client.get(url(plan) + "?year=2021").status_code == 200
        with CaptureQueriesContext(connection) as api_queries:
            assert client.get(address).status_code == 200
        return len(page_queries), len(api_queries)

    before = cost()
    for number in range(12):
        declare_demand(
            plan,
            enterprise_name=f"查询计数企业{number}",
            specialty=specialty("电子商务"),
            industry=industry("现代金融服务"),
            year=2021,
            headcount=number,
            actor=None,
        )
    assert cost() == before


def test_a_new_parameter_version_takes_over_on_its_day_and_the_bulletin_records_it(
    plan: Plan, settings
) -> None:  # type: ignore[no-untyped-def]
    later = replace(
        example_parameters(), version=2, method=AVERAGE_CHANGE, effective_from=dt.date(2021, 7, 1)
    )
    save_parameters(later, actor=None)
    with pytest.raises(Refused, match="第 2 版已存在"):
        save_parameters(later, actor=None)
    assert "参数集 chiping-supply-demand-example 第 1 版" in page("zhuanban", plan)
    settings.GAODI_TODAY = dt.date(2021, 7, 1)
    html = page("zhuanban", plan)
    assert "参数集 chiping-supply-demand-example 第 2 版" in html and "平均年增量" in html
    # 数控技术应用 60, 72, 85: 85 + (85 − 60) ÷ 2 = 97.5 → 98
    assert "2022年需求预测 98 人" in html
    bulletin = publish_bulletin(plan, 2021, actor=None)
    assert (bulletin.parameters_code, bulletin.parameters_version) == (later.code, 2)
    assert SupplyDemand.from_json(bulletin.snapshot).parameters == later
