"""红黄绿灯: every task of a plan with its light and reasons, and the printable 三色督办单."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gaodi.accounts.gate import Action, get_for_user, plan_unit_ids
from gaodi.plans.models import Plan
from gaodi.today import today

from .board import plan_lights
from .lights import DEFAULT_THRESHOLDS, supervision_sheet_rows


@login_required
def lights(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    places = plan_unit_ids(request.user)
    if -1 not in places and plan.org_unit_id not in places:
        # A public plan's text is anybody's; its lights (from the reports, chases and findings
        # of its departments) are for the people of its place (there, above it or below it).
        raise Http404
    day = today()
    rows = plan_lights(plan, day)
    wanted = request.GET.get("colour", "")
    shown = [row for row in rows if not wanted or row.light.colour == wanted]
    counts = {
        colour: sum(1 for r in rows if r.light.colour == colour)
        for colour in ("red", "amber", "green", "grey")
    }
    template = "supervision/sheet.html" if request.GET.get("sheet") else "supervision/lights.html"
    return render(
        request,
        template,
        {
            "plan": plan,
            "nav_plan": plan,
            "rows": shown,
            "counts": counts,
            "wanted": wanted,
            "today": day,
            "thresholds": DEFAULT_THRESHOLDS,
            "sheet": supervision_sheet_rows((r.task.label, r.light) for r in rows),
        },
    )
