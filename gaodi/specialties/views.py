"""专业预警 page (重点任务（八）): per school and specialty of the plan, the decision of the chosen
rule set as of a year (预警/调减/停招/撤销 or 正常) with the whole working and its 依据.

Who sees it (gaodi.accounts.gate, Action.READ_VALUES): the work team, the leaders and the
inspectors of the plan's place see every school; a school's clerk his own school only; anyone
else gets the same 404 as for a missing plan. Results are computed by services.run_warnings:
the demo, `gaodi warnings`, and the page's "重新计算" (POST, the work team of the place only
(Action.REVIEW); anyone else the same 404).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can, get_for_user
from gaodi.plans.models import Plan
from gaodi.today import today

from .feeding import preview
from .queries import (
    alignment_of,
    decision_label,
    is_example,
    latest_rule_sets,
    layout_rows,
    results_for,
    visible_schools,
    workings,
)
from .services import Refused, run_warnings

DEFAULT_CODE = "chiping-example"


def visible_plan(request: HttpRequest, pk: int) -> Plan:
    """The plan, if the user may read it (404 otherwise); shared by every specialties page."""
    return get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )


def year_param(text: str) -> int | None:
    """A year from a query parameter, None unless it is 2000–2100."""
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


@login_required
def warnings(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    schools = visible_schools(request.user, plan)
    versions = latest_rule_sets(plan)
    codes = [v.code for v in versions]
    code = request.GET.get("rule_set", DEFAULT_CODE)
    if code not in codes:
        code = DEFAULT_CODE
    year = year_param(request.GET.get("year", "")) or today().year
    results = results_for(plan, schools, year, code)
    rows = [(r, decision_label(r), workings(r)) for r in results]
    chooser = [(v, is_example(v)) for v in versions]
    layout, layout_sources = layout_rows(plan, schools)
    return render(
        request,
        "specialties/warnings.html",
        {
            "plan": plan,
            "chooser": chooser,
            "code": code,
            "year": year,
            "rows": rows,
            "schools": schools,
            "layout": layout,
            "layout_source": f"{plan.doc_number} 附件2 二、专业布局",
            "layout_sources": layout_sources,
            "alignment": alignment_of(plan, schools, year),
            "feed": preview(plan, schools, year),
            "may_recompute": can(request.user, Action.REVIEW, plan.org_unit_id),
        },
    )


@login_required
@require_POST
def recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """重新计算: the warnings of the plan's schools as of the chosen year with the chosen rule
    set, replacing that year's results of the set (services.run_warnings, with its records)."""
    plan = visible_plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    code = request.POST.get("rule_set", "")
    year = year_param(request.POST.get("year", ""))
    if year is None or code not in {v.code for v in latest_rule_sets(plan)}:
        messages.error(request, _("请选择规则集并填写评估年份（2000–2100）"))
        return redirect("specialties:warnings", pk)
    try:
        results = run_warnings(plan, year, code, actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        flagged = sum(1 for r in results if r.consequence)
        messages.success(
            request,
            _(
                "已按规则集“{code}”重新计算 {year} 年的专业预警：共 {count} 个专业点，"
                "其中 {flagged} 个预警或需调减、停招、撤销。"
            ).format(code=code, year=year, count=len(results), flagged=flagged),
        )
    query = urlencode({"rule_set": code, "year": year})
    return redirect(reverse("specialties:warnings", args=[pk]) + "?" + query)
