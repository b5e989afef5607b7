"""Supervision as the work team and a liaison meet it (issue 5, first slice): the schedules the
plan sets and the rounds opened, the 待办 inbox, the task lights and the 三色督办单."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from gaodi.supervision.services import run_cycles

from .accessibility import assert_accessible
from .personas import ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def visit(page: Page, name: str | None = None) -> None:
    assert_accessible(page)
    if name:
        shot(page, name)


def test_the_rounds_the_plan_sets_reach_the_inbox_and_the_lights(
    page: Page, reference_plan: ReferencePlan
) -> None:
    run_cycles(dt.date(2021, 6, 30))  # what `gaodi cycles` does as of the demo day

    login(page, "jiaotiju")  # a liaison: his 待办 first
    page.get_by_role("link", name=re.compile("^待办（")).click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    expect(page.get_by_role("rowheader").first).to_contain_text("已开始")
    visit(page, "inbox")
    page.get_by_role("button", name="查看并标为已读").first.click()
    expect(page.get_by_role("heading", name="调度与督查")).to_be_visible()

    page.context.clear_cookies()
    login(page, "zhuanban")
    page.goto(f"/plans/{reference_plan.plan.pk}/")
    page.get_by_role("navigation", name="方案导航").get_by_role("link", name="调度与督查").click()
    inspection = page.get_by_role("table", name=re.compile("区委督查室每季度督查"))
    expect(inspection.get_by_role("row", name=re.compile("^2020Q3"))).to_contain_text(
        "2020-10-14"
    )  # 5 working days after the quarter, past the National Day holiday
    visit(page, "schedules")
    page.get_by_role("navigation", name="督查调度").get_by_role("link", name="红黄绿灯").click()
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile("重点任务（十四）"))
    )
    expect(row).to_contain_text("红灯")
    visit(page, "lights")
    page.get_by_role("link", name="打印三色督办单").click()
    expect(page.get_by_role("heading", name="三色督办单")).to_be_visible()
    visit(page, "sheet")
