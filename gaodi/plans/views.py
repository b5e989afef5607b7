"""Signed-in pages of a plan. Thin: parse input, ask the gate and queries, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.choices import Role
from gaodi.accounts.gate import Action, can, department_of, get_for_user, memberships, restrict
from gaodi.audit.queries import history_of
from gaodi.orgs.models import Department
from gaodi.today import today

from . import queries, services
from .forms import (
    DeadlineFixForm,
    DepartmentsForm,
    GoverningValueForm,
    RowLinkForm,
    TargetFixForm,
    TaskFilterForm,
)
from .models import Deadline, Plan, Target


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )


def _context(plan: Plan, **extra: Any) -> dict[str, Any]:
    return {"plan": plan, "nav_plan": plan, **extra}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The plans a user may see; a liaison lands on his department's page, a school's clerk
    on this year's reporting forms."""
    plans = restrict(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit"
    ).filter(next_version__isnull=True)
    department_id = department_of(request.user)
    mine = Department.objects.filter(
        pk=department_id, org_unit_id__in=[p.org_unit_id for p in plans]
    )
    if department_id and len(plans) == 1 and mine.exists():
        return redirect("plans:department", plans[0].pk, department_id)
    schools = [m.org_unit_id for m in memberships(request.user) if m.role == Role.SCHOOL]
    school = schools[0] if schools else None
    if school and len(plans) == 1:  # a school's clerk lands on this year's reporting forms
        return redirect("indicators:collect", plans[0].pk, school, today().year)
    return render(request, "plans/home.html", {"plans": plans})


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    findings = (
        plan.findings.all() if can(request.user, Action.VIEW_FINDINGS, plan.org_unit_id) else None
    )
    history = (
        history_of(plan, request.user)
        if can(request.user, Action.VIEW_HISTORY, plan.org_unit_id)
        else None
    )
    return render(
        request,
        "plans/overview.html",
        _context(
            plan,
            counts=queries.counts(plan),
            sections=queries.sections_with_counts(plan),
            findings=findings,
            history=history,
            may_review=can(request.user, Action.REVIEW, plan.org_unit_id),
        ),
    )


