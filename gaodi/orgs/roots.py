"""The root of an org unit, and the ``root`` column every large table carries (docs/scaling.md).

The *root* of an org unit is its province: the highest unit above it (or itself) that is not a
nation. In a single-district deployment that is the top of its tree (山东省 for 茌平区); in the
synthetic nation, each 示例…省. A large table's rows carry the root of the org unit they belong
to, written when the row is written (never derived at read time), so that a distributed
PostgreSQL (Citus) can shard them by province and every heavy query can say which shard it
needs: ``WHERE root_id = …``.

``Rooted`` is the abstract model of such a table. Its ``ROOT_FROM`` names where a row's root
comes from: a foreign key to an org unit (``"org_unit"``, ``"school"``), a foreign key and the
org unit of the row it points to (``"department__org_unit"``), or the root already stored on
the row it points to (``"learner__root"``). Saving fills ``root``; ``bulk_create`` fills every
row's in a few queries (one per table and hop); writers of raw SQL call ``root_ids_of``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import OrgKind
from .models import OrgUnit

_UNKNOWN = object()  # a row's org unit not loaded (deferred)

# Levels read in one query: a school, its county, city, province and nation, and one spare.
_DEPTH = 6


def chains_of(unit_ids: Iterable[int]) -> dict[int, list[tuple[int, str]]]:
    """Each org unit id -> the unit and every unit above it as (id, kind), nearest first, in
    one query (a join of six levels by primary key; one more per six levels deeper)."""
    wanted = {pk for pk in unit_ids if pk is not None}
    if not wanted:
        return {}
    hops = ["__".join(["parent"] * n) for n in range(_DEPTH)]
    fields = []
    for hop in hops:
        fields += [f"{hop}__id" if hop else "id", f"{hop}__kind" if hop else "kind"]
    chains: dict[int, list[tuple[int, str]]] = {}
    deeper: dict[int, int] = {}  # unit -> the last ancestor read, whose parent may be more
    for row in OrgUnit.objects.filter(pk__in=wanted).values_list(*fields):
        chain = [(row[i], row[i + 1]) for i in range(0, len(row), 2) if row[i] is not None]
        chains[chain[0][0]] = chain
        if len(chain) == _DEPTH:
            deeper[chain[0][0]] = chain[-1][0]
    if deeper:
        above = chains_of(deeper.values())
        for unit, last in deeper.items():
            chains[unit] = [*chains[unit], *above[last][1:]]
    missing = wanted - set(chains)
    if missing:
        raise OrgUnit.DoesNotExist(f"org units {sorted(missing)} do not exist")
    return chains


def root_ids_of(unit_ids: Iterable[int]) -> dict[int, int]:
    """Each org unit id -> the id of its root, in one query (two for a deeper tree)."""
    return {unit: root_of_chain(chain) for unit, chain in chains_of(unit_ids).items()}


def roots_of(units: Iterable[OrgUnit | int]) -> list[int]:
    """The distinct roots of some org units (or their ids), sorted: what a heavy query over
    their rows filters by (``root_id__in``)."""
    ids = [u if isinstance(u, int) else u.pk for u in units]
    return sorted(set(root_ids_of(ids).values()))


def roots_under(unit_id: int) -> list[int]:
    """The roots of the rows at and below an org unit: its root, or for a nation itself and
    its provinces (what a roll-up over its subtree filters by). One query, two for a top."""
    root = root_id_of(unit_id)
    if root != unit_id:
        return [root]
    below = OrgUnit.objects.filter(Q(pk=unit_id) | (Q(parent_id=unit_id) & ~Q(kind=OrgKind.NATION)))
    rows = list(below.values_list("pk", "kind"))
    if dict(rows).get(unit_id) != OrgKind.NATION:
        return [root]
    return sorted(pk for pk, _kind in rows)


class RootChangeRefused(ValueError):
    """A unit may not move to another province by an edit: its rows carry their root."""


def refuse_root_change(unit: OrgUnit) -> None:
    """Before an org unit is saved with another parent or kind: refused (RootChangeRefused,
    nothing saved) when that would change its root, since every row of the large tables
    below it carries the old one (moving a school to another province is a data migration,
    docs/scaling.md). A move within its province is allowed."""
    stored = OrgUnit.objects.filter(pk=unit.pk).values_list("parent_id", "kind").first()
    if stored is None or stored == (unit.parent_id, unit.kind):
        return
    old = root_id_of(unit.pk)
    if unit.kind == OrgKind.NATION or unit.parent_id is None:
        new = unit.pk
    else:
        parent_kind = OrgUnit.objects.filter(pk=unit.parent_id).values_list("kind", flat=True)
        new = unit.pk if parent_kind.first() == OrgKind.NATION else root_id_of(unit.parent_id)
    if new != old:
        raise RootChangeRefused(
            _(
                "“{unit}”改到新的上级后将属于另一个省级单位：跨省移动须先迁移其数据，不能直接修改"
            ).format(unit=unit.name)
        )


def root_id_of(unit_id: int) -> int:
    """The root of one org unit (see ``root_ids_of``)."""
    return root_ids_of([unit_id])[unit_id]


def root_of_chain(chain: Sequence[tuple[int, str]]) -> int:
    """The root in a chain of (id, kind) from a unit upwards: the last that is not a nation,
    or the unit itself when it is the nation."""
    below_nation = [pk for pk, kind in chain if kind != OrgKind.NATION]
    return below_nation[-1] if below_nation else chain[0][0]


def fill_roots(rows: Iterable[models.Model]) -> None:
    """Set ``root_id`` on every row of a ``Rooted`` model that has none, a query per model
    and hop (cached related rows are used instead where they carry their root)."""
    by_model: dict[type[Rooted], list[Rooted]] = defaultdict(list)
    for row in rows:
        if isinstance(row, Rooted) and row.root_id is None:
            by_model[type(row)].append(row)
    for model, items in by_model.items():
        first, _sep, rest = model.ROOT_FROM.partition("__")
        attname = model._meta.get_field(first).attname
        unit_of: dict[Any, int] = {}
        if rest == "root":
            for item in items:
                cached = item._state.fields_cache.get(first)
                if cached is not None and getattr(cached, "root_id", None) is not None:
                    unit_of[getattr(item, attname)] = cached.root_id
        keys = {getattr(item, attname) for item in items} - set(unit_of)
        if None in keys:
            raise ValueError(f"{model.__name__}: {first} is not set, its root is unknown")
        if rest:
            target = model._meta.get_field(first).related_model
            unit_of.update(target._default_manager.filter(pk__in=keys).values_list("pk", rest))
        else:
            unit_of.update((key, key) for key in keys)
        if rest == "root":
            root_of = {unit: unit for unit in unit_of.values()}
        else:
            root_of = root_ids_of(unit_of.values())
        for item in items:
            item.root_id = root_of[unit_of[getattr(item, attname)]]


def root_field(*, indexed: bool = True) -> models.ForeignKey[OrgUnit]:
    """The ``root`` column of a large table: its province, never typed in. ``indexed=False``
    where the column is in the table's unique index already (one index less to keep up)."""
    return models.ForeignKey(
        OrgUnit,
        verbose_name=_("所属省级单位"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=indexed,
    )


class RootedQuerySet(models.QuerySet):
    """``bulk_create`` fills the rows' roots first."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        fill_roots(objs)
        return super().bulk_create(objs, *args, **kwargs)


class Rooted(models.Model):
    """A row of a large table: it carries the root (province) of the org unit it belongs to."""

    ROOT_FROM: ClassVar[str]

    root = root_field()

    objects = RootedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A row whose org unit changed (a learner moved to another school) takes its new root:
        # when its org unit is saved (all fields, or it among update_fields) and differs from
        # the one it was loaded with, or that one is not known (a deferred field).
        fields = kwargs.get("update_fields")
        first = self.ROOT_FROM.partition("__")[0]
        saving_source = fields is None or first in fields or f"{first}_id" in fields
        known = getattr(self, "_rooted_from", None)
        moved = known is not None and saving_source and known != self._root_source()
        if self.root_id is None or moved:
            self.root_id = None
            fill_roots([self])
            if fields is not None and "root" not in fields:
                kwargs["update_fields"] = [*fields, "root"]
        super().save(*args, **kwargs)
        self._rooted_from = self._root_source()

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Any:
        row = super().from_db(db, field_names, values)
        row._rooted_from = row._root_source()
        return row

    def _root_source(self) -> Any:
        first = self.ROOT_FROM.partition("__")[0]
        # From __dict__: a deferred field is not loaded just for this.
        return self.__dict__.get(self._meta.get_field(first).attname, _UNKNOWN)


def rooted_models() -> list[type[Rooted]]:
    """Every concrete model that carries a root: the large tables of docs/scaling.md."""
    from django.apps import apps

    return [m for m in apps.get_models() if issubclass(m, Rooted)]
