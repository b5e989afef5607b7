"""The roll-up's live totals (totals.py): the deltas, pure; a value written or approved is in
the very next roll-up read; after any sequence of writes, approvals, deletions and a moved
unit, the totals equal a recomputation from DataValue."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from django.db.models import F

from gaodi.indicators import totals
from gaodi.indicators.approval import Step
from gaodi.indicators.approving import StepRefused, take_step
from gaodi.indicators.collection import ValuesRefused, store_values
from gaodi.indicators.models import DataSet, DataValue, Submission, UnitTotal
from gaodi.indicators.rollup import data_set_by_children, data_set_by_kind
from gaodi.indicators.synth import Shape, synthesize
from gaodi.indicators.synth_nation import NationShape, synthesize_nation
from gaodi.indicators.totals import Change, Stored, deltas
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.tree import descendant_ids

# The deltas, pure ---------------------------------------------------------------------------

ABOVE = {10: [5, 1], 11: [5, 1], 5: [1]}  # schools 10, 11 in county 5 in province 1


def test_a_new_value_adds_to_every_ancestor_and_not_to_its_own_unit() -> None:
    found = deltas([Change(10, 7, "2021", None, Stored(3_000000, False))], ABOVE)
    assert found == {(1, 7, "2021"): (3_000000, 1, 0, 0), (5, 7, "2021"): (3_000000, 1, 0, 0)}


def test_a_replaced_value_adds_the_difference_and_no_count() -> None:
    change = Change(10, 7, "2021", Stored(3_000000, False), Stored(2_500000, False))
    assert deltas([change], ABOVE)[(5, 7, "2021")] == (-500000, 0, 0, 0)


def test_approval_moves_only_the_approved_part_and_a_deletion_takes_everything_back() -> None:
    approve = Change(10, 7, "2021", Stored(4_000000, False), Stored(4_000000, True))
    assert deltas([approve], ABOVE)[(1, 7, "2021")] == (0, 0, 4_000000, 1)
    delete = Change(11, 7, "2021", Stored(4_000000, True), None)
    assert deltas([delete], ABOVE)[(1, 7, "2021")] == (-4_000000, -1, -4_000000, -1)


def test_changes_are_summed_per_key_sorted_and_the_ones_that_cancel_left_out() -> None:
    found = deltas(
        [
            Change(11, 8, "2021", None, Stored(2, False)),
            Change(10, 7, "2021", None, Stored(1, False)),
            Change(11, 7, "2021", None, Stored(-1, False)),  # 1 - 1 = 0 but two more values
            Change(10, 9, "2021", Stored(5, False), Stored(5, False)),  # the same value again
            Change(5, 8, "2021", None, Stored(2, False)),  # the county's own: province only
        ],
        ABOVE,
    )
    assert list(found) == sorted(found)
    assert found == {
        (1, 7, "2021"): (0, 2, 0, 0),
        (1, 8, "2021"): (4, 2, 0, 0),
        (5, 7, "2021"): (0, 2, 0, 0),
        (5, 8, "2021"): (2, 1, 0, 0),
    }


def test_a_unit_with_no_ancestor_has_no_total() -> None:
    assert deltas([Change(1, 7, "2021", None, Stored(9, False))], ABOVE) == {}


@pytest.mark.django_db
def test_values_become_millionths_rounded_to_six_places_as_the_database_does() -> None:
    assert totals.millionths(Decimal("12.5")) == 12_500000
    assert totals.millionths(Decimal("900000000.000001")) == 900000000_000001
    assert totals.millionths(Decimal("-0.25")) == -250000


# Live: the very next read ---------------------------------------------------------------


def _approve(data_set: DataSet, school: OrgUnit, period: str) -> None:
    take_step(data_set, school, period, Step.SUBMIT, actor=None)
    while (
        Submission.objects.get(data_set=data_set, org_unit=school, period=period).status
        != Submission.Status.APPROVED
    ):
        take_step(data_set, school, period, Step.APPROVE, actor=None)


@pytest.mark.django_db
def test_a_value_written_approved_changed_is_in_the_very_next_read_at_every_level() -> None:
    made = synthesize(Shape(cities=1, counties=1, schools=2), seed=3, years=[2020])
    teachers = DataSet.objects.get(plan=made.plan, name="师资队伍")
    city = OrgUnit.objects.get(kind="city", code__startswith="99")
    county = OrgUnit.objects.get(kind="county", code__startswith="99")
    school = OrgUnit.objects.filter(kind="school", code__startswith="99").first()
    assert school is not None

    def write(students: int) -> None:
        store_values(
            teachers,
            "2021",
            {school.pk: {"i037n": Decimal(students), "i037d": Decimal(252)}},
            actor=None,
            source="测试",
            check_window=False,
        )

    def reads(approved_only: bool = False) -> list[Decimal | None]:
        return [
            data_set_by_children(teachers, county.pk, "2021", approved_only=approved_only)[
                school.pk
            ]["i037n"],
            data_set_by_children(teachers, city.pk, "2021", approved_only=approved_only)[county.pk][
                "i037n"
            ],
            data_set_by_children(teachers, made.province.pk, "2021", approved_only=approved_only)[
                city.pk
            ]["i037n"],
            data_set_by_kind(
                teachers, made.province.pk, "county", "2021", approved_only=approved_only
            )[county.pk]["i037n"],
        ]

    assert reads() == [None] * 4  # nothing reported for 2021 yet: every group still there
    write(4888)
    assert reads() == [4888] * 4  # live: no rebuild between the write and the read
    assert reads(approved_only=True) == [None] * 4
    write(4890)
    assert reads() == [4890] * 4  # the difference was applied, not the value added twice
    _approve(teachers, school, "2021")
    assert reads(approved_only=True) == [4890] * 4
    rolled = data_set_by_children(teachers, made.province.pk, "2021", approved_only=True)
    assert rolled[city.pk]["i037"] == Decimal(4890) / 252  # ratio from the summed parts
    take_step(teachers, school, "2021", Step.UNAPPROVE, actor=None, comment="数据有误")
    assert reads(approved_only=True) == [None] * 4  # no longer approved: out at once
    assert reads() == [4890] * 4
    assert totals.check() == []


@pytest.mark.django_db
def test_a_bulk_load_rebuilt_once_equals_the_totals_kept_by_deltas() -> None:
    made = synthesize(Shape(cities=2, counties=3, schools=6), seed=2, years=[2020, 2021])
    assert totals.check() == []  # synthesize wrote through store_values
    kept = set(UnitTotal.objects.values_list("unit_id", "indicator_id", "period", "count"))
    assert kept
    UnitTotal.objects.all().delete()
    assert totals.check() != []  # the check does see missing totals
    assert totals.rebuild() == len(kept)
    assert set(UnitTotal.objects.values_list("unit_id", "indicator_id", "period", "count")) == kept
    assert totals.check() == []
    assert made.values


@pytest.mark.django_db
def test_the_synthetic_nations_bulk_load_ends_with_its_totals_and_later_writes_keep_them() -> None:
    made = synthesize_nation(
        NationShape(provinces=2, cities=4, counties=8, schools=16),
        seed=1,
        years=[2021, 2022],
        extras=False,
    )
    assert made.unit_totals == UnitTotal.objects.count() > 0
    assert totals.check() == []
    teachers = DataSet.objects.get(plan=made.plan, name="师资队伍")
    school = OrgUnit.objects.filter(kind="school", code__regex=r"^6").first()
    assert school is not None
    before = data_set_by_children(teachers, made.root.pk, "2022")
    province = school.parent.parent.parent
    current = DataValue.objects.get(org_unit=school, period="2022", indicator__code="i037n")
    store_values(
        teachers,
        "2022",
        {school.pk: {"i037n": current.value + 7}},
        actor=None,
        source="测试",
        check_window=False,
    )
    after = data_set_by_children(teachers, made.root.pk, "2022")
    assert after[province.pk]["i037n"] == before[province.pk]["i037n"] + 7  # type: ignore[operator]
    assert totals.check() == []


# Any sequence of writes keeps the totals equal to a recomputation ---------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("small_write", [totals.SMALL_WRITE, 0])  # one statement / in Python
def test_after_random_writes_approvals_deletions_and_a_move_the_totals_are_recomputed_ones(
    small_write: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(totals, "SMALL_WRITE", small_write)
    made = synthesize(Shape(cities=2, counties=3, schools=6), seed=4, years=[2020])
    rng = random.Random(11)
    data_sets = list(DataSet.objects.filter(plan=made.plan).prefetch_related("indicators"))
    schools = list(OrgUnit.objects.filter(kind="school", code__startswith="99"))
    counties = list(OrgUnit.objects.filter(kind="county", code__startswith="99"))
    done: dict[str, int] = {}
    for step in range(80):
        action = rng.choice(
            ["store", "store", "approve", "return", "save", "delete", "create", "update", "bulk"]
        )
        data_set = rng.choice(data_sets)
        school = rng.choice(schools)
        base = [i for i in data_set.indicators.all() if not i.formula]
        stored = list(DataValue.objects.filter(org_unit=school, indicator__in=base))
        try:
            if action == "store" and stored:
                picked = rng.sample(stored, min(3, len(stored)))
                store_values(
                    data_set,
                    picked[0].period,
                    {school.pk: {v.indicator.code: v.value + rng.randint(0, 2) for v in picked}},
                    actor=None,
                    source="测试",
                    check_window=False,
                )
            elif action == "approve" and stored:
                _approve(data_set, school, stored[0].period)
            elif action == "return" and stored:
                take_step(data_set, school, stored[0].period, Step.RETURN, actor=None)
            elif action == "save" and stored:
                value = rng.choice(stored)
                value.value = Decimal(rng.randint(0, 10**6)) / 1000
                value.save()
            elif action == "delete" and stored:
                rng.choice(stored).delete()
            elif action == "create":
                DataValue.objects.create(
                    indicator=rng.choice(base),
                    org_unit=rng.choice(counties + schools),
                    period=f"20{step:02d}",
                    value=Decimal(rng.randint(1, 999)) / 8,
                    status=rng.choice(["draft", "approved"]),
                    entered_at="2021-06-30T00:00:00+08:00",
                )
            elif action == "update" and stored:
                DataValue.objects.filter(org_unit=school, indicator__in=base[:3]).update(
                    value=F("value") + 1, status=rng.choice(["draft", "approved"])
                )
            elif action == "bulk":
                DataValue.objects.bulk_create(
                    DataValue(
                        indicator=indicator,
                        org_unit=school,
                        period=f"19{step:02d}",
                        value=Decimal(rng.randint(1, 99)),
                        status="approved",
                        entered_at="2021-06-30T00:00:00+08:00",
                    )
                    for indicator in base[:4]
                )
            else:
                continue
        except (ValuesRefused, StepRefused):
            done["refused"] = done.get("refused", 0) + 1
            continue
        done[action] = done.get(action, 0) + 1
        assert totals.check() == [], f"after step {step}: {action}"
    assert {"store", "approve", "save", "delete", "create", "update", "bulk"} <= done.keys(), done
    DataValue.objects.filter(org_unit__in=schools[:2]).delete()  # a queryset's delete
    assert totals.check() == []
    moved = schools[-1]
    moved.parent = next(c for c in counties if c.pk != moved.parent_id)
    moved.save()  # a school moved to another county: its values count there now
    assert totals.check() == []
    for county in counties:
        below = descendant_ids(county)
        teachers = next(d for d in data_sets if d.name == "师资队伍")
        students = teachers.indicators.get(code="i037n")
        rows = DataValue.objects.filter(
            indicator=students, org_unit_id__in=below, period="2020", disaggregation=""
        )
        want = sum((r.value for r in rows), Decimal(0)) if rows else None
        rolled = data_set_by_children(teachers, county.parent_id, "2020")
        assert rolled[county.pk]["i037n"] == want
