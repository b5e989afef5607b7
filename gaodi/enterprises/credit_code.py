"""统一社会信用代码 (GB 32100-2015) checks, pure, no Django: 18 characters from the 31 the
standard allows (digits and capital letters without I, O, Z, S, V), the 18th a check digit."""

from __future__ import annotations

from gaodi.i18n import _

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def check_digit(first17: str) -> str:
    """The 18th character of GB 32100: 31 − (Σ value × weight mod 31), 31 read as 0."""
    total = sum(CHARSET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def problems(code: str) -> list[str]:
    """Why `code` is not a valid credit code (empty: it is)."""
    if len(code) != 18:
        return [_("统一社会信用代码须为 18 位（现为 {n} 位）").format(n=len(code))]
    wrong = sorted({char for char in code if char not in CHARSET})
    if wrong:
        return [
            _(
                "统一社会信用代码含不允许的字符：{chars}（只用数字和除 I、O、Z、S、V 外的大写字母）"
            ).format(chars="、".join(wrong))
        ]
    expected = check_digit(code[:17])
    if code[17] != expected:
        return [
            _("统一社会信用代码校验位不符（第 18 位应为 {expected}），请核对").format(
                expected=expected
            )
        ]
    return []
