"""The Content-Security-Policy in the browser (issue 6): enforced, and no page needs more.

Every browser test already fails on a CSP refusal (the `page` fixture's csp_guard); these
check that the guard sees one, and visit what the journeys do not: the API docs (Swagger UI)
and an ECharts tooltip, whose markup is written by the library at run time.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .accessibility import assert_accessible
from .csp_guard import CspGuard, PolicyViolation
from .personas import PASSWORD, ReferencePlan, login

pytestmark = pytest.mark.browser


def test_an_inline_script_is_refused_and_the_guard_names_it(
    page: Page, csp_guard: CspGuard
) -> None:
    page.goto("/accounts/login/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.injected = true"; document.body.append(s); }"""
    )

    assert page.evaluate("window.injected === undefined")
    page.wait_for_timeout(100)  # the console message arrives after the refusal
    with pytest.raises(PolicyViolation, match="script-src"):
        csp_guard.check()
    # Provoked on purpose and checked: the page fixture's own check must not fail the test.
    csp_guard.forget()


def test_the_api_docs_work_under_the_policy(page: Page, reference_plan: ReferencePlan) -> None:
    login(page, "zhuanban")
    page.goto("/api/v1/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("高地 Gaodi API")
    page.locator(".opblock-summary", has_text="/api/v1/plans").first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    live = page.locator(".live-responses-table tbody .response-col_status").first
    expect(live).to_contain_text("200")


def test_a_chart_tooltip_is_drawn_under_the_policy(
    page: Page, reference_plan: ReferencePlan
) -> None:
    login(page, "zhuanban")
    page.goto(f"/indicators/plans/{reference_plan.plan.pk}/dashboard/?indicator=i037n")
    chart = page.locator(".chart.chart-on canvas").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    # Sliding over the plot shows the axis tooltip (ECharts wants moves, not a jump); a tooltip
    # written as HTML with style attributes would be refused, and csp_guard would fail the test.
    before = chart.screenshot()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_timeout(300)
    assert chart.screenshot() != before  # the tooltip is drawn on the canvas
    assert_accessible(page)


def test_the_password_change_page_explains_a_refusal(
    page: Page, reference_plan: ReferencePlan
) -> None:
    login(page, "zhuanban")
    page.get_by_role("link", name="修改密码").click()
    page.get_by_label("当前密码").fill(PASSWORD)
    page.get_by_label("新密码", exact=True).fill("short-1")
    page.get_by_label("再次输入新密码").fill("short-1")
    page.get_by_role("button", name="修改密码").click()

    expect(page.locator(".errorlist")).to_contain_text("密码太短，至少需要 12 个字符。")
    assert_accessible(page)
