"""Verifiable credentials (issue 9), pure, no Django: Open Badges 3.0 AchievementCredentials and
a CLR 2.0 transcript on the W3C Verifiable Credentials 2.0 data model, signed as VC-JWT (Open
Badges 3.0 §8.2: the JWT payload IS the credential, with `iss`, `jti`, `nbf`, `sub` beside its
members) with an asymmetric key held by the issuing school — Ed25519 ("EdDSA") by default,
P-256 ("ES256") as the alternative. The transcript is a credential of its own: its own id, its
own status bit, and the learner's AchievementCredentials inside it as
EnvelopedVerifiableCredential entries (VC 2.0 §4.13: `data:application/vc+jwt,<jws>`), each
still carrying its own signature. The status list is itself a signed VC-JWT
(BitstringStatusListCredential), so a verifier trusts the revocation bits only when the
issuer's key signed them.

The JWS header's `kid` is a resolvable URL, `<issuer id>jwks.json#<thumbprint>`: the fragment is
the RFC 7638 thumbprint, the `kid` of the key in the issuer's JWKS. Verification matches keys
by that thumbprint, so a credential stays verifiable when the site's public address changes.

Verification uses public data only: the issuer's JWKS (every key it ever used, so that a
credential signed before a key rotation still verifies) and the issuer's signed status list
(`status_list.py`). It reports, in Chinese, each check it made: signature, issuer, validity
window, status (revoked or not), and for a transcript each credential it holds.

The JOSE layer is the compact JWS of RFC 7515 over `cryptography`'s signature primitives
(already pinned for WeasyPrint's dependencies): header.payload.signature, base64url without
padding, the key id the RFC 7638 thumbprint of the public JWK.

SM2 (国密, GB/T 32918, GM/T 0003) is not offered, on purpose:
- JOSE has no SM2: the IANA "JSON Web Signature and Encryption Algorithms" registry (RFC 7518,
  RFC 8037 and later additions) registers no `alg` for SM2 with SM3, and the "JSON Web Key
  Elliptic Curve" registry no `crv` for the SM2 curve. The one proposal, the individual
  Internet-Draft draft-dang-webauthn-sm2-00 ("Using SM2 with JOSE and COSE", 2021), expired in
  May 2022 without adoption. A VC-JWT signed with SM2 would need a private `alg` that no Open
  Badges / VC verifier outside this site understands, defeating the point: verifiable by
  anyone from public data.
- `cryptography` (OpenSSL bindings) exposes no SM2 signing. On PyPI, `gmssl` (pure Python,
  last release 3.2.2 in 2023-02) computes with Python integers, so not in constant time;
  `gmssl-python` and `pygmssl` are ctypes bindings needing the GmSSL C library on the server;
  `snowland-smx`, `sm-crypto` and others exist. None is in requirements.lock, and a new
  cryptographic dependency is the lead's decision, not this module's.
- What a deployment that requires 国密 does: keep these Ed25519/ES256 credentials for
  interoperability and, where a regulator demands SM2, have the school's certified 国密 signing
  device (密码机/签名服务器, GM/T 0018 interface) sign the credential's content hash
  (`content_hash`) as a detached signature kept beside it; or, once a JOSE/COSE SM2 algorithm
  is registered, add it here as a third key type (new_key, public_jwk, sign and
  _signature_ok are the only places that know key types).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from gaodi.i18n import _

from . import status_list

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
EDDSA, ES256 = "EdDSA", "ES256"
PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey


class CredentialRefused(ValueError):
    """A credential that could not be built or read; the message says why, in Chinese."""


# --- keys -------------------------------------------------------------------------------


def new_key(algorithm: str = EDDSA) -> PrivateKey:
    if algorithm == EDDSA:
        return ed25519.Ed25519PrivateKey.generate()
    if algorithm == ES256:
        return ec.generate_private_key(ec.SECP256R1())
    raise CredentialRefused(_("不支持的签名算法“{alg}”").format(alg=algorithm))


def algorithm_of(key: PrivateKey | PublicKey) -> str:
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return EDDSA
    return ES256


def private_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private(pem: bytes) -> PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
        raise CredentialRefused(_("只支持 Ed25519 或 P-256 私钥"))
    return key


def public_jwk(key: PrivateKey | PublicKey) -> dict[str, str]:
    """The public key as a JWK (RFC 7517/8037), with its thumbprint as `kid`."""
    public = (
        key.public_key()
        if isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey)
        else key
    )
    if isinstance(public, ed25519.Ed25519PublicKey):
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": b64(raw)}
    else:
        numbers = public.public_numbers()
        jwk = {
            "kty": "EC",
            "crv": "P-256",
            "x": b64(numbers.x.to_bytes(32, "big")),
            "y": b64(numbers.y.to_bytes(32, "big")),
        }
    return {**jwk, "kid": thumbprint(jwk), "alg": algorithm_of(public), "use": "sig"}


def thumbprint(jwk: Mapping[str, str]) -> str:
    """RFC 7638: SHA-256 over the required members, in lexical order, no spaces."""
    required = ("crv", "kty", "x") if jwk["kty"] == "OKP" else ("crv", "kty", "x", "y")
    canonical = json.dumps({k: jwk[k] for k in required}, separators=(",", ":"), sort_keys=True)
    return b64(hashlib.sha256(canonical.encode()).digest())


def jwks(keys: Iterable[PrivateKey | PublicKey | Mapping[str, str]]) -> dict[str, Any]:
    """The issuer's published key set: the current key and every retired one."""
    return {"keys": [dict(k) if isinstance(k, Mapping) else public_jwk(k) for k in keys]}


