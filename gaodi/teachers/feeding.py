"""The 附件2 三、师资队伍 values of a plan's schools for a year, computed from the teacher records
and stored through the indicators app (store_values), school by school, so that nothing is
typed twice (最多报一次). Submitted or approved data is never rewritten: store_values refuses
it, and the page says so. 在校生 is not this app's: it is read, never written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.indicators.feeding import (
    AGREE,
    DISAGREE,
    NONE_YET,
    held_values,
    lock_schools,
    store_school,
)
from gaodi.indicators.models import DataSet
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan

from . import counts, rules
from .queries import fact, teachers_indicators, teachers_of
from .services import Refused, rules_for

SAME, DIFFERENT, NOTHING = "same", "different", "nothing"
AGREEMENT = {SAME: AGREE, DIFFERENT: DISAGREE, NOTHING: NONE_YET}


@dataclass(frozen=True)
class FeedRow:
    school: OrgUnit
    code: str
    name: str
    computed: Decimal
    stored: Decimal | None
    working: str

    @property
    def agreement(self) -> str:
        if self.stored is None:
            return NOTHING
        return SAME if self.stored == self.computed else DIFFERENT

    @property
    def agreement_label(self) -> str:
        return str(AGREEMENT[self.agreement])

    @property
    def computed_shown(self) -> int | Decimal:
        return _plain(self.computed)

    @property
    def stored_shown(self) -> int | Decimal | None:
        return None if self.stored is None else _plain(self.stored)


def _plain(value: Decimal) -> int | Decimal:
    """A count as a whole number (for the `grouped` filter: 1,202 not 1202.0000); anything
    else to two decimals at most, exact."""
    if value == value.to_integral_value():
        return int(value)
    return value.quantize(Decimal("0.01")).normalize()


@dataclass
class SchoolFed:
    school: OrgUnit
    stored: bool = False
    refused: list[str] = field(default_factory=list)


def _computed(
    plan: Plan, schools: list[OrgUnit], year: int, as_of: date
) -> dict[int, list[counts.FedValue]]:
    chosen = rules_for(plan.org_unit, as_of)
    if chosen is None:
        return {}
    by_school: dict[int, list[rules.TeacherFact]] = {}
    for t in teachers_of(schools):
        by_school.setdefault(t.school_id, []).append(fact(t))
    return {
        pk: counts.indicator_values(found, year, chosen, as_of) for pk, found in by_school.items()
    }


def preview(plan: Plan, schools: list[OrgUnit], year: int, as_of: date) -> list[FeedRow]:
    """What the feed would write for the year beside what the indicators hold now (a school
    without teacher records is left out: nothing to compute from)."""
    indicators = teachers_indicators(plan)
    computed = _computed(plan, schools, year, as_of)
    stored = held_values(indicators.values(), schools, str(year))
    rows = []
    for school in schools:
        for value in computed.get(school.pk, []):
            indicator = indicators.get(value.role)
            if indicator is None:
                continue
            held = stored.get((school.pk, indicator.code))
            rows.append(
                FeedRow(school, indicator.code, indicator.name, value.value, held, value.working)
            )
    return rows


@transaction.atomic
def feed_teachers(
    plan: Plan, schools: list[OrgUnit], year: int, as_of: date, *, actor: Actor
) -> list[SchoolFed]:
    """Each school with teacher records: its 师资队伍 parts stored as its own values of the
    year (one store per school, all or nothing for that school), or why not."""
    indicators = teachers_indicators(plan)
    if not indicators:
        raise Refused(_("方案没有“三、师资队伍”指标，无法写入"))
    data_set = (
        DataSet.objects.filter(plan=plan, indicators__in=indicators.values()).distinct().first()
    )
    if data_set is None:
        raise Refused(_("方案没有“三、师资队伍”填报表，无法写入"))
    computed = _computed(plan, schools, year, as_of)
    lock_schools(computed)
    results = []
    for school in schools:
        if school.pk not in computed:
            continue
        values = {
            indicators[v.role].code: v.value for v in computed[school.pk] if v.role in indicators
        }
        result = SchoolFed(school)
        results.append(result)
        result.refused = store_school(
            data_set, str(year), school.pk, values, actor=actor, source=_("由教师名册计算")
        )
        result.stored = not result.refused
    return results
