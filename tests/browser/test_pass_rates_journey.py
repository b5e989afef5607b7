"""考核通过率 (学分银行, issue 9: "counts for the plan: … pass rates"). The school's clerk
follows 学分银行 → 考核通过率, types a sitting with more passes than candidates and is told why
nothing was saved, corrects it and sees the rate; the leader reads the same rate."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.credits.demo import seed_demo_credits
from gaodi.credits.models import ExamSitting
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.specialties.demo import seed_demo_specialties

from .accessibility import assert_accessible
from .personas import PASSWORD, ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def test_the_clerk_records_a_sitting_and_the_leader_reads_the_pass_rate(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    create_member("xuexiao", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=school)
    seed_demo_specialties(plan, school)
    seed_demo_credits(plan, school)

    before = ExamSitting.objects.count()
    login(page, "xuexiao")
    page.goto(f"/credits/plans/{plan.pk}/")
    page.get_by_role("link", name="考核通过率").click()
    expect(page.get_by_role("heading", name="考核通过率")).to_be_visible()
    page.get_by_label("认证单元").select_option(
        label="职业技能等级证书（原1+X）：Web前端开发（初级、中级、高级）"
    )
    page.get_by_label("等级").fill("初级")
    page.get_by_label("考核日期").fill("2021-06-12")
    page.get_by_label("参加考核人数").fill("30")
    page.get_by_label("通过人数").fill("31")
    page.get_by_role("button", name="保存考核批次").click()
    expect(page.get_by_role("status")).to_contain_text("通过人数（31）不能多于参加考核人数（30）")
    assert ExamSitting.objects.count() == before
    # what was typed is still there: only the wrong figure is corrected
    expect(page.get_by_label("参加考核人数")).to_have_value("30")
    expect(page.get_by_label("考核日期")).to_have_value("2021-06-12")
    page.get_by_label("通过人数").fill("24")
    page.get_by_role("button", name="保存考核批次").click()
    expect(page.get_by_role("status")).to_contain_text("参加 30 人，通过 24 人")
    rates = page.get_by_role("table").filter(has_text="按证书体系和等级")
    expect(rates.get_by_role("row").filter(has_text="初级")).to_contain_text("80.0%")
    expect(page.get_by_text("初级：通过 24 人，学分银行认定通过证书")).to_be_visible()
    assert_accessible(page)
    shot(page, "credits-pass-rates", full_page=True)

    page.context.clear_cookies()
    login(page, "lingdao")
    page.goto(f"/credits/plans/{plan.pk}/sittings/?year=2021")
    rates = page.get_by_role("table").filter(has_text="按证书体系和等级")
    expect(rates.get_by_role("row").filter(has_text="初级")).to_contain_text("80.0%")
    expect(page.get_by_role("button", name="保存考核批次")).to_have_count(0)
