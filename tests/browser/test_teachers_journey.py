"""师资队伍 (issue 8 §5): the work team follows 师资队伍 from the plan, reads each check of the
demo school with its working (the 3-year rule failing for one new hire, the part-time share,
the 双师型 share from certification dates, the 生师比), sees the plan's contradictory 双师型
figures, and adds one teacher through the one-row form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.teachers import rules
from gaodi.teachers.demo import seed_demo_teachers
from gaodi.teachers.models import Teacher
from gaodi.teachers.queries import school_checks
from gaodi.today import today

from .accessibility import assert_accessible
from .personas import ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def test_the_work_team_reads_the_teacher_checks_and_adds_a_teacher(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_teachers(plan, school)
    year = today().year
    chosen, [row] = school_checks(plan, [school], year, rules.as_of_for(year, today()))
    assert chosen is not None
    checks = {c.code: c for c in row.checks}
    assert checks["new_hires"].failing == ("演示教师205",)

    login(page, "zhuanban")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="师资队伍").first.click()
    expect(page.get_by_role("heading", name="师资队伍", exact=True)).to_be_visible()
    warning = page.get_by_role("note")
    expect(warning).to_contain_text("方案前后不一致")
    expect(warning).to_contain_text("70%以上")
    expect(warning).to_contain_text("80%以上")
    expect(warning).to_contain_text("95.4%（210/220）")
    table = page.get_by_role("table").filter(has_text="核查项")
    for check in checks.values():
        found = table.get_by_role("row").filter(has_text=check.title)
        expect(found).to_contain_text(check.value)
        expect(found).to_contain_text(check.status_label)
    expect(table.get_by_role("row").filter(has_text="新进教师企业工作经历")).to_contain_text(
        "演示教师205"
    )
    hires = checks["new_hires"]
    page.get_by_text(f"{hires.title}：{hires.status_label}（计算过程）").click()
    expect(page.get_by_text(hires.steps[-1], exact=True)).to_be_visible()  # 依据：…
    expect(
        page.get_by_text(
            "演示教师205：2021-03-01入职，企业工作经历 1.5 年，未登记相关专业技术资格："
            "不符合（企业工作经历不足 3 年）"
        )
    ).to_be_visible()
    dual = checks["dual_share"]
    page.get_by_text(f"{dual.title}：{dual.status_label}（计算过程）").click()
    for step in dual.steps:
        expect(page.get_by_text(step, exact=True)).to_be_visible()
    ratio = checks["student_ratio"]
    page.get_by_text(f"{ratio.title}：{ratio.status_label}（计算过程）").click()
    for step in ratio.steps:  # with 在校生 not yet reported this year, the stand-in is said
        expect(page.get_by_text(step, exact=True).first).to_be_visible()
    # the parameter set by its Chinese name and version, not its code
    expect(
        page.get_by_text(f"参数：{chosen.name}（第 {chosen.version} 版", exact=False)
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "heading", name="“双师型”教师比例：方案前后不一致"
    ).scroll_into_view_if_needed()
    shot(page, "teachers")
    table.scroll_into_view_if_needed()
    shot(page, "teachers-checks")

    feed = page.get_by_role("table").filter(has_text="由名册计算的值与指标中的值")
    expect(feed.get_by_role("row").filter(has_text="专任教师数（中职学校生师比）")).to_contain_text(
        "尚无"
    )  # nothing reported for this year yet: the roster's 204 is what 写入指标 would store
    feed.scroll_into_view_if_needed()
    shot(page, "teachers-feed")

    page.get_by_text("登记一名教师", exact=True).click()
    page.get_by_label("姓名").fill("新进教师甲")
    page.get_by_label("专业课教师").check()
    page.get_by_label("企业工作年限（年，一位小数）").fill("3.5")
    page.get_by_label("入职日期（YYYY-MM-DD）").fill("2021-06-01")
    page.get_by_role("button", name="登记教师").click()
    expect(page.get_by_role("status")).to_contain_text("已登记教师“新进教师甲”。")
    # the roster is folded under its count (it is long); opened, it lists the new teacher
    summary = page.locator("#roster > summary")
    expect(summary).to_contain_text(f"教师名册：{Teacher.objects.count():,} 人")
    summary.click()
    roster = page.get_by_role("table").filter(has_text="教师名册（只记核查所需信息）")
    expect(roster.get_by_role("row").filter(has_text="新进教师甲")).to_contain_text("3.5")
    assert Teacher.objects.filter(name="新进教师甲", enterprise_years="3.5").exists()
    assert_accessible(page)
    shot(page, "teachers-added")

    roster.get_by_role("link", name="新进教师甲").click()
    expect(
        page.get_by_role("heading", name="更正教师：新进教师甲（聊城市茌平区职业教育中心学校）")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("离岗日期（YYYY-MM-DD，在岗留空）").fill("2021-06-20")
    page.get_by_role("button", name="保存更正").click()
    expect(page.get_by_role("status")).to_contain_text("已更正教师“新进教师甲”。")
    assert Teacher.objects.get(name="新进教师甲").left_on is not None

    page.get_by_role("link", name="上传教师名册（Excel/CSV）").click()
    expect(page.get_by_role("heading", name="上传教师名册（Excel/CSV）")).to_be_visible()
    assert_accessible(page)
    shot(page, "teachers-upload")
