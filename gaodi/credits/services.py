"""Every write of the credit bank (学分银行, issue 9), each in one transaction with its change
record (gaodi.audit: who, when, before, after): register a learner (a duplicate ID number is
refused), merge duplicates, record an outcome (opens its recognition case), take a recognition
step (four eyes by user id), store a conversion rule-set version, convert a learner's
recognised outcomes (ledger entries with the rule-set version in force), issue a credential
(signed with the school's active key, made on first use), rotate a key, revoke a credential
(its status bit), create a share link.

Bad input raises Refused with a Chinese message listing the problems, and writes nothing.
Protection of the ID number: Fernet (AES-128-CBC + HMAC) with a key derived by HKDF from
GAODI_CREDITS_KEY (from the site's SECRET_KEY when that is unset, as before it existed);
duplicates are found by an HMAC fingerprint under another derived key; the schools' private
signing keys are wrapped by the same Fernet key. `rekey` moves all three from an old key to the
current one, all or nothing."""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.accounts.gate import Action, can
from gaodi.achievements.versions import ParameterError, number
from gaodi.audit.services import record_change, record_changes
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import root_id_of
from gaodi.orgs.services import Actor
from gaodi.specialties.models import Specialty
from gaodi.specialties.services import Change, Refused, refuse_earlier, snapshot
from gaodi.today import now

from . import conversion, credentials, identity, ledger, recognition, status_list
from .models import (
    Conversion,
    ConversionRuleSetVersion,
    IssuedCredential,
    IssuerKey,
    Learner,
    LearningOutcome,
    LedgerEntry,
    OutcomeUnit,
    Qualification,
    RecognitionCase,
    RecognitionStep,
    Scheme,
    ShareLink,
)

__all__ = ["Refused"]

SHARE_DAYS = 30  # 示例: a share link lasts 30 days unless the holder says otherwise
HEX64 = re.compile(r"^[0-9a-f]{64}$")
SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- protection of the ID number ---------------------------------------------------------


def key_material() -> str:
    """What the credit bank's keys derive from: GAODI_CREDITS_KEY, else SECRET_KEY."""
    return str(getattr(settings, "GAODI_CREDITS_KEY", "") or settings.SECRET_KEY)


def _derived(purpose: bytes, material: str | None = None) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"gaodi-credits", info=purpose).derive(
        (key_material() if material is None else material).encode()
    )


def _fernet(material: str | None = None) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derived(b"credits-encryption", material)))


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def fingerprint(id_number: str) -> str:
    return identity.fingerprint(id_number, _derived(b"credits-id-fingerprint"))


@dataclass(frozen=True)
class Rekeyed:
    learners: int
    keys: int


@transaction.atomic
def rekey(old_material: str, *, actor: Actor) -> Rekeyed:
    """Re-encrypt every stored ID number and private signing key from the keys derived from
    `old_material` (the previous GAODI_CREDITS_KEY, or SECRET_KEY) to the current ones, and
    recompute the fingerprints. A row the current key already opens (written after the new key
    was set, or by an earlier run) is left alone, so running it again finishes what a first
    run could not reach. All or nothing: one row that neither key opens refuses the whole run
    and changes nothing. Each row's change is recorded, without any secret."""
    if not old_material:
        raise Refused(_("请给出原密钥"))
    if old_material == key_material():
        raise Refused(_("原密钥与当前密钥相同，无需重新加密"))
    old, current = _fernet(old_material), _fernet()
    learners = list(Learner.objects.select_for_update().order_by("pk"))
    keys = list(IssuerKey.objects.select_for_update().order_by("pk"))
    numbers: dict[int, str] = {}
    privates: dict[int, str] = {}
    problems: list[str] = []

    def opened(token: str) -> str | None:
        """The plain text if the OLD key opens `token`; None if the current one already
        does (nothing to do); InvalidToken if neither."""
        try:
            current.decrypt(token.encode())
        except InvalidToken:
            return old.decrypt(token.encode()).decode()
        return None

    for learner in learners:
        try:
            number = opened(learner.id_encrypted)
        except InvalidToken:
            problems.append(_("学习者 {pk} 的身份证号无法用原密钥解开").format(pk=learner.pk))
        else:
            if number is not None:
                numbers[learner.pk] = number
    for key in keys:
        try:
            private = opened(key.private_encrypted)
        except InvalidToken:
            problems.append(_("签名密钥 {kid} 无法用原密钥解开").format(kid=key.kid))
        else:
            if private is not None:
                privates[key.pk] = private
    learners = [learner for learner in learners if learner.pk in numbers]
    keys = [key for key in keys if key.pk in privates]
    if problems:
        raise Refused(_("未作任何改动：") + "；".join(problems[:20]))
    changes: list[Change] = []
    for learner in learners:
        learner.id_encrypted = encrypt(numbers[learner.pk])
        learner.id_fingerprint = fingerprint(numbers[learner.pk])
        learner.save(update_fields=["id_encrypted", "id_fingerprint"])
        changes.append((learner, "update", None, {"rekeyed": True}, "身份证号重新加密"))
    for key in keys:
        key.private_encrypted = encrypt(privates[key.pk])
        key.save(update_fields=["private_encrypted"])
        changes.append((key, "update", None, {"rekeyed": True}, "签名私钥重新加密"))
    record_changes(changes, actor=actor)
    return Rekeyed(learners=len(learners), keys=len(keys))


# --- the pure side's shapes -----------------------------------------------------------------


def scheme_of(stored: Scheme) -> conversion.Scheme:
    return conversion.Scheme(
        code=stored.code,
        name=stored.name,
        levels=tuple(stored.levels),
        issuers=tuple(stored.issuers),
        valid_from=stored.valid_from,
        retired_on=stored.retired_on,
        source=stored.source,
    )


def schemes() -> dict[str, conversion.Scheme]:
    return {s.code: scheme_of(s) for s in Scheme.objects.all()}


def outcome_of(stored: LearningOutcome) -> conversion.Outcome:
    return conversion.Outcome(
        key=str(stored.pk),
        scheme=stored.scheme.code,
        unit=stored.unit.code,
        level=stored.level,
        issued_on=stored.issued_on,
        valid_until=stored.valid_until,
        name=stored.unit.name,
    )


def rule_sets() -> list[conversion.RuleSet]:
    return [
        conversion.RuleSet.from_json(v.data)
        for v in ConversionRuleSetVersion.objects.order_by("code", "version")
    ]


