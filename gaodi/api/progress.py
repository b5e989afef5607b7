"""进展报告 by machine: a department's progress report on a task in a round (调度/督查), without
evidence files (those are uploaded on the web page). The same service as the page
(`supervision.reports.save_report`): the same checks, the same optimistic lock, the same
change records and 待办.

A retried request stores once: the client sends the `revision` it read before its first try
("0.0" for a report not yet written); when the chain has moved on since, the service compares
the stored version with the body and, if it is this caller's own last save of the same text,
answers with it instead of writing again (a double click, a timed-out request sent again).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from gaodi.accounts.gate import Action, department_of, get_for_user
from gaodi.orgs.models import Department
from gaodi.plans.models import Plan, Task
from gaodi.supervision import report_queries, reports
from gaodi.supervision.models import Cycle, ProgressReport

from .schemas import MAX_ID, NOT_FOUND, SIGNED_IN, Message

router = Router(tags=["督查督办"])

MAX_TEXT = 20_000  # characters of one text field: a report, not a file


class ProgressIn(Schema):
    task: int = Field(..., ge=1, le=MAX_ID, description="任务编号")
    department: int = Field(..., ge=1, le=MAX_ID, description="报送部门编号（本人所在部门）")
    progress: str = Field(
        ...,
        max_length=20,
        description="进展：not_started 未启动、ongoing 推进中、done 已完成、lagging 滞后",
    )
    narrative: str = Field(..., max_length=MAX_TEXT, description="进展情况")
    percent: int | None = Field(None, ge=0, le=100, description="完成百分比（0–100，可不填）")
    problems: str = Field("", max_length=MAX_TEXT, description="存在问题")
    needs: str = Field("", max_length=MAX_TEXT, description="需协调事项")
    revision: str = Field(
        ...,
        max_length=30,
        description="打开表单（或首次发送）前读到的修订号；尚未填写过的报告为 0.0。"
        "重发同一请求不会重复保存",
    )
    submit: bool = Field(
        False, description="保存后立即报送（配合单位报牵头单位，牵头单位报督查督导）"
    )


class ProgressOut(Schema):
    report: int = Field(..., description="报告编号")
    task: int = Field(..., description="任务编号")
    department: int = Field(..., description="部门编号")
    tier: str = Field(..., description="part 配合单位报送 / lead 牵头单位汇总")
    version: int = Field(..., description="版本（报送或退回后再改为新版本）")
    status: str = Field(
        ..., description="draft 填写中 / submitted 已报送 / accepted 已通过 / returned 已退回"
    )
    revision: str = Field(..., description="当前修订号：下次修改时作为 revision 发送")
    progress: str = Field(..., description="进展")
    percent: int | None = Field(..., description="完成百分比")


class ProgressQuery(Schema):
    task: int | None = Field(None, ge=1, le=MAX_ID, description="只看该任务")


class Refused(Schema):
    detail: str = Field(..., description="说明（中文）")
    problems: list[str] = Field(..., description="逐项原因")


def _out(report: ProgressReport) -> ProgressOut:
    return ProgressOut(
        report=report.pk,
        task=report.task_id,
        department=report.department_id,
        tier=report.tier,
        version=report.version,
        status=report.status,
        revision=reports.revision_of(report),
        progress=report.progress,
        percent=report.percent,
    )


def _cycle(request: HttpRequest, cycle_id: int) -> tuple[Cycle, Plan]:
    """The round, or 404 when missing or its plan is not the caller's to read."""
    cycle = Cycle.objects.select_related("schedule").filter(pk=cycle_id).first()
    if cycle is None:
        raise Http404
    plan: Plan = get_for_user(
        Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=cycle.schedule.plan_id
    )
    return cycle, plan


@router.get(
    "/cycles/{cycle_id}/progress",
    response={200: list[ProgressOut], **SIGNED_IN, **NOT_FOUND},
    summary="本轮进展报告",
)
def list_progress(
    request: HttpRequest, cycle_id: int, query: Query[ProgressQuery]
) -> list[ProgressOut]:
    """本轮各任务的进展报告（每个部门每项任务的最新版本）：部门联络员看到本部门的，工作专班、领导和督查督导看到全部。"""
    cycle, plan = _cycle(request, cycle_id)
    found = ProgressReport.objects.filter(cycle=cycle)
    if not report_queries.sees_all(request.auth, plan):
        own = department_of(request.auth)
        if own is None:
            return []
        found = found.filter(department_id=own)
    if query.task is not None:
        found = found.filter(task_id=query.task)
    latest: dict[tuple[int, int], ProgressReport] = {}
    for report in found.order_by("task_id", "department_id", "-version"):
        latest.setdefault((report.task_id, report.department_id), report)
    return [_out(report) for report in latest.values()]


@router.post(
    "/cycles/{cycle_id}/progress",
    response={
        200: ProgressOut,
        400: Refused,
        403: Message,
        409: Refused,
        **SIGNED_IN,
        **NOT_FOUND,
    },
    summary="填报进展报告",
)
def write_progress(request: HttpRequest, cycle_id: int, body: ProgressIn) -> Status[object]:
    """部门联络员填写（可同时报送）本部门在本轮的一项任务的进展报告，不含佐证材料（佐证材料请在网页上传）。与网页同一套校验；他人已修改则拒绝并说明何人何时修改；重发同一请求只保存一次。"""
    cycle, plan = _cycle(request, cycle_id)
    task = Task.objects.select_related("section").filter(pk=body.task, plan=plan).first()
    department = Department.objects.filter(pk=body.department).first()
    if (
        task is None
        or department is None
        or not report_queries.may_edit(request.auth, department.pk)
        or report_queries.tier_of(task, department.pk) is None
    ):
        raise Http404
    texts = (body.progress, body.narrative, body.problems, body.needs, body.revision)
    if any("\x00" in text for text in texts):
        problem = _("文字中含有不可见的控制字符（NUL），请删除后重试")
        why = _("未保存：{why}").format(why=problem)
        return Status(400, {"detail": why, "problems": [problem]})
    data = reports.ReportInput(
        progress=body.progress,
        narrative=body.narrative.strip(),
        percent=body.percent,
        problems=body.problems.strip(),
        needs=body.needs.strip(),
    )
    try:
        saved = reports.save_report(
            cycle,
            task,
            department,
            data,
            actor=request.auth,
            seen=body.revision.strip(),
            submit=body.submit,
        )
    except reports.ReportConflict as exc:
        return Status(409, {"detail": _("未保存：{why}").format(why=exc), "problems": exc.problems})
    except reports.ReportRefused as exc:
        return Status(400, {"detail": _("未保存：{why}").format(why=exc), "problems": exc.problems})
    return Status(200, _out(saved))
