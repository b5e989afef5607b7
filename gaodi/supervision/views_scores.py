"""部门评分 page (issue 5): each department leading tasks of the plan, scored for a period,
ranked, every component with what it counted and passed (scorecards.py says which records),
and the weights in use.

Who sees what: the work team, the leaders and the inspectors of the place see every row
(Action.VIEW_FINDINGS); a liaison sees its own department's row only; anyone else gets a 404.
Only the work team (Action.REVIEW) changes the weights (score_weights.set_weights); everyone
else sees them read-only, and a POST from anyone else is the same 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from gaodi.accounts.gate import Action, can, department_of
from gaodi.indicators.periods import PeriodError, quarter_of
from gaodi.plans.models import Plan
from gaodi.today import today

from . import scoring
from .handover import Refused
from .score_weights import is_custom, set_weights, weights_of, weights_token
from .scorecards import scorecards
from .views_access import get_plan, is_manager, page_context


@login_required
def scores(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    sees_all = can(request.user, Action.VIEW_FINDINGS, plan.org_unit_id)
    own = department_of(request.user)
    if not sees_all and own is None:
        raise Http404
    may_edit = is_manager(request, plan)
    entered: dict[str, str] = {}
    if request.method == "POST":
        if not may_edit:
            raise Http404
        entered = {name: request.POST.get(name, "") for name in scoring.DEFAULT_WEIGHTS}
        try:
            set_weights(plan, entered, actor=request.user, seen=request.POST.get("weights_seen"))
        except Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已保存评分权重"))
            return redirect(_back(plan, request.POST.get("period", "")))
    return _page(request, plan, sees_all=sees_all, own=own, may_edit=may_edit, entered=entered)


def _back(plan: Plan, period_id: str) -> str:
    url = reverse("supervision:scores", args=[plan.pk])
    return f"{url}?{urlencode({'period': period_id})}" if period_id.strip() else url


def _page(
    request: HttpRequest,
    plan: Plan,
    *,
    sees_all: bool,
    own: int | None,
    may_edit: bool,
    entered: dict[str, str],
) -> HttpResponse:
    day = today()
    source = request.POST if request.method == "POST" else request.GET
    period_id = source.get("period", "").strip() or quarter_of(day)
    error = ""
    weights = weights_of(plan)
    try:
        period, as_of, cards = scorecards(plan, period_id, day, weights)
    except PeriodError as exc:
        error = str(exc)
        period_id = quarter_of(day)
        period, as_of, cards = scorecards(plan, period_id, day, weights)
    if not sees_all:
        cards = [c for c in cards if c.department.pk == own]
    rows = [
        (name, scoring.LABELS[name], weight, entered.get(name, str(weight)))
        for name, weight in weights.items()
    ]
    return render(
        request,
        "supervision/scores.html",
        page_context(
            plan,
            period=period,
            period_id=period_id,
            as_of=as_of,
            cards=cards,
            weights=rows,
            custom_weights=is_custom(plan),
            weights_seen=request.POST.get("weights_seen") or weights_token(plan),
            may_edit=may_edit,
            max_weight=scoring.MAX_WEIGHT,
            error=error,
            sees_all=sees_all,
        ),
    )
