"""The one access gate. Views, API and commands ask here; nothing else decides.

Access is scoped twice (DESIGN.md): by place — an org unit and everything under it — and by
department. A plan is readable by every signed-in member of its place, and by anybody when it
says 公开发布. Findings and the change history are for the work team, the leaders and the
inspectors of that place; fixes are for the work team. "Missing" and "not yours" look the same:
callers get a 404.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from gaodi.orgs.models import OrgUnit
from gaodi.orgs.tree import ancestor_ids, descendant_ids

from .choices import Role
from .models import Membership

User = AbstractBaseUser | AnonymousUser
M = TypeVar("M", bound=Model)


class Action(StrEnum):
    VIEW = "view"  # read the plan, its tasks, departments, tables
    VIEW_FINDINGS = "view_findings"  # audit findings and parse warnings
    VIEW_HISTORY = "view_history"  # change records
    REVIEW = "review"  # fix the parse: departments, deadlines, targets, row links
    ENTER = "enter"  # report indicator values for a place
    APPROVE = "approve"  # approve or return a place's reported values (its own level only)
    READ_VALUES = "read_values"  # read reported values and roll-ups of a place
    INSPECT = "inspect"  # accept or return progress reports, chase, record inspections


ROLES_FOR: dict[Action, frozenset[str]] = {
    Action.VIEW: frozenset(Role.values),
    Action.VIEW_FINDINGS: frozenset({Role.ADMIN, Role.LEADER, Role.INSPECTOR}),
    Action.VIEW_HISTORY: frozenset({Role.ADMIN, Role.LEADER, Role.INSPECTOR}),
    Action.REVIEW: frozenset({Role.ADMIN}),
    Action.ENTER: frozenset({Role.ADMIN, Role.SCHOOL}),
    Action.APPROVE: frozenset({Role.ADMIN}),
    Action.READ_VALUES: frozenset({Role.ADMIN, Role.LEADER, Role.INSPECTOR, Role.SCHOOL}),
    Action.INSPECT: frozenset({Role.ADMIN, Role.INSPECTOR}),
}


def memberships(user: User) -> list[Membership]:
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, "_gaodi_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("department"))
        user._gaodi_memberships = cached  # type: ignore[union-attr]
    return cached


def unit_ids(user: User, action: Action) -> set[int]:
    """Org units (with everything under them) where the user may do this. Worked out once per
    user object and action, like the memberships it comes from (a user object lives for one
    request): the plan header asks the gate once per link. A copy is returned."""
    if getattr(user, "is_superuser", False):
        return {-1}  # marker: everywhere
    cache: dict[Action, set[int]] = user.__dict__.setdefault("_gaodi_unit_ids", {})
    if action not in cache:
        found: set[int] = set()
        for membership in memberships(user):
            if membership.role not in ROLES_FOR[action]:
                continue
            department = membership.department
            unit_id = membership.org_unit_id or (department.org_unit_id if department else None)
            if unit_id is not None:
                found.update(descendant_ids(OrgUnit(pk=unit_id)))
        cache[action] = found
    return set(cache[action])


def plan_unit_ids(user: User) -> set[int]:
    """Where the user may read plans: his places, and the places above them (a school reads
    its county's plan; DESIGN: a published plan is readable by every signed-in role)."""
    found = unit_ids(user, Action.VIEW)
    if -1 in found:
        return found
    for membership in memberships(user):
        department = membership.department
        unit_id = membership.org_unit_id or (department.org_unit_id if department else None)
        if unit_id is not None:
            found.update(ancestor_ids(unit_id))
    return found


def _place_filter(user: User, action: Action, field: str) -> Q | None:
    """None means everywhere; an empty Q-set means nowhere."""
    units = unit_ids(user, action)
    if -1 in units:
        return None
    return Q(**{f"{field}__in": units})


_PLAN_CONTENT = {"Plan", "Task", "TaskListItem", "PlanTable"}


def restrict(queryset: QuerySet[M], user: User, action: Action, *, place: str) -> QuerySet[M]:
    """The objects of `queryset` the user may act on; `place` is the path to their org unit
    (e.g. "org_unit" for a Plan, "plan__org_unit" for a Task). Public plans are viewable by all."""
    plan_content = queryset.model.__name__ in _PLAN_CONTENT and place.endswith("org_unit")
    if action == Action.VIEW and plan_content:
        units = plan_unit_ids(user)
        if -1 in units:
            return queryset
        public = place.removesuffix("org_unit") + "public"
        return queryset.filter(Q(**{f"{place}__in": units}) | Q(**{public: True}))
    condition = _place_filter(user, action, place)
    return queryset if condition is None else queryset.filter(condition)


def get_for_user(
    queryset: QuerySet[M], user: User, action: Action, *, place: str, **lookup: object
) -> M:
    """One object the user may act on, or 404 — the same 404 as for a missing one."""
    try:
        return restrict(queryset, user, action, place=place).get(**lookup)
    except queryset.model.DoesNotExist as exc:  # type: ignore[attr-defined]
        raise Http404 from exc


def can(user: User, action: Action, org_unit_id: int) -> bool:
    units = unit_ids(user, action)
    return -1 in units or org_unit_id in units


def primary_role(user: User) -> str | None:
    """The role a user lands as (the first membership), for menus and the landing page."""
    found = memberships(user)
    return found[0].role if found else None


def department_of(user: User) -> int | None:
    """The department a liaison speaks for, if any."""
    for membership in memberships(user):
        if membership.role == Role.DEPARTMENT and membership.department_id:
            return membership.department_id
    return None


def acts_at(user: User, action: Action, org_unit_id: int) -> bool:
    """The user holds a role for this action at exactly this unit (not above it): approval
    is level by level, so a city's work team does not approve in the county's place."""
    if getattr(user, "is_superuser", False):
        return True
    for membership in memberships(user):
        department = membership.department
        unit_id = membership.org_unit_id or (department.org_unit_id if department else None)
        if membership.role in ROLES_FOR[action] and unit_id == org_unit_id:
            return True
    return False
