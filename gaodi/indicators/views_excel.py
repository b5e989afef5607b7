"""Excel and CSV for a reporting form: download the template (or a CSV), upload it back.

The upload is read in memory only (`MemoryOnlyUploadHandler`, installed before the body is
parsed, hence csrf_exempt outside and csrf_protect inside), its type comes from its bytes,
and it is stored all or nothing through store_values; every problem is listed with its cell.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from gaodi.files import uploads
from gaodi.files.downloads import xlsx_response

from . import approval, excel
from .approving import submission_of
from .collection import window_problem
from .views_collect import _data_set, _unit_and_period

SHOWN_PROBLEMS = 200  # a wholly wrong file could list thousands; the first ones say enough


@login_required
def template(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    """The .xlsx template of a data set for an org unit and period, stored values filled in."""
    data_set = _data_set(request, pk)
    unit = _unit_and_period(request, unit_pk, period)
    return xlsx_response(
        excel.template_for(data_set, unit, period), excel.template_filename(data_set, unit, period)
    )


@login_required
def csv_template(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    """The same as CSV (UTF-8 with BOM, so that Excel opens it in Chinese)."""
    data_set = _data_set(request, pk)
    unit = _unit_and_period(request, unit_pk, period)
    text = excel.write_csv(excel.lines_of(data_set), excel.stored_values(data_set, unit, period))
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, excel.template_filename(data_set, unit, period, "csv")
    )
    return response


@csrf_exempt  # checked by csrf_protect below, once the memory-only handler is in place
def upload(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    """Upload a filled-in template or a CSV: stored all or nothing, problems cell by cell."""
    request.upload_handlers = [uploads.MemoryOnlyUploadHandler(request, max_files=1)]
    return _upload(request, pk, unit_pk, period)


@csrf_protect
@login_required
def _upload(request: HttpRequest, pk: int, unit_pk: int, period: str) -> HttpResponse:
    data_set = _data_set(request, pk)
    unit = _unit_and_period(request, unit_pk, period)
    problems: list[excel.CellProblem] = []
    if request.method == "POST":
        try:
            content, name = _received(request)
            result = excel.import_file(
                data_set, unit, period, content, name=name, actor=request.user
            )
        except excel.FileRefused as exc:
            problems = exc.problems
        else:
            note = _("已从文件导入 {n} 项数据，比值已按组成部分重新计算。").format(n=result.values)
            if result.warnings:
                note += _("有 {n} 条提示，请核实。").format(n=len(result.warnings))
            messages.success(request, note)
            return redirect("indicators:form", pk, unit_pk, period)
    submission = submission_of(data_set, unit, period)
    context: dict[str, Any] = {
        "plan": data_set.plan,
        "nav_plan": data_set.plan,
        "data_set": data_set,
        "unit": unit,
        "period": period,
        "problems": problems[:SHOWN_PROBLEMS],
        "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
        "closed": window_problem(data_set, period),
        "locked": approval.is_locked(submission.status),
        "max_size": uploads.size_text(uploads.max_bytes()),
    }
    return render(request, "indicators/upload.html", context)


def _received(request: HttpRequest) -> tuple[bytes, str]:
    """The uploaded bytes and name, or FileRefused (too large, missing, empty)."""
    try:
        return uploads.received(request)
    except uploads.UploadRefused as exc:
        upload = request.FILES.get("file")
        name = upload.name if upload else ""
        raise excel.FileRefused([excel.CellProblem("", "", name, str(exc))]) from exc
