"""Reads of the credit bank. Signed-in pages are scoped like 评价与成果 (specialties.queries.
visible_schools): the work team, leaders and inspectors of the plan's place see the learners of
every school of the plan; a school's clerk those of his own school; anyone else 404.

The public side (verify, JWKS, status lists, share links) reads public data only: the
published keys and the status bits, never a learner's ID number."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.db.models import QuerySet

from gaodi.achievements.versions import number
from gaodi.i18n import _
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
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
        Learner.objects.filter(school__in=schools, merged_into__isnull=True)
        .select_related("school", "specialty", "qualification")
        .order_by("school__code", "name", "pk")
    )


def progress_of(learner: Learner, as_of: date) -> ledger.Progress | None:
    if learner.qualification is None:
        return None
    return ledger.progress(entries_of(learner), qualification_of(learner.qualification), as_of)


def open_cases(schools: list[OrgUnit]) -> QuerySet[RecognitionCase]:
    final = (recognition.RECOGNISED,)
    return (
        RecognitionCase.objects.filter(outcome__learner__school__in=schools)
        .exclude(state__in=final)
        .select_related("outcome__learner__school", "outcome__scheme", "outcome__unit")
        .prefetch_related("steps")
        .order_by("opened_on", "pk")
    )


# --- plan counts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    pilots: int  # certificate types (认证单元) with certificates in the schools, not retired
    by_scheme_level: list[tuple[str, str, int]]
    decided: int
    recognised: int
    pass_rate: Decimal | None  # recognised / decided, None when nothing decided
    credits_converted: Decimal
    working: list[str]


def counts(schools: list[OrgUnit], as_of: date) -> Counts:
    """Pilots running (certificate types — 认证单元, e.g. one X certificate — with certificates
    issued on or before `as_of` in a scheme not retired then: （十） counts "5项以上证书试点"),
    certificates by scheme and level, the recognition pass rate (recognised of decided) and the
    credits converted."""
    outcomes = LearningOutcome.objects.filter(
        learner__school__in=schools, learner__merged_into__isnull=True, issued_on__lte=as_of
    ).select_related("scheme", "unit", "case")
    tally: Counter[tuple[str, str]] = Counter()
    running: set[str] = set()
    decided = recognised = 0
    for outcome in outcomes:
        tally[(outcome.scheme.name, outcome.level)] += 1
        if outcome.scheme.retired_on is None or as_of <= outcome.scheme.retired_on:
            running.add(
                _("{scheme}：{unit}").format(scheme=outcome.scheme.name, unit=outcome.unit.name)
            )
        state = getattr(outcome, "case", None) and outcome.case.state
        if state in (recognition.RECOGNISED, recognition.REFUSED):
            decided += 1
            recognised += state == recognition.RECOGNISED
    converted = sum(
        (
            c.credits
            for c in Conversion.objects.filter(learner__school__in=schools, as_of__lte=as_of)
        ),
        Decimal(0),
    )
    rate = (Decimal(recognised) / decided * 100).quantize(Decimal("0.1")) if decided else None
    working = [
        _("证书试点（有证书、所属体系未停止认可的认证单元）：{n} 项：{names}").format(
            n=len(running), names="、".join(sorted(running)) or _("无")
        ),
        _("已认定 {recognised} 件 / 已作出决定 {decided} 件，{rate}").format(
            recognised=recognised,
            decided=decided,
            rate=_("通过率 {rate}%").format(rate=number(rate))
            if rate is not None
            else _("尚无决定，不计通过率"),
        ),
        _("已转换学分合计 {credits}").format(credits=number(converted)),
        _("依据：{clause}").format(clause=CLAUSE),
    ]
    return Counts(
        pilots=len(running),
        by_scheme_level=sorted((s, lv, n) for (s, lv), n in tally.items()),
        decided=decided,
        recognised=recognised,
        pass_rate=rate,
        credits_converted=converted,
        working=working,
    )


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
