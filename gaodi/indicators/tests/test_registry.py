"""The registry a plan implies: ratios as formulas over parts, never typed in."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gaodi.indicators.formula import evaluate
from gaodi.indicators.models import Indicator, TargetValue
from gaodi.indicators.rules import registry
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

DRAFT = parse_path(example_plan_path())


def spec(name: str):  # type: ignore[no-untyped-def]
    return next(s for s in registry(DRAFT) if s.name == name)


def test_a_ratio_becomes_a_formula_over_parts_with_the_printed_parts_as_values() -> None:
    ratio = spec("中职学校生师比")
    assert ratio.formula == f"{ratio.code}n / {ratio.code}d" and ratio.aggregation == "formula"
    students = spec("在校生数（中职学校生师比）")
    teachers = spec("专任教师数（中职学校生师比）")
    assert students.values[2019][0] == 2193 and teachers.values[2019][0] == 202
    computed = evaluate(
        ratio.formula,
        {students.code: students.values[2019][0], teachers.code: teachers.values[2019][0]},
    )
    assert computed == Decimal(2193) / Decimal(202)


def test_a_percentage_carries_its_factor_and_measures_task_fourteen() -> None:
    dual = spec("中职学校“双师型”教师比例")
    assert dual.formula.endswith("* 100") and dual.unit == "%" and 14 in dual.tasks


def test_per_student_values_divide_by_the_enrolment_reported_once() -> None:
    """生均工位数 = 工位数 / 在校生数, the 在校生数 being the part of 生师比 (it adds up over
    schools; 校均在校生规模 × 学校数量 would not), and 校均在校生规模 is itself computed."""
    workstations = spec("校内实训基地生均工位数")
    base, students, schools = (
        spec("校内实训基地工位数"),
        spec("在校生数（中职学校生师比）"),
        spec("中职学校数量"),
    )
    assert workstations.formula == f"{base.code} / ({students.code})"
    value = evaluate(workstations.formula, {base.code: Decimal(50), students.code: Decimal(2193)})
    assert value is not None and round(value, 3) == Decimal("0.023")
    per_school = spec("中职学校校均在校生规模")
    assert per_school.formula == f"{students.code} / {schools.code}"
    assert spec("校内实习实训设备仪器总值").kind == "stock"


def test_the_vocational_general_ratio_comes_from_the_two_enrolments() -> None:
    ratio = spec("高中阶段招生职普比")
    assert ratio.formula == f"{ratio.code}v / {ratio.code}g"
    assert spec("中职学校招生数").kind == "flow"


def test_subsets_counts_and_flows_are_marked() -> None:
    assert spec("综合性中职学校数量").subset_of == spec("中职学校数量").code
    assert spec("培训规模").kind == "flow" and 7 in spec("培训规模").tasks
    assert spec("中职学校数量").kind == "stock" and spec("中职学校数量").aggregation == "sum"


@pytest.mark.django_db
def test_import_stores_the_registry_with_baselines_and_targets() -> None:
    county = ensure_reference_tree(actor=None)
    plan = import_plan(DRAFT, actor=None, org_unit=county)
    dual = Indicator.objects.get(plan=plan, name="中职学校“双师型”教师比例")
    assert [t.number for t in dual.tasks.all()] == [14]
    values = {t.year: (t.value, t.baseline) for t in TargetValue.objects.filter(indicator=dual)}
    assert values[2019] == (Decimal("91.3"), True) and values[2022] == (Decimal("95.4"), False)
    assert TargetValue.objects.get(indicator=dual, year=2022).source_clause == "附件2 三、师资队伍"


@pytest.mark.django_db
def test_the_registry_page_spells_formulas_with_names(client) -> None:  # type: ignore[no-untyped-def]
    from gaodi.accounts.choices import Role
    from gaodi.accounts.services import create_member

    county = ensure_reference_tree(actor=None)
    plan = import_plan(DRAFT, actor=None, org_unit=county)
    create_member("zb", "pw-123456", role=Role.ADMIN, actor=None, org_unit=county)
    client.login(username="zb", password="pw-123456")
    page = client.get(f"/indicators/plans/{plan.pk}/").content.decode()
    assert "〔在校生数（中职学校生师比）〕 / 〔专任教师数（中职学校生师比）〕" in page
    assert "91.3%（126/138）" in page and "重点任务（十四）" in page
    task = plan.tasks.get(number=14)
    assert "衡量本任务的指标" in client.get(f"/plans/{plan.pk}/tasks/{task.pk}/").content.decode()


@pytest.mark.django_db
def test_the_registry_links_the_dashboard_only_for_those_who_read_values(client) -> None:  # type: ignore[no-untyped-def]
    from gaodi.accounts.choices import Role
    from gaodi.accounts.services import create_member
    from gaodi.orgs.models import Department

    county = ensure_reference_tree(actor=None)
    plan = import_plan(DRAFT, actor=None, org_unit=county)
    create_member("zb", "pw-123456", role=Role.ADMIN, actor=None, org_unit=county)
    bureau = Department.objects.get(org_unit=county, name="区财政局")
    create_member("cz", "pw-123456", role=Role.DEPARTMENT, actor=None, department=bureau)
    dashboard = f"/indicators/plans/{plan.pk}/dashboard/"
    for username, shown in (("zb", True), ("cz", False)):
        client.login(username=username, password="pw-123456")
        page = client.get(f"/indicators/plans/{plan.pk}/").content.decode()
        assert (dashboard in page) is shown, username
        assert (client.get(dashboard).status_code == 200) is shown, username
