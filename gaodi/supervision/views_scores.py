"""部门评分 page (issue 5): each department leading tasks of the plan, scored for a period,
ranked, every component with what it counted and passed (scorecards.py says which records).

Who sees what: the work team, the leaders and the inspectors of the place see every row
(Action.VIEW_FINDINGS); a liaison sees its own department's row only; anyone else gets a 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from gaodi.accounts.gate import Action, can, department_of
from gaodi.indicators.periods import PeriodError, quarter_of
from gaodi.today import today

from . import scoring
from .scorecards import scorecards
from .views_access import get_plan, page_context


@login_required
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    sees_all = can(request.user, Action.VIEW_FINDINGS, plan.org_unit_id)
    own = department_of(request.user)
    if not sees_all and own is None:
        raise Http404
    day = today()
    period_id = request.GET.get("period", "").strip() or quarter_of(day)
    error = ""
    try:
        period, as_of, cards = scorecards(plan, period_id, day)
    except PeriodError as exc:
        error = str(exc)
        period_id = quarter_of(day)
        period, as_of, cards = scorecards(plan, period_id, day)
    if not sees_all:
        cards = [c for c in cards if c.department.pk == own]
    weights = [(scoring.LABELS[name], weight) for name, weight in scoring.DEFAULT_WEIGHTS.items()]
    return render(
        request,
        "supervision/scores.html",
        page_context(
            plan,
            period=period,
            period_id=period_id,
            as_of=as_of,
            cards=cards,
            weights=weights,
            error=error,
            sees_all=sees_all,
        ),
    )
