"""经费保障 page (重点任务（一）、附件3 第2–4行、附件2 五、经费投入): the surcharge rule, the
per-student appropriation, the 经费投入 table actual vs target and the schools' debts, each
with its working (inputs, parameters with version and source or 示例, steps, clause).

Who sees it (queries.may_read): the work team, the leaders and the inspectors of the plan's
place (Action.READ_VALUES there), and the liaison of the department that leads the plan's
funding task (（一）: 区财政局, found by its assignment); anyone else — a school's clerk, other
departments, another place — the same 404 as for a missing plan.

Writes (POST):
- a surcharge year, an appropriation, a debt and a debt's resolution: the work team of the
  place (Action.REVIEW) and the liaison of the lead department of （一） (queries.may_write):
  finance holds these numbers, so it enters them once; anyone else 404;
- a new version of the rules and 写入指标 (中职生均拨款 fed to the school's indicator form): the
  work team only (the rules are the district's, the indicator forms the schools'); anyone else
  404.
Bad input: every problem listed in Chinese, nothing written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can, get_for_user
from gaodi.achievements.versions import EXAMPLE
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.specialties.services import schools_of
from gaodi.today import today

from .feeding import feed_per_student
from .models import Appropriation, Debt, SurchargeYear
from .queries import may_read, may_write, overview
from .services import (
    DebtInput,
    Refused,
    SurchargeInput,
    new_rules_version,
    record_appropriation,
    record_debt,
    record_surcharge_year,
    resolve_debt,
)


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    if not may_read(request.user, plan):
        raise Http404
    return plan


def _writable_plan(request: HttpRequest, pk: int) -> Plan:
    plan = _plan(request, pk)
    if not may_write(request.user, plan):
        raise Http404
    return plan


def _work_team_plan(request: HttpRequest, pk: int) -> Plan:
    plan = _plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    return plan


def _back(pk: int, anchor: str) -> HttpResponse:
    return redirect(reverse("funding:overview", args=[pk]) + f"#{anchor}")


def _refused(request: HttpRequest, refused: Refused) -> None:
    messages.error(
        request,
        _("未保存，请修改后重试：{problems}").format(problems=refused),
    )


@login_required
def overview_view(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    found = overview(plan, today())
    work_team = can(request.user, Action.REVIEW, plan.org_unit_id)
    return render(
        request,
        "funding/overview.html",
        {
            "plan": plan,
            "o": found,
            "rules_now": found.rules_now,
            "may_write": may_write(request.user, plan),
            "work_team": work_team,
            "schools": schools_of(plan),
            "surcharge_records": SurchargeYear.objects.filter(plan=plan).order_by("year"),
            "appropriation_records": Appropriation.objects.filter(plan=plan)
            .select_related("school")
            .order_by("year", "school__code"),
            "this_year": today().year,
            "example": EXAMPLE,
        },
    )


def _school(request: HttpRequest, plan: Plan) -> OrgUnit | None:
    chosen = request.POST.get("school", "")
    return next((s for s in schools_of(plan) if str(s.pk) == chosen), None)


@login_required
@require_POST
def record_surcharge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记（更正）一年的教育费附加、地方教育附加收入及用于职业教育的金额。"""
    plan = _writable_plan(request, pk)
    post = request.POST
    given = SurchargeInput(
        year=post.get("year", ""),
        education_revenue=post.get("education_revenue", ""),
        education_to_vocational=post.get("education_to_vocational", ""),
        local_revenue=post.get("local_revenue", ""),
        local_to_vocational=post.get("local_to_vocational", ""),
        source=post.get("source", ""),
    )
    try:
        found = record_surcharge_year(plan, given, actor=request.user)
    except Refused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("已保存 {year} 年教育附加收入与使用。").format(year=found.year))
    return _back(pk, "surcharge")


@login_required
@require_POST
def record_appropriation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记（更正）一所学校一年的实际生均拨款及所用在校生数。"""
    plan = _writable_plan(request, pk)
    post = request.POST
    try:
        found = record_appropriation(
            plan,
            _school(request, plan),
            year=post.get("year", ""),
            actual=post.get("actual", ""),
            students=post.get("students", ""),
            source=post.get("source", ""),
            actor=request.user,
        )
    except Refused as refused:
        _refused(request, refused)
    else:
        messages.success(
            request,
            _("已保存{school} {year} 年的生均拨款。").format(
                school=found.school.name, year=found.year
            ),
        )
    return _back(pk, "appropriation")


@login_required
@require_POST
def record_debt_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记一笔学校债务（已化解的可一并填写化解日期和金额）。"""
    plan = _writable_plan(request, pk)
    post = request.POST
    given = DebtInput(
        description=post.get("description", ""),
        amount=post.get("amount", ""),
        incurred_on=post.get("incurred_on", ""),
        resolved_on=post.get("resolved_on", ""),
        resolved_amount=post.get("resolved_amount", ""),
        source=post.get("source", ""),
    )
    try:
        found = record_debt(plan, _school(request, plan), given, actor=request.user)
    except Refused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("已登记债务“{name}”。").format(name=found.description))
    return _back(pk, "debts")


