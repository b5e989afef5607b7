"""Pages of the departments' requests (延期申请, 职责异议): the plan's list, a liaison's new
request, one request and the work team's decision. Who sees what: views_access.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, department_of, get_for_user
from gaodi.orgs.models import Department
from gaodi.plans.models import Task

from . import change_requests as services
from .handover import Refused, is_assigned
from .models import Request
from .views_access import (
    get_plan,
    get_task,
    is_manager,
    is_overseer,
    is_own,
    page_context,
    user_department,
)


@login_required
def requests(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's requests, pending first; a liaison sees its own department's."""
    plan = get_plan(request, pk)
    found = Request.objects.filter(task__plan=plan).select_related(
        "task__section", "department", "deadline"
    )
    if not is_overseer(request, plan):
        department_id = department_of(request.user)
        if department_id is None:
            raise Http404
        found = found.filter(department_id=department_id)
    status = request.GET.get("status", "")
    if status in Request.Status.values:
        found = found.filter(status=status)
    return render(
        request,
        "supervision/requests.html",
        page_context(
            plan,
            rows=found.order_by("status", "-requested_at"),
            status=status,
            statuses=Request.Status.choices,
        ),
    )


@login_required
def request_new(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """A liaison asks for more time on a deadline, or disputes its part in a task."""
    plan = get_plan(request, pk)
    task = get_task(plan, task_pk)
    department = user_department(request, plan)
    if department is None or not is_assigned(task, department):
        raise Http404
    if request.method == "POST":
        try:
            made = _file(request, task, department)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已提交，等待工作专班处理"))
            return redirect("supervision:request", made.pk)
    return render(
        request,
        "supervision/request_new.html",
        page_context(
            plan,
            task=task,
            department=department,
            deadlines=task.deadlines.all(),
            posted=request.POST,
        ),
    )


def _file(request: HttpRequest, task: Task, department: Department) -> Request:
    reason = request.POST.get("reason", "")
    if request.POST.get("kind") == Request.Kind.DISPUTE:
        return services.file_dispute(task, department, reason=reason, actor=request.user)
    deadline = task.deadlines.filter(pk=request.POST.get("deadline") or 0).first()
    if deadline is None:
        raise Refused(_("请选择要延期的时限"))
    try:
        new_date = dt.date.fromisoformat(request.POST.get("new_date", ""))
    except ValueError as exc:
        raise Refused(_("请填写新的时限（年-月-日）")) from exc
    return services.file_extension(
        deadline, department, new_date=new_date, reason=reason, actor=request.user
    )


def _request(request: HttpRequest, pk: int) -> Request:
    found = get_for_user(
        Request.objects.select_related(
            "task__plan__org_unit", "task__section", "department", "deadline", "requested_by"
        ),
        request.user,
        Action.VIEW,
        place="task__plan__org_unit",
        pk=pk,
    )
    if is_own(request, found.department_id) or is_overseer(request, found.task.plan):
        return found
    raise Http404


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: what was asked, the old and the new, and the decision (or the form)."""
    found = _request(request, pk)
    plan = found.task.plan
    may_decide = is_manager(request, plan) and found.status == Request.Status.PENDING
    extra: dict[str, object] = {}
    if may_decide and found.kind == Request.Kind.DISPUTE:
        lead, coop = services.corrected_departments(found.task, found.department)
        extra = {
            "departments": Department.objects.filter(org_unit=plan.org_unit).order_by(
                "collective", "name"
            ),
            "lead_ids": {d.pk for d in lead},
            "coop_ids": {d.pk for d in coop},
        }
    return render(
        request,
        "supervision/request.html",
        page_context(plan, item=found, may_decide=may_decide, **extra),
    )


@login_required
@require_POST
def decide_request(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request(request, pk)
    plan = found.task.plan
    if not is_manager(request, plan):
        raise Http404
    approve = request.POST.get("approve") == "yes"
    lead = coop = None
    if approve and found.kind == Request.Kind.DISPUTE:
        pool = Department.objects.filter(org_unit=plan.org_unit)
        lead = list(pool.filter(pk__in=request.POST.getlist("lead")).order_by("name"))
        coop = list(pool.filter(pk__in=request.POST.getlist("coop")).order_by("name"))
    try:
        services.decide_request(
            found,
            approve=approve,
            decision=request.POST.get("decision", ""),
            lead=lead,
            coop=coop,
            actor=request.user,
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已处理"))
    return redirect("supervision:request", found.pk)
