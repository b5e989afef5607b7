"""The indicator registry of a plan, its data sets and indicators."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gaodi.accounts.choices import Role
from gaodi.accounts.gate import Action, can, get_for_user, memberships
from gaodi.orgs.tree import descendant_ids
from gaodi.plans.models import Plan
from gaodi.today import today

from .choices import Kind
from .dashboard import readable_units
from .models import DataSet, Indicator
from .periods import PeriodError
from .queries import registry_rows
from .services import WindowRefused, edit_indicator, set_window, windows_token
from .validation import spell


@login_required
def registry(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    [table] = registry_rows(plan)
    may_enter = can(request.user, Action.ENTER, plan.org_unit_id)
    below = set(descendant_ids(plan.org_unit))
    places = [
        m.org_unit
        for m in memberships(request.user)
        if m.role == Role.SCHOOL and m.org_unit_id in below
    ]
    return render(
        request,
        "indicators/registry.html",
        {
            "plan": plan,
            "nav_plan": plan,
            "may_enter": may_enter,
            "may_read": bool(readable_units(plan, request.user)),  # the dashboard's own test
            "places": places,
            "year": today().year,
            "data_sets": plan.data_sets.all(),
            **table,
        },
    )


def _may_review(request: HttpRequest, plan: Plan) -> bool:
    return can(request.user, Action.REVIEW, plan.org_unit_id)


@login_required
def data_set(request: HttpRequest, pk: int) -> HttpResponse:
    """A reporting form: its indicators, its validation rules with their source, and its
    reporting windows, which the work team opens and moves."""
    found = DataSet.objects.select_related("plan__org_unit").filter(pk=pk).first()
    if found is None:
        raise Http404
    plan = get_for_user(
        Plan.objects.select_related("org_unit"),
        request.user,
        Action.VIEW,
        place="org_unit",
        pk=found.plan_id,
    )
    may_review = _may_review(request, plan)
    error = ""
    if request.method == "POST":
        if not may_review:
            raise Http404
        try:
            opens = dt.date.fromisoformat(request.POST.get("opens_on", ""))
            closes = dt.date.fromisoformat(request.POST.get("closes_on", ""))
            set_window(
                found,
                request.POST.get("period", ""),
                opens,
                closes,
                actor=request.user,
                seen=request.POST.get("windows_seen"),  # the windows the form was opened on
            )
        except (PeriodError, WindowRefused) as exc:
            error = str(exc)
        except ValueError:
            error = _("日期格式应为 2021-06-01")
        else:
            messages.success(request, _("填报期已保存"))
            return redirect("indicators:data_set", pk)
    names = {i.code: i.name for i in found.indicators.all()}
    return render(
        request,
        "indicators/data_set.html",
        {
            "plan": plan,
            "nav_plan": plan,
            "data_set": found,
            "indicators": found.indicators.order_by("order"),
            "rules": [
                (rule, spell(rule.left, names), spell(rule.right, names))
                for rule in found.rules.all()
            ],
            "windows": found.windows.all(),
            "windows_seen": request.POST.get("windows_seen", windows_token(found)),
            "may_review": may_review,
            "error": error,
            "today": today(),
        },
    )


@login_required
def indicator(request: HttpRequest, pk: int) -> HttpResponse:
    """One indicator: what it is, its targets, and the tasks it measures (editable)."""
    found = Indicator.objects.select_related("plan").filter(pk=pk).first()
    if found is None:
        raise Http404
    plan = get_for_user(
        Plan.objects.select_related("org_unit"),
        request.user,
        Action.VIEW,
        place="org_unit",
        pk=found.plan_id,
    )
    may_review = _may_review(request, plan)
    if request.method == "POST":
        if not may_review:
            raise Http404
        tasks = [int(t) for t in request.POST.getlist("tasks") if t.isdigit()]
        kind = request.POST.get("kind", found.kind)
        if kind not in Kind.values:
            kind = found.kind
        edit_indicator(found, tasks=tasks, kind=kind, actor=request.user)
        messages.success(request, _("已保存"))
        return redirect("indicators:indicator", pk)
    linked = set(found.tasks.values_list("pk", flat=True))
    return render(
        request,
        "indicators/indicator.html",
        {
            "plan": plan,
            "nav_plan": plan,
            "indicator": found,
            "targets": found.targets.order_by("year"),
            "tasks": [(t, t.pk in linked) for t in plan.tasks.select_related("section")],
            "kinds": Kind.choices,
            "may_review": may_review,
        },
    )
