"""师资队伍 page (重点任务（十四）（十五）, 附件3 第28–33行, 附件2 三、师资队伍): per school and
year, each check's result with its working (inputs, parameter and its source or 示例, steps,
clause), the plan's contradictory 双师型 figures, the honours, the teacher list, and the 师资队伍
indicator values computed from the records beside those stored.

Who sees it: as the 专业预警 page (Action.READ_VALUES) — the work team, the leaders and the
inspectors of the plan's place see every school; a school's clerk his own school only; anyone
else the same 404 as for a missing plan. Writes (a teacher, an honour, a staffing quota, 写入
指标): POST, Action.ENTER at the school — its clerk and the work team above it; anyone else
the same 404. Bad input: a Chinese message listing every problem, nothing written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can, get_for_user
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.today import today

from . import parameters, rules
from .feeding import feed_teachers, preview
from .models import Honour, Teacher
from .queries import audit_warning, dual_figures, school_checks, visible_schools
from .services import (
    Refused,
    TeacherInput,
    new_rules_version,
    record_honour,
    record_teacher,
    set_quota,
    update_teacher,
)


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )


def _year(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _back(pk: int, anchor: str = "", **query: object) -> HttpResponse:
    url = reverse("teachers:overview", args=[pk])
    if query:
        url += "?" + urlencode(query)
    return redirect(url + (f"#{anchor}" if anchor else ""))


def writable_schools(request: HttpRequest, plan: Plan) -> list[OrgUnit]:
    """The plan's schools the user may enter data for (Action.ENTER at the school)."""
    return [s for s in visible_schools(request.user, plan) if can(request.user, Action.ENTER, s.pk)]


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    schools = visible_schools(request.user, plan)
    year = _year(request.GET.get("year", "")) or today().year
    as_of = rules.as_of_for(year, today())
    chosen, results = school_checks(plan, schools, year, as_of)
    figures = dual_figures(plan)
    # the roster (some 240 rows on the demo) is shown folded, with its count, under the checks
    teachers = list(
        Teacher.objects.filter(school__in=schools)
        .select_related("school")
        .order_by("school__code", "-hired_on", "name")
    )
    return render(
        request,
        "teachers/overview.html",
        {
            "plan": plan,
            "schools": schools,
            "whole_plan": can(request.user, Action.READ_VALUES, plan.org_unit_id),
            "year": year,
            "as_of": as_of,
            "rules": chosen,
            "parameters": rules.parameter_rows(chosen) if chosen else [],
            "results": results,
            "figures": figures,
            "contradiction": rules.contradictions(figures),
            "audit_warning": audit_warning(plan),
            "feed": preview(plan, schools, year, as_of),
            "teachers": teachers,
            "honours": Honour.objects.filter(teacher__school__in=schools)
            .select_related("teacher__school")
            .order_by("-awarded_on"),
            "writable": writable_schools(request, plan),
            "honour_kinds": Honour.Kind.choices,
            "honour_levels": Honour.Level.choices,
            "may_set_rules": can(request.user, Action.REVIEW, plan.org_unit_id),
            "hire_scopes": [(k, str(v)) for k, v in parameters.HIRE_SCOPES.items()],
            "readings": [(k, str(v)) for k, v in parameters.READINGS.items()],
            "dual_reading": _("{reading}（{basis}）").format(
                reading=parameters.READINGS[chosen.dual_target_reading],
                basis=chosen.basis_of("dual_target_reading"),
            )
            if chosen
            else "",
            "cap_percent": parameters.number(chosen.part_time_cap * 100) if chosen else "",
        },
    )


def _school(request: HttpRequest, plan: Plan) -> OrgUnit:
    chosen = request.POST.get("school", "")
    found = {str(s.pk): s for s in writable_schools(request, plan)}
    if chosen not in found:
        raise Http404
    return found[chosen]


def _writable_plan(request: HttpRequest, pk: int) -> Plan:
    plan = _plan(request, pk)
    if not writable_schools(request, plan):
        raise Http404
    return plan