def _public_from_jwk(jwk: Mapping[str, str]) -> PublicKey:
    try:
        if jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
            return ed25519.Ed25519PublicKey.from_public_bytes(unb64(jwk["x"]))
        if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256":
            return ec.EllipticCurvePublicNumbers(
                int.from_bytes(unb64(jwk["x"]), "big"),
                int.from_bytes(unb64(jwk["y"]), "big"),
                ec.SECP256R1(),
            ).public_key()
    except (KeyError, ValueError) as exc:
        raise CredentialRefused(_("公钥无法读取")) from exc
    raise CredentialRefused(_("不支持的公钥类型"))


# --- JWS --------------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


B64URL = re.compile(r"^[A-Za-z0-9_-]*$")
MAX_TOKEN_CHARS = 1_000_000  # a transcript of ~500 credentials; anything longer is refused


def unb64(text: str) -> bytes:
    """base64url without padding, strictly: only the alphabet, and only the one canonical
    spelling of the bytes (the unused bits of the last character zero), so that a token has
    exactly one string form and changing any character changes what it says."""
    if not B64URL.match(text) or len(text) % 4 == 1:
        raise ValueError("not base64url")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64(data) != text:
        raise ValueError("not the canonical base64url spelling")
    return data


def canonical(data: Any) -> bytes:
    """The JSON bytes that are signed and hashed: keys sorted, no spaces, UTF-8."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def content_hash(data: Any) -> str:
    """sha256 of the canonical JSON, shown on the PDF transcript and in the JSON one alike."""
    return "sha256:" + hashlib.sha256(canonical(data)).hexdigest()


def key_id(issuer_id: str, jwk_kid: str) -> str:
    """The resolvable `kid` of a JWS header: `<issuer id>jwks.json#<thumbprint>`."""
    return f"{issuer_id.rstrip('/')}/jwks.json#{jwk_kid}"


def thumbprint_of(kid: str) -> str:
    """The JWKS `kid` a header `kid` names: the fragment of a URL, or the bare thumbprint."""
    return kid.rsplit("#", 1)[-1]


def sign(payload: Mapping[str, Any], key: PrivateKey, *, kid: str | None = None) -> str:
    """A compact JWS; `kid` the header's key id (default: the bare thumbprint)."""
    algorithm = algorithm_of(key)
    header = {"alg": algorithm, "kid": kid or public_jwk(key)["kid"], "typ": "JWT"}
    signing_input = f"{b64(canonical(header))}.{b64(canonical(payload))}".encode()
    if isinstance(key, ed25519.Ed25519PrivateKey):
        signature = key.sign(signing_input)
    else:
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{signing_input.decode()}.{b64(signature)}"


