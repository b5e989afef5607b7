"""写入专业布局指标 (POST, the work team of the place; anyone else 404): the 专业布局 values of
the plan's schools for a year, computed from their offerings (feed.py) and stored through the
indicators app, so that no school types them a second time."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can

from .feeding import feed_layout
from .services import Refused
from .views import visible_plan, year_param


@login_required
@require_POST
def feed(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    year = year_param(request.POST.get("year", ""))
    if year is None:
        messages.error(request, _("请填写年份（2000–2100）"))
        return redirect("specialties:warnings", pk)
    try:
        results = feed_layout(plan, year, actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        results = []
    for result in results:
        if result.stored:
            messages.success(
                request,
                _("{school}：已按专业点数据写入 {year} 年专业布局指标 {n} 项").format(
                    school=result.school.name, year=year, n=len(result.fed.values)
                ),
            )
        else:
            messages.error(
                request,
                _("{school}：未写入，{why}").format(
                    school=result.school.name, why="；".join(result.refused)
                ),
            )
    if not results:
        messages.info(
            request, _("{year} 年没有学校报送专业点数据，未写入任何指标").format(year=year)
        )
    query = urlencode({"year": year, "rule_set": request.POST.get("rule_set", "")})
    return redirect(reverse("specialties:warnings", args=[pk]) + "?" + query + "#feed")
