"""专业点年度数据 pages: each school's specialties and their numbers by year (招生计划, 实际招生,
在校生, 毕业生, 就业率, 对口就业率), which the warning rules, the alignment and the 专业布局
indicators are computed from; one row typed on the form, or a list uploaded (.xlsx or CSV).

Who: read like the 专业预警 page (queries.visible_schools). Entering is Action.ENTER at the
school: a school's clerk for his school, the work team for all; anyone else gets 404. The
form and the upload go through the same checks (offerings_file.check_offerings) and the same
all-or-nothing write (offerings.record_offerings).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from gaodi.files import exports
from gaodi.files.downloads import xlsx_response
from gaodi.files.tables import Table, TableRow, read_table
from gaodi.files.uploads import UploadRefused, received
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.today import today

from .catalogue_file import Problem
from .models import Offering
from .offerings import (
    CURRENT_CATALOGUE,
    current_specialties,
    enterable_schools,
    record_offerings,
)
from .offerings_file import COLUMNS, REQUIRED, check_offerings
from .queries import visible_schools
from .views import visible_plan, year_param
from .views_catalogue import SHOWN_PROBLEMS

FORM_SOURCE = "学校填报（表单）"
FILE_SOURCE = "学校填报（上传）"


@login_required
def offerings(request: HttpRequest, pk: int) -> HttpResponse:
    return _offerings_page(request, visible_plan(request, pk))


def _offerings_page(
    request: HttpRequest, plan: Plan, problems: Sequence[Problem] = ()
) -> HttpResponse:
    """The offerings page; after a refused upload, with its problems cell by cell."""
    schools = visible_schools(request.user, plan)
    year = year_param(request.GET.get("year", "")) or today().year
    rows = list(
        Offering.objects.filter(school__in=schools, year__in=[year - 2, year - 1, year])
        .select_related("school", "specialty")
        .order_by("school__code", "specialty__name", "-year")
    )
    return render(
        request,
        "specialties/offerings.html",
        {
            "plan": plan,
            "year": year,
            "rows": rows,
            "enterable": enterable_schools(request.user, plan),
            "specialties": sorted(current_specialties()),
            "catalogue": CURRENT_CATALOGUE,
            "columns": COLUMNS,
            "problems": problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
        },
    )


def _entering(request: HttpRequest, pk: int) -> tuple[Plan, list[OrgUnit]]:
    plan = visible_plan(request, pk)
    schools = enterable_schools(request.user, plan)
    if not schools:
        raise Http404
    return plan, schools


@login_required
@require_POST
def offering_record(request: HttpRequest, pk: int) -> HttpResponse:
    """One school, specialty and year from the form, checked like a row of the upload."""
    plan, schools = _entering(request, pk)
    cells = {column: request.POST.get(column, "").strip() for column in COLUMNS}
    table = Table("", COLUMNS, (TableRow(0, cells),))
    _store(request, table, schools, FORM_SOURCE, form=True)
    return redirect(_back(plan, cells.get("年份", "")))


@login_required
@require_POST
def offering_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan, schools = _entering(request, pk)
    try:
        content, name = received(request)
        table = read_table(content, name, REQUIRED)
    except UploadRefused as refused:
        upload = request.FILES.get("file")
        problem = Problem(_("文件"), upload.name if upload else "", str(refused))
        return _offerings_page(request, plan, [problem])
    problems = _store(
        request, table, schools, FILE_SOURCE, form=False, file=(name, content), plan=plan
    )
    if problems:
        return _offerings_page(request, plan, problems)
    return redirect("specialties:offerings", pk)


@login_required
def offering_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The list to fill in: a row per school the user reports for and specialty it ran last
    year, with the school code and specialty name filled in and the numbers blank."""
    plan, schools = _entering(request, pk)
    year = today().year
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("专业点年度数据")
    exports.append(sheet, COLUMNS)
    ran = Offering.objects.filter(school__in=schools, year__in=[year - 1, year]).select_related(
        "school", "specialty"
    )
    for school_code, specialty in sorted({(o.school.code, o.specialty.name) for o in ran}):
        exports.append(sheet, [school_code, specialty, year])
    return xlsx_response(workbook, _("专业点年度数据模板.xlsx"))


def _store(
    request: HttpRequest,
    table: Table,
    schools: list[OrgUnit],
    source: str,
    *,
    form: bool,
    file: tuple[str, bytes] | None = None,
    plan: Plan | None = None,
) -> list[Problem]:
    """Check the rows and store them all, or none: a form's problems go to a message, a
    file's are returned for the page's problems table."""
    entries, problems = check_offerings(
        table, {s.code: s.name for s in schools}, list(current_specialties())
    )
    if problems:
        if form:
            messages.error(request, _("未保存：") + "；".join(str(p) for p in problems))
        return problems
    done = record_offerings(
        entries, schools, source=source, actor=request.user, file=file, plan=plan
    )
    messages.success(
        request,
        _(
            "已保存专业点年度数据：新增 {created} 条，更正 {updated} 条，未变 {unchanged} 条。"
            "专业预警请在专业预警页“重新计算”。"
        ).format(created=done.created, updated=done.updated, unchanged=done.unchanged),
    )
    return []


def _back(plan: Plan, year: str) -> str:
    url = reverse("specialties:offerings", args=[plan.pk])
    return f"{url}?year={year}" if year.isdigit() else url
