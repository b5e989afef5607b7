"""专业预警 page (重点任务（八）): per school and specialty of the plan, the decision of the chosen
rule set as of a year (预警/调减/停招/撤销 or 正常) with the whole working and its 依据.

Who sees it (gaodi.accounts.gate, Action.READ_VALUES): the work team, the leaders and the
inspectors of the plan's place see every school; a school's clerk his own school only; anyone
else gets the same 404 as for a missing plan. Read-only: results are computed by
services.run_warnings (the demo, a later management command).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gaodi.accounts.gate import Action, get_for_user
from gaodi.plans.models import Plan
from gaodi.today import today

from .presets import EXAMPLE
from .queries import decision_label, latest_rule_sets, results_for, visible_schools, workings

DEFAULT_CODE = "chiping-example"


@login_required
def warnings(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    schools = visible_schools(request.user, plan)
    versions = latest_rule_sets()
    codes = [v.code for v in versions]
    code = request.GET.get("rule_set", DEFAULT_CODE)
    if code not in codes:
        code = DEFAULT_CODE
    year_text = request.GET.get("year", "")
    year = (
        int(year_text) if year_text.isdigit() and 2000 <= int(year_text) <= 2100 else today().year
    )
    results = results_for(plan, schools, year, code)
    rows = [(r, decision_label(r), workings(r)) for r in results]
    chooser = [(v, EXAMPLE in v.source or EXAMPLE in v.name) for v in versions]
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
        },
    )
