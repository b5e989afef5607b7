"""The plan header's 学分银行 link, shown to those the page would answer: the same readers as
the 专业预警 page (READ_VALUES at the plan's place or at one of its schools)."""

from __future__ import annotations

from django import template

from gaodi.accounts.gate import User
from gaodi.plans.models import Plan
from gaodi.specialties.templatetags.specialties_nav import may_see_warnings

register = template.Library()


@register.filter
def may_see_credits(user: User, plan: Plan) -> bool:
    return may_see_warnings(user, plan)


@register.filter
def holds_credentials(user: User) -> bool:
    """The top navigation's 我的凭证 link: a signed-in user linked to a learner (his own
    account, role 学习者), i.e. one whom /credits/mine/ answers."""
    from gaodi.accounts.choices import Role
    from gaodi.accounts.gate import memberships
    from gaodi.credits.models import Learner

    if not getattr(user, "is_authenticated", False):
        return False
    # the memberships are cached on the user for the request: staff pay no extra query
    if not any(m.role == Role.LEARNER for m in memberships(user)):
        return False
    return Learner.objects.filter(user=user, merged_into__isnull=True).exists()
