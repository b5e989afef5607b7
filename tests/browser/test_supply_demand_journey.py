"""供求信息 (issue 7 §1, 重点任务（八）): the work team opens the plan, follows 供求信息, reads the
gap of 数控技术应用 and opens its working, sees the 示例 parameter set, publishes the year's
bulletin and lands on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.specialties.demo import seed_demo_specialties
from gaodi.specialties.models import SupplyDemandBulletin

from .accessibility import assert_accessible
from .personas import ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def test_the_work_team_reads_the_gap_with_its_working_and_publishes(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_specialties(plan, school)  # offerings, declarations, bulletin 〔2021〕1号

    login(page, "zhuanban")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="供求信息").first.click()
    expect(page.get_by_role("heading", name="人力资源供求信息")).to_be_visible()
    expect(page.get_by_text("参数集 chiping-supply-demand-example 第 1 版").first).to_be_visible()
    expect(page.locator("strong.example").first).to_have_text("示例")
    by_specialty = page.get_by_role("table").filter(has_text="按专业")
    row = by_specialty.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="数控技术应用")
    )
    expect(row).to_contain_text("85")  # demand declared for 2021
    expect(row).to_contain_text("1.09")  # 85 ÷ 78
    shot(page, "supply-demand")

    working = by_specialty.locator("summary", has_text="数控技术应用：计算过程")
    working.click()
    sentence = "2021年缺口 = 需求 85 − 供给 78 = 7 人；供求比 = 需求 ÷ 供给 = 1.09"
    expect(by_specialty.get_by_text(sentence, exact=True)).to_be_visible()
    expect(by_specialty.get_by_text("2022年需求预测 97 人（四舍五入到整人）").first).to_be_visible()
    working.scroll_into_view_if_needed()
    shot(page, "supply-demand-working")
    assert_accessible(page)

    page.get_by_role("button", name="发布 2021 年供求信息").click()
    expect(page.get_by_role("status")).to_contain_text("已发布 茌平职教供求〔2021〕2号。")
    expect(page.get_by_role("heading", name="茌平职教供求〔2021〕2号", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name="下载 Excel")).to_be_visible()
    assert SupplyDemandBulletin.objects.filter(plan=plan).count() == 2
    assert_accessible(page)
    shot(page, "supply-demand-bulletin")
