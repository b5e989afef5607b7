"""Reading Gaodi's configuration from the environment, failing fast on bad values.

Each helper takes the environment as a mapping (``os.environ`` in ``settings.py``, a plain
dict in tests) and either returns a typed value or raises ``ImproperlyConfigured`` with a
Chinese message that names the variable and shows an accepted value. An unset or empty
variable means "use the default".
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

Environ = Mapping[str, str]

DEFAULT_DATA_DIR = "gaodi-data"
SQLITE_FILE_NAME = "gaodi.sqlite3"
# Persistent connections double the request rate of a simple page (LIBRARIES.md).
CONN_MAX_AGE = 60

_TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
_FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def _raw(environ: Environ, name: str) -> str:
    """The variable's value without surrounding blanks; "" when unset."""
    return environ.get(name, "").strip()


def env_bool(environ: Environ, name: str, *, default: bool) -> bool:
    """A yes/no switch: 1/true/yes/on or 0/false/no/off, in any case."""
    value = _raw(environ, name)
    if not value:
        return default
    if value.lower() in _TRUE_WORDS:
        return True
    if value.lower() in _FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"环境变量 {name} 的值“{value}”不是开关值，"
        "应为 true 或 false（也可写 1/0、yes/no、on/off）。"
    )


def env_list(environ: Environ, name: str, *, default: Sequence[str]) -> list[str]:
    """A comma-separated list such as ``gaodi.example.cn,127.0.0.1``; blanks are dropped."""
    value = _raw(environ, name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(environ: Environ, name: str, *, default: int) -> int:
    """A positive whole number, such as a size limit in bytes (``10485760``)."""
    value = _raw(environ, name)
    if not value:
        return default
    if not value.isdigit() or int(value) <= 0:
        raise ImproperlyConfigured(
            f"环境变量 {name} 的值“{value}”不是正整数（例如 10485760 表示 10 MB）。"
        )
    return int(value)


def env_date(environ: Environ, name: str) -> datetime.date | None:
    """An ISO date (``2021-06-30``), or None when unset.

    Used for ``GAODI_TODAY``: the date the whole system takes as "today", so that a demo or an
    inspection can be run as of a past date (DESIGN.md, Rules of the house: Time).
    """
    value = _raw(environ, name)
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"环境变量 {name} 的值“{value}”不是有效的日期，应写成 年-月-日，例如 2021-06-30。"
        ) from None


def data_dir(environ: Environ) -> Path:
    """Where Gaodi keeps its files (the SQLite database among them): ``GAODI_DATA_DIR``.

    Defaults to ``gaodi-data`` in the current directory; always returned absolute, so that a
    later change of directory does not move the data.
    """
    return Path(_raw(environ, "GAODI_DATA_DIR") or DEFAULT_DATA_DIR).expanduser().resolve()


def database_config(environ: Environ) -> dict[str, Any]:
    """The ``DATABASES["default"]`` entry: ``DATABASE_URL`` if set, else SQLite in the data dir.

    Only computes the configuration; it creates no file or directory.
    """
    url = _raw(environ, "DATABASE_URL")
    if url:
        return _database_from_url(url)
    return _sqlite_database(data_dir(environ) / SQLITE_FILE_NAME)


def _database_from_url(url: str) -> dict[str, Any]:
    try:
        config = dj_database_url.parse(url, conn_max_age=CONN_MAX_AGE, conn_health_checks=True)
    except ValueError as error:  # UnknownSchemeError is a ValueError
        raise ImproperlyConfigured(
            "环境变量 DATABASE_URL 无法识别，应形如 "
            f"postgres://用户@主机:5432/库名 或 sqlite:////绝对路径/gaodi.sqlite3（{error}）"
        ) from None
    if not config.get("NAME"):
        raise ImproperlyConfigured(
            "环境变量 DATABASE_URL 缺少数据库名，应形如 postgres://用户@主机:5432/库名。"
        )
    return dict(config)


def _sqlite_database(path: Path) -> dict[str, Any]:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "CONN_MAX_AGE": CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # Writers queue for the lock at BEGIN instead of failing half-way through a
            # transaction with "database is locked"; WAL lets readers go on meanwhile.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # A 64 MB page cache: a large import (60,000 values and their indexes) stays in
            # memory until commit instead of spilling pages to disk half-way.
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA cache_size=-65536"
            ),
        },
    }


def secret_key(environ: Environ, *, debug: bool) -> str:
    """``GAODI_SECRET_KEY``; a fixed development key is accepted only when ``debug`` is on."""
    value = _raw(environ, "GAODI_SECRET_KEY")
    if value:
        return value
    if debug:
        return "django-insecure-gaodi-development-only"
    raise ImproperlyConfigured(
        "未设置环境变量 GAODI_SECRET_KEY。生产环境必须设置一个随机长字符串；"
        "开发时可设置 GAODI_DEBUG=true 以使用开发用密钥。"
    )


CREDITS_KEY_MIN = 32


def credits_key(environ: Environ) -> str:
    """``GAODI_CREDITS_KEY``: the key of the credit bank's protected data (ID numbers, their
    fingerprints, the schools' private signing keys), apart from ``GAODI_SECRET_KEY``; "" when
    unset (the credit bank then derives its keys from the secret key, as before). At least 32
    characters when set."""
    value = _raw(environ, "GAODI_CREDITS_KEY")
    if value and len(value) < CREDITS_KEY_MIN:
        raise ImproperlyConfigured(
            f"环境变量 GAODI_CREDITS_KEY 太短：至少 {CREDITS_KEY_MIN} 个字符（建议随机生成）。"
        )
    return value
