"""Reads of 评价与成果, scoped like the 专业预警 page (specialties.queries.visible_schools): the
work team, leaders and inspectors of the plan's place see every school of the plan; a school's
clerk his own school; anyone else 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan, Target
from gaodi.specialties.queries import visible_schools

from . import achievements as rules
from . import competitions, evaluation
from .models import Achievement, CompetitionAward, EvaluationResult, ParameterSetVersion
from .services import DEFAULT_KINDS, DEFAULT_POINTS, kinds_in_force, points_tables
from .versions import select_version

__all__ = ["visible_schools"]


def plan_targets(plan: Plan) -> list[rules.PlanTarget]:
    """The plan's parsed targets (body tasks first, then the task list's rows), as the pure
    module takes them."""
    found = Target.objects.filter(Q(task__plan=plan) | Q(list_item__plan=plan)).order_by(
        "list_item", "pk"
    )
    return [
        rules.PlanTarget(
            clause=t.clause,
            phrase=t.phrase,
            value=t.value,
            measure=t.unit,
            comparator=t.comparator,
            subject=t.subject,
        )
        for t in found
    ]


def achievements_of(plan: Plan, schools: list[OrgUnit]) -> list[Achievement]:
    return list(
        Achievement.objects.filter(plan=plan, school__in=schools)
        .select_related("school", "specialty")
        .order_by("kind", "approved_on", "pk")
    )


@dataclass(frozen=True)
class TallyView:
    tally: rules.Tally
    sentences: list[str]
    note: str
    credit_bank: bool = False  # counted from the credit bank (the page links there)


def tallies(
    plan: Plan, schools: list[OrgUnit], as_of: date, code: str = DEFAULT_KINDS
) -> tuple[rules.KindSet | None, list[TallyView]]:
    """Each kind counted as of a day with the kind set version in force that day."""
    kinds = kinds_in_force(as_of, code)
    if kinds is None:
        return None, []
    from_bank = {kind.code for kind in kinds.kinds if kind.from_credit_bank}
    found = [
        rules.Achievement(a.kind, a.name, a.school.name, a.approved_on, a.doc_number)
        for a in achievements_of(plan, schools)
        if a.kind not in from_bank  # typed records of such a kind are not counted twice
    ]
    for kind in kinds.kinds:
        if kind.from_credit_bank:
            found.extend(rules.credit_bank_pilots(kind, credit_bank_outcomes(schools)))
    counted = rules.tally(kinds, found, plan_targets(plan), as_of)
    return kinds, [
        TallyView(
            t,
            rules.explain(t, plan.doc_number),
            kinds.kind(t.kind).note,  # type: ignore[union-attr]
            t.kind in from_bank,
        )
        for t in counted
    ]


def credit_bank_outcomes(schools: list[OrgUnit]) -> list[rules.CreditBankOutcome]:
    """The credit bank's learning outcomes at these schools (gaodi.credits: imported here, as
    the credit bank reads the plan's targets from this app)."""
    from gaodi.credits.queries import pilot_outcomes

    return pilot_outcomes(schools)


@dataclass(frozen=True)
class EvaluationView:
    result: EvaluationResult
    composite: evaluation.Composite
    sentences: list[str]
    is_example: bool


def evaluation_results(plan: Plan, schools: list[OrgUnit], year: int) -> list[EvaluationView]:
    results = (
        EvaluationResult.objects.filter(plan=plan, school__in=schools, year=year)
        .select_related("school")
        .order_by("rank", "school__code")
    )
    examples = {
        (v.code, v.version): "示例" in v.source
        for v in ParameterSetVersion.objects.filter(kind=ParameterSetVersion.Kind.WEIGHTS)
    }
    views = []
    for result in results:
        found = evaluation.Composite.from_json(result.working)
        views.append(
            EvaluationView(
                result,
                found,
                evaluation.explain(found, plan.doc_number),
                examples.get((result.weight_set_code, result.weight_set_version), False),
            )
        )
    # results with a composite first (by rank), the uncomputable last
    return sorted(views, key=lambda v: (v.result.rank is None, v.result.rank or 0))


def awards_of(plan: Plan, schools: list[OrgUnit]) -> list[CompetitionAward]:
    return list(
        CompetitionAward.objects.filter(plan=plan, school__in=schools)
        .select_related("school")
        .order_by("-year", "school__code", "pk")
    )


@dataclass(frozen=True)
class SummaryView:
    summary: competitions.Summary
    sentences: list[str]


def competition_summaries(
    plan: Plan, schools: list[OrgUnit], code: str = DEFAULT_POINTS
) -> tuple[list[SummaryView], list[competitions.PointsTable]]:
    """Per school and year, with the points table in force on 31 December of the year."""
    tables = points_tables()
    awards = sorted(awards_of(plan, schools), key=lambda a: (a.school.code, a.year, a.pk))
    views: list[SummaryView] = []
    used: list[competitions.PointsTable] = []
    for year in sorted({a.year for a in awards}):
        table = select_version(tables, date(year, 12, 31), code)
        if table is not None and table not in used:
            used.append(table)
        found = [
            competitions.Award(
                a.school.name, a.year, a.name, a.level, a.grade, a.category, a.participants
            )
            for a in awards
            if a.year == year
        ]
        views.extend(
            SummaryView(s, competitions.explain(s, plan.doc_number))
            for s in competitions.summarise(found, table)
        )
    return views, used
