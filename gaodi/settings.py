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
| ``GAODI_PUBLIC_URL`` | the site's public address, named in issued credentials (学分银行) | |
| | so that anyone can verify them | ``http://localhost:8000`` |
| ``GAODI_CREDITS_KEY`` | key (32+ characters) of the credit bank's ID numbers, their | (derived |
| | fingerprints and the schools' private signing keys; | from the |
| | rotate with ``gaodi credits-rekey`` (docs/security.md) | secret key) |
| ``GAODI_HTTPS`` | served over HTTPS: secure cookies, HSTS, redirect to HTTPS | false |
| ``GAODI_BEHIND_PROXY`` | one reverse proxy in front: trust ``X-Forwarded-Proto`` and | false |
| | the last ``X-Forwarded-For`` entry (the address the proxy saw) | |
| ``GAODI_HSTS_SECONDS`` | HSTS max-age when ``GAODI_HTTPS`` is on | ``31536000`` |
| ``GAODI_SESSION_HOURS`` | a sign-in lasts at most this long (and ends with the browser) | ``8`` |
| ``GAODI_LOGIN_FAILURE_LIMIT`` | wrong passwords that lock a user name from one address | ``5`` |
| ``GAODI_LOGIN_COOLOFF_MINUTES`` | how long that lock-out lasts | ``15`` |

Sessions, log-in and security headers: docs/security.md, "会话与登录（Sessions and log-in）".
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from gaodi.config import (
    credits_key,
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
GAODI_PUBLIC_URL = os.environ.get("GAODI_PUBLIC_URL", "http://localhost:8000").rstrip("/")
# 学分银行: the key of ID numbers, fingerprints and private signing keys ("" = from SECRET_KEY)
GAODI_CREDITS_KEY = credits_key(os.environ)

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
    "gaodi.specialties",
    "gaodi.achievements",
    "gaodi.enterprises",
    "gaodi.training",
    "gaodi.funding",
    "gaodi.teachers",
    "gaodi.credits",
    "gaodi.portal",
    "gaodi.ops",
    "axes",  # log-in throttling and lock-out (AXES_* below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "gaodi.audit.context.RequestIdMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lock-out flagged during log-in into the 429 page.
    "axes.middleware.AxesMiddleware",
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
                "gaodi.typed.context",
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
# Every request's files stay in memory and stop at the limit (no temporary files of any size
# from a multipart POST to, say, the log-in page); the upload views install their own limits.
FILE_UPLOAD_HANDLERS = ["gaodi.files.uploads.MemoryOnlyUploadHandler"]

# 待办 reminders: the in-app inbox always, plus these notifiers (dotted paths of classes with
# send(notification)); e-mail goes through EMAIL_BACKEND, the console unless configured.
GAODI_NOTIFIERS = ["gaodi.supervision.notify.EmailNotifier"]
EMAIL_BACKEND = os.environ.get(
    "GAODI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("GAODI_FROM_EMAIL", "gaodi@localhost")

# Password policy, applied wherever a person chooses a password (the password-change page,
# gaodi createuser); Django's rules and Chinese messages (the length rule's own wording in
# accounts/passwords.py). accounts.services takes the password as given, so that fixtures and
# the demo may use short ones.
PASSWORD_MIN_LENGTH = 12
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "gaodi.accounts.passwords.MinimumLengthValidator",  # Chinese message
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Log-in throttling (django-axes): after GAODI_LOGIN_FAILURE_LIMIT wrong passwords for one
# user name from one address, that pair is refused for GAODI_LOGIN_COOLOFF_MINUTES; other
# people in the same office (same address) and the same person elsewhere still sign in.
# The axes backend goes first so that a locked pair is refused before the password is
# checked. Django's test Client.login passes no request, which axes refuses: conftest.py
# turns axes off for the test run and tests/security/test_sessions.py turns it back on.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int(os.environ, "GAODI_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=env_int(os.environ, "GAODI_LOGIN_COOLOFF_MINUTES", default=15)
)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# A try during the lock-out does not extend it: the page promises a time and keeps it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True  # a right password clears the count of earlier slips
AXES_LOCKOUT_CALLABLE = "gaodi.accounts.lockout.locked_out_response"
AXES_CLIENT_IP_CALLABLE = "gaodi.accounts.lockout.client_ip"
AXES_COOLOFF_MESSAGE = _("登录失败次数过多，已暂时锁定，请稍后再试。")
AXES_PERMALOCK_MESSAGE = _("登录失败次数过多，已锁定，请联系工作专班解锁。")

# Sessions and cookies. Behind TLS (GAODI_HTTPS) the cookies travel only over HTTPS and the
# browser is told to use HTTPS only (HSTS). GAODI_BEHIND_PROXY trusts the one reverse proxy
# in front for the scheme (X-Forwarded-Proto) and the client address (X-Forwarded-For); set
# it only when the proxy overwrites those headers and Gaodi is not reachable around it.
GAODI_HTTPS = env_bool(os.environ, "GAODI_HTTPS", default=False)
GAODI_BEHIND_PROXY = env_bool(os.environ, "GAODI_BEHIND_PROXY", default=False)
SESSION_COOKIE_AGE = env_int(os.environ, "GAODI_SESSION_HOURS", default=8) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True  # office computers are shared
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages send the token from the form field, never the cookie
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = GAODI_HTTPS
SECURE_SSL_REDIRECT = GAODI_HTTPS
SECURE_HSTS_SECONDS = (
    env_int(os.environ, "GAODI_HSTS_SECONDS", default=365 * 24 * 60 * 60) if GAODI_HTTPS else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = GAODI_HTTPS
if GAODI_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HSTS preload only means something for a registrable domain submitted to the browsers'
# built-in list, a step that binds every site under that domain to HTTPS for good. Gaodi is
# one host of a district's domain and cannot promise that for the domain's other sites; so no
# preload, and Django's reminder about it (security.W021) is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]

# Headers. X-Frame-Options and CSP frame-ancestors both forbid framing (clickjacking).
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp): everything from this server, no inline script or
# style, no eval. Data blocks (json_script) are not executed and need nothing; ECharts and
# Swagger UI set styles through the CSSOM, which CSP allows, and ECharts draws its tooltips
# on the canvas (charts.js). data: images are Swagger UI's SVG icons. A response that sets
# its own policy (an evidence file's sandbox) keeps it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

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
