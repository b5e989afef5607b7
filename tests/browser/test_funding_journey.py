"""经费保障 (issue 8 §4): the work team follows 经费保障 from the plan, reads the surcharge rule
(one year below 30 % for 地方教育附加), the per-student appropriation, the 经费投入 table with
the plan's 2022 drop and the debts, each with its working, and adds one surcharge year through
the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from gaodi.demo import seed_demo_values
from gaodi.funding import rules
from gaodi.funding.demo import seed_demo_funding
from gaodi.funding.models import SurchargeYear
from gaodi.funding.queries import Overview, overview
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.today import today

from .accessibility import assert_accessible
from .personas import ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def _working(page: Page, summary: str) -> Locator:
    """Open the 计算过程 whose summary reads `summary`, and return it."""
    page.get_by_text(summary, exact=True).click()
    return page.locator("details").filter(has=page.get_by_text(summary, exact=True))


def _year_row(page: Page, table: Locator, year: int) -> Locator:
    """The row of the table whose 年份 cell is `year` (other cells may name other years)."""
    return table.get_by_role("row").filter(has=page.get_by_role("cell", name=str(year), exact=True))


def feed_row_text(found: Overview) -> str:
    """The first computed 中职生均拨款 as the page shows it: 元/生 with the 万元 figure."""
    return next(row.computed_text for row in found.feed if row.computed is not None)


def test_the_work_team_reads_the_funding_rules_and_adds_a_surcharge_year(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_values(plan, school)  # the school's 在校生数 in the indicators (2019, 2020)
    seed_demo_funding(plan, school)
    found = overview(plan, today())
    short_year = next(s for s in found.surcharges if s.status == rules.NOT_MET)
    local = next(c for c in short_year.checks if c.status == rules.NOT_MET)
    short_pay = next(a for a in found.appropriations if a.status == rules.NOT_MET)

    login(page, "zhuanban")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="经费保障").first.click()
    expect(page.get_by_role("heading", name="经费保障", exact=True)).to_be_visible()
    rules_table = page.get_by_role("table").filter(has_text="今天施行中")
    expect(rules_table).to_contain_text(found.rules_now.label().split("，")[0])  # type: ignore[union-attr]

    surcharges = page.get_by_role("table").filter(has_text="各年落实情况")
    expect(surcharges).to_contain_text(local.share_text)
    expect(surcharges).to_contain_text(f"{local.shortfall:,}")
    working = _working(page, str(short_year.year) + " 年：未达标（计算过程）")
    expect(working.get_by_text(short_year.steps[3], exact=True)).to_be_visible()  # 地方教育附加
    expect(working.get_by_text(short_year.steps[-1], exact=True)).to_be_visible()  # 依据：…

    payments = page.get_by_role("table").filter(has_text="应拨（标准 × 在校生）与实拨")
    row = _year_row(page, payments, short_pay.year)
    expect(row).to_contain_text("未达标")
    expect(row).to_contain_text(f"{short_pay.shortfall:,}")
    expect(row).to_contain_text(short_pay.students_from)  # 取自指标库（…年，已审核）
    assert short_pay.students_from.startswith("取自指标库")
    typed = next(a for a in found.appropriations if a.students_from.startswith("手工填写"))
    expect(_year_row(page, payments, typed.year)).to_contain_text(typed.students_from)
    page.get_by_text(
        short_pay.school + " " + str(short_pay.year) + " 年：未达标（计算过程）"
    ).click()
    expect(page.get_by_text(short_pay.steps[1], exact=True)).to_be_visible()  # 应拨 … 实拨 …
    feed = page.get_by_role("table").filter(has_text="由拨款记录计算的中职生均拨款")
    expect(feed).to_contain_text(feed_row_text(found))

    table = page.get_by_role("table").filter(has_text="经费投入指标各年目标与实际")
    expect(table.get_by_role("row").filter(has_text="财政性职业教育经费总投入")).to_contain_text(
        "目标逐年下降"
    )
    working = _working(page, "财政性职业教育经费总投入（计算过程）")
    expect(working).to_contain_text("方案 2022 年目标 30000 万元 低于 2021 年目标 50000 万元")

    debts = page.get_by_role("table").filter(has_text="各校债务状态")
    expect(debts).to_contain_text("逾期未化解")
    assert_accessible(page)
    page.get_by_role(
        "heading", name="教育费附加、地方教育附加用于职业教育（均不低于30%）"
    ).scroll_into_view_if_needed()
    shot(page, "funding")
    debts.scroll_into_view_if_needed()
    shot(page, "funding-debts")

    page.get_by_text("登记（更正）一年的附加收入与使用", exact=True).click()
    form = page.locator("form").filter(has=page.get_by_role("button", name="保存附加收入与使用"))
    form.get_by_label("年份", exact=True).fill("2018")
    form.get_by_label("教育费附加收入（元）").fill("17000000")
    form.get_by_label("教育费附加用于职业教育（元）").fill("5100000")
    form.get_by_label("地方教育附加收入（元）").fill("11000000")
    form.get_by_label("地方教育附加用于职业教育（元）").fill("3300000")
    form.get_by_label("来源说明").fill("2018年财政决算")
    form.get_by_role("button", name="保存附加收入与使用").click()
    expect(page.get_by_role("status")).to_contain_text("已保存 2018 年教育附加收入与使用。")
    # the plan's rules apply from 2019 (its 现有基础 year): 2018 is stored, and said to be
    # outside them rather than judged by rules that were not in force
    expect(
        page.get_by_text("以下年份没有施行中的规则，未作计算（附加与生均拨款）：2018")
    ).to_be_visible()
    assert SurchargeYear.objects.filter(plan=plan, year=2018, local_revenue=11_000_000).exists()
    assert_accessible(page)
    shot(page, "funding-recorded")
