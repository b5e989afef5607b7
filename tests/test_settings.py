"""Configuration from the environment: typed values, defaults, and Chinese errors that fail fast.

These tests touch no database.
"""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from gaodi.config import (
    CONN_MAX_AGE,
    data_dir,
    database_config,
    env_bool,
    env_date,
    env_list,
    secret_key,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_today_accepts_an_iso_date():
    assert env_date({"GAODI_TODAY": "2021-06-30"}, "GAODI_TODAY") == datetime.date(2021, 6, 30)


def test_today_is_the_real_date_when_unset_or_empty():
    assert env_date({}, "GAODI_TODAY") is None
    assert env_date({"GAODI_TODAY": "  "}, "GAODI_TODAY") is None


def test_today_rejects_an_impossible_date_in_chinese():
    with pytest.raises(ImproperlyConfigured) as raised:
        env_date({"GAODI_TODAY": "2021-13-40"}, "GAODI_TODAY")
    message = str(raised.value)
    assert "GAODI_TODAY" in message
    assert "2021-13-40" in message
    assert "不是有效的日期" in message
    assert "2021-06-30" in message  # shows a value that would work


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("true", True),
        ("ON", True),
        ("1", True),
        ("false", False),
        ("No", False),
        ("0", False),
        ("", True),
    ],
)
def test_switches_accept_the_usual_words(raw, expected):
    assert env_bool({"GAODI_DEBUG": raw}, "GAODI_DEBUG", default=True) is expected


def test_switches_reject_anything_else_in_chinese():
    with pytest.raises(ImproperlyConfigured, match="不是开关值"):
        env_bool({"GAODI_DEBUG": "maybe"}, "GAODI_DEBUG", default=False)


def test_lists_are_split_on_commas_without_blanks():
    environ = {"GAODI_ALLOWED_HOSTS": " gaodi.example.cn, ,127.0.0.1 "}
    assert env_list(environ, "GAODI_ALLOWED_HOSTS", default=["localhost"]) == [
        "gaodi.example.cn",
        "127.0.0.1",
    ]
    assert env_list({}, "GAODI_ALLOWED_HOSTS", default=["localhost"]) == ["localhost"]


def test_database_url_selects_postgresql():
    config = database_config({"DATABASE_URL": "postgres://gaodi@db.internal:5433/gaodi"})
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "gaodi")
    assert config["USER"] == "gaodi"
    assert config["CONN_MAX_AGE"] == CONN_MAX_AGE


def test_database_url_overrides_the_data_dir(tmp_path):
    config = database_config(
        {"DATABASE_URL": "postgresql://postgres@127.0.0.1/gaodi", "GAODI_DATA_DIR": str(tmp_path)}
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"


def test_an_unknown_database_url_is_refused_in_chinese():
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL 无法识别"):
        database_config({"DATABASE_URL": "oracel://x@y/z"})


def test_default_sqlite_file_lives_in_the_data_dir_and_is_not_created_yet(tmp_path):
    data = tmp_path / "office"
    config = database_config({"GAODI_DATA_DIR": str(data)})
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(config["NAME"]) == data / "gaodi.sqlite3"
    assert not data.exists()


def test_the_default_data_dir_is_gaodi_data_in_the_current_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert data_dir({}) == tmp_path.resolve() / "gaodi-data"
    assert Path(database_config({})["NAME"]) == tmp_path.resolve() / "gaodi-data" / "gaodi.sqlite3"


def test_production_needs_a_secret_key():
    with pytest.raises(ImproperlyConfigured, match="GAODI_SECRET_KEY"):
        secret_key({}, debug=False)
    assert secret_key({"GAODI_SECRET_KEY": "s3cr3t"}, debug=False) == "s3cr3t"
    assert secret_key({}, debug=True).startswith("django-insecure-")


def test_the_site_speaks_simplified_chinese_in_shanghai_time():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ and settings.USE_I18N


def _import_settings(tmp_path: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    """Import gaodi.settings in a fresh interpreter, with only the given Gaodi variables."""
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith("GAODI_") and k != "DATABASE_URL"
    }
    environ.update({"GAODI_DATA_DIR": str(tmp_path / "data"), **variables})
    return subprocess.run(
        [sys.executable, "-c", "import gaodi.settings as s; print(s.GAODI_TODAY, s.DEBUG)"],
        cwd=REPO_ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_expose_gaodi_today_as_a_date(tmp_path):
    result = _import_settings(tmp_path, GAODI_DEBUG="true", GAODI_TODAY="2021-06-30")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2021-06-30", "True"]


def test_settings_refuse_to_start_on_a_bad_gaodi_today(tmp_path):
    result = _import_settings(tmp_path, GAODI_DEBUG="true", GAODI_TODAY="2021-13-40")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "不是有效的日期" in result.stderr


def test_settings_refuse_to_start_in_production_without_a_secret_key(tmp_path):
    result = _import_settings(tmp_path)
    assert result.returncode != 0
    assert "未设置环境变量 GAODI_SECRET_KEY" in result.stderr


def test_a_size_limit_is_a_positive_whole_number() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from gaodi.config import env_int

    assert env_int({}, "GAODI_UPLOAD_MAX_BYTES", default=5) == 5
    assert env_int({"GAODI_UPLOAD_MAX_BYTES": "2048"}, "GAODI_UPLOAD_MAX_BYTES", default=5) == 2048
    for bad in ("10MB", "0", "-1"):
        with pytest.raises(ImproperlyConfigured, match="不是正整数"):
            env_int({"GAODI_UPLOAD_MAX_BYTES": bad}, "GAODI_UPLOAD_MAX_BYTES", default=5)
