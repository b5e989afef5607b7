"""Test set-up shared by the whole suite (pytest-django reads gaodi.settings from pyproject)."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import TransactionTestCase, override_settings

# The day the demo is looked at in the tests built on it.
DEMO_DAY = dt.date(2021, 6, 30)

# Fixtures of pytest-django that open the test database.
DATABASE_FIXTURES = frozenset(
    {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "admin_user",
        "admin_client",
    }
)
# The fixture of tests/browser/ that starts Chromium (every browser page depends on it).
BROWSER_FIXTURE = "chromium"


@pytest.fixture(scope="module")
def demo_once(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """`gaodi demo`'s plan, set up once per test module (about two seconds) in a transaction
    rolled back after the module. A test that takes it through a function fixture with `db`
    runs in a savepoint inside that transaction, so its own writes are undone after it and the
    next test sees the demo as set up."""
    from gaodi.demo import set_up_demo

    data = tmp_path_factory.mktemp("demo")
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(GAODI_TODAY=DEMO_DAY, GAODI_DATA_DIR=data),
    ):
        plan, _logins = set_up_demo()
        yield plan
        transaction.set_rollback(True)


@pytest.fixture
def plan(demo_once: Any, db: None, settings: Any) -> Any:
    """The demo plan as of DEMO_DAY, for a test that may write (undone after it). A module
    that needs another plan defines its own ``plan`` fixture, which wins over this one."""
    settings.GAODI_TODAY = DEMO_DAY
    demo_once.refresh_from_db()
    return demo_once


def pytest_configure(config: pytest.Config) -> None:
    # MD5 makes creating users cheap; real hashers are deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Django's Client.login authenticates without a request, which django-axes refuses; the
    # log-in lock-out is tested with it switched back on (tests/security/test_sessions.py).
    settings.AXES_ENABLED = False


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every database test `django_db`, and every test that drives Chromium `browser`.

    .ci/run reruns `pytest -m "django_db and not browser"` on PostgreSQL; a test that uses
    the `db` fixture or a Django TestCase without the mark would otherwise be skipped there
    silently, and a browser test without its mark would run twice.
    """
    for item in items:
        if item.get_closest_marker("django_db") is None and _uses_database(item):
            item.add_marker(pytest.mark.django_db)
        uses_browser = BROWSER_FIXTURE in getattr(item, "fixturenames", ())
        if uses_browser and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)


def _uses_database(item: pytest.Item) -> bool:
    if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    test_class = getattr(item, "cls", None)
    return test_class is not None and issubclass(test_class, TransactionTestCase)
