"""Small display helpers for plan pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.translation import gettext_lazy as _

from gaodi.plans.consistency.finding import cite_task
from gaodi.plans.diff import plain_number
from gaodi.plans.models import Task
from gaodi.plans.report import code_label

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


@register.filter
def task_key_label(key: str) -> str:
    """重点任务:14 -> 重点任务（十四）."""
    section, _sep, number = key.rpartition(":")
    return cite_task(section, int(number), "cn_paren") if number.isdigit() else key


@register.filter
def diff_field_label(name: str) -> str:
    labels = {
        "title": _("标题"),
        "lead": _("牵头单位"),
        "coop": _("配合单位"),
        "deadlines": _("时限"),
        "targets": _("目标"),
        "doc_number": _("文号"),
        "public": _("公开发布"),
    }
    return str(labels.get(name, name))


@register.filter
def as_text(value: object) -> str:
    """A diff value for reading: lists joined with 、, text as it is."""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value) if value else ""


@register.filter
def grouped(value: object) -> object:
    """Money and counts as finance reads them: 18500000 -> 18,500,000, 370370.1 -> 370,370.1
    (int or Decimal, exact); anything else as it is. One filter for every page."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal) and value.is_finite():
        return f"{value:,f}"
    return value
