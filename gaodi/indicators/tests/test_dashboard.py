"""The analysis pages by role, live roll-up as of today(), and the Excel export."""

from __future__ import annotations

import io
import random
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.indicators.collection import store_values
from gaodi.indicators.dashboard import Actuals, unit_value
from gaodi.indicators.models import DataSet, DataValue, Indicator
from gaodi.indicators.rollup import by_children
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456"
STUDENTS = "在校生数（中职学校生师比）"
TEACHERS = "专任教师数（中职学校生师比）"
RATIO = "中职学校生师比"


@pytest.fixture
def plan() -> Plan:
    county = ensure_reference_tree(actor=None)
    imported: Plan = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    create_member("admin", PASSWORD, role=Role.ADMIN, actor=None, org_unit=county)
    create_member("leader", PASSWORD, role=Role.LEADER, actor=None, org_unit=county)
    school = OrgUnit.objects.create(
        code="371503-S01", name="职教中心", kind=OrgKind.SCHOOL, parent=county
    )
    create_member("clerk", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=school)
    other = OrgUnit.objects.create(
        code="371502", name="东昌府区", kind=OrgKind.COUNTY, parent=county.parent
    )
    finance = Department.objects.create(org_unit=other, name="区财政局")
    create_member("stranger", PASSWORD, role=Role.DEPARTMENT, actor=None, department=finance)
    return imported


def signed_in(username: str | None) -> Client:
    client = Client()
    if username:
        assert client.login(username=username, password=PASSWORD)
    return client


def code(plan: Plan, name: str) -> str:
    return str(Indicator.objects.get(plan=plan, name=name).code)


def report(plan: Plan, unit: OrgUnit, year: int, values: dict[str, int]) -> None:
    """Values by indicator name, through the one write path (windows of past years closed)."""
    by_code = {code(plan, name): Decimal(value) for name, value in values.items()}
    data_set = DataSet.objects.get(plan=plan, indicators__code=next(iter(by_code)))
    store_values(
        data_set,
        str(year),
        {unit.pk: by_code},
        actor=None,
        source="测试",
        check_window=year == 2021,
    )


def dashboard(plan: Plan, who: str | None = "admin", **params: object) -> str:
    response = signed_in(who).get(f"/indicators/plans/{plan.pk}/dashboard/", params)
    assert response.status_code == 200
    page: str = response.content.decode()
    return page


def test_a_member_sees_the_dashboard_with_a_grey_light_before_any_data(plan: Plan) -> None:
    page = dashboard(plan, "leader", indicator=code(plan, RATIO))
    assert "指标看板" in page and "中职学校生师比" in page
    assert "灰灯" in page and "截至2021年6月30日尚无实际值" in page
    assert "线性趋势（最小二乘法），80% 预测区间" in page
    assert "数据不足（至少需要三个年度的实际值）" in page
    assert '<optgroup label="三、师资队伍">' in page and '<label for="pick-indicator">' in page
    # the chart's data comes as JSON, the chart code from a static file: no inline script
    assert '<script id="trend-data" type="application/json">' in page
    assert "gaodi/charts.js" in page and "gaodi/vendor/echarts-5.6.0.min.js" in page
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag
    # each chart has its table: the targets are there as numbers
    assert "<caption>茌平区 中职学校生师比：基础、目标、实际与预测</caption>" in page
    assert "19.87" in page  # 2022: 6000 / 302


def test_anonymous_people_are_sent_to_login(plan: Plan) -> None:
    for path in ("dashboard", "table"):
        response = signed_in(None).get(f"/indicators/plans/{plan.pk}/{path}/")
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_another_countys_user_finds_nothing_even_of_a_public_plan(plan: Plan) -> None:
    assert plan.public  # the plan is public; the data reported under it is not
    stranger = signed_in("stranger")
    assert stranger.get(f"/indicators/plans/{plan.pk}/dashboard/").status_code == 404
    assert stranger.get(f"/indicators/plans/{plan.pk}/table/?format=xlsx").status_code == 404


