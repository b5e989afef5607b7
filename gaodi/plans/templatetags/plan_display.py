"""Small display helpers for plan pages."""

from __future__ import annotations

from decimal import Decimal

from django import template

from gaodi.plans.models import Task
from gaodi.plans.report import code_label
from gaodi.plans.services import plain_number

register = template.Library()


@register.filter
def role_of(task: Task, role: str) -> list[str]:
    """The names of the task's departments with this role, in the plan's order."""
    return [a.department.name for a in task.assignments.all() if a.role == role]


@register.filter
def plain(value: Decimal) -> str:
    """70.000000 -> 70 (Decimal without exponent or trailing zeros)."""
    return plain_number(value)


@register.filter
def finding_label(code: str) -> str:
    """target-conflict -> 目标值前后不一."""
    return code_label(code)
