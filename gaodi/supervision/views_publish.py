"""督导报告 pages (issue 5): preview the report of a period, download it as Word, PDF or the
Excel annex, and publish it (numbered, frozen, put on the public portal).

Who: the work team, the leaders and the inspectors of the place read and download drafts
(Action.VIEW_FINDINGS); the work team and the 教育督导室 publish (publishing.may_publish).
Anyone else gets the same 404 as a missing page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can
from gaodi.indicators.periods import PeriodError, parse_period, quarter_of
from gaodi.plans.models import Plan
from gaodi.today import today

from .handover import Refused
from .models import Cycle, PublishedReport
from .publishing import may_publish, publish_report
from .report_build import build_report, period_label
from .report_render import CONTENT_TYPES, FORMATS, web_charts
from .report_render import render as render_report
from .views_access import get_plan, page_context


def _reader_plan(request: HttpRequest, pk: int) -> Plan:
    plan = get_plan(request, pk)
    if not can(request.user, Action.VIEW_FINDINGS, plan.org_unit_id):
        raise Http404
    return plan


def period_choices(plan: Plan, day: dt.date) -> list[tuple[str, str]]:
    """The periods that have begun: the years, the quarters and the bimonths of the plan's
    cycles, latest first."""
    ids = set(
        Cycle.objects.filter(schedule__plan=plan, starts_on__lte=day).values_list(
            "period", flat=True
        )
    )
    ids |= {p[:4] for p in ids}
    periods = sorted((parse_period(p) for p in ids), key=lambda p: (p.start, -p.end.toordinal()))
    return [(p.id, f"{period_label(p)}（{p.id}）") for p in reversed(periods)]


@login_required
def supervision_reports(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _reader_plan(request, pk)
    day = today()
    period_id = request.GET.get("period", "").strip() or quarter_of(day)
    error = ""
    try:
        report = build_report(plan, period_id, day)
    except PeriodError as exc:
        error = str(exc)
        period_id = quarter_of(day)
        report = build_report(plan, period_id, day)
    return render(
        request,
        "supervision/supervision_reports.html",
        page_context(
            plan,
            report=report,
            charts=web_charts(report),
            period_id=period_id,
            choices=period_choices(plan, day),
            error=error,
            formats=FORMATS,
            may_publish=may_publish(request.user, plan),
            published=PublishedReport.objects.filter(plan=plan),
        ),
    )


@login_required
def draft_file(request: HttpRequest, pk: int, period: str, fmt: str) -> HttpResponse:
    """The unpublished report of a period as a file (marked 草稿 instead of a number)."""
    plan = _reader_plan(request, pk)
    if fmt not in FORMATS:
        raise Http404
    try:
        report = build_report(plan, period, today())
    except PeriodError as exc:
        raise Http404 from exc
    response = HttpResponse(render_report(report, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True,
        filename=_("督导报告（草稿）{period}.{fmt}").format(period=period, fmt=fmt),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _reader_plan(request, pk)
    period_id = request.POST.get("period", "").strip()
    back = reverse("supervision:supervision_reports", args=[plan.pk])
    try:
        published = publish_report(plan, period_id, actor=request.user, today=today())
    except (Refused, PeriodError) as exc:
        messages.error(request, str(exc))
        return redirect(f"{back}?period={period_id}")
    messages.success(
        request,
        _("已发布 {number}，公众可在门户网站查看").format(number=published.number),
    )
    return redirect("portal:report", published.pk)
