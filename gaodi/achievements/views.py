"""评价与成果 page (重点任务（八）（九）（十）（十八）, （六）（十四）): the plan's countable
achievements against its targets as of a day, each school's evaluation composite with the
weight set version and the working, and the skills competition awards.

Who sees it: as the 专业预警 page (gaodi.accounts.gate, Action.READ_VALUES) — the work team,
the leaders and the inspectors of the plan's place see every school; a school's clerk his own
school only (and the counts of his school); anyone else the same 404 as for a missing plan.
Writes (record an achievement, an evaluation score set, an award; 重新计算): POST, the work team
of the place only (Action.REVIEW); anyone else the same 404. Bad input: a Chinese message,
nothing written.
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
from gaodi.specialties.models import Offering, Specialty
from gaodi.today import today

from . import evaluation
from .competitions import CATEGORIES, GRADES
from .models import CompetitionAward, SchoolEvaluation
from .queries import (
    achievements_of,
    awards_of,
    competition_summaries,
    evaluation_results,
    tallies,
    visible_schools,
)
from .services import (
    AchievementInput,
    AwardInput,
    Refused,
    compute_evaluations,
    new_weight_version,
    record_achievement,
    record_award,
    record_evaluation,
    weights_in_force,
)


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )


def _writable_plan(request: HttpRequest, pk: int) -> Plan:
    plan = _plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    return plan


def _year(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _default_year(plan: Plan) -> int:
    latest = SchoolEvaluation.objects.filter(plan=plan).order_by("-year").first()
    return latest.year if latest else today().year


def _back(pk: int, anchor: str = "", **query: object) -> HttpResponse:
    url = reverse("achievements:overview", args=[pk])
    if query:
        url += "?" + urlencode(query)
    return redirect(url + (f"#{anchor}" if anchor else ""))


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    schools = visible_schools(request.user, plan)
    as_of = _day(request.GET.get("as_of", "")) or today()
    year = _year(request.GET.get("year", "")) or _default_year(plan)
    kinds, counted = tallies(plan, schools, as_of)
    names = {kind.code: kind.name for kind in kinds.kinds} if kinds else {}
    weights = weights_in_force(plan, date(year, 12, 31))
    summaries, tables = competition_summaries(plan, schools)
    may_write = can(request.user, Action.REVIEW, plan.org_unit_id)
    return render(
        request,
        "achievements/overview.html",
        {
            "plan": plan,
            "schools": schools,
            "whole_plan": can(request.user, Action.READ_VALUES, plan.org_unit_id),
            "as_of": as_of,
            "year": year,
            "kinds": kinds,
            "tallies": counted,
            "achievements": [
                (a, names.get(a.kind, a.kind)) for a in achievements_of(plan, schools)
            ],
            "weights": weights,
            "weight_rows": [
                (evaluation.COMPONENT_LABELS[c], weights.weight(c)) for c in evaluation.COMPONENTS
            ]
            if weights
            else [],
            "missing_label": evaluation.MISSING_LABELS[weights.missing] if weights else "",
            "missing_rules": list(evaluation.MISSING_LABELS.items()),
            "components": [(c, evaluation.COMPONENT_LABELS[c]) for c in evaluation.COMPONENTS],
            "evaluations": evaluation_results(plan, schools, year),
            "scores": SchoolEvaluation.objects.filter(plan=plan, school__in=schools, year=year)
            .select_related("school")
            .order_by("school__code"),
            "summaries": summaries,
            "tables": tables,
            "awards": awards_of(plan, schools),
            "may_write": may_write,
            "kind_choices": [k for k in kinds.kinds if not k.from_credit_bank] if kinds else (),
            "specialties": _offered(schools),
            "levels": CompetitionAward.Level.choices,
            "grades": GRADES,
            "categories": CATEGORIES,
        },
    )


def _offered(schools: list[OrgUnit]) -> list[Specialty]:
    """The specialties the schools offer (any year): what an achievement may be linked to."""
    ids = Offering.objects.filter(school__in=schools).values("specialty_id")
    return list(Specialty.objects.filter(pk__in=ids).order_by("name"))


def _school(request: HttpRequest, plan: Plan) -> OrgUnit | None:
    chosen = request.POST.get("school", "")
    schools = {str(s.pk): s for s in visible_schools(request.user, plan)}
    return schools.get(chosen)


@login_required
@require_POST
def record_achievement_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记一项标志性成果 (services.record_achievement, with its change record)."""
    plan = _writable_plan(request, pk)
    school = _school(request, plan)
    approved_text = request.POST.get("approved_on", "").strip()
    approved_on = _day(approved_text) if approved_text else None
    chosen = request.POST.get("specialty", "")
    specialty = None
    if school is not None and chosen:
        specialty = next((s for s in _offered([school]) if str(s.pk) == chosen), None)
    if school is None:
        messages.error(request, _("请选择本方案所辖的学校"))
    elif approved_text and approved_on is None:
        messages.error(request, _("批准（立项）日期须为 YYYY-MM-DD 格式"))
    elif chosen and specialty is None:
        messages.error(request, _("所选专业不是该校开设的专业"))
    else:
        given = AchievementInput(
            kind=request.POST.get("kind", ""),
            name=request.POST.get("name", ""),
            approved_on=approved_on,
            doc_number=request.POST.get("doc_number", ""),
            evidence=request.POST.get("evidence", ""),
            level=request.POST.get("level", ""),
            specialty=specialty,
        )
        try:
            found = record_achievement(plan, school, given, actor=request.user)
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("已登记标志性成果“{name}”。").format(name=found.name))
    return _back(pk, "achievements")


