"""Pages of 督查 and 整改: the plan's inspections and open findings with their lights (and the
form to record an inspection), one inspection with its findings, the department's
rectification form and the inspector's 销号 / 退回 form.

Who sees what: the work team, the leaders and the inspectors of the place see every finding;
a liaison sees its own department's findings only; anyone else gets a 404. Recording, closing
and returning: inspections.may_inspect (work team or 区委督查室); rectifying: the department.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can, department_of, get_for_user
from gaodi.indicators.attainment import Colour, colour_label
from gaodi.orgs.models import Department
from gaodi.plans.models import Plan
from gaodi.today import today

from . import inspections as services
from .handover import departments_with_tasks
from .models import Cycle, Inspection, InspectionFinding, Schedule
from .views_access import get_plan, get_task, is_own, page_context

FORM_ROWS = 3  # blank finding rows on the record form; an inspection may find nothing
ORDER = {Colour.RED: 0, Colour.AMBER: 1, Colour.GREEN: 2, Colour.GREY: 3}


@dataclass(frozen=True)
class Row:
    finding: InspectionFinding
    colour: Colour
    label: str
    reason: str


def rows_of(findings: QuerySet[InspectionFinding], day: dt.date) -> list[Row]:
    """Each finding with its light, red first."""
    rows = []
    for finding in findings:
        colour, reason = services.finding_light(services.facts_of(finding), day)
        rows.append(Row(finding, colour, colour_label(colour), reason))
    return sorted(rows, key=lambda r: (ORDER[r.colour], r.finding.deadline))


def sees_all(request: HttpRequest, plan: Plan) -> bool:
    return can(request.user, Action.VIEW_FINDINGS, plan.org_unit_id)


def visible_findings(request: HttpRequest, plan: Plan) -> QuerySet[InspectionFinding]:
    found = InspectionFinding.objects.filter(inspection__plan=plan).select_related(
        "task", "department", "inspection"
    )
    if sees_all(request, plan):
        return found
    department_id = department_of(request.user)
    if department_id is None:
        raise Http404
    return found.filter(department_id=department_id)


@login_required
def inspections(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    findings = visible_findings(request, plan)
    may_record = services.may_inspect(request.user, plan)
    if request.method == "POST":
        if not may_record:
            raise Http404
        _record(request, plan)
        return redirect("supervision:inspections", plan.pk)
    day = today()
    open_rows = rows_of(findings.exclude(status=InspectionFinding.Status.CLOSED), day)
    return render(
        request,
        "supervision/inspections.html",
        page_context(
            plan,
            inspections=plan.inspections.select_related("cycle") if sees_all(request, plan) else [],
            rows=open_rows,
            red=sum(1 for r in open_rows if r.colour == Colour.RED),
            may_record=may_record,
            methods=Inspection.Method.choices,
            cycles=Cycle.objects.filter(
                schedule__plan=plan, schedule__kind=Schedule.Kind.INSPECTION
            ),
            tasks=plan.tasks.select_related("section").order_by("order"),
            departments=departments_with_tasks(plan) if may_record else [],
            form_rows=range(1, FORM_ROWS + 1),
            near_days=services.NEAR_DAYS,
        ),
    )


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def _specs(request: HttpRequest, plan: Plan) -> list[services.FindingSpec]:
    specs = []
    for n in range(1, FORM_ROWS + 1):
        problem = request.POST.get(f"problem_{n}", "").strip()
        if not problem:
            continue
        task = get_task(plan, int(request.POST.get(f"task_{n}") or 0))
        department = Department.objects.filter(
            pk=request.POST.get(f"department_{n}") or 0, org_unit=plan.org_unit
        ).first()
        deadline = _date(request.POST.get(f"deadline_{n}"))
        if department is None or deadline is None:
            raise services.Refused(_("第 {n} 个问题：请选择责任部门并填写整改时限").format(n=n))
        specs.append(services.FindingSpec(task, department, problem, deadline))
    return specs


def _record(request: HttpRequest, plan: Plan) -> None:
    held_on = _date(request.POST.get("held_on"))
    cycle = Cycle.objects.filter(pk=request.POST.get("cycle") or 0).first()
    try:
        if held_on is None:
            raise services.Refused(_("请填写督查日期"))
        inspection = services.record_inspection(
            plan,
            method=request.POST.get("method", ""),
            held_on=held_on,
            summary=request.POST.get("summary", ""),
            findings=_specs(request, plan),
            cycle=cycle,
            actor=request.user,
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("已记录督查，发现问题 {n} 个").format(n=inspection.findings.count())
        )


def _inspection_of(request: HttpRequest, pk: int) -> Inspection:
    return get_for_user(
        Inspection.objects.select_related("plan__org_unit", "cycle"),
        request.user,
        Action.VIEW,
        place="plan__org_unit",
        pk=pk,
    )


@login_required
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    found = _inspection_of(request, pk)
    plan = found.plan
    findings = visible_findings(request, plan).filter(inspection=found)
    if not sees_all(request, plan) and not findings.exists():
        raise Http404
    rows = [(row, is_own(request, row.finding.department_id)) for row in rows_of(findings, today())]
    return render(
        request,
        "supervision/inspection.html",
        page_context(
            plan,
            item=found,
            rows=rows,
            may_decide=services.may_inspect(request.user, plan),
        ),
    )


def _finding_of(request: HttpRequest, pk: int) -> InspectionFinding:
    found: InspectionFinding = get_for_user(
        InspectionFinding.objects.select_related(
            "inspection__plan__org_unit", "task", "department"
        ),
        request.user,
        Action.VIEW,
        place="inspection__plan__org_unit",
        pk=pk,
    )
    if is_own(request, found.department_id) or sees_all(request, found.inspection.plan):
        return found
    raise Http404


def _back(found: InspectionFinding) -> HttpResponse:
    return redirect(reverse("supervision:inspection", args=[found.inspection_id]) + f"#f{found.pk}")


@login_required
@require_POST
def rectify(request: HttpRequest, pk: int) -> HttpResponse:
    found = _finding_of(request, pk)
    if not is_own(request, found.department_id):
        raise Http404
    try:
        services.report_rectification(
            found,
            rectification=request.POST.get("rectification", ""),
            evidence=request.POST.get("evidence", ""),
            actor=request.user,
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已报送整改情况"))
    return _back(found)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    found = _finding_of(request, pk)
    if not services.may_inspect(request.user, found.inspection.plan):
        raise Http404
    note = request.POST.get("note", "")
    try:
        if request.POST.get("decision") == "close":
            services.close_finding(found, note=note, actor=request.user)
            messages.success(request, _("已整改销号"))
        else:
            services.return_finding(found, note=note, actor=request.user)
            messages.success(request, _("已退回整改"))
    except ValueError as exc:
        messages.error(request, str(exc))
    return _back(found)