def qualification_of(stored: Qualification) -> ledger.Qualification:
    return ledger.Qualification(
        code=stored.code,
        name=stored.name,
        units=tuple(
            ledger.Unit(u["course"], u["name"], Decimal(str(u["credits"])), bool(u["mandatory"]))
            for u in stored.units
        ),
        total_credits=stored.total_credits,
        optional_credits=stored.optional_credits,
        source=stored.source,
        max_converted=stored.max_converted,
    )


def entries_of(learner: Learner) -> list[ledger.Entry]:
    return [
        ledger.Entry(
            course=e.course,
            credits=e.credits,
            earned_on=e.earned_on,
            origin=str(e.conversion.outcome_id) if e.conversion else "",
            expires_on=e.expires_on,
        )
        for e in learner.ledger.select_related("conversion").order_by("earned_on", "pk")
    ]


def history_of(case: RecognitionCase) -> list[recognition.Step]:
    return [
        recognition.Step(s.action, s.actor_key, s.role, s.on, s.outcome, s.reason)
        for s in case.steps.order_by("pk")
    ]


def _long(problems: list[str], text: str, limit: int, what: str) -> None:
    if len(text) > limit:
        problems.append(_("{what}不能超过 {n} 个字").format(what=what, n=limit))


def _refuse(problems: list[str]) -> None:
    if problems:
        raise Refused("；".join(problems))


# --- learners --------------------------------------------------------------------------------


@transaction.atomic
def register_learner(
    school: OrgUnit,
    name: str,
    id_number: str,
    *,
    specialty: Specialty | None = None,
    qualification: Qualification | None = None,
    source: str,
    actor: Actor,
) -> Learner:
    """A learner account: the ID number checked (GB 11643), stored encrypted, shown masked; a
    number already registered (same fingerprint, not merged away) is refused."""
    problems: list[str] = []
    name = name.strip()
    if not name:
        problems.append(_("请填写姓名"))
    _long(problems, name, 50, _("姓名"))
    _long(problems, source, 100, _("来源"))
    number = ""
    try:
        number = identity.check_id_number(id_number)
    except identity.IdentityRefused as refused:
        problems.append(str(refused))
    if number:
        twin = Learner.objects.filter(
            id_fingerprint=fingerprint(number), merged_into__isnull=True
        ).first()
        if twin is not None:
            problems.append(_duplicate_message(twin, actor))
    _refuse(problems)
    learner = Learner.objects.create(
        name=name,
        id_encrypted=encrypt(number),
        id_fingerprint=fingerprint(number),
        masked_id=identity.mask(number),
        school=school,
        specialty=specialty,
        qualification=qualification,
        source=source,
    )
    record_change(
        learner, actor=actor, action="create", after=_learner_view(learner), summary="登记学习者"
    )
    return learner


def _duplicate_message(twin: Learner, actor: Actor) -> str:
    """Who already has the number — named only to someone who may write for that learner's
    school (Action.ENTER there; None is the system); anyone else is told to ask the work team."""
    if actor is None or can(actor, Action.ENTER, twin.school_id):
        return _("该身份证号已登记为学习者“{name}”（{school}），不重复登记").format(
            name=twin.name, school=twin.school.name
        )
    return _("该身份证号已在其他学校登记，请联系工作专班")


@transaction.atomic
def link_account(learner: Learner, user: Any, *, actor: Actor) -> Learner:
    """The learner's own account, with which he manages his share links."""
    if Learner.objects.filter(user=user).exclude(pk=learner.pk).exists():
        raise Refused(_("该账号已关联其他学习者"))
    before = _learner_view(learner)
    learner.user = user
    learner.save(update_fields=["user"])
    record_change(
        learner, actor=actor, action="update", before=before, after=_learner_view(learner)
    )
    return learner


def _learner_view(learner: Learner) -> dict[str, object]:
    """The learner as the audit trail keeps him: never the ID number, encrypted or not."""
    shown = snapshot(learner)
    shown.pop("id_encrypted", None)
    shown.pop("id_fingerprint", None)
    return shown


def _same_person(one: Learner, other: Learner) -> bool:
    """A duplicate identity is the same person registered twice, with a typo in one of the two:
    the two share the name or the ID number (its fingerprint)."""
    return one.name.strip() == other.name.strip() or one.id_fingerprint == other.id_fingerprint


@transaction.atomic
def merge_learners(keep: Learner, duplicate: Learner, *, reason: str, actor: Actor) -> Learner:
    """Merge a duplicate identity into `keep`: its outcomes, ledger, conversions and
    credentials move over; the duplicate stays, marked merged (nothing deleted). Refused when a
    certificate would then be held twice."""
    problems: list[str] = []
    if keep.pk == duplicate.pk:
        problems.append(_("不能与自身合并"))
    if keep.merged_into_id or duplicate.merged_into_id:
        problems.append(_("已合并的学习者不能再合并"))
    if keep.pk != duplicate.pk and not _same_person(keep, duplicate):
        problems.append(
            _("“{keep}”与“{duplicate}”姓名和身份证号都不同，不是同一人的重复身份，不能合并").format(
                keep=keep.name, duplicate=duplicate.name
            )
        )
    if not reason.strip():
        problems.append(_("请写明合并理由"))
    _long(problems, reason, 300, _("合并理由"))
    held = set(keep.outcomes.values_list("scheme_id", "number"))
    for outcome in duplicate.outcomes.all():
        if (outcome.scheme_id, outcome.number) in held:
            problems.append(_("证书 {number} 两人都有记录，请先核对").format(number=outcome.number))
    _refuse(problems)
    before = {"keep": _learner_view(keep), "duplicate": _learner_view(duplicate)}
    moved = {
        "outcomes": list(duplicate.outcomes.values_list("pk", flat=True)),
        "ledger": list(duplicate.ledger.values_list("pk", flat=True)),
    }
    # What moves takes the kept account's root (the two may be of different provinces).
    moved_to = {"learner": keep, "root_id": keep.root_id}
    LearningOutcome.objects.filter(learner=duplicate).update(**moved_to)
    LedgerEntry.objects.filter(learner=duplicate).update(**moved_to)
    Conversion.objects.filter(learner=duplicate).update(**moved_to)
    # A credential keeps its issuer's root: the school's status list (a bit, a revocation).
    IssuedCredential.objects.filter(learner=duplicate).update(learner=keep)
    RecognitionCase.objects.filter(outcome_id__in=moved["outcomes"]).update(root_id=keep.root_id)
    RecognitionStep.objects.filter(case__outcome_id__in=moved["outcomes"]).update(
        root_id=keep.root_id
    )
    duplicate.merged_into = keep
    duplicate.save(update_fields=["merged_into"])
    record_change(
        keep,
        actor=actor,
        action="merge",
        before=before,
        after={"merged": duplicate.pk, "moved": moved, "reason": reason.strip()},
        summary=_("合并重复学习者"),
    )
    return keep


