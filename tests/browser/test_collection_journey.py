"""Collect once, check, approve, see it on the dashboard (issue 4): a school's clerk downloads
the Excel template, fills it, uploads it, is told what is wrong cell by cell, fixes it and
submits; the county's work team approves; the county's dashboard shows the value."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.indicators.models import DataValue, Submission
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit

from .accessibility import assert_accessible
from .personas import PASSWORD, ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser

TEACHER_ROWS = {
    "i037n": 4888,  # 在校生数
    "i037d": 252,  # 专任教师数
    "i039n": 200,  # “双师型”教师数: more than the specialty teachers -> refused
    "i039d": 180,  # 专业课教师总数
}


def visit(page: Page, name: str | None = None) -> None:
    assert_accessible(page)
    if name:
        shot(page, name)


def fill_template(path: Path, values: dict[str, int]) -> None:
    """Type into the value column of the rows whose code is given, as a clerk does in Excel."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["填报"]
    for row in sheet.iter_rows(min_row=5):
        code = row[0].value
        if code in values:
            row[3].value = values[code]
    workbook.save(path)


def test_a_school_reports_by_excel_and_the_county_approves(
    page: Page, reference_plan: ReferencePlan, tmp_path: Path
) -> None:
    county = reference_plan.county
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, county, actor=None
    )
    create_member("xuexiao", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=school)

    # The clerk lands on this year's forms and opens 师资队伍.
    login(page, "xuexiao")
    expect(page.get_by_role("heading", level=2)).to_contain_text("2021 年数据填报")
    visit(page, "collect-school")
    page.get_by_role("table").get_by_role("link", name="师资队伍").click()  # data set
    page.get_by_role("link", name="上传Excel/CSV").click()
    visit(page, "upload")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载Excel模板").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    assert template.suffix == ".xlsx" and "371503-S01" in template.name

    # A first try with an impossible teacher count: refused, the cell named, nothing stored.
    fill_template(template, TEACHER_ROWS)
    page.get_by_label("选择填好的文件").set_input_files(template)
    page.get_by_role("button", name="上传并保存").click()
    expect(page.get_by_role("alert")).to_contain_text("未保存")
    problems = page.locator("table.problems")
    expect(problems).to_contain_text("填报!D")
    expect(problems).to_contain_text("不超过专业课教师总数")
    visit(page, "upload-errors")
    assert not DataValue.objects.filter(org_unit=school).exists()

    # Fixed in the same file and uploaded again: stored, the ratios computed.
    fill_template(template, {**TEACHER_ROWS, "i039n": 166})
    page.get_by_label("选择填好的文件").set_input_files(template)
    page.get_by_role("button", name="上传并保存").click()
    expect(page.get_by_role("status")).to_contain_text("4")
    expect(page.locator("#live")).to_contain_text("19.40")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator("#state")).to_contain_text("已提交，待茌平区审核")
    expect(page.get_by_label("在校生数（中职学校生师比）")).to_be_disabled()
    visit(page, "submitted")

    # The county's work team finds it waiting, and approves.
    page.context.clear_cookies()
    login(page, "zhuanban")
    page.goto(f"/plans/{reference_plan.plan.pk}/")
    page.get_by_role("link", name="填报审核").click()
    expect(page.get_by_role("heading", name="待我审核")).to_be_visible()
    visit(page, "approvals")
    page.get_by_role("table").get_by_role("link", name="师资队伍").click()  # data set
    page.get_by_role("button", name="审核通过").click()
    expect(page.locator("#state")).to_contain_text("茌平区已审核，待聊城市审核")
    submission = Submission.objects.get(org_unit=school, period="2021", data_set__name="师资队伍")
    assert (submission.status, submission.approved_levels) == ("approved", 1)

    # The county's dashboard shows the school's number at once (no nightly rebuild).
    page.goto(f"/indicators/plans/{reference_plan.plan.pk}/dashboard/?indicator=i037n")
    trend = page.get_by_role("table", name=re.compile("基础、目标、实际与预测"))
    expect(trend.get_by_role("row", name=re.compile("^2021"))).to_contain_text("4888")
    expect(page.locator(".chart.chart-on canvas").first).to_be_visible()
    children = page.get_by_role("table", name=re.compile("^各下级机构"))
    expect(children.get_by_role("row", name=re.compile("职业教育中心学校"))).to_contain_text("4888")
    visit(page, "dashboard")
