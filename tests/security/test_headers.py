"""Security headers (issue 6): CSP without inline script, framing refused, referrer kept to
the site, HSTS behind TLS; no template needs inline code; `check --deploy` is clean."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

REPO_ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((REPO_ROOT / "gaodi").glob("**/templates/**/*.html"))
# The pages a person, the public and a machine reach: a sign-in page, the portal, the API.
PAGES = ["/accounts/login/", "/", "/api/v1/public/plans", "/api/v1/docs"]


def policy_of(response: Any) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {words[0]: words[1:] for words in directives if words}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_every_kind_of_page_carries_the_security_headers(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    policy = policy_of(response)
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == policy["form-action"] == ["'self'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_hsts_is_sent_only_when_the_site_is_served_over_https(settings: Any) -> None:
    assert "Strict-Transport-Security" not in Client().get("/accounts/login/")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.django_db
def test_behind_tls_plain_http_is_sent_to_https(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


# Inline code would be refused by the policy above, so no template may carry any.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|<[^>]*\sstyle\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"javascript:", re.IGNORECASE)
TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.DOTALL)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_template_has_inline_script_handlers_or_styles(template: Path) -> None:
    text = TEMPLATE_COMMENT.sub("", template.read_text(encoding="utf-8"))
    for rule in (INLINE_SCRIPT, EVENT_HANDLER, INLINE_STYLE, JAVASCRIPT_URL):
        assert not rule.search(text), f"{rule.pattern} in {template.name}"


def test_the_inline_code_rules_would_catch_what_they_are_for() -> None:
    assert INLINE_SCRIPT.search("<script>alert(1)</script>")
    assert not INLINE_SCRIPT.search('<script src="/static/gaodi/charts.js" defer></script>')
    assert EVENT_HANDLER.search('<button type="button" onclick="go()">')
    assert INLINE_STYLE.search('<div style="overflow-x:auto">')
    assert not EVENT_HANDLER.search("<p>one = 1</p>")


@pytest.mark.slow
def test_check_deploy_is_clean_with_the_production_environment(tmp_path: Path) -> None:
    environ = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests for live_server, never in production
        if not k.startswith("GAODI_")
        and k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE"}
    }
    environ.update(
        {
            "GAODI_SECRET_KEY": secrets.token_urlsafe(64),
            "GAODI_HTTPS": "1",
            "GAODI_BEHIND_PROXY": "1",
            "GAODI_ALLOWED_HOSTS": "gaodi.example.cn",
            "GAODI_DATA_DIR": str(tmp_path),
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env={**environ, "DJANGO_SETTINGS_MODULE": "gaodi.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr
