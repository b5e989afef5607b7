"""供求信息 pages (重点任务（八）“建立人力资源统计、市场预测、供求信息发布制度”): per specialty and
industry the demand enterprises declared, the schools' expected graduates, the gap, 供求比 and
the demand forecast, with the working and the parameter version (示例); the work team records
declarations and publishes bulletins; published bulletins and their Excel export.

Who sees what — the 专业预警 page's rules (queries.visible_schools, Action.READ_VALUES): the work
team, the leaders and the inspectors of the plan's place see every school's supply; a school's
clerk only his own school's (the page says so); anyone else gets the same 404 as for a missing
plan. A published bulletin is the district's 发布: every reader of the page sees it whole.
Recording a declaration, uploading a file of them (all or nothing, problems cell by cell,
demand_import) and publishing (POST, CSRF) are for the work team of the place (Action.REVIEW);
anyone else the same 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from gaodi.accounts.gate import Action, can
from gaodi.files import uploads
from gaodi.files.downloads import xlsx_response
from gaodi.files.exports import append
from gaodi.indicators.excel.cells import CellProblem, FileRefused
from gaodi.plans.models import Plan
from gaodi.today import today

from .demand_import import import_declarations, template
from .models import Industry, Specialty, SupplyDemandBulletin
from .queries import visible_schools
from .services import Refused, schools_of
from .supply_demand import GapRow, SupplyDemand, explain
from .supply_demand_queries import bulletins_of, compute, declarations_of, parameters_in_force
from .supply_demand_services import declare_demand, publish_bulletin
from .views import visible_plan, year_param

Rows = list[tuple[GapRow, list[str]]]


def _tables(result: SupplyDemand | None) -> list[tuple[str, Rows]]:
    """The two tables of the page, each row with the sentences of its working."""
    if result is None:
        return []
    return [
        (_("按专业"), [(row, explain(row)) for row in result.specialties]),
        (
            _("按产业（供给为对接该产业的专业之和）"),
            [(row, explain(row)) for row in result.industries],
        ),
    ]


@login_required
def supply_demand(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    schools = visible_schools(request.user, plan)
    year = year_param(request.GET.get("year", "")) or today().year
    parameters = parameters_in_force(today(), plan.org_unit)
    result = compute(plan, schools, year, parameters) if parameters else None
    all_schools = len(schools) == len(schools_of(plan))
    may_write = can(request.user, Action.REVIEW, plan.org_unit_id)
    return render(
        request,
        "specialties/supply_demand.html",
        {
            "plan": plan,
            "year": year,
            "result": result,
            "parameters": parameters,
            "table_list": _tables(result),
            "schools": schools,
            "all_schools": all_schools,
            "declarations": declarations_of(plan, year),
            "bulletins": bulletins_of(plan),
            "may_write": may_write,
            "specialty_choices": Specialty.objects.filter(offerings__isnull=False)
            .distinct()
            .order_by("name")
            if may_write
            else [],
            "industry_choices": Industry.objects.order_by("group", "pk") if may_write else [],
        },
    )


def _work_team_plan(request: HttpRequest, pk: int) -> Plan:
    plan = visible_plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    return plan


def _page(pk: int, year: int | None) -> str:
    url = reverse("specialties:supply_demand", args=[pk])
    return f"{url}?year={year}" if year else url


@login_required
@require_POST
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    """录入企业用人需求 (services.declare_demand, with its change record)."""
    plan = _work_team_plan(request, pk)
    data = request.POST
    year = year_param(data.get("year", "").strip())
    headcount = data.get("headcount", "").strip()
    specialty = Specialty.objects.filter(pk=_int(data.get("specialty"))).first()
    industry = Industry.objects.filter(pk=_int(data.get("industry"))).first()
    problems = []
    if year is None:
        problems.append(_("需求年份须为 2000–2100 之间的四位年份"))
    if not headcount.isdigit():
        problems.append(_("需求人数须为不小于 0 的整数"))
    if specialty is None or industry is None:
        problems.append(_("请选择专业和产业"))
    if problems:
        messages.error(request, "；".join(problems))
        return redirect(_page(pk, year))
    try:
        declaration = declare_demand(
            plan,
            enterprise_name=data.get("enterprise", ""),
            credit_code=data.get("credit_code", ""),
            specialty=specialty,
            industry=industry,
            year=year,
            headcount=int(headcount),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("已记录：{enterprise} {year} 年需要{specialty}专业毕业生 {n} 人。").format(
                enterprise=declaration.enterprise.name,
                year=declaration.year,
                specialty=declaration.specialty.name,
                n=declaration.headcount,
            ),
        )
    return redirect(_page(pk, year))


@login_required
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """供求信息发布: freeze the year's figures under the next number (services.publish_bulletin)."""
    plan = _work_team_plan(request, pk)
    year = year_param(request.POST.get("year", ""))
    if year is None:
        messages.error(request, _("请填写数据年份（2000–2100）"))
        return redirect(_page(pk, None))
    try:
        bulletin = publish_bulletin(plan, year, actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(_page(pk, year))
    messages.success(request, _("已发布 {number}。").format(number=bulletin.number))
    return redirect("specialties:bulletin", pk, bulletin.pk)


def _bulletin(request: HttpRequest, pk: int, bulletin_pk: int) -> SupplyDemandBulletin:
    plan = visible_plan(request, pk)
    visible_schools(request.user, plan)  # 404 for those who may not read the page
    return get_object_or_404(
        SupplyDemandBulletin.objects.select_related("plan"), plan=plan, pk=bulletin_pk
    )


@login_required
def bulletin(request: HttpRequest, pk: int, bulletin_pk: int) -> HttpResponse:
    found = _bulletin(request, pk, bulletin_pk)
    result = SupplyDemand.from_json(found.snapshot)
    return render(
        request,
        "specialties/bulletin.html",
        {
            "plan": found.plan,
            "bulletin": found,
            "result": result,
            "parameters": result.parameters,
            "table_list": _tables(result),
        },
    )


@login_required
def bulletin_xlsx(request: HttpRequest, pk: int, bulletin_pk: int) -> HttpResponse:
    """The bulletin as an .xlsx: every cell through gaodi.files.exports (no formula injection)."""
    found = _bulletin(request, pk, bulletin_pk)
    result = SupplyDemand.from_json(found.snapshot)
    book = Workbook()
    sheet = book.active
    sheet.title = _("按专业")
    _sheet(sheet, found, result, result.specialties)
    _sheet(book.create_sheet(_("按产业")), found, result, result.industries)
    working = book.create_sheet(_("计算过程"))
    for line in result.steps:
        append(working, [line])
    for row in (*result.specialties, *result.industries):
        for line in explain(row):
            append(working, [row.name, line])
    return xlsx_response(book, f"supply-demand-{found.pk}.xlsx")


def _sheet(
    sheet: Worksheet,
    found: SupplyDemandBulletin,
    result: SupplyDemand,
    rows: tuple[GapRow, ...],
) -> None:
    parameters = result.parameters
    append(sheet, [found.number, _("数据年份"), result.year])
    append(
        sheet,
        [
            _("参数集"),
            parameters.code,
            parameters.version,
            _("示例") if parameters.is_example else "",
        ],
    )
    forecast_year = result.forecast_year
    append(
        sheet,
        [
            _("名称"),
            _("需求（人）"),
            _("供给（人）"),
            _("缺口（人）"),
            _("供求比"),
            _("{year}年预测需求").format(year=forecast_year),
            _("{year}年预计供给").format(year=forecast_year),
            _("{year}年预测缺口").format(year=forecast_year),
        ],
    )
    for row in rows:
        append(
            sheet,
            [
                row.name,
                row.demand,
                row.supply,
                row.gap,
                row.ratio_text if row.demand is not None and row.supply is not None else "",
                row.forecast.value,
                row.forecast_supply,
                row.forecast_gap,
            ],
        )


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


SHOWN_PROBLEMS = 50


@login_required
def declarations_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The Excel template of demand declarations (header row, accepted names)."""
    _work_team_plan(request, pk)
    return xlsx_response(template(), "demand-declarations.xlsx")


@csrf_exempt  # checked by csrf_protect below, once the memory-only handler is in place
def declarations_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload declarations (.xlsx or .csv): stored all or nothing, problems cell by cell."""
    request.upload_handlers = [uploads.MemoryOnlyUploadHandler(request, max_files=1)]
    return _declarations_upload(request, pk)


@csrf_protect
@login_required
def _declarations_upload(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _work_team_plan(request, pk)
    problems: list[CellProblem] = []
    if request.method == "POST":
        try:
            content, name = _received(request)
            imported = import_declarations(plan, content, name=name, actor=request.user)
        except FileRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                _(
                    "已导入 {rows} 条申报：新增 {created} 条，更正 {updated} 条，"
                    "新登记企业 {n} 家。"
                ).format(
                    rows=imported.rows,
                    created=imported.created,
                    updated=imported.updated,
                    n=imported.enterprises,
                ),
            )
            return redirect(_page(pk, None))
    return render(
        request,
        "specialties/demand_upload.html",
        {
            "plan": plan,
            "problems": problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
            "max_size": uploads.size_text(uploads.max_bytes()),
        },
    )


def _received(request: HttpRequest) -> tuple[bytes, str]:
    """The uploaded bytes and name, or FileRefused (too large, missing, empty)."""
    try:
        return uploads.received(request)
    except uploads.UploadRefused as exc:
        upload = request.FILES.get("file")
        raise FileRefused([CellProblem("", "", upload.name if upload else "", str(exc))]) from exc
