"""考核通过率 page (学分银行, issue 9): the pass rates by scheme and level of a year's
assessments at the plan's schools, with the working and the certificates registered beside,
and the form that records a sitting (services in sittings.py).

Readers as the other credit-bank pages (visible_schools). Recording a sitting: the work team of
the plan's place, or the clerk of the school the sitting was held at; anyone else 404."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.specialties.services import Refused
from gaodi.today import today

from .models import ExamSitting, OutcomeUnit
from .sittings import SittingInput, pass_rates_of, record_sitting
from .views import _day, _plan, _writable_schools, visible_schools

FIELDS = ("school", "unit", "level", "held_on", "candidates", "passed")


def _year(request: HttpRequest) -> int:
    text = request.GET.get("year", "").strip()
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else today().year


def _count(text: str) -> object:
    text = text.strip()
    return int(text) if text.isdigit() else text


@login_required
def sittings(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, pk, _year(request), {})


def _page(
    request: HttpRequest, pk: int, year: int, form: dict[str, str], status: int = 200
) -> HttpResponse:
    """The page for `year`; `form` holds what was typed when a sitting was refused, so that
    nothing typed is lost."""
    plan = _plan(request, pk)
    schools = visible_schools(request.user, plan)
    start, end = date(year, 1, 1), date(year, 12, 31)
    return render(
        request,
        "credits/sittings.html",
        {
            "plan": plan,
            "year": year,
            "years": range(today().year, today().year - 6, -1),
            "found": pass_rates_of(schools, start, end),
            "sittings": ExamSitting.objects.filter(
                school__in=schools, held_on__gte=start, held_on__lte=end
            ).select_related("scheme", "unit", "school"),
            "writable_schools": _writable_schools(request, plan),
            "units": OutcomeUnit.objects.select_related("scheme").order_by("scheme__code", "code"),
            "form": form,
        },
        status=status,
    )


@login_required
@require_POST
def add_sitting(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    schools = {str(s.pk): s for s in _writable_schools(request, plan)}
    if not schools:
        raise Http404
    school = schools.get(request.POST.get("school", ""))
    unit = (
        OutcomeUnit.objects.select_related("scheme")
        .filter(pk=request.POST.get("unit", "") if request.POST.get("unit", "").isdigit() else None)
        .first()
    )
    held_on = _day(request.POST.get("held_on", ""))
    url = reverse("credits:sittings", args=[pk])
    if school is None or unit is None:
        messages.error(request, _("请选择本方案所辖、您可登记的学校和认证单元"))
        return redirect(url)
    given = SittingInput(
        unit=unit,
        level=request.POST.get("level", "").strip(),
        school=school,
        held_on=held_on,
        candidates=_count(request.POST.get("candidates", "")),
        passed=_count(request.POST.get("passed", "")),
    )
    try:
        stored = record_sitting(given, source=_("录入"), actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        typed = {key: request.POST.get(key, "") for key in FIELDS}
        return _page(request, pk, held_on.year if held_on else today().year, typed, status=400)
    messages.success(
        request,
        _("已保存考核批次：{unit}（{level}）{day}，参加 {c} 人，通过 {p} 人。").format(
            unit=unit.name,
            level=stored.level,
            day=stored.held_on,
            c=stored.candidates,
            p=stored.passed,
        ),
    )
    return redirect(f"{url}?year={stored.held_on.year}")
