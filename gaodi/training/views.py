"""社会培训与绩效工资 pages (重点任务（七）（十六）).

`records` (/training/plans/<id>/): the year's training volume against the 5,000 人次 of （七）
and the 附件2 社会培训 rows, each school's conversion into full-time students and the
performance-pay increment with the working and the basis chosen, the 附件2 values the records
feed (computed beside stored), and the training records with a one-row form.
`pay` (/training/plans/<id>/pay/): per school and year the allowed performance-pay total, each
line, which limits bind, with the working; the pay inputs and the parameter versions.

Who sees them: as the 专业预警 page (Action.READ_VALUES) — the work team, the leaders and the
inspectors of the plan's place see every school; a school's clerk his own school only; anyone
else the same 404 as for a missing plan.
Writes (POST): a training record (the form, or a list uploaded at `upload`, all or nothing,
with its Excel template at `template`) — Action.ENTER at the school (its clerk, and the work team of
the place above it); pay inputs, a parameter version, writing the 附件2 values — the work team
of the place (Action.REVIEW). Anyone else the same 404. Bad input: a Chinese message listing
every problem, nothing written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can, get_for_user
from gaodi.achievements.versions import number
from gaodi.files import uploads
from gaodi.files.tables import read_table
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.today import today

from . import conversion, upload
from . import pay as pay_rules
from .feeding import feed_training, preview
from .models import ParameterVersion, TrainingRecord
from .queries import (
    conversions,
    default_year,
    parameter_history,
    pay_results,
    talent_label,
    visible_schools,
    year_volume,
)
from .services import (
    PayGiven,
    Refused,
    TalentInput,
    TrainingInput,
    conversion_in_force,
    pay_in_force,
    record_training,
    save_parameters,
    save_pay_inputs,
    school_records,
)

Kind = ParameterVersion.Kind


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )


def _work_team_plan(request: HttpRequest, pk: int) -> Plan:
    plan = _plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    return plan


def _entering_schools(request: HttpRequest, plan: Plan, schools: list[OrgUnit]) -> list[OrgUnit]:
    return [s for s in schools if can(request.user, Action.ENTER, s.pk)]


def _year(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _integer(text: str, label: str, problems: list[str], *, signed: bool = False) -> int | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    digits = text[1:] if signed and text.startswith("-") else text
    if not digits.isdigit() or len(digits) > 15:
        problems.append(_("{label}“{text}”须为整数").format(label=label, text=text))
        return None
    return int(text)


def _decimal(text: str, label: str, problems: list[str]) -> Decimal | None:
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or len(text) > 20:
        problems.append(_("{label}“{text}”不是数字").format(label=label, text=text))
        return None
    return value


def _back(name: str, pk: int, anchor: str = "", **query: object) -> HttpResponse:
    url = reverse(name, args=[pk])
    if query:
        url += "?" + urlencode(query)
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _parameters_context(plan: Plan, year: int) -> dict[str, Any]:
    day = date(year, 12, 31)
    converting, paying = conversion_in_force(plan, day), pay_in_force(plan, day)
    return {
        "conversion_parameters": converting,
        "pay_parameters": paying,
        "ratio_percent": number(converting.ratio * 100) if converting else "",
        "floor_percent": number(paying.tech_share_floor * 100) if paying else "",
        "ceiling_percent": number(paying.tech_share_ceiling * 100) if paying else "",
        "bases": [(code, conversion.BASIS_LABELS[code]) for code in conversion.BASES],
    }


@login_required
def records(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    schools = visible_schools(request.user, plan)
    year = _year(request.GET.get("year", "")) or default_year(plan, schools)
    entering = _entering_schools(request, plan, schools)
    found = school_records(plan, schools)
    editing = None
    edit = request.GET.get("edit", "")
    if edit.isdigit():
        editing = next((r for r in found if r.pk == int(edit) and r.school in entering), None)
    work_team = can(request.user, Action.REVIEW, plan.org_unit_id)
    return render(
        request,
        "training/records.html",
        {
            "plan": plan,
            "schools": schools,
            "whole_plan": can(request.user, Action.READ_VALUES, plan.org_unit_id),
            "year": year,
            "summary": year_volume(plan, schools, year),
            "conversions": conversions(plan, schools, year),
            "preview": preview(plan, schools, year),
            "records": [
                (r, "、".join(str(conversion.TARGET_GROUP_LABELS[g]) for g in r.target_groups))
                for r in found
            ],
            "groups": [(g, conversion.TARGET_GROUP_LABELS[g]) for g in conversion.TARGET_GROUPS],
            "entering": entering,
            "editing": editing,
            "work_team": work_team,
            "history": parameter_history(Kind.CONVERSION),
            **_parameters_context(plan, year),
        },
    )


@login_required
@require_POST
def record_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记（更正）一项社会培训 (services.record_training): Action.ENTER at the school."""
    plan = _plan(request, pk)
    schools = visible_schools(request.user, plan)
    entering = {str(s.pk): s for s in _entering_schools(request, plan, schools)}
    if not entering:
        raise Http404
    record = None
    chosen = request.POST.get("record", "").strip()
    if chosen:
        record = TrainingRecord.objects.filter(
            pk=int(chosen) if chosen.isdigit() else 0,
            plan=plan,
            school_id__in=[int(k) for k in entering],
        ).first()
        if record is None:
            raise Http404
    problems: list[str] = []
    school = entering.get(request.POST.get("school", ""))
    start_text, end_text = request.POST.get("start", ""), request.POST.get("end", "")
    start, end = _day(start_text), _day(end_text)
    if start_text.strip() and start is None:
        problems.append(_("开始日期须为 YYYY-MM-DD 格式"))
    if end_text.strip() and end is None:
        problems.append(_("结束日期须为 YYYY-MM-DD 格式"))
    given = TrainingInput(
        programme=request.POST.get("programme", ""),
        start=start,
        end=end,
        participants=_integer(request.POST.get("participants", ""), _("人次"), problems),
        person_days=_decimal(request.POST.get("person_days", ""), _("人日"), problems),
        target_groups=tuple(request.POST.getlist("target_groups")),
        subsidised=request.POST.get("subsidised") == "yes",
        income=_integer(request.POST.get("income", ""), _("到款额"), problems),
        source=request.POST.get("source", ""),
    )
    year = end.year if end else None
    try:
        if problems:
            raise Refused(problems)
        found = record_training(plan, school, given, actor=request.user, record=record)
    except Refused as refused:
        messages.error(request, _("未保存：{problems}").format(problems=str(refused)))
    else:
        messages.success(
            request,
            _("已{what}培训“{name}”，{year} 年的培训量与折算已重新计算。").format(
                what=_("更正") if record else _("登记"), name=found.programme, year=found.end.year
            ),
        )
    query = {"year": year} if year else {}
    return _back("training:records", pk, "records", **query)