# --- outcomes and recognition ----------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeInput:
    unit: OutcomeUnit
    level: str
    number: str
    issuer: str
    issued_on: date
    valid_until: date | None = None
    evidence_sha256: str = ""


@transaction.atomic
def record_outcome(
    learner: Learner, given: OutcomeInput, *, source: str, actor: Actor
) -> LearningOutcome:
    """A certificate held by the learner, and its recognition case (submitted). Unique by
    scheme + number + holder."""
    scheme = given.unit.scheme
    problems: list[str] = []
    number = given.number.strip()
    if not number:
        problems.append(_("请填写证书编号"))
    _long(problems, number, 60, _("证书编号"))
    _long(problems, given.issuer.strip(), 100, _("发证机构"))
    _long(problems, source, 100, _("来源"))
    if not given.issuer.strip():
        problems.append(_("请填写发证机构"))
    if given.level not in scheme.levels:
        problems.append(
            _("“{scheme}”没有“{level}”这一等级（可用：{levels}）").format(
                scheme=scheme.name, level=given.level, levels="、".join(scheme.levels)
            )
        )
    if given.valid_until is not None and given.valid_until < given.issued_on:
        problems.append(_("有效期不能早于发证日期"))
    evidence = given.evidence_sha256.strip().lower()
    if evidence and not HEX64.match(evidence):
        problems.append(_("佐证文件哈希应为 64 位十六进制 SHA-256"))
    if LearningOutcome.objects.filter(learner=learner, scheme=scheme, number=number).exists():
        problems.append(_("证书 {number} 已登记，不重复登记").format(number=number))
    _refuse(problems)
    outcome = LearningOutcome.objects.create(
        learner=learner,
        scheme=scheme,
        unit=given.unit,
        level=given.level,
        number=number,
        issuer=given.issuer.strip(),
        issued_on=given.issued_on,
        valid_until=given.valid_until,
        evidence_sha256=evidence,
        source=source,
    )
    case = RecognitionCase.objects.create(
        outcome=outcome, opened_on=now().date(), state=recognition.SUBMITTED
    )
    record_changes(
        [
            (outcome, "create", None, snapshot(outcome), "登记学习成果"),
            (case, "create", None, snapshot(case), "提交认定"),
        ],
        actor=actor,
    )
    return outcome


@transaction.atomic
def take_step(
    case: RecognitionCase,
    action: str,
    *,
    role: str,
    outcome: str = "",
    reason: str = "",
    actor: Actor,
) -> RecognitionCase:
    """One recognition step through recognition.apply (four eyes by user id); the check step
    compares the issuer with the scheme's list. Refused steps change nothing."""
    case = RecognitionCase.objects.select_for_update().get(pk=case.pk)
    history = history_of(case)
    who = str(getattr(actor, "pk", "") or "system")
    day = now().date()
    if len(reason) > 500:
        raise Refused(_("理由不能超过 500 个字"))
    if action == recognition.CHECK:
        stored = case.outcome
        step = recognition.check_step(stored.issuer, stored.scheme.issuers, who, role, day)
    else:
        step = recognition.Step(action, who, role, day, outcome, reason.strip())
    try:
        state = recognition.apply(history, step)
    except recognition.StepRefused as refused:
        raise Refused(str(refused)) from None
    before = snapshot(case)
    row = RecognitionStep.objects.create(
        case=case,
        action=step.action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_key=who,
        actor_name=actor.get_username() if getattr(actor, "pk", None) else _("系统"),
        role=role,
        on=day,
        outcome=step.outcome,
        reason=step.reason,
    )
    case.state = state
    case.save(update_fields=["state"])
    record_changes(
        [
            (row, "create", None, snapshot(row), recognition.ACTIONS[step.action]),
            (case, "update", before, snapshot(case), recognition.STATES[state]),
        ],
        actor=actor,
    )
    return case


# --- conversion rules and conversion -------------------------------------------------------


@transaction.atomic
def save_rule_set(
    rules: conversion.RuleSet, *, owner: OrgUnit | None, actor: Actor
) -> ConversionRuleSetVersion:
    """A new version of a conversion rule set; never overwritten, never earlier than the last,
    and refused while the conflict checker finds a blocking conflict (a double count, a rule
    the per-certificate cap never lets through, an unknown scheme or level), each listed; the
    reported ones (rules of a level adding up past the cap) are shown, not refused."""
    existing = ConversionRuleSetVersion.objects.filter(code=rules.code)
    if existing.filter(version=rules.version).exists():
        raise Refused(
            _("规则集“{code}”第 {version} 版已存在，请另存新版本").format(
                code=rules.code, version=rules.version
            )
        )
    refuse_earlier(existing, rules.effective_from)
    same_day = existing.filter(effective_from=rules.effective_from).order_by("version").first()
    if same_day is not None:
        raise Refused(
            _(
                "规则集“{code}”第 {version} 版已定于 {day} 起施行；同一天只能有一个版本施行，"
                "请改用更晚的施行日期"
            ).format(
                code=rules.code, version=same_day.version, day=rules.effective_from.isoformat()
            )
        )
    _refuse([c.message for c in conversion.conflicts(rules, schemes()) if c.blocking])
    stored = ConversionRuleSetVersion.objects.create(
        code=rules.code,
        version=rules.version,
        effective_from=rules.effective_from,
        name=rules.name,
        source=rules.source,
        owner=owner,
        data=rules.to_json(),
    )
    record_change(
        stored, actor=actor, action="create", after=snapshot(stored), summary="学分转换规则"
    )
    return stored


RULE_COLUMNS = ("证书体系", "认证单元", "等级", "课程编号", "课程名称", "学分", "专业", "课程类别")


