"""The plan header's 专业预警 link, shown to those the page would answer (queries.visible_schools:
READ_VALUES at the plan's place or at one of its schools)."""

from __future__ import annotations

from django import template

from gaodi.accounts.gate import Action, User, can
from gaodi.plans.models import Plan
from gaodi.specialties.services import schools_of

register = template.Library()


@register.filter
def may_see_warnings(user: User, plan: Plan) -> bool:
    """Asked by several links of the same header (专业预警, 供求信息, 评价与成果): worked out
    once per request and plan (kept on the user object, which lives for one request)."""
    if not getattr(user, "is_authenticated", False):
        return False
    seen: dict[int, bool] = user.__dict__.setdefault("_gaodi_may_see_warnings", {})
    if plan.pk not in seen:
        seen[plan.pk] = can(user, Action.READ_VALUES, plan.org_unit_id) or any(
            can(user, Action.READ_VALUES, school.pk) for school in schools_of(plan)
        )
    return seen[plan.pk]
