"""The analysis pages by role, live roll-up as of today(), and the Excel export."""

from __future__ import annotations

import io
import random
import re
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.indicators.choices import Aggregation
from gaodi.indicators.collection import store_values
from gaodi.indicators.dashboard import SYNTHETIC_MARK, Actuals, synthetic_periods, unit_value
from gaodi.indicators.formula import codes, evaluate
from gaodi.indicators.models import DataSet, DataValue, Indicator
from gaodi.indicators.rollup import by_children
from gaodi.indicators.synth import Shape, synthesize
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.orgs.tree import descendant_ids
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


def test_the_dashboard_and_the_table_cost_a_fixed_budget_of_queries(
    plan: Plan, django_assert_max_num_queries: Any
) -> None:
    school = OrgUnit.objects.get(code="371503-S01")
    report(plan, school, 2021, {STUDENTS: 4888, TEACHERS: 252})
    admin = signed_in("admin")
    url = f"/indicators/plans/{plan.pk}/"
    chosen = [code(plan, RATIO), code(plan, STUDENTS)]
    # 23 before issue 10: Actuals read every value of the subtree and the tree twice over
    for path, params in (
        ("dashboard/", {"indicator": chosen[0]}),
        ("table/", {"indicator": chosen}),
    ):
        # the session, user, gate, plan, pickers, years, targets and synthetic periods; and
        # Actuals' 5: indicators, children, the subtree's root (province), own values, the sums
        # below each child
        with django_assert_max_num_queries(22):
            response = admin.get(url + path, params)
        assert response.status_code == 200
        assert "19.40" in response.content.decode()


class PythonActuals:
    """The reference: how Actuals found its values before issue 10 — every value of the
    subtree read into Python and summed there."""

    def __init__(self, plan: Plan, unit: OrgUnit, years: list[int]) -> None:
        self.unit = unit
        self.indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
        parents = dict(
            OrgUnit.objects.filter(pk__in=descendant_ids(unit)).values_list("pk", "parent_id")
        )
        self.children = list(OrgUnit.objects.filter(parent=unit).order_by("code"))
        child_of: dict[int, int] = {}
        for unit_id in parents:
            path = [unit_id]
            while parents.get(path[-1]) not in (unit.pk, None):
                path.append(parents[path[-1]])
            if parents.get(path[-1]) == unit.pk:
                child_of[unit_id] = path[-1]
        self._own: dict[tuple[str, int, int], Decimal] = {}
        self._under: dict[tuple[str, int, int], Decimal] = defaultdict(Decimal)
        rows = DataValue.objects.filter(
            indicator__plan=plan,
            org_unit_id__in=list(parents),
            period__in=[str(year) for year in years],
            disaggregation="",
        ).values_list("indicator__code", "org_unit_id", "period", "value")
        for found, unit_id, period, value in rows:
            self._own[(found, unit_id, int(period))] = value
            if unit_id in child_of:
                self._under[(found, child_of[unit_id], int(period))] += value

    def value(self, indicator: Indicator, unit_id: int, year: int) -> Decimal | None:
        if indicator.formula:
            parts = {
                part: self.value(self.indicators[part], unit_id, year)
                for part in codes(indicator.formula)
                if part in self.indicators
            }
            return evaluate(indicator.formula, parts)
        own = self._own.get((indicator.code, unit_id, year))
        if own is not None or indicator.aggregation == Aggregation.NONE:
            return own
        if unit_id != self.unit.pk:
            return self._under.get((indicator.code, unit_id, year))
        sums = [
            self._under[key]
            for key in ((indicator.code, child.pk, year) for child in self.children)
            if key in self._under
        ]
        return sum(sums, Decimal(0)) if sums else None


