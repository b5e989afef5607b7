"""供求预测参数 page: the versions of the forecast parameter set a plan's place may use (the
built-in 示例 set, its own, the places' above), the one in force today, and the form on which
the work team of the place saves a new version of its own set (never editing an old one).

Who: read like the 供求信息 page (queries.visible_schools); the form is the work team's of the
place (Action.REVIEW), anyone else 404."""

from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gaodi.accounts.gate import Action, can
from gaodi.orgs.models import OrgUnit
from gaodi.today import today

from .forms import SupplyParametersForm
from .models import SupplyDemandParameters
from .queries import visible_schools
from .rule_sets import next_version
from .services import Refused
from .supply_demand import EXAMPLE, ParameterError, Parameters
from .supply_demand_queries import parameter_history, parameters_in_force
from .supply_demand_services import save_parameters
from .views import visible_plan


@login_required
def supply_parameters(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    visible_schools(request.user, plan)
    may_define = can(request.user, Action.REVIEW, plan.org_unit_id)
    current = parameters_in_force(today(), plan.org_unit)
    code = f"supply-demand-{plan.org_unit.code}"
    if request.method == "POST":
        if not may_define:
            raise Http404
        form = SupplyParametersForm(request.POST)
        if form.is_valid() and current is not None:
            saved = _save(request, plan.org_unit, code, current, form.cleaned_data)
            if saved is not None:
                return redirect("specialties:supply_parameters", pk)
    else:
        initial = (
            {}
            if current is None
            else {
                **current.to_json(),
                "effective_from": today().isoformat(),
                "source": "" if current.is_example else current.source,
            }
        )
        form = SupplyParametersForm(initial=initial)
    versions = [
        (stored, Parameters.from_json(stored.parameters))
        for stored in parameter_history(plan.org_unit)
    ]
    return render(
        request,
        "specialties/supply_parameters.html",
        {
            "plan": plan,
            "current": current,
            "versions": versions,
            "form": form if may_define else None,
        },
    )


def _save(
    request: HttpRequest, place: OrgUnit, code: str, current: Parameters, data: dict[str, object]
) -> SupplyDemandParameters | None:
    versions = SupplyDemandParameters.objects.filter(code=code).values_list("version", flat=True)
    try:
        parameters = replace(
            current,
            code=code,
            version=next_version(list(versions)),
            name=str(data["name"]).strip(),
            effective_from=data["effective_from"],
            method=data["method"],
            window=data["window"],
            min_history=data["min_history"],
            horizon=data["horizon"],
            programme_years=data["programme_years"],
            bulletin_prefix=str(data["bulletin_prefix"]).strip(),
            source=str(data["source"]).strip() or EXAMPLE,
        )
        saved = save_parameters(parameters, actor=request.user, owner=place)
    except (ParameterError, Refused) as problem:
        messages.error(request, _("未保存：{problem}").format(problem=problem))
        return None
    messages.success(
        request,
        _("已保存供求预测参数“{name}”第 {version} 版，{date} 起施行。").format(
            name=saved.name, version=saved.version, date=saved.effective_from.isoformat()
        ),
    )
    return saved
