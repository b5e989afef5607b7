"""Django settings for Gaodi, read from the environment (see ``gaodi/config.py``).

| variable | meaning | default |
|---|---|---|
| ``GAODI_DEBUG`` | Django debug mode | false |
| ``GAODI_SECRET_KEY`` | signing key; required unless debug is on | (development key in debug) |
| ``GAODI_ALLOWED_HOSTS`` | comma-separated host names | ``localhost,127.0.0.1`` |
| ``GAODI_CSRF_TRUSTED_ORIGINS`` | comma-separated origins behind a proxy | (none) |
| ``GAODI_DATA_DIR`` | data directory; holds ``gaodi.sqlite3`` | ``./gaodi-data`` |
| ``DATABASE_URL`` | e.g. ``postgres://user@host:5432/gaodi``; overrides SQLite | (SQLite) |
| ``GAODI_TODAY`` | ISO date taken as "today" for demos and inspections | (the real date) |
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

from gaodi.config import (
    data_dir,
    database_config,
    env_bool,
    env_date,
    env_int,
    env_list,
    secret_key,
)

BASE_DIR = Path(__file__).resolve().parent

# pytest-django imports these settings before any conftest.py runs, so a flag set there
# would come too late: a test run is recognised by pytest being loaded. It only relaxes the
# secret-key requirement (tests need no secret); conftest.py sets the fast password hasher.
TESTING = "pytest" in sys.modules

DEBUG = env_bool(os.environ, "GAODI_DEBUG", default=False)
SECRET_KEY = secret_key(os.environ, debug=DEBUG or TESTING)
ALLOWED_HOSTS = env_list(os.environ, "GAODI_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list(os.environ, "GAODI_CSRF_TRUSTED_ORIGINS", default=[])

# "Today" is a setting so that a demo or an inspection can run as of a past date; nothing
# reads the clock directly (DESIGN.md). None means the real date.
GAODI_TODAY: datetime.date | None = env_date(os.environ, "GAODI_TODAY")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "gaodi.orgs",
    "gaodi.accounts",
    "gaodi.audit",
    "gaodi.plans",
    "gaodi.indicators",
    "gaodi.supervision",
    "gaodi.portal",
    "gaodi.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gaodi.audit.context.RequestIdMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gaodi.urls"
WSGI_APPLICATION = "gaodi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gaodi.today.today_context",
                "gaodi.supervision.context.unread",
            ],
        },
    },
]

# Database: SQLite in GAODI_DATA_DIR by default, DATABASE_URL (PostgreSQL) in production.
GAODI_DATA_DIR = data_dir(os.environ)
DATABASES = {"default": database_config(os.environ)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite creates the file but not its directory.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Upload size limits in bytes: spreadsheets (templates, CSV) and evidence files.
GAODI_UPLOAD_MAX_BYTES = env_int(os.environ, "GAODI_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
GAODI_EVIDENCE_MAX_BYTES = env_int(os.environ, "GAODI_EVIDENCE_MAX_BYTES", default=20 * 1024 * 1024)

# 待办 reminders: the in-app inbox always, plus these notifiers (dotted paths of classes with
# send(notification)); e-mail goes through EMAIL_BACKEND, the console unless configured.
GAODI_NOTIFIERS = ["gaodi.supervision.notify.EmailNotifier"]
EMAIL_BACKEND = os.environ.get(
    "GAODI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("GAODI_FROM_EMAIL", "gaodi@localhost")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Language and time: 简体中文 first, English available; Asia/Shanghai, aware datetimes.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = GAODI_DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # gaodi serve works without a collectstatic step
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise looks there first
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "plans:home"
LOGOUT_REDIRECT_URL = "portal:home"
