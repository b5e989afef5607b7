"""Test set-up shared by the whole suite (pytest-django reads gaodi.settings from pyproject)."""

import pytest
from django.conf import settings
from django.test import TransactionTestCase

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


def pytest_configure(config: pytest.Config) -> None:
    # MD5 makes creating users cheap; real hashers are deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every database test `django_db`, however it reaches the database.

    .ci/run reruns `pytest -m django_db` on PostgreSQL; a test that uses the `db` fixture or
    a Django TestCase without the mark would otherwise be skipped there silently.
    """
    for item in items:
        if item.get_closest_marker("django_db") is None and _uses_database(item):
            item.add_marker(pytest.mark.django_db)


def _uses_database(item: pytest.Item) -> bool:
    if DATABASE_FIXTURES.intersection(getattr(item, "fixturenames", ())):
        return True
    test_class = getattr(item, "cls", None)
    return test_class is not None and issubclass(test_class, TransactionTestCase)
