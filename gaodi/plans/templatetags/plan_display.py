"""Small display helpers for plan pages."""

from __future__ import annotations

from django import template

from gaodi.plans.models import Task

register = template.Library()


@register.filter
def role_of(task: Task, role: str) -> list[str]:
    """The names of the task's departments with this role, in the plan's order."""
    return [a.department.name for a in task.assignments.all() if a.role == role]
