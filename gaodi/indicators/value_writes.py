"""Writing reported values fast: plain tuples instead of model instances, one statement per
import (SQLite: executemany, new rows in the unique index's order; PostgreSQL: one upsert over
unnest()ed arrays). Called by `collection.store_values` after every check has passed; the
change records are written there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection

from . import totals
from .models import DataValue, Indicator

_INSERT = (
    "INSERT INTO {table} (indicator_id, org_unit_id, period, disaggregation, value, status,"
    " entered_by_id, entered_at, source, root_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
)
_ON_CONFLICT = (
    " ON CONFLICT (indicator_id, org_unit_id, period, disaggregation, root_id) DO UPDATE SET"
    " value = excluded.value, status = excluded.status, entered_by_id = excluded.entered_by_id,"
    " entered_at = excluded.entered_at, source = excluded.source"
)


def insert_values(
    by_unit: Mapping[int, Mapping[str, Decimal]],
    period: str,
    stored: Mapping[tuple[int, str, str], Decimal],
    indicators: Mapping[str, Indicator],
    user: AbstractBaseUser | None,
    now: dt.datetime,
    source: str,
    roots: Mapping[int, int],
    chains: Mapping[int, Sequence[tuple[int, str]]] | None = None,
) -> None:
    """Every value in one executemany of plain tuples (``roots``: each unit's root, from
    orgs.roots): SQLite reuses one prepared statement, psycopg pipelines. (bulk_create made
    a model instance per value, prepared each field of each row in Python and cut SQLite's
    statements at 999 parameters: 111 rows.) New values
    are plain inserts, which SQLite takes in half the time of an upsert; values already
    stored are upserted. A value inserted meanwhile by another writer cannot be lost: SQLite
    holds the write lock since BEGIN IMMEDIATE, PostgreSQL fails the unique constraint."""
    ids = {code: indicator.pk for code, indicator in indicators.items()}
    draft, user_id = DataValue.Status.DRAFT.value, user.pk if user else None
    table = connection.ops.quote_name(DataValue._meta.db_table)
    old = totals.before_write(by_unit, period, ids, stored, roots, chains)  # the live totals
    if connection.vendor == "postgresql":
        _insert_arrays(table, by_unit, period, ids, draft, user_id, now, source, roots)
        totals.after_write(by_unit, period, ids, old)
        return
    entered_at = connection.ops.adapt_datetimefield_value(now)
    new, known = [], []
    for unit_id, values in by_unit.items():
        for code, value in values.items():
            row = (
                ids[code],
                unit_id,
                period,
                "",
                _db_number(value),
                draft,
                user_id,
                entered_at,
                source,
                roots[unit_id],
            )
            (known if (unit_id, period, code) in stored else new).append(row)
    # In the unique index's order: B-tree pages are filled in turn, not visited at random.
    new.sort(key=lambda row: (row[0], row[1]))
    insert = _INSERT.format(table=table)
    with connection.cursor() as cursor:
        if new:
            cursor.executemany(insert, new)
        if known:
            cursor.executemany(insert + _ON_CONFLICT, known)
    totals.after_write(by_unit, period, ids, old)


_SIX_PLACES = Decimal("0.000001")  # DataValue.value: decimal_places=6


def _db_number(value: Decimal) -> int | str:
    """What SQLite stores for a value, as the field would (at most 6 places): a whole number
    as an integer (most counts; 20 times cheaper than Django's formatting), else text."""
    whole = int(value)
    return whole if whole == value else str(value.quantize(_SIX_PLACES))


def _insert_arrays(
    table: str,
    by_unit: Mapping[int, Mapping[str, Decimal]],
    period: str,
    ids: Mapping[str, int],
    draft: str,
    user_id: int | None,
    now: dt.datetime,
    source: str,
    roots: Mapping[int, int],
) -> None:
    """PostgreSQL: every value in ONE upsert over unnest()ed arrays (one round trip; no
    statement per row). Values are rounded to the field's 6 places by the numeric(20, 6)
    column itself."""
    columns: list[list[object]] = [[], [], [], []]
    for unit_id, values in by_unit.items():
        for code, value in values.items():
            columns[0].append(ids[code])
            columns[1].append(unit_id)
            columns[2].append(value)
            columns[3].append(roots[unit_id])
    count = len(columns[0])
    sql = (
        f"INSERT INTO {table} (indicator_id, org_unit_id, period, disaggregation, value, status,"
        " entered_by_id, entered_at, source, root_id)"
        " SELECT i, u, %s, '', v, %s, %s, %s, %s, r"
        " FROM unnest(%s::bigint[], %s::bigint[], %s::numeric[], %s::bigint[]) AS t(i, u, v, r)"
        + _ON_CONFLICT
    )
    if count:
        with connection.cursor() as cursor:
            cursor.execute(sql, [period, draft, user_id, now, source, *columns])
