"""教师名册 as a list: the template to fill in and the upload (.xlsx or CSV), stored all or
nothing with every problem listed cell by cell (gaodi/templates/_upload_problems.html).

The upload is read in memory only (`MemoryOnlyUploadHandler`, installed before the body is
parsed, hence csrf_exempt outside and csrf_protect inside); its type comes from its bytes
(gaodi.files.tables.read_table and the shared defences). Who: Action.ENTER at the school — a
school's clerk for his own school, the work team for all; anyone else 404.
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from openpyxl import Workbook

from gaodi.files import exports, uploads
from gaodi.files.tables import read_table

from .roster_file import COLUMNS, REQUIRED, RosterEntry, RosterProblem, check_roster
from .services import Refused, TeacherInput, record_roster, roster_problems
from .views import _plan, writable_schools

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 50


@login_required
def roster_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The list to fill in: the header and one example row per school the user enters for."""
    plan = _plan(request, pk)
    schools = writable_schools(request, plan)
    if not schools:
        raise Http404
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("教师名册")
    exports.append(sheet, COLUMNS)
    for school in schools:
        exports.append(
            sheet,
            [
                school.code,
                _("（示例）张三"),
                "专任",
                "机电技术应用",
                "是",
                "技师",
                "3.5",
                "2021-09-01",
                "",
                "否",
                "",
                "",
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename="教师名册模板.xlsx"
    )
    return response


@csrf_exempt  # checked by csrf_protect below, once the memory-only handler is in place
def roster_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload the roster: stored all or nothing, problems cell by cell."""
    request.upload_handlers = [uploads.MemoryOnlyUploadHandler(request, max_files=1)]
    return _roster_upload(request, pk)


def _input(entry: RosterEntry) -> TeacherInput:
    return TeacherInput(
        name=entry.name,
        full_time=entry.full_time,
        specialty_course=entry.specialty_course,
        hired_on=entry.hired_on,
        subject=entry.subject,
        qualifications=entry.qualifications,
        enterprise_years=entry.enterprise_years,
        hire_exemption=entry.hire_exemption,
        dual_qualified=entry.dual_qualified,
        certified_on=entry.certified_on,
        left_on=entry.left_on,
        source=_("名册上传"),
    )


@csrf_protect
@login_required
def _roster_upload(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    schools = writable_schools(request, plan)
    if not schools:
        raise Http404
    problems: list[RosterProblem] = []
    if request.method == "POST":
        try:
            content, name = uploads.received(request)
            table = read_table(content, name, REQUIRED)
        except uploads.UploadRefused as refused:
            problems = [RosterProblem("", "", str(refused))]
        else:
            by_code = {s.code: s for s in schools}
            entries, problems = check_roster(table, {s.code: s.name for s in schools})
            rows = [(by_code[e.school], _input(e), e.place) for e in entries]
            problems += [RosterProblem(w, "", p) for w, p in roster_problems(rows)]
            if not problems:
                try:
                    created, unchanged = record_roster(
                        rows, actor=request.user, plan=plan, file=(name, content)
                    )
                except Refused as refused:  # changed meanwhile: said, nothing stored
                    problems = [RosterProblem("", "", str(refused))]
                else:
                    messages.success(
                        request,
                        _("已导入教师名册：新增 {n} 名，已在名册且信息相同 {same} 名。").format(
                            n=created, same=unchanged
                        ),
                    )
                    return redirect("teachers:overview", pk)
    return render(
        request,
        "teachers/upload.html",
        {
            "plan": plan,
            "problems": problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
            "max_size": uploads.size_text(uploads.max_bytes()),
            "columns": COLUMNS,
        },
    )
