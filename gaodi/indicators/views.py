"""The indicator registry of a plan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gaodi.accounts.choices import Role
from gaodi.accounts.gate import Action, can, get_for_user, memberships
from gaodi.orgs.tree import descendant_ids
from gaodi.plans.models import Plan
from gaodi.today import today

from .queries import registry_rows


@login_required
def registry(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    [table] = registry_rows(plan)
    may_enter = can(request.user, Action.ENTER, plan.org_unit_id)
    below = set(descendant_ids(plan.org_unit))
    places = [
        m.org_unit
        for m in memberships(request.user)
        if m.role == Role.SCHOOL and m.org_unit_id in below
    ]
    return render(
        request,
        "indicators/registry.html",
        {
            "plan": plan,
            "nav_plan": plan,
            "may_enter": may_enter,
            "places": places,
            "year": today().year,
            **table,
        },
    )
