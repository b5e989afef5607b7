"""Roll-up over the tree equals a brute-force sum; ratios come from summed parts."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from gaodi.indicators.models import DataValue, Indicator
from gaodi.indicators.rollup import by_children
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

pytestmark = pytest.mark.django_db


def test_children_sums_equal_a_brute_force_sum_and_ratios_use_summed_parts() -> None:
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
    students = Indicator.objects.get(plan=plan, name="在校生数（中职学校生师比）")
    teachers = Indicator.objects.get(plan=plan, name="专任教师数（中职学校生师比）")
    ratio = Indicator.objects.get(plan=plan, name="中职学校生师比")
    rng = random.Random(7)
    brute: dict[int, list[Decimal]] = {c.pk: [Decimal(0), Decimal(0)] for c in counties}
    for school in schools:
        s, t = Decimal(rng.randint(300, 3000)), Decimal(rng.randint(20, 200))
        DataValue.objects.create(
            indicator=students,
            org_unit=school,
            period="2021",
            value=s,
            entered_at="2021-06-30T00:00:00+08:00",
        )
        DataValue.objects.create(
            indicator=teachers,
            org_unit=school,
            period="2021",
            value=t,
            entered_at="2021-06-30T00:00:00+08:00",
        )
        brute[school.parent_id][0] += s  # type: ignore[index]
        brute[school.parent_id][1] += t  # type: ignore[index]
    assert by_children(students, city.pk, "2021") == {c: v[0] for c, v in brute.items()}
    ratios = by_children(ratio, city.pk, "2021")
    for child, (s, t) in brute.items():
        assert ratios[child] == s / t  # from summed parts, not an average of school ratios
    assert by_children(students, city.pk, "2020") == {c.pk: None for c in counties}
