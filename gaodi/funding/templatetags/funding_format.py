"""Money as finance reads it: 18500000 -> 18,500,000 (integer 元, exact)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def grouped(value: object) -> object:
    """An int with thousands separators; anything else as it is."""
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else value
