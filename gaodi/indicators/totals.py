"""Live pre-aggregation for the roll-up: ``UnitTotal`` holds, for each org unit, indicator and
period, the sum and count of the values reported by every unit BELOW it (approved ones apart
too). A roll-up of one period then reads, for each group, that row plus the group's own values
— a few index lookups per group instead of a walk over every school of the nation
(``rollup._ONE_PERIOD_TOTALS``).

Live, not rebuilt at night: every write of a ``DataValue`` changes the totals of the unit's
ancestors IN THE SAME TRANSACTION, by deltas (new minus old), with one upsert
(``INSERT … ON CONFLICT … DO UPDATE SET total = total + excluded.total``, SQLite and
PostgreSQL alike), its rows sorted so that two writers lock the shared rows (the province's,
the nation's) in the same order and cannot deadlock. The write paths:

- ``value_writes.insert_values`` (every ``store_values``: forms, Excel imports, feeding, the
  API, ``gaodi synth``), on PostgreSQL after locking the units written (``FOR NO KEY
  UPDATE``: one writer per unit at a time, so that the old values read are the ones the
  upsert replaces): a form's values (up to ``SMALL_WRITE``) in ONE statement before the
  write, which reads the values replaced, walks up the tree and upserts
  (``_WRITE_IN_SQL``); an import's in Python, ``before_write`` reading the old values and
  ``after_write`` applying the deltas summed per chain of ancestors;
- ``update()``, ``delete()`` and ``bulk_create()`` of DataValue querysets
  (``models.DataValueQuerySet``: ``approving.take_step`` sets the status with ``update()``)
  and ``delete()`` of an instance: the rows are read (locked on PostgreSQL) before and
  after, exactly those written (by primary key, one statement per chunk, no instance
  loaded), the difference recorded;
- ``save()`` of an instance (tests, the admin, a shell): signals reading the row as stored
  before and after;
- bulk loads (``synth_nation``'s COPY): ``rebuild()`` once at the end of the generation;
- moving an org unit to another parent: ``rebuild()`` (rare: the tree is reference data).

Only raw SQL bypasses this (``value_writes`` and ``synth_nation``, above, are the only raw
writers); ``check()`` (the totals recomputed from DataValue, every mismatch listed) proves
the totals right in the tests.

Sums are whole numbers of millionths (the value's six decimal places) in 64-bit integers:
exact for sums up to 9.2 × 10^12 (as the SQLite roll-up always was). Values are turned into
millionths as the database stores them: on SQLite by the same expression as the roll-up's
(``MILLIONTHS``), on PostgreSQL exactly from NUMERIC.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

from django.db import NotSupportedError, connection, models, transaction
from django.db.models import QuerySet
from django.db.models.signals import post_save, pre_save

from gaodi.i18n import _
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import RootedQuerySet, chains_of, root_ids_of

from .models import DataValue, UnitTotal

APPROVED = str(DataValue.Status.APPROVED)
CHUNK = 500  # ids per IN list (SQLite's older limit is 999 parameters)

# A stored value as a whole number of millionths, per database.
MILLIONTHS = {
    # Whole values are stored as INTEGER; a value with a fraction is a double whose millionths
    # are rounded the way Django rounds it when reading (exact below 10^9).
    "sqlite": "(CASE WHEN typeof({v}) = 'integer' THEN {v} * 1000000 "
    "ELSE CAST(ROUND({v} * 1000000) AS INTEGER) END)",
    "postgresql": "CAST({v} * 1000000 AS BIGINT)",
}

Key = tuple[int, int, str]  # unit, indicator, period
Delta = tuple[int, int, int, int]  # total, count, approved total, approved count (millionths)
Step = tuple[int, int, str, int, int, int, int]  # unit, indicator, period + a Delta


@dataclass(frozen=True)
class Stored:
    """A value as stored, for the totals: millionths, and whether it is approved."""

    millionths: int
    approved: bool


@dataclass(frozen=True)
class Change:
    """One value of one unit written: ``old`` None when it is new, ``new`` None when deleted."""

    unit_id: int
    indicator_id: int
    period: str
    old: Stored | None
    new: Stored | None


def deltas(changes: Iterable[Change], ancestors: Mapping[int, Sequence[int]]) -> dict[Key, Delta]:
    """What the changes add to the totals of every ancestor of their units (``ancestors``:
    unit -> every unit above it), summed per key, sorted by key (the order the rows are
    locked in), keys that do not change left out. Pure."""
    return spread(_steps(changes), ancestors)


def _steps(changes: Iterable[Change]) -> Iterator[Step]:
    for change in changes:
        step = [0, 0, 0, 0]
        for stored, sign in ((change.old, -1), (change.new, 1)):
            if stored is None:
                continue
            step[0] += sign * stored.millionths
            step[1] += sign
            if stored.approved:
                step[2] += sign * stored.millionths
                step[3] += sign
        yield (change.unit_id, change.indicator_id, change.period, *step)  # type: ignore[misc]


def spread(steps: Iterable[Step], ancestors: Mapping[int, Sequence[int]]) -> dict[Key, Delta]:
    """``deltas`` from plain tuples (unit, indicator, period, total, count, approved total,
    approved count), for the writers of many values: the steps are first summed per chain of
    ancestors (the schools of one county share theirs), then added to each ancestor once."""
    by_chain: dict[tuple[tuple[int, ...], int, str], list[int]] = {}
    chains: dict[int, tuple[int, ...]] = {}
    for unit_id, indicator_id, period, total, count, approved_total, approved_count in steps:
        chain = chains.get(unit_id)
        if chain is None:
            chain = chains[unit_id] = tuple(ancestors.get(unit_id, ()))
        summed = by_chain.get((chain, indicator_id, period))
        if summed is None:
            by_chain[(chain, indicator_id, period)] = [
                total,
                count,
                approved_total,
                approved_count,
            ]
        else:
            summed[0] += total
            summed[1] += count
            summed[2] += approved_total
            summed[3] += approved_count
    found: dict[Key, list[int]] = {}
    for (chain, indicator_id, period), step in by_chain.items():
        if not any(step):
            continue
        for above in chain:
            summed_up = found.setdefault((above, indicator_id, period), [0, 0, 0, 0])
            for k in range(4):
                summed_up[k] += step[k]
    return {key: (d[0], d[1], d[2], d[3]) for key, d in sorted(found.items()) if any(d)}


def millionths(value: Decimal) -> int:
    """A value about to be written, in millionths, rounded to the column's six places as the
    database rounds it (PostgreSQL's NUMERIC half away from zero; on SQLite
    ``value_writes._db_number`` quantizes half to even)."""
    return _rounded(value, connection.vendor == "postgresql")


# Applying deltas ---------------------------------------------------------------------------

_COLUMNS = "unit_id, indicator_id, period, total_millionths, count, approved_total_millionths"
_COLUMNS += ", approved_count, root_id"
# A nation keeps no totals: its roll-up reads its provinces' (31 rows an indicator), and a
# nation row would be one lock every writer of the country waits for.
NO_TOTALS = OrgKind.NATION.value


def _conflict(table: str) -> str:
    """The upsert's clause: the deltas added to the row already there."""
    return (
        " ON CONFLICT (unit_id, indicator_id, period, root_id) DO UPDATE SET"
        f" total_millionths = {table}.total_millionths + excluded.total_millionths,"
        f" count = {table}.count + excluded.count,"
        f" approved_total_millionths = {table}.approved_total_millionths"
        " + excluded.approved_total_millionths,"
        f" approved_count = {table}.approved_count + excluded.approved_count"
    )


