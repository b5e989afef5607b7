"""Reported values: validated, recorded, ratios computed from their parts (最多报一次)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gaodi.audit.models import ChangeRecord
from gaodi.indicators.models import DataValue, Indicator
from gaodi.indicators.periods import PeriodError
from gaodi.indicators.queries import actual
from gaodi.indicators.services import ValueRefused, record_value
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


def test_a_ratio_is_computed_from_the_reported_parts(plan: Plan) -> None:
    students = named(plan, "在校生数（中职学校生师比）")
    teachers = named(plan, "专任教师数（中职学校生师比）")
    record_value(students, plan.org_unit, "2021", Decimal(4888), actor=None)
    record_value(teachers, plan.org_unit, "2021", Decimal(252), actor=None)
    ratio = actual(named(plan, "中职学校生师比"), plan.org_unit.pk, "2021")
    assert ratio == Decimal(4888) / Decimal(252)
    assert actual(named(plan, "中职学校生师比"), plan.org_unit.pk, "2020") is None  # parts missing


def test_a_ratio_cannot_be_typed_in_and_a_count_cannot_be_negative(plan: Plan) -> None:
    with pytest.raises(ValueRefused, match="最多报一次"):
        record_value(named(plan, "中职学校生师比"), plan.org_unit, "2021", Decimal(19), actor=None)
    with pytest.raises(ValueRefused, match="不能为负数"):
        record_value(named(plan, "中职学校数量"), plan.org_unit, "2021", Decimal(-1), actor=None)
    with pytest.raises(PeriodError, match="期间"):
        record_value(named(plan, "中职学校数量"), plan.org_unit, "2021Q9", Decimal(1), actor=None)
    assert DataValue.objects.count() == 0


def test_a_correction_keeps_the_old_value_on_record_and_approved_data_is_locked(plan: Plan) -> None:
    schools = named(plan, "中职学校数量")
    record_value(schools, plan.org_unit, "2021", Decimal(1), actor=None)
    stored = record_value(schools, plan.org_unit, "2021", Decimal(2), actor=None, source="更正")
    record = ChangeRecord.objects.filter(object_type="indicators.datavalue").order_by("-id").first()
    assert record is not None and record.before == {"value": "1"} and record.after["value"] == "2"
    DataValue.objects.filter(pk=stored.pk).update(status=DataValue.Status.APPROVED)
    with pytest.raises(ValueRefused, match="已审核锁定"):
        record_value(schools, plan.org_unit, "2021", Decimal(3), actor=None)
