"""Values another app computes from its own records (training records, appropriations, the
teacher roster), stored as a school's own indicator values so that nothing is typed twice
(最多报一次). One store per school, all or nothing for that school; data already submitted or
approved is never rewritten: store_values refuses it, and the refusal is returned to be shown.

Also what every feed's preview needs: the values the indicators hold now, and the words for how
a computed value compares with the stored one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext_lazy

from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor

from .collection import ValuesRefused, store_values
from .models import DataSet, DataValue, Indicator

# the previews' 对照 column, translated when shown
AGREE, DISAGREE, NONE_YET = gettext_lazy("一致"), gettext_lazy("不一致"), gettext_lazy("尚无")


def lock_schools(schools: Iterable[OrgUnit | int]) -> None:
    """Before a feed stores school after school in one transaction: every school locked at
    once, in id order, as each store locks its own (PostgreSQL; SQLite holds the whole
    database's write lock). Else the feed, holding its county's live totals after a first
    school, could wait for a school whose clerk is saving a form that waits for those
    totals: a deadlock, and one of the two would fail."""
    ids = sorted(s if isinstance(s, int) else s.pk for s in schools)
    if ids and connection.vendor == "postgresql":
        locked = OrgUnit.objects.select_for_update(no_key=True).filter(pk__in=ids)
        list(locked.order_by("pk").values_list("pk", flat=True))


def store_school(
    data_set: DataSet,
    period: str,
    school_id: int,
    values: Mapping[str, Decimal],
    *,
    actor: Actor,
    source: str,
) -> list[str]:
    """Store one school's computed values (by indicator code) as its own for `period`;
    returns the reasons they were refused (empty when stored)."""
    try:
        store_values(
            data_set,
            period,
            {school_id: dict(values)},
            actor=actor,
            source=source,
            check_window=False,
        )
    except ValuesRefused as refused:
        return [problem.message for problem in refused.problems]
    return []


def held_values(
    indicators: Iterable[Indicator], schools: Iterable[OrgUnit | int], period: str
) -> dict[tuple[int, str], Decimal]:
    """What the indicators hold now for the schools and period, by (school id, indicator
    code); whole-value rows only (no disaggregation)."""
    return {
        (unit_id, code): value
        for unit_id, code, value in DataValue.objects.filter(
            org_unit__in=list(schools),
            period=period,
            indicator__in=list(indicators),
            disaggregation="",
        ).values_list("org_unit_id", "indicator__code", "value")
    }