def apply(found: Mapping[Key, Delta]) -> None:
    """Add the deltas to the totals: one upsert (SQLite: one prepared statement for every row;
    PostgreSQL: one statement over unnest()ed arrays), rows in key order."""
    if not found:
        return
    table = connection.ops.quote_name(UnitTotal._meta.db_table)
    columns, conflict = _COLUMNS, _conflict(table)
    keys = sorted(found)
    roots = root_ids_of({k[0] for k in keys})  # each total carries its unit's root
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = [
                [k[0] for k in keys],
                [k[1] for k in keys],
                [k[2] for k in keys],
                *([found[k][n] for k in keys] for n in range(4)),
                [roots[k[0]] for k in keys],
            ]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM unnest(%s::bigint[],"
                " %s::bigint[], %s::varchar[], %s::bigint[], %s::bigint[], %s::bigint[],"
                " %s::bigint[], %s::bigint[]) AS t ORDER BY 1, 2, 3" + conflict,
                arrays,
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                + conflict,
                [(*key, *found[key], roots[key[0]]) for key in keys],
            )


def ancestors(unit_ids: Iterable[int]) -> dict[int, list[int]]:
    """unit -> every unit above it that keeps totals (parent first; not a nation: see
    ``NO_TOTALS``), in one recursive query per chunk."""
    units = connection.ops.quote_name(OrgUnit._meta.db_table)
    found: dict[int, list[int]] = {}
    for chunk in _chunks(sorted(set(unit_ids))):
        marks = ", ".join(["%s"] * len(chunk))
        sql = f"""
WITH RECURSIVE up(unit_id, above, depth) AS (
    SELECT id, parent_id, 1 FROM {units} WHERE id IN ({marks}) AND parent_id IS NOT NULL
    UNION ALL
    SELECT up.unit_id, o.parent_id, up.depth + 1 FROM up JOIN {units} o ON o.id = up.above
    WHERE o.parent_id IS NOT NULL
)
SELECT up.unit_id, up.above FROM up JOIN {units} a ON a.id = up.above
WHERE a.kind <> %s ORDER BY up.unit_id, up.depth"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [*chunk, NO_TOTALS])
            for unit_id, above in cursor.fetchall():
                found.setdefault(unit_id, []).append(above)
    return found


def record(changes: Sequence[Change]) -> None:
    """Apply a batch of changes to the totals of their units' ancestors."""
    if changes:
        apply(deltas(changes, ancestors({c.unit_id for c in changes})))


