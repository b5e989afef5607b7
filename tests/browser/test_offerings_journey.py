"""专业点年度数据 (issue 7 §1): the school's data clerk opens 专业预警, follows 专业点年度数据,
types 2022's row for 旅游服务与管理 (no enrolment: 0), is told what is wrong with a bad rate,
then corrects it and sees the row stored as typed — blank numbers stay blank (未报)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.specialties.demo import seed_demo_specialties
from gaodi.specialties.models import Offering

from .accessibility import assert_accessible
from .personas import PASSWORD, ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def test_the_school_clerk_reports_a_specialtys_year(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_specialties(plan, school)
    create_member("xuexiao", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=school)

    login(page, "xuexiao")
    page.goto(f"/specialties/plans/{plan.pk}/warnings/")
    page.get_by_role("link", name="专业点年度数据").click()
    expect(page.get_by_role("heading", name="专业点年度数据", exact=True)).to_be_visible()
    page.get_by_label("专业（职业教育专业目录（2021年））").select_option("旅游服务与管理")
    page.get_by_label("年份", exact=True).last.fill("2022")
    page.get_by_label("招生计划").fill("40")
    page.get_by_label("实际招生").fill("0")
    page.get_by_label("就业率（%）", exact=True).fill("120")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("就业率（%）“120”：应为 0–100 的百分数")
    assert not Offering.objects.filter(year=2022).exists()

    page.get_by_label("专业（职业教育专业目录（2021年））").select_option("旅游服务与管理")
    page.get_by_label("年份", exact=True).last.fill("2022")
    page.get_by_label("招生计划").fill("40")
    page.get_by_label("实际招生").fill("0")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("新增 1 条")
    row = page.get_by_role("row").filter(has_text="旅游服务与管理").filter(has_text="2022")
    expect(row).to_contain_text("学校填报（表单）")
    assert_accessible(page)
    shot(page, "specialty-offerings")
    stored = Offering.objects.get(year=2022, specialty__name="旅游服务与管理")
    assert (stored.planned_enrolment, stored.enrolment, stored.students) == (40, 0, None)
