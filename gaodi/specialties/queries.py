"""Reads of the specialty warnings, scoped by the gate: who sees which schools' results."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from gaodi.accounts.gate import Action, User, can
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan

from .alignment import Alignment, alignment
from .models import LayoutTarget, Offering, RuleSetVersion, SpecialtyIndustry, WarningResult
from .presets import EXAMPLE
from .services import schools_of, usable_rule_sets
from .warning import CONSEQUENCE_LABELS, Finding, explain

OUTCOMES = {
    "met": "不达标",
    "not_met": "达标",
    "missing": "缺报（中断连续）",
    "uncomputable": "无法计算（中断连续）",
    "skipped": "缺报（跳过）",
}


def visible_schools(user: User, plan: Plan) -> list[OrgUnit]:
    """The work team, leaders and inspectors of the place (Action.READ_VALUES there) see every
    school of the plan; a school's clerk his own school only; anyone else: 404."""
    schools = schools_of(plan)
    if not can(user, Action.READ_VALUES, plan.org_unit_id):
        schools = [school for school in schools if can(user, Action.READ_VALUES, school.pk)]
        if not schools:
            raise Http404
    return schools


def latest_rule_sets(plan: Plan) -> list[RuleSetVersion]:
    """The latest version of every rule set the plan's place may judge by (the presets, its
    own, those of the places above it), presets first."""
    versions = usable_rule_sets(plan.org_unit).order_by("code", "-version")
    latest: dict[str, RuleSetVersion] = {}
    for version in versions:
        latest.setdefault(version.code, version)
    return sorted(latest.values(), key=lambda v: (v.owner_id is not None, v.code))


def is_example(version: RuleSetVersion) -> bool:
    """A rule set whose name or source says 示例 (the page labels it so)."""
    return EXAMPLE in version.source or EXAMPLE in version.name


def rule_set_history(plan: Plan) -> list[RuleSetVersion]:
    """Every version of the rule sets usable at the plan's place, newest first within a code."""
    found = usable_rule_sets(plan.org_unit).select_related("owner")
    return sorted(found, key=lambda v: (v.owner_id is not None, v.code, -v.version))


def results_for(
    plan: Plan, schools: list[OrgUnit], as_of_year: int, code: str
) -> list[WarningResult]:
    return list(
        WarningResult.objects.filter(
            plan=plan, school__in=schools, as_of_year=as_of_year, rule_set_code=code
        )
        .select_related("school", "specialty")
        .order_by("school__code", "specialty__name")
    )


@dataclass(frozen=True)
class Working:
    """One finding as the page shows it: the rule, its verdict and the sentences of the working."""

    rule_name: str
    consequence: str
    fired: bool
    triggered: bool
    exemption: str
    source: str
    sentences: list[str]
    years: list[tuple[int, str, list[str]]]  # year, outcome, the checks' sentences


def decision_label(result: WarningResult) -> str:
    return str(CONSEQUENCE_LABELS[result.consequence]) if result.consequence else "正常"


def workings(result: WarningResult) -> list[Working]:
    found = []
    for data in result.findings:
        finding = Finding.from_json(data)
        found.append(
            Working(
                rule_name=finding.rule.name,
                consequence=finding.rule.consequence_label,
                fired=finding.fired,
                triggered=finding.triggered,
                exemption=finding.exemption_text,
                source=finding.rule.source,
                sentences=explain(finding),
                years=[
                    (
                        step.year,
                        OUTCOMES.get(step.outcome, step.outcome),
                        [c.text for c in step.checks],
                    )
                    for step in finding.steps
                ],
            )
        )
    return found


@dataclass(frozen=True)
class LayoutRow:
    """附件2 二、专业布局 for one industry and year as the plan prints it (None = blank in the
    plan), beside what the schools report for the specialties serving that industry."""

    industry: str
    year: int
    specialties: str
    points: int | None
    students: int | None
    actual_points: int  # the schools' 专业点 of the industry that year
    actual_students: int | None  # their 在校生, None when none of them reported it


def layout_rows(plan: Plan, schools: list[OrgUnit]) -> tuple[list[LayoutRow], list[str]]:
    """The plan's layout targets in its order, each with the schools' actual numbers, and the
    sources of those numbers (【演示数据】, 录入...)."""
    targets = list(LayoutTarget.objects.filter(plan=plan).order_by("pk"))
    serving: dict[int, set[int]] = {}
    for link in SpecialtyIndustry.objects.filter(industry__in={t.industry_id for t in targets}):
        serving.setdefault(link.industry_id, set()).add(link.specialty_id)
    offerings = list(Offering.objects.filter(school__in=schools))
    rows = []
    for target in targets:
        found = [
            o
            for o in offerings
            if o.year == target.year and o.specialty_id in serving.get(target.industry_id, ())
        ]
        reported = [o.students for o in found if o.students is not None]
        rows.append(
            LayoutRow(
                industry=target.row_label,
                year=target.year,
                specialties=target.specialties,
                points=target.points,
                students=target.students,
                actual_points=len(found),
                actual_students=sum(reported) if reported else None,
            )
        )
    return rows, sorted({o.source for o in offerings})


def alignment_of(plan: Plan, schools: list[OrgUnit], year: int) -> Alignment:
    """专业与产业对接 of one year (alignment.py): the plan's 专业布局 targets by the table's
    rows, against the students of the schools' specialties that serve each row's industry."""
    targets = list(LayoutTarget.objects.filter(plan=plan, year=year).order_by("pk"))
    serving: dict[int, set[str]] = {}
    for industry_id, name in SpecialtyIndustry.objects.filter(
        industry__in={t.industry_id for t in targets}
    ).values_list("industry_id", "specialty__name"):
        serving.setdefault(industry_id, set()).add(name)
    offerings = list(
        Offering.objects.filter(school__in=schools, year=year).select_related("specialty")
    )
    actuals: dict[str, int | None] = {}
    for target in targets:
        reported = [
            o.students
            for o in offerings
            if o.students is not None and o.specialty.name in serving.get(target.industry_id, ())
        ]
        actuals[target.row_label] = sum(reported) if reported else None
    return alignment(
        year,
        {t.row_label: t.students for t in targets},
        actuals,
        {t.row_label: serving.get(t.industry_id, set()) for t in targets},
        {o.specialty.name for o in offerings},
    )
