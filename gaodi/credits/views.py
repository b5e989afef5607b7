"""学分银行 pages (重点任务（十）).

Signed-in pages, under a plan: the learners, a learner (masked ID, outcomes and their
recognition, ledger progress toward the qualification with expiry warnings, the conversion with
its working, credentials), the recognition queue, the conversion rules (conflict checker, what-if
simulation). Who sees them: as 评价与成果 (Action.READ_VALUES) — the work team, leaders and
inspectors of the plan's place see every school's learners; a school's clerk his own school's;
anyone else the same 404 as for a missing plan.
Writes (POST): recognition steps, conversion, issuing, revoking — the work team of
the place (Action.REVIEW at the plan's place) or the clerk of the learner's school (Action.ENTER
at that school); anyone else 404. The decisions of a case are the work team's alone
(recognition.ROLES); a refused step is a Chinese message, nothing written.

证书体系与认证单元 (catalogue): the same readers; adding a scheme, a 认证单元 or a qualification
(POST) is the work team's of the place alone (Action.REVIEW); anyone else 404.

Share links are the holder's alone (/credits/mine/share/): staff make none for a learner.

Public pages (no login, public data only): verify a credential or a transcript (a pasted token
or a stored credential's id), an issuer's Profile and JWKS, its signed status list credential,
a share link (expired → 404).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from gaodi.accounts.gate import Action, can, get_for_user
from gaodi.achievements.queries import plan_targets
from gaodi.achievements.versions import ParameterError, number, select_version
from gaodi.files.downloads import xlsx_response
from gaodi.files.tables import read_table
from gaodi.files.uploads import UploadRefused, received
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.specialties.models import Offering, Specialty
from gaodi.today import now, today
from gaodi.typed import keep as keep_typed

from . import bulk, conversion, recognition
from .credentials import EDDSA, ES256, holder_name
from .models import (
    ConversionRuleSetVersion,
    IssuedCredential,
    IssuerKey,
    Learner,
    OutcomeUnit,
    Qualification,
    RecognitionCase,
    Scheme,
    ShareLink,
)
from .queries import (
    counts,
    credential_by_uid,
    expiring_named,
    issuing_schools,
    jwks_of,
    labelled_keys,
    learners_of,
    open_cases,
    progress_of,
    verify_token,
    visible_schools,
)
from .services import (
    RULE_COLUMNS,
    UNIT_COLUMNS,
    OutcomeInput,
    Refused,
    add_qualification,
    add_scheme,
    add_unit,
    conversion_for,
    convert_learner,
    create_share_link,
    current_transcript,
    issue_credential,
    issuer_profile,
    link_account_by_username,
    merge_learners,
    new_rule_set_version,
    record_course_taken,
    record_outcome,
    register_learner,
    revoke_credential,
    rotate_key,
    rule_lines,
    rule_sets,
    rules_from_lines,
    schemes,
    signed_status_list,
    take_step,
    transcript_of,
    units_from_lines,
    withdraw_share_link,
)
from .transcript_pdf import render_pdf


def _plan(request: HttpRequest, pk: int) -> Plan:
    return get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _learner(request: HttpRequest, plan: Plan, learner_id: int) -> Learner:
    schools = visible_schools(request.user, plan)
    return get_object_or_404(learners_of(schools), pk=learner_id)


def _role(request: HttpRequest, plan: Plan, school: OrgUnit) -> str | None:
    """The role the user acts in for a learner of `school`: "admin" (the work team of the
    plan's place), "school" (that school's clerk), None (may not write)."""
    if can(request.user, Action.REVIEW, plan.org_unit_id):
        return "admin"
    if can(request.user, Action.ENTER, school.pk):
        return "school"
    return None


def _writable_learner(request: HttpRequest, pk: int, learner_id: int) -> tuple[Plan, Learner]:
    plan = _plan(request, pk)
    learner = _learner(request, plan, learner_id)
    if _role(request, plan, learner.school) is None:
        raise Http404
    return plan, learner


def _back(pk: int, learner_id: int, anchor: str = "") -> HttpResponse:
    url = reverse("credits:learner", args=[pk, learner_id])
    return redirect(url + (f"#{anchor}" if anchor else ""))


def _writable_schools(request: HttpRequest, plan: Plan) -> list[OrgUnit]:
    return [s for s in visible_schools(request.user, plan) if _role(request, plan, s)]


@login_required
def learners(request: HttpRequest, pk: int) -> HttpResponse:
    """学分银行: the learners of the visible schools and the plan's counts."""
    plan = _plan(request, pk)
    schools = visible_schools(request.user, plan)
    as_of = _day(request.GET.get("as_of", "")) or today()
    found = list(learners_of(schools).prefetch_related("outcomes__case", "outcomes__unit"))
    return render(
        request,
        "credits/learners.html",
        {
            "plan": plan,
            "learners": found,
            "counts": counts(schools, as_of),
            "as_of": as_of,
            "targets": [
                t for t in plan_targets(plan) if t.clause == "重点任务（十）" and t.measure == "项"
            ],
            "states": recognition.STATES,
            "writable_schools": _writable_schools(request, plan),
            "work_team": can(request.user, Action.REVIEW, plan.org_unit_id),
            "specialties": Specialty.objects.filter(
                pk__in=Offering.objects.filter(school__in=schools).values("specialty_id")
            ).order_by("name"),
            "qualifications": Qualification.objects.order_by("code"),
            "keys": labelled_keys(
                IssuerKey.objects.filter(school__in=schools).select_related("school")
            ),
        },
    )


