"""The plan header's 经费保障 link, shown to those the page would answer (queries.may_read:
READ_VALUES at the plan's place, or the liaison of the department leading its funding task)."""

from __future__ import annotations

from django import template

from gaodi.accounts.gate import User
from gaodi.plans.models import Plan

from ..queries import may_read

register = template.Library()


@register.filter
def may_see_funding(user: User, plan: Plan) -> bool:
    return may_read(user, plan)
