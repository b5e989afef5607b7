"""A progress report through its two tiers (issue 5): the cooperating department reports its
part to the lead, the lead consolidates it with a PDF as evidence and submits it, the
inspector returns it with a comment, the lead corrects it (version 2: done), the inspector
accepts; the leader sees the task's light turn from red to green; the work team publishes the
quarter's supervision report and the public portal shows it."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.orgs.models import Department
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Task
from gaodi.supervision.board import plan_lights
from gaodi.supervision.models import Evidence, ProgressReport, PublishedReport
from gaodi.supervision.services import run_cycles

from .accessibility import assert_accessible
from .personas import EDUCATION_BUREAU, PASSWORD, ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser

DEMO_DAY = dt.date(2021, 6, 30)
TASK = "重点任务（十四）"  # led by 区教育和体育局, 区财政局 among its cooperating departments
FINANCE = "区财政局"
DISPATCH_ROUND = "202103B"  # the dispatch round current on the demo day, due 2021-07-07


def minimal_pdf() -> bytes:
    """The smallest PDF a reader opens (one empty A4 page), its xref offsets computed."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj%sendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF = minimal_pdf()


def visit(page: Page, name: str | None = None) -> None:
    assert_accessible(page)
    if name:
        shot(page, f"report-{name}")


def sign_in_as(page: Page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def open_my_tasks(page: Page, plan_pk: int) -> None:
    """From the plan's page, as a liaison finds it: 调度与督查, then 本部门本轮任务."""
    page.goto(f"/plans/{plan_pk}/")
    page.get_by_role("link", name="调度与督查").click()
    page.get_by_role("navigation", name="督查调度").get_by_role(
        "link", name="本部门本轮任务"
    ).click()
    expect(page.get_by_role("heading", name=re.compile("^本部门本轮任务"))).to_be_visible()


def fill_report(page: Page, progress: str, percent: int, narrative: str) -> None:
    page.get_by_label("进展状态").select_option(label=progress)
    page.get_by_label(re.compile("^完成百分比")).fill(str(percent))
    page.get_by_label("进展情况（必填）").fill(narrative)


def light_of(plan: Any, task: Task) -> tuple[str, list[str]]:
    found = next(row for row in plan_lights(plan, DEMO_DAY) if row.task.pk == task.pk)
    return found.light.label, [reason.text for reason in found.light.reasons]


def test_a_part_is_consolidated_returned_corrected_and_accepted(
    page: Page, reference_plan: ReferencePlan, tmp_path: Path, settings: Any
) -> None:
    settings.GAODI_DATA_DIR = tmp_path  # the evidence files go under it
    run_cycles(DEMO_DAY)  # what `gaodi cycles` does as of the demo day
    plan, county = reference_plan.plan, reference_plan.county
    task = next(t for t in plan.tasks.all() if t.label == TASK)
    roles = dict(task.assignments.values_list("department__name", "role"))
    assert (roles[EDUCATION_BUREAU], roles[FINANCE]) == (AssignmentRole.LEAD, AssignmentRole.COOP)
    finance = Department.objects.get(org_unit=county, name=FINANCE)
    create_member("caizheng", PASSWORD, role=Role.DEPARTMENT, actor=None, department=finance)
    create_member(  # 区政府教育督导室: runs the dispatch rounds, the ones the lights count
        "dudao",
        PASSWORD,
        role=Role.INSPECTOR,
        actor=None,
        org_unit=county,
        inspector_scope=InspectorScope.DISPATCH,
    )
    light_before = light_of(plan, task)
    assert light_before[0] == "红灯"

    # 区财政局 reports its part of the task to the lead.
    login(page, "caizheng")
    open_my_tasks(page, plan.pk)
    rows = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(TASK)))
    expect(rows.filter(has_text=DISPATCH_ROUND)).to_contain_text("配合")
    expect(rows.filter(has_text=DISPATCH_ROUND)).to_contain_text("未填写")
    visit(page, "my-tasks-coop")
    page.get_by_role("link", name=f"填写 {TASK} {DISPATCH_ROUND}").click()
    expect(page.get_by_role("heading", name=re.compile(f"^进展报告：{TASK}"))).to_be_visible()
    fill_report(page, "推进中", 40, "已安排“双师型”教师培训专项经费 120 万元，首批 60 万元已拨付。")
    visit(page, "part-form")
    page.get_by_role("button", name="报送牵头单位").click()
    expect(page.get_by_role("status")).to_contain_text("已报送牵头单位（第1版）")
    expect(page.get_by_role("heading", name="第1版 · 已报送")).to_be_visible()
    visit(page, "part-submitted")

    # The lead's liaison sees the part on the task, consolidates, attaches a PDF and submits.
    sign_in_as(page, "jiaotiju")
    open_my_tasks(page, plan.pk)
    lead_row = (
        page.get_by_role("row")
        .filter(has=page.get_by_role("rowheader", name=re.compile(TASK)))
        .filter(has_text=DISPATCH_ROUND)
    )
    expect(lead_row).to_contain_text("牵头")
    expect(lead_row.get_by_role("cell").nth(3)).to_have_text("1")  # 配合单位已报送
    visit(page, "my-tasks-lead")
    page.get_by_role("link", name=f"填写 {TASK} {DISPATCH_ROUND}").click()
    part = page.get_by_role("article", name=FINANCE)
    expect(part).to_contain_text("第1版 · 推进中 · 40%")
    expect(part).to_contain_text("首批 60 万元已拨付")
    narrative = page.get_by_label("进展情况（必填）")
    expect(narrative).to_have_value(re.compile(f"^【{FINANCE}】已安排"))  # a starting text
    fill_report(
        page,
        "推进中",
        50,
        "已制定“双师型”教师认定办法，首批认定 86 人。\n"
        "【区财政局】培训专项经费首批 60 万元已拨付。",
    )
    evidence = tmp_path / "双师型教师认定名单.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label(re.compile("^佐证材料")).set_input_files(evidence)
    visit(page, "lead-form")
    page.get_by_role("button", name="汇总报送督查督导").click()
    expect(page.get_by_role("status")).to_contain_text("已报送督查督导（第1版）")
    expect(page.get_by_role("link", name="双师型教师认定名单.pdf")).to_be_visible()
    visit(page, "lead-submitted")
    stored = Evidence.objects.get()
    assert (stored.content_type, stored.size) == ("application/pdf", len(PDF))

    # The dispatch inspector finds it in his 待办 and returns it with a comment.
    sign_in_as(page, "dudao")
    page.get_by_role("link", name=re.compile("^待办（")).click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    visit(page, "inspector-inbox")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="调度与督查").click()
    page.get_by_role("navigation", name="督查调度").get_by_role("link", name="进展报告").click()
    listed = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(TASK))
    )
    expect(listed.filter(has_text=DISPATCH_ROUND)).to_contain_text("已报送（第1版）")
    visit(page, "list")
    listed.filter(has_text=DISPATCH_ROUND).get_by_role("link", name=re.compile("^查看")).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="双师型教师认定名单.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    review = page.get_by_role("group", name="审阅")
    review.get_by_label("退回修改").check()
    review.get_by_label("审阅意见（退回时必填）").fill("请补充认定人数占专业课教师的比例。")
    visit(page, "review")
    review.get_by_role("button", name="提交审阅结果").click()
    expect(page.get_by_role("status")).to_contain_text("已退回")
    expect(page.get_by_role("heading", name="第1版 · 已退回")).to_be_visible()

    # The lead reads the comment, corrects the report (version 2) and submits again.
    sign_in_as(page, "jiaotiju")
    open_my_tasks(page, plan.pk)
    expect(lead_row).to_contain_text("已退回（第1版）")
    lead_row.get_by_role("link", name=f"查看和修改 {TASK} {DISPATCH_ROUND}").click()
    expect(page.get_by_role("definition").filter(has_text="请补充认定人数")).to_be_visible()
    expect(page.get_by_role("group", name=re.compile("^修改（将生成新版本"))).to_be_visible()
    visit(page, "returned")
    fill_report(
        page,
        "已完成",
        100,
        "已制定“双师型”教师认定办法，首批认定 86 人，占专业课教师的 47.8%。\n"
        "【区财政局】培训专项经费首批 60 万元已拨付。",
    )
    page.get_by_role("button", name="汇总报送督查督导").click()
    expect(page.get_by_role("status")).to_contain_text("已报送督查督导（第2版）")
    versions = page.get_by_role("navigation", name="版本")
    expect(versions).to_contain_text("第2版（已报送）")
    expect(versions).to_contain_text("第1版（已退回）")
    expect(page.get_by_text("第1版上传")).to_be_visible()  # the evidence stays with version 1
    visit(page, "resubmitted")

    # The inspector accepts version 2.
    sign_in_as(page, "dudao")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="调度与督查").click()
    page.get_by_role("navigation", name="督查调度").get_by_role("link", name="进展报告").click()
    expect(listed.filter(has_text=DISPATCH_ROUND)).to_contain_text("已报送（第2版）")
    listed.filter(has_text=DISPATCH_ROUND).get_by_role("link", name=re.compile("^查看")).click()
    review = page.get_by_role("group", name="审阅")
    expect(review.get_by_label("通过")).to_be_checked()
    review.get_by_role("button", name="提交审阅结果").click()
    expect(page.get_by_role("heading", name="第2版 · 已通过")).to_be_visible()
    expect(page.get_by_role("group", name="审阅")).to_have_count(0)
    visit(page, "accepted")
    lead = ProgressReport.objects.filter(task=task, tier=ProgressReport.Tier.LEAD)
    assert [(r.version, r.status) for r in lead.order_by("version")] == [
        (1, "returned"),
        (2, "accepted"),
    ]

    # The leader sees the light change: the task was red for the rounds nobody reported; the
    # lead has now reported it done and the inspector accepted, on the demo day.
    sign_in_as(page, "lingdao")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="调度与督查").click()
    page.get_by_role("navigation", name="督查调度").get_by_role("link", name="红黄绿灯").click()
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name=re.compile(re.escape(TASK)))
    )
    expect(row).to_contain_text("绿灯")
    expect(row).to_contain_text(f"已于 {DEMO_DAY.isoformat()} 完成")
    row.scroll_into_view_if_needed()
    visit(page, "lights")
    assert light_before[0] == "红灯" and light_of(plan, task)[0] == "绿灯"

    # The work team publishes the quarter's supervision report; it is numbered and frozen.
    sign_in_as(page, "zhuanban")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="调度与督查").click()
    page.get_by_role("navigation", name="督查调度").get_by_role("link", name="督导报告").click()
    page.get_by_label("报告期间").select_option(value="2021Q2")
    page.get_by_role("button", name="生成预览").click()
    expect(page.get_by_role("heading", name=re.compile("2021年第二季度"))).to_be_visible()
    visit(page, "supervision-report-preview")
    page.get_by_role("button", name=re.compile("^编号并发布")).click()
    number = "茌平职教督〔2021〕1号"
    expect(page.get_by_role("heading", name=number)).to_be_visible()
    published = PublishedReport.objects.get()
    assert published.number == number

    # Anyone, without signing in, finds it on the public portal, archived by number.
    page.context.clear_cookies()
    page.goto("/")
    page.get_by_role("link", name=re.compile("督导报告")).click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=number)).to_be_visible()
    expect(page.get_by_role("article")).to_contain_text("2021年第二季度")
    visit(page, "public-report")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert Path(download.value.path()).read_bytes()[:4] == b"%PDF"
