"""WCAG 2.1 A/AA checks with axe-core, vendored for the tests (vendor/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# Gaodi's pages refuse inline scripts (Content-Security-Policy), so axe is loaded from an
# address of the page's own origin, answered by the browser from the vendored file.
AXE_PATH = "/__tests__/axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Moderate and minor findings are worth reading but do not stop a page from being used.
BLOCKING = frozenset({"serious", "critical"})
TARGETS_SHOWN = 3

RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})"""


def assert_accessible(page: Page) -> None:
    """Fail on every serious or critical WCAG 2.1 A/AA violation on the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        load_axe(page)
    results = page.evaluate(RUN_AXE, WCAG_21_AA)
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, describe(page.url, blocking)


def load_axe(page: Page) -> None:
    if not page.url.startswith("http"):  # a page of set_content: no policy, inline is fine
        page.add_script_tag(path=AXE)
        return
    url = urljoin(page.url, AXE_PATH)
    page.route(url, lambda route: route.fulfill(path=AXE, content_type="text/javascript"))
    page.add_script_tag(url=url)


def describe(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} serious/critical accessibility violation(s) on {url}:"]
    for violation in violations:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:TARGETS_SHOWN]]
        more = len(violation["nodes"]) - len(targets)
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" — {', '.join(targets)}" + (f" (+{more} more)" if more > 0 else "")
        )
    return "\n".join(lines)
