"""The plan header's 产教融合型企业 link, shown to those the register would answer: members of
the plan's place (Action.VIEW there: queries.check_reader)."""

from __future__ import annotations

from django import template

from gaodi.accounts.gate import Action, User, can
from gaodi.plans.models import Plan

register = template.Library()


@register.filter
def may_see_enterprises(user: User, plan: Plan) -> bool:
    return can(user, Action.VIEW, plan.org_unit_id)
