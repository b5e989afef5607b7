"""Pages of 交办/签收: the plan's handovers, issuing and chasing them, a department's handover,
its 签收 and its 交办单 (.docx). Who sees what: views_access.
"""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, department_of, get_for_user
from gaodi.audit.models import ChangeRecord
from gaodi.plans.choices import AssignmentRole, QuantityKind
from gaodi.plans.models import Target, Task
from gaodi.today import today

from . import handover as services
from .docx_handover import HandoverSheet, SheetTask, render_handover
from .models import Handover
from .views_access import get_plan, is_manager, is_overseer, is_own, page_context


@login_required
def handovers(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's handovers, who has not signed and since when; a liaison goes to its own."""
    plan = get_plan(request, pk)
    if not is_overseer(request, plan):
        own = plan.handovers.filter(department_id=department_of(request.user)).first()
        if own is None:
            raise Http404
        return redirect("supervision:handover", own.pk)
    rows = list(
        plan.handovers.select_related("department", "acknowledged_by").order_by(
            "acknowledged_at", "department__name"
        )
    )
    chases = dict(
        ChangeRecord.objects.filter(
            object_type="supervision.handover",
            action="chase",
            object_id__in=[str(h.pk) for h in rows],
        )
        .values_list("object_id")
        .annotate(n=Count("id"))
    )
    day = today()
    for handover in rows:
        handover.chase_count = chases.get(str(handover.pk), 0)
        handover.days_open = (day - timezone.localtime(handover.issued_at).date()).days
    issued = {h.department_id for h in rows}
    waiting = [d for d in services.departments_with_tasks(plan) if d.pk not in issued]
    return render(
        request,
        "supervision/handovers.html",
        page_context(
            plan,
            rows=rows,
            unsigned=[h for h in rows if h.acknowledged_at is None],
            waiting=waiting,
            may_manage=is_manager(request, plan),
            chase_days=services.CHASE_AFTER_DAYS,
        ),
    )


@login_required
@require_POST
def issue_handovers(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    if not is_manager(request, plan):
        raise Http404
    made = services.issue_handovers(plan, actor=request.user)
    messages.success(request, _("已向 {n} 个部门交办任务").format(n=len(made)))
    return redirect("supervision:handovers", plan.pk)


@login_required
@require_POST
def chase_handovers(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    if not is_manager(request, plan):
        raise Http404
    try:
        days = int(request.POST.get("days", "") or services.CHASE_AFTER_DAYS)
        chased = services.chase_handovers(plan, days=days, actor=request.user)
    except ValueError as exc:  # int() or Refused
        text = str(exc) if isinstance(exc, services.Refused) else _("天数应为整数")
        messages.error(request, text)
    else:
        messages.success(request, _("已催办 {n} 个未签收的部门").format(n=len(chased)))
    return redirect("supervision:handovers", plan.pk)


def _handover(request: HttpRequest, pk: int) -> Handover:
    found = get_for_user(
        Handover.objects.select_related("plan__org_unit", "department", "acknowledged_by"),
        request.user,
        Action.VIEW,
        place="plan__org_unit",
        pk=pk,
    )
    if is_own(request, found.department_id) or is_overseer(request, found.plan):
        return found
    raise Http404


def _work(handover: Handover) -> dict[str, list[Task]]:
    """The department's lead and coop tasks, each with its targets attached."""
    work = {
        role: services.tasks_of_department(handover.plan, handover.department, role)
        for role in (AssignmentRole.LEAD, AssignmentRole.COOP)
    }
    targets: dict[int, list[Target]] = {}
    tasks = work[AssignmentRole.LEAD] + work[AssignmentRole.COOP]
    for target in Target.objects.filter(task__in=tasks, kind=QuantityKind.TARGET).order_by("id"):
        targets.setdefault(target.task_id, []).append(target)
    for task in tasks:
        task.target_list = targets.get(task.pk, [])
    return {"leads": work[AssignmentRole.LEAD], "supports": work[AssignmentRole.COOP]}


@login_required
def handover(request: HttpRequest, pk: int) -> HttpResponse:
    """A department's handover: its tasks (lead, coop), deadlines, targets; the 签收 button."""
    found = _handover(request, pk)
    return render(
        request,
        "supervision/handover.html",
        page_context(
            found.plan,
            handover=found,
            number=services.handover_number(found),
            may_sign=is_own(request, found.department_id) and found.acknowledged_at is None,
            is_liaison=is_own(request, found.department_id),
            **_work(found),
        ),
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    found = _handover(request, pk)
    if not is_own(request, found.department_id):
        raise Http404  # only the department itself signs for its tasks
    services.acknowledge_handover(found, actor=request.user)
    messages.success(request, _("已签收"))
    return redirect("supervision:handover", found.pk)


def _partners(task: Task, role: str) -> list[str]:
    return [a.department.name for a in task.assignments.all() if a.role == role]


def _sheet_task(task: Task, partner_role: str) -> SheetTask:
    return SheetTask(
        label=task.label,
        title=task.title,
        deadlines=[f"{d.date:%Y-%m-%d}（{d.phrase}）" for d in task.deadlines.all()],
        targets=[t.phrase for t in task.target_list],
        partners=_partners(task, partner_role),
    )


def handover_sheet(found: Handover) -> HandoverSheet:
    """What the 交办单 of a handover says."""
    work = _work(found)
    signed_by = found.acknowledged_by
    return HandoverSheet(
        number=services.handover_number(found),
        plan_title=found.plan.title,
        plan_doc_number=found.plan.doc_number,
        issuer=_("{issuer}职业教育创新发展高地建设工作专班").format(
            issuer=found.plan.org_unit.name
        ),
        department=found.department.name,
        issued_on=f"{timezone.localtime(found.issued_at):%Y年%-m月%-d日}",
        lead=[_sheet_task(t, AssignmentRole.COOP) for t in work["leads"]],
        coop=[_sheet_task(t, AssignmentRole.LEAD) for t in work["supports"]],
        acknowledged_by=(signed_by.get_full_name() or signed_by.get_username())
        if signed_by
        else "",
        acknowledged_on=(
            f"{timezone.localtime(found.acknowledged_at):%Y年%-m月%-d日}"
            if found.acknowledged_at
            else ""
        ),
    )


@login_required
def handover_docx(request: HttpRequest, pk: int) -> HttpResponse:
    """The 交办单 to print, sign and file."""
    found = _handover(request, pk)
    content = render_handover(handover_sheet(found))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    name = _("{department}任务交办单.docx").format(department=found.department.name)
    response["Content-Disposition"] = (
        f"attachment; filename=\"handover-{found.pk}.docx\"; filename*=UTF-8''{quote(name)}"
    )
    return response
