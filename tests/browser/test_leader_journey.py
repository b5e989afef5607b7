"""领导驾驶舱 (issue 5): a leader opens the plan's one-page overview from the plan and reads
the lights, the red tasks and the charts (drawn by gaodi/charts.js + supervision/leader.js)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gaodi.supervision.board import plan_lights
from gaodi.supervision.services import run_cycles
from gaodi.today import today

from .accessibility import assert_accessible
from .personas import ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def test_the_leader_reads_the_plan_at_a_glance(page: Page, reference_plan: ReferencePlan) -> None:
    run_cycles(today())
    plan = reference_plan.plan
    colours = [row.light.colour for row in plan_lights(plan, today())]
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    login(page, "lingdao")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="领导驾驶舱").first.click()
    expect(page.get_by_role("heading", name="领导驾驶舱")).to_be_visible()
    expect(page.locator("#count-red")).to_have_text(str(colours.count("red")))
    expect(page.locator("#count-green")).to_have_text(str(colours.count("green")))
    expect(page.locator(".chart.chart-on canvas").first).to_be_visible()
    assert page.locator(".chart.chart-on").count() >= 1
    assert page.locator("tr.red-task").count() == colours.count("red") > 0
    assert_accessible(page)
    shot(page, "leader-overview")
    assert not problems, problems
