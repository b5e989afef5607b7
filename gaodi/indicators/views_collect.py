"""Collection pages: the data sets of a unit and period, the reporting form (htmx checks as
you type), approval steps and the approver's queue."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, acts_at, can, get_for_user, unit_ids
from gaodi.orgs.models import OrgUnit
from gaodi.plans.diff import plain_number
from gaodi.plans.models import Plan

from . import approval
from .approving import StepRefused, approver_unit, level_names, submission_of, take_step
from .collection import (
    Problem,
    ValuesRefused,
    form_state,
    store_values,
    value_check,
    values_token,
    window_problem,
)
from .formula import evaluate
from .models import DataSet, Indicator, Submission
from .periods import PeriodError, parse_period


def _unit_and_period(request: HttpRequest, unit_pk: int, period: str) -> OrgUnit:
    unit = get_for_user(OrgUnit.objects.all(), request.user, Action.ENTER, place="pk", pk=unit_pk)
    try:
        parse_period(period)
    except PeriodError as exc:
        raise Http404 from exc
    return unit


def _data_set(request: HttpRequest, pk: int) -> DataSet:
    data_set = (
        DataSet.objects.select_related("plan__org_unit").prefetch_related("rules").filter(pk=pk)
    ).first()
    if data_set is None:
        raise Http404
    get_for_user(
        Plan.objects.all(), request.user, Action.VIEW, place="org_unit", pk=data_set.plan_id
    )
    return data_set


@login_required
def collect(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    """The data sets a unit fills in for a period, each with its state."""
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    unit = _unit_and_period(request, unit_pk, period)
    rows = []
    for data_set in plan.data_sets.prefetch_related("indicators"):
        submission = submission_of(data_set, unit, period)
        state = approval.State(submission.status, submission.approved_levels)
        rows.append(
            {
                "data_set": data_set,
                "state": approval.describe(state, level_names(data_set, unit)),
                "status": submission.status,
                "window": window_problem(data_set, period),
                "inputs": sum(1 for i in data_set.indicators.all() if not i.formula),
            }
        )
    return render(
        request,
        "indicators/collect.html",
        {"plan": plan, "nav_plan": plan, "unit": unit, "period": period, "rows": rows},
    )


def _inputs(data_set: DataSet) -> list[Indicator]:
    return [i for i in data_set.indicators.order_by("order") if not i.formula]


def _read_form(
    data: Any, inputs: list[Indicator]
) -> tuple[dict[str, Decimal], list[Problem], dict[str, str]]:
    """The typed values by code, problems with the typing, and the raw text to show again."""
    values: dict[str, Decimal] = {}
    problems: list[Problem] = []
    raw_values: dict[str, str] = {}
    for indicator in inputs:
        raw = (data.get(f"v{indicator.pk}") or "").strip()
        raw_values[indicator.code] = raw
        text = raw.replace(",", "").replace("，", "")
        if not text:
            continue
        try:
            number = Decimal(text)
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(
                Problem(
                    None,
                    indicator.code,
                    _("“{name}”应填写数字，而不是“{raw}”").format(name=indicator.name, raw=raw),
                )
            )
        else:
            values[indicator.code] = number
    return values, problems, raw_values


def _context(
    data_set: DataSet,
    unit: OrgUnit,
    period: str,
    typed: dict[str, Decimal] | None = None,
    raw: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
) -> dict[str, Any]:
    """Rows with their value, their messages (blocking and warnings) and the derived values,
    computed from what is stored merged with what is typed."""
    inputs = _inputs(data_set)
    cleared = frozenset(code for code, text in (raw or {}).items() if not text)
    values, violations = form_state(data_set, unit.pk, period, typed, cleared)
    by_code: dict[str, list[tuple[str, str]]] = {}
    for problem in problems or []:
        by_code.setdefault(problem.code, []).append(("error", problem.message))
    for violation in violations:
        for code in violation.codes[:1]:
            by_code.setdefault(code, []).append(
                ("error" if violation.blocking else "warning", violation.message)
            )
    rows = [
        {
            "indicator": i,
            "value": (raw or {}).get(i.code)
            if raw is not None
            else (plain_number(values[i.code]) if i.code in values else ""),
            "messages": by_code.get(i.code, []),
        }
        for i in inputs
    ]
    derived = [
        (i, evaluate(i.formula, dict(values)))
        for i in data_set.indicators.order_by("order")
        if i.formula
    ]
    return {
        "rows": rows,
        "derived": derived,
        "form_messages": by_code.get("", []),
        "blocking": any(v.blocking for v in violations) or bool(problems),
        "warnings": [v for v in violations if not v.blocking],
    }


@login_required
def form(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    """The reporting form of a data set for an org unit and period."""
    data_set = _data_set(request, pk)
    unit = _unit_and_period(request, unit_pk, period)
    submission = submission_of(data_set, unit, period)
    locked = approval.is_locked(submission.status)
    closed = window_problem(data_set, period)
    context: dict[str, Any]
    if request.method == "POST":
        if locked or closed:
            messages.error(request, closed or _("数据已提交或已审核，已锁定"))
            return redirect("indicators:form", pk, unit_pk, period)
        typed, problems, raw = _read_form(request.POST, _inputs(data_set))
        seen = request.POST.get("values_seen")
        if not problems:
            try:
                result = store_values(
                    data_set,
                    period,
                    {unit.pk: typed},
                    actor=request.user,
                    source=_("网页填报"),
                    # the values the form showed: a value changed since is not written over
                    seen={unit.pk: seen} if seen is not None else None,
                )
            except ValuesRefused as exc:
                problems = exc.problems
            else:
                note = _("已保存 {n} 项数据，比值已按组成部分重新计算。").format(n=result.values)
                if result.warnings:
                    note += _("有 {n} 条提示，请核实。").format(n=len(result.warnings))
                messages.success(request, note)
                return redirect("indicators:form", pk, unit_pk, period)
        context = _context(data_set, unit, period, typed, raw, problems)
        context["refused"] = True
    else:
        context = _context(data_set, unit, period)
    state = approval.State(submission.status, submission.approved_levels)
    levels = level_names(data_set, unit)
    context.update(
        {
            "plan": data_set.plan,
            "nav_plan": data_set.plan,
            "data_set": data_set,
            "unit": unit,
            "period": period,
            "submission": submission,
            "state": approval.describe(state, levels),
            "locked": locked,
            "closed": closed,
            "steps": _steps_for(request, data_set, unit, state),
            "values_seen": _seen(request, data_set, unit, period),
        }
    )
    return render(request, "indicators/form.html", context)


def _seen(request: HttpRequest, data_set: DataSet, unit: OrgUnit, period: str) -> str:
    """The values the form was opened on: kept after a refusal ("" is none stored)."""
    posted = request.POST.get("values_seen") if request.method == "POST" else None
    return posted if posted is not None else values_token(data_set, unit.pk, period)


@login_required
@require_POST
def check_form(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    """htmx: the messages next to each cell and the derived values, for what is typed (nothing
    is stored)."""
    data_set = _data_set(request, pk)
    unit = _unit_and_period(request, unit_pk, period)
    typed, problems, raw = _read_form(request.POST, _inputs(data_set))
    indicators = {i.code: i for i in _inputs(data_set)}
    problems += value_check(indicators, {None: typed})
    context = _context(data_set, unit, period, typed, raw, problems)
    return render(request, "indicators/_form_check.html", context)


def _steps_for(
    request: HttpRequest, data_set: DataSet, unit: OrgUnit, state: approval.State
) -> list[dict[str, str]]:
    """The approval steps this user may take now, with what each does."""
    labels = {
        approval.Step.SUBMIT: _("提交审核"),
        approval.Step.APPROVE: _("审核通过"),
        approval.Step.RETURN: _("退回修改"),
        approval.Step.UNAPPROVE: _("撤销审核"),
    }
    steps = []
    for step in approval.Step:
        try:
            approval.advance(state, step, len(data_set.approval_kinds), comment="-")
        except approval.ApprovalError:
            continue
        if _may_take(request, data_set, unit, state, step):
            steps.append(
                {
                    "step": str(step),
                    "label": labels[step],
                    "needs_comment": step in (approval.Step.RETURN, approval.Step.UNAPPROVE),
                }
            )
    return steps


def _may_take(
    request: HttpRequest,
    data_set: DataSet,
    unit: OrgUnit,
    state: approval.State,
    step: approval.Step,
) -> bool:
    level = approval.actor_level(step, state)
    if level == 0:
        return can(request.user, Action.ENTER, unit.pk)
    approver = approver_unit(data_set, unit, level)
    return approver is not None and acts_at(request.user, Action.APPROVE, approver.pk)


@login_required
@require_POST
def step(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    data_set = _data_set(request, pk)
    unit = _unit_and_period(request, unit_pk, period)
    try:
        chosen = approval.Step(request.POST.get("step", ""))
    except ValueError as exc:
        raise Http404 from exc
    submission = submission_of(data_set, unit, period)
    state = approval.State(submission.status, submission.approved_levels)
    if not _may_take(request, data_set, unit, state, chosen):
        messages.error(request, _("您不能进行这一步操作"))
        return redirect("indicators:form", pk, unit_pk, period)
    try:
        done = take_step(
            data_set,
            unit,
            period,
            chosen,
            actor=request.user,
            comment=request.POST.get("comment", "").strip(),
        )
    except StepRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("操作成功：{state}").format(
                state=approval.describe(
                    approval.State(done.status, done.approved_levels), level_names(data_set, unit)
                )
            ),
        )
    return redirect("indicators:form", pk, unit_pk, period)


@login_required
def approvals(request: HttpRequest, pk: int) -> HttpResponse:
    """What waits for this user's approval: submissions whose next level is a unit where the
    user is on the work team."""
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    places = unit_ids(request.user, Action.APPROVE)
    submissions = Submission.objects.filter(data_set__plan=plan).select_related(
        "data_set", "org_unit"
    )
    if -1 not in places:
        submissions = submissions.filter(org_unit_id__in=places)
    waiting, others = [], []
    for submission in submissions.order_by("org_unit__code", "data_set__order", "period"):
        state = approval.State(submission.status, submission.approved_levels)
        entry = {
            "submission": submission,
            "state": approval.describe(
                state, level_names(submission.data_set, submission.org_unit)
            ),
        }
        mine = any(
            _may_take(request, submission.data_set, submission.org_unit, state, s)
            for s in (approval.Step.APPROVE, approval.Step.RETURN)
        ) and state.status in (approval.SUBMITTED, approval.APPROVED)
        (waiting if mine else others).append(entry)
    return render(
        request,
        "indicators/approvals.html",
        {"plan": plan, "nav_plan": plan, "waiting": waiting, "others": others},
    )
