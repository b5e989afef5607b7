"""Screenshots for the user manual (docs/manual/), taken by the browser tests."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playwright.sync_api import Page, ViewportSize

MANUAL_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "manual" / "screenshots"
# An ordinary test run keeps its pictures out of the work tree (they differ run to run: times,
# ids); GAODI_UPDATE_MANUAL=1 writes them into docs/manual/screenshots for the manual.
RUN_SCREENSHOTS = Path(tempfile.gettempdir()) / "gaodi-screenshots"


def default_directory() -> Path:
    return MANUAL_SCREENSHOTS if os.environ.get("GAODI_UPDATE_MANUAL") == "1" else RUN_SCREENSHOTS


VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


def shot(page: Page, name: str, *, full_page: bool = False, directory: Path | None = None) -> Path:
    """Save what the page shows as NAME.png and return its path.

    The viewport only (1280x800) unless full_page: long lists make huge PNGs. Animations
    and the caret are frozen so that an unchanged page gives an unchanged picture.
    """
    directory = directory or default_directory()
    path = directory / f"{name}.png"
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=full_page, animations="disabled", caret="hide")
    return path
