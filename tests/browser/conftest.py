"""Browser tests: Playwright driving Debian's Chromium against Django's live_server.

Fixtures: `chromium` (one browser for the session), `network_guard`, `csp_guard`, `page`
(a fresh context on the live server, 1280x800, zh-CN, failing on any foreign request or CSP
refusal), `reference_plan` (the reference plan and one user per role). Helpers:
personas.login, accessibility.assert_accessible, screenshots.shot.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from pytest_django.live_server_helper import LiveServer

from .chromium import launch, missing_chromium
from .csp_guard import CspGuard
from .network_guard import NetworkGuard
from .personas import ReferencePlan, create_reference_plan
from .screenshots import VIEWPORT

# Playwright's sync API keeps an event loop in the main thread, so Django would refuse
# database calls from the tests ("SynchronousOnlyOperation"). The tests call Django
# synchronously and on purpose; the browser tests only (LIBRARIES.md). It has to be set for
# the rest of the session: the browser, and so its loop, outlives the first browser test.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# A page that hangs fails in seconds, not after Playwright's default 30.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    why = missing_chromium()
    if why:
        # Fail, never skip: CI installs Chromium, so a missing one is a broken machine.
        pytest.fail(why, pytrace=False)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def network_guard() -> NetworkGuard:
    return NetworkGuard()


@pytest.fixture
def csp_guard() -> CspGuard:
    return CspGuard()


@pytest.fixture
def page(
    chromium: Browser, live_server: LiveServer, network_guard: NetworkGuard, csp_guard: CspGuard
) -> Iterator[Page]:
    context = chromium.new_context(
        base_url=live_server.url,
        viewport=VIEWPORT,
        device_scale_factor=1,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        # Requests a service worker makes would bypass the guard.
        service_workers="block",
    )
    context.set_default_timeout(TIMEOUT_MS)
    network_guard.install(context)
    page = context.new_page()
    csp_guard.install(page)
    yield page
    # One round trip to the browser delivers requests still queued for the guard (any
    # call would do; this one works whatever state the page is in).
    context.cookies()
    context.close()
    network_guard.check()
    csp_guard.check()


@pytest.fixture
def reference_plan(transactional_db: None) -> ReferencePlan:
    return create_reference_plan()


@pytest.fixture(autouse=True)
def as_of_the_demo_day(settings: Any) -> None:
    """The journeys run as of the demo's day (GAODI_TODAY), so pages look as in gaodi demo."""
    import datetime as dt

    from gaodi.today import DEMO_TODAY

    settings.GAODI_TODAY = dt.date.fromisoformat(DEMO_TODAY)