def read_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and payload of a compact JWS, not yet trusted."""
    if len(token) > MAX_TOKEN_CHARS:
        raise CredentialRefused(
            _("凭证过长（超过 {n} 个字符），不予核验").format(n=MAX_TOKEN_CHARS)
        )
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise CredentialRefused(_("凭证格式不对：应为三段（头.内容.签名）"))
    try:
        header = json.loads(unb64(parts[0]))
        payload = json.loads(unb64(parts[1]))
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise CredentialRefused(_("凭证内容无法解码")) from exc
    if not isinstance(header, dict) or not isinstance(payload, dict):
        raise CredentialRefused(_("凭证内容无法解码"))
    return header, payload


def _signature_ok(token: str, jwk: Mapping[str, str]) -> bool:
    head, body, signature = token.strip().split(".")
    signing_input = f"{head}.{body}".encode()
    public = _public_from_jwk(jwk)
    try:
        raw = unb64(signature)
        if isinstance(public, ed25519.Ed25519PublicKey):
            if len(raw) != 64:
                return False
            public.verify(raw, signing_input)
        else:
            if len(raw) != 64:
                return False
            der = encode_dss_signature(
                int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
            )
            public.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True


# --- credentials ------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    id: str  # a URL of the school's public profile on this site
    name: str


@dataclass(frozen=True)
class Achievement:
    id: str
    name: str
    description: str
    criteria: str
    achievement_type: str = "Certificate"
    credits: Decimal | int | float | None = None  # creditsAvailable: a JSON number
    level: str = ""


@dataclass(frozen=True)
class StatusEntry:
    list_url: str
    index: int

    def to_json(self, credential_id: str) -> dict[str, str]:
        return {
            "id": f"{self.list_url}#{self.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(self.index),
            "statusListCredential": self.list_url,
        }


def json_number(value: Decimal | int | float) -> int | float:
    """A JSON number (OB 3.0 creditsAvailable is a float): 6 -> 6, Decimal("1.5") -> 1.5."""
    exact = Decimal(str(value))
    return int(exact) if exact == exact.to_integral_value() else float(exact)


def name_identity(name: str) -> dict[str, Any]:
    """The holder's name as an OB 3.0 / CLR 2.0 IdentityObject (plain, not hashed)."""
    return {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": name}


def holder_name(credential: Mapping[str, Any] | None) -> str:
    """The holder's name in an AchievementCredential or ClrCredential: the first unhashed
    IdentityObject of identityType "name" in credentialSubject.identifier; "" when none."""
    subject = (credential or {}).get("credentialSubject")
    if not isinstance(subject, Mapping):
        return ""
    identifiers = subject.get("identifier")
    for item in identifiers if isinstance(identifiers, list) else []:
        if (
            isinstance(item, Mapping)
            and item.get("identityType") == "name"
            and item.get("hashed") is False
            and isinstance(item.get("identityHash"), str)
        ):
            return str(item["identityHash"])
    return ""


def achievement_credential(
    *,
    credential_id: str,
    issuer: Issuer,
    subject_id: str,
    subject_name: str,
    achievement: Achievement,
    valid_from: datetime,
    valid_until: datetime | None,
    status: StatusEntry,
    evidence_hash: str = "",
) -> dict[str, Any]:
    """An Open Badges 3.0 AchievementCredential (VCDM 2.0). The holder is named by a URN the
    site gives him and his name as shown on the certificate (an IdentityObject of identityType
    "name", unhashed: OB 3.0's AchievementSubject has no `name`): never his ID number."""
    subject: dict[str, Any] = {
        "id": subject_id,
        "type": ["AchievementSubject"],
        "identifier": [name_identity(subject_name)],
        "achievement": {
            "id": achievement.id,
            "type": ["Achievement"],
            "name": achievement.name,
            "description": achievement.description,
            "criteria": {"narrative": achievement.criteria},
            "achievementType": achievement.achievement_type,
        },
    }
    if achievement.credits is not None:
        subject["achievement"]["creditsAvailable"] = json_number(achievement.credits)
    if achievement.level:
        subject["achievement"]["tag"] = [achievement.level]
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name},
        "validFrom": _instant(valid_from),
        "name": achievement.name,
        "credentialSubject": subject,
        "credentialStatus": status.to_json(credential_id),
    }
    if valid_until is not None:
        credential["validUntil"] = _instant(valid_until)
    if evidence_hash:
        credential["evidence"] = [{"type": ["Evidence"], "id": f"urn:hash:{evidence_hash}"}]
    return credential


