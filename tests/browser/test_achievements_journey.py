"""评价与成果 (issue 7 §2): the work team follows 评价与成果 from the plan, reads the
achievements against the plan's targets with their working, the demo school's evaluation
composite with its 示例 weights, and records one achievement through the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gaodi.achievements.achievements import ONLINE_COURSE
from gaodi.achievements.demo import seed_demo_achievements
from gaodi.achievements.models import Achievement
from gaodi.achievements.queries import tallies
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.today import today

from .accessibility import assert_accessible
from .personas import ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def test_the_work_team_reads_achievements_and_records_one(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_achievements(plan, school)
    _kinds, rows = tallies(plan, [school], today())
    courses = next(row for row in rows if row.tally.kind == ONLINE_COURSE)
    assert courses.tally.status == "not_met"

    login(page, "zhuanban")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="评价与成果").first.click()
    expect(page.get_by_role("heading", name="评价与成果", exact=True)).to_be_visible()
    table = page.get_by_role("table").filter(has_text="方案目标（原文）")
    row = table.get_by_role("row").filter(has_text="省级在线开放精品课程")
    expect(row).to_contain_text("“争取立项建设5门以上”")
    expect(row).to_contain_text(str(courses.tally.count))
    expect(row).to_contain_text("未达成")
    expect(table.get_by_role("row").filter(has_text="省级高水平中职专业（群）")).to_contain_text(
        "已达成"
    )
    page.get_by_text("省级在线开放精品课程：未达成（计算过程）").click()
    expect(page.get_by_text(courses.sentences[-2], exact=True)).to_be_visible()  # x < 5：未达成
    expect(page.get_by_text(courses.sentences[-1], exact=True)).to_be_visible()  # 依据：…
    card = page.locator("section.card").filter(has_text="聊城市茌平区职业教育中心学校")
    expect(card.get_by_role("heading")).to_contain_text("综合得分 83.7，第 1 名")
    expect(card).to_contain_text("权重集 evaluation-example 第 1 版")
    expect(card).to_contain_text("示例")
    assert_accessible(page)
    page.get_by_role("heading", name="标志性成果与方案目标").scroll_into_view_if_needed()
    shot(page, "achievements")
    card.scroll_into_view_if_needed()
    shot(page, "achievements-evaluation")

    page.get_by_text("登记标志性成果", exact=True).click()
    page.get_by_label("成果类别").select_option(ONLINE_COURSE)
    page.get_by_label("成果名称").fill("康复评定技术")
    page.get_by_label("批准（立项）日期（YYYY-MM-DD，未批准留空）").fill("2021-06-01")
    page.get_by_label("文号").fill("鲁教职函〔2021〕30号")
    page.get_by_role("button", name="登记成果").click()
    expect(page.get_by_role("status")).to_contain_text("已登记标志性成果“康复评定技术”。")
    row = page.get_by_role("table").filter(has_text="方案目标（原文）").get_by_role("row")
    expect(row.filter(has_text="省级在线开放精品课程")).to_contain_text(
        str(courses.tally.count + 1)
    )
    assert Achievement.objects.filter(name="康复评定技术", approved_on="2021-06-01").exists()
    assert_accessible(page)
    shot(page, "achievements-recorded")
