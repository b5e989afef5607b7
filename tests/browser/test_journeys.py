"""The main journeys, as people make them, in Chromium. Every page visited is checked with
axe (WCAG 2.1 AA) and no request may leave 127.0.0.1; screenshots go to docs/manual."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .accessibility import assert_accessible
from .personas import ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def visit(page: Page, name: str | None = None) -> None:
    """Check the page as it is now, and keep a picture of it for the manual."""
    assert_accessible(page)
    if name:
        shot(page, name)


def test_anybody_reads_the_published_plan_on_the_portal(
    page: Page, reference_plan: ReferencePlan
) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("公开发布的实施方案")
    visit(page, "portal-home")
    page.get_by_role(
        "link", name=re.compile("聊城市茌平区建设职业教育创新发展高地实施方案")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "聊城市茌平区建设职业教育创新发展高地实施方案"
    )
    row = page.get_by_role("row").filter(has_text="加大“双师型”教师培养力度")
    expect(row).to_contain_text("区教育和体育局")
    expect(page.get_by_role("heading", name=re.compile("三、师资队伍"))).to_be_visible()
    visit(page, "portal-plan")
    page.goto("/plans/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/plans/"))


def test_the_work_team_fixes_a_deadline_and_sees_it_in_the_history(
    page: Page, reference_plan: ReferencePlan
) -> None:
    page.goto("/accounts/login/")
    visit(page, "login")
    login(page, "zhuanban")
    page.get_by_role("link", name="聊城市茌平区建设职业教育创新发展高地实施方案").click()
    expect(page.get_by_role("heading", name="方案自洽性核查")).to_be_visible()
    visit(page, "plan-overview")

    page.get_by_role("navigation", name="方案导航").get_by_role("link", name="任务").click()
    visit(page, "tasks")
    page.get_by_role("link", name="重点任务（十四）").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text(
        "重点任务（十四） 加大“双师型”教师培养力度"
    )
    lead = page.locator("dt", has_text="牵头单位").locator("xpath=following-sibling::dd[1]")
    expect(lead).to_have_text("区教育和体育局")
    visit(page, "task-14")

    page.goto(f"/plans/{reference_plan.plan.pk}/review/")
    visit(page, "review")
    form = page.get_by_role("form", name="修正时限“2020年6月底前”").first
    form.get_by_label("正确的时限").fill("2020-09-30")
    form.get_by_label("修改理由").fill("印发时已过期，按区政府常务会议纪要顺延")
    form.get_by_role("button", name="保存时限").click()
    expect(page.get_by_role("status")).to_contain_text("时限已修改")

    page.goto(f"/plans/{reference_plan.plan.pk}/tasks/")
    page.get_by_role("link", name="重点任务（三）").click()
    expect(page.locator("dd", has_text="2020-09-30")).to_be_visible()
    history = page.locator("ol.timeline")
    expect(history).to_contain_text("时限 2020-06-30 改为 2020-09-30：印发时已过期")
    expect(history).to_contain_text("zhuanban")
    visit(page, "task-history")


def test_a_liaison_lands_on_his_departments_work(page: Page, reference_plan: ReferencePlan) -> None:
    login(page, "jiaotiju")
    expect(page.get_by_role("heading", level=2)).to_have_text("区教育和体育局")
    expect(page.get_by_role("heading", name="牵头 15 项任务")).to_be_visible()
    expect(page.get_by_text("方案自洽性核查")).to_have_count(0)
    visit(page, "department-liaison")
    page.goto(f"/plans/{reference_plan.plan.pk}/review/")
    expect(page.get_by_role("heading", level=1)).to_have_text("页面不存在")


def test_the_indicator_registry_is_readable(page: Page, reference_plan: ReferencePlan) -> None:
    login(page, "zhuanban")
    page.goto(f"/plans/{reference_plan.plan.pk}/")
    page.get_by_role("link", name="指标体系").click()
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile("^中职学校“双师型”教师比例"))
    )
    expect(row).to_contain_text("95.4%（210/220）")
    expect(row).to_contain_text("重点任务（十四）")
    visit(page, "indicators")
    page.get_by_role("link", name=re.compile("填报茌平区")).click()
    visit(page, "collect")
    page.get_by_role("table").get_by_role("link", name="师资队伍").click()  # data set
    page.wait_for_load_state()  # htmx (a deferred script) listens from then on
    page.get_by_label("在校生数（中职学校生师比）").fill("4888")
    page.get_by_label("专任教师数（中职学校生师比）").fill("252")
    # Checked as it is typed (htmx), before anything is saved.
    expect(page.locator("#live")).to_contain_text("19.40")
    page.get_by_label("专业课教师总数（中职学校“双师型”教师比例）").fill("180")
    page.get_by_label("“双师型”教师数（中职学校“双师型”教师比例）").fill("200")
    expect(page.locator("#m-i039n")).to_contain_text("不超过专业课教师总数")
    page.get_by_label("“双师型”教师数（中职学校“双师型”教师比例）").fill("166")
    expect(page.locator("#m-i039n")).to_be_empty()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已保存 4 项数据")
    expect(page.get_by_role("row", name=re.compile("^中职学校生师比"))).to_contain_text("19.40")
    visit(page, "entry")
