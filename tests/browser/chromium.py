"""Debian's Chromium, driven by Playwright; never a browser that Playwright downloads."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")

# Root on a closed network (DEVELOPERS.md, "Browser tests"). Playwright gives every launch
# a fresh temporary profile itself. The last flag is a second line behind the network
# guard: Chromium resolves no host but this machine's, so nothing it fetches on its own
# (outside any page, where the guard cannot see) can leave the machine either.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
]

MISSING = (
    "浏览器测试需要 Debian 的 chromium / browser tests need Debian's Chromium at {path}: "
    "apt-get update && apt-get install -y chromium fonts-noto-cjk "
    "(.ci/run installs it; never `playwright install`, which cannot download here)"
)


def missing_chromium() -> str | None:
    """Why Chromium cannot start, or None when it is there."""
    if os.access(CHROMIUM, os.X_OK):
        return None
    return MISSING.format(path=CHROMIUM)


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
