"""Progress-report pages: 本部门本轮任务, the report of a (cycle, task, department) with its
form, the inspector's review, the evidence downloads and the inspector's list of lead reports.

Uploads are read in memory only (`MemoryOnlyUploadHandler` with the evidence limit, installed
before the body is parsed, hence csrf_exempt outside and csrf_protect inside), checked from their
bytes, and written to disk only when the whole report is accepted for storing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can, department_of, get_for_user
from gaodi.indicators import uploads
from gaodi.orgs.models import Department
from gaodi.plans.models import Plan, Task, TaskListItem
from gaodi.today import today

from . import evidence, report_queries, reports
from .models import Cycle, Evidence, ProgressReport

Status = ProgressReport.Status


@login_required
def my_tasks(request: HttpRequest, pk: int) -> HttpResponse:
    """本部门本轮任务: the department's tasks in the current rounds, with their reports."""
    plan = _plan(request, pk)
    department_id = department_of(request.user)
    rows = report_queries.department_rows(plan, department_id, today()) if department_id else []
    return render(
        request,
        "supervision/my_tasks.html",
        {
            "plan": plan,
            "nav_plan": plan,
            "department": Department.objects.filter(pk=department_id).first(),
            "rows": rows,
            "cycles": report_queries.current_cycles(plan, today()),
            "sees_all": report_queries.sees_all(request.user, plan),
        },
    )


@login_required
def report_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The lead reports of the current rounds, for the inspectors, the work team and leaders."""
    plan = _plan(request, pk)
    if not report_queries.sees_all(request.user, plan):
        if department_of(request.user) is not None:  # a liaison: his own tasks' page
            return redirect("supervision:my_tasks", pk)
        raise Http404
    rows = []
    for cycle in report_queries.current_cycles(plan, today()):
        for task in plan.tasks.select_related("section").prefetch_related("assignments"):
            for department_id in report_queries.lead_department_ids(task):
                # Another department's draft is its own business until it is submitted.
                latest = (
                    report_queries.chain(cycle, task, department_id)
                    .exclude(status=ProgressReport.Status.DRAFT)
                    .order_by("-version")
                    .first()
                )
                rows.append((cycle, task, department_id, latest))
    departments = {d.pk: d for d in Department.objects.filter(pk__in={r[2] for r in rows})}
    shown = [(c, t, departments[d], latest) for c, t, d, latest in rows]
    return render(
        request, "supervision/report_list.html", {"plan": plan, "nav_plan": plan, "rows": shown}
    )


@csrf_exempt  # checked by csrf_protect below, once the memory-only handler is in place
def report(request: HttpRequest, cycle_pk: int, task_pk: int, department_pk: int) -> HttpResponse:
    """A department's report on a task in a round: read it, fill it in, submit it."""
    request.upload_handlers = [uploads.MemoryOnlyUploadHandler(request, limit=evidence.max_bytes())]
    return _report(request, cycle_pk, task_pk, department_pk)


@csrf_protect
@login_required
def _report(request: HttpRequest, cycle_pk: int, task_pk: int, department_pk: int) -> HttpResponse:
    cycle, task, department = _place(request, cycle_pk, task_pk, department_pk)
    editable = report_queries.may_edit(request.user, department.pk)
    items = list(TaskListItem.objects.filter(tasks=task).order_by("seq"))
    errors: list[str] = []
    posted: dict[str, Any] | None = None
    if request.method == "POST":
        if not editable:
            raise Http404
        data, errors, files = _read_form(request, items)
        errors += reports.check_input(data)
        # The revision the form was opened on: a save over someone else's newer one is refused.
        # A client that sends none (not the page's form) edits the draft as it stands.
        seen = request.POST.get("revision")
        if not errors:
            try:
                saved = reports.save_report(
                    cycle,
                    task,
                    department,
                    data,
                    files=files,
                    actor=request.user,
                    seen=seen,
                    submit=request.POST.get("action") == "submit",
                )
            except reports.ReportRefused as exc:
                errors = exc.problems
            else:
                messages.success(request, _done_message(saved))
                return redirect("supervision:report", cycle.pk, task.pk, department.pk)
        posted = {"data": data, "revision": seen}
    return render(
        request,
        "supervision/report.html",
        _report_context(request, cycle, task, department, items, editable, errors, posted),
    )


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspector accepts a lead report or returns it with a comment."""
    found = (
        ProgressReport.objects.select_related("cycle__schedule", "task__plan").filter(pk=pk).first()
    )
    if found is None:
        raise Http404
    if not report_queries.may_review(request.user, found):
        raise Http404
    accept = request.POST.get("verdict") == "accept"
    try:
        reports.review_report(
            found, accept=accept, comment=request.POST.get("comment", ""), actor=request.user
        )
    except reports.ReportRefused as exc:
        for problem in exc.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("已通过") if accept else _("已退回，牵头单位会收到待办"))
    return redirect("supervision:report", found.cycle_id, found.task_id, found.department_id)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """One evidence file, as a download, for those who may see its report."""
    found = Evidence.objects.select_related("report__task__plan").filter(pk=pk).first()
    if found is None:
        raise Http404
    task = found.report.task
    _plan(request, task.plan_id)
    if not report_queries.may_see(request.user, task.plan, task, found.report.department_id):
        raise Http404
    if not evidence.path_of(found).is_file():
        raise Http404
    return evidence.response_for(found)


# --- helpers ---------------------------------------------------------------------------------


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )


def _place(
    request: HttpRequest, cycle_pk: int, task_pk: int, department_pk: int
) -> tuple[Cycle, Task, Department]:
    """The round, task and department, or 404 when missing or not the user's to see."""
    task: Task = get_for_user(
        Task.objects.select_related("plan__org_unit", "section"),
        request.user,
        Action.VIEW,
        place="plan__org_unit",
        pk=task_pk,
    )
    cycle = (
        Cycle.objects.select_related("schedule__plan")
        .filter(pk=cycle_pk, schedule__plan=task.plan)
        .first()
    )
    department = Department.objects.filter(pk=department_pk).first()
    if (
        cycle is None
        or department is None
        or report_queries.tier_of(task, department.pk) is None
        or not report_queries.may_see(request.user, task.plan, task, department.pk)
    ):
        raise Http404
    return cycle, task, department


