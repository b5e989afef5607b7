"""Screenshots for the user manual (docs/manual/), taken by the browser tests."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, ViewportSize

MANUAL_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "manual" / "screenshots"
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


def shot(
    page: Page, name: str, *, full_page: bool = False, directory: Path = MANUAL_SCREENSHOTS
) -> Path:
    """Save what the page shows as NAME.png and return its path.

    The viewport only (1280x800) unless full_page: long lists make huge PNGs. Animations
    and the caret are frozen so that an unchanged page gives an unchanged picture.
    """
    path = directory / f"{name}.png"
    directory.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=full_page, animations="disabled", caret="hide")
    return path
