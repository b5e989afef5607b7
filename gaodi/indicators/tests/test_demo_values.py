"""The demo's earlier years: 2019 from the plan's own 现有基础, 2020 synthetic and labelled."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gaodi.demo import SYNTHETIC, set_up_demo
from gaodi.indicators.models import DataValue, Submission
from gaodi.indicators.queries import actual

pytestmark = pytest.mark.django_db


def test_the_demo_school_has_an_approved_history_with_its_sources_said() -> None:
    plan, logins = set_up_demo()
    assert "shiji" in {login.username for login in logins}
    school_values = DataValue.objects.filter(org_unit__code="371503-S01")
    teachers = school_values.get(indicator__code="i037d", period="2019")
    assert teachers.value == 202 and teachers.source == "方案附件2 现有基础"
    assert school_values.get(indicator__code="i037n", period="2020").source == SYNTHETIC
    ratio = plan.indicators.get(code="i037")
    assert actual(ratio, teachers.org_unit_id, "2019") == Decimal(2193) / Decimal(202)
    assert set(Submission.objects.values_list("status", "approved_levels")) == {("approved", 2)}
    count = school_values.count()
    set_up_demo()
    assert DataValue.objects.filter(org_unit__code="371503-S01").count() == count
