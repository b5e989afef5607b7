"""Verification after a security review of the signing work: one spelling per token (strict
base64url), `crit` refused, JWT claims that must agree with the credential, a transcript that
holds another learner's credential, an expired certificate inside a transcript (a true record,
not a failure), the public page that shows nothing a failed signature vouches for, caps on what
a public verification looks at, and readers who may not sign a transcript."""

from __future__ import annotations

import datetime as dt
import json
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from gaodi.credits import credentials as vc
from gaodi.credits import queries, status_list
from gaodi.credits.models import IssuedCredential, Learner
from gaodi.credits.queries import verify_token
from gaodi.plans.models import Plan
from tests.helpers import client_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 3, 1, 9, 0, tzinfo=SHANGHAI)
ISSUER = vc.Issuer("https://gaodi.example/credits/issuers/S01/", "某职业学校")
LIST = "https://gaodi.example/credits/status/S01/"


def _achievement(
    index: int, *, subject: str = "urn:uuid:learner", until: datetime | None = None
) -> dict[str, Any]:
    return vc.achievement_credential(
        credential_id=f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
        issuer=ISSUER,
        subject_id=subject,
        subject_name="张三",
        achievement=vc.Achievement("u", "Web前端开发（初级）", "d", "c", credits=3, level="初级"),
        valid_from=NOW - timedelta(days=400),
        valid_until=until,
        status=vc.StatusEntry(LIST, index),
    )


def _transcript(key: vc.PrivateKey, parts: list[dict[str, Any]]) -> str:
    clr = vc.transcript_credential(
        credential_id="urn:uuid:transcript",
        issuer=ISSUER,
        subject_id="urn:uuid:learner",
        subject_name="张三",
        credentials=parts,
        issued=NOW - timedelta(days=1),
        status=vc.StatusEntry(LIST, 900),
    )
    return vc.issue(clr, key)


def _verify(token: str, key: vc.PrivateKey) -> vc.Verification:
    listed = vc.status_list_credential(
        list_url=LIST, issuer=ISSUER, encoded=status_list.encode(()), valid_from=NOW
    )
    return vc.verify(
        token,
        issuer_keys={ISSUER.id: vc.jwks([key])},
        status_lists={LIST: vc.issue(listed, key)},
        now=NOW,
    )


@pytest.mark.parametrize("algorithm", [vc.EDDSA, vc.ES256])
def test_a_token_has_one_spelling_only(algorithm: str) -> None:
    key = vc.new_key(algorithm)
    token = vc.issue(_achievement(3), key)
    assert _verify(token, key).ok
    head, body, signature = token.split(".")
    # the unused low bits of the last character: the same bytes, another spelling
    last = signature[-1]
    for other in "AQgw":
        if other != last:
            twin = f"{head}.{body}.{signature[:-1]}{other}"
            assert not _verify(twin, key).ok
    # characters outside the alphabet are not skipped
    assert not _verify(f"{head}.{body}.{signature[:10]}!!~~{signature[10:]}", key).ok
    assert not _verify(f"{head}.{body}.{signature}AA", key).ok  # a longer signature


def test_crit_and_claims_that_contradict_the_credential_are_refused() -> None:
    key = vc.new_key()
    claims = vc.jwt_claims(_achievement(3))
    header = {"alg": vc.EDDSA, "kid": vc.public_jwk(key)["kid"], "typ": "JWT", "crit": ["x"]}
    signing_input = f"{vc.b64(vc.canonical(header))}.{vc.b64(vc.canonical(claims))}"
    crit = f"{signing_input}.{vc.b64(key.sign(signing_input.encode()))}"
    assert (False, "凭证头含未支持的关键扩展（crit），不予核验") in _verify(crit, key).checks

    liar = dict(claims, sub="urn:uuid:someone-else")  # signed, but says two things
    found = _verify(vc.sign(liar, key), key)
    assert not found.ok and (False, "签名声明（iss/sub/jti）与凭证内容不一致") in found.checks