def rules_from_lines(text: str) -> list[conversion.Rule]:
    """Rules typed one a line, columns split by commas (RULE_COLUMNS; levels split by 、; 专业
    blank = any specialty). Refused with every bad line named."""
    rules: list[conversion.Rule] = []
    problems: list[str] = []
    for row, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("，", ",").split(",")]
        cells += [""] * (len(RULE_COLUMNS) - len(cells))
        if len(cells) > len(RULE_COLUMNS) or not all(cells[:6]):
            problems.append(
                _("第 {n} 行应为：{columns}（前六项必填）").format(
                    n=row, columns="，".join(RULE_COLUMNS)
                )
            )
            continue
        try:
            credits = Decimal(cells[5])
        except ArithmeticError:
            problems.append(_("第 {n} 行的学分“{v}”不是数字").format(n=row, v=cells[5]))
            continue
        if not credits.is_finite():
            problems.append(_("第 {n} 行的学分“{v}”不是数字").format(n=row, v=cells[5]))
            continue
        scheme, unit, levels, course, name, _credits, specialty, kind = cells
        rules.append(
            conversion.Rule(
                scheme,
                unit,
                tuple(level for level in levels.split("、") if level),
                course,
                name,
                credits,
                specialty,
                kind,
            )
        )
    if not rules and not problems:
        problems.append(_("请至少写一条规则"))
    _refuse(problems)
    return rules


def rule_lines(rules: tuple[conversion.Rule, ...] | list[conversion.Rule]) -> str:
    """The rules one a line, as `rules_from_lines` reads them (to prefill a new version)."""
    return "\n".join(
        ",".join(
            (
                rule.scheme,
                rule.unit,
                "、".join(rule.levels),
                rule.course,
                rule.course_name,
                conversion.number(rule.credits),
                rule.specialty,
                rule.kind,
            )
        ).rstrip(",")
        for rule in rules
    )


def new_rule_set_version(
    code: str,
    name: str,
    rules: list[conversion.Rule],
    *,
    effective_from: date,
    per_certificate: Decimal | None,
    per_learner: Decimal | None,
    one_course_one_certificate: bool,
    source: str,
    owner: OrgUnit | None,
    actor: Actor,
) -> ConversionRuleSetVersion:
    """The next version of rule set `code` (version 1 for a new code), checked by
    conversion.RuleSet and the conflict checker; conversions made before stay as they were."""
    problems: list[str] = []
    if not code.strip() or not name.strip():
        problems.append(_("请填写规则集编号和名称"))
    if not source.strip():
        problems.append(_("请填写依据（文件或会议；示范值请写“示例”）"))
    _long(problems, code.strip(), 60, _("规则集编号"))
    _long(problems, name.strip(), 200, _("名称"))
    _refuse(problems)
    latest = ConversionRuleSetVersion.objects.filter(code=code.strip()).order_by("-version").first()
    try:
        rule_set = conversion.RuleSet(
            code=code.strip(),
            version=latest.version + 1 if latest else 1,
            effective_from=effective_from,
            name=name.strip(),
            rules=tuple(rules),
            per_certificate=per_certificate,
            per_learner=per_learner,
            one_course_one_certificate=one_course_one_certificate,
            source=source.strip(),
        )
    except ParameterError as error:
        raise Refused(str(error)) from None
    return save_rule_set(rule_set, owner=owner, actor=actor)


def recognised_outcomes(learner: Learner) -> list[LearningOutcome]:
    return list(
        learner.outcomes.filter(case__state=recognition.RECOGNISED)
        .select_related("scheme", "unit")
        .order_by("issued_on", "pk")
    )


def conversion_for(learner: Learner, as_of: date) -> conversion.Conversion:
    """What converting the learner's recognised outcomes on `as_of` gives (nothing stored)."""
    already = {str(c.outcome_id): c.credits for c in learner.conversions.all()}
    credited = set(learner.ledger.values_list("course", flat=True))
    try:
        return conversion.convert(
            [outcome_of(o) for o in recognised_outcomes(learner)],
            rule_sets(),
            schemes=schemes(),
            specialty=learner.specialty.name if learner.specialty else "",
            as_of=as_of,
            already=already,
            credited_courses=credited,
        )
    except ParameterError as error:
        raise Refused(str(error)) from None


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def convert_learner(learner: Learner, as_of: date, *, actor: Actor) -> conversion.Conversion:
    """Convert the learner's recognised, not yet converted outcomes with the rule-set version in
    force on `as_of`: one Conversion per outcome (OneToOne: never twice) and one ledger entry
    per course, expiring after the qualification's credit term."""
    result = conversion_for(learner, as_of)
    years = learner.qualification.credit_years if learner.qualification else 5
    changes: list[Change] = []
    by_outcome: dict[str, list[conversion.Granted]] = {}
    for granted in result.granted:
        by_outcome.setdefault(granted.outcome, []).append(granted)
    for key, grants in by_outcome.items():
        stored = Conversion.objects.create(
            outcome_id=int(key),
            learner=learner,
            rule_set_code=result.rule_set,
            rule_set_version=result.version,
            as_of=as_of,
            credits=sum((g.credits for g in grants), Decimal(0)),
            working=list(result.steps),
        )
        changes.append((stored, "create", None, snapshot(stored), "学分转换"))
        for granted in grants:
            entry = LedgerEntry.objects.create(
                learner=learner,
                course=granted.course,
                course_name=granted.course_name,
                credits=granted.credits,
                earned_on=as_of,
                expires_on=_add_years(as_of, years),
                conversion=stored,
                note=granted.note[:200],
            )
            changes.append((entry, "create", None, snapshot(entry), "记入学分"))
    record_changes(changes, actor=actor)
    return result


# --- keys and credentials ------------------------------------------------------------------


def site_url() -> str:
    """The public address the credentials name (GAODI_PUBLIC_URL, else the local one)."""
    return str(getattr(settings, "GAODI_PUBLIC_URL", "http://localhost:8000")).rstrip("/")


def issuer_url(school: OrgUnit) -> str:
    return f"{site_url()}/credits/issuers/{school.code}/"


def status_list_url(school: OrgUnit) -> str:
    return f"{site_url()}/credits/status/{school.code}/"


@transaction.atomic
def active_key(school: OrgUnit, *, actor: Actor) -> IssuerKey:
    """The school's signing key in use, made (Ed25519) on first use."""
    found = IssuerKey.objects.filter(school=school, retired_at__isnull=True).last()
    return found or _new_key(school, actor=actor)


