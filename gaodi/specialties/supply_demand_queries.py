"""Reads of 供求信息 (重点任务（八）): the stored parameter sets, the pure engine's inputs from the
declarations and the offerings of the schools a reader may see, and the published bulletins."""

from __future__ import annotations

from datetime import date

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


def parameter_versions() -> list[Parameters]:
    """Every stored version; the built-in 示例 set when none is stored yet (same code and
    version as the one `seed_supply_demand_parameters` stores)."""
    stored = [Parameters.from_json(p.parameters) for p in SupplyDemandParameters.objects.all()]
    return stored or [example_parameters()]


def parameters_in_force(day: date) -> Parameters | None:
    """The parameter set a computation made on `day` uses."""
    return select_parameters(parameter_versions(), day)


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
