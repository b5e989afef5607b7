"""合成数据 at national shape, run tiny (2 provinces × 2 cities × 2 counties × 2 schools):
codes out of the real GB/T 2260 range, labelled synthetic everywhere, the same for the same
seed, passing every validation rule, and written as ``store_values`` would write them."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db import transaction

from gaodi.audit.models import ChangeRecord
from gaodi.credits.models import Learner, LedgerEntry
from gaodi.indicators.collection import rules_of, store_values
from gaodi.indicators.management.commands.synth import nation_report
from gaodi.indicators.models import DataSet, DataValue, Submission
from gaodi.indicators.rollup import data_set_by_children
from gaodi.indicators.synth import SOURCE, SynthError, school_values
from gaodi.indicators.synth_nation import (
    NATION,
    PREFIXES,
    REAL_PREFIXES,
    ROOT_CODE,
    NationShape,
    nation_places,
    synthesize_nation,
)
from gaodi.indicators.validation import check
from gaodi.orgs.models import OrgUnit
from gaodi.specialties.models import Offering
from gaodi.today import today
from gaodi.training.models import TrainingRecord

TINY = NationShape(provinces=2, cities=4, counties=8, schools=16)
YEARS = [2019, 2020, 2021, 2022]


def test_the_nation_has_31_provinces_333_cities_2850_counties_11400_schools_out_of_range() -> None:
    tree = nation_places(NATION)
    assert Counter(u.kind for u in tree) == {
        "nation": 1,  # the root 示例国
        "province": 31,
        "city": 333,
        "county": 2850,
        "school": 11400,
    }
    assert len({u.code for u in tree}) == len(tree)
    assert len(PREFIXES) == 31 and not set(PREFIXES) & REAL_PREFIXES and 99 not in PREFIXES
    assert all(u.name.startswith("示例") for u in tree)
    for unit in tree:
        assert len(unit.code) == (9 if unit.kind == "school" else 6)
        if unit.code != ROOT_CODE:
            assert int(unit.code[:2]) in PREFIXES
            if unit.parent_code != ROOT_CODE:
                assert unit.code.startswith(unit.parent_code[:2])
    assert sum(u.higher for u in tree) == 1140  # every 10th school is a 高职院校


def _snapshot() -> dict[tuple[str, str, str], Decimal]:
    return {
        (unit, code, period): value
        for unit, code, period, value in DataValue.objects.values_list(
            "org_unit__code", "indicator__code", "period", "value"
        )
    }


class _Undo(Exception):
    pass


def _generated_then_undone(seed: int) -> dict[tuple[str, str, str], Decimal]:
    found: dict[tuple[str, str, str], Decimal] = {}
    try:
        with transaction.atomic():
            synthesize_nation(TINY, seed=seed, years=YEARS)
            found.update(_snapshot())
            raise _Undo
    except _Undo:
        pass
    return found


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_values_and_another_seed_other_ones() -> None:
    first = _generated_then_undone(5)
    assert OrgUnit.objects.filter(code=ROOT_CODE).count() == 0  # undone
    assert first == _generated_then_undone(5)
    assert first != _generated_then_undone(6)
    # ... and a school's values are the per-school model's, as in the province-scale set
    code = "600101001"
    model = school_values(code, higher=False, seed=5, years=YEARS)
    mine = {(c, p): v for (s, c, p), v in first.items() if s == code}
    assert len(mine) == 4 * 63
    assert all(v == model[int(p)][c] for (c, p), v in mine.items())
    assert len(first) == TINY.schools * len(YEARS) * 63


@pytest.fixture
def tiny(db):  # type: ignore[no-untyped-def]
    return synthesize_nation(TINY, seed=3, years=YEARS)


def test_everything_is_labelled_synthetic(tiny) -> None:  # type: ignore[no-untyped-def]
    assert tiny.root.name == "示例国（合成数据）"
    assert tiny.plan.title.startswith("（合成数据）") and tiny.plan.org_unit == tiny.root
    units = OrgUnit.objects.exclude(pk=tiny.root.pk).filter(code__regex=r"^(60|6[6-9]|[7-9])")
    assert units.count() == 2 + 4 + 8 + 16
    assert all(u.name.startswith("示例") for u in units)
    assert set(DataValue.objects.values_list("source", flat=True)) == {SOURCE}
    school = OrgUnit.objects.get(code="600101001")  # the first school: 1 in 100 gets extras
    assert tiny.extras["专业点"] == Offering.objects.filter(school=school).count() >= 3 * 4
    assert tiny.extras["学习者"] == Learner.objects.filter(school=school).count() == 10
    assert tiny.extras["学分记录"] == LedgerEntry.objects.count() >= 20
    assert tiny.extras["社会培训记录"] == TrainingRecord.objects.filter(plan=tiny.plan).count() > 0
    assert {o.source for o in Offering.objects.all()} == {SOURCE}
    assert {r.source for r in TrainingRecord.objects.all()} == {SOURCE}
    assert all(r.end <= today() for r in TrainingRecord.objects.all())
    assert all(x.source == SOURCE and x.name.startswith("示例") for x in Learner.objects.all())
    text = "\n".join(nation_report(tiny, seed=3))
    assert text.startswith("合成数据，仅供演示和测试")
    assert f"批量写入 {16 * 4 * 63} 个数值" in text and "每秒写入" in text


def test_the_values_pass_every_validation_rule(tiny) -> None:  # type: ignore[no-untyped-def]
    stored = {
        (unit, period, code): value
        for unit, period, code, value in DataValue.objects.values_list(
            "org_unit_id", "period", "indicator__code", "value"
        )
    }
    units = {unit for unit, _p, _c in stored}
    checked = 0
    for data_set in DataSet.objects.filter(plan=tiny.plan):
        rules = rules_of(data_set)
        codes = [i.code for i in data_set.indicators.all() if not i.formula]
        for unit in units:
            for year in YEARS:
                values = {c: stored[(unit, str(year), c)] for c in codes}
                history = {
                    c: [stored[(unit, str(y), c)] for y in YEARS if year - 5 <= y < year]
                    for c in codes
                }
                assert check(rules, values, history) == []
                checked += len(rules)
    assert checked > 1000 and tiny.warnings == 0


def test_the_rows_are_those_store_values_writes(tiny) -> None:  # type: ignore[no-untyped-def]
    data_sets = list(DataSet.objects.filter(plan=tiny.plan))
    assert set(DataValue.objects.values_list("status", "entered_by", "disaggregation")) == {
        (DataValue.Status.DRAFT, None, "")
    }
    submissions = Submission.objects.filter(data_set__plan=tiny.plan)
    assert submissions.count() == tiny.submissions == 16 * len(data_sets) * len(YEARS)
    assert set(submissions.values_list("status", "approved_levels")) == {("draft", 0)}
    one = submissions.select_related("data_set", "org_unit").first()
    record = ChangeRecord.objects.get(object_type="indicators.submission", object_id=str(one.pk))
    values = DataValue.objects.filter(
        org_unit=one.org_unit, period=one.period, indicator__data_sets=one.data_set
    )
    assert record.action == "create" and record.before is None
    assert record.after["source"] == SOURCE and len(record.after) == values.count() + 1
    assert record.summary == (
        f"{one.org_unit.name} {one.data_set.name} {one.period}：合成数据填报 {values.count()} 项"
    )
    assert ChangeRecord.objects.filter(object_type="orgs.orgunit").count() == 1 + 2 + 4 + 8 + 16
    # store_values itself finds every value already stored: nothing changes, nothing recorded
    records = ChangeRecord.objects.count()
    by_unit = {one.org_unit_id: {v.indicator.code: v.value for v in values}}
    store_values(one.data_set, one.period, by_unit, actor=None, source=SOURCE, check_window=False)
    assert ChangeRecord.objects.count() == records


def test_the_nation_rolls_up_by_province_like_a_brute_force_sum(tiny) -> None:  # type: ignore[no-untyped-def]
    data_set = DataSet.objects.get(plan=tiny.plan, name="师资队伍")
    rolled = data_set_by_children(data_set, tiny.root.pk, "2022")
    province_of = {
        u.pk: u.code[:2] + "0000" for u in OrgUnit.objects.filter(kind="school", code__regex=r"^6")
    }
    expected: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for unit, code, value in DataValue.objects.filter(
        indicator__data_sets=data_set, period="2022"
    ).values_list("org_unit_id", "indicator__code", "value"):
        expected[(province_of[unit], code)] += value
    codes = {u.pk: u.code for u in OrgUnit.objects.filter(pk__in=list(rolled))}
    assert sorted(codes.values()) == ["600000", "660000"]
    for pk, values in rolled.items():
        assert values["i037n"] == expected[(codes[pk], "i037n")] > 0
        assert values["i037"] == values["i037n"] / values["i037d"]  # from the summed parts


def test_a_second_nation_in_the_same_database_is_refused(tiny) -> None:  # type: ignore[no-untyped-def]
    count = DataValue.objects.count()
    with pytest.raises(SynthError, match="只生成一次"):
        synthesize_nation(TINY, seed=3, years=YEARS)
    assert DataValue.objects.count() == count
