"""The indicator registry of a plan."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gaodi.accounts.gate import Action, can, get_for_user
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.today import today

from .models import Indicator
from .periods import PeriodError, parse_period
from .queries import actual, registry_rows
from .services import ValueRefused, record_values


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


@login_required
def entry(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    """The reporting form of an org unit for a year: the base indicators only (ratios are
    computed), all saved together or none."""
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    unit = get_for_user(OrgUnit.objects.all(), request.user, Action.ENTER, place="pk", pk=unit_pk)
    try:
        parse_period(period)
    except PeriodError as exc:
        raise Http404 from exc
    inputs = list(Indicator.objects.filter(plan=plan, formula="").filter(industry=""))
    errors: list[str] = []
    if request.method == "POST":
        entries, errors = _read_form(request.POST, inputs)
        if not errors:
            try:
                saved = record_values(entries, unit, period, actor=request.user)
            except ValueRefused as exc:
                errors = [str(exc)]
            else:
                messages.success(
                    request, _("已保存 {n} 项数据，比值已按组成部分重新计算。").format(n=saved)
                )
                return redirect("indicators:entry", pk, unit_pk, period)
    derived = [
        (i, actual(i, unit.pk, period))
        for i in Indicator.objects.filter(plan=plan).exclude(formula="")
    ]
    current = {i.pk: actual(i, unit.pk, period) for i in inputs}
    return render(
        request,
        "indicators/entry.html",
        {
            "plan": plan,
            "nav_plan": plan,
            "unit": unit,
            "period": period,
            "errors": errors,
            "rows": [
                (i, request.POST.get(f"v{i.pk}", "") if errors else current[i.pk]) for i in inputs
            ],
            "derived": derived,
        },
    )


def _read_form(
    data: Any, inputs: list[Indicator]
) -> tuple[list[tuple[Indicator, Decimal]], list[str]]:
    entries, errors = [], []
    for indicator in inputs:
        raw = (data.get(f"v{indicator.pk}") or "").strip().replace(",", "")
        if not raw:
            continue
        try:
            entries.append((indicator, Decimal(raw)))
        except InvalidOperation:
            errors.append(
                _("“{name}”应填写数字，而不是“{raw}”").format(name=indicator.name, raw=raw)
            )
    return entries, errors