def _new_key(school: OrgUnit, *, actor: Actor, algorithm: str = credentials.EDDSA) -> IssuerKey:
    private = credentials.new_key(algorithm)
    jwk = credentials.public_jwk(private)
    key = IssuerKey.objects.create(
        school=school,
        kid=jwk["kid"],
        algorithm=jwk["alg"],
        public_jwk=jwk,
        private_encrypted=encrypt(credentials.private_pem(private).decode()),
        active_from=now(),
    )
    shown = snapshot(key)
    shown.pop("private_encrypted", None)
    record_change(key, actor=actor, action="create", after=shown, summary="签名密钥")
    return key


@transaction.atomic
def rotate_key(school: OrgUnit, *, actor: Actor, algorithm: str = credentials.EDDSA) -> IssuerKey:
    """Retire the school's key and make a new one; the retired key stays published, so the
    credentials it signed still verify."""
    for old in IssuerKey.objects.filter(school=school, retired_at__isnull=True):
        old.retired_at = now()
        old.save(update_fields=["retired_at"])
        record_change(old, actor=actor, action="update", after={"retired_at": str(old.retired_at)})
    try:
        return _new_key(school, actor=actor, algorithm=algorithm)
    except credentials.CredentialRefused as refused:
        raise Refused(str(refused)) from None


def _free_index(school: OrgUnit) -> int:
    """An unused bit of the school's status list, chosen at random (`secrets`): sequential
    bits would tell anyone who sees two credentials how many were issued between them. The
    school's row is locked first, so two issues at the same moment never pick the same bit
    (called inside the issuing transaction)."""
    OrgUnit.objects.select_for_update().filter(pk=school.pk).first()
    used = set(
        IssuedCredential.objects.filter(school=school, root_id=root_id_of(school.pk)).values_list(
            "status_index", flat=True
        )
    )
    if len(used) >= status_list.MIN_BITS:
        raise Refused(_("本校状态列表已满，无法再签发凭证"))
    for _attempt in range(64):
        index = secrets.randbelow(status_list.MIN_BITS)
        if index not in used:
            return index
    free = [i for i in range(status_list.MIN_BITS) if i not in used]  # a nearly full list
    return free[secrets.randbelow(len(free))]


def key_id(school: OrgUnit, key: IssuerKey) -> str:
    """The JWS header `kid`: a resolvable URL, `<issuer id>jwks.json#<thumbprint>`."""
    return credentials.key_id(issuer_url(school), key.kid)


def _signed(data: dict[str, Any], school: OrgUnit, key: IssuerKey) -> str:
    private = credentials.load_private(decrypt(key.private_encrypted).encode())
    return credentials.issue(data, private, kid=key_id(school, key))


def issuer_profile(school: OrgUnit) -> dict[str, Any]:
    """The school's OB 3.0 issuer Profile, served at its issuer id."""
    return {
        "@context": [credentials.VC_CONTEXT, credentials.OB_CONTEXT],
        "id": issuer_url(school),
        "type": "Profile",
        "name": school.name,
        "url": site_url() + "/",
    }


def signed_status_list(school: OrgUnit) -> str | None:
    """The school's BitstringStatusListCredential as a VC-JWT signed with its active key
    (None when it has none): a verifier trusts the revocation bits only with the signature."""
    key = IssuerKey.objects.filter(school=school, retired_at__isnull=True).last()
    if key is None:
        return None
    listed = credentials.status_list_credential(
        list_url=status_list_url(school),
        issuer=credentials.Issuer(issuer_url(school), school.name),
        encoded=encoded_status_list(school),
        valid_from=now().replace(microsecond=0),
    )
    return _signed(listed, school, key)


def _moment(day: date) -> datetime:
    """The end of `day` (23:59:59 Asia/Shanghai): valid until a day means through that day."""
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=SHANGHAI)


def _achievement_json(
    outcome: LearningOutcome, uid: str, index: int, issued: datetime
) -> dict[str, Any]:
    learner = outcome.learner
    school = learner.school
    unit = outcome.unit
    credited = outcome.conversion.credits if hasattr(outcome, "conversion") else None
    return credentials.achievement_credential(
        credential_id=f"urn:uuid:{uid}",
        issuer=credentials.Issuer(issuer_url(school), school.name),
        subject_id=f"urn:uuid:{learner.urn}",
        subject_name=learner.name,
        achievement=credentials.Achievement(
            id=f"{site_url()}/credits/units/{outcome.scheme.code}/{unit.code}",
            name=_("{unit}（{level}）").format(unit=unit.name, level=outcome.level),
            description=_("{scheme}：{unit}，{level}，证书编号 {number}，发证机构 {issuer}").format(
                scheme=outcome.scheme.name,
                unit=unit.name,
                level=outcome.level,
                number=outcome.number,
                issuer=outcome.issuer,
            ),
            criteria=_("经学分银行认定（{clause}）").format(clause=conversion.CLAUSE),
            credits=credited,
            level=outcome.level,
        ),
        valid_from=issued,
        valid_until=_moment(outcome.valid_until) if outcome.valid_until else None,
        status=credentials.StatusEntry(status_list_url(school), index),
        evidence_hash=f"sha256:{outcome.evidence_sha256}" if outcome.evidence_sha256 else "",
    )


@transaction.atomic
def issue_credential(outcome: LearningOutcome, *, actor: Actor) -> IssuedCredential:
    """An OB 3.0 AchievementCredential of a recognised outcome, signed (VC-JWT) with the
    school's active key, with an unused bit of the school's status list chosen at random."""
    state = RecognitionCase.objects.filter(outcome=outcome).values_list("state", flat=True).first()
    if state != recognition.RECOGNISED:
        raise Refused(_("只有已认定的学习成果才能签发凭证"))
    if IssuedCredential.objects.filter(outcome=outcome, revoked_at__isnull=True).exists():
        raise Refused(_("该成果已有有效凭证；如需重签，请先撤销原凭证"))
    school = outcome.learner.school
    key = active_key(school, actor=actor)
    issued = now().replace(microsecond=0)
    stored = IssuedCredential(
        kind=IssuedCredential.Kind.ACHIEVEMENT,
        learner=outcome.learner,
        outcome=outcome,
        school=school,
        key=key,
        status_index=_free_index(school),
        issued_at=issued,
    )
    data = _achievement_json(outcome, str(stored.uid), stored.status_index, issued)
    stored.token = _signed(data, school, key)
    stored.content_hash = credentials.content_hash(data)
    stored.save()
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="签发凭证")
    return stored


