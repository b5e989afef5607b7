"""学分银行 (issue 9): from a learner's certificate to a verified credential. The work team
follows 学分银行 from the plan, decides a case the school's clerk reviewed (four eyes), reads the
learner's page (masked ID, progress with an expiry warning, the conversion working), converts,
issues the credential and lands on the public verify page: 签名有效, 未被撤销. Then, signed out,
anybody opening the same address sees the same checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.achievements.services import seed_parameters
from gaodi.credits import recognition
from gaodi.credits.demo import seed_demo_credits
from gaodi.credits.models import (
    IssuedCredential,
    Learner,
    Qualification,
    RecognitionCase,
    ShareLink,
)
from gaodi.credits.services import take_step
from gaodi.demo import DEMO_PASSWORD
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.specialties.demo import seed_demo_specialties

from .accessibility import assert_accessible
from .personas import PASSWORD, ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def test_from_a_certificate_to_a_verified_credential(
    page: Page, reference_plan: ReferencePlan, chromium: Browser
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    clerk = create_member("xuexiao", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=school)
    seed_demo_specialties(plan, school)
    seed_demo_credits(plan, school)
    li = Learner.objects.get(name="【演示数据】李静")
    case = RecognitionCase.objects.get(outcome__learner=li)
    take_step(case, recognition.REVIEW, role="school", reason="核对原件无误", actor=clerk)

    login(page, "zhuanban")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="学分银行").first.click()
    expect(page.get_by_role("heading", name="学分银行", exact=True)).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="【演示数据】李静")).to_contain_text(
        li.masked_id
    )
    assert_accessible(page)
    shot(page, "credits")

    page.get_by_role("link", name="认定工作台").click()
    row = page.get_by_role("row").filter(has_text="【演示数据】李静")
    expect(row).to_contain_text("已审核")
    row.get_by_label("结论").select_option(recognition.RECOGNISED)
    row.get_by_label("理由").fill("发证机构在名单中，等级与课程对应")
    row.get_by_role("button", name="认定决定").click()
    expect(page.get_by_role("status")).to_contain_text("现为“已认定”")
    assert_accessible(page)
    shot(page, "credits-queue")

    page.goto(f"/credits/plans/{plan.pk}/learners/{li.pk}/")
    expect(page.get_by_text(li.masked_id, exact=False).first).to_be_visible()
    expect(page.get_by_text("前端框架开发（专业核心课）：规则 6 学分，计 6 学分")).to_be_visible()
    page.get_by_role("button", name="转换并记入学分").click()
    expect(page.get_by_role("status")).to_contain_text("共记入 6 学分")
    units = page.get_by_role("table").filter(has_text="课程单元")
    expect(units.get_by_role("row").filter(has_text="前端框架开发")).to_contain_text("6/6")
    assert_accessible(page)
    shot(page, "credits-learner", full_page=True)

    page.get_by_role("button", name="签发凭证").click()
    expect(page.get_by_role("heading", name="验证通过")).to_be_visible()
    expect(page.get_by_text("签名有效，内容未被改动")).to_be_visible()
    expect(page.get_by_text("未被撤销")).to_be_visible()
    qr = page.locator("figure.qr svg")
    expect(qr).to_be_visible()  # the verify address as a QR code, to scan from paper
    assert (qr.bounding_box() or {}).get("width", 0) > 80
    assert_accessible(page)
    shot(page, "credits-verify")
    stored = IssuedCredential.objects.get(learner=li)
    assert page.url.endswith(f"/credits/verify/{stored.uid}/")

    # signed out: the same address, public data only
    context = chromium.new_context(base_url=page.url.split("/credits/")[0])
    anonymous = context.new_page()
    anonymous.goto(f"/credits/verify/{stored.uid}/")
    expect(anonymous.get_by_text("签名有效，内容未被改动")).to_be_visible()
    expect(anonymous.get_by_text("未被撤销")).to_be_visible()
    expect(anonymous.get_by_text(li.name)).to_have_count(0)  # the holder: share links only
    context.close()


def test_the_rules_page_checks_conflicts_and_simulates_a_certificate(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_specialties(plan, school)
    seed_demo_credits(plan, school)
    login(page, "lingdao")
    page.goto(f"/credits/plans/{plan.pk}/rules/")
    expect(page.get_by_role("heading", name="转换规则与模拟")).to_be_visible()
    # no blocking conflict; 高级's two courses (4 + 6) past the 8-credit cap are reported
    expect(page.get_by_text("提示（不阻止保存，由每证上限削减）：")).to_be_visible()
    expect(page.get_by_text("合计 10 学分", exact=False)).to_be_visible()
    expect(page.get_by_text("【现行】")).to_be_visible()
    page.get_by_label("认证单元").select_option(
        label="职业技能等级证书（原1+X）：Web前端开发（web-front-end）"
    )
    page.get_by_label("等级").fill("高级")
    page.get_by_label("专业名称").fill("计算机应用")
    page.get_by_label("发证日期（YYYY-MM-DD）").fill("2021-05-01")
    page.get_by_role("button", name="模拟").click()
    # 高级 gives 网页设计基础 4 + 前端框架开发 6 = 10, capped at 8 per certificate
    expect(page.get_by_text("模拟结果：可转换 8 学分（不保存）")).to_be_visible()
    expect(page.get_by_text("受每证上限 8 学分限制", exact=False)).to_be_visible()
    assert_accessible(page)
    shot(page, "credits-rules", full_page=True)

    zhang = Learner.objects.get(name="【演示数据】张晓明")
    page.goto(f"/credits/plans/{plan.pk}/learners/{zhang.pk}/")
    expect(page.get_by_role("note").filter(has_text="将于 2021-08-31 过期")).to_be_visible()
    expect(page.get_by_role("cell", name="已签发", exact=True)).to_be_visible()
    assert_accessible(page)


def test_the_holder_shares_his_credential_and_takes_the_link_back(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_specialties(plan, school)
    seed_demo_credits(plan, school)
    login(page, "xuesheng", DEMO_PASSWORD)
    # a learner lands on 我的凭证, and finds it in the top navigation (walk #9)
    assert page.url.endswith("/credits/mine/")
    page.goto("/plans/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的凭证").click()
    expect(page.get_by_role("heading", name="我的凭证")).to_be_visible()
    mine = page.get_by_role("table").filter(has_text="我的可验证凭证")
    expect(mine.get_by_role("link", name="下载凭证（.jwt）").first).to_be_visible()
    mine.get_by_label("有效天数").fill("7")
    mine.get_by_role("button", name="生成").click()
    expect(page.get_by_role("status")).to_contain_text("已生成分享链接，2021-07-07")
    assert_accessible(page)
    shot(page, "credits-mine")
    link = ShareLink.objects.order_by("-pk").first()
    assert link is not None
    page.goto(f"/credits/share/{link.token}/")
    expect(page.get_by_text("签名有效，内容未被改动")).to_be_visible()
    # the share page names the holder and prints its own address, which dies with the link
    expect(page.get_by_text(link.credential.learner.name, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=f"/credits/share/{link.token}/")).to_be_visible()
    # the signed token, to copy (walk #10)
    expect(page.get_by_label("凭证（VC-JWT，可复制后交给验证方）")).to_have_value(
        link.credential.token
    )
    page.goto("/credits/mine/")
    mine = page.get_by_role("table").filter(has_text="我的可验证凭证")
    mine.locator("div").filter(has_text="2021-07-07 前有效").get_by_role(
        "button", name="收回"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("已收回分享链接")
    response = page.goto(f"/credits/share/{link.token}/")
    assert response is not None and response.status == 410  # gone, and said so (walk #11)
    expect(page.get_by_text("该分享链接已被持有人收回或已过期")).to_be_visible()


def test_the_work_team_adds_a_qualification_through_the_catalogue_form(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_specialties(plan, school)
    seed_demo_credits(plan, school)
    login(page, "zhuanban")
    page.goto(f"/credits/plans/{plan.pk}/")
    page.get_by_role("link", name="证书体系与认证单元").click()
    expect(page.get_by_role("heading", name="证书体系与认证单元")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Web前端开发")).to_contain_text(
        "初级、中级、高级"
    )

    page.get_by_text("添加资格", exact=True).first.click()
    form = page.locator("form").filter(has=page.get_by_role("button", name="添加资格"))
    form.get_by_label("资格编号").fill("mech-zz")
    form.get_by_label("名称", exact=True).fill("机电技术应用专业（中职）毕业学分")
    form.get_by_label("课程，每行一门", exact=False).fill(
        "M101,电工基础,4,必修\nM101,机械制图,三,必修"
    )
    form.get_by_label("总学分", exact=True).fill("7")
    form.get_by_role("button", name="添加资格").click()
    alert = page.get_by_role("status")
    expect(alert).to_contain_text("第 2 行的学分“三”须为 0.5 的正整数倍")
    expect(alert).to_contain_text("第 2 行的课程代码“M101”与第 1 行重复")
    assert not Qualification.objects.filter(code="mech-zz").exists()

    # nothing typed is lost: the form is open again with what was typed; only the lines change
    form = page.locator("form").filter(has=page.get_by_role("button", name="添加资格"))
    expect(form.get_by_label("资格编号")).to_have_value("mech-zz")
    expect(form.get_by_label("名称", exact=True)).to_have_value("机电技术应用专业（中职）毕业学分")
    expect(form.get_by_label("课程，每行一门", exact=False)).to_have_value(
        "M101,电工基础,4,必修\nM101,机械制图,三,必修"
    )
    form.get_by_label("课程，每行一门", exact=False).fill(
        "M101,电工基础,4,必修\nM102,机械制图,3,必修\nM201,PLC 应用,3,选修"
    )
    form.get_by_label("总学分", exact=True).fill("10")
    form.get_by_label("其中选修学分").fill("3")
    form.get_by_label("证书转换学分上限（留空为不限）").fill("6")
    form.get_by_role("button", name="添加资格").click()
    expect(page.get_by_role("status")).to_contain_text("已添加资格")
    added = page.get_by_role("table").filter(has_text="mech-zz")
    expect(added.get_by_role("row").filter(has_text="PLC 应用")).to_contain_text("选修")
    expect(page.get_by_text("证书转换学分上限：6 学分")).to_be_visible()
    assert Qualification.objects.get(code="mech-zz").max_converted == 6
    assert_accessible(page)
    shot(page, "credits-catalogue", full_page=True)


def test_the_clerk_records_a_course_links_the_account_and_the_pilots_come_from_here(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    create_member("xuexiao", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=school)
    create_member("lijing", PASSWORD, role=Role.LEARNER, actor=None, org_unit=school)
    seed_parameters(actor=None)  # 评价与成果's kind set: the pilots' definition
    seed_demo_specialties(plan, school)
    seed_demo_credits(plan, school)
    li = Learner.objects.get(name="【演示数据】李静")

    login(page, "xuexiao")
    page.goto(f"/credits/plans/{plan.pk}/learners/{li.pk}/")
    page.get_by_text("登记修读课程学分", exact=True).click()
    page.get_by_label("课程编号").fill("C301")
    page.get_by_label("课程名称").fill("数据库应用")
    page.get_by_label("学分（0.5 的整数倍）").fill("0.3")
    page.get_by_label("取得日期（YYYY-MM-DD）").fill("2021-06-20")
    page.get_by_role("button", name="登记学分").click()
    expect(page.get_by_role("status")).to_contain_text("学分须为 0.5 的正整数倍")
    assert not li.ledger.exists()
    # the form is open again with what was typed: only the credits are corrected
    expect(page.get_by_label("课程编号")).to_have_value("C301")
    expect(page.get_by_label("取得日期（YYYY-MM-DD）")).to_have_value("2021-06-20")
    page.get_by_label("学分（0.5 的整数倍）").fill("4")
    page.get_by_role("button", name="登记学分").click()
    expect(page.get_by_role("status")).to_contain_text("已登记修读课程“数据库应用”4 学分")
    units = page.get_by_role("table").filter(has_text="课程单元")
    expect(units.get_by_role("row").filter(has_text="数据库应用")).to_contain_text("4/4")

    page.get_by_text("关联学习者本人账号", exact=True).click()
    page.get_by_label("本人账号的用户名", exact=False).fill("lijing")
    page.get_by_role("button", name="关联账号").click()
    expect(page.get_by_role("status")).to_contain_text("已将“【演示数据】李静”关联到账号“lijing”")
    assert_accessible(page)
    shot(page, "credits-learner-forms", full_page=True)

    # 评价与成果 counts the certificate pilots from the credit bank and links back to it
    page.goto(f"/achievements/plans/{plan.pk}/")
    row = page.get_by_role("row").filter(has_text="职业技能等级证书试点")
    row.get_by_role("link", name="取自学分银行").click()
    expect(page.get_by_role("heading", name="学分银行", exact=True)).to_be_visible()
