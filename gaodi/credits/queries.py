"""Reads of the credit bank. Signed-in pages are scoped like 评价与成果 (specialties.queries.
visible_schools): the work team, leaders and inspectors of the plan's place see the learners of
every school of the plan; a school's clerk those of his own school; anyone else 404.

The public side (verify, JWKS, status lists, share links) reads public data only: the
published keys and the status bits, never a learner's ID number."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.db.models import QuerySet
from django.utils.timezone import localtime

from gaodi.achievements.achievements import (
    CERTIFICATE_PILOT,
    CreditBankOutcome,
    credit_bank_pilots,
    credit_bank_rule,
)
from gaodi.achievements.services import kinds_in_force
from gaodi.achievements.versions import number
from gaodi.i18n import _
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import roots_of
from gaodi.specialties.queries import visible_schools
from gaodi.today import now

from . import credentials, ledger, recognition
from .conversion import CLAUSE
from .models import (
    Conversion,
    IssuedCredential,
    IssuerKey,
    Learner,
    LearningOutcome,
    RecognitionCase,
)
from .services import (
    entries_of,
    qualification_of,
    signed_status_list,
)

__all__ = ["visible_schools"]


def learners_of(schools: list[OrgUnit]) -> QuerySet[Learner]:
    return (
        Learner.objects.filter(
            school__in=schools, merged_into__isnull=True, root_id__in=roots_of(schools)
        )
        .select_related("school", "specialty", "qualification")
        .order_by("school__code", "name", "pk")
    )


def progress_of(learner: Learner, as_of: date) -> ledger.Progress | None:
    if learner.qualification is None:
        return None
    return ledger.progress(entries_of(learner), qualification_of(learner.qualification), as_of)


def expiring_named(learner: Learner, as_of: date) -> list[tuple[str, ledger.Entry]]:
    """The entries about to expire (ledger.progress) with their course's name, as the learner
    page's reminder says it: the name on the ledger row, else the qualification's unit name,
    else the code."""
    found = progress_of(learner, as_of)
    if found is None:
        return []
    names = {u["course"]: u["name"] for u in learner.qualification.units}  # type: ignore[union-attr]
    names.update(dict(learner.ledger.values_list("course", "course_name")))
    return [(names.get(e.course) or e.course, e) for e in found.expiring]


def open_cases(schools: list[OrgUnit]) -> QuerySet[RecognitionCase]:
    final = (recognition.RECOGNISED,)
    return (
        RecognitionCase.objects.filter(
            outcome__learner__school__in=schools, root_id__in=roots_of(schools)
        )
        .exclude(state__in=final)
        .select_related("outcome__learner__school", "outcome__scheme", "outcome__unit")
        .prefetch_related("steps")
        .order_by("opened_on", "pk")
    )


# --- plan counts -----------------------------------------------------------------------------


def pilot_outcomes(schools: list[OrgUnit]) -> list[CreditBankOutcome]:
    """Every learning outcome held by (unmerged) learners of these schools, with the day its
    recognition was decided in its favour (the decide or appeal-decide step that recognised
    it; None while the case is not recognised): what 评价与成果 counts its pilots from
    (achievements.credit_bank_pilots)."""
    outcomes = (
        LearningOutcome.objects.filter(
            learner__school__in=schools,
            learner__merged_into__isnull=True,
            root_id__in=roots_of(schools),
        )
        .select_related("scheme", "unit", "learner__school", "case")
        .prefetch_related("case__steps")
        .order_by("issued_on", "pk")
    )
    found = []
    for outcome in outcomes:
        case = getattr(outcome, "case", None)
        days = (
            [
                step.on
                for step in case.steps.all()
                if step.action in (recognition.DECIDE, recognition.DECIDE_APPEAL)
                and step.outcome == recognition.RECOGNISED
            ]
            if case is not None and case.state == recognition.RECOGNISED
            else []
        )
        found.append(
            CreditBankOutcome(
                outcome.scheme.code,
                outcome.scheme.name,
                outcome.unit.code,
                outcome.unit.name,
                outcome.learner.school.name,
                min(days) if days else None,
            )
        )
    return found


def pilots(schools: list[OrgUnit], as_of: date) -> tuple[int, list[str]]:
    """The certificate pilots as 评价与成果 counts them (the kind set in force on `as_of`):
    the number and the working."""
    kinds = kinds_in_force(as_of)
    kind = kinds.kind(CERTIFICATE_PILOT) if kinds else None
    if kind is None or not kind.from_credit_bank:
        return 0, [str(_("统计日没有取自学分银行的证书试点类别，不计试点"))]
    found = credit_bank_pilots(kind, pilot_outcomes(schools))
    counted = sorted(p.name for p in found if p.approved_on is not None and p.approved_on <= as_of)
    return len(counted), [
        credit_bank_rule(kind),
        str(
            _("证书试点 {n} 项：{names}").format(
                n=len(counted), names="、".join(counted) or _("无")
            )
        ),
    ]


@dataclass(frozen=True)
class Counts:
    pilots: int  # as 评价与成果 counts them: 认证单元 of certificate schemes, recognised once
    by_scheme_level: list[tuple[str, str, int]]
    decided: int
    recognised: int
    pass_rate: Decimal | None  # recognised / decided, None when nothing decided
    credits_converted: Decimal
    working: list[str]


def counts(schools: list[OrgUnit], as_of: date) -> Counts:
    """Pilots (as 评价与成果 counts them: `pilots`; （十） counts "5项以上证书试点"),
    recognised (认定通过) certificates by scheme and level, the 认定通过率 (recognition
    decisions that recognised, of all decided — not an exam pass rate) and the credits
    converted."""
    roots = roots_of(schools)
    outcomes = LearningOutcome.objects.filter(
        learner__school__in=schools,
        learner__merged_into__isnull=True,
        issued_on__lte=as_of,
        root_id__in=roots,
    ).select_related("scheme", "unit", "case")
    tally: Counter[tuple[str, str]] = Counter()
    decided = recognised = 0
    for outcome in outcomes:
        state = getattr(outcome, "case", None) and outcome.case.state
        if state == recognition.RECOGNISED:  # as the pilots: recognised certificates only
            tally[(outcome.scheme.name, outcome.level)] += 1
        if state in (recognition.RECOGNISED, recognition.REFUSED):
            decided += 1
            recognised += state == recognition.RECOGNISED
    converted = sum(
        (
            c.credits
            for c in Conversion.objects.filter(
                learner__school__in=schools, as_of__lte=as_of, root_id__in=roots
            )
        ),
        Decimal(0),
    )
    rate = (Decimal(recognised) / decided * 100).quantize(Decimal("0.1")) if decided else None
    pilot_count, pilot_working = pilots(schools, as_of)
    working = [
        *pilot_working,
        _("认定通过率（认定决定中予以认定的比例，不是考试通过率）：{rate}").format(
            rate=_("已认定 {recognised} 件 / 已作出认定决定 {decided} 件 = {rate}%").format(
                recognised=recognised, decided=decided, rate=number(rate)
            )
            if rate is not None
            else _("尚无认定决定，不计")
        ),
        _("已转换学分合计 {credits}").format(credits=number(converted)),
        _("依据：{clause}").format(clause=CLAUSE),
    ]
    return Counts(
        pilots=pilot_count,
        by_scheme_level=sorted((s, lv, n) for (s, lv), n in tally.items()),
        decided=decided,
        recognised=recognised,
        pass_rate=rate,
        credits_converted=converted,
        working=working,
    )


def labelled_keys(found: Iterable[IssuerKey]) -> list[IssuerKey]:
    """Signing keys, each with `label` (key_label) for the pages."""
    keys = list(found)
    for key in keys:
        key.label = key_label(key)  # type: ignore[attr-defined]
    return keys


def key_label(key: IssuerKey) -> str:
    """A signing key as a person reads it: the algorithm, a short fingerprint (the first 16 hex
    digits of the key's RFC 7638 thumbprint, which the base64url `kid` is) and the day it
    came into use — never the raw base64 id."""
    return str(
        _("{algorithm} · 指纹 {fingerprint} · {day} 启用").format(
            algorithm=key.algorithm,
            fingerprint=key_fingerprint(key.kid),
            day=localtime(key.active_from).date().isoformat(),  # the site's day, as the table
        )
    )


def key_fingerprint(kid: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(kid + "=" * (-len(kid) % 4))
    except (ValueError, binascii.Error):
        raw = b""
    digits = (raw.hex() if raw else hashlib.sha256(kid.encode()).hexdigest())[:16].upper()
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


# --- public ---------------------------------------------------------------------------------


def issuing_schools() -> QuerySet[OrgUnit]:
    ids = IssuerKey.objects.values("school_id")
    return OrgUnit.objects.filter(pk__in=ids, kind=OrgKind.SCHOOL)


def jwks_of(school: OrgUnit) -> dict[str, Any]:
    """Every key the school ever signed with (current and retired)."""
    keys = IssuerKey.objects.filter(school=school).order_by("active_from", "pk")
    return credentials.jwks(k.public_jwk for k in keys)


MAX_PARTS = 500  # credentials in one transcript a public verification will look at
ISSUER_PATH = re.compile(r"/credits/issuers/([^/]+)/?$")
STATUS_PATH = re.compile(r"/credits/status/([^/]+)/?$")


def _school_in(
    url: str, pattern: re.Pattern[str], seen: dict[str, OrgUnit | None] | None = None
) -> OrgUnit | None:
    """The issuing school a credential's URL names by its code (whatever the host: the site's
    public address may have changed since the credential was signed); `seen` remembers the
    codes already looked up."""
    found = pattern.search(urlsplit(url).path) if url else None
    if found is None:
        return None
    code = found.group(1)
    seen = {} if seen is None else seen
    if code not in seen:
        seen[code] = issuing_schools().filter(code=code).first()
    return seen[code]


def verify_token(token: str) -> credentials.Verification:
    """Verify a VC-JWT from public data only: the JWKS of the school the token names as its
    issuer (by the school code in the issuer id, /credits/issuers/<code>/) and the signed
    status list its credentialStatus names (/credits/status/<code>/), as served at those
    addresses; for a transcript, the same for each credential it holds."""
    issuer_keys: dict[str, dict[str, Any]] = {}
    lists: dict[str, str] = {}
    tokens: list[str] = [token]
    try:
        _header, payload = credentials.read_unverified(token)
    except credentials.CredentialRefused:
        payload = {}
    inner = [t for t in credentials.enveloped_tokens(payload) if t]
    if len(inner) > MAX_PARTS:
        found = credentials.Verification()
        found.add(
            False,
            _("学习档案所含凭证超过 {n} 份，不予核验").format(n=MAX_PARTS),
        )
        return found
    tokens += inner
    # by school code, whatever the host: each school's keys and list are read once, however
    # many addresses a forged token invents for it
    key_sets: dict[int, dict[str, Any]] = {}
    signed_lists: dict[int, str | None] = {}
    seen: dict[str, OrgUnit | None] = {}
    for each in tokens:
        try:
            _header, claims = credentials.read_unverified(each)
        except credentials.CredentialRefused:
            continue
        claimed = str(claims.get("iss", ""))
        school = _school_in(claimed, ISSUER_PATH, seen)
        if school is not None and claimed not in issuer_keys:
            if school.pk not in key_sets:
                key_sets[school.pk] = jwks_of(school)
            issuer_keys[claimed] = key_sets[school.pk]
        status = claims.get("credentialStatus")
        url = str(status.get("statusListCredential", "")) if isinstance(status, dict) else ""
        listed = _school_in(url, STATUS_PATH, seen)
        if listed is not None and url not in lists:
            if listed.pk not in signed_lists:
                signed_lists[listed.pk] = signed_status_list(listed)
            signed = signed_lists[listed.pk]
            if signed is not None:
                lists[url] = signed
    return credentials.verify(token, issuer_keys=issuer_keys, status_lists=lists, now=now())


def credential_by_uid(uid: UUID) -> IssuedCredential | None:
    return IssuedCredential.objects.select_related("school").filter(uid=uid).first()
