"""Writes to the org tree and departments; each leaves a change record."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change, record_changes

from .models import Department, OrgUnit
from .tree import REFERENCE_TREE

Actor = AbstractBaseUser | AnonymousUser | None


@transaction.atomic
def ensure_org_unit(
    code: str, name: str, kind: str, parent: OrgUnit | None, *, actor: Actor
) -> OrgUnit:
    """The org unit with this code, created (and recorded) if it is not there yet."""
    unit, created = OrgUnit.objects.get_or_create(
        code=code, defaults={"name": name, "kind": kind, "parent": parent}
    )
    if created:
        record_change(
            unit, actor=actor, action="create", after={"code": code, "name": name, "kind": kind}
        )
    return unit


@transaction.atomic
def ensure_reference_tree(*, actor: Actor) -> OrgUnit:
    """山东省 > 聊城市 > 茌平区 (GB/T 2260 codes); returns the county. Idempotent."""
    unit = None
    for code, name, kind, parent_code in REFERENCE_TREE:
        parent = OrgUnit.objects.get(code=parent_code) if parent_code else None
        unit = ensure_org_unit(code, name, kind, parent, actor=actor)
    assert unit is not None
    return unit


def upsert_department(
    org_unit: OrgUnit, name: str, aliases: list[str], collective: bool
) -> Department:
    """The department of this org unit with this canonical name; aliases are merged.

    Called inside import_plan, which records what it added or renamed afterwards
    (`department_aliases` before, `record_department_changes` after).
    """
    department, _created = Department.objects.get_or_create(
        org_unit=org_unit, name=name, defaults={"aliases": aliases, "collective": collective}
    )
    merged = list(dict.fromkeys([*department.aliases, *aliases]))
    if merged != department.aliases:
        department.aliases = merged
        department.save(update_fields=["aliases"])
    return department


def department_aliases(org_unit: OrgUnit) -> dict[int, list[str]]:
    """The org unit's departments and their aliases, before a write that may add some."""
    rows = Department.objects.filter(org_unit=org_unit).values_list("pk", "aliases")
    return {pk: list(aliases) for pk, aliases in rows}


def record_department_changes(
    org_unit: OrgUnit, before: dict[int, list[str]], *, actor: Actor
) -> int:
    """One change record for each department added, or given new aliases, since `before`
    (departments outlive the plan that named them, so they carry their own history)."""
    changes: list[tuple[Department, str, Any, Any, str]] = []
    for department in Department.objects.filter(org_unit=org_unit).order_by("pk"):
        if department.pk not in before:
            after = {
                "name": department.name,
                "aliases": department.aliases,
                "collective": department.collective,
            }
            summary = _("新增部门：{name}").format(name=department.name)
            changes.append((department, "create", None, after, summary))
        elif before[department.pk] != department.aliases:
            summary = _("部门别名：{aliases}").format(aliases="、".join(department.aliases))
            changes.append(
                (
                    department,
                    "update",
                    {"aliases": before[department.pk]},
                    {"aliases": department.aliases},
                    summary,
                )
            )
    record_changes(changes, actor=actor)
    return len(changes)
