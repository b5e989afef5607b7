"""The reference org tree and lookups in it (parent key + recursive walk, no mptt)."""

from __future__ import annotations

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
    """The unit and everything under it (breadth first, one query per level)."""
    found, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        found += frontier
    return found


def units_named_in(text: str) -> QuerySet[OrgUnit]:
    """Org units whose name appears in a text (聊城市茌平区人民政府 -> 聊城市, 茌平区)."""
    names = [u.name for u in OrgUnit.objects.all() if u.name in text]
    return OrgUnit.objects.filter(name__in=names)
