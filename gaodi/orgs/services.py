"""Writes to the org tree and departments; each leaves a change record."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from gaodi.audit.services import record_change

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

    Called inside import_plan, whose single change record covers the whole import.
    """
    department, _created = Department.objects.get_or_create(
        org_unit=org_unit, name=name, defaults={"aliases": aliases, "collective": collective}
    )
    merged = list(dict.fromkeys([*department.aliases, *aliases]))
    if merged != department.aliases:
        department.aliases = merged
        department.save(update_fields=["aliases"])
    return department
