"""Reads of the specialty warnings, scoped by the gate: who sees which schools' results."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from gaodi.accounts.gate import Action, User, can
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan

from .models import RuleSetVersion, WarningResult
from .services import schools_of
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


def latest_rule_sets() -> list[RuleSetVersion]:
    """Every rule set code with its versions, the newest first within a code."""
    return list(RuleSetVersion.objects.order_by("code", "-version"))


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
