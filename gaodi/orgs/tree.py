"""The reference org tree and lookups in it (parent key + recursive walk, no mptt)."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from .choices import OrgKind
from .models import OrgUnit

# GB/T 2260 codes of the reference plan's places.
REFERENCE_TREE: list[tuple[str, str, OrgKind, str | None]] = [
    ("370000", "山东省", OrgKind.PROVINCE, None),
    ("371500", "聊城市", OrgKind.CITY, "370000"),
    ("371503", "茌平区", OrgKind.COUNTY, "371500"),
]


def descendant_ids(unit: OrgUnit) -> list[int]:
    """The unit and everything under it, in one recursive query (SQLite and PostgreSQL)."""
    return _walk(_DOWN, unit.pk)


def ancestor_ids(unit_id: int) -> list[int]:
    """The units above one (its county, city, province), in one recursive query."""
    return [pk for pk in _walk(_UP, unit_id) if pk != unit_id]


_DOWN = """
WITH RECURSIVE tree(id) AS (
    SELECT id FROM orgs_orgunit WHERE id = %s
    UNION ALL
    SELECT o.id FROM orgs_orgunit o JOIN tree ON o.parent_id = tree.id
) SELECT id FROM tree
"""
_UP = """
WITH RECURSIVE tree(id, parent_id) AS (
    SELECT id, parent_id FROM orgs_orgunit WHERE id = %s
    UNION ALL
    SELECT o.id, o.parent_id FROM orgs_orgunit o JOIN tree ON o.id = tree.parent_id
) SELECT id FROM tree
"""


def _walk(sql: str, start: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [start])
        return [row[0] for row in cursor.fetchall()]


def units_named_in(text: str) -> QuerySet[OrgUnit]:
    """Org units whose name appears in a text (聊城市茌平区人民政府 -> 聊城市, 茌平区)."""
    names = [u.name for u in OrgUnit.objects.all() if u.name in text]
    return OrgUnit.objects.filter(name__in=names)