# The write paths ---------------------------------------------------------------------------


SMALL_WRITE = 300  # values in one statement (_WRITE_IN_SQL): 3 parameters each, < 999

# A form's write (a few dozen values) in ONE statement, run just before the values are written:
# the new values' millionths, minus the values they replace (read in the same statement),
# spread over every ancestor of their unit by a recursive walk up, summed, upserted in key
# order. Nothing changed (the same value saved again): no row touched, no lock taken.
_WRITE_IN_SQL = """
WITH v(unit_id, indicator_id, m, r) AS ({source}),
up(unit_id, above) AS ({above}),
d(unit_id, indicator_id, r, total, n, approved_total, approved_n) AS (
    SELECT v.unit_id, v.indicator_id, v.r, v.m - COALESCE({old}, 0),
        CASE WHEN dv.id IS NULL THEN 1 ELSE 0 END,
        CASE WHEN dv.status = %s THEN -{old} ELSE 0 END,
        CASE WHEN dv.status = %s THEN -1 ELSE 0 END
    FROM v {replaced}
)
INSERT INTO {totals} ({columns})
SELECT up.above, d.indicator_id, %s, SUM(d.total), SUM(d.n), SUM(d.approved_total),
    SUM(d.approved_n), d.r
FROM d JOIN up ON up.unit_id = d.unit_id
WHERE 1 = 1
GROUP BY up.above, d.indicator_id, d.r
HAVING SUM(d.total) <> 0 OR SUM(d.n) <> 0 OR SUM(d.approved_total) <> 0 OR SUM(d.approved_n) <> 0
ORDER BY up.above, d.indicator_id
{conflict}"""