def transcript_credential(
    *,
    credential_id: str,
    issuer: Issuer,
    subject_id: str,
    subject_name: str,
    credentials: list[dict[str, Any]],
    issued: datetime,
    status: StatusEntry,
) -> dict[str, Any]:
    """A CLR 2.0 ClrCredential: the learner's recognised outcomes gathered under one signature
    — the 学习档案 as JSON. `credentials` are the signed AchievementCredentials as
    EnvelopedVerifiableCredential entries (`enveloped`), each keeping its own signature."""
    return {
        "@context": [VC_CONTEXT, CLR_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name},
        "validFrom": _instant(issued),
        "name": _("学习档案"),
        "credentialSubject": {
            "id": subject_id,
            "type": ["ClrSubject"],
            "identifier": [name_identity(subject_name)],
            "verifiableCredential": credentials,
        },
        "credentialStatus": status.to_json(credential_id),
    }


def jwt_claims(credential: Mapping[str, Any]) -> dict[str, Any]:
    """The VC-JWT payload: the credential's members, plus iss, jti, nbf (and exp), sub."""
    claims = dict(credential)
    claims["iss"] = credential["issuer"]["id"]
    claims["jti"] = credential["id"]
    claims["sub"] = credential["credentialSubject"]["id"]
    claims["nbf"] = int(datetime.fromisoformat(credential["validFrom"]).timestamp())
    if "validUntil" in credential:
        claims["exp"] = int(datetime.fromisoformat(credential["validUntil"]).timestamp())
    return claims


def issue(credential: Mapping[str, Any], key: PrivateKey, *, kid: str | None = None) -> str:
    return sign(jwt_claims(credential), key, kid=kid)


JWT_CLAIMS = ("iss", "jti", "sub", "nbf", "exp")


