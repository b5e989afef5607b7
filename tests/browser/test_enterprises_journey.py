"""产教融合型企业 (issue 8 §3): the work team follows 产教融合型企业 from the plan, reads the
register, opens the 培育 demo enterprise and sees its credit ledger with the carry-forward, the
working and the statement 估算，以税务机关认定为准, then adds an enterprise through the form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from gaodi.enterprises.demo import LUXI, seed_demo_enterprises
from gaodi.enterprises.models import IntegrationEnterprise
from gaodi.enterprises.queries import ledger_of
from gaodi.enterprises.templatetags.enterprise_display import cents
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.plans.templatetags.plan_display import grouped

from .accessibility import assert_accessible
from .personas import ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser
ESTIMATE = "估算，以税务机关认定为准"


def money(value: Decimal) -> str:
    """A credit amount as the pages show it (to the 分, grouped: 360,000)."""
    return str(grouped(cents(value)))


def test_the_work_team_reads_the_register_and_the_ledger_and_adds_an_enterprise(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_enterprises(plan, school)
    found = ledger_of(IntegrationEnterprise.objects.get(enterprise__name=LUXI))
    first = found.ledger.rows[0]
    assert first.closing_carry > 0  # the demo carries credit forward

    login(page, "zhuanban")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="产教融合型企业").first.click()
    expect(page.get_by_role("heading", name="产教融合型企业名录")).to_be_visible()
    row = page.get_by_role("row").filter(has_text=LUXI)
    expect(row).to_contain_text("省级培育")
    expect(row).to_contain_text("订单班")
    expect(page.get_by_text(ESTIMATE).first).to_be_visible()
    forgone = page.locator("#forgone-table")  # 减少的附加收入（估算）, summed over the register
    for ledger_row in found.ledger.rows:
        year_row = forgone.get_by_role("row").filter(has_text=str(ledger_row.year))
        expect(year_row).to_contain_text(money(ledger_row.credit_used))
    expect(forgone).to_contain_text(money(found.ledger.revenue_forgone))
    expect(page.locator("#forgone")).to_contain_text("减少的附加收入（估算）")
    assert_accessible(page)
    shot(page, "enterprises")
    forgone.scroll_into_view_if_needed()
    shot(page, "enterprises-forgone")

    page.get_by_role("link", name=LUXI).click()
    expect(page.get_by_role("heading", name=LUXI)).to_be_visible()
    expect(page.locator("p.estimate")).to_contain_text(ESTIMATE)
    ledger = page.get_by_role("table").filter(has_text="年初结转")
    year = ledger.get_by_role("row").filter(has_text=str(first.year))
    expect(year).to_contain_text(money(first.closing_carry))
    expect(year).to_contain_text("第 1 版")
    working = page.locator("#working")
    expect(working).to_contain_text("财税〔2019〕46号")
    expect(working).to_contain_text("示例")
    page.get_by_text(f"{first.year} 年的计算").click()
    expect(page.get_by_text(first.working[-2], exact=True)).to_be_visible()  # 年末结转 = …
    assert_accessible(page)
    ledger.scroll_into_view_if_needed()
    shot(page, "enterprises-ledger")

    page.get_by_role("link", name="← 产教融合型企业名录").click()
    page.get_by_text("登记企业", exact=True).click()
    page.get_by_label("企业名称").fill("茌平新材料股份有限公司")
    page.get_by_label("统一社会信用代码（18 位）").fill("91350100M000100Y43")
    page.get_by_label("所属行业").fill("新材料")
    page.get_by_label("企业规模").select_option("中型")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("已登记“茌平新材料股份有限公司”。")
    expect(page.get_by_role("heading", name="茌平新材料股份有限公司")).to_be_visible()
    assert IntegrationEnterprise.objects.filter(enterprise__name="茌平新材料股份有限公司").exists()
    assert_accessible(page)
    shot(page, "enterprises-added")
