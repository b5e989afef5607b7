"""社会培训与绩效工资 (issue 8 §1 §2): the work team follows 培训与绩效工资 from the plan, reads
the year's training volume against the 5,000 人次 of （七） and the 附件2 rows, the demo school's
conversion with the basis chosen and the working, records one training through the form, and
reads the performance pay of each year with its lines, the limits that bind and the working."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from gaodi.achievements.versions import number
from gaodi.indicators.models import DataValue, Indicator, TargetValue
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.today import now
from gaodi.training import conversion, pay
from gaodi.training.demo import seed_demo_training
from gaodi.training.models import TrainingRecord, YearResult

from .accessibility import assert_accessible
from .personas import ReferencePlan, login
from .screenshots import shot

pytestmark = pytest.mark.browser


def test_the_work_team_reads_training_and_pay_and_records_a_training(
    page: Page, reference_plan: ReferencePlan
) -> None:
    plan = reference_plan.plan
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    seed_demo_training(plan, school)
    people = sum(r.participants for r in TrainingRecord.objects.filter(end__year=2020))
    result_2020 = YearResult.objects.get(plan=plan, school=school, year=2020)
    converted = conversion.Conversion.from_json(result_2020.conversion)

    login(page, "zhuanban")
    page.goto(f"/plans/{plan.pk}/")
    page.get_by_role("link", name="培训与绩效工资").first.click()
    expect(page.get_by_role("heading", name="社会培训与培训量折算")).to_be_visible()
    page.get_by_label("年份").first.fill("2020")
    page.get_by_role("button", name="查看").click()
    table = page.get_by_role("table").filter(has_text="年培训量与方案目标")
    row = table.get_by_role("row").filter(has_text="年培训量（（七）")
    expect(row).to_contain_text(f"{people} 人次")
    expect(row).to_contain_text("未达到")
    expect(table.get_by_role("row").filter(has_text="承担补贴性培训规模")).to_contain_text("已达到")
    # 培训规模与全日制在校生比例: the records' 人日 ÷ the 在校生 the indicators app holds
    ratio = table.get_by_role("row").filter(has_text="培训规模与全日制在校生比例")
    target = TargetValue.objects.get(
        indicator__plan=plan, indicator__name="培训规模与全日制在校生比例", year=2020
    ).value
    expect(ratio).to_contain_text(f"{number(target)}:1")
    days = sum(r.person_days for r in TrainingRecord.objects.filter(plan=plan, end__year=2020))
    students_of = Indicator.objects.get(plan=plan, code="i037n")  # the formula's divisor
    assert not DataValue.objects.filter(indicator=students_of, period="2020").exists()
    expect(ratio).to_contain_text("无法计算")
    expect(ratio).to_contain_text(f"{school.name} 2020 年尚未填报“{students_of.name}”")
    # once the school has reported its 在校生 in the indicators app, the row is worked out
    DataValue.objects.create(
        indicator=students_of, org_unit=school, period="2020", value=Decimal(2824), entered_at=now()
    )
    page.reload()
    students = Decimal(2824)
    shown = number((days / students).quantize(Decimal("0.01")))
    expect(ratio).to_contain_text(f"{shown}:1")
    expect(ratio).to_contain_text(f"{number(days)} 人日 ÷ {number(students)} 人")
    expect(ratio).to_contain_text("已达到" if days / students >= target else "未达到")
    card = page.locator("section.card").filter(has_text="聊城市茌平区职业教育中心学校")
    expect(card.get_by_role("heading")).to_contain_text(
        f"核增绩效工资总量 {int(converted.pay_increment):,} 元"
    )
    expect(card).to_contain_text("折算参数：培训量折算全日制学生培养工作量 第 1 版")
    expect(card).to_contain_text("折算基础：按人日÷每生每年培养天数折算")
    expect(card).to_contain_text("示例")
    for step in converted.steps:
        expect(card.get_by_text(step, exact=True)).to_be_visible()
    assert_accessible(page)
    table.scroll_into_view_if_needed()
    shot(page, "training")
    card.scroll_into_view_if_needed()
    shot(page, "training-conversion")
    # the 对照 column beside the long working stays on one line (no one-character lines)
    feed = page.get_by_role("table").filter(has_text="计算值与已填报值")
    state = feed.locator("td.nowrap strong").first
    expect(state).to_have_text(re.compile("^(一致|不一致|尚无)$"))
    box = state.bounding_box()
    assert box is not None and box["height"] < box["width"]  # one line, 2–3 characters wide
    feed.scroll_into_view_if_needed()
    shot(page, "training-feed")

    form = page.locator("#record-form")
    form.get_by_label("培训项目").fill("退役军人电工上岗培训")
    form.get_by_label("开始日期（YYYY-MM-DD）").fill("2021-06-01")
    form.get_by_label("结束日期（YYYY-MM-DD）").fill("2021-06-10")
    form.get_by_label("人次").fill("50")
    form.get_by_label("人日").fill("500")
    form.get_by_label("退役军人").check()
    form.get_by_label("是", exact=True).check()
    form.get_by_label("到款额（元，整数；未知留空）").fill("30000")
    form.get_by_role("button", name="登记培训").click()
    expect(page.get_by_role("status")).to_contain_text("已登记培训“退役军人电工上岗培训”")
    records = page.get_by_role("table").filter(has_text="已登记的社会培训")
    expect(records.get_by_role("row").filter(has_text="退役军人电工上岗培训")).to_contain_text(
        "500"
    )
    assert TrainingRecord.objects.filter(programme="退役军人电工上岗培训", income=30000).exists()
    assert_accessible(page)
    shot(page, "training-recorded")

    page.get_by_role("link", name="绩效工资核定").click()
    expect(page.get_by_role("heading", name="职业院校绩效工资核定")).to_be_visible()
    stored = YearResult.objects.get(plan=plan, school=school, year=2021)
    found = pay.PayResult.from_json(stored.pay)  # type: ignore[arg-type]
    card = page.locator("section.card").filter(has_text="2021 年：绩效工资总量")
    expect(card.get_by_role("heading")).to_contain_text(f"绩效工资总量 {int(found.total):,} 元")
    expect(card).to_contain_text(str(pay.LIMIT_LABELS[pay.CAP]))
    expect(card.get_by_role("row").filter(has_text="高层次人才单列")).to_contain_text("500,000")
    expect(card).to_contain_text("绩效工资参数：职业院校绩效工资总量核定 第 1 版")
    card.get_by_text("聊城市茌平区职业教育中心学校 2021 年（计算过程）").click()
    last = pay.explain(found, plan.doc_number, "职业院校绩效工资总量核定")[-1]
    expect(card.get_by_text(last, exact=True)).to_be_visible()
    assert_accessible(page)
    card.scroll_into_view_if_needed()
    shot(page, "training-pay")
