"""The public portal: what the plan says is 公开发布, readable without signing in."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
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


# ---- 督导报告, as published (issue 5) ----------------------------------------------------------


def reports(request: HttpRequest) -> HttpResponse:
    """Every published supervision report, archived by year and number."""
    from gaodi.supervision.models import PublishedReport

    found = PublishedReport.objects.select_related("plan__org_unit").order_by("-year", "-sequence")
    years: dict[int, list[PublishedReport]] = {}
    for item in found:
        years.setdefault(item.year, []).append(item)
    return render(request, "portal/reports.html", {"years": sorted(years.items(), reverse=True)})


def report(request: HttpRequest, pk: int) -> HttpResponse:
    from gaodi.supervision.models import PublishedReport
    from gaodi.supervision.publishing import snapshot
    from gaodi.supervision.report_render import FORMATS, web_charts

    item = get_object_or_404(PublishedReport.objects.select_related("plan"), pk=pk)
    frozen = snapshot(item)
    return render(
        request,
        "portal/report.html",
        {"published": item, "report": frozen, "charts": web_charts(frozen), "formats": FORMATS},
    )


def report_file(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    from gaodi.supervision.models import PublishedReport
    from gaodi.supervision.publishing import report_file as published_file

    item = get_object_or_404(PublishedReport, pk=pk)
    response = published_file(item, fmt)
    if response is None:
        raise Http404
    return response