def transcript_data(learner: Learner, uid: str, index: int, issued: datetime) -> dict[str, Any]:
    """The CLR 2.0 transcript (学习档案) as a credential of its own (`urn:uuid:<uid>`, bit
    `index` of the school's status list): the learner's signed AchievementCredentials not
    revoked, each as an EnvelopedVerifiableCredential, oldest first. A recognised outcome
    without a credential is not in it: sign the outcome first."""
    school = learner.school
    subject_id = f"urn:uuid:{learner.urn}"
    return credentials.transcript_credential(
        credential_id=f"urn:uuid:{uid}",
        issuer=credentials.Issuer(issuer_url(school), school.name),
        subject_id=subject_id,
        subject_name=learner.name,
        credentials=[credentials.enveloped(token) for token in _own_tokens(learner)],
        issued=issued,
        status=credentials.StatusEntry(status_list_url(school), index),
    )


def _own_tokens(learner: Learner) -> list[str]:
    """The learner's signed AchievementCredentials not revoked, oldest first, whose subject
    is this learner: a credential moved here by a merge still names the duplicate's URN, and a
    transcript may not hold another subject's credential (a verifier refuses it)."""
    subject_id = f"urn:uuid:{learner.urn}"
    signed = learner.credentials.filter(
        kind=IssuedCredential.Kind.ACHIEVEMENT, revoked_at__isnull=True
    ).order_by("issued_at", "pk")
    return [
        c.token for c in signed if credentials.read_unverified(c.token)[1].get("sub") == subject_id
    ]


@transaction.atomic
def issue_transcript(learner: Learner, *, actor: Actor) -> IssuedCredential:
    """Sign the learner's transcript (a ClrCredential VC-JWT) with the school's active key,
    with its own id and its own random status bit; stored as an IssuedCredential of kind
    TRANSCRIPT, its content hash that of the credential (the PDF prints the same). Refused
    when there is no credential to list (CLR 2.0 asks for at least one)."""
    if not _own_tokens(learner):
        raise Refused(_("该学习者还没有已签发、未撤销的成果凭证，无法出具学习档案：请先签发凭证"))
    school = learner.school
    key = active_key(school, actor=actor)
    stored = IssuedCredential(
        kind=IssuedCredential.Kind.TRANSCRIPT,
        learner=learner,
        school=school,
        key=key,
        status_index=_free_index(school),
        issued_at=now().replace(microsecond=0),
    )
    data = transcript_data(learner, str(stored.uid), stored.status_index, stored.issued_at)
    stored.token = _signed(data, school, key)
    stored.content_hash = credentials.content_hash(data)
    stored.save()
    record_change(
        stored, actor=actor, action="create", after=snapshot(stored), summary="签发学习档案"
    )
    return stored


@transaction.atomic
def current_transcript(
    learner: Learner, *, actor: Actor, may_issue: bool = True
) -> IssuedCredential:
    """The learner's latest signed transcript if it still says what a new one would (the same
    credentials, name and issuer: the same content hash once rebuilt with its id, bit and
    date); else a new one is issued (audited, by whoever asked for it) when `may_issue` — the
    holder, his school's clerk or the work team — and Refused for anyone else (a reader never
    signs in the school's name). The learner's row is locked, so two downloads at the same
    moment issue one transcript, not two."""
    Learner.objects.select_for_update().filter(pk=learner.pk).first()
    latest = (
        learner.credentials.filter(kind=IssuedCredential.Kind.TRANSCRIPT, revoked_at__isnull=True)
        .order_by("-issued_at", "-pk")
        .first()
    )
    if latest is not None:
        # the date as signed (the stored one comes back from the database in UTC)
        issued = datetime.fromisoformat(transcript_of(latest)["validFrom"])
        again = transcript_data(learner, str(latest.uid), latest.status_index, issued)
        if credentials.content_hash(again) == latest.content_hash:
            return latest
    if not may_issue:
        raise Refused(_("最新的学习档案尚未出具：请学习者本人、所在学校或工作专班下载一次以签发"))
    return issue_transcript(learner, actor=actor)


def transcript_of(stored: IssuedCredential) -> dict[str, Any]:
    """The ClrCredential a stored transcript carries (its JWT payload without the claims)."""
    return credentials.credential_of(credentials.read_unverified(stored.token)[1])


@transaction.atomic
def revoke_credential(stored: IssuedCredential, *, reason: str, actor: Actor) -> IssuedCredential:
    """Revoke: the credential's bit is set in the school's public status list."""
    problems: list[str] = []
    if stored.revoked_at is not None:
        problems.append(_("该凭证已撤销"))
    if not reason.strip():
        problems.append(_("请写明撤销理由"))
    _long(problems, reason.strip(), 300, _("撤销理由"))
    _refuse(problems)
    before = snapshot(stored)
    stored.revoked_at = now()
    stored.revoked_reason = reason.strip()
    stored.save(update_fields=["revoked_at", "revoked_reason"])
    record_change(stored, actor=actor, action="update", before=before, after=snapshot(stored))
    return stored


def encoded_status_list(school: OrgUnit) -> str:
    revoked = IssuedCredential.objects.filter(
        school=school, root_id=root_id_of(school.pk), revoked_at__isnull=False
    )
    return status_list.encode(revoked.values_list("status_index", flat=True))


@transaction.atomic
def create_share_link(
    stored: IssuedCredential, *, days: int = SHARE_DAYS, actor: Actor
) -> ShareLink:
    """A link to one credential that expires after `days` (1–365)."""
    if not 1 <= days <= 365:
        raise Refused(_("分享天数须在 1 到 365 之间"))
    made = now()
    link = ShareLink.objects.create(
        credential=stored,
        token=secrets.token_urlsafe(24),
        created_at=made,
        expires_at=made + timedelta(days=days),
    )
    record_change(link, actor=actor, action="create", after=_link_view(link), summary="分享链接")
    return link


def _link_view(link: ShareLink) -> dict[str, object]:
    """The link as the audit trail keeps it: id, credential, dates — never its token (whoever
    reads the trail could otherwise open the link)."""
    shown = snapshot(link)
    shown.pop("token", None)
    return shown


