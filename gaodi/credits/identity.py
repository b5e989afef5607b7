"""Learner identity (issue 9), pure, no Django: the 居民身份证号码 (GB 11643-1999) checked by
its check digit, and the masked form every page shows (110105********0021 style: the first six
digits, the place code, and the last four). The full number is stored protected (encrypted)
by the Django side; nothing here stores anything."""

from __future__ import annotations

import hashlib
import hmac
import re

from gaodi.i18n import _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
SHAPE = re.compile(r"^\d{17}[\dX]$")


class IdentityRefused(ValueError):
    """An ID number that cannot be right; the message says why, in Chinese."""


def normalise(text: str) -> str:
    """Spaces dropped, full-width digits and a lower-case x made plain."""
    table = str.maketrans("０１２３４５６７８９ｘＸx", "0123456789XXX")
    return "".join(text.split()).translate(table)


def check_id_number(text: str) -> str:
    """The number, normalised, or IdentityRefused: 18 characters, the birth date a real day,
    the last character the GB 11643 check digit of the first 17."""
    number = normalise(text)
    if not SHAPE.match(number):
        raise IdentityRefused(_("身份证号码应为 18 位（前 17 位为数字，最后一位为数字或 X）"))
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not _is_day(year, month, day):
        raise IdentityRefused(_("身份证号码中的出生日期不存在"))
    expected = CHECK[sum(int(d) * w for d, w in zip(number[:17], WEIGHTS, strict=True)) % 11]
    if number[17] != expected:
        raise IdentityRefused(_("身份证号码校验位不符，请核对"))
    return number


def mask(number: str) -> str:
    """110105********0021: who it is stays private, which place and which person stay
    distinguishable for a clerk comparing two records."""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def fingerprint(number: str, key: bytes) -> str:
    """A keyed hash of the number (HMAC-SHA256 with the site's key): finds duplicate
    identities without decrypting every stored number."""
    return hmac.new(key, normalise(number).encode(), hashlib.sha256).hexdigest()


def _is_day(year: int, month: int, day: int) -> bool:
    import datetime as dt

    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= year <= 2100