def test_a_transcript_may_not_hold_another_learners_credential() -> None:
    key = vc.new_key()
    theirs = vc.issue(_achievement(3, subject="urn:uuid:another"), key)
    found = _verify(_transcript(key, [vc.enveloped(theirs)]), key)
    assert not found.ok
    assert (False, "所含第 1 份凭证“Web前端开发（初级）”不是本学习者的") in found.checks


def test_an_expired_certificate_inside_a_transcript_is_recorded_not_failed() -> None:
    key = vc.new_key()
    expired = vc.issue(_achievement(3, until=NOW - timedelta(days=30)), key)
    alone = _verify(expired, key)
    assert not alone.ok and (False, "不在有效期内") in alone.checks
    found = _verify(_transcript(key, [vc.enveloped(expired)]), key)
    assert found.ok and found.parts[0].expired
    assert (True, "已过有效期（学习档案如实记载，不影响其真实性）") in found.parts[0].checks


def test_what_no_verifier_will_read() -> None:
    deep = "[" * 200_000 + "]" * 200_000
    token = f"{vc.b64(b'{}')}.{vc.b64(deep.encode())}.AA"
    with pytest.raises(vc.CredentialRefused):
        vc.read_unverified(token)
    with pytest.raises(vc.CredentialRefused, match="凭证过长"):
        vc.read_unverified("a" * (vc.MAX_TOKEN_CHARS + 1))


# --- with the demo ---------------------------------------------------------------------------


@pytest.fixture
def plan(demo_once: Plan, db: None, settings: Any) -> Plan:
    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    return demo_once


@pytest.mark.django_db
def test_a_public_verification_looks_at_a_bounded_number_of_credentials(plan: Plan) -> None:
    # each entry naming an invented host: without the cap, each would cost key and list reads
    entries = [
        {
            "type": "EnvelopedVerifiableCredential",
            "id": vc.ENVELOPED_PREFIX
            + vc.b64(json.dumps({"iss": f"https://h{n}.example/credits/issuers/x/"}).encode())
            + ".e30.AA",
        }
        for n in range(queries.MAX_PARTS + 1)
    ]
    payload = {
        "type": ["VerifiableCredential", "ClrCredential"],
        "credentialSubject": {"verifiableCredential": entries},
    }
    forged = f"{vc.b64(b'{}')}.{vc.b64(json.dumps(payload).encode())}.AA"
    found = verify_token(forged)
    assert not found.ok
    assert found.checks == [(False, f"学习档案所含凭证超过 {queries.MAX_PARTS} 份，不予核验")]


@pytest.mark.django_db
def test_a_forged_token_shows_no_facts_on_the_public_page(plan: Plan) -> None:
    real = IssuedCredential.objects.filter(kind=IssuedCredential.Kind.ACHIEVEMENT).first()
    head, body, _signature = real.token.split(".")
    claims = json.loads(vc.unb64(body))
    claims["name"] = "伪造的证书"
    forged = f"{head}.{vc.b64(vc.canonical(claims))}.{_signature}"
    page = Client().post(reverse("credits:verify"), {"token": forged}).content.decode()
    assert "验证未通过" in page and "签名未通过核验" in page
    assert "伪造的证书" not in page.split("<textarea")[0]  # echoed in the form only


@pytest.mark.django_db
def test_a_reader_never_signs_a_transcript(plan: Plan) -> None:
    learner = Learner.objects.get(name="【演示数据】张晓明")
    transcripts = IssuedCredential.objects.filter(kind=IssuedCredential.Kind.TRANSCRIPT)
    assert not transcripts.exists()
    api = f"/api/v1/learners/{learner.pk}/transcript"
    refused = client_of("lingdao").get(api)
    assert refused.status_code == 409 and "尚未出具" in refused.json()["detail"]
    pdf = client_of("lingdao").get(
        reverse("credits:transcript_pdf", args=[plan.pk, learner.pk]), follow=True
    )
    assert "尚未出具" in pdf.content.decode()
    assert not transcripts.exists()
    # the school's clerk signs it; the leader then reads that one
    assert client_of("xuexiao").get(api).status_code == 200
    assert client_of("lingdao").get(api).json()["token"] == transcripts.get().token
