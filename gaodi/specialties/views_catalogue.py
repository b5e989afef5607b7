"""专业目录 page: the catalogues' specialties with their codes (已核实 or a placeholder 待核实),
the old-to-new mapping and the industries each serves; the template to fill in from the
ministry's list, and its upload, which puts the real codes in (all or nothing).

Who: read like the 专业预警 page (queries.visible_schools). The catalogue is shared by every
place, so the template and the upload are for the work team at the top of the tree (the
province: Action.REVIEW there) and the system administrator only; a county's or a city's work
team, like anyone else, gets the same 404 — one county must not rewrite the codes, or the
专业类别 that the warning rules' exemptions read, for all the others.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from gaodi.accounts.gate import Action, User, can
from gaodi.files import exports
from gaodi.files.downloads import xlsx_response
from gaodi.files.tables import read_table
from gaodi.files.uploads import UploadRefused, received
from gaodi.plans.models import Plan

from . import catalogue as data
from .catalogue_file import COLUMNS, REQUIRED, Problem, check_catalogue
from .catalogue_import import CatalogueRefused, import_catalogue
from .models import Specialty, SpecialtyCodeChange, SpecialtyIndustry
from .queries import visible_schools
from .views import visible_plan

SHOWN_PROBLEMS = 50


def may_import(user: User, plan: Plan) -> bool:
    """The work team of the top of the plan's tree (its province), or a superuser."""
    top = plan.org_unit
    while top.parent_id is not None:
        top = top.parent  # type: ignore[assignment]
    return can(user, Action.REVIEW, top.pk)


@login_required
def catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    visible_schools(request.user, plan)  # the same readers as the 专业预警 page
    return _catalogue_page(request, plan)


def _catalogue_page(
    request: HttpRequest, plan: Plan, problems: Sequence[Problem] = ()
) -> HttpResponse:
    """The catalogue page; after a refused import, with its problems cell by cell."""
    specialties = list(Specialty.objects.order_by("catalogue", "level", "code", "name"))
    industries: dict[int, list[str]] = {}
    for link in SpecialtyIndustry.objects.select_related("industry"):
        industries.setdefault(link.specialty_id, []).append(link.industry.name)
    successors: dict[int, list[str]] = {}
    for change in SpecialtyCodeChange.objects.select_related("new"):
        successors.setdefault(change.old_id, []).append(change.new.name)
    catalogues: dict[str, list[tuple[Specialty, list[str], list[str]]]] = {}
    for specialty in specialties:
        catalogues.setdefault(specialty.catalogue, []).append(
            (specialty, industries.get(specialty.pk, []), successors.get(specialty.pk, []))
        )
    unverified = sum(1 for s in specialties if s.code_status != Specialty.CodeStatus.VERIFIED)
    return render(
        request,
        "specialties/catalogue.html",
        {
            "plan": plan,
            "catalogues": catalogues,
            "unverified": unverified,
            "may_import": may_import(request.user, plan),
            "names": sorted({s.catalogue for s in specialties} | {data.CATALOGUE_2021}),
            "default_catalogue": data.CATALOGUE_2021,
            "default_old": data.CATALOGUE_2010,
            "columns": COLUMNS,
            "problems": problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
        },
    )


@login_required
def catalogue_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload template: the columns, and a row per specialty of the newest catalogue
    with its name, level and old name filled in and its code left for the ministry's."""
    plan = visible_plan(request, pk)
    if not may_import(request.user, plan):
        raise Http404
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("专业目录")
    exports.append(sheet, COLUMNS)
    old_names = {
        change.new_id: change.old for change in SpecialtyCodeChange.objects.select_related("old")
    }
    for specialty in Specialty.objects.filter(catalogue=data.CATALOGUE_2021).order_by("name"):
        old = old_names.get(specialty.pk)
        verified = specialty.code_status == Specialty.CodeStatus.VERIFIED
        exports.append(
            sheet,
            [
                specialty.code if verified else "",
                specialty.name,
                specialty.level,
                old.code if old and old.code_status == Specialty.CodeStatus.VERIFIED else "",
                old.name if old else "",
                specialty.specialty_class,
            ],
        )
    return xlsx_response(workbook, _("专业目录模板.xlsx"))


@login_required
@require_POST
def catalogue_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The filled-in template (or a CSV with the same columns): checked whole, then stored
    whole (catalogue_import.import_catalogue) or not at all, every problem listed."""
    plan = visible_plan(request, pk)
    if not may_import(request.user, plan):
        raise Http404
    name = request.POST.get("catalogue", "").strip()
    old_name = request.POST.get("old_catalogue", "").strip()
    source = request.POST.get("source", "").strip()
    if (
        not name
        or not old_name
        or not source
        or len(source) > 300
        or max(len(name), len(old_name)) > 60
    ):
        messages.error(
            request, _("请填写专业目录名称、原目录名称（各不超过 60 字）和依据（不超过 300 字）")
        )
        return redirect("specialties:catalogue", pk)
    try:
        content, file_name = received(request)
        table = read_table(content, file_name, REQUIRED)
        entries, problems = check_catalogue(table)
        if problems:
            raise CatalogueRefused(problems)
        done = import_catalogue(
            entries,
            catalogue=name,
            old_catalogue=old_name,
            source=source,
            actor=request.user,
            file=(file_name, content),
            plan=plan,
        )
    except CatalogueRefused as refused:
        return _catalogue_page(request, plan, refused.problems)
    except UploadRefused as refused:
        upload = request.FILES.get("file")
        return _catalogue_page(
            request, plan, [Problem(_("文件"), upload.name if upload else "", str(refused))]
        )
    else:
        messages.success(
            request,
            _(
                "已导入《{name}》：新增专业 {created} 个，核实代码 {verified} 个，"
                "原已一致 {unchanged} 个，新增新旧对照 {mappings} 条。"
            ).format(
                name=name,
                created=done.created,
                verified=done.verified,
                unchanged=done.unchanged,
                mappings=done.mappings,
            ),
        )
    return redirect("specialties:catalogue", pk)
