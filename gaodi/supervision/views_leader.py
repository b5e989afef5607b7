"""领导驾驶舱 (issue 5): one page with the whole plan's state as of today (overview.py says
where each figure comes from), each part linking to the page that explains it.

Who sees it: the leaders, the work team and the inspectors of the plan's place
(Action.VIEW_FINDINGS), read-only; a department's liaison, a school and anyone else get the
same 404 as for a missing page, as on the other supervision pages.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from gaodi.accounts.gate import Action, can
from gaodi.today import today

from .models import PublishedReport
from .overview import charts, plan_overview
from .views_access import get_plan, page_context


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    if not can(request.user, Action.VIEW_FINDINGS, plan.org_unit_id):
        raise Http404
    found = plan_overview(plan, today())
    return render(
        request,
        "supervision/leader.html",
        page_context(
            plan,
            overview=found,
            charts=charts(found),
            report_url=_report_url(found.latest_report),
        ),
    )


def _report_url(report: PublishedReport | None) -> str:
    """The public page of the latest published report (the portal's archive, by id)."""
    return reverse("portal:report", args=[report.pk]) if report else ""