@login_required
@require_POST
def resolve_debt_view(request: HttpRequest, pk: int, debt_pk: int) -> HttpResponse:
    """登记（更正）一笔债务的化解日期和已化解金额。"""
    plan = _writable_plan(request, pk)
    debt = get_object_or_404(Debt, plan=plan, pk=debt_pk)
    try:
        resolve_debt(
            debt,
            resolved_on=request.POST.get("resolved_on", ""),
            resolved_amount=request.POST.get("resolved_amount", ""),
            actor=request.user,
        )
    except Refused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("已登记“{name}”的化解情况。").format(name=debt.description))
    return _back(pk, "debts")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _share(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().rstrip("%"))
    except InvalidOperation:
        return None
    return value / 100 if value.is_finite() else None


@login_required
@require_POST
def record_rules_view(request: HttpRequest, pk: int) -> HttpResponse:
    """另存新版本经费保障规则 (services.new_rules_version): 生均拨款标准、省市标准、附加最低比例,
    in force from the given day; years whose 31 December falls before it keep the old version."""
    plan = _work_team_plan(request, pk)
    post = request.POST
    problems: list[str] = []
    effective_from = _day(post.get("effective_from", ""))
    if effective_from is None:
        problems.append(_("施行日期须为 YYYY-MM-DD 格式"))
    changes: dict[str, object] = {}
    standard = post.get("standard_per_student", "").strip()
    if standard:
        if standard.isdigit():
            changes["standard_per_student"] = int(standard)
        else:
            problems.append(_("生均拨款标准须为正整数（元）"))
    provincial = post.get("provincial_standard", "").strip()
    if provincial:
        if provincial.isdigit():
            changes["provincial_standard"] = int(provincial)
        else:
            problems.append(_("省市生均拨款标准须为正整数（元）"))
    share = post.get("minimum_share", "").strip()
    if share:
        found = _share(share)
        if found is None:
            problems.append(_("最低比例须为百分数，如 30"))
        else:
            changes["minimum_share"] = str(found)
    try:
        if problems or effective_from is None:
            raise Refused("；".join(problems))
        stored = new_rules_version(
            plan,
            changes,
            effective_from=effective_from,
            source=post.get("source", ""),
            actor=request.user,
        )
    except Refused as refused:
        _refused(request, refused)
    else:
        messages.success(
            request,
            _("已保存经费保障规则第 {version} 版，{day} 起施行；此前年度的结果不变。").format(
                version=stored.version, day=stored.effective_from.isoformat()
            ),
        )
    return _back(pk, "rules")


@login_required
@require_POST
def feed_view(request: HttpRequest, pk: int) -> HttpResponse:
    """写入指标: 中职生均拨款（万元） of a year from the appropriation records, into each school's
    经费投入 form (feeding.feed_per_student); submitted or approved values are left as they are."""
    plan = _work_team_plan(request, pk)
    year = request.POST.get("year", "").strip()
    if not (year.isdigit() and 2000 <= int(year) <= 2100):
        messages.error(request, _("请填写年份（2000–2100）"))
        return _back(pk, "feed")
    try:
        results = feed_per_student(plan, int(year), actor=request.user)
    except Refused as refused:
        _refused(request, refused)
        return _back(pk, "feed")
    stored = [r.school.name for r in results if r.stored]
    refused_rows = [
        _("{school}：{problems}").format(school=r.school.name, problems="；".join(r.refused))
        for r in results
        if r.refused
    ]
    if stored:
        messages.success(
            request,
            _("已写入 {year} 年中职生均拨款：{schools}。").format(
                year=year, schools="、".join(stored)
            ),
        )
    if refused_rows:
        messages.error(request, _("未写入：{rows}").format(rows="；".join(refused_rows)))
    if not results:
        messages.error(request, _("{year} 年没有生均拨款记录。").format(year=year))
    return _back(pk, "feed")
