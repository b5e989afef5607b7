"""Reads of the 产教融合型企业 register, scoped by the access gate.

Who reads: every member of the plan's place and the places above it (gaodi.accounts.gate,
Action.VIEW at the plan's place) — the work team, the leaders, the inspectors and the
departments' liaisons (区发改局、区教体局、区财政局、区税务局 are the responsible departments of
任务清单 24–25). A school's clerk (his place is the school) and another county: 404. An
enterprise's own people (members of its org unit, is_own) read that enterprise's page only."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaodi.accounts.gate import Action, User, acts_at, can
from gaodi.orgs.tree import descendant_ids
from gaodi.plans.models import Plan

from . import certification, credit
from .models import IntegrationEnterprise
from .services import chooser, parameter_versions


def check_reader(user: User, plan: Plan) -> None:
    if not can(user, Action.VIEW, plan.org_unit_id):
        raise Http404


def may_write(user: User, plan: Plan) -> bool:
    """The work team of the place (Action.REVIEW) keeps the register."""
    return can(user, Action.REVIEW, plan.org_unit_id)


def is_own(user: User, profile: IntegrationEnterprise) -> bool:
    """A member of the enterprise's own org unit (given the `enterprise` role there once the
    work team opened it): he reads his enterprise's page and declares its investment."""
    return profile.org_unit_id is not None and acts_at(user, Action.VIEW, profile.org_unit_id)


def register_of(plan: Plan, status: str = "") -> list[IntegrationEnterprise]:
    """The enterprises on the registers of the plan's place and the places under it, with
    their steps and cooperation loaded; `status` keeps those whose current step is it
    ("未申请": none yet)."""
    found = list(
        IntegrationEnterprise.objects.filter(place_id__in=descendant_ids(plan.org_unit))
        .select_related("enterprise", "place")
        .prefetch_related(
            "steps",
            "investments",
            "surcharges",
            "cooperations__school",
            "cooperations__specialty",
        )
        .order_by("enterprise__name")
    )
    if status:
        found = [p for p in found if status_of(p) == status]
    return found


def get_profile(plan: Plan, pk: int) -> IntegrationEnterprise:
    found = (
        IntegrationEnterprise.objects.filter(place_id__in=descendant_ids(plan.org_unit), pk=pk)
        .select_related("enterprise", "place")
        .first()
    )
    if found is None:
        raise Http404
    return found


NOT_APPLIED = "未申请"  # the status key of an enterprise with no step yet (as certification.STATES)
NOT_APPLIED_LABEL = gettext_lazy("未申请")


def steps_of(profile: IntegrationEnterprise) -> list[certification.Step]:
    """The steps, from the prefetched rows when there are."""
    rows = sorted(profile.steps.all(), key=lambda s: (s.on, s.pk))
    return [certification.Step(s.state, s.on, s.level, s.source, s.reason) for s in rows]


def status_of(profile: IntegrationEnterprise) -> str:
    last = certification.current(steps_of(profile))
    return last.state if last else NOT_APPLIED


def state_label(state: str) -> str:
    """A status key (a certification state or NOT_APPLIED) as the pages read it."""
    if state == NOT_APPLIED:
        return str(NOT_APPLIED_LABEL)
    return certification.STATE_LABELS.get(state, state)


def level_label(level: str) -> str:
    return certification.LEVEL_LABELS.get(level, level)


def step_label(state: str, level: str) -> str:
    """省级 + 培育（纳入建设培育范围）; a state without a level alone."""
    if not level:
        return state_label(state)
    return _("{level}{state}").format(level=level_label(level), state=state_label(state))


def status_label(profile: IntegrationEnterprise) -> str:
    last = certification.current(steps_of(profile))
    if last is None:
        return state_label(NOT_APPLIED)
    return step_label(last.state, last.level)


@dataclass(frozen=True)
class LedgerView:
    ledger: credit.Ledger
    sentences: list[str]
    periods: list[certification.Period]


def ledger_of(
    profile: IntegrationEnterprise,
    versions: list[credit.CreditParameters] | None = None,
    choose: credit.Choose | None = None,
) -> LedgerView:
    """The estimated credit ledger of an enterprise, from its declarations, its surcharges
    and its certification periods, each year with the parameter version in force on its
    31 December (the place's own set, else its city's..., else the preset's)."""
    eligible: dict[int, int] = {}
    other: dict[int, int] = {}
    for declaration in profile.investments.all():
        chosen = eligible if declaration.eligible else other
        chosen[declaration.year] = chosen.get(declaration.year, 0) + declaration.amount
    surcharges = {s.year: s for s in profile.surcharges.all()}
    figures = [
        credit.YearFigures(
            year,
            eligible.get(year, 0),
            other.get(year, 0),
            surcharges[year].education_surcharge if year in surcharges else None,
            surcharges[year].local_education_surcharge if year in surcharges else None,
        )
        for year in sorted(set(eligible) | set(other) | set(surcharges))
    ]
    periods = certification.periods(steps_of(profile))
    chosen = parameter_versions() if versions is None else versions
    found = credit.ledger(figures, periods, chosen, choose=choose or chooser(profile.place))
    return LedgerView(found, credit.explain(found, profile.enterprise.name), periods)


@dataclass(frozen=True)
class PlaceCredit:
    """Each enterprise's ledger and the place's totals of revenue forgone."""

    ledgers: list[tuple[IntegrationEnterprise, LedgerView]]
    totals: credit.DistrictTotals


def place_credit(profiles: list[IntegrationEnterprise]) -> PlaceCredit:
    """The ledgers of the enterprises (register_of: the place's and those under it), with
    the parameters read once, and 减少的附加收入（估算） summed per year over them."""
    versions = parameter_versions()
    choosers: dict[int, credit.Choose] = {}
    found = []
    for profile in profiles:
        if profile.place_id not in choosers:
            choosers[profile.place_id] = chooser(profile.place)
        found.append((profile, ledger_of(profile, versions, choosers[profile.place_id])))
    return PlaceCredit(found, credit.district_totals(view.ledger for _p, view in found))
