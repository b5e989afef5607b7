"""The browser test machinery itself: Chromium starts, axe runs, screenshots, the network guard.

Independent of Gaodi's pages, which are still being built.
"""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from playwright.sync_api import Error, Page

from .accessibility import assert_accessible
from .network_guard import ForeignRequest, NetworkGuard
from .screenshots import VIEWPORT, shot

pytestmark = pytest.mark.browser

MINIMAL_PAGE = "<html lang='zh-CN'><title>测试</title><main><h1>高地</h1></main></html>"


def png_size(path: Path) -> tuple[int, int]:
    # Width and height are the first fields of the IHDR chunk, right after the signature.
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return width, height


def test_a_minimal_chinese_page_is_accessible_and_photographed(page: Page, tmp_path: Path) -> None:
    page.set_content(MINIMAL_PAGE)
    assert page.locator("h1").inner_text() == "高地"

    assert_accessible(page)
    # Not in docs/manual/screenshots: this page is not part of the manual.
    path = shot(page, "smoke", directory=tmp_path)

    assert png_size(path) == (VIEWPORT["width"], VIEWPORT["height"])


def test_a_page_without_a_language_or_title_fails_the_accessibility_check(page: Page) -> None:
    page.set_content("<html><main><img src='data:,'></main></html>")

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)

    message = str(failure.value)
    for rule in ("html-has-lang", "document-title", "image-alt"):
        assert rule in message
    assert "(serious)" in message and "img" in message


def test_a_request_off_this_machine_is_blocked_and_recorded(
    page: Page, network_guard: NetworkGuard
) -> None:
    with pytest.raises(Error, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto("http://example.com/")

    with pytest.raises(ForeignRequest, match=r"GET http://example\.com/ \(document\)"):
        network_guard.check()
    # Provoked on purpose and checked: the page fixture's own check must not fail the test.
    network_guard.forget()


def test_requests_to_the_live_server_pass_the_guard(
    page: Page, network_guard: NetworkGuard
) -> None:
    response = page.goto("/no-such-page/")

    assert response is not None and response.status == 404
    assert network_guard.blocked == []