@login_required
def tasks(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    form = TaskFilterForm(plan, request.GET or None)
    found = queries.tasks_of(plan)
    if form.is_valid():
        found = queries.filter_tasks(found, **form.cleaned_data)
    return render(request, "plans/tasks.html", _context(plan, form=form, tasks=found))


@login_required
def task(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    item = get_for_user(
        queries.tasks_of(plan), request.user, Action.VIEW, place="plan__org_unit", pk=task_pk
    )
    history = (
        history_of(item, request.user)
        if can(request.user, Action.VIEW_HISTORY, plan.org_unit_id)
        else None
    )
    return render(
        request,
        "plans/task.html",
        _context(
            plan,
            task=item,
            rows=item.list_items.all(),
            targets=queries.targets_of(item),
            parameters=queries.parameters_of(item),
            history=history,
            supervises=can(request.user, Action.INSPECT, plan.org_unit_id),
            liaison_of_task=item.assignments.filter(
                department_id=department_of(request.user)
            ).exists(),
        ),
    )


@login_required
def departments(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return render(
        request, "plans/departments.html", _context(plan, departments=queries.departments_of(plan))
    )


@login_required
def department(request: HttpRequest, pk: int, department_pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    # The plan is readable (checked above), so are the departments it names.
    body = get_object_or_404(Department, org_unit=plan.org_unit, pk=department_pk)
    work = queries.work_of(plan, body)
    return render(request, "plans/department.html", _context(plan, department=body, **work))


@login_required
def leading_group(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    members = plan.leading_group.select_related("person")
    return render(request, "plans/leading_group.html", _context(plan, members=members))


@login_required
def tables(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return render(request, "plans/tables.html", _context(plan, tables=plan.tables.all()))


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The work team's review: each finding beside its source, and the fixes made there."""
    plan = _reviewable(request, pk)
    return render(
        request,
        "plans/review.html",
        _context(
            plan,
            items=queries.review_items(plan),
            all_tasks=plan.tasks.select_related("section"),
            departments=Department.objects.filter(org_unit=plan.org_unit).order_by(
                "collective", "name"
            ),
        ),
    )


def _fix(
    request: HttpRequest, form: forms.Form, apply: Callable[[dict[str, Any]], object], done: str
) -> None:
    """Apply one review fix through its service, or say in Chinese why nothing changed."""
    if form.is_valid():
        try:
            apply(form.cleaned_data)
        except services.FixRefused as exc:
            messages.error(request, _("未修改：{errors}").format(errors=exc))
            return
        messages.success(request, done)
    else:
        messages.error(request, _("未修改：{errors}").format(errors=_errors(form)))


@login_required
@require_POST
def fix_deadline(request: HttpRequest, pk: int, deadline_pk: int) -> HttpResponse:
    plan = _reviewable(request, pk)
    deadline = get_for_user(
        _deadlines(plan), request.user, Action.REVIEW, place="task__plan__org_unit", pk=deadline_pk
    )
    _fix(
        request,
        DeadlineFixForm(request.POST),
        lambda data: services.change_deadline(
            deadline, date=data["date"], reason=data["reason"], actor=request.user
        ),
        _("时限已修改，并已记入变更记录。"),
    )
    return redirect("plans:review", pk)


@login_required
@require_POST
def link_row(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    plan = _reviewable(request, pk)
    row = get_for_user(
        plan.task_list.all(), request.user, Action.REVIEW, place="plan__org_unit", pk=row_pk
    )
    _fix(
        request,
        RowLinkForm(plan, request.POST),
        lambda data: services.link_row(
            row, list(data["tasks"]), reason=data["reason"], actor=request.user
        ),
        _("任务清单条目的对应任务已修改，并已记入变更记录。"),
    )
    return redirect("plans:review", pk)


@login_required
@require_POST
def fix_target(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    plan = _reviewable(request, pk)
    target = get_for_user(
        Target.objects.filter(task__plan=plan),
        request.user,
        Action.REVIEW,
        place="task__plan__org_unit",
        pk=target_pk,
    )
    _fix(
        request,
        TargetFixForm(request.POST),
        lambda data: services.change_target(
            target, value=data["value"], reason=data["reason"], actor=request.user
        ),
        _("目标数值已修改，并已记入变更记录。"),
    )
    return redirect("plans:review", pk)


@login_required
@require_POST
def set_departments(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    plan = _reviewable(request, pk)
    task = get_for_user(
        plan.tasks.all(), request.user, Action.REVIEW, place="plan__org_unit", pk=task_pk
    )
    _fix(
        request,
        DepartmentsForm(plan, request.POST),
        lambda data: services.set_task_departments(
            task,
            lead=list(data["lead"]),
            coop=list(data["coop"]),
            reason=data["reason"],
            actor=request.user,
        ),
        _("任务分工已修改，并已记入变更记录。"),
    )
    return redirect("plans:review", pk)


@login_required
@require_POST
def choose_value(request: HttpRequest, pk: int, finding_pk: int) -> HttpResponse:
    plan = _reviewable(request, pk)
    finding = get_for_user(
        plan.findings.filter(code="target-conflict"),
        request.user,
        Action.REVIEW,
        place="plan__org_unit",
        pk=finding_pk,
    )
    form = GoverningValueForm(request.POST)
    if form.is_valid() and form.cleaned_data["choice"] >= len(finding.evidence):
        form.add_error("choice", _("没有这一处"))
    _fix(
        request,
        form,
        lambda data: services.choose_governing_value(
            finding, choice=data["choice"], reason=data["reason"], actor=request.user
        ),
        _("已确定以哪一处为准，指标目标值随之更新，并已记入变更记录。"),
    )
    return redirect("plans:review", pk)


def _reviewable(request: HttpRequest, pk: int) -> Plan:
    """A plan the user may fix: in his place, and the current version (older ones stay put)."""
    plan = _plan(request, pk)
    superseded = Plan.objects.filter(previous=plan).exists()
    if superseded or not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    return plan


def _errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _deadlines(plan: Plan) -> QuerySet[Deadline]:
    return Deadline.objects.filter(task__plan=plan).select_related("task")
