"""The district defines its own 专业预警 rule set (issue 7 §1): the work team reads the rule sets
in words, copies the 示例 set, drops its 停招 rule, saves it as the district's own with a
source and a date, and recomputes 2021 with it: 旅游服务与管理 is now 调减, not 停招, and the
result names the new set and version."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_org_unit
from gaodi.specialties.demo import seed_demo_specialties
from gaodi.specialties.models import RuleSetVersion, WarningResult

from .accessibility import assert_accessible
from .personas import PASSWORD, ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def test_the_work_team_defines_its_own_rule_set_and_judges_by_it(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_specialties(plan, school)

    login(page, "zhuanban")
    page.goto(f"/specialties/plans/{plan.pk}/warnings/")
    page.get_by_role("link", name="查看各规则集的全部规则和版本").click()
    expect(page.get_by_role("heading", name="专业预警规则集")).to_be_visible()
    example = page.locator("section.card").filter(has_text="chiping-example")
    expect(example).to_contain_text("中职专业招生 < 30 人，连续 3 年 → 调减")
    assert_accessible(page)
    shot(page, "specialty-rule-sets")

    example.get_by_role("link", name="以此为底稿新建本地规则集").click()
    expect(page.get_by_role("heading", name="制定专业预警规则集")).to_be_visible()
    expect(page.get_by_label("规则集编号")).to_have_value("")  # a preset keeps its own code
    page.get_by_label("规则集编号").fill("chiping-2021")
    page.get_by_label("名称").first.fill("茌平区中职专业预警和退出（区定）")
    page.get_by_label("施行日期").fill("2021-09-01")
    page.get_by_label("依据（文件名称、文号和条款）").fill("茌平区教育和体育局 2021 年通知（演示）")
    stop_rule = page.locator("fieldset").filter(has_text="第 4 条规则")
    expect(stop_rule.get_by_label("规则编号")).to_have_value("cp-stop-under-plan")
    stop_rule.get_by_label("删除").check()
    assert_accessible(page)
    shot(page, "specialty-rule-set-form")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.get_by_role("status")).to_contain_text(
        "已保存规则集“茌平区中职专业预警和退出（区定）”（chiping-2021 第 1 版，2021-09-01 起施行）"
    )
    saved = RuleSetVersion.objects.get(code="chiping-2021")
    assert saved.owner_id == plan.org_unit_id
    assert len(saved.rules["rules"]) == 4

    page.goto(f"/specialties/plans/{plan.pk}/warnings/?rule_set=chiping-2021&year=2021")
    page.get_by_role("button", name="重新计算").click()
    heading = page.get_by_role("heading", name="聊城市茌平区职业教育中心学校 · 旅游服务与管理")
    expect(heading).to_contain_text("调减")
    card = page.locator("section.card").filter(has=heading)
    expect(card).to_contain_text("规则集 chiping-2021 第 1 版")
    result = WarningResult.objects.get(
        plan=plan, as_of_year=2021, rule_set_code="chiping-2021", specialty__name="旅游服务与管理"
    )
    assert (result.consequence, result.rule_set_version) == ("cut", 1)


def test_the_province_puts_the_catalogues_codes_in_from_a_file(
    page: Page, reference_plan: ReferencePlan, tmp_path: Path
) -> None:
    plan = reference_plan.plan
    province = OrgUnit.objects.get(code="370000")  # the catalogue is shared: the province's
    create_member("shengji", PASSWORD, role=Role.ADMIN, actor=None, org_unit=province)
    login(page, "shengji")
    page.goto(f"/specialties/plans/{plan.pk}/warnings/")
    page.get_by_role("link", name="专业目录").click()
    expect(page.get_by_role("heading", name="专业目录", exact=True)).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("有 14 个专业代码尚未核实")
    assert_accessible(page)
    shot(page, "specialty-catalogue")

    with page.expect_download() as download:
        page.get_by_role("link", name="下载专业目录模板").click()
    assert download.value.suggested_filename == "专业目录模板.xlsx"
    filled = tmp_path / "目录.csv"
    filled.write_text(
        "专业代码,专业名称,层次,原专业代码,原专业名称,专业类别\n"
        "100001,会计事务,中职,200001,会计电算化,\n",
        encoding="utf-8",
    )
    page.get_by_label("依据（目录文件名称、文号或网址）").fill("教育部专业目录（演示用代码）")
    page.get_by_label("文件", exact=True).set_input_files(filled)
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("status")).to_contain_text("核实代码 1 个")
    expect(page.get_by_role("note")).to_contain_text("有 12 个专业代码尚未核实")
    row = page.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="会计事务", exact=True)
    )
    expect(row).to_contain_text("100001")
    assert_accessible(page)