@login_required
@require_POST
def feed_view(request: HttpRequest, pk: int) -> HttpResponse:
    """写入附件2 社会培训指标 (feeding.feed_training): the work team of the place."""
    plan = _work_team_plan(request, pk)
    year = _year(request.POST.get("year", ""))
    if year is None:
        messages.error(request, _("请填写年份（2000–2100）"))
        return _back("training:records", pk, "feed")
    try:
        results = feed_training(plan, year, actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return _back("training:records", pk, "feed", year=year)
    if not results:
        messages.error(request, _("{year} 年没有结束的培训记录，未写入").format(year=year))
    for result in results:
        if result.stored:
            messages.success(
                request,
                _("已写入{school} {year} 年的社会培训指标。").format(
                    school=result.school.name, year=year
                ),
            )
        else:
            messages.error(
                request,
                _("{school}未写入：{problems}").format(
                    school=result.school.name, problems="；".join(result.refused)
                ),
            )
    return _back("training:records", pk, "feed", year=year)


@login_required
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    schools = visible_schools(request.user, plan)
    year = _year(request.GET.get("year", "")) or today().year
    results = pay_results(plan, schools)
    return render(
        request,
        "training/pay.html",
        {
            "plan": plan,
            "schools": schools,
            "whole_plan": can(request.user, Action.READ_VALUES, plan.org_unit_id),
            "year": year,
            "results": [
                (
                    row,
                    [(t["name"], talent_label(t["kind"]), t["amount"]) for t in row.inputs.talents],
                    "" if row.inputs.tech_share is None else number(row.inputs.tech_share * 100),
                )
                for row in results
                if row.inputs is not None
            ],
            "work_team": can(request.user, Action.REVIEW, plan.org_unit_id),
            "salary_kinds": list(pay_rules.SALARY_KINDS.items()),
            "talent_rows": range(3),
            "history": parameter_history(Kind.PAY),
            **_parameters_context(plan, year),
        },
    )


@login_required
@require_POST
def pay_inputs_view(request: HttpRequest, pk: int) -> HttpResponse:
    """保存一所学校一年的绩效工资核定数据 (services.save_pay_inputs): the work team."""
    plan = _work_team_plan(request, pk)
    schools = {str(s.pk): s for s in visible_schools(request.user, plan)}
    problems: list[str] = []
    post = request.POST
    share = _decimal(post.get("tech_share", ""), _("提取比例"), problems)
    talents = []
    for name, kind, amount in zip(
        post.getlist("talent_name"),
        post.getlist("talent_kind"),
        post.getlist("talent_amount"),
        strict=False,
    ):
        if not name.strip() and not amount.strip():
            continue
        value = _integer(amount, _("人才薪酬"), problems)
        if value is None and not any(_("人才薪酬") in p for p in problems):
            problems.append(_("高层次人才“{name}”须填写薪酬（元）").format(name=name.strip()))
        talents.append(TalentInput(name, kind, value or 0))
    year = _year(post.get("year", ""))
    given = PayGiven(
        year=year,
        benchmark_per_head=_integer(post.get("benchmark_per_head", ""), _("基准线"), problems),
        headcount=_integer(post.get("headcount", ""), _("核定人数"), problems),
        requested_base=_integer(post.get("requested_base", ""), _("申请基础绩效工资"), problems),
        tech_service_balance=_integer(
            post.get("tech_service_balance", ""), _("技术服务收入结余"), problems, signed=True
        ),
        tech_share=None if share is None else share / 100,
        transfer_fees=_integer(post.get("transfer_fees", ""), _("科技成果转化费"), problems),
        talents=tuple(talents),
        source=post.get("source", ""),
    )
    try:
        if problems:
            raise Refused(problems)
        save_pay_inputs(plan, schools.get(post.get("school", "")), given, actor=request.user)
    except Refused as refused:
        messages.error(request, _("未保存：{problems}").format(problems=str(refused)))
    else:
        messages.success(
            request, _("已保存 {year} 年的绩效工资核定数据，并重新核定。").format(year=year)
        )
    return _back("training:pay", pk, "results")


def _bool(text: str) -> bool:
    return text == "yes"


@login_required
@require_POST
def parameters_view(request: HttpRequest, pk: int) -> HttpResponse:
    """另存新版本参数 (services.save_parameters): the work team; the next version of the place's
    own conversion or pay parameters, in force from the day given."""
    plan = _work_team_plan(request, pk)
    post = request.POST
    kind = post.get("kind", "")
    page = "training:pay" if kind == Kind.PAY else "training:records"
    problems: list[str] = []
    effective_from = _day(post.get("effective_from", ""))
    if effective_from is None:
        problems.append(_("施行日期须为 YYYY-MM-DD 格式"))
    values: dict[str, Any] = {}
    if kind == Kind.CONVERSION:
        ratio = _decimal(post.get("ratio", ""), _("折算比例"), problems)
        days = _decimal(post.get("days_per_student_year", ""), _("每生每年培养天数"), problems)
        per = _decimal(post.get("pay_per_student", ""), _("生均绩效工资额"), problems)
        target = _integer(post.get("annual_target_person_times", ""), _("年培训量目标"), problems)
        values = {
            "ratio": None if ratio is None else ratio / 100,
            "basis": post.get("basis", ""),
            "days_per_student_year": days,
            "pay_per_student": per,
            "annual_target_person_times": target,
        }
    elif kind == Kind.PAY:
        multiple = _decimal(post.get("cap_multiple", ""), _("基准线倍数"), problems)
        floor = _decimal(post.get("tech_share_floor", ""), _("提取比例下限"), problems)
        ceiling = _decimal(post.get("tech_share_ceiling", ""), _("提取比例上限"), problems)
        values = {
            "cap_multiple": multiple,
            "tech_share_floor": None if floor is None else floor / 100,
            "tech_share_ceiling": None if ceiling is None else ceiling / 100,
            "training_within_cap": _bool(post.get("training_within_cap", "")),
            "talent_within_cap": _bool(post.get("talent_within_cap", "")),
        }
    missing = [key for key, value in values.items() if value is None]
    if missing:
        problems.append(_("请填写全部参数"))
    try:
        if problems or effective_from is None:
            raise Refused(problems)
        stored = save_parameters(
            plan,
            kind,
            values,
            effective_from=effective_from,
            source=post.get("source", ""),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, _("未保存：{problems}").format(problems=str(refused)))
    else:
        messages.success(
            request,
            _(
                "已保存参数集“{name}”第 {version} 版，{day} 起施行；各年结果已按各自 12 月 31 日"
                "施行的版本重新计算，施行日期以前的年度不变。"
            ).format(
                name=stored.name, version=stored.version, day=stored.effective_from.isoformat()
            ),
        )
    return _back(page, pk, "parameters")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_PROBLEMS = 50


def _entering_plan(request: HttpRequest, pk: int) -> tuple[Plan, list[OrgUnit]]:
    plan = _plan(request, pk)
    schools = _entering_schools(request, plan, visible_schools(request.user, plan))
    if not schools:
        raise Http404
    return plan, schools


@login_required
def upload_template(request: HttpRequest, pk: int) -> HttpResponse:
    """The Excel list to fill in: Action.ENTER at a school of the plan."""
    _plan_found, schools = _entering_plan(request, pk)
    response = HttpResponse(upload.template(schools), content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename="社会培训记录模板.xlsx"
    )
    return response


@csrf_exempt  # checked by csrf_protect below, once the memory-only handler is in place
def upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload training records (.xlsx or .csv): stored all or nothing, problems cell by cell.
    Action.ENTER at the school (its clerk, the work team)."""
    request.upload_handlers = [uploads.MemoryOnlyUploadHandler(request, max_files=1)]
    return _upload(request, pk)


@csrf_protect
@login_required
def _upload(request: HttpRequest, pk: int) -> HttpResponse:
    plan, schools = _entering_plan(request, pk)
    problems: list[upload.CellProblem] = []
    if request.method == "POST":
        try:
            content, name = uploads.received(request)
            table = read_table(content, name, upload.REQUIRED)
        except uploads.UploadRefused as refused:
            problems = [upload.CellProblem("", "", str(refused))]
        else:
            entries, problems = upload.check_rows(table, schools)
            if not problems:
                try:
                    done = upload.import_training(
                        plan, entries, name=name, content=content, actor=request.user
                    )
                except Refused as refused:
                    problems = [upload.CellProblem("", "", p) for p in str(refused).split("；")]
                else:
                    messages.success(
                        request,
                        _("已导入 {rows} 项培训，相关年度的培训量与折算已重新计算。").format(
                            rows=done.rows
                        ),
                    )
                    return _back("training:records", pk, "records")
    return render(
        request,
        "training/upload.html",
        {
            "plan": plan,
            "columns": upload.COLUMNS,
            "problems": problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
            "max_size": uploads.size_text(uploads.max_bytes()),
        },
    )
