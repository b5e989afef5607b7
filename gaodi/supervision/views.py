"""Supervision pages: the plan's schedules and cycles, and one's own 待办 inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can, get_for_user
from gaodi.plans.models import Plan
from gaodi.today import today

from . import notify
from .models import Notification, Schedule
from .services import update_schedule


@login_required
def schedules(request: HttpRequest, pk: int) -> HttpResponse:
    """What the plan orders (每季度督查, 每两个月调度), the rounds opened so far and the next."""
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    may_edit = can(request.user, Action.REVIEW, plan.org_unit_id)
    if request.method == "POST":
        if not may_edit:
            raise Http404
        schedule = plan.schedules.filter(pk=request.POST.get("schedule")).first()
        if schedule is None:
            raise Http404
        try:
            update_schedule(
                schedule,
                frequency=request.POST.get("frequency", ""),
                due_workdays=int(request.POST.get("due_workdays", "-1") or -1),
                active=request.POST.get("active") == "on",
                actor=request.user,
            )
        except ValueError as exc:
            messages.error(
                request, str(exc) if "工作日" in str(exc) or "频次" in str(exc) else _("请填写整数")
            )
        else:
            messages.success(request, _("已保存，下次运行 gaodi cycles 时按新的安排开启轮次"))
        return redirect("supervision:schedules", pk)
    day = today()
    rows = [
        (schedule, list(schedule.cycles.order_by("-starts_on")[:12]))
        for schedule in plan.schedules.all()
    ]
    return render(
        request,
        "supervision/schedules.html",
        {
            "plan": plan,
            "nav_plan": plan,
            "rows": rows,
            "may_edit": may_edit,
            "frequencies": Schedule.Frequency.choices,
            "today": day,
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """One's own 待办: newest first, unread marked."""
    items = Notification.objects.filter(user=request.user)[:200]
    return render(request, "supervision/inbox.html", {"items": items, "today": today()})


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    found = Notification.objects.filter(user=request.user, pk=pk).first()
    if found is None:
        raise Http404  # somebody else's 待办 looks like a missing one
    notify.mark_read(found)
    return redirect(found.url or "supervision:inbox")
