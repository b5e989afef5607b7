"""Pages of 会议与批示: the plan's meetings and tracked items (会议交办 / 领导批示) with their
lights, deadlines and latest reported progress, the forms to record a meeting and to hand an
item; one meeting with its attendees, decisions and the items it produced.

Who sees what (one gate, gaodi.accounts.gate): the work team, the leaders and the inspectors of
the place see every meeting and item; a liaison sees the items its department leads or
cooperates on, and the meetings they came from; anyone else gets a 404. Recording a meeting and
handing an item: meetings.may_direct (the work team or a leader).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can, department_of, get_for_user
from gaodi.orgs.models import Department
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Plan
from gaodi.today import today

from . import meetings as services
from .board import TaskLight, plan_lights
from .models import Meeting, ProgressReport, TrackedItem
from .views_access import get_plan, page_context


@dataclass(frozen=True)
class ItemRow:
    """A tracked item as the list shows it: its light, deadline and latest reported progress."""

    item: TrackedItem
    light: TaskLight | None
    deadline: dt.date | None
    progress: ProgressReport | None


def sees_all(request: HttpRequest, plan: Plan) -> bool:
    """The work team, the leaders and the inspectors of the plan's place."""
    return can(request.user, Action.VIEW_FINDINGS, plan.org_unit_id)


def visible_items(request: HttpRequest, plan: Plan) -> QuerySet[TrackedItem]:
    found = TrackedItem.objects.filter(plan=plan).select_related("meeting", "task__section")
    if sees_all(request, plan):
        return found
    department_id = department_of(request.user)
    if department_id is None:
        raise Http404
    mine = plan.tasks.filter(
        assignments__department_id=department_id,
        assignments__role__in=[AssignmentRole.LEAD, AssignmentRole.COOP],
    )
    return found.filter(task__in=mine)


def item_rows(plan: Plan, items: QuerySet[TrackedItem]) -> list[ItemRow]:
    """Each item with the light board.plan_lights gives its task, as of today."""
    found = list(items.prefetch_related("task__deadlines", "task__assignments__department"))
    if not found:
        return []
    lights = {row.task.pk: row for row in plan_lights(plan, today())}
    latest: dict[int, ProgressReport] = {}
    reports = ProgressReport.objects.filter(
        task__in=[i.task_id for i in found], tier=ProgressReport.Tier.LEAD
    ).exclude(status=ProgressReport.Status.DRAFT)
    for report in reports.select_related("cycle").order_by("submitted_at", "pk"):
        latest[report.task_id] = report
    return [
        ItemRow(
            item,
            lights.get(item.task_id),
            max((d.date for d in item.task.deadlines.all()), default=None),
            latest.get(item.task_id),
        )
        for item in found
    ]


def _departments(plan: Plan) -> QuerySet[Department]:
    return Department.objects.filter(org_unit=plan.org_unit, collective=False).order_by("name")


@login_required
def meetings(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    items = visible_items(request, plan)
    found = Meeting.objects.filter(plan=plan)
    if not sees_all(request, plan):
        found = found.filter(items__in=items).distinct()
    may_write = services.may_direct(request.user, plan)
    return render(
        request,
        "supervision/meetings.html",
        page_context(
            plan,
            meetings=found,
            rows=item_rows(plan, items),
            may_write=may_write,
            kinds=Meeting.Kind.choices,
            sources=TrackedItem.Source.choices,
            all_meetings=Meeting.objects.filter(plan=plan) if may_write else [],
            departments=_departments(plan) if may_write else [],
            section_title=services.SECTION_TITLE,
        ),
    )


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value or "")
    except ValueError:
        return None


def _plan_to_write(request: HttpRequest, pk: int) -> Plan:
    plan = get_plan(request, pk)
    if not services.may_direct(request.user, plan):
        raise Http404
    return plan


@login_required
@require_POST
def record_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_to_write(request, pk)
    try:
        meeting = services.record_meeting(
            plan,
            kind=request.POST.get("kind", ""),
            title=request.POST.get("title", ""),
            held_on=_date(request.POST.get("held_on")),
            attendees=request.POST.get("attendees", ""),
            decisions=request.POST.get("decisions", ""),
            actor=request.user,
        )
    except services.Refused as exc:
        messages.error(request, str(exc))
        return redirect("supervision:meetings", plan.pk)
    messages.success(request, _("已记录会议：{title}").format(title=meeting.title))
    return redirect("supervision:meeting", meeting.pk)


@login_required
@require_POST
def track_item(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan_to_write(request, pk)
    departments = _departments(plan)
    meeting = Meeting.objects.filter(plan=plan, pk=_number(request.POST.get("meeting"))).first()
    lead = departments.filter(pk=_number(request.POST.get("lead"))).first()
    coop_ids = [_number(value) for value in request.POST.getlist("cooperating")]
    try:
        item = services.track_item(
            plan,
            source=request.POST.get("source", ""),
            title=request.POST.get("title", ""),
            wording=request.POST.get("wording", ""),
            lead=lead,
            cooperating=list(departments.filter(pk__in=coop_ids)),
            deadline=_date(request.POST.get("deadline")),
            deadline_phrase=request.POST.get("deadline_phrase", ""),
            issued_on=_date(request.POST.get("issued_on")),
            meeting=meeting,
            leader=request.POST.get("leader", ""),
            actor=request.user,
        )
    except services.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("已交办{task}，牵头单位{lead}已收到待办").format(
                task=item.task.label, lead=lead.name if lead else ""
            ),
        )
    if meeting is not None and request.POST.get("back") == "meeting":
        return redirect("supervision:meeting", meeting.pk)
    return redirect("supervision:meetings", plan.pk)


def _number(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@login_required
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found: Meeting = get_for_user(
        Meeting.objects.select_related("plan__org_unit", "created_by"),
        request.user,
        Action.VIEW,
        place="plan__org_unit",
        pk=pk,
    )
    plan = found.plan
    items = visible_items(request, plan).filter(meeting=found)
    if not sees_all(request, plan) and not items.exists():
        raise Http404
    may_write = services.may_direct(request.user, plan)
    return render(
        request,
        "supervision/meeting.html",
        page_context(
            plan,
            item=found,
            rows=item_rows(plan, items),
            may_write=may_write,
            departments=_departments(plan) if may_write else [],
        ),
    )
