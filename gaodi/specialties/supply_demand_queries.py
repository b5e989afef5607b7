"""Reads of 供求信息 (重点任务（八）): the stored parameter sets, the pure engine's inputs from the
declarations and the offerings of the schools a reader may see, and the published bulletins."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan

from .models import (
    DemandDeclaration,
    Offering,
    SpecialtyIndustry,
    SupplyDemandBulletin,
    SupplyDemandParameters,
)
from .supply_demand import (
    Cohort,
    Declaration,
    Parameters,
    SupplyDemand,
    example_parameters,
    select_parameters,
    supply_demand,
)


def places_up(place: OrgUnit) -> list[int]:
    """The place and the places above it, nearest first."""
    chain, unit = [], place
    while unit is not None:
        chain.append(unit.pk)
        unit = unit.parent
    return chain


def parameters_in_force(day: date, place: OrgUnit | None = None) -> Parameters | None:
    """The parameter set a computation made on `day` for `place` uses: the nearest place's
    own set in force that day (the county's, else the city's...), else the built-in 示例 set."""
    chain = places_up(place) if place is not None else []
    stored = list(SupplyDemandParameters.objects.filter(Q(owner__isnull=True) | Q(owner__in=chain)))
    for owner in [*chain, None]:
        versions = [Parameters.from_json(p.parameters) for p in stored if p.owner_id == owner]
        if owner is None and not versions:  # not seeded yet: the same set the seed stores
            versions = [example_parameters()]
        found = select_parameters(versions, day)
        if found is not None:
            return found
    return None


def parameter_history(place: OrgUnit) -> list[SupplyDemandParameters]:
    """Every stored version the place may use (built-in, its own, the places above), newest
    first within each set."""
    chain = places_up(place)
    found = SupplyDemandParameters.objects.filter(Q(owner__isnull=True) | Q(owner__in=chain))
    return list(found.select_related("owner").order_by("owner_id", "code", "-version"))


def declarations_of(plan: Plan, year: int | None = None) -> list[DemandDeclaration]:
    found = DemandDeclaration.objects.filter(plan=plan).select_related(
        "enterprise", "specialty", "industry"
    )
    if year is not None:
        found = found.filter(year=year)
    return list(found.order_by("year", "enterprise__name", "specialty__name"))


def compute(plan: Plan, schools: list[OrgUnit], year: int, parameters: Parameters) -> SupplyDemand:
    """供求 of `year`: every declaration of the plan against the offerings of `schools`."""
    declarations = [
        Declaration(d.enterprise.name, d.specialty.name, d.industry.name, d.year, d.headcount)
        for d in declarations_of(plan)
    ]
    offerings = (
        Offering.objects.filter(school__in=schools)
        .select_related("school", "specialty")
        .order_by("school__code", "specialty__name", "year")
    )
    cohorts = [
        Cohort(o.school.name, o.specialty.name, o.year, o.graduates, o.enrolment) for o in offerings
    ]
    served_by: dict[str, set[str]] = {}
    for industry, specialty in SpecialtyIndustry.objects.values_list(
        "industry__name", "specialty__name"
    ):
        served_by.setdefault(industry, set()).add(specialty)
    return supply_demand(year, declarations, cohorts, served_by, parameters)


def bulletins_of(plan: Plan) -> list[SupplyDemandBulletin]:
    return list(SupplyDemandBulletin.objects.filter(plan=plan).order_by("-published_at", "-pk"))