def credential_of(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The credential a VC-JWT payload carries: the payload without the JWT claims."""
    return {k: v for k, v in payload.items() if k not in JWT_CLAIMS}


ENVELOPED_PREFIX = "data:application/vc+jwt,"


def enveloped(token: str) -> dict[str, Any]:
    """A signed credential inside another one (VC 2.0 §4.13 EnvelopedVerifiableCredential)."""
    return {
        "@context": VC_CONTEXT,
        "id": ENVELOPED_PREFIX + token,
        "type": "EnvelopedVerifiableCredential",
    }


def enveloped_tokens(credential: Mapping[str, Any] | None) -> list[str | None]:
    """The VC-JWTs a ClrCredential holds, in order; None for an entry that is not an
    EnvelopedVerifiableCredential (a bare, unsigned credential)."""
    subject = (credential or {}).get("credentialSubject")
    items = subject.get("verifiableCredential") if isinstance(subject, Mapping) else None
    found: list[str | None] = []
    for item in items if isinstance(items, list) else []:
        ident = item.get("id") if isinstance(item, Mapping) else None
        is_enveloped = isinstance(item, Mapping) and item.get("type") == (
            "EnvelopedVerifiableCredential"
        )
        if is_enveloped and isinstance(ident, str) and ident.startswith(ENVELOPED_PREFIX):
            found.append(ident.removeprefix(ENVELOPED_PREFIX))
        else:
            found.append(None)
    return found


def status_list_credential(
    *, list_url: str, issuer: Issuer, encoded: str, valid_from: datetime
) -> dict[str, Any]:
    """A BitstringStatusListCredential (Bitstring Status List v1.0 §2.2), to be signed."""
    return {
        "@context": [VC_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name},
        "validFrom": _instant(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    }


@dataclass
class Verification:
    """What a verifier found, check by check (Chinese sentences), and the verdict."""

    ok: bool = False
    revoked: bool = False
    checks: list[tuple[bool, str]] = field(default_factory=list)
    credential: dict[str, Any] = field(default_factory=dict)
    parts: list[Verification] = field(default_factory=list)  # a transcript's credentials
    expired: bool = False  # a transcript's credential past its validUntil (not a failure)
    signed: bool = False  # the signature checked out: only then is the content worth showing

    def add(self, passed: bool, text: str) -> bool:
        self.checks.append((passed, text))
        return passed


def verify(
    token: str,
    *,
    issuer_keys: Mapping[str, Mapping[str, Any]],
    status_lists: Mapping[str, str],
    now: datetime,
    nested: bool = True,
) -> Verification:
    """Verify a VC-JWT from public data: `issuer_keys` maps an issuer id to its JWKS,
    `status_lists` a status list URL to the signed BitstringStatusListCredential (a VC-JWT)
    served there. Every check is reported. A ClrCredential's enveloped credentials are each
    verified too (`nested`), and the transcript passes only when all of them pass."""
    found = Verification()
    try:
        header, payload = read_unverified(token)
    except CredentialRefused as refused:
        found.add(False, str(refused))
        return found
    found.credential = payload
    if "crit" in header:
        # RFC 7515 §4.1.11: extensions a verifier does not understand must be refused
        found.add(False, _("凭证头含未支持的关键扩展（crit），不予核验"))
        return found
    issuer_id = str(payload.get("iss", ""))
    issuer = payload.get("issuer")
    issuer_name = issuer.get("name", issuer_id) if isinstance(issuer, dict) else issuer_id
    key_set = issuer_keys.get(issuer_id)
    if key_set is None:
        found.add(
            False, _("发证单位“{issuer}”不在本系统已知的发证单位中").format(issuer=issuer_name)
        )
        return found
    found.add(True, _("发证单位“{issuer}”的公钥已公布").format(issuer=issuer_name))
    kid = str(header.get("kid") or "")
    jwk = _key_for(kid, key_set)
    if jwk is None:
        found.add(False, _("签名所用公钥（{kid}）未公布").format(kid=kid or "?"))
        return found
    found.add(True, _("签名所用公钥（{kid}）已公布").format(kid=thumbprint_of(kid)))
    valid = header.get("alg") == jwk.get("alg") and _signature_ok(token, jwk)
    message = _("签名有效，内容未被改动") if valid else _("签名无效：内容被改动或不是该单位所签")
    if not found.add(valid, message):
        return found
    found.signed = True
    if not found.add(*_claims_agree(payload)):
        return found
    nbf, exp = payload.get("nbf"), payload.get("exp")
    stamp = now.timestamp()
    numbers = all(isinstance(t, int | float) for t in (nbf, exp) if t is not None)
    in_window = numbers and (nbf is None or nbf <= stamp) and (exp is None or stamp <= exp)
    if in_window:
        found.add(True, _("在有效期内"))
    elif nested or not numbers or (nbf is not None and stamp < nbf):
        found.add(False, _("不在有效期内"))
    else:
        # inside a transcript: a certificate past its validity is still a true record of what
        # was achieved; the transcript says so and stays valid
        found.expired = True
        found.add(True, _("已过有效期（学习档案如实记载，不影响其真实性）"))
    status = payload.get("credentialStatus")
    status = status if isinstance(status, dict) else {}
    list_token = status_lists.get(str(status.get("statusListCredential", "")))
    if list_token is None:
        found.add(False, _("无法取得状态列表，不能确认是否已撤销"))
        return found
    encoded = _signed_list(list_token, key_set, status, found)
    if encoded is None:
        return found
    try:
        found.revoked = status_list.is_set(encoded, int(status.get("statusListIndex", -1)))
    except (status_list.StatusListRefused, ValueError) as refused:
        found.add(False, str(refused))
        return found
    found.add(not found.revoked, _("已被发证单位撤销") if found.revoked else _("未被撤销"))
    if "ClrCredential" in (payload.get("type") or []):
        _check_parts(payload, found, issuer_keys, status_lists, now, nested)
    found.ok = all(passed for passed, _text in found.checks)
    return found


def _claims_agree(payload: Mapping[str, Any]) -> tuple[bool, str]:
    """VC-JOSE-COSE §3.1.2: the JWT claims must not contradict the credential — `iss` its
    issuer's id, `sub` its subject's id, `jti` its id."""
    issuer = payload.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    subject = payload.get("credentialSubject")
    subject_id = subject.get("id") if isinstance(subject, Mapping) else None
    pairs = (
        (payload.get("iss"), issuer_id),
        (payload.get("sub"), subject_id),
        (payload.get("jti"), payload.get("id")),
    )
    if all(claim is None or claim == member for claim, member in pairs):
        return True, _("签名声明与凭证内容一致")
    return False, _("签名声明（iss/sub/jti）与凭证内容不一致")


def _key_for(kid: str, key_set: Mapping[str, Any]) -> Mapping[str, str] | None:
    wanted = thumbprint_of(kid)
    keys = key_set.get("keys", [])
    return next((k for k in keys if isinstance(k, Mapping) and k.get("kid") == wanted), None)


def _signed_list(
    list_token: str,
    key_set: Mapping[str, Any],
    status: Mapping[str, Any],
    found: Verification,
) -> str | None:
    """The encodedList of a status list VC-JWT signed by one of the issuer's keys, or None
    (the failed check reported)."""
    try:
        header, payload = read_unverified(list_token)
    except CredentialRefused:
        found.add(False, _("状态列表无法读取"))
        return None
    jwk = _key_for(str(header.get("kid") or ""), key_set)
    signed = (
        jwk is not None and header.get("alg") == jwk.get("alg") and _signature_ok(list_token, jwk)
    )
    kinds = payload.get("type") or []
    subject = payload.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    shaped = (
        isinstance(kinds, list)
        and "BitstringStatusListCredential" in kinds
        and subject.get("statusPurpose") == status.get("statusPurpose", "revocation")
        and isinstance(subject.get("encodedList"), str)
    )
    if not found.add(
        signed and shaped,
        _("状态列表由发证单位签名")
        if signed and shaped
        else _("状态列表签名无效或不是发证单位的状态列表"),
    ):
        return None
    return str(subject["encodedList"])


def _check_parts(
    payload: Mapping[str, Any],
    found: Verification,
    issuer_keys: Mapping[str, Mapping[str, Any]],
    status_lists: Mapping[str, str],
    now: datetime,
    nested: bool,
) -> None:
    """Each credential a transcript holds, verified as a credential of its own."""
    tokens = enveloped_tokens(payload)
    found.add(True, _("学习档案含凭证 {n} 份").format(n=len(tokens)))
    for number, inner in enumerate(tokens, start=1):
        if inner is None:
            found.add(False, _("所含第 {n} 份凭证未签名（不是封装的 VC-JWT）").format(n=number))
            continue
        if not nested:
            found.add(False, _("所含第 {n} 份凭证嵌套过深").format(n=number))
            continue
        part = verify(
            inner, issuer_keys=issuer_keys, status_lists=status_lists, now=now, nested=False
        )
        found.parts.append(part)
        name = str(part.credential.get("name", "")) or "?"
        if part.ok and part.credential.get("sub") != payload.get("sub"):
            found.add(
                False,
                _("所含第 {n} 份凭证“{name}”不是本学习者的").format(n=number, name=name),
            )
        elif part.ok:
            found.add(True, _("所含第 {n} 份凭证“{name}”核验通过").format(n=number, name=name))
        else:
            failed = next((text for passed, text in part.checks if not passed), "")
            found.add(
                False,
                _("所含第 {n} 份凭证“{name}”未通过：{why}").format(n=number, name=name, why=failed),
            )


def _instant(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise CredentialRefused(_("时间须带时区"))
    return moment.isoformat(timespec="seconds")
