"""The indicator registry of a plan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gaodi.accounts.gate import Action, can, get_for_user
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
    return render(
        request,
        "indicators/registry.html",
        {
            "plan": plan,
            "nav_plan": plan,
            "may_enter": may_enter,
            "year": today().year,
            **table,
        },
    )
