"""Bitstring Status List v1.0 (W3C Recommendation, 2025), pure, no Django: the public list a
verifier fetches to learn whether a credential is revoked.

The list is a bitstring, one bit per issued credential (index from 0, the leftmost bit of the
first byte first), at least 16 KB (131,072 entries) so that a list does not tell how many
credentials an issuer has; published GZIP-compressed, then base64url without padding, with
the multibase prefix "u" (`encodedList`). A set bit means the status applies (revoked).
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

from gaodi.i18n import _

MIN_BITS = 131_072


class StatusListRefused(ValueError):
    """A list that cannot be read, or an index outside it."""


def encode(revoked: Iterable[int], size: int = MIN_BITS) -> str:
    """The encodedList with the bits of `revoked` set."""
    if size < MIN_BITS or size % 8:
        raise StatusListRefused(_("状态列表至少 131072 位，且为 8 的倍数"))
    bits = bytearray(size // 8)
    for index in revoked:
        _check(index, size)
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def is_set(encoded: str, index: int) -> bool:
    """Whether bit `index` is set in an encodedList (StatusListRefused if unreadable)."""
    if not encoded.startswith("u"):
        raise StatusListRefused(_("状态列表编码应以“u”开头（multibase base64url）"))
    body = encoded[1:]
    try:
        bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except (ValueError, OSError, EOFError) as exc:
        raise StatusListRefused(_("状态列表无法解码")) from exc
    _check(index, len(bits) * 8)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def _check(index: int, size: int) -> None:
    if not 0 <= index < size:
        raise StatusListRefused(
            _("状态序号 {index} 超出列表范围（0–{last}）").format(index=index, last=size - 1)
        )
