"""The reporting form: base values only, all or nothing, ratios computed as they come."""

from __future__ import annotations

import pytest
from django.test import Client

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.indicators.models import DataSet, DataValue, Indicator
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456"


@pytest.fixture
def plan() -> Plan:
    county = ensure_reference_tree(actor=None)
    imported = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    create_member("admin", PASSWORD, role=Role.ADMIN, actor=None, org_unit=county)
    school = OrgUnit.objects.create(
        code="371503-S01", name="职教中心", kind=OrgKind.SCHOOL, parent=county
    )
    create_member("clerk", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=school)
    education = Department.objects.get(org_unit=county, name="区教育和体育局")
    create_member("liaison", PASSWORD, role=Role.DEPARTMENT, actor=None, department=education)
    return imported


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def field(plan: Plan, name: str) -> str:
    return f"v{Indicator.objects.get(plan=plan, name=name).pk}"


def form_url(plan: Plan, unit: OrgUnit, table: str = "师资队伍", period: str = "2021") -> str:
    data_set = DataSet.objects.get(plan=plan, name=table)
    return f"/indicators/sets/{data_set.pk}/{unit.pk}/{period}/"


def test_a_clerk_enters_the_parts_and_sees_the_ratio(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    url = form_url(plan, school)
    clerk = signed_in("clerk")
    overview = clerk.get(f"/indicators/plans/{plan.pk}/collect/{school.pk}/2021/").content.decode()
    assert "师资队伍" in overview and "规模与布局" in overview and "开放中" in overview
    form = clerk.get(url).content.decode()
    assert "在校生数（中职学校生师比）" in form and 'name="v' in form
    assert f'name="{field(plan, "中职学校生师比")}"' not in form  # a ratio has no input
    page = clerk.post(
        url,
        {
            field(plan, "在校生数（中职学校生师比）"): "4888",
            field(plan, "专任教师数（中职学校生师比）"): "252",
        },
        follow=True,
    ).content.decode()
    assert "已保存 2 项数据" in page and "19.40" in page
    assert DataValue.objects.filter(org_unit=school, period="2021").count() == 2


def test_the_form_checks_as_you_type_without_storing(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    clerk = signed_in("clerk")
    fragment = clerk.post(
        form_url(plan, school) + "check/",
        {
            field(plan, "在校生数（中职学校生师比）"): "4888",
            field(plan, "专任教师数（中职学校生师比）"): "252",
            field(plan, "“双师型”教师数（中职学校“双师型”教师比例）"): "200",
            field(plan, "专业课教师总数（中职学校“双师型”教师比例）"): "180",
            field(plan, "职业院校招聘教师数"): "-3",
        },
    ).content.decode()
    assert "19.40" in fragment  # derived as typed
    assert 'hx-swap-oob="true"' in fragment
    assert "“双师型”教师数不超过专业课教师总数" in fragment  # the rule, next to its cell
    assert "该指标不能为负数" in fragment
    assert DataValue.objects.count() == 0


def test_one_bad_value_saves_nothing(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    url = form_url(plan, school, "规模与布局")
    clerk = signed_in("clerk")
    page = clerk.post(
        url, {field(plan, "中职学校招生数"): "900", field(plan, "中职学校数量"): "-1"}
    ).content.decode()
    assert "未保存" in page and "数量不能为负数" in page
    page = clerk.post(url, {field(plan, "中职学校招生数"): "四千"}).content.decode()
    assert "应填写数字" in page
    assert DataValue.objects.count() == 0


def test_only_the_places_own_people_may_enter(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    county = plan.org_unit
    assert signed_in("clerk").get(form_url(plan, county)).status_code == 404
    assert signed_in("liaison").get(form_url(plan, school)).status_code == 404
    assert signed_in("admin").get(form_url(plan, school)).status_code == 200
    assert signed_in("admin").get(form_url(plan, school, period="2021Q9")).status_code == 404
