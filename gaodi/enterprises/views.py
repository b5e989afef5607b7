"""产教融合型企业 pages (重点任务（十一）（十二）): the register of the plan's place, filtered by
certification status, with a form to add an enterprise; an enterprise's page with its
cooperation with schools, its certification history, its investment declarations, its
surcharges payable and the estimated credit ledger with the working and the statement
估算，以税务机关认定为准.

Who sees them: every member of the plan's place (queries.check_reader: Action.VIEW at the
plan's place — the work team, the leaders, the inspectors, the departments' liaisons) and the
work team above it; a school's clerk and another county get the same 404 as for a missing plan.
Who writes (add an enterprise, record a cooperation, declare an investment, enter a year's
surcharges payable) and who moves the certification steps (申请 -> 审核 -> 培育 / 认定 /
不予认定): the work team of the place only (Action.REVIEW), as it keeps the register for the
district; anyone else gets the same 404. The work team also opens an enterprise's own org unit
(开通企业账号); the people given the `enterprise` role there (queries.is_own) then read that
enterprise's page — and no other page of the register — and declare its investment (source
企业申报); nothing else.
Bad input: a Chinese message listing every problem, nothing written.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

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
from gaodi.specialties.models import Offering, Specialty
from gaodi.specialties.services import schools_of
from gaodi.today import today

from . import certification, credit
from .models import CooperationForm, IntegrationEnterprise, Size
from .queries import (
    NOT_APPLIED,
    check_reader,
    get_profile,
    is_own,
    ledger_of,
    level_label,
    may_write,
    place_credit,
    register_of,
    state_label,
    status_label,
    status_of,
    step_label,
    steps_of,
)
from .services import (
    CooperationInput,
    EnterpriseInput,
    InvestmentInput,
    Refused,
    declare_investment,
    in_force,
    new_parameter_version,
    open_enterprise_unit,
    parameter_versions,
    record_cooperation,
    record_step,
    record_surcharge,
    register_enterprise,
)


def _plan(request: HttpRequest, pk: int) -> Plan:
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    check_reader(request.user, plan)
    return plan


def _writable(request: HttpRequest, pk: int, enterprise: int) -> tuple[Plan, IntegrationEnterprise]:
    plan = _plan(request, pk)
    if not may_write(request.user, plan):
        raise Http404
    return plan, get_profile(plan, enterprise)


def _readable(request: HttpRequest, pk: int, enterprise: int) -> tuple[Plan, IntegrationEnterprise]:
    """The plan's readers, or the enterprise's own people (its page only)."""
    plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    profile = get_profile(plan, enterprise)
    if not (can(request.user, Action.VIEW, plan.org_unit_id) or is_own(request.user, profile)):
        raise Http404
    return plan, profile


def _int(text: str) -> int | None:
    text = text.strip().replace(",", "")
    return int(text) if text.isdigit() else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _detail(pk: int, enterprise: int, anchor: str) -> HttpResponse:
    return redirect(reverse("enterprises:detail", args=[pk, enterprise]) + f"#{anchor}")


STATUSES = (NOT_APPLIED, *certification.STATES)


@login_required
def register(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    profiles = register_of(plan)  # the totals count every enterprise, whatever the filter
    totals = place_credit(profiles).totals
    return render(
        request,
        "enterprises/register.html",
        {
            "plan": plan,
            "rows": [
                (p, status_label(p)) for p in profiles if not status or status_of(p) == status
            ],
            "status": status,
            "statuses": [(s, state_label(s)) for s in STATUSES],
            "totals": totals,
            "sizes": Size.choices,
            "may_write": may_write(request.user, plan),
            "estimate": credit.ESTIMATE,
            "parameters": in_force_today(plan),
            "qualifying_days": list(credit.QUALIFYING_DAYS.items()),
        },
    )


def in_force_today(plan: Plan) -> credit.CreditParameters | None:
    return in_force(parameter_versions(), today(), plan.org_unit)


@login_required
@require_POST
def parameters(request: HttpRequest, pk: int) -> HttpResponse:
    """另存新版本抵免参数 (services.new_parameter_version): the work team of the place; the
    ledgers of years whose 31 December falls on or after the effective date use it."""
    plan = _plan(request, pk)
    if not may_write(request.user, plan):
        raise Http404
    back = redirect(reverse("enterprises:register", args=[pk]) + "#parameters")
    effective_from = _day(request.POST.get("effective_from", ""))
    percent = request.POST.get("rate", "").strip()
    years_text = request.POST.get("carry_years", "").strip()
    if effective_from is None:
        messages.error(request, _("施行日期须为 YYYY-MM-DD 格式"))
        return back
    try:
        rate = Decimal(percent) / 100
    except InvalidOperation:
        messages.error(request, _("抵免比例“{text}”不是数字").format(text=percent))
        return back
    if years_text and _int(years_text) is None:
        messages.error(request, _("结转年限须为正整数，不设年限留空"))
        return back
    try:
        stored = new_parameter_version(
            plan,
            rate=rate,
            carry_forward=request.POST.get("carry_forward", "") == "yes",
            carry_years=_int(years_text) if years_text else None,
            qualifying_day=request.POST.get("qualifying_day", ""),
            effective_from=effective_from,
            source=request.POST.get("source", ""),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("已保存“{name}”第 {version} 版，{day} 起施行；此前年度的台账不变。").format(
                name=stored.name, version=stored.version, day=effective_from.isoformat()
            ),
        )
    return back


@login_required
@require_POST
def add(request: HttpRequest, pk: int) -> HttpResponse:
    """登记一家产教融合型企业 (services.register_enterprise)."""
    plan = _plan(request, pk)
    if not may_write(request.user, plan):
        raise Http404
    given = EnterpriseInput(
        name=request.POST.get("name", ""),
        credit_code=request.POST.get("credit_code", ""),
        sector=request.POST.get("sector", ""),
        size=request.POST.get("size", ""),
    )
    try:
        profile = register_enterprise(plan, given, source=_("录入"), actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(reverse("enterprises:register", args=[pk]) + "#add")
    messages.success(request, _("已登记“{name}”。").format(name=profile.enterprise.name))
    return redirect(reverse("enterprises:detail", args=[pk, profile.pk]))


def _offered(schools: list[OrgUnit]) -> list[Specialty]:
    ids = Offering.objects.filter(school__in=schools).values("specialty_id")
    return list(Specialty.objects.filter(pk__in=ids).order_by("name"))


@login_required
def detail(request: HttpRequest, pk: int, enterprise: int) -> HttpResponse:
    plan, profile = _readable(request, pk, enterprise)
    allowed = certification.allowed_next(steps_of(profile))
    found = ledger_of(profile)
    schools = schools_of(plan)
    return render(
        request,
        "enterprises/detail.html",
        {
            "plan": plan,
            "profile": profile,
            "status": status_label(profile),
            "steps": [
                (s, state_label(s.state), level_label(s.level))
                for s in profile.steps.order_by("on", "pk")
            ],
            "next_states": [(s, state_label(s)) for s in certification.STATES if s in allowed],
            "levels": [(v, certification.LEVEL_LABELS[v]) for v in certification.LEVELS],
            "cooperations": profile.cooperations.select_related("school", "specialty"),
            "investments": profile.investments.order_by("year", "pk"),
            "surcharges": profile.surcharges.order_by("year"),
            "ledger": found.ledger,
            "sentences": found.sentences,
            "periods": [(p, step_label(p.state, p.level)) for p in found.periods],
            "estimate": credit.ESTIMATE,
            "estimate_detail": credit.ESTIMATE_DETAIL,
            "may_write": may_write(request.user, plan),
            "reader": can(request.user, Action.VIEW, plan.org_unit_id),
            "may_declare": may_write(request.user, plan) or is_own(request.user, profile),
            "forms": CooperationForm.choices,
            "schools": schools,
            "specialties": _offered(schools),
        },
    )


@login_required
@require_POST
def step(request: HttpRequest, pk: int, enterprise: int) -> HttpResponse:
    """认定环节 (services.record_step): the work team moves the workflow one step."""
    _plan_found, profile = _writable(request, pk, enterprise)
    on = _day(request.POST.get("on", ""))
    if on is None:
        messages.error(request, _("日期须为 YYYY-MM-DD 格式"))
        return _detail(pk, enterprise, "certification")
    given = certification.Step(
        state=request.POST.get("state", ""),
        on=on,
        level=request.POST.get("level", ""),
        source=request.POST.get("source", ""),
        reason=request.POST.get("reason", ""),
    )
    try:
        record_step(profile, given, actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已记录“{state}”。").format(state=state_label(given.state)))
    return _detail(pk, enterprise, "certification")


@login_required
@require_POST
def cooperation(request: HttpRequest, pk: int, enterprise: int) -> HttpResponse:
    """校企合作 (services.record_cooperation)."""
    plan, profile = _writable(request, pk, enterprise)
    schools = {str(s.pk): s for s in schools_of(plan)}
    school = schools.get(request.POST.get("school", ""))
    chosen = request.POST.get("specialty", "")
    specialty = Specialty.objects.filter(pk=chosen).first() if chosen.isdigit() else None
    end_text = request.POST.get("end_year", "").strip()
    if school is None:
        messages.error(request, _("请选择本方案所辖的学校"))
    elif chosen and specialty is None:
        messages.error(request, _("所选专业不存在"))
    else:
        given = CooperationInput(
            school=school,
            form=request.POST.get("form", ""),
            start_year=_int(request.POST.get("start_year", "")),
            end_year=_int(end_text) if end_text else None,
            specialty=specialty,
            note=request.POST.get("note", ""),
        )
        try:
            record_cooperation(plan, profile, given, actor=request.user)
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("已登记校企合作。"))
    return _detail(pk, enterprise, "cooperation")


@login_required
@require_POST
def investment(request: HttpRequest, pk: int, enterprise: int) -> HttpResponse:
    """投资申报 (services.declare_investment): the work team, or the enterprise's own people."""
    plan, profile = _readable(request, pk, enterprise)
    own = is_own(request.user, profile)
    if not (may_write(request.user, plan) or own):
        raise Http404
    given = InvestmentInput(
        year=_int(request.POST.get("year", "")),
        amount=_int(request.POST.get("amount", "")),
        purpose=request.POST.get("purpose", ""),
        eligible=request.POST.get("eligible", "") == "yes",
        eligibility_reason=request.POST.get("eligibility_reason", ""),
    )
    try:
        source = _("企业申报") if own and not may_write(request.user, plan) else _("录入")
        declare_investment(profile, given, source=source, actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已登记投资申报。"))
    return _detail(pk, enterprise, "investments")


@login_required
@require_POST
def surcharge(request: HttpRequest, pk: int, enterprise: int) -> HttpResponse:
    """应缴附加 (services.record_surcharge), from the finance or tax office's figures."""
    _plan_found, profile = _writable(request, pk, enterprise)
    try:
        record_surcharge(
            profile,
            _int(request.POST.get("year", "")),
            _int(request.POST.get("education_surcharge", "")),
            _int(request.POST.get("local_education_surcharge", "")),
            source=request.POST.get("source", "") or _("录入"),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已保存应缴附加。"))
    return _detail(pk, enterprise, "ledger")


@login_required
@require_POST
def open_unit(request: HttpRequest, pk: int, enterprise: int) -> HttpResponse:
    """开通企业账号 (services.open_enterprise_unit): the enterprise's own org unit; the system
    administrator then makes the logins of the enterprise's people in it, role 企业."""
    _plan_found, profile = _writable(request, pk, enterprise)
    unit = open_enterprise_unit(profile, actor=request.user)
    messages.success(
        request,
        _(
            "已开通“{name}”的企业账号所属机构。请系统管理员为企业的经办人员建立登录账号"
            "（归入本机构，角色为“企业”）；他们登录后可查看本页并申报投资。"
        ).format(name=unit.name),
    )
    return _detail(pk, enterprise, "account")