@transaction.atomic
def withdraw_share_link(link: ShareLink, *, actor: Actor) -> ShareLink:
    """The holder takes a link back before it expires: it answers 404 from then on."""
    if link.withdrawn_at is not None:
        raise Refused(_("该分享链接已收回"))
    before = _link_view(link)
    link.withdrawn_at = now()
    link.save(update_fields=["withdrawn_at"])
    record_change(link, actor=actor, action="update", before=before, after=_link_view(link))
    return link


@transaction.atomic
def record_course(
    learner: Learner,
    course: str,
    course_name: str,
    credits: Decimal,
    *,
    earned_on: date,
    expires_on: date | None,
    note: str = "",
    actor: Actor,
) -> LedgerEntry:
    """Credits for a course the learner took (not a conversion)."""
    problems: list[str] = []
    if credits <= 0 or credits % conversion.HALF:
        problems.append(_("学分须为 0.5 的正整数倍"))
    if not course.strip() or not course_name.strip():
        problems.append(_("请填写课程编号和名称"))
    _long(problems, course.strip(), 40, _("课程编号"))
    _long(problems, course_name.strip(), 100, _("课程名称"))
    _long(problems, note, 200, _("说明"))
    if expires_on is not None and expires_on < earned_on:
        problems.append(_("失效日期不能早于取得日期"))
    if LedgerEntry.objects.filter(
        learner=learner, course=course.strip(), earned_on=earned_on, conversion__isnull=True
    ).exists():
        problems.append(
            _("该学习者已登记课程 {course}（取得日期 {day}），不能重复登记").format(
                course=course.strip(), day=earned_on.isoformat()
            )
        )
    _refuse(problems)
    entry = LedgerEntry.objects.create(
        learner=learner,
        course=course.strip(),
        course_name=course_name.strip(),
        credits=credits,
        earned_on=earned_on,
        expires_on=expires_on,
        note=note,
    )
    record_change(entry, actor=actor, action="create", after=snapshot(entry), summary="修读学分")
    return entry


# --- schemes, the catalogue of recognised outcomes, qualifications ---------------------------


def _credits_ok(value: Decimal) -> bool:
    return value.is_finite() and value > 0 and not value % conversion.HALF


@transaction.atomic
def add_scheme(
    code: str,
    name: str,
    levels: list[str],
    issuers: list[str],
    *,
    valid_from: date,
    retired_on: date | None = None,
    source: str,
    actor: Actor,
) -> Scheme:
    """A certificate scheme and its level scale (lowest first), as data. A blank source is
    shown as 示例 on the pages."""
    code, name, source = code.strip(), name.strip(), source.strip()
    levels = [level.strip() for level in levels if level.strip()]
    issuers = [issuer.strip() for issuer in issuers if issuer.strip()]
    problems: list[str] = []
    if not code or not name:
        problems.append(_("请填写体系编号和名称"))
    if code and Scheme.objects.filter(code=code).exists():
        problems.append(_("证书体系编号“{code}”已存在").format(code=code))
    if not levels or len(set(levels)) != len(levels):
        problems.append(_("等级须至少一个且不重复"))
    if not issuers:
        problems.append(_("请至少填写一个发证机构"))
    if retired_on is not None and retired_on < valid_from:
        problems.append(_("停止认可日不能早于认可起始日"))
    _long(problems, code, 40, _("体系编号"))
    _long(problems, name, 100, _("名称"))
    _long(problems, source, 300, _("依据"))
    for level in levels:
        _long(problems, level, 20, _("等级“{level}”").format(level=level[:20]))
    for issuer in issuers:
        _long(problems, issuer, 100, _("发证机构“{issuer}”").format(issuer=issuer[:20]))
    _refuse(problems)
    scheme = Scheme.objects.create(
        code=code,
        name=name,
        levels=levels,
        issuers=issuers,
        valid_from=valid_from,
        retired_on=retired_on,
        source=source,
    )
    record_change(scheme, actor=actor, action="create", after=snapshot(scheme), summary="证书体系")
    return scheme


@transaction.atomic
def add_unit(
    scheme: Scheme,
    code: str,
    name: str,
    *,
    effective_from: date,
    effective_to: date | None = None,
    credits: Decimal | None = None,
    source: str,
    actor: Actor,
) -> OutcomeUnit:
    """An entry of the catalogue of recognised outcomes (认证单元) of a scheme (its levels are
    the scheme's). A blank source is shown as 示例 on the pages."""
    code, name, source = code.strip(), name.strip(), source.strip()
    problems: list[str] = []
    if not code or not name:
        problems.append(_("请填写单元编号和名称"))
    if code and OutcomeUnit.objects.filter(scheme=scheme, code=code).exists():
        problems.append(_("认证单元“{code}”已存在").format(code=code))
    if credits is not None and not _credits_ok(credits):
        problems.append(_("学分须为 0.5 的正整数倍"))
    if effective_to is not None and effective_to < effective_from:
        problems.append(_("失效日不能早于生效日"))
    _long(problems, code, 40, _("单元编号"))
    _long(problems, name, 100, _("名称"))
    _long(problems, source, 300, _("依据"))
    _refuse(problems)
    unit = OutcomeUnit.objects.create(
        scheme=scheme,
        code=code,
        name=name,
        credits=credits,
        effective_from=effective_from,
        effective_to=effective_to,
        source=source,
    )
    record_change(unit, actor=actor, action="create", after=snapshot(unit), summary="认证单元")
    return unit


UNIT_COLUMNS = ("课程代码", "课程名称", "学分", "必修/选修")
MANDATORY, OPTIONAL = "必修", "选修"