def _years(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Refused(_("企业工作年限“{text}”不是数字").format(text=text)) from None
    if not value.is_finite():
        raise Refused(_("企业工作年限“{text}”不是数字").format(text=text))
    return value


def _optional_day(request: HttpRequest, name: str, label: str) -> date | None:
    text = request.POST.get(name, "").strip()
    if not text:
        return None
    found = _day(text)
    if found is None:
        raise Refused(_("{label}须为 YYYY-MM-DD 格式").format(label=label))
    return found


@login_required
@require_POST
def record_teacher_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记一名教师 (services.record_teacher, with its change record)."""
    plan = _writable_plan(request, pk)
    school = _school(request, plan)
    try:
        found = record_teacher(school, _teacher_input(request), actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已登记教师“{name}”。").format(name=found.name))
    return _back(pk, "teachers")


def _teacher_input(request: HttpRequest) -> TeacherInput:
    """The one-row form's fields (the same on the add and the edit form); Refused for a date
    or a number that cannot be read."""
    post = request.POST
    return TeacherInput(
        name=post.get("name", ""),
        full_time=post.get("full_time", "1") == "1",
        specialty_course=post.get("specialty_course") == "1",
        hired_on=_optional_day(request, "hired_on", _("入职日期")),
        subject=post.get("subject", ""),
        qualifications=post.get("qualifications", ""),
        enterprise_years=_years(post.get("enterprise_years", "")),
        hire_exemption=post.get("hire_exemption", ""),
        dual_qualified=post.get("dual_qualified") == "1",
        certified_on=_optional_day(request, "certified_on", _("“双师型”认定日期")),
        left_on=_optional_day(request, "left_on", _("离岗日期")),
        source=_("录入"),
    )


@login_required
def edit_teacher_view(request: HttpRequest, pk: int, teacher_pk: int) -> HttpResponse:
    """更正一名教师（离岗、认定为“双师型”、更正企业工作年限…） (services.update_teacher):
    Action.ENTER at the teacher's school; anyone else 404, as for a missing teacher."""
    plan = _plan(request, pk)
    teacher = Teacher.objects.filter(
        school__in=writable_schools(request, plan), pk=teacher_pk
    ).first()
    if teacher is None:
        raise Http404
    if request.method == "POST":
        try:
            update_teacher(teacher, _teacher_input(request), actor=request.user)
        except Refused as refused:
            messages.error(request, str(refused))
            teacher.refresh_from_db()
        else:
            messages.success(request, _("已更正教师“{name}”。").format(name=teacher.name))
            return _back(pk, "teachers")
    return render(request, "teachers/edit.html", {"plan": plan, "teacher": teacher})


@login_required
@require_POST
def record_honour_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记一项教师称号 (services.record_honour)."""
    plan = _writable_plan(request, pk)
    schools = writable_schools(request, plan)
    teacher = Teacher.objects.filter(
        school__in=schools, pk=request.POST.get("teacher", "") or 0
    ).first()
    if teacher is None:
        raise Http404
    try:
        record_honour(
            teacher,
            request.POST.get("kind", ""),
            request.POST.get("level", ""),
            _optional_day(request, "awarded_on", _("授予日期")),
            request.POST.get("source", ""),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已登记{name}的称号。").format(name=teacher.name))
    return _back(pk, "honours")


@login_required
@require_POST
def set_quota_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记（更正）一所学校一年的编制员额 (services.set_quota)."""
    plan = _writable_plan(request, pk)
    school = _school(request, plan)
    year = _year(request.POST.get("year", ""))
    text = request.POST.get("quota", "").strip()
    if year is None or not text.isdigit():
        messages.error(request, _("请填写年份（2000–2100）和编制员额（整数）"))
        return _back(pk, "checks")
    try:
        set_quota(school, year, int(text), request.POST.get("source", ""), actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("已保存{school} {year} 年的编制员额。").format(school=school.name, year=year)
        )
    return _back(pk, "checks", year=year)


@login_required
@require_POST
def feed_view(request: HttpRequest, pk: int) -> HttpResponse:
    """写入指标: the 师资队伍 values computed from the records stored as the schools' values of
    the year (feeding.feed_teachers); submitted or approved data is left as it is."""
    plan = _writable_plan(request, pk)
    year = _year(request.POST.get("year", ""))
    if year is None:
        messages.error(request, _("请填写年份（2000–2100）"))
        return _back(pk, "feed")
    as_of = rules.as_of_for(year, today())
    try:
        results = feed_teachers(
            plan, writable_schools(request, plan), year, as_of, actor=request.user
        )
    except Refused as refused:
        messages.error(request, str(refused))
        return _back(pk, "feed", year=year)
    for result in results:
        if result.stored:
            messages.success(
                request,
                _("{school} {year} 年师资队伍指标已按名册写入。").format(
                    school=result.school.name, year=year
                ),
            )
        else:
            messages.error(
                request,
                _("{school} {year} 年未写入：{why}").format(
                    school=result.school.name, year=year, why="；".join(result.refused)
                ),
            )
    if not results:
        messages.error(request, _("没有可计算的教师名册。"))
    return _back(pk, "feed", year=year)


def _decimal(text: str, label: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise Refused(_("{label}“{text}”不是数字").format(label=label, text=text)) from None
    if not value.is_finite():
        raise Refused(_("{label}“{text}”不是数字").format(label=label, text=text))
    return value


@login_required
@require_POST
def set_rules_view(request: HttpRequest, pk: int) -> HttpResponse:
    """另存新版本参数 (services.new_rules_version): the next version of the place's own
    parameters, in force from the given day; the work team of the plan's place only."""
    plan = _plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    post = request.POST
    try:
        effective_from = _optional_day(request, "effective_from", _("施行日期"))
        if effective_from is None:
            raise Refused(_("请填写施行日期（YYYY-MM-DD）"))
        exemptions = tuple(
            item.strip() for item in post.get("exemptions", "").replace(",", "、").split("、")
        )
        changes: dict[str, object] = {
            "min_enterprise_years": _decimal(
                post.get("min_enterprise_years", ""), _("企业工作年限")
            ),
            "hire_scope": post.get("hire_scope", ""),
            "exemptions": tuple(item for item in exemptions if item),
            "part_time_cap": _decimal(post.get("part_time_cap", ""), _("兼职教师上限")) / 100,
            "dual_target_reading": post.get("dual_target_reading", ""),
            "dual_counts_part_time": post.get("dual_counts_part_time") == "1",
            "ratio_is_ceiling": post.get("ratio_is_ceiling", "1") == "1",
            "require_qualification": post.get("require_qualification") == "1",
        }
        stored = new_rules_version(
            plan.org_unit,
            changes,
            effective_from=effective_from,
            source=post.get("source", ""),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("已保存参数“{name}”第 {v} 版，{day} 起施行；统计日在此之前的年份仍用原版本。").format(
                name=stored.name, v=stored.version, day=stored.effective_from.isoformat()
            ),
        )
    return _back(pk, "checks")