def _score(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise Refused(_("得分“{text}”不是数字").format(text=text)) from None
    if not value.is_finite():
        raise Refused(_("得分“{text}”不是数字").format(text=text))
    if value != value.quantize(Decimal("0.1")):
        # stored as numeric(5,1): more decimals would be kept by SQLite and rounded by
        # PostgreSQL, and the composite would differ by database
        raise Refused(_("得分“{text}”最多保留一位小数").format(text=text))
    return value


@login_required
@require_POST
def record_evaluation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记（更正）一所学校一年的评价得分；留空为未评，不按 0 分计。"""
    plan = _writable_plan(request, pk)
    school = _school(request, plan)
    year = _year(request.POST.get("year", ""))
    if school is None or year is None:
        messages.error(request, _("请选择学校并填写年份（2000–2100）"))
        return _back(pk, "evaluations")
    try:
        scores = {c: _score(request.POST.get(c, "")) for c in evaluation.COMPONENTS}
        record_evaluation(
            plan, school, year, scores, source=request.POST.get("source", ""), actor=request.user
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("已保存{school} {year} 年的评价得分；点“重新计算”更新综合得分。").format(
                school=school.name, year=year
            ),
        )
    return _back(pk, "evaluations", year=year)


@login_required
@require_POST
def record_award_view(request: HttpRequest, pk: int) -> HttpResponse:
    """登记一项技能大赛获奖 (services.record_award)."""
    plan = _writable_plan(request, pk)
    school = _school(request, plan)
    year = _year(request.POST.get("year", ""))
    participants = request.POST.get("participants", "1").strip() or "1"
    if school is None or year is None:
        messages.error(request, _("请选择学校并填写年份（2000–2100）"))
    elif not participants.isdigit():
        messages.error(request, _("获奖人数须为正整数"))
    else:
        given = AwardInput(
            year=year,
            name=request.POST.get("name", ""),
            level=request.POST.get("level", ""),
            grade=request.POST.get("grade", ""),
            category=request.POST.get("category", ""),
            participants=int(participants),
        )
        try:
            record_award(plan, school, given, source=_("录入"), actor=request.user)
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("已登记获奖“{name}”。").format(name=given.name.strip()))
    return _back(pk, "competitions")


@login_required
@require_POST
def record_weights_view(request: HttpRequest, pk: int) -> HttpResponse:
    """另存新版本权重 (services.new_weight_version): the next version of the weight set, in force
    from the given day; results already computed are left as they were."""
    plan = _writable_plan(request, pk)
    effective_from = _day(request.POST.get("effective_from", ""))
    if effective_from is None:
        messages.error(request, _("施行日期须为 YYYY-MM-DD 格式"))
        return _back(pk, "evaluations")
    try:
        weights = {
            c: _score(request.POST.get(f"w_{c}", "")) or Decimal(0) for c in evaluation.COMPONENTS
        }
        stored = new_weight_version(
            plan,
            weights,
            missing=request.POST.get("missing", ""),
            effective_from=effective_from,
            source=request.POST.get("source", ""),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _(
                "已保存权重集 {code} 第 {version} 版，{day} 起施行；已算出的结果不变，"
                "重新计算该日期所在及以后年度时采用新权重。"
            ).format(code=stored.code, version=stored.version, day=effective_from.isoformat()),
        )
    return _back(pk, "evaluations")


@login_required
@require_POST
def recompute(request: HttpRequest, pk: int) -> HttpResponse:
    """重新计算: the composites of a year with the weight set version in force on 31 December
    of that year, replacing that year's results (services.compute_evaluations)."""
    plan = _writable_plan(request, pk)
    year = _year(request.POST.get("year", ""))
    if year is None:
        messages.error(request, _("请填写评价年份（2000–2100）"))
        return _back(pk, "evaluations")
    try:
        results = compute_evaluations(plan, year, actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        scored = sum(1 for r in results if r.composite is not None)
        messages.success(
            request,
            _(
                "已重新计算 {year} 年的学校评价：共 {count} 所学校，其中 {scored} 所得出综合得分。"
            ).format(year=year, count=len(results), scored=scored),
        )
    return _back(pk, "evaluations", year=year)