@sensitive_post_parameters("id_number")
@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """登记学习者 (services.register_learner): the work team, or the clerk of the school."""
    plan = _plan(request, pk)
    schools = {str(s.pk): s for s in _writable_schools(request, plan)}
    if not schools:
        raise Http404
    school = schools.get(request.POST.get("school", ""))
    specialty = Specialty.objects.filter(pk=_int(request.POST.get("specialty", ""))).first()
    qualification = Qualification.objects.filter(
        pk=_int(request.POST.get("qualification", ""))
    ).first()
    if school is None:
        messages.error(request, _("请选择本方案所辖、您可登记的学校"))
        keep_typed(request, "register")
    else:
        try:
            found = register_learner(
                school,
                request.POST.get("name", ""),
                request.POST.get("id_number", ""),
                specialty=specialty,
                qualification=qualification,
                source=_("录入"),
                actor=request.user,
            )
        except Refused as refused:
            messages.error(request, str(refused))
            keep_typed(request, "register")
        else:
            messages.success(
                request,
                _("已登记学习者“{name}”（{masked}）。").format(
                    name=found.name, masked=found.masked_id
                ),
            )
            return _back(pk, found.pk)
    return redirect(reverse("credits:learners", args=[pk]))


@login_required
@require_POST
def rotate(request: HttpRequest, pk: int) -> HttpResponse:
    """更换签名密钥 (services.rotate_key): the work team of the place only. The old key stays
    published: what it signed still verifies."""
    plan = _plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    schools = {str(s.pk): s for s in visible_schools(request.user, plan)}
    school = schools.get(request.POST.get("school", ""))
    if school is None:
        messages.error(request, _("请选择本方案所辖的学校"))
    else:
        algorithm = request.POST.get("algorithm", EDDSA)
        if algorithm not in (EDDSA, ES256):
            raise Http404
        key = rotate_key(school, actor=request.user, algorithm=algorithm)
        messages.success(
            request,
            _("已为{school}启用新签名密钥 {kid}；旧密钥仍公布，已签发的凭证照常可验证。").format(
                school=school.name, kid=key.kid
            ),
        )
    return redirect(reverse("credits:learners", args=[pk]))


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0


@login_required
@require_POST
def record(request: HttpRequest, pk: int, learner_id: int) -> HttpResponse:
    """登记学习成果 (services.record_outcome; opens its recognition case). The evidence file, if
    given, is hashed (SHA-256) and not kept."""
    _plan_found, found = _writable_learner(request, pk, learner_id)
    unit = OutcomeUnit.objects.filter(pk=_int(request.POST.get("unit", ""))).first()
    issued_on = _day(request.POST.get("issued_on", ""))
    valid_text = request.POST.get("valid_until", "").strip()
    valid_until = _day(valid_text) if valid_text else None
    evidence = request.FILES.get("evidence")
    digest = ""
    if evidence is not None:
        hasher = hashlib.sha256()
        for chunk in evidence.chunks():
            hasher.update(chunk)
        digest = hasher.hexdigest()
    if unit is None or issued_on is None or (valid_text and valid_until is None):
        messages.error(request, _("请选择认证单元，日期写成 YYYY-MM-DD"))
        keep_typed(request, "record")
        return _back(pk, learner_id, "outcomes")
    given = OutcomeInput(
        unit=unit,
        level=request.POST.get("level", "").strip(),
        number=request.POST.get("number", ""),
        issuer=request.POST.get("issuer", ""),
        issued_on=issued_on,
        valid_until=valid_until,
        evidence_sha256=digest,
    )
    try:
        outcome = record_outcome(found, given, source=_("录入"), actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        keep_typed(request, "record")
    else:
        messages.success(
            request, _("已登记证书 {number}，已提交认定。").format(number=outcome.number)
        )
    return _back(pk, learner_id, "outcomes")


@login_required
@require_POST
def merge(request: HttpRequest, pk: int, learner_id: int) -> HttpResponse:
    """合并重复身份 (services.merge_learners): the work team of the place only."""
    plan = _plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    keep = _learner(request, plan, learner_id)
    duplicate = (
        learners_of(visible_schools(request.user, plan))
        .filter(pk=_int(request.POST.get("duplicate", "")))
        .first()
    )
    if duplicate is None:
        messages.error(request, _("请选择要并入的重复学习者"))
    else:
        try:
            merge_learners(
                keep, duplicate, reason=request.POST.get("reason", ""), actor=request.user
            )
        except Refused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request,
                _("已将“{duplicate}”并入“{keep}”，并留有变更记录。").format(
                    duplicate=duplicate, keep=keep
                ),
            )
    return _back(pk, learner_id)


