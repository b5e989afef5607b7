"""统一社会信用代码 (GB 32100-2015) checks."""

from __future__ import annotations

from gaodi.enterprises.credit_code import CHARSET, WEIGHTS, check_digit, problems

PUBLISHED_EXAMPLE = "91350100M000100Y43"  # the standard's frequently quoted sample


def test_a_valid_code_passes() -> None:
    assert problems(PUBLISHED_EXAMPLE) == []


def test_the_check_digit_is_31_minus_the_weighted_sum() -> None:
    first17 = PUBLISHED_EXAMPLE[:17]
    total = sum(CHARSET.index(ch) * w for ch, w in zip(first17, WEIGHTS, strict=True))
    assert check_digit(first17) == CHARSET[(31 - total % 31) % 31] == "3"


def test_a_wrong_check_digit_length_or_letter_is_named() -> None:
    assert "校验位" in problems(PUBLISHED_EXAMPLE[:17] + "4")[0]
    assert "18 位" in problems("123")[0]
    assert "I" in problems("91350100M000100YI3")[0]
