"""Display helpers of the 产教融合型企业 pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from gaodi.enterprises.credit import CENT

register = template.Library()


@register.filter
def cents(value: object) -> object:
    """A credit amount (Decimal 元) to the 分, whole 元 without decimals, for `grouped`:
    36000.00 -> 36000, 360.5 -> 360.50; anything else as it is."""
    if not isinstance(value, Decimal) or not value.is_finite():
        return value
    exact = value.quantize(CENT)
    return exact.quantize(Decimal(1)) if exact == exact.to_integral_value() else exact
