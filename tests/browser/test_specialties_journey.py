"""专业预警和退出 (issue 7 §1): the work team opens the plan, follows 专业预警, reads the
decision on 旅游服务与管理 with its working and 依据, and recomputes the year's results; reads
专业与产业对接 with its working, and writes the 专业布局 indicators computed from the offerings."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.specialties.demo import seed_demo_specialties
from gaodi.specialties.models import RuleSetVersion, WarningResult
from gaodi.specialties.queries import workings

from .accessibility import assert_accessible
from .personas import ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser

CODE = "chiping-example"


def test_the_work_team_reads_a_warning_and_recomputes(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_specialties(plan, school)
    tourism = WarningResult.objects.get(
        plan=plan, as_of_year=2021, rule_set_code=CODE, specialty__name="旅游服务与管理"
    )
    fired = next(w for w in workings(tourism) if w.fired)
    rule_set = RuleSetVersion.objects.get(code=CODE, version=1)

    login(page, "zhuanban")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="专业预警").first.click()
    expect(page.get_by_role("heading", name="专业预警和退出")).to_be_visible()
    heading = page.get_by_role("heading", name="聊城市茌平区职业教育中心学校 · 旅游服务与管理")
    expect(heading).to_contain_text("停招")
    card = page.locator("section.card").filter(has=heading)
    expect(card.get_by_text(fired.sentences[0], exact=True)).to_be_visible()
    expect(card.get_by_text(fired.sentences[-1], exact=True)).to_be_visible()  # 依据：…
    expect(page.get_by_text(f"依据：{rule_set.source}", exact=True)).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="专业点数（方案）")).to_be_visible()
    assert_accessible(page)
    shot(page, "specialty-warnings")
    heading.scroll_into_view_if_needed()
    shot(page, "specialty-warning-decision")
    page.get_by_role("heading", name="专业布局：方案目标与学校实际").scroll_into_view_if_needed()
    shot(page, "specialty-layout")

    page.get_by_role("button", name="重新计算").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"已按规则集“{CODE}”重新计算 2021 年的专业预警：共 7 个专业点"
    )
    expect(heading).to_contain_text("停招")
    assert not WarningResult.objects.filter(pk=tourism.pk).exists()  # replaced
    assert_accessible(page)

    alignment = page.get_by_role("heading", name="专业与产业对接（2021年）")
    alignment.scroll_into_view_if_needed()
    page.locator("details", has_text="计算过程").filter(has_text="目标").last.locator(
        "summary"
    ).click()
    expect(page.get_by_role("table").filter(has_text="各产业学生占比")).to_contain_text(
        "新一代信息技术"
    )
    feed = page.get_by_role("table").filter(has_text="计算值与指标库中的值")
    expect(feed).to_contain_text("在校生 计算机应用 657 = 657 人")
    expect(feed).to_contain_text("尚无")
    shot(page, "specialty-feed")
    page.get_by_role("button", name="写入专业布局指标").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "聊城市茌平区职业教育中心学校：已按专业点数据写入 2021 年专业布局指标"
    )
    expect(page.get_by_role("table").filter(has_text="计算值与指标库中的值")).not_to_contain_text(
        "尚无"
    )
    assert_accessible(page)