def before_write(
    by_unit: Mapping[int, Mapping[str, Decimal]],
    period: str,
    ids: Mapping[str, int],
    stored: Mapping[tuple[int, str, str], Decimal],
    roots: Mapping[int, int],
    chains: Mapping[int, Sequence[tuple[int, str]]] | None = None,
) -> dict[tuple[int, int], Stored] | None:
    """For ``value_writes.insert_values``, before it writes. PostgreSQL: the units are
    locked first (one writer per unit; sorted, so that two writers cannot deadlock), so that
    the values read as replaced are the ones the upsert replaces; SQLite holds the whole
    database's write lock since BEGIN IMMEDIATE.

    A form (up to SMALL_WRITE values): the totals are changed here, in one statement that
    reads the replaced values itself (None returned: nothing left for ``after_write``).
    More (an import): the values about to be replaced, (unit, indicator) -> as stored, for
    ``after_write`` — none read when ``stored`` (read in this transaction) has none."""
    unit_ids = sorted(by_unit)
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        units = connection.ops.quote_name(OrgUnit._meta.db_table)
        with connection.cursor() as cursor:
            for chunk in _chunks(unit_ids):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT id FROM {units} WHERE id IN ({marks}) ORDER BY id FOR NO KEY UPDATE",
                    chunk,
                )
    if sum(len(values) for values in by_unit.values()) <= SMALL_WRITE:
        _write_in_sql(by_unit, period, ids, postgresql, roots, chains)
        return None
    if not postgresql and not any(
        (u, period, code) in stored for u, values in by_unit.items() for code in values
    ):
        return {}
    codes = sorted({code for values in by_unit.values() for code in values})
    indicator_ids = [ids[code] for code in codes]
    return {
        (row.unit_id, row.indicator_id): row.stored
        for row in _rows(
            "dv.org_unit_id",
            unit_ids,
            period=period,
            indicators=indicator_ids,
            roots=sorted(set(roots.values())),
        )
    }


# The value each new one replaces, looked up row by row in the unique index. On PostgreSQL a
# LATERAL join: in a deadline rush the period's values are new since the last ANALYZE, the
# planner took the period for empty and joined by scanning all of it (2.3 s a form at
# national scale, measured); looked up per row it is a few index probes whatever the
# statistics say (LIMIT 1, at most one row by the unique key, keeps PostgreSQL from turning
# the LATERAL back into a plain join). SQLite (no LATERAL) loops over v and probes the index.
_REPLACED = {
    "postgresql": (
        "LEFT JOIN LATERAL (SELECT x.id, x.value, x.status FROM {values} x"
        " WHERE x.indicator_id = v.indicator_id AND x.org_unit_id = v.unit_id"
        " AND x.period = %s AND x.disaggregation = '' AND x.root_id = v.r LIMIT 1) dv ON TRUE"
    ),
    "sqlite": (
        "LEFT JOIN {values} dv ON dv.indicator_id = v.indicator_id"
        " AND dv.org_unit_id = v.unit_id AND dv.period = %s AND dv.disaggregation = ''"
        " AND dv.root_id = v.r"
    ),
}


def _write_in_sql(
    by_unit: Mapping[int, Mapping[str, Decimal]],
    period: str,
    ids: Mapping[str, int],
    postgresql: bool,
    roots: Mapping[int, int],
    chains: Mapping[int, Sequence[tuple[int, str]]] | None,
) -> None:
    """The form's totals in one statement. The units above each written one (``chains``,
    orgs.roots.chains_of, read here when not given) come as parameters: no walk of the tree in
    the statement, whose plan on PostgreSQL scanned every org unit twice (6 of its 7 ms). A
    nation keeps no totals, so every total written takes the written unit's root."""
    if chains is None:
        chains = chains_of(by_unit)
    above = [
        (unit_id, pk)
        for unit_id in by_unit
        for pk, kind in chains[unit_id][1:]
        if kind != NO_TOTALS
    ]
    rows = [
        (unit_id, ids[code], _new_millionths(value, postgresql), roots[unit_id])
        for unit_id, values in by_unit.items()
        for code, value in values.items()
    ]
    if not rows or not above:
        return
    if postgresql:
        source = "SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[])"
        source_params: list[Any] = [
            [r[0] for r in rows],
            [r[1] for r in rows],
            [r[2] for r in rows],
            [r[3] for r in rows],
        ]
        above_sql = "SELECT * FROM unnest(%s::bigint[], %s::bigint[])"
        above_params: list[Any] = [[a[0] for a in above], [a[1] for a in above]]
    else:
        source = "VALUES " + ", ".join(["(%s, %s, %s, %s)"] * len(rows))
        source_params = [x for row in rows for x in row]
        above_sql = "VALUES " + ", ".join(["(%s, %s)"] * len(above))
        above_params = [x for pair in above for x in pair]
    table = connection.ops.quote_name(UnitTotal._meta.db_table)
    values = connection.ops.quote_name(DataValue._meta.db_table)
    sql = _WRITE_IN_SQL.format(
        replaced=_REPLACED["postgresql" if postgresql else "sqlite"].format(values=values),
        source=source,
        above=above_sql,
        totals=table,
        old=MILLIONTHS[connection.vendor].format(v="dv.value"),
        columns=_COLUMNS,
        conflict=_conflict(table),
    )
    params = [*source_params, *above_params, APPROVED, APPROVED, period, period]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def after_write(
    by_unit: Mapping[int, Mapping[str, Decimal]],
    period: str,
    ids: Mapping[str, int],
    old: Mapping[tuple[int, int], Stored] | None,
) -> None:
    """For ``value_writes.insert_values``, after it wrote (every value as a draft)."""
    if old is None:
        return  # done by before_write
    postgresql = connection.vendor == "postgresql"
    chains = ancestors(by_unit)
    # Summed per chain of ancestors and indicator first (a county's schools share a chain):
    # one dict lookup per value, not one per value and ancestor.
    by_chain: dict[tuple[tuple[int, ...], int], list[int]] = {}
    for unit_id, values in by_unit.items():
        chain = tuple(chains.get(unit_id, ()))
        if not chain:
            continue
        for code, value in values.items():
            indicator_id = ids[code]
            whole = int(value)  # _new_millionths, inlined for a 60,000-value import
            new = whole * 1000000 if whole == value else _rounded(value, postgresql)
            was = old.get((unit_id, indicator_id)) if old else None
            step = (new, 1, 0, 0) if was is None else _replacing(new, was)
            summed = by_chain.get((chain, indicator_id))
            if summed is None:
                by_chain[(chain, indicator_id)] = list(step)
            else:
                summed[0] += step[0]
                summed[1] += step[1]
                summed[2] += step[2]
                summed[3] += step[3]
    found: dict[Key, list[int]] = {}
    for (chain, indicator_id), summed in by_chain.items():
        if any(summed):
            for above in chain:
                total = found.setdefault((above, indicator_id, period), [0, 0, 0, 0])
                for k in range(4):
                    total[k] += summed[k]
    apply({key: (d[0], d[1], d[2], d[3]) for key, d in found.items() if any(d)})


def _replacing(new: int, was: Stored) -> Delta:
    """A value replacing a stored one, as a draft."""
    if was.approved:
        return (new - was.millionths, 0, -was.millionths, -1)
    return (new - was.millionths, 0, 0, 0)


def _new_millionths(value: Decimal, postgresql: bool) -> int:
    """millionths(), for many values: whole numbers (most counts) need no rounding."""
    whole = int(value)
    return whole * 1000000 if whole == value else _rounded(value, postgresql)


def _rounded(value: Decimal, postgresql: bool) -> int:
    rounding = ROUND_HALF_UP if postgresql else ROUND_HALF_EVEN
    return int(value.scaleb(6).to_integral_value(rounding=rounding))


_TOTALLED = {"value", "status", "org_unit", "org_unit_id", "indicator", "indicator_id"}
_TOTALLED |= {"period", "disaggregation"}


def delete_values(values: QuerySet[DataValue]) -> tuple[int, dict[str, int]]:
    """``DataValueQuerySet.delete()``: the rows are read (locked on PostgreSQL), exactly those
    deleted (one DELETE per chunk, no instance loaded) and taken out of the totals."""
    with transaction.atomic():
        pks = _locked_pks(values)
        rows = list(_rows("dv.id", pks))
        deleted = 0
        for chunk in _chunks(pks):
            deleted += models.QuerySet.delete(DataValue.objects.filter(pk__in=chunk))[0]
        record([Change(r.unit_id, r.indicator_id, r.period, r.stored, None) for r in rows])
    return deleted, ({DataValue._meta.label: deleted} if deleted else {})


def update_values(values: QuerySet[DataValue], fields: Mapping[str, Any]) -> int:
    """``DataValueQuerySet.update(**fields)`` (an approval step sets the status so): the rows
    are read (locked on PostgreSQL) before and after, exactly those updated, and the totals
    moved by the difference."""
    if not _TOTALLED & fields.keys():
        return int(models.QuerySet.update(values, **fields))
    with transaction.atomic():
        pks = _locked_pks(values)
        before = {row.pk: row for row in _rows("dv.id", pks)}
        updated = 0
        for chunk in _chunks(pks):
            updated += models.QuerySet.update(DataValue.objects.filter(pk__in=chunk), **fields)
        after = {row.pk: row for row in _rows("dv.id", pks)}
        record([c for pk in pks for c in _changes(before.get(pk), after.get(pk))])
    return updated


def bulk_create_values(
    values: QuerySet[DataValue], objs: Iterable[DataValue], *args: Any, **kwargs: Any
) -> list[DataValue]:
    """``DataValueQuerySet.bulk_create``: the new rows, read back as stored, added to the
    totals. Upserting (conflict options) would replace values unseen: refused."""
    if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
        raise NotSupportedError(_("实际值的批量写入不支持冲突选项，请用 store_values"))
    with transaction.atomic():
        made = RootedQuerySet.bulk_create(values, objs, *args, **kwargs)  # roots filled
        pks = [value.pk for value in made]
        if None in pks:
            raise NotSupportedError(_("批量写入未返回主键，无法更新汇总"))
        rows = list(_rows("dv.id", pks))
        record([Change(r.unit_id, r.indicator_id, r.period, None, r.stored) for r in rows])
    return list(made)


def _locked_pks(values: QuerySet[DataValue]) -> list[int]:
    return sorted(values.select_for_update(of=("self",)).values_list("pk", flat=True))


def _changes(before: _Row | None, after: _Row | None) -> list[Change]:
    """One row before and after a write, as changes (two when it moved to another key)."""
    if (
        before
        and after
        and (before.unit_id, before.indicator_id, before.period)
        == (
            after.unit_id,
            after.indicator_id,
            after.period,
        )
    ):
        return [
            Change(after.unit_id, after.indicator_id, after.period, before.stored, after.stored)
        ]
    changes = []
    if before:
        changes.append(
            Change(before.unit_id, before.indicator_id, before.period, before.stored, None)
        )
    if after:
        changes.append(Change(after.unit_id, after.indicator_id, after.period, None, after.stored))
    return changes


@dataclass(frozen=True)
class _Row:
    pk: int
    unit_id: int
    indicator_id: int
    period: str
    stored: Stored


def _rows(
    column: str,
    keys: Sequence[Any],
    *,
    period: str | None = None,
    indicators: Sequence[int] = (),
    roots: Sequence[int] = (),
) -> Iterator[_Row]:
    """DataValue rows (disaggregation '') whose ``column`` is one of ``keys``, with their
    millionths as the roll-up reads them."""
    table = connection.ops.quote_name(DataValue._meta.db_table)
    amount = MILLIONTHS[connection.vendor].format(v="dv.value")
    extra, params = "", list[Any]()
    if period is not None:
        extra += " AND dv.period = %s"
        params.append(period)
    if indicators:
        extra += f" AND dv.indicator_id IN ({', '.join(['%s'] * len(indicators))})"
        params += list(indicators)
    if roots:
        extra += f" AND dv.root_id IN ({', '.join(['%s'] * len(roots))})"
        params += list(roots)
    with connection.cursor() as cursor:
        for chunk in _chunks(list(keys)):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"SELECT dv.id, dv.org_unit_id, dv.indicator_id, dv.period, {amount}, dv.status"
                f" FROM {table} dv WHERE {column} IN ({marks}) AND dv.disaggregation = ''" + extra,
                [*chunk, *params],
            )
            for pk, unit_id, indicator_id, period_, amount_, status in cursor.fetchall():
                yield _Row(
                    pk, unit_id, indicator_id, period_, Stored(int(amount_), status == APPROVED)
                )


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# save() and delete() of one DataValue ------------------------------------------------------


def _as_stored(pk: int | None) -> _Row | None:
    return next(_rows("dv.id", [pk]), None) if pk is not None else None


def _value_before_save(sender: type, instance: DataValue, raw: bool = False, **kwargs: Any) -> None:
    instance._totals_before = _as_stored(instance.pk)


def _value_saved(sender: type, instance: DataValue, **kwargs: Any) -> None:
    record(_changes(getattr(instance, "_totals_before", None), _as_stored(instance.pk)))


def _unit_before_save(sender: type, instance: OrgUnit, **kwargs: Any) -> None:
    if instance.pk is None:
        instance._totals_moved = False
        return
    parent = OrgUnit.objects.filter(pk=instance.pk).values_list("parent_id", flat=True).first()
    instance._totals_moved = parent != instance.parent_id


def _unit_saved(sender: type, instance: OrgUnit, created: bool = False, **kwargs: Any) -> None:
    if not created and getattr(instance, "_totals_moved", False):
        rebuild()  # a unit moved: its values now count under other ancestors


def connect() -> None:
    """Connect the signals (``IndicatorsConfig.ready``)."""
    pre_save.connect(_value_before_save, sender=DataValue, dispatch_uid="totals-pre-save")
    post_save.connect(_value_saved, sender=DataValue, dispatch_uid="totals-post-save")
    pre_save.connect(_unit_before_save, sender=OrgUnit, dispatch_uid="totals-unit-pre-save")
    post_save.connect(_unit_saved, sender=OrgUnit, dispatch_uid="totals-unit-post-save")


# Rebuild and check -------------------------------------------------------------------------


