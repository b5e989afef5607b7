"""Verifiable credentials without a database: the round trip issue -> verify OK -> tamper one
byte -> verify fails -> revoke -> verify says revoked; key rotation; ES256; ID numbers; the
Bitstring Status List."""

from __future__ import annotations

import base64
import gzip
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from gaodi.credits import credentials as vc
from gaodi.credits import identity, status_list

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2022, 3, 1, 9, 0, tzinfo=SHANGHAI)
ISSUER = vc.Issuer(
    "https://gaodi.example/credits/issuers/371503-S01", "聊城市茌平区职业教育中心学校"
)
LIST = "https://gaodi.example/credits/status/1"


def credential(index: int = 7, until: datetime | None = None) -> dict[str, object]:
    return vc.achievement_credential(
        credential_id="urn:uuid:6f1d0c3e-0000-4000-8000-000000000007",
        issuer=ISSUER,
        subject_id="urn:gaodi:learner:42",
        subject_name="张三",
        achievement=vc.Achievement(
            "https://gaodi.example/credits/units/web-front-end/中级",
            "Web前端开发（中级）",
            "职业技能等级证书，经学分银行认定",
            "持证并经认定",
            credits=Decimal(6),
            level="中级",
        ),
        valid_from=NOW - timedelta(days=1),
        valid_until=until,
        status=vc.StatusEntry(LIST, index),
    )


def signed_list(key: vc.PrivateKey, revoked: tuple[int, ...] = ()) -> str:
    """The issuer's status list as the signed VC-JWT a verifier fetches."""
    listed = vc.status_list_credential(
        list_url=LIST, issuer=ISSUER, encoded=status_list.encode(revoked), valid_from=NOW
    )
    return vc.issue(listed, key)


def verify(token: str, keys: list[vc.PrivateKey], revoked: tuple[int, ...] = ()) -> vc.Verification:
    return vc.verify(
        token,
        issuer_keys={ISSUER.id: vc.jwks(keys)},
        status_lists={LIST: signed_list(keys[0], revoked)},
        now=NOW,
    )


@pytest.mark.parametrize("algorithm", [vc.EDDSA, vc.ES256])
def test_round_trip_issue_verify_tamper_revoke(algorithm: str) -> None:
    key = vc.new_key(algorithm)
    token = vc.issue(credential(), key)
    found = verify(token, [key])
    assert found.ok and not found.revoked
    assert [text for _ok, text in found.checks][-3:] == [
        "在有效期内",
        "状态列表由发证单位签名",
        "未被撤销",
    ]
    assert vc.holder_name(found.credential) == "张三"

    head, body, signature = token.split(".")
    raw = bytearray(vc.unb64(body))
    raw[raw.index(b"6")] = ord("8")  # one byte: creditsAvailable 6 -> 8
    tampered = f"{head}.{vc.b64(bytes(raw))}.{signature}"
    broken = verify(tampered, [key])
    assert not broken.ok
    assert (False, "签名无效：内容被改动或不是该单位所签") in broken.checks

    revoked = verify(token, [key], revoked=(7,))
    assert not revoked.ok and revoked.revoked
    assert (False, "已被发证单位撤销") in revoked.checks


def test_after_key_rotation_old_credentials_still_verify() -> None:
    old, new = vc.new_key(), vc.new_key()
    before = vc.issue(credential(), old)
    after = vc.issue(credential(8), new)
    assert verify(before, [new, old]).ok and verify(after, [new, old]).ok
    assert not verify(before, [new]).ok  # a key dropped from the JWKS no longer verifies


def test_a_key_of_another_issuer_does_not_verify() -> None:
    token = vc.issue(credential(), vc.new_key())
    impostor = vc.public_jwk(vc.new_key())
    header, _payload = vc.read_unverified(token)
    impostor["kid"] = header["kid"]  # same key id, other key
    found = vc.verify(
        token,
        issuer_keys={ISSUER.id: {"keys": [impostor]}},
        status_lists={LIST: signed_list(vc.new_key())},
        now=NOW,
    )
    assert not found.ok


def test_an_expired_or_unknown_issuer_credential_fails() -> None:
    key = vc.new_key()
    expired = vc.issue(credential(until=NOW - timedelta(hours=1)), key)
    assert (False, "不在有效期内") in verify(expired, [key]).checks
    unknown = vc.verify(vc.issue(credential(), key), issuer_keys={}, status_lists={}, now=NOW)
    assert not unknown.ok and "不在本系统已知的发证单位中" in unknown.checks[0][1]


@pytest.mark.parametrize("token", ["", "a.b", "a.b.c", "e30.e30"])
def test_garbage_is_reported_not_raised(token: str) -> None:
    assert not verify(token, [vc.new_key()]).ok