@login_required
def learner(request: HttpRequest, pk: int, learner_id: int) -> HttpResponse:
    """One learner: masked ID, outcomes with recognition, ledger progress, conversion working,
    credentials and share links."""
    plan = _plan(request, pk)
    found = _learner(request, plan, learner_id)
    as_of = _day(request.GET.get("as_of", "")) or today()
    outcomes = list(
        found.outcomes.select_related("scheme", "unit", "case").prefetch_related("case__steps")
    )
    try:
        preview = conversion_for(found, as_of)
        preview_error = ""
    except Refused as refused:
        preview, preview_error = None, str(refused)
    credentials = list(
        found.credentials.select_related("outcome__unit").prefetch_related("share_links")
    )
    return render(
        request,
        "credits/learner.html",
        {
            "plan": plan,
            "learner": found,
            "as_of": as_of,
            "outcomes": outcomes,
            "states": recognition.STATES,
            "actions": recognition.ACTIONS,
            "progress": progress_of(found, as_of),
            "expiring": expiring_named(found, as_of),
            "preview": preview,
            "preview_error": preview_error,
            "conversions": list(found.conversions.select_related("outcome__unit")),
            "ledger": list(found.ledger.order_by("earned_on", "pk")),
            "credentials": credentials,
            "issued_outcomes": {c.outcome_id for c in credentials if c.revoked_at is None},
            "role": _role(request, plan, found.school),
            "now": now(),
            "recognised": recognition.RECOGNISED,
            "units": OutcomeUnit.objects.select_related("scheme").order_by("scheme__code", "code"),
            "work_team": can(request.user, Action.REVIEW, plan.org_unit_id),
            "others": learners_of(visible_schools(request.user, plan)).exclude(pk=found.pk),
        },
    )


def _steps_for(state: str, role: str | None) -> list[tuple[str, str]]:
    after = {
        recognition.SUBMITTED: recognition.CHECK,
        recognition.CHECKED: recognition.REVIEW,
        recognition.FLAGGED: recognition.REVIEW,
        recognition.REVIEWED: recognition.DECIDE,
        recognition.REFUSED: recognition.APPEAL,
        recognition.APPEALED: recognition.DECIDE_APPEAL,
    }
    action = after.get(state)
    if action is None or role not in recognition.ROLES[action]:
        return []
    return [(action, recognition.ACTIONS[action])]


@login_required
def queue(request: HttpRequest, pk: int) -> HttpResponse:
    """认定工作台: the open cases with the next step each role may take."""
    plan = _plan(request, pk)
    schools = visible_schools(request.user, plan)
    rows = []
    who = str(request.user.pk)
    for case in open_cases(schools):
        role = _role(request, plan, case.outcome.learner.school)
        steps = _steps_for(case.state, role)
        blocked = ""
        history = [
            recognition.Step(s.action, s.actor_key, s.role, s.on, s.outcome, s.reason)
            for s in sorted(case.steps.all(), key=lambda s: s.pk)
        ]
        if steps and recognition.decider_blocked(history, who):
            # four eyes: the reviewer is not offered the decision he may not take
            steps = []
            blocked = _("须由另一位工作人员作认定决定（您已审核此案）")
        rows.append((case, recognition.STATES[case.state], steps, blocked))
    return render(
        request,
        "credits/queue.html",
        {
            "plan": plan,
            "rows": rows,
            "decide": (recognition.DECIDE, recognition.DECIDE_APPEAL),
            "recognised": recognition.RECOGNISED,
            "refused": recognition.REFUSED,
            "appeal_days": recognition.APPEAL_DAYS,
        },
    )


@login_required
@require_POST
def step(request: HttpRequest, pk: int, case_id: int) -> HttpResponse:
    """Take the next recognition step of a case (services.take_step, four eyes by user id)."""
    plan = _plan(request, pk)
    schools = visible_schools(request.user, plan)
    case = get_object_or_404(
        RecognitionCase.objects.filter(outcome__learner__school__in=schools), pk=case_id
    )
    role = _role(request, plan, case.outcome.learner.school)
    if role is None:
        raise Http404
    action = request.POST.get("action", "")
    try:
        done = take_step(
            case,
            action,
            role=role,
            outcome=request.POST.get("outcome", ""),
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("已办理“{action}”：{outcome}，现为“{state}”。").format(
                action=recognition.ACTIONS.get(action, action),
                outcome=done.outcome,
                state=recognition.STATES[done.state],
            ),
        )
    return redirect(reverse("credits:queue", args=[pk]))


