"""The public portal: what the plan says is 公开发布, readable without signing in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gaodi.plans import queries
from gaodi.plans.models import Plan


def home(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.filter(public=True, next_version__isnull=True).select_related("org_unit")
    return render(request, "portal/home.html", {"plans": plans})


def plan(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Plan.objects.select_related("org_unit"), pk=pk, public=True)
    return render(
        request,
        "portal/plan.html",
        {
            "plan": item,
            "tasks": queries.tasks_of(item),
            "tables": queries.indicator_tables(item),
        },
    )