def rebuild() -> int:
    """Every total recomputed from DataValue, level by level: each unit's parent gets the
    sum of its own values, then, from the deepest units up, each unit's total is added to
    its parent's (a few statements; no row per value and ancestor). For bulk loads (the
    synthetic nation) and tree moves; the ordinary writes keep the totals by deltas.
    While it adds, a total's root holds its own unit (a placeholder that keeps the upsert's
    key); the roots are set at the end, one statement per root. Returns the number of
    totals. In one transaction; on PostgreSQL the totals and the values are locked against
    writers first (a roll-up never reads half a rebuild, a write never lands in one)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(UnitTotal._meta.db_table)
            values = connection.ops.quote_name(DataValue._meta.db_table)
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
                cursor.execute(f"LOCK TABLE {values} IN SHARE MODE")
        return _rebuild()


def _rebuild() -> int:
    table = connection.ops.quote_name(UnitTotal._meta.db_table)
    values = connection.ops.quote_name(DataValue._meta.db_table)
    units = connection.ops.quote_name(OrgUnit._meta.db_table)
    amount = MILLIONTHS[connection.vendor].format(v="dv.value")
    columns = _COLUMNS
    parents = dict(OrgUnit.objects.values_list("pk", "parent_id"))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {table} ({columns})"
            f" SELECT o.parent_id, dv.indicator_id, dv.period, SUM({amount}), COUNT(*),"
            f" SUM(CASE WHEN dv.status = %s THEN {amount} ELSE 0 END),"
            " SUM(CASE WHEN dv.status = %s THEN 1 ELSE 0 END), o.parent_id"
            f" FROM {values} dv JOIN {units} o ON o.id = dv.org_unit_id"
            f" JOIN {units} p ON p.id = o.parent_id"
            " WHERE p.kind <> %s AND dv.disaggregation = ''"
            " GROUP BY o.parent_id, dv.indicator_id, dv.period",
            [APPROVED, APPROVED, NO_TOTALS],
        )
        depth = _depths(parents)
        inner = {p for p in parents.values() if p is not None}  # units with a total
        by_depth: dict[int, list[int]] = {}
        for unit_id in inner:
            if parents[unit_id] is not None:
                by_depth.setdefault(depth[unit_id], []).append(unit_id)
        for level in sorted(by_depth, reverse=True):
            for chunk in _chunks(sorted(by_depth[level])):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} ({columns})"
                    " SELECT o.parent_id, t.indicator_id, t.period, SUM(t.total_millionths),"
                    " SUM(t.count), SUM(t.approved_total_millionths), SUM(t.approved_count),"
                    " o.parent_id"
                    f" FROM {table} t JOIN {units} o ON o.id = t.unit_id"
                    f" JOIN {units} p ON p.id = o.parent_id"
                    f" WHERE t.unit_id IN ({marks}) AND p.kind <> %s"
                    " GROUP BY o.parent_id, t.indicator_id, t.period" + _conflict(table),
                    [*chunk, NO_TOTALS],
                )
        by_root: dict[int, list[int]] = {}
        for unit_id, root_id in root_ids_of(inner).items():
            by_root.setdefault(root_id, []).append(unit_id)
        for root_id, unit_ids in sorted(by_root.items()):
            for chunk in _chunks(sorted(unit_ids)):
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"UPDATE {table} SET root_id = %s WHERE unit_id IN ({marks})",
                    [root_id, *chunk],
                )
    return int(UnitTotal.objects.count())


def _depths(parents: Mapping[int, int | None]) -> dict[int, int]:
    depth: dict[int, int] = {}
    for start in parents:
        path: list[int] = []
        unit: int | None = start
        while unit is not None and unit not in depth:
            path.append(unit)
            unit = parents.get(unit)
        base = depth[unit] if unit is not None else -1
        for offset, step in enumerate(reversed(path), start=1):
            depth[step] = base + offset
    return depth


def expected() -> dict[Key, Delta]:
    """The totals as they should be, computed in Python from DataValue (for ``check``)."""
    units = OrgUnit.objects.values_list("pk", "parent_id", "kind")
    parents = {pk: parent for pk, parent, _kind in units}
    keeps = {pk for pk, _parent, kind in units if kind != NO_TOTALS}
    above: dict[int, list[int]] = {}
    for unit_id in parents:
        chain, parent = [], parents[unit_id]
        while parent is not None:
            if parent in keeps:
                chain.append(parent)
            parent = parents.get(parent)
        above[unit_id] = chain
    changes = [
        Change(row.unit_id, row.indicator_id, row.period, None, row.stored)
        for row in _rows("dv.disaggregation", [""])
    ]
    return deltas(changes, above)


def check() -> list[str]:
    """Every total that differs from a recomputation from DataValue, as text (empty: all
    agree), and every total stored twice under two roots. A total of nothing (all zero,
    left by a deleted value) is no total."""
    want = expected()
    have: dict[Key, Delta] = {}
    twice = []
    rows = UnitTotal.objects.values_list(
        "unit_id",
        "indicator_id",
        "period",
        "total_millionths",
        "count",
        "approved_total_millionths",
        "approved_count",
    )
    for u, i, p, t, c, at, ac in rows:
        if (u, i, p) in have:
            twice.append(f"{(u, i, p)}: stored under two roots")
        if (t, c, at, ac) != (0, 0, 0, 0):
            have[(u, i, p)] = (t, c, at, ac)
    return twice + [
        f"{key}: stored {have.get(key)} != recomputed {want.get(key)}"
        for key in sorted(want.keys() | have.keys())
        if have.get(key) != want.get(key)
    ]
