"""Signing and verification of the credit bank (issue 9, "Output"): the transcript as a signed
credential of its own (enveloped AchievementCredentials, its own status bit), the status list
as a signed VC-JWT with random indexes, the issuer Profile and resolvable key ids, verification
that survives a change of the public address, the separate GAODI_CREDITS_KEY and its rotation
command, holder-controlled share links only, and `gaodi demo --port`."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import NoReverseMatch, reverse

from gaodi import cli
from gaodi.audit.models import ChangeRecord
from gaodi.config import credits_key
from gaodi.credits import credentials as vc
from gaodi.credits import services, status_list
from gaodi.credits.models import IssuedCredential, IssuerKey, Learner, LearningOutcome
from gaodi.credits.queries import verify_token
from gaodi.credits.services import (
    Refused,
    current_transcript,
    decrypt,
    fingerprint,
    issue_credential,
    issue_transcript,
    issuer_url,
    rekey,
    revoke_credential,
    transcript_of,
)
from gaodi.plans.models import Plan
from tests.helpers import client_of, zhang

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 3, 1, 9, 0, tzinfo=SHANGHAI)
ISSUER = vc.Issuer("https://gaodi.example/credits/issuers/S01/", "某职业学校")
LIST = "https://gaodi.example/credits/status/S01/"


# --- pure: transcripts and signed status lists ---------------------------------------------


def _achievement(index: int, name: str = "Web前端开发（初级）") -> dict[str, Any]:
    return vc.achievement_credential(
        credential_id=f"urn:uuid:00000000-0000-4000-8000-{index:012d}",
        issuer=ISSUER,
        subject_id="urn:uuid:learner",
        subject_name="张三",
        achievement=vc.Achievement("u", name, "d", "c", credits=3, level="初级"),
        valid_from=NOW - timedelta(days=2),
        valid_until=None,
        status=vc.StatusEntry(LIST, index),
    )


def _transcript(key: vc.PrivateKey, parts: list[dict[str, Any]], index: int = 900) -> str:
    clr = vc.transcript_credential(
        credential_id="urn:uuid:transcript",
        issuer=ISSUER,
        subject_id="urn:uuid:learner",
        subject_name="张三",
        credentials=parts,
        issued=NOW - timedelta(days=1),
        status=vc.StatusEntry(LIST, index),
    )
    return vc.issue(clr, key, kid=vc.key_id(ISSUER.id, vc.public_jwk(key)["kid"]))


def _lists(key: vc.PrivateKey, revoked: tuple[int, ...] = ()) -> dict[str, str]:
    listed = vc.status_list_credential(
        list_url=LIST, issuer=ISSUER, encoded=status_list.encode(revoked), valid_from=NOW
    )
    return {LIST: vc.issue(listed, key)}


def _verify(token: str, key: vc.PrivateKey, lists: dict[str, str]) -> vc.Verification:
    return vc.verify(token, issuer_keys={ISSUER.id: vc.jwks([key])}, status_lists=lists, now=NOW)


def test_a_transcript_is_verified_with_each_enveloped_credential() -> None:
    key = vc.new_key()
    first, second = vc.issue(_achievement(3), key), vc.issue(_achievement(5, "网店运营"), key)
    token = _transcript(key, [vc.enveloped(first), vc.enveloped(second)])
    _header, payload = vc.read_unverified(token)
    entry = payload["credentialSubject"]["verifiableCredential"][0]
    assert entry == {
        "@context": vc.VC_CONTEXT,
        "id": f"data:application/vc+jwt,{first}",
        "type": "EnvelopedVerifiableCredential",
    }
    found = _verify(token, key, _lists(key))
    assert found.ok and [p.ok for p in found.parts] == [True, True]
    assert (True, "所含第 2 份凭证“网店运营”核验通过") in found.checks
    # one credential inside revoked: the transcript fails, saying which; itself not revoked
    inner_revoked = _verify(token, key, _lists(key, revoked=(5,)))
    assert not inner_revoked.ok and not inner_revoked.revoked
    assert any(
        "所含第 2 份凭证“网店运营”未通过：已被发证单位撤销" in t for _ok, t in inner_revoked.checks
    )
    # the transcript's own bit
    revoked = _verify(token, key, _lists(key, revoked=(900,)))
    assert revoked.revoked and not revoked.ok


def test_a_transcript_holding_an_unsigned_or_tampered_credential_fails() -> None:
    key = vc.new_key()
    bare = _transcript(key, [_achievement(3)])  # a credential without its signature
    found = _verify(bare, key, _lists(key))
    assert not found.ok and (False, "所含第 1 份凭证未签名（不是封装的 VC-JWT）") in found.checks
    head, body, signature = vc.issue(_achievement(3), key).split(".")
    raw = bytearray(vc.unb64(body))
    raw[raw.index(b"3")] = ord("9")  # creditsAvailable 3 -> 9
    forged = f"{head}.{vc.b64(bytes(raw))}.{signature}"
    wrapped = _verify(_transcript(key, [vc.enveloped(forged)]), key, _lists(key))
    assert not wrapped.ok and not wrapped.parts[0].ok


def test_a_status_list_not_signed_by_the_issuer_is_not_trusted() -> None:
    key, other = vc.new_key(), vc.new_key()
    token = vc.issue(_achievement(3), key)
    assert _verify(token, key, _lists(key)).ok
    forged = _verify(token, key, _lists(other))  # a list that says "not revoked", other key
    assert not forged.ok and (False, "状态列表签名无效或不是发证单位的状态列表") in forged.checks
    head, body, signature = _lists(key)[LIST].split(".")
    unsigned = _verify(token, key, {LIST: f"{head}.{body}.{signature[:-4]}AAAA"})
    assert not unsigned.ok
    assert not _verify(token, key, {LIST: status_list.encode([])}).ok  # a bare encodedList


def test_the_kid_is_a_url_of_the_jwks_and_matched_by_its_thumbprint() -> None:
    key = vc.new_key()
    thumb = vc.public_jwk(key)["kid"]
    assert vc.key_id(ISSUER.id, thumb) == f"{ISSUER.id}jwks.json#{thumb}"
    header, _payload = vc.read_unverified(
        vc.issue(_achievement(3), key, kid=vc.key_id(ISSUER.id, thumb))
    )
    assert header["kid"] == f"https://gaodi.example/credits/issuers/S01/jwks.json#{thumb}"
    assert vc.thumbprint_of(header["kid"]) == thumb and vc.thumbprint_of(thumb) == thumb


# --- on the demo ----------------------------------------------------------------------------


def achievement() -> IssuedCredential:
    return IssuedCredential.objects.get(kind=IssuedCredential.Kind.ACHIEVEMENT)


@pytest.mark.django_db
def test_the_transcript_is_issued_stored_and_verified(plan: Plan) -> None:
    learner = zhang()
    stored = current_transcript(learner, actor=None)
    assert stored.kind == IssuedCredential.Kind.TRANSCRIPT and stored.outcome_id is None
    assert stored.status_index != achievement().status_index
    clr = transcript_of(stored)
    assert clr["id"] == f"urn:uuid:{stored.uid}" and stored.content_hash == vc.content_hash(clr)
    assert clr["credentialStatus"]["statusListIndex"] == str(stored.status_index)
    assert vc.enveloped_tokens(clr) == [achievement().token]
    assert ChangeRecord.objects.filter(
        object_type="credits.issuedcredential", object_id=str(stored.pk), action="create"
    ).exists()
    found = verify_token(stored.token)
    assert found.ok and len(found.parts) == 1 and found.parts[0].ok
    # unchanged: the same transcript again, not a new one
    assert current_transcript(learner, actor=None) == stored
    # the public verify page checks it, with the credential inside
    page = Client().get(reverse("credits:credential", args=[stored.uid])).content.decode()
    assert "验证通过" in page and "所含第 1 份凭证" in page and "学习档案所含凭证" in page

    # the credential inside revoked: the old transcript fails; a new one would list nothing,
    # and CLR 2.0 asks for at least one credential, so none is issued
    revoke_credential(achievement(), reason="证书被注销", actor=None)
    assert not verify_token(stored.token).ok
    with pytest.raises(Refused, match="还没有已签发、未撤销的成果凭证"):
        current_transcript(learner, actor=None)
    # the transcript has its own status bit
    revoke_credential(stored, reason="重新出具", actor=None)
    assert verify_token(stored.token).revoked


@pytest.mark.django_db
def test_the_pdf_and_the_api_carry_the_same_signed_transcript(plan: Plan) -> None:
    from gaodi.credits.transcript_pdf import transcript_html

    learner = zhang()
    data = client_of("zhuanban").get(f"/api/v1/learners/{learner.pk}/transcript").json()
    stored = IssuedCredential.objects.get(kind=IssuedCredential.Kind.TRANSCRIPT)
    assert data["verify_url"].endswith(reverse("credits:credential", args=[stored.uid]))
    html = transcript_html(transcript_of(stored), data["verify_url"])
    assert data["content_hash"] in html and "Web前端开发（初级）" in html
    assert data["verify_url"] in html
    pdf = client_of("zhuanban").get(reverse("credits:transcript_pdf", args=[plan.pk, learner.pk]))
    assert pdf.status_code == 200
    # the PDF read the same transcript: nothing new was issued
    assert IssuedCredential.objects.filter(kind=IssuedCredential.Kind.TRANSCRIPT).count() == 1


@pytest.mark.django_db
def test_status_indexes_are_random_unused_bits(plan: Plan, monkeypatch: pytest.MonkeyPatch) -> None:
    school = zhang().school
    taken = achievement().status_index
    draws = iter([taken, taken, 4242])
    monkeypatch.setattr(services.secrets, "randbelow", lambda _n: next(draws))
    assert services._free_index(school) == 4242  # the used bit is skipped
    monkeypatch.undo()
    made = [issue_transcript(zhang(), actor=None).status_index for _ in range(5)]
    assert len(set(made + [taken])) == 6
    assert made != list(range(made[0], made[0] + 5))  # not the next bits in a row
    assert all(0 <= i < status_list.MIN_BITS for i in made)


@pytest.mark.django_db
def test_the_status_list_is_served_signed(plan: Plan) -> None:
    stored = achievement()
    served = Client().get(reverse("credits:status", args=[stored.school.code]))
    assert served.status_code == 200 and served["Content-Type"] == "application/vc+jwt"
    token = served.content.decode()
    header, payload = vc.read_unverified(token)
    assert payload["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert payload["iss"] == issuer_url(stored.school) and payload["jti"] == payload["id"]
    jwks = Client().get(reverse("credits:jwks", args=[stored.school.code])).json()
    check = vc.verify(
        token,
        issuer_keys={payload["iss"]: jwks},
        status_lists={},
        now=datetime.now(tz=SHANGHAI),
    )
    assert (True, "签名有效，内容未被改动") in check.checks
    assert header["kid"].startswith(issuer_url(stored.school) + "jwks.json#")


@pytest.mark.django_db
def test_the_issuer_profile_is_served_at_the_issuer_id(plan: Plan) -> None:
    stored = achievement()
    school = stored.school
    _header, payload = vc.read_unverified(stored.token)
    path = reverse("credits:issuer", args=[school.code])
    assert payload["issuer"]["id"].endswith(path)
    profile = Client().get(path).json()
    assert profile == {
        "@context": [vc.VC_CONTEXT, vc.OB_CONTEXT],
        "id": issuer_url(school),
        "type": "Profile",
        "name": school.name,
        "url": services.site_url() + "/",
    }
    assert Client().get(reverse("credits:issuer", args=["no-such-school"])).status_code == 404


@pytest.mark.django_db
def test_a_new_credential_names_a_resolvable_kid(plan: Plan) -> None:
    outcome = LearningOutcome.objects.get(pk=achievement().outcome_id)
    revoke_credential(achievement(), reason="重签", actor=None)
    again = issue_credential(outcome, actor=None)
    header, _payload = vc.read_unverified(again.token)
    url, thumb = header["kid"].split("#")
    assert url == issuer_url(again.school) + "jwks.json" and thumb == again.key.kid
    path = url.removeprefix(services.site_url())
    keys = Client().get(path).json()["keys"]
    assert thumb in [k["kid"] for k in keys]


@pytest.mark.django_db
def test_credentials_stay_verifiable_after_the_public_address_changes(plan: Plan) -> None:
    stored = achievement()
    transcript = current_transcript(zhang(), actor=None)
    with override_settings(GAODI_PUBLIC_URL="https://credits.example.gov.cn"):
        assert services.site_url() == "https://credits.example.gov.cn"
        assert verify_token(stored.token).ok
        assert verify_token(transcript.token).ok
        page = Client().get(reverse("credits:credential", args=[stored.uid])).content.decode()
        assert "验证通过" in page
        revoke_credential(stored, reason="证书被注销", actor=None)
        assert verify_token(stored.token).revoked  # the signed list under the new address


# --- GAODI_CREDITS_KEY and credits-rekey -------------------------------------------------


NEW_KEY = "n" * 20 + "-new-credits-key-0123456789"


def test_the_credits_key_setting_is_read_and_a_short_one_refused() -> None:
    assert credits_key({}) == ""
    assert credits_key({"GAODI_CREDITS_KEY": NEW_KEY}) == NEW_KEY
    with pytest.raises(ImproperlyConfigured, match="GAODI_CREDITS_KEY 太短"):
        credits_key({"GAODI_CREDITS_KEY": "short"})


@pytest.mark.django_db
def test_unset_the_credits_key_falls_back_to_the_secret_key(plan: Plan, settings: Any) -> None:
    settings.GAODI_CREDITS_KEY = ""
    number = decrypt(zhang().id_encrypted)
    assert services.key_material() == settings.SECRET_KEY
    assert services._fernet(settings.SECRET_KEY).decrypt(
        zhang().id_encrypted.encode()
    ).decode() == (number)
    settings.GAODI_CREDITS_KEY = NEW_KEY
    assert services.key_material() == NEW_KEY
    assert fingerprint(number) != zhang().id_fingerprint  # other key, other fingerprint


@pytest.mark.django_db
def test_rekey_moves_id_numbers_fingerprints_and_private_keys(plan: Plan, settings: Any) -> None:
    numbers = {item.pk: decrypt(item.id_encrypted) for item in Learner.objects.all()}
    stored = achievement()
    settings.GAODI_CREDITS_KEY = NEW_KEY
    done = rekey(settings.SECRET_KEY, actor=None)
    assert done.learners == len(numbers) and done.keys == IssuerKey.objects.count() > 0
    for item in Learner.objects.all():
        assert decrypt(item.id_encrypted) == numbers[item.pk]
        assert item.id_fingerprint == fingerprint(numbers[item.pk])
        assert numbers[item.pk] not in item.id_encrypted
    # the private keys open under the new key: sign a transcript; the old credential verifies
    assert verify_token(issue_transcript(zhang(), actor=None).token).ok
    assert verify_token(stored.token).ok
    # a duplicate registration is still found by the recomputed fingerprint
    with pytest.raises(Refused):
        services.register_learner(
            zhang().school, "【演示数据】张晓明", numbers[zhang().pk], source="测试", actor=None
        )
    trail = ChangeRecord.objects.filter(summary__in=["身份证号重新加密", "签名私钥重新加密"])
    assert trail.count() == done.learners + done.keys
    assert not any(n in str(r.after) for r in trail for n in numbers.values())


@pytest.mark.django_db
def test_rekey_leaves_rows_already_on_the_new_key_and_a_second_run_finishes(
    plan: Plan, settings: Any
) -> None:
    from gaodi.credits.demo import demo_id_number

    total = Learner.objects.count()
    settings.GAODI_CREDITS_KEY = NEW_KEY
    # registered after the new key was set, before the rekey ran: already under the new key
    late = services.register_learner(
        zhang().school, "迟到者", demo_id_number("20050505", 5), source="测试", actor=None
    )
    done = rekey(settings.SECRET_KEY, actor=None)
    assert done.learners == total  # every older row, not the late one
    assert decrypt(Learner.objects.get(pk=late.pk).id_encrypted) == demo_id_number("20050505", 5)
    again = rekey(settings.SECRET_KEY, actor=None)
    assert (again.learners, again.keys) == (0, 0)


@pytest.mark.django_db
def test_rekey_is_all_or_nothing(plan: Plan, settings: Any) -> None:
    before = {item.pk: (item.id_encrypted, item.id_fingerprint) for item in Learner.objects.all()}
    keys_before = dict(IssuerKey.objects.values_list("pk", "private_encrypted"))
    broken = Learner.objects.order_by("pk").last()
    assert broken is not None
    Learner.objects.filter(pk=broken.pk).update(id_encrypted="not-a-fernet-token")
    before[broken.pk] = ("not-a-fernet-token", broken.id_fingerprint)
    settings.GAODI_CREDITS_KEY = NEW_KEY
    with pytest.raises(
        Refused, match=f"未作任何改动：学习者 {broken.pk} 的身份证号无法用原密钥解开"
    ):
        rekey(settings.SECRET_KEY, actor=None)
    after = {item.pk: (item.id_encrypted, item.id_fingerprint) for item in Learner.objects.all()}
    assert after == before
    assert dict(IssuerKey.objects.values_list("pk", "private_encrypted")) == keys_before
    with pytest.raises(Refused, match="原密钥与当前密钥相同"):
        rekey(NEW_KEY, actor=None)


@pytest.mark.django_db
def test_the_rekey_command(plan: Plan, settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    number = decrypt(zhang().id_encrypted)
    settings.GAODI_CREDITS_KEY = NEW_KEY
    monkeypatch.delenv("GAODI_CREDITS_OLD_KEY", raising=False)
    with pytest.raises(CommandError, match="GAODI_CREDITS_OLD_KEY"):
        call_command("credits_rekey")
    call_command("credits_rekey", "--from-secret-key")
    assert decrypt(zhang().id_encrypted) == number
    # and on to a third key, the old one given in the environment
    third = "t" * 40
    settings.GAODI_CREDITS_KEY = third
    monkeypatch.setenv("GAODI_CREDITS_OLD_KEY", NEW_KEY)
    call_command("credits_rekey")
    assert decrypt(zhang().id_encrypted) == number
    assert zhang().id_fingerprint == fingerprint(number)


# --- share links are the holder's ----------------------------------------------------------


@pytest.mark.django_db
def test_staff_make_no_share_links(plan: Plan) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("credits:share", args=[plan.pk, zhang().pk])
    links = achievement().share_links.count()
    url = f"/credits/plans/{plan.pk}/learners/{zhang().pk}/share/"
    response = client_of("zhuanban").post(url, {"credential": achievement().uid, "days": "7"})
    assert response.status_code == 404 and achievement().share_links.count() == links
    page = client_of("zhuanban").get(reverse("credits:learner", args=[plan.pk, zhang().pk]))
    assert "生成分享链接" not in page.content.decode()


# --- gaodi demo --port -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "already", "expected"),
    [
        (["demo", "--port", "8123"], None, "http://127.0.0.1:8123"),
        (["demo", "--port=9001", "--no-serve"], None, "http://127.0.0.1:9001"),
        (["demo", "--port", "8123"], "https://gaodi.example", "https://gaodi.example"),
        (["demo"], None, None),
        (["serve", "--port", "8123"], None, None),
    ],
)
def test_demo_port_sets_the_public_address(
    args: list[str],
    already: str | None,
    expected: str | None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Any,
) -> None:
    monkeypatch.setenv("GAODI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("GAODI_PUBLIC_URL", raising=False)
    monkeypatch.setenv("GAODI_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("GAODI_TODAY", "2021-06-30")
    if already:
        monkeypatch.setenv("GAODI_PUBLIC_URL", already)
    cli._prepare_site(args)
    assert os.environ.get("GAODI_PUBLIC_URL") == expected


def test_an_old_style_credential_with_a_bare_thumbprint_still_verifies() -> None:
    key = vc.new_key()
    token = vc.issue(_achievement(3), key)  # kid: the bare thumbprint (before kid URLs)
    assert vc.read_unverified(token)[0]["kid"] == vc.public_jwk(key)["kid"]
    assert _verify(token, key, _lists(key)).ok
