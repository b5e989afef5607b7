"""Pages of 交办/签收, 催办 and the departments' requests (延期申请, 职责异议).

Who sees what (one gate, gaodi.accounts.gate): the work team and the inspectors of the plan's
place see everything (Action.INSPECT); a liaison sees its own department's handover, chases and
requests; only the work team issues, chases handovers and decides (Action.REVIEW); only the
department's liaison signs, answers and asks. Anything else is the same 404 as a missing page.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can, department_of, get_for_user
from gaodi.audit.models import ChangeRecord
from gaodi.orgs.models import Department
from gaodi.plans.choices import AssignmentRole, QuantityKind
from gaodi.plans.models import Plan, Target, Task
from gaodi.today import today

from . import handover as services
from .docx_handover import HandoverSheet, SheetTask, render_handover
from .models import Chase, Handover, Request

PLAN = Plan.objects.select_related("org_unit")


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_for_user(PLAN, request.user, Action.VIEW, place="org_unit", pk=pk)


def _oversees(request: HttpRequest, plan: Plan) -> bool:
    """The work team or an inspector of the plan's place."""
    return can(request.user, Action.INSPECT, plan.org_unit_id)


def _manages(request: HttpRequest, plan: Plan) -> bool:
    """The work team of the plan's place."""
    return can(request.user, Action.REVIEW, plan.org_unit_id)


def _own(request: HttpRequest, department_id: int) -> bool:
    return department_of(request.user) == department_id


def _task(plan: Plan, task_pk: int) -> Task:
    found = plan.tasks.select_related("section", "plan").filter(pk=task_pk).first()
    if found is None:
        raise Http404
    return found


def _department_of_user(request: HttpRequest, plan: Plan) -> Department | None:
    department_id = department_of(request.user)
    if department_id is None:
        return None
    return Department.objects.filter(pk=department_id, org_unit=plan.org_unit).first()


def _context(plan: Plan, **extra: object) -> dict[str, object]:
    return {"plan": plan, "nav_plan": plan, **extra}


# 交办 / 签收 ------------------------------------------------------------------------------


@login_required
def handovers(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's handovers, who has not signed and since when; a liaison goes to its own."""
    plan = _plan(request, pk)
    if not _oversees(request, plan):
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
        _context(
            plan,
            rows=rows,
            unsigned=[h for h in rows if h.acknowledged_at is None],
            waiting=waiting,
            may_manage=_manages(request, plan),
            chase_days=services.CHASE_AFTER_DAYS,
        ),
    )


@login_required
@require_POST
def issue_handovers(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not _manages(request, plan):
        raise Http404
    made = services.issue_handovers(plan, actor=request.user)
    messages.success(request, _("已向 {n} 个部门交办任务").format(n=len(made)))
    return redirect("supervision:handovers", plan.pk)


@login_required
@require_POST
def chase_handovers(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    if not _manages(request, plan):
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
    if _own(request, found.department_id) or _oversees(request, found.plan):
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
        _context(
            found.plan,
            handover=found,
            number=services.handover_number(found),
            may_sign=_own(request, found.department_id) and found.acknowledged_at is None,
            is_liaison=_own(request, found.department_id),
            **_work(found),
        ),
    )


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    found = _handover(request, pk)
    if not _own(request, found.department_id):
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


# 延期申请 / 职责异议 ------------------------------------------------------------------------


@login_required
def requests(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's requests, pending first; a liaison sees its own department's."""
    plan = _plan(request, pk)
    found = Request.objects.filter(task__plan=plan).select_related(
        "task__section", "department", "deadline"
    )
    if not _oversees(request, plan):
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
        _context(
            plan,
            rows=found.order_by("status", "-requested_at"),
            status=status,
            statuses=Request.Status.choices,
        ),
    )


@login_required
def request_new(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    """A liaison asks for more time on a deadline, or disputes its part in a task."""
    plan = _plan(request, pk)
    task = _task(plan, task_pk)
    department = _department_of_user(request, plan)
    if department is None or not services.is_assigned(task, department):
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
        _context(
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
        raise services.Refused(_("请选择要延期的时限"))
    try:
        new_date = dt.date.fromisoformat(request.POST.get("new_date", ""))
    except ValueError as exc:
        raise services.Refused(_("请填写新的时限（年-月-日）")) from exc
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
    if _own(request, found.department_id) or _oversees(request, found.task.plan):
        return found
    raise Http404


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: what was asked, the old and the new, and the decision (or the form)."""
    found = _request(request, pk)
    plan = found.task.plan
    may_decide = _manages(request, plan) and found.status == Request.Status.PENDING
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
        _context(plan, item=found, may_decide=may_decide, **extra),
    )


@login_required
@require_POST
def decide_request(request: HttpRequest, pk: int) -> HttpResponse:
    found = _request(request, pk)
    plan = found.task.plan
    if not _manages(request, plan):
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


# 催办 -------------------------------------------------------------------------------------


@login_required
def chases(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's chases, unanswered first; a liaison sees those sent to its department."""
    plan = _plan(request, pk)
    found = Chase.objects.filter(task__plan=plan).select_related(
        "task__section", "department", "chased_by"
    )
    if not _oversees(request, plan):
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
        _context(
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
    plan = _plan(request, pk)
    task = _task(plan, task_pk)
    oversees = _oversees(request, plan)
    department = _department_of_user(request, plan)
    mine = department is not None and services.is_assigned(task, department)
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
        _context(
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
    if _own(request, found.department_id) or _oversees(request, found.task.plan):
        return found
    raise Http404


@login_required
def chase(request: HttpRequest, pk: int) -> HttpResponse:
    """One chase and its answer (or the department's answer form)."""
    found = _chase_of(request, pk)
    return render(
        request,
        "supervision/chase.html",
        _context(
            found.task.plan,
            item=found,
            may_answer=_own(request, found.department_id) and found.answered_on is None,
        ),
    )


@login_required
@require_POST
def answer_chase(request: HttpRequest, pk: int) -> HttpResponse:
    found = _chase_of(request, pk)
    if not _own(request, found.department_id):
        raise Http404
    try:
        services.answer_chase(found, answer=request.POST.get("answer", ""), actor=request.user)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已回复"))
    return redirect(reverse("supervision:chase", args=[found.pk]))