@login_required
def rules(request: HttpRequest, pk: int) -> HttpResponse:
    """转换规则: every stored version, its conflicts, and a what-if simulation (nothing stored)."""
    plan = _plan(request, pk)
    visible_schools(request.user, plan)
    known = schemes()
    versions = []
    stored_versions = list(ConversionRuleSetVersion.objects.order_by("code", "-version"))
    parsed_versions = [conversion.RuleSet.from_json(v.data) for v in stored_versions]
    in_force = {
        (chosen.code, chosen.version)
        for chosen in (
            select_version(parsed_versions, today(), code)
            for code in {v.code for v in parsed_versions}
        )
        if chosen is not None
    }
    for stored, parsed in zip(stored_versions, parsed_versions, strict=True):
        found = conversion.conflicts(parsed, known)
        versions.append(
            (
                stored,
                parsed,
                [c for c in found if c.blocking],
                [c for c in found if not c.blocking],
                (parsed.code, parsed.version) in in_force,
            )
        )
    # the new-version form starts from the version in force today (else the latest stored)
    current = next((p for p in parsed_versions if (p.code, p.version) in in_force), None)
    current = current or (parsed_versions[0] if parsed_versions else None)
    units = list(OutcomeUnit.objects.select_related("scheme").order_by("scheme__code", "code"))
    simulation = None
    problem = ""
    asked = request.GET
    if "unit" in asked:
        unit = next((u for u in units if str(u.pk) == asked.get("unit")), None)
        issued = _day(asked.get("issued_on", ""))
        as_of = _day(asked.get("as_of", "")) or today()
        if unit is None or issued is None:
            problem = _("请选择认证单元并填写发证日期（YYYY-MM-DD）")
        else:
            outcome = conversion.Outcome(
                key="what-if",
                scheme=unit.scheme.code,
                unit=unit.code,
                level=asked.get("level", ""),
                issued_on=issued,
                name=unit.name,
            )
            try:
                simulation = conversion.simulate(
                    [outcome],
                    rule_sets(),
                    schemes=known,
                    specialty=asked.get("specialty", "").strip(),
                    as_of=as_of,
                )
            except ParameterError as error:
                problem = str(error)
    return render(
        request,
        "credits/rules.html",
        {
            "plan": plan,
            "versions": versions,
            "schemes": Scheme.objects.order_by("code"),
            "units": units,
            "simulation": simulation,
            "problem": problem,
            "asked": asked,
            "as_of_value": asked.get("as_of", "").strip() or today().isoformat(),
            "work_team": can(request.user, Action.REVIEW, plan.org_unit_id),
            "rule_columns": "，".join(RULE_COLUMNS),
            "current": current,
            "current_lines": rule_lines(current.rules) if current else "",
            "once_label": conversion.ONE_COURSE_ONE_CERTIFICATE,
        },
    )


