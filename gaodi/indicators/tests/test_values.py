"""Reported values: validated, recorded, ratios computed from their parts (最多报一次)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gaodi.audit.models import ChangeRecord
from gaodi.indicators.collection import ValuesRefused, store_values
from gaodi.indicators.models import DataSet, DataValue, Indicator, Submission
from gaodi.indicators.queries import actual
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Plan:
    return import_plan(
        parse_path(example_plan_path()), actor=None, org_unit=ensure_reference_tree(actor=None)
    )


def named(plan: Plan, name: str) -> Indicator:
    return Indicator.objects.get(plan=plan, name=name)


def record(plan: Plan, name: str, value: int, period: str = "2021", source: str = "测试") -> None:
    indicator = named(plan, name)
    data_set = DataSet.objects.get(plan=plan, indicators=indicator)
    store_values(
        data_set,
        period,
        {plan.org_unit.pk: {indicator.code: Decimal(value)}},
        actor=None,
        source=source,
    )


def test_a_ratio_is_computed_from_the_reported_parts(plan: Plan) -> None:
    record(plan, "在校生数（中职学校生师比）", 4888)
    record(plan, "专任教师数（中职学校生师比）", 252)
    ratio = actual(named(plan, "中职学校生师比"), plan.org_unit.pk, "2021")
    assert ratio == Decimal(4888) / Decimal(252)
    assert actual(named(plan, "中职学校生师比"), plan.org_unit.pk, "2020") is None  # parts missing


def test_a_ratio_cannot_be_typed_in_and_a_count_cannot_be_negative(plan: Plan) -> None:
    with pytest.raises(ValuesRefused, match="最多报一次"):
        record(plan, "中职学校生师比", 19)
    with pytest.raises(ValuesRefused, match="不能为负数"):
        record(plan, "中职学校数量", -1)
    with pytest.raises(ValuesRefused, match="期间"):
        record(plan, "中职学校数量", 1, period="2021Q9")
    assert DataValue.objects.count() == 0


def test_a_correction_keeps_the_old_value_on_record_and_submitted_data_is_locked(
    plan: Plan,
) -> None:
    record(plan, "中职学校数量", 1)
    record(plan, "中职学校数量", 2, source="更正")
    code = named(plan, "中职学校数量").code
    change = ChangeRecord.objects.filter(object_type="indicators.submission").order_by("-id")[0]
    assert change.before == {code: "1"} and change.after[code] == "2"
    Submission.objects.update(status=Submission.Status.SUBMITTED)
    with pytest.raises(ValuesRefused, match="已锁定"):
        record(plan, "中职学校数量", 3)
    assert DataValue.objects.get().value == 2


def test_the_reporting_window_decides_when_values_are_taken(plan: Plan, settings) -> None:  # type: ignore[no-untyped-def]
    record(plan, "中职学校数量", 1)  # 2021-06-30: the 2021 window is open
    with pytest.raises(ValuesRefused, match="已于 2021-03-31 截止"):
        record(plan, "中职学校数量", 1, period="2020")
    with pytest.raises(ValuesRefused, match="未开放"):
        record(plan, "中职学校数量", 1, period="2030")


def test_a_blocking_rule_refuses_the_whole_form(plan: Plan) -> None:
    data_set = DataSet.objects.get(plan=plan, name="师资队伍")
    dual = named(plan, "“双师型”教师数（中职学校“双师型”教师比例）").code
    specialty = named(plan, "专业课教师总数（中职学校“双师型”教师比例）").code
    with pytest.raises(ValuesRefused) as refused:
        store_values(
            data_set,
            "2021",
            {plan.org_unit.pk: {dual: Decimal(200), specialty: Decimal(180)}},
            actor=None,
            source="测试",
        )
    assert "不超过专业课教师总数" in str(refused.value) and refused.value.problems[0].code == dual
    assert DataValue.objects.count() == 0