def test_a_school_clerk_sees_his_school_and_not_the_county(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    page = dashboard(plan, "clerk", indicator=code(plan, STUDENTS))
    assert "在校生数（中职学校生师比）（人） · 职教中心" in page
    assert "该机构没有下级机构" in page
    clerk = signed_in("clerk")
    url = f"/indicators/plans/{plan.pk}/dashboard/"
    assert clerk.get(url, {"unit": plan.org_unit.pk}).status_code == 404
    assert clerk.get(url, {"unit": school.pk}).status_code == 200
    assert signed_in("admin").get(url, {"indicator": "nope"}).status_code == 404


def test_a_schools_values_show_on_the_county_dashboard_at_once(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    before = dashboard(plan, indicator=code(plan, RATIO))
    assert "灰灯" in before
    report(plan, school, 2021, {STUDENTS: 4888, TEACHERS: 252})
    page = dashboard(plan, indicator=code(plan, RATIO))
    # 4888 / 252 = 19.40, rolled up from the school, as the county has no value of its own;
    # the 2021 target (4888/252) is met.
    assert "2021年实际值19.4，2021年目标值19.4（2019年基础10.86）" in page
    assert "绿灯" in page and "已达到目标值" in page
    assert '<th scope="row">职教中心</th><td class="num">19.40</td>' in page


def test_three_years_give_a_forecast_and_a_short_trend_turns_red(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    for year, students in ((2019, 2193), (2020, 2300), (2021, 2400)):
        report(plan, school, year, {STUDENTS: students})
    page = dashboard(plan, indicator=code(plan, STUDENTS))
    assert "2022年预计为 2504.67（80% 预测区间" in page  # slope 103.5 a year
    assert "红灯" in page and "低于目标值6000人，预计不能按期完成" in page
    assert "样本 3 个年度" in page and "（含现有基础）" not in page


def test_the_baseline_stands_in_for_its_year_in_the_forecast(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    report(plan, school, 2020, {STUDENTS: 3456})
    report(plan, school, 2021, {STUDENTS: 4888})
    page = dashboard(plan, indicator=code(plan, STUDENTS))
    assert "样本 3 个年度（含现有基础）" in page


def test_the_children_chart_compares_schools_for_a_chosen_year(plan: Plan) -> None:
    county = plan.org_unit
    second = OrgUnit.objects.create(
        code="371503-S02", name="技工学校", kind=OrgKind.SCHOOL, parent=county
    )
    report(plan, second, 2020, {STUDENTS: 800})
    page = dashboard(plan, indicator=code(plan, STUDENTS), year=2020)
    assert "茌平区下级机构比较（2020年）" in page
    assert '<script id="children-data" type="application/json">' in page
    assert '<th scope="row">技工学校</th><td class="num">800</td>' in page
    assert '<th scope="row">职教中心</th><td class="num">—</td>' in page


def test_the_table_lists_the_unit_and_its_children_by_year(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    report(plan, school, 2021, {STUDENTS: 4100})
    response = signed_in("admin").get(
        f"/indicators/plans/{plan.pk}/table/",
        {"indicator": [code(plan, STUDENTS), "unknown"], "years": "2020-2021"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<th scope="colgroup" colspan="3">') == 2
    assert '<th scope="rowgroup" rowspan="2">在校生数（中职学校生师比）（人）</th>' in page
    assert '<th scope="row">职教中心</th>' in page and "4100" in page
    # progress (4100 − 2193) / (4888 − 2193) = 70.8 %
    assert "70.8%" in page
    assert "导出 Excel" in page and "format=xlsx" in page


def test_the_excel_export_keeps_formulas_out(plan: Plan) -> None:
    county = plan.org_unit
    names = ['=HYPERLINK("http://example.invalid","点击")', "+1", "-2", "@SUM(A1)", "普通学校"]
    for number, name in enumerate(names):
        OrgUnit.objects.create(
            code=f"371503-X{number}", name=name, kind=OrgKind.SCHOOL, parent=county
        )
    school = OrgUnit.objects.get(code="371503-S01")
    report(plan, school, 2021, {STUDENTS: 4100})
    response = signed_in("admin").get(
        f"/indicators/plans/{plan.pk}/table/",
        {"indicator": code(plan, STUDENTS), "years": "2021", "format": "xlsx"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=False))
    header = [cell.value for cell in rows[0]]
    assert header[:4] == ["指标代码", "指标", "计量单位", "机构"]
    assert header[4:] == ["2021年目标值", "2021年实际值", "2021年完成进度"]
    by_unit = {row[3].value: row for row in rows[1:]}
    for name in names[:4]:  # shown as typed, as text (quotePrefix), never a formula
        cell = by_unit[name][3]
        assert cell.data_type == "s" and cell.value == name and cell.quotePrefix
    assert by_unit["普通学校"][3].value == "普通学校"
    assert by_unit["职教中心"][5].value == 4100 and by_unit["职教中心"][5].data_type == "n"
    assert by_unit["茌平区"][4].value == 4888  # the target stays a number


def test_values_are_the_units_own_else_the_sum_of_its_children() -> None:
    county = ensure_reference_tree(actor=None)
    plan = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    city = county.parent
    assert city is not None
    counties = [county] + [
        OrgUnit.objects.create(code=f"3715{n:02d}", name=f"县{n}", kind=OrgKind.COUNTY, parent=city)
        for n in (20, 21)
    ]
    schools = [
        OrgUnit.objects.create(
            code=f"{c.code}-S{k}", name=f"{c.name}学校{k}", kind=OrgKind.SCHOOL, parent=c
        )
        for c in counties
        for k in range(3)
    ]
    students = Indicator.objects.get(plan=plan, name=STUDENTS)
    teachers = Indicator.objects.get(plan=plan, name=TEACHERS)
    ratio = Indicator.objects.get(plan=plan, name=RATIO)
    rng = random.Random(11)
    for school in schools:
        for indicator, low, high in ((students, 300, 3000), (teachers, 20, 200)):
            DataValue.objects.create(
                indicator=indicator,
                org_unit=school,
                period="2021",
                value=Decimal(rng.randint(low, high)),
                entered_at="2021-06-30T00:00:00+08:00",
            )
    actuals = Actuals(plan, city, [2021])
    for indicator in (students, teachers, ratio):
        expected = by_children(indicator, city.pk, "2021")
        assert {c.pk: actuals.value(indicator, c.pk, 2021) for c in counties} == expected
    total_students = sum(filter(None, by_children(students, city.pk, "2021").values()), Decimal(0))
    total_teachers = sum(filter(None, by_children(teachers, city.pk, "2021").values()), Decimal(0))
    assert actuals.value(students, city.pk, 2021) == total_students
    assert unit_value(ratio, city, 2021) == total_students / total_teachers
    # a unit's own report wins over the sum of its children
    DataValue.objects.create(
        indicator=students,
        org_unit=city,
        period="2021",
        value=Decimal(5),
        entered_at="2021-06-30T00:00:00+08:00",
    )
    assert unit_value(students, city, 2021) == 5
    assert unit_value(students, city, 2020) is None


def test_indicators_that_do_not_add_up_are_not_summed(plan: Plan) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    per_student = Indicator.objects.get(plan=plan, name="中职生均拨款")  # 万元 per student
    assert per_student.aggregation == "none"
    DataValue.objects.create(
        indicator=per_student,
        org_unit=school,
        period="2021",
        value=Decimal("0.33"),
        entered_at="2021-06-30T00:00:00+08:00",
    )
    assert unit_value(per_student, school, 2021) == Decimal("0.33")
    assert unit_value(per_student, plan.org_unit, 2021) is None


def test_the_dashboard_reads_a_fixed_number_of_queries_however_many_schools(plan: Plan) -> None:
    county = plan.org_unit

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            dashboard(plan, indicator=code(plan, RATIO))
        return len(captured)

    few = queries()
    for number in range(2, 12):
        school = OrgUnit.objects.create(
            code=f"371503-S{number:02d}", name=f"学校{number}", kind=OrgKind.SCHOOL, parent=county
        )
        report(plan, school, 2021, {STUDENTS: 1000 + number, TEACHERS: 50})
    assert queries() == few
