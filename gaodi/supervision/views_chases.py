"""Pages of 催办: the plan's chases, a task's 督办记录 with the chase form, one chase and the
department's answer. Who sees what: views_access.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, department_of, get_for_user
from gaodi.orgs.models import Department
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Task

from . import chases as services
from .handover import is_assigned
from .models import Chase, Request
from .views_access import get_plan, get_task, is_overseer, is_own, page_context, user_department


@login_required
def chases(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's chases, unanswered first; a liaison sees those sent to its department."""
    plan = get_plan(request, pk)
    found = Chase.objects.filter(task__plan=plan).select_related(
        "task__section", "department", "chased_by"
    )
    if not is_overseer(request, plan):
        department_id = department_of(request.user)
        if department_id is None:
            raise Http404
        found = found.filter(department_id=department_id)
    if request.GET.get("open") == "1":
        found = found.filter(answered_on__isnull=True)
    rows = found.order_by(F("answered_on").asc(nulls_first=True), "-chased_on", "-pk")
    return render(
        request,
        "supervision/chases.html",
        page_context(
            plan,
            rows=rows,
            open_only=request.GET.get("open") == "1",
            unanswered=found.filter(answered_on__isnull=True).count(),
        ),
    )


@login_required
def task_chases(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """A task's 督办记录: its deadlines (with the dates moved on request), its chases and
    requests; the chase form for the work team and the inspectors."""
    plan = get_plan(request, pk)
    task = get_task(plan, task_pk)
    oversees = is_overseer(request, plan)
    department = user_department(request, plan)
    mine = department is not None and is_assigned(task, department)
    if not (oversees or mine):
        raise Http404
    if request.method == "POST":
        if not oversees:
            raise Http404
        _chase(request, task)
        return redirect("supervision:task_chases", plan.pk, task.pk)
    found_chases = task.chases.select_related("department", "chased_by")
    found_requests = task.requests.select_related("department", "deadline")
    if not oversees:
        found_chases = found_chases.filter(department=department)
        found_requests = found_requests.filter(department=department)
    moved = {
        r.deadline_id: r
        for r in task.requests.filter(
            kind=Request.Kind.EXTENSION, status=Request.Status.APPROVED
        ).order_by("decided_at")
    }
    return render(
        request,
        "supervision/chase_task.html",
        page_context(
            plan,
            task=task,
            deadlines=[(d, moved.get(d.pk)) for d in task.deadlines.all()],
            chases=found_chases,
            requests=found_requests,
            may_chase=oversees,
            may_ask=mine,
            assigned=Department.objects.filter(
                assignments__task=task,
                assignments__role__in=[AssignmentRole.LEAD, AssignmentRole.COOP],
                collective=False,
            )
            .distinct()
            .order_by("name"),
        ),
    )


def _chase(request: HttpRequest, task: Task) -> None:
    department = Department.objects.filter(
        pk=request.POST.get("department") or 0, org_unit=task.plan.org_unit
    ).first()
    if department is None:
        messages.error(request, _("请选择被催办的部门"))
        return
    try:
        services.chase_task(
            task, department, message=request.POST.get("message", ""), actor=request.user
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已催办{department}").format(department=department.name))


def _chase_of(request: HttpRequest, pk: int) -> Chase:
    found = get_for_user(
        Chase.objects.select_related("task__plan__org_unit", "task__section", "department"),
        request.user,
        Action.VIEW,
        place="task__plan__org_unit",
        pk=pk,
    )
    if is_own(request, found.department_id) or is_overseer(request, found.task.plan):
        return found
    raise Http404


@login_required
def chase(request: HttpRequest, pk: int) -> HttpResponse:
    """One chase and its answer (or the department's answer form)."""
    found = _chase_of(request, pk)
    return render(
        request,
        "supervision/chase.html",
        page_context(
            found.task.plan,
            item=found,
            may_answer=is_own(request, found.department_id) and found.answered_on is None,
        ),
    )


@login_required
@require_POST
def answer_chase(request: HttpRequest, pk: int) -> HttpResponse:
    found = _chase_of(request, pk)
    if not is_own(request, found.department_id):
        raise Http404
    try:
        services.answer_chase(found, answer=request.POST.get("answer", ""), actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已回复"))
    return redirect(reverse("supervision:chase", args=[found.pk]))
