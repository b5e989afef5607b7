"""The plan header's 领导驾驶舱 link, shown to those the page would answer (views_leader:
Action.VIEW_FINDINGS at the plan's place); anyone else would get a 404 for it."""

from __future__ import annotations

from django import template

from gaodi.accounts.gate import Action, User, can
from gaodi.plans.models import Plan

register = template.Library()


@register.filter
def may_see_overview(user: User, plan: Plan) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and can(
        user, Action.VIEW_FINDINGS, plan.org_unit_id
    )
