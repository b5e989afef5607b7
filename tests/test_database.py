"""The database layer behaves the same on SQLite (default) and PostgreSQL (DATABASE_URL).

.ci/run runs this module twice: once on SQLite, once on a throw-away PostgreSQL database.
"""

import datetime
import os
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
BUREAU = "区教育和体育局"


def test_every_migration_is_applied_and_the_user_table_is_usable():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []

    get_user_model().objects.create_user("liaison", password="pw")

    assert get_user_model().objects.get(username="liaison").check_password("pw")


def test_the_backend_is_the_one_database_url_names():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


def test_chinese_text_round_trips_exactly():
    user_model = get_user_model()
    user_model.objects.create_user("区教体局联络员", first_name=BUREAU, last_name="（牵头单位）")

    stored = user_model.objects.get(username="区教体局联络员")

    assert (stored.first_name, stored.last_name) == (BUREAU, "（牵头单位）")
    assert user_model.objects.filter(first_name__contains="教育和体育").count() == 1


def test_a_field_of_n_characters_holds_n_chinese_characters():
    # 150 characters are 450 bytes in UTF-8: a byte-counting column would cut or refuse them.
    long_name = (BUREAU * 22)[:150]
    user_model = get_user_model()
    user_model.objects.create_user("long", first_name=long_name)

    assert user_model.objects.get(username="long").first_name == long_name


def test_no_model_change_is_missing_a_migration():
    output = StringIO()
    # Exits with status 1 (SystemExit) when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    assert "No changes detected" in output.getvalue()


def test_aware_datetimes_round_trip_and_dates_fall_on_shanghai_days():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    # 00:30 on 1 July in Shanghai is still 30 June in UTC: the deadline day must be Shanghai's.
    moment = datetime.datetime(2021, 7, 1, 0, 30, tzinfo=SHANGHAI)
    user_model = get_user_model()
    user_model.objects.create_user("inspector", last_login=moment)

    stored = user_model.objects.get(username="inspector").last_login

    assert stored == moment
    assert timezone.is_aware(stored)
    assert timezone.localtime(stored).date() == datetime.date(2021, 7, 1)
    assert user_model.objects.filter(last_login__date=datetime.date(2021, 7, 1)).count() == 1
    assert user_model.objects.filter(last_login__date=datetime.date(2021, 6, 30)).count() == 0
