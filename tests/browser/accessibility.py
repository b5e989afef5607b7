"""WCAG 2.1 A/AA checks with axe-core, vendored for the tests (vendor/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Moderate and minor findings are worth reading but do not stop a page from being used.
BLOCKING = frozenset({"serious", "critical"})
TARGETS_SHOWN = 3

RUN_AXE = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}})"""


def assert_accessible(page: Page) -> None:
    """Fail on every serious or critical WCAG 2.1 A/AA violation on the page as it is now."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=AXE)
    results = page.evaluate(RUN_AXE, WCAG_21_AA)
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, describe(page.url, blocking)


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