def test_the_databases_sums_are_pythons_sums_over_a_generated_province() -> None:
    years = [2019, 2020, 2021, 2022]
    made = synthesize(Shape(cities=3, counties=5, schools=14), seed=5, years=years)
    province, plan = made.province, made.plan
    indicators = list(Indicator.objects.filter(plan=plan).order_by("order"))
    summed = next(i for i in indicators if not i.formula and i.aggregation != Aggregation.NONE)
    not_summed = next(i for i in indicators if i.aggregation == Aggregation.NONE)
    city = OrgUnit.objects.filter(parent=province).order_by("code")[1]
    county = OrgUnit.objects.filter(parent=city).order_by("code").first()
    assert county is not None
    # own reports above the schools: they win for their unit and are added into the sums above
    # it, as before; a fraction that a float would round, in a 不汇总 indicator too
    for unit, indicator, value in (
        (county, summed, "12345.678901"),
        (city, summed, "7.1"),
        (province, not_summed, "0.33"),
        (county, not_summed, "900000000.000001"),
    ):
        DataValue.objects.update_or_create(
            indicator=indicator,
            org_unit=unit,
            period="2021",
            disaggregation="",
            defaults={"value": Decimal(value), "entered_at": "2021-06-30T00:00:00+08:00"},
        )
    assert made.values > 1000
    compared = 0
    for top in (province, city, county):
        new, old = Actuals(plan, top, years), PythonActuals(plan, top, years)
        assert [c.pk for c in new.children] == [c.pk for c in old.children]
        for unit_id in [top.pk, *(c.pk for c in old.children)]:
            for indicator in indicators:
                for year in years:
                    expected = old.value(indicator, unit_id, year)
                    found = new.value(indicator, unit_id, year)
                    assert found == expected, (indicator.code, unit_id, year)
                    assert str(found) == str(expected)  # shown the same, to the last place
                    compared += expected is not None
    assert compared > 1000
    # asked for one ratio only, the same values from its parts
    ratio = next(i for i in indicators if i.formula)
    one = Actuals(plan, province, years, [ratio])
    old = PythonActuals(plan, province, years)
    assert all(
        one.value(ratio, unit.pk, year) == old.value(ratio, unit.pk, year)
        for unit in [province, *old.children]
        for year in years
    )
    with pytest.raises(LookupError):
        one.value(not_summed, province.pk, 2021)
    with pytest.raises(LookupError):  # a grandchild: its values were not read
        one.value(ratio, county.pk, 2021)


def python_synthetic_periods(plan: Plan, unit: OrgUnit) -> list[str]:
    """The reference: every value under the unit searched for the mark (before issue 10)."""
    return sorted(
        DataValue.objects.filter(
            indicator__plan=plan,
            org_unit_id__in=descendant_ids(unit),
            source__contains=SYNTHETIC_MARK,
        )
        .values_list("period", flat=True)
        .distinct()
    )


def test_the_synthetic_periods_are_those_with_a_generated_value_under_the_unit(
    plan: Plan,
) -> None:
    made = synthesize(Shape(cities=2, counties=3, schools=6), seed=2, years=[2020, 2021])
    city = OrgUnit.objects.filter(parent=made.province).order_by("code").first()
    assert city is not None
    indicator = Indicator.objects.filter(plan=made.plan, formula="").first()
    for unit, period, source in (
        (made.province, "2017", "演示（合成数据）"),  # generated, at the top only
        (city, "2018", "测试"),  # a real value: no notice
        (city, "2021Q1", "合成数据"),
    ):
        DataValue.objects.create(
            indicator=indicator,
            org_unit=unit,
            period=period,
            value=Decimal(1),
            source=source,
            entered_at="2021-06-30T00:00:00+08:00",
        )
    # another plan's values (the reference plan's county) are not this plan's
    county = plan.org_unit
    report(plan, OrgUnit.objects.get(code="371503-S01"), 2021, {STUDENTS: 1})
    DataValue.objects.filter(org_unit__parent=county).update(source=SYNTHETIC_MARK)
    assert synthetic_periods(made.plan, made.province) == ["2017", "2020", "2021", "2021Q1"]
    assert synthetic_periods(made.plan, city) == ["2020", "2021", "2021Q1"]
    assert synthetic_periods(plan, county) == ["2021"]
    assert synthetic_periods(plan, plan.org_unit.parent) == ["2021"]
    assert synthetic_periods(made.plan, county) == []
    for where, unit in ((made.plan, made.province), (made.plan, city), (plan, county)):
        assert synthetic_periods(where, unit) == python_synthetic_periods(where, unit)
