"""The Django side of feed.py: the 专业布局 values of a plan's schools for a year, computed
from their offerings and stored through the indicators app (store_values), school by school."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from gaodi.i18n import _
from gaodi.indicators.collection import ValuesRefused, store_values
from gaodi.indicators.feeding import lock_schools
from gaodi.indicators.models import DataSet, DataValue, Indicator
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan

from .catalogue import LAYOUT_TITLE
from .feed import FED_SOURCE, POINTS_SUFFIX, STUDENTS_SUFFIX, Fed, OfferingFact, layout_values
from .models import LayoutTarget, Offering, SpecialtyIndustry
from .services import Refused, schools_of


@dataclass
class SchoolFed:
    school: OrgUnit
    fed: Fed
    stored: bool = False
    refused: list[str] = field(default_factory=list)


def layout_indicators(plan: Plan) -> tuple[DataSet, dict[str, tuple[str, str]]]:
    """The plan's 专业布局 data set and its indicators by name -> (code, row label)."""
    rows = list(
        dict.fromkeys(
            LayoutTarget.objects.filter(plan=plan)
            .order_by("pk")
            .values_list("row_label", flat=True)
        )
    )
    wanted = {row + suffix: row for row in rows for suffix in (POINTS_SUFFIX, STUDENTS_SUFFIX)}
    found = Indicator.objects.filter(plan=plan, category=LAYOUT_TITLE, name__in=wanted)
    by_name = {indicator.name: indicator.code for indicator in found}
    data_set = DataSet.objects.filter(plan=plan, indicators__in=found).distinct().first()
    if data_set is None or not by_name:
        raise Refused(_("方案没有“二、专业布局”指标，无法写入"))
    ordered = {name: (by_name[name], row) for name, row in wanted.items() if name in by_name}
    return data_set, ordered


def facts_by_school(plan: Plan, schools: list[OrgUnit], year: int) -> dict[int, list[OfferingFact]]:
    """Each school's offerings of the year (schools without any left out), each with the
    plan's 专业布局 rows it serves — three queries whatever the number of schools."""
    label_of = dict(LayoutTarget.objects.filter(plan=plan).values_list("industry_id", "row_label"))
    offerings = list(
        Offering.objects.filter(school__in=schools, year=year)
        .select_related("specialty")
        .order_by("school_id", "specialty__name")
    )
    rows: dict[int, list[str]] = {}
    links = SpecialtyIndustry.objects.filter(specialty__in={o.specialty_id for o in offerings})
    for specialty_id, industry_id in links.values_list("specialty_id", "industry_id"):
        if industry_id in label_of:
            rows.setdefault(specialty_id, []).append(label_of[industry_id])
    found: dict[int, list[OfferingFact]] = {}
    for o in offerings:
        fact = OfferingFact(o.specialty.name, tuple(rows.get(o.specialty_id, [])), o.students)
        found.setdefault(o.school_id, []).append(fact)
    return found


@transaction.atomic
def feed_layout(plan: Plan, year: int, *, actor: Actor) -> list[SchoolFed]:
    """Each school of the plan with offerings that year: its 专业布局 values stored as its
    own (one store per school, all or nothing for that school), or the reason they were not
    (its data locked, or a specialty's 在校生 not reported). An unexpected error stores
    nothing for any school."""
    data_set, indicators = layout_indicators(plan)
    schools = schools_of(plan)
    facts = facts_by_school(plan, schools, year)
    lock_schools(facts)
    results = []
    for school in schools:
        if school.pk not in facts:
            continue
        fed = layout_values(facts[school.pk], indicators)
        result = SchoolFed(school, fed)
        results.append(result)
        if fed.missing_students:
            result.refused = [
                _("{names}未报在校生，学生数无法计算，请先补报").format(
                    names="、".join(fed.missing_students)
                )
            ]
            continue
        values = {value.code: value.value for value in fed.values}
        try:
            store_values(
                data_set,
                str(year),
                {school.pk: values},
                actor=actor,
                source=FED_SOURCE,
                check_window=False,
            )
        except ValuesRefused as refused:
            result.refused = [problem.message for problem in refused.problems]
        else:
            result.stored = True
    return results


@dataclass(frozen=True)
class PreviewRow:
    school: str
    name: str
    computed: Decimal | None  # None: a specialty's 在校生 not reported
    stored: Decimal | None  # the indicator's value of the year, if any
    working: str


def preview(plan: Plan, schools: list[OrgUnit], year: int) -> list[PreviewRow]:
    """What the feed would write for the year beside what the indicators hold now (rows a
    school has no 专业点 for are left out of the table unless a value is stored for them)."""
    try:
        _data_set, indicators = layout_indicators(plan)
    except Refused:
        return []
    stored = {
        (unit_id, code): value
        for unit_id, code, value in DataValue.objects.filter(
            org_unit__in=schools,
            period=str(year),
            indicator__code__in=[code for code, _row in indicators.values()],
            indicator__plan=plan,
        ).values_list("org_unit_id", "indicator__code", "value")
    }
    names = {code: name for name, (code, _row) in indicators.items()}
    rows = []
    facts = facts_by_school(plan, schools, year)
    for school in schools:
        if school.pk not in facts:
            continue
        fed = layout_values(facts[school.pk], indicators)
        computed = {value.code: value for value in fed.values}
        for code, name in names.items():
            value, held = computed.get(code), stored.get((school.pk, code))
            if value is None:  # a 学生数 whose specialties' 在校生 are not all reported
                missing = "、".join(fed.missing_students)
                working = _("{names}未报在校生，无法计算").format(names=missing)
                rows.append(PreviewRow(school.name, name, None, held, working))
            elif value.value or held is not None:  # a row of 0 with nothing stored: left out
                rows.append(PreviewRow(school.name, name, value.value, held, value.working))
    return rows
