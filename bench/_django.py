"""A throw-away Django database for benchmarks that need one.

    from _django import throwaway_database

    def run(scale: str) -> dict:
        with throwaway_database("rollup") as vendor:   # "sqlite" or "postgresql"
            ...                                        # Django is set up and migrated

SQLite by default: a new ``gaodi.sqlite3`` in a temporary directory (``GAODI_DATA_DIR``), with
the production settings of ``gaodi/config.py`` (WAL, immediate transactions), removed on exit.
PostgreSQL when ``GAODI_BENCH_DATABASE_URL`` is set (``postgres://postgres@127.0.0.1:5432/
gaodi_bench``): a database named after it, the benchmark and the process id
(``gaodi_bench_rollup_1234``) is created, migrated, and dropped on exit; the named database
itself need not exist. Debug mode is off: it would record every query and slow the timed code.
A second use in the same process (``bench/run.py all``) gets a fresh database too.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

BENCH_DATABASE_URL = "GAODI_BENCH_DATABASE_URL"
_configured = False


@contextmanager
def throwaway_database(label: str) -> Iterator[str]:
    """Django on a new, migrated database for the ``with`` block; yields the vendor name."""
    url = os.environ.get(BENCH_DATABASE_URL, "").strip()
    data_dir = tempfile.mkdtemp(prefix=f"gaodi-bench-{label}-")
    database_url = _create_postgresql(url, label) if url else ""
    try:
        _point_django_at(data_dir, database_url)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", interactive=False, verbosity=0)
        yield connection.vendor
    finally:
        from django.db import connections

        connections.close_all()
        if database_url:
            _drop_postgresql(database_url)
        shutil.rmtree(data_dir, ignore_errors=True)


def _point_django_at(data_dir: str, database_url: str) -> None:
    global _configured
    os.environ["GAODI_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    if not _configured:
        os.environ["DJANGO_SETTINGS_MODULE"] = "gaodi.settings"
        os.environ["GAODI_DEBUG"] = "false"
        os.environ.setdefault("GAODI_SECRET_KEY", "gaodi-benchmark-only")
        import django

        django.setup()
        _configured = True
        return
    # Already set up by an earlier benchmark of this run: swap the default database.
    from django.db import connections

    from gaodi.config import database_config

    connections.close_all()
    # Replaced whole, not updated: SQLite's OPTIONS (transaction_mode) mean nothing to psycopg.
    fresh = connections.configure_settings({"default": database_config(os.environ)})
    connections.settings["default"] = fresh["default"]
    del connections["default"]


def _create_postgresql(url: str, label: str) -> str:
    """Create ``<name>_<label>_<pid>`` next to the database the URL names; its URL."""
    import psycopg

    parts = urlsplit(url)
    name = re.sub(r"\W", "_", f"{parts.path.lstrip('/') or 'gaodi_bench'}_{label}_{os.getpid()}")
    with psycopg.connect(_maintenance(url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    return urlunsplit(parts._replace(path=f"/{name}"))


def _drop_postgresql(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(_maintenance(url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _maintenance(url: str) -> str:
    """The same server's ``postgres`` database, to create and drop others from."""
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))
