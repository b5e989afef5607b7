"""The crash tests run once per database: SQLite in the default run, PostgreSQL in the
PostgreSQL stage of .ci/run.

The PostgreSQL variant carries `django_db`, so `-m "django_db and not browser"` selects it; it
makes a throw-away database of its own on the server DATABASE_URL names. When the run's
DATABASE_URL is not PostgreSQL (the SQLite stage, a developer's `pytest`) it is deselected —
shown in the summary as deselected, never a silent skip; where it is selected, an unreachable
server fails it.
"""

from __future__ import annotations

import os

import pytest

POSTGRES_SCHEMES = ("postgres://", "postgresql://")


def run_is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(POSTGRES_SCHEMES)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if run_is_postgres():
        return
    dropped = [
        item
        for item in items
        if "tests/crash/" in item.nodeid
        and getattr(getattr(item, "callspec", None), "params", {}).get("site") == "postgresql"
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]