def _read_form(
    request: HttpRequest, items: list[TaskListItem]
) -> tuple[reports.ReportInput, list[str], list[evidence.CheckedFile]]:
    """The posted report, the problems that parsing found, and the checked files."""
    post = request.POST
    errors: list[str] = []
    percent: int | None = None
    if post.get("percent", "").strip():
        try:
            percent = int(post["percent"].strip())
        except ValueError:
            errors.append(_("完成百分比应为 0 到 100 的整数"))
    checklist = {
        str(item.seq): {
            "done": post.get(f"item-{item.seq}-done") == "on",
            "note": post.get(f"item-{item.seq}-note", "").strip(),
        }
        for item in items
    }
    data = reports.ReportInput(
        progress=post.get("progress", ""),
        narrative=post.get("narrative", "").strip(),
        percent=percent,
        problems=post.get("problems", "").strip(),
        needs=post.get("needs", "").strip(),
        checklist=checklist,
    )
    handler = request.upload_handlers[0]
    if getattr(handler, "too_large", False):
        return data, [*errors, evidence.too_large_message(getattr(handler, "file_name", ""))], []
    files: list[evidence.CheckedFile] = []
    for upload in request.FILES.getlist("files"):
        try:
            files.append(evidence.check_file(upload, upload.name or ""))
        except evidence.EvidenceRefused as exc:
            errors.append(str(exc))
    return data, errors, files


def _done_message(saved: ProgressReport) -> str:
    if saved.status == Status.DRAFT:
        return _("已保存第{version}版（填写中）").format(version=saved.version)
    if saved.tier == ProgressReport.Tier.PART:
        return _("已报送牵头单位（第{version}版）").format(version=saved.version)
    return _("已报送督查督导（第{version}版）").format(version=saved.version)


def _report_context(
    request: HttpRequest,
    cycle: Cycle,
    task: Task,
    department: Department,
    items: list[TaskListItem],
    editable: bool,
    errors: list[str],
    posted: dict[str, Any] | None,
) -> dict[str, Any]:
    versions = list(report_queries.chain(cycle, task, department.pk).order_by("-version"))
    shown = _shown_version(request, versions)
    latest = versions[0] if versions else None
    tier = report_queries.tier_of(task, department.pk)
    parts = report_queries.parts_of(cycle, task) if tier == report_queries.LEAD else []
    may_fill = editable and (latest is None or latest.status != Status.ACCEPTED)
    values = _form_values(posted, latest, parts)
    return {
        "plan": task.plan,
        "nav_plan": task.plan,
        "cycle": cycle,
        "task": task,
        "department": department,
        "tier": tier,
        "tier_label": ProgressReport.Tier(tier).label if tier else "",
        "versions": versions,
        "shown": shown,
        "shown_evidence": list(report_queries.evidence_of(shown)) if shown else [],
        "shown_checklist": _checklist_rows(items, shown.checklist if shown else {}),
        "parts": [(part, list(report_queries.evidence_of(part))) for part in parts],
        "may_fill": may_fill,
        "new_version": latest is not None and latest.status != Status.DRAFT,
        "may_review": (
            shown is not None
            and shown.tier == ProgressReport.Tier.LEAD
            and shown.status == Status.SUBMITTED
            and can(request.user, Action.INSPECT, task.plan.org_unit_id)
        ),
        "errors": errors,
        "values": values,
        # After a refusal the form keeps the revision it was opened on: saving again is
        # refused again until the page is reloaded with the other person's text.
        "revision": (posted or {}).get("revision") or reports.revision_of(latest),
        "form_checklist": _checklist_rows(items, values["checklist"]),
        "progress_choices": ProgressReport.Progress.choices,
        "max_size": uploads.size_text(evidence.max_bytes()),
        "max_files": evidence.MAX_FILES,
    }


def _shown_version(request: HttpRequest, versions: list[ProgressReport]) -> ProgressReport | None:
    wanted = request.GET.get("version", "")
    if wanted.isdigit():
        for version in versions:
            if version.version == int(wanted):
                return version
        raise Http404
    return versions[0] if versions else None


def _form_values(
    posted: dict[str, Any] | None,
    latest: ProgressReport | None,
    parts: list[ProgressReport],
) -> dict[str, Any]:
    """What the form shows: what was just posted, else the latest version (a new version starts
    as a copy of it), else for a lead the parts of the cooperating departments."""
    if posted is not None:
        data: reports.ReportInput = posted["data"]
        return {name: getattr(data, name) for name in reports.FIELDS}
    if latest is not None:
        return {name: getattr(latest, name) for name in reports.FIELDS}
    return {
        "progress": "",
        "percent": None,
        "narrative": report_queries.consolidated_narrative(parts),
        "problems": "",
        "needs": "",
        "checklist": {},
    }


def _checklist_rows(
    items: list[TaskListItem], checklist: dict[str, Any]
) -> list[tuple[TaskListItem, bool, str]]:
    rows = []
    for item in items:
        line = checklist.get(str(item.seq)) or {}
        rows.append((item, bool(line.get("done")), str(line.get("note", ""))))
    return rows