def _cap(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise Refused(_("上限“{text}”不是数字").format(text=text)) from None
    if not value.is_finite():
        raise Refused(_("上限“{text}”不是数字").format(text=text))
    return value


@login_required
@require_POST
def new_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """另存转换规则新版本 (services.new_rule_set_version): the work team of the place only; the
    conflict checker refuses double counts; conversions made before stay as they were."""
    plan = _plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    effective_from = _day(request.POST.get("effective_from", ""))
    if effective_from is None:
        messages.error(request, _("施行日期须为 YYYY-MM-DD 格式"))
        keep_typed(request, "new_rules")
        return redirect(reverse("credits:rules", args=[pk]))
    try:
        stored = new_rule_set_version(
            request.POST.get("code", ""),
            request.POST.get("name", ""),
            rules_from_lines(request.POST.get("rules", "")),
            effective_from=effective_from,
            per_certificate=_cap(request.POST.get("per_certificate", "")),
            per_learner=_cap(request.POST.get("per_learner", "")),
            one_course_one_certificate=request.POST.get("one_course") == "on",
            source=request.POST.get("source", ""),
            owner=plan.org_unit,
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, _("未保存：{problems}").format(problems=refused))
        keep_typed(request, "new_rules")
    else:
        messages.success(
            request,
            _("已保存规则集 {code} 第 {version} 版，{day} 起施行；此前的转换不变。").format(
                code=stored.code, version=stored.version, day=stored.effective_from.isoformat()
            ),
        )
        saved = conversion.RuleSet.from_json(stored.data)
        for found in conversion.conflicts(saved, schemes()):
            messages.warning(request, _("提示：{message}").format(message=found.message))
    return redirect(reverse("credits:rules", args=[pk]))


@login_required
def catalogue(request: HttpRequest, pk: int) -> HttpResponse:
    """证书体系与认证单元: the schemes (levels, issuers, validity window, retirement), the
    catalogue of 认证单元 and the qualifications (units, credits, cap on converted credits),
    each with its source (示例 where none is given); the work team's forms to add them."""
    plan = _plan(request, pk)
    schools = visible_schools(request.user, plan)
    return render(
        request,
        "credits/catalogue.html",
        {
            "plan": plan,
            "schemes": Scheme.objects.order_by("code"),
            "units": OutcomeUnit.objects.select_related("scheme").order_by("scheme__code", "code"),
            "qualifications": Qualification.objects.select_related("specialty").order_by("code"),
            "work_team": can(request.user, Action.REVIEW, plan.org_unit_id),
            "specialties": Specialty.objects.filter(
                pk__in=Offering.objects.filter(school__in=schools).values("specialty_id")
            ).order_by("name"),
            "unit_columns": "，".join(UNIT_COLUMNS),
        },
    )


def _work_team_plan(request: HttpRequest, pk: int) -> Plan:
    plan = _plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    return plan


def _dates(
    problems: list[str], request: HttpRequest, required: str, optional: str, labels: tuple[str, str]
) -> tuple[date | None, date | None]:
    first = _day(request.POST.get(required, ""))
    if first is None:
        problems.append(_("{what}须为 YYYY-MM-DD 格式").format(what=labels[0]))
    text = request.POST.get(optional, "").strip()
    second = _day(text) if text else None
    if text and second is None:
        problems.append(_("{what}须为 YYYY-MM-DD 格式或留空").format(what=labels[1]))
    return first, second


def _amount(problems: list[str], text: str, what: str, *, blank: Decimal | None) -> Decimal | None:
    text = text.strip()
    if not text:
        return blank
    try:
        value = Decimal(text)
    except ArithmeticError:
        value = Decimal("NaN")
    if not value.is_finite():
        problems.append(_("{what}“{text}”不是数字").format(what=what, text=text))
        return blank
    return value


def _split(text: str) -> list[str]:
    for mark in ("，", ",", "\n"):
        text = text.replace(mark, "、")
    return [part.strip() for part in text.split("、") if part.strip()]


def _to_catalogue(pk: int, anchor: str) -> HttpResponse:
    return redirect(reverse("credits:catalogue", args=[pk]) + f"#{anchor}")


@login_required
@require_POST
def catalogue_scheme(request: HttpRequest, pk: int) -> HttpResponse:
    """添加证书体系 (services.add_scheme): the work team of the place only; nothing stored on
    any problem, every problem listed."""
    _work_team_plan(request, pk)
    problems: list[str] = []
    valid_from, retired_on = _dates(
        problems, request, "valid_from", "retired_on", (_("认可起始日"), _("停止认可日"))
    )
    try:
        _refuse_all(problems)
        assert valid_from is not None
        stored = add_scheme(
            request.POST.get("code", ""),
            request.POST.get("name", ""),
            _split(request.POST.get("levels", "")),
            _split(request.POST.get("issuers", "")),
            valid_from=valid_from,
            retired_on=retired_on,
            source=request.POST.get("source", ""),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, _("未保存：{problems}").format(problems=refused))
        keep_typed(request, "add_scheme")
    else:
        messages.success(request, _("已添加证书体系“{name}”。").format(name=stored.name))
    return _to_catalogue(pk, "schemes")


def _refuse_all(problems: list[str]) -> None:
    if problems:
        raise Refused("；".join(problems))


@login_required
@require_POST
def catalogue_unit(request: HttpRequest, pk: int) -> HttpResponse:
    """添加认证单元 (services.add_unit): the work team of the place only."""
    _work_team_plan(request, pk)
    problems: list[str] = []
    scheme = Scheme.objects.filter(pk=_int(request.POST.get("scheme", ""))).first()
    if scheme is None:
        problems.append(_("请选择证书体系"))
    effective_from, effective_to = _dates(
        problems, request, "effective_from", "effective_to", (_("生效日"), _("失效日"))
    )
    credits = _amount(problems, request.POST.get("credits", ""), _("学分"), blank=None)
    try:
        _refuse_all(problems)
        assert scheme is not None and effective_from is not None
        stored = add_unit(
            scheme,
            request.POST.get("code", ""),
            request.POST.get("name", ""),
            effective_from=effective_from,
            effective_to=effective_to,
            credits=credits,
            source=request.POST.get("source", ""),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, _("未保存：{problems}").format(problems=refused))
        keep_typed(request, "add_unit")
    else:
        messages.success(request, _("已添加认证单元“{name}”。").format(name=stored.name))
    return _to_catalogue(pk, "units")


@login_required
@require_POST
def catalogue_qualification(request: HttpRequest, pk: int) -> HttpResponse:
    """添加资格 (services.add_qualification; units as lines 课程代码,课程名称,学分,必修/选修):
    the work team of the place only; every problem listed, nothing stored."""
    _work_team_plan(request, pk)
    problems: list[str] = []
    try:
        units = units_from_lines(request.POST.get("units", ""))
    except Refused as refused:
        problems.append(str(refused))
        units = []
    total_text = request.POST.get("total_credits", "")
    if not total_text.strip():
        problems.append(_("请填写总学分"))
    total = _amount(problems, total_text, _("总学分"), blank=None)
    optional = _amount(
        problems, request.POST.get("optional_credits", ""), _("选修学分"), blank=Decimal(0)
    )
    cap = _amount(
        problems, request.POST.get("max_converted", ""), _("证书转换学分上限"), blank=None
    )
    years_text = request.POST.get("credit_years", "").strip() or "5"
    if not years_text.isdigit():
        problems.append(_("学分保留年限“{v}”须为整数").format(v=years_text))
    specialty_text = request.POST.get("specialty", "").strip()
    specialty = (
        Specialty.objects.filter(pk=_int(specialty_text)).first() if specialty_text else None
    )
    if specialty_text and specialty is None:
        problems.append(_("所选专业不存在"))
    try:
        _refuse_all(problems)
        assert total is not None and optional is not None
        stored = add_qualification(
            request.POST.get("code", ""),
            request.POST.get("name", ""),
            units,
            total_credits=total,
            optional_credits=optional,
            specialty=specialty,
            credit_years=int(years_text),
            source=request.POST.get("source", ""),
            actor=request.user,
            max_converted=cap,
        )
    except Refused as refused:
        messages.error(request, _("未保存：{problems}").format(problems=refused))
        keep_typed(request, "add_qualification")
    else:
        messages.success(request, _("已添加资格“{name}”。").format(name=stored.name))
    return _to_catalogue(pk, "qualifications")


@login_required
@require_POST
def convert(request: HttpRequest, pk: int, learner_id: int) -> HttpResponse:
    """Convert the learner's recognised outcomes today (services.convert_learner)."""
    _plan_found, found = _writable_learner(request, pk, learner_id)
    try:
        result = convert_learner(found, today(), actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("已按 {code} 第 {version} 版转换，共记入 {credits} 学分。").format(
                code=result.rule_set,
                version=result.version,
                credits=number(result.total),
            ),
        )
    return _back(pk, learner_id, "ledger")


@login_required
@require_POST
def issue(request: HttpRequest, pk: int, learner_id: int) -> HttpResponse:
    """Issue an OB 3.0 credential of one recognised outcome (services.issue_credential)."""
    _plan_found, found = _writable_learner(request, pk, learner_id)
    outcome = found.outcomes.filter(pk=_int(request.POST.get("outcome", ""))).first()
    if outcome is None:
        raise Http404
    try:
        stored = issue_credential(outcome, actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
        return _back(pk, learner_id, "outcomes")
    messages.success(request, _("已签发凭证 {uid}。").format(uid=stored.uid))
    return redirect(reverse("credits:credential", args=[stored.uid]))


def _credential_of(request: HttpRequest, pk: int, learner_id: int) -> IssuedCredential:
    _plan_found, found = _writable_learner(request, pk, learner_id)
    chosen = request.POST.get("credential", "")
    try:
        uid = UUID(chosen)
    except ValueError:
        raise Http404 from None
    return get_object_or_404(IssuedCredential, learner=found, uid=uid)


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int, learner_id: int) -> HttpResponse:
    """Revoke a credential: its bit is set in the school's public status list."""
    stored = _credential_of(request, pk, learner_id)
    try:
        revoke_credential(stored, reason=request.POST.get("reason", ""), actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已撤销凭证 {uid}。").format(uid=stored.uid))
    return _back(pk, learner_id, "credentials")


@login_required
def transcript_pdf(request: HttpRequest, pk: int, learner_id: int) -> HttpResponse:
    """学习档案 PDF (same readers as the learner page), printing the content hash of the CLR
    JSON that /api/v1/learners/{id}/transcript gives the same day."""
    plan = _plan(request, pk)
    return _transcript_pdf_of(request, _learner(request, plan, learner_id))


def _transcript_pdf_of(request: HttpRequest, found: Learner) -> HttpResponse:
    """The PDF of the learner's signed transcript (services.current_transcript: issued now if
    the last one no longer matches), printing its content hash and its verify address."""
    holder = found.user_id is not None and found.user_id == request.user.pk
    may_issue = holder or can(request.user, Action.ENTER, found.school_id)
    try:
        stored = current_transcript(found, actor=request.user, may_issue=may_issue)
    except Refused as refused:
        messages.error(request, str(refused))
        if holder:
            return redirect("credits:mine")
        plan = Plan.objects.filter(pk=request.resolver_match.kwargs.get("pk")).first()
        return redirect("credits:learner", plan.pk, found.pk) if plan else redirect("credits:mine")
    url = request.build_absolute_uri(reverse("credits:credential", args=[stored.uid]))
    response = HttpResponse(render_pdf(transcript_of(stored), url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="transcript-{found.pk}.pdf"'
    return response


SHOWN_PROBLEMS = 200


@login_required
def import_certificates_view(request: HttpRequest, pk: int) -> HttpResponse:
    """证书批量导入 (bulk.py): the work team or a school's clerk (for his school); Excel or CSV,
    all rows or none, every problem by cell, idempotent. Anyone else 404."""
    plan = _plan(request, pk)
    schools = _writable_schools(request, plan)
    if not schools:
        raise Http404
    problems: list[bulk.Problem] = []
    if request.method == "POST":
        try:
            content, name = received(request)
            table = read_table(content, name, bulk.REQUIRED)
        except UploadRefused as refused:
            upload = request.FILES.get("file")
            problems = [bulk.Problem(_("文件"), upload.name if upload else "", str(refused))]
        else:
            rows, problems = bulk.check_rows(table, schools)
            if not problems:
                done = bulk.import_certificates(rows, actor=request.user)
                messages.success(
                    request,
                    _(
                        "已导入：新登记学习者 {learners} 人，新增证书 {certificates} 张"
                        "（均已提交认定），已有未变 {unchanged} 张。"
                    ).format(
                        learners=done.learners,
                        certificates=done.certificates,
                        unchanged=done.unchanged,
                    ),
                )
                return redirect(reverse("credits:learners", args=[pk]))
    return render(
        request,
        "credits/import.html",
        {
            "plan": plan,
            "schools": schools,
            "columns": bulk.COLUMNS,
            "units": OutcomeUnit.objects.select_related("scheme").order_by("scheme__code", "code"),
            "problems": problems[:SHOWN_PROBLEMS],
            "more_problems": max(0, len(problems) - SHOWN_PROBLEMS),
        },
    )


# --- the holder's own page -----------------------------------------------------------------


def _mine(request: HttpRequest) -> Learner:
    found = Learner.objects.filter(user=request.user, merged_into__isnull=True).first()
    if found is None:
        raise Http404
    return found


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的凭证: a learner signed in with his own account sees his credentials and makes or
    withdraws share links (holder-controlled). Anyone not linked to a learner: 404."""
    found = _mine(request)
    return render(
        request,
        "credits/mine.html",
        {
            "learner": found,
            "outcomes": found.outcomes.select_related("unit", "case"),
            "states": recognition.STATES,
            "refused": recognition.REFUSED,
            "appeal_days": recognition.APPEAL_DAYS,
            "credentials": found.credentials.select_related("outcome__unit").prefetch_related(
                "share_links"
            ),
            "now": now(),
        },
    )


@login_required
def my_transcript_pdf(request: HttpRequest) -> HttpResponse:
    """我的学习档案 PDF: the learner signed in with his own account downloads his own
    transcript (the same PDF the school prints). It names no learner in its address, so it
    gives nobody else's; anyone not linked to a learner: 404."""
    return _transcript_pdf_of(request, _mine(request))


@login_required
@require_POST
def my_share(request: HttpRequest) -> HttpResponse:
    """The holder makes a share link for one of his credentials (1–365 days)."""
    found = _mine(request)
    try:
        stored = found.credentials.get(uid=UUID(request.POST.get("credential", "")))
    except (ValueError, IssuedCredential.DoesNotExist):
        raise Http404 from None
    days_text = request.POST.get("days", "").strip()
    try:
        link = create_share_link(
            stored, days=int(days_text) if days_text.isdigit() else 0, actor=request.user
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            _("已生成分享链接，{day} 前有效：{url}").format(
                day=localtime(link.expires_at).strftime("%Y-%m-%d %H:%M"),
                url=request.build_absolute_uri(reverse("credits:shared", args=[link.token])),
            ),
        )
    return redirect(reverse("credits:mine"))


@login_required
def my_token(request: HttpRequest, uid: UUID) -> HttpResponse:
    """The holder downloads the signed VC-JWT of one of his own credentials (`.jwt`, to keep
    in a wallet or hand to a verifier). Nobody else: 404 (the address names no learner)."""
    stored = _mine(request).credentials.filter(uid=uid).first()
    if stored is None:
        raise Http404
    response = HttpResponse(stored.token, content_type="application/vc+jwt")
    response["Content-Disposition"] = f'attachment; filename="credential-{stored.uid}.jwt"'
    return response


@login_required
@require_POST
def my_appeal(request: HttpRequest) -> HttpResponse:
    """The holder appeals a refusal of one of his outcomes, once, with a reason (four eyes: the
    appeal is decided by someone who took no part in the case)."""
    found = _mine(request)
    case = RecognitionCase.objects.filter(
        outcome__learner=found, pk=_int(request.POST.get("case", ""))
    ).first()
    if case is None:
        raise Http404
    try:
        take_step(
            case,
            recognition.APPEAL,
            role="learner",
            reason=request.POST.get("reason", ""),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已提出申诉，等待决定。"))
    return redirect(reverse("credits:mine"))


@login_required
@require_POST
def my_withdraw(request: HttpRequest) -> HttpResponse:
    """The holder takes back one of his share links."""
    found = _mine(request)
    link = ShareLink.objects.filter(
        credential__learner=found, token=request.POST.get("token", "")
    ).first()
    if link is None:
        raise Http404
    try:
        withdraw_share_link(link, actor=request.user)
    except Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已收回分享链接。"))
    return redirect(reverse("credits:mine"))


# --- public ---------------------------------------------------------------------------------


def _verify_page(
    request: HttpRequest,
    token: str,
    stored: IssuedCredential | None,
    *,
    full: bool = True,
    url: str = "",
    shared: bool = False,
    error: str = "",
) -> HttpResponse:
    """The verify page. `full` False: the verdict and the non-personal facts only (no holder,
    no credential JSON). `url` is the address printed and drawn as the QR code."""
    result = verify_token(token) if token else None
    shown = json.dumps(result.credential, ensure_ascii=False, indent=2) if result and full else ""
    return render(
        request,
        "credits/verify.html",
        {
            "token": token,
            "result": result,
            "stored": stored,
            "full": full,
            "holder": holder_name(result.credential) if result and full else "",
            "shown": shown,
            "verify_url": url,
            "qr_svg": qr_code(url) if url else "",
            "shared": shared,  # a holder's share link: the token is shown, to copy
            "error": error,
            "valid_from": local_moment(result.credential.get("validFrom")) if result else "",
            "valid_until": local_moment(result.credential.get("validUntil")) if result else "",
        },
    )


def local_moment(text: object) -> str:
    """A credential's ISO 8601 moment ("2021-06-30T01:39:00+08:00") as the site's local time
    (Asia/Shanghai), "2021-06-30 01:39"; "" when absent; as it is when not a moment."""
    if not isinstance(text, str) or not text:
        return ""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if moment.tzinfo is None:
        return moment.strftime("%Y-%m-%d %H:%M")
    return localtime(moment).strftime("%Y-%m-%d %H:%M")


def qr_code(url: str) -> str:
    """The verify address as an inline SVG QR code (segno: pure Python, no network), to be
    scanned from a printed certificate or another screen. Only the URL is encoded."""
    code = segno.make(url, error="m")
    return mark_safe(  # noqa: S308 — segno's own SVG paths; the URL is not echoed as markup
        code.svg_inline(scale=4, border=2, title=_("扫码验证此凭证"))
    )


def verify(request: HttpRequest) -> HttpResponse:
    """Public: paste a VC-JWT; each check is shown, from public data only."""
    token = request.POST.get("token", "") if request.method == "POST" else ""
    if request.method == "POST" and not token.strip():
        return _verify_page(request, "", None, error=_("请粘贴凭证"))
    return _verify_page(request, token.strip(), None)


def credential(request: HttpRequest, uid: UUID) -> HttpResponse:
    """Public: a stored credential, verified as any verifier would (its token, the JWKS, the
    status list). Anyone sees the verdict and the non-personal facts (credential, issuer,
    validity, revoked or not), never the holder's name: that is for a live share link, the
    signed-in work team or clerk of the school (Action.ENTER there) and the holder himself."""
    stored = credential_by_uid(uid)
    if stored is None:
        raise Http404
    user = request.user
    full = user.is_authenticated and (
        can(user, Action.ENTER, stored.school_id) or stored.learner.user_id == user.pk
    )
    url = request.build_absolute_uri(reverse("credits:credential", args=[stored.uid]))
    return _verify_page(request, stored.token, stored, full=full, url=url)


def jwks(request: HttpRequest, code: str) -> JsonResponse:
    """Public: the school's JWKS (every key it ever signed with)."""
    school = get_object_or_404(OrgUnit, code=code)
    found = jwks_of(school)
    if not found["keys"]:
        raise Http404
    return JsonResponse(found, json_dumps_params={"ensure_ascii": False})


def issuer(request: HttpRequest, code: str) -> JsonResponse:
    """Public: the school's OB 3.0 issuer Profile, at the issuer id its credentials name."""
    school = get_object_or_404(issuing_schools(), code=code)
    return JsonResponse(issuer_profile(school), json_dumps_params={"ensure_ascii": False})


def status(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the school's BitstringStatusListCredential, a VC-JWT signed with its key (the
    JWT payload is the credential)."""
    school = get_object_or_404(OrgUnit, code=code)
    signed = signed_status_list(school)
    if signed is None or not IssuedCredential.objects.filter(school=school).exists():
        raise Http404
    return HttpResponse(signed, content_type="application/vc+jwt")


def shared(request: HttpRequest, token: str) -> HttpResponse:
    """Public: a holder's share link, with the token to copy. A link that never existed → 404;
    one withdrawn by the holder or expired → 410 Gone, saying so."""
    link = ShareLink.objects.filter(token=token).select_related("credential").first()
    if link is None:
        raise Http404
    if link.withdrawn_at is not None or link.expires_at < now():
        return render(request, "credits/share_gone.html", status=410)
    # the address shown (and its QR code) is the share link itself: it dies with the link
    url = request.build_absolute_uri(reverse("credits:shared", args=[link.token]))
    return _verify_page(request, link.credential.token, link.credential, url=url, shared=True)


# --- the learner page's forms (a course taken, the learner's own account), import template --


@login_required
@require_POST
def course(request: HttpRequest, pk: int, learner_id: int) -> HttpResponse:
    """登记修读课程学分 (services.record_course_taken → record_course, audited): the work team
    of the place or the clerk of the learner's school; anyone else 404."""
    _plan_found, found = _writable_learner(request, pk, learner_id)
    earned_text = request.POST.get("earned_on", "").strip()
    expires_text = request.POST.get("expires_on", "").strip()
    expires_on = _day(expires_text) if expires_text else None
    if expires_text and expires_on is None:
        messages.error(request, _("失效日期请写成 YYYY-MM-DD，或留空（长期有效）"))
        keep_typed(request, "course")
        return _back(pk, learner_id, "ledger")
    try:
        entry = record_course_taken(
            found,
            request.POST.get("course", ""),
            request.POST.get("course_name", ""),
            request.POST.get("credits", ""),
            earned_on=_day(earned_text) if earned_text else None,
            expires_on=expires_on,
            note=request.POST.get("note", ""),
            actor=request.user,
        )
    except Refused as refused:
        messages.error(request, _("未登记：{problems}").format(problems=refused))
        keep_typed(request, "course")
    else:
        messages.success(
            request,
            _("已登记修读课程“{name}”{credits} 学分。").format(
                name=entry.course_name, credits=number(entry.credits)
            ),
        )
    return _back(pk, learner_id, "ledger")


@login_required
@require_POST
def account(request: HttpRequest, pk: int, learner_id: int) -> HttpResponse:
    """关联学习者本人账号 (services.link_account_by_username → link_account, audited): the
    work team of the place or the clerk of the learner's school; anyone else 404. With it the
    learner sees his own credentials and makes his own share links (我的凭证)."""
    _plan_found, found = _writable_learner(request, pk, learner_id)
    try:
        link_account_by_username(found, request.POST.get("username", ""), actor=request.user)
    except Refused as refused:
        messages.error(request, _("未关联：{problems}").format(problems=refused))
    else:
        messages.success(
            request,
            _("已将“{learner}”关联到账号“{username}”。").format(
                learner=found.name, username=found.user.get_username()
            ),
        )
    return _back(pk, learner_id, "account")


@login_required
def import_template(request: HttpRequest, pk: int) -> HttpResponse:
    """证书导入模板 (.xlsx): the header row and one example row (a school the user may import
    for, a unit of the catalogue). The same people as the import page; anyone else 404."""
    plan = _plan(request, pk)
    schools = _writable_schools(request, plan)
    if not schools:
        raise Http404
    unit = OutcomeUnit.objects.select_related("scheme").order_by("scheme__code", "code").first()
    book = bulk.template_workbook(
        schools[0].code,
        unit.scheme.code if unit else "",
        unit.code if unit else "",
        unit.scheme.levels[0] if unit and unit.scheme.levels else "",
    )
    return xlsx_response(book, str(_("证书导入模板.xlsx")))