def test_payload_is_the_credential_with_jwt_claims() -> None:
    key = vc.new_key()
    header, payload = vc.read_unverified(vc.issue(credential(), key))
    assert header == {"alg": "EdDSA", "kid": vc.public_jwk(key)["kid"], "typ": "JWT"}
    assert payload["iss"] == ISSUER.id and payload["jti"] == payload["id"]
    assert payload["sub"] == "urn:gaodi:learner:42"
    assert payload["nbf"] == int((NOW - timedelta(days=1)).timestamp())
    assert payload["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert payload["credentialStatus"]["statusListIndex"] == "7"


def test_thumbprint_matches_rfc_7638_example_shape() -> None:
    # RFC 8037 A.3: the thumbprint of the Ed25519 example key.
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    assert vc.thumbprint(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_the_transcript_hash_is_stable_and_content_bound() -> None:
    clr = vc.transcript_credential(
        credential_id="urn:uuid:t",
        issuer=ISSUER,
        subject_id="urn:gaodi:learner:42",
        subject_name="张三",
        credentials=[credential()],
        issued=NOW,
        status=vc.StatusEntry(LIST, 9),
    )
    assert "name" not in clr["credentialSubject"]
    assert vc.holder_name(clr) == "张三"
    again = dict(reversed(list(clr.items())))  # same content, other key order
    assert vc.content_hash(clr) == vc.content_hash(again)
    assert vc.content_hash(clr) != vc.content_hash({**clr, "name": "x"})


def test_open_badges_3_shapes_credits_a_number_and_the_name_an_identity_object() -> None:
    subject = credential()["credentialSubject"]
    assert isinstance(subject, dict)
    assert "name" not in subject  # OB 3.0 AchievementSubject has no name property
    assert subject["identifier"] == [
        {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "张三"}
    ]
    available = subject["achievement"]["creditsAvailable"]
    assert isinstance(available, int | float) and not isinstance(available, bool)
    assert available == 6
    half = vc.achievement_credential(
        credential_id="urn:uuid:x",
        issuer=ISSUER,
        subject_id="urn:gaodi:learner:42",
        subject_name="张三",
        achievement=vc.Achievement("u", "n", "d", "c", credits=Decimal("1.5")),
        valid_from=NOW,
        valid_until=None,
        status=vc.StatusEntry(LIST, 1),
    )
    assert half["credentialSubject"]["achievement"]["creditsAvailable"] == 1.5
    assert '"creditsAvailable":1.5' in vc.canonical(half).decode()
    without = vc.achievement_credential(
        credential_id="urn:uuid:y",
        issuer=ISSUER,
        subject_id="urn:gaodi:learner:42",
        subject_name="张三",
        achievement=vc.Achievement("u", "n", "d", "c"),
        valid_from=NOW,
        valid_until=None,
        status=vc.StatusEntry(LIST, 2),
    )
    assert "creditsAvailable" not in without["credentialSubject"]["achievement"]


def test_holder_name_reads_the_unhashed_name_identifier_only() -> None:
    assert vc.holder_name(credential()) == "张三"
    hashed = {"type": "IdentityObject", "identityType": "name", "hashed": True, "identityHash": "h"}
    email = {"type": "IdentityObject", "identityType": "emailAddress", "hashed": False}
    assert vc.holder_name({"credentialSubject": {"identifier": [hashed, email]}}) == ""
    assert vc.holder_name({"credentialSubject": {"name": "张三"}}) == ""
    assert vc.holder_name({}) == "" and vc.holder_name(None) == ""


# --- identity ----------------------------------------------------------------------------


def test_a_valid_id_number_is_accepted_normalised_and_masked() -> None:
    number = identity.check_id_number("11010519491231002x")  # GB 11643 example
    assert number == "11010519491231002X"
    assert identity.mask(number) == "110105********002X"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1101051949123100", "应为 18 位"),
        ("110105194902300021", "出生日期不存在"),
        ("110105194912310022", "校验位不符"),
    ],
)
def test_bad_id_numbers_are_refused(text: str, message: str) -> None:
    with pytest.raises(identity.IdentityRefused, match=message):
        identity.check_id_number(text)


def test_fingerprints_find_the_same_person_under_spacing() -> None:
    key = b"k"
    a = identity.fingerprint("11010519491231002X", key)
    assert a == identity.fingerprint("110105 19491231 002x", key)
    assert a != identity.fingerprint("11010519491231002X", b"other")


# --- status list -------------------------------------------------------------------------


def test_status_list_bits_follow_the_spec_order() -> None:
    encoded = status_list.encode([0, 9, 131_071])
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert len(raw) == 16_384 and raw[0] == 0x80 and raw[1] == 0x40 and raw[-1] == 0x01
    assert [status_list.is_set(encoded, i) for i in (0, 1, 9, 131_071)] == [
        True,
        False,
        True,
        True,
    ]


def test_status_list_refuses_what_it_cannot_hold() -> None:
    with pytest.raises(status_list.StatusListRefused):
        status_list.encode([131_072])
    with pytest.raises(status_list.StatusListRefused):
        status_list.is_set("zzz", 0)
    with pytest.raises(status_list.StatusListRefused):
        status_list.is_set("u" + "A" * 10, 0)