def units_from_lines(text: str) -> list[dict[str, Any]]:
    """A qualification's units typed one a line: 课程代码,课程名称,学分,必修/选修 (commas, full
    or half width). Refused with every bad line named; duplicate course codes are refused."""
    units: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for row, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("，", ",").split(",")]
        if len(cells) != len(UNIT_COLUMNS) or not all(cells):
            problems.append(
                _("第 {n} 行应为：{columns}（四项均必填）").format(
                    n=row, columns="，".join(UNIT_COLUMNS)
                )
            )
            continue
        course, name, credits_text, kind = cells
        line_problems: list[str] = []
        try:
            credits = Decimal(credits_text)
        except ArithmeticError:
            credits = Decimal("NaN")
        if not _credits_ok(credits):
            line_problems.append(
                _("第 {n} 行的学分“{v}”须为 0.5 的正整数倍").format(n=row, v=credits_text)
            )
        if kind not in (MANDATORY, OPTIONAL):
            line_problems.append(_("第 {n} 行的“{v}”应为“必修”或“选修”").format(n=row, v=kind))
        if course in seen:
            line_problems.append(
                _("第 {n} 行的课程代码“{c}”与第 {m} 行重复").format(n=row, c=course, m=seen[course])
            )
        if len(course) > 40:
            line_problems.append(_("第 {n} 行的课程代码不能超过 40 个字").format(n=row))
        if len(name) > 100:
            line_problems.append(_("第 {n} 行的课程名称不能超过 100 个字").format(n=row))
        seen.setdefault(course, row)
        problems += line_problems
        if not line_problems:
            units.append(
                {
                    "course": course,
                    "name": name,
                    "credits": number(credits),
                    "mandatory": kind == MANDATORY,
                }
            )
    if not units and not problems:
        problems.append(_("请至少写一门课程"))
    _refuse(problems)
    return units


@transaction.atomic
def add_qualification(
    code: str,
    name: str,
    units: list[dict[str, Any]],
    *,
    total_credits: Decimal,
    optional_credits: Decimal,
    specialty: Specialty | None,
    credit_years: int,
    source: str,
    actor: Actor,
    max_converted: Decimal | None = None,
) -> Qualification:
    """A qualification to accumulate toward, checked by ledger.Qualification; `max_converted`
    caps the credits conversion may bring to it (None = no cap). Every problem is listed."""
    code, name, source = code.strip(), name.strip(), source.strip()
    problems: list[str] = []
    if not code or not name:
        problems.append(_("请填写资格编号和名称"))
    if code and Qualification.objects.filter(code=code).exists():
        problems.append(_("资格编号“{code}”已存在").format(code=code))
    if credit_years < 1 or credit_years > 100:
        problems.append(_("学分保留年限须为 1 至 100 年"))
    optional_offered = sum(
        (Decimal(str(u["credits"])) for u in units if not u["mandatory"]), Decimal(0)
    )
    if optional_credits < 0 or optional_credits % conversion.HALF:
        problems.append(_("选修学分须为 0.5 的非负整数倍"))
    elif optional_credits > optional_offered:
        problems.append(
            _("要求选修 {n} 学分，但选修课程合计只有 {m} 学分").format(
                n=number(optional_credits), m=number(optional_offered)
            )
        )
    if total_credits % conversion.HALF:
        problems.append(_("总学分须为 0.5 的正整数倍"))
    if max_converted is not None and max_converted % conversion.HALF:
        problems.append(_("转换学分上限须为 0.5 的整数倍"))
    _long(problems, code, 40, _("资格编号"))
    _long(problems, name, 100, _("名称"))
    _long(problems, source, 300, _("依据"))
    try:
        ledger.Qualification(
            code=code,
            name=name,
            units=tuple(
                ledger.Unit(u["course"], u["name"], Decimal(str(u["credits"])), u["mandatory"])
                for u in units
            ),
            total_credits=total_credits,
            optional_credits=optional_credits,
            max_converted=max_converted,
        )
    except ParameterError as error:
        problems.append(str(error))
    _refuse(problems)
    stored = Qualification.objects.create(
        code=code,
        name=name,
        specialty=specialty,
        units=units,
        total_credits=total_credits,
        optional_credits=optional_credits,
        credit_years=credit_years,
        source=source,
        max_converted=max_converted,
    )
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="资格")
    return stored


# --- the learner page's forms: a course taken, the learner's own account -------------------

MAX_COURSE_CREDITS = Decimal(100)  # more than any one course carries (max_digits 6 stores more)


def record_course_taken(
    learner: Learner,
    course: str,
    course_name: str,
    credits_text: str,
    *,
    earned_on: date | None,
    expires_on: date | None,
    note: str = "",
    actor: Actor,
) -> LedgerEntry:
    """A course the learner took, from the learner page's form: the credits as typed (exact
    decimal), checked here, then `record_course` (which audits). Nothing is written when any
    part is wrong; every problem is said at once."""
    from gaodi.today import today

    problems: list[str] = []
    if learner.merged_into_id:
        problems.append(_("该学习者已并入他人，请在保留的记录上登记"))
    credits: Decimal | None = None
    try:
        credits = Decimal(credits_text.strip())
    except ArithmeticError:
        problems.append(_("学分“{v}”不是数字").format(v=credits_text.strip()[:20]))
    else:
        if not credits.is_finite() or credits <= 0 or credits % conversion.HALF:
            problems.append(_("学分须为 0.5 的正整数倍"))
            credits = None
        elif credits > MAX_COURSE_CREDITS:
            problems.append(_("一门课程的学分不能超过 {n}").format(n=number(MAX_COURSE_CREDITS)))
    if earned_on is None:
        problems.append(_("请填写取得日期（YYYY-MM-DD）"))
    elif earned_on > today():
        problems.append(_("取得日期不能晚于今天"))
    _refuse(problems)
    assert credits is not None and earned_on is not None
    return record_course(
        learner,
        course,
        course_name,
        credits,
        earned_on=earned_on,
        expires_on=expires_on,
        note=note.strip(),
        actor=actor,
    )


def link_account_by_username(learner: Learner, username: str, *, actor: Actor) -> Learner:
    """Link the learner to his own account (role 学习者 at the learner's school), named by its
    username; then `link_account` (which refuses an account already linked to someone else and
    audits). Refused with a Chinese message otherwise, nothing changed."""
    from django.contrib.auth import get_user_model

    from gaodi.accounts.choices import Role

    username = username.strip()
    if not username:
        raise Refused(_("请填写学习者本人账号的用户名"))
    if len(username) > 150:
        raise Refused(_("用户名不能超过 150 个字"))
    if learner.merged_into_id:
        raise Refused(_("该学习者已并入他人，请在保留的记录上关联账号"))
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise Refused(_("没有用户名为“{name}”的有效账号").format(name=username))
    if learner.user_id == user.pk:
        raise Refused(_("该学习者已关联账号“{name}”").format(name=username))
    if not user.memberships.filter(role=Role.LEARNER, org_unit=learner.school).exists():
        raise Refused(
            _("账号“{name}”不是{school}的学习者账号（角色须为“学习者”）").format(
                name=username, school=learner.school.name
            )
        )
    return link_account(learner, user, actor=actor)
