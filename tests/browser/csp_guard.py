"""Every page keeps to its Content-Security-Policy: nothing it needs is refused by the browser.

Gaodi sends a strict policy (no inline script or style, no eval; gaodi/settings.py). A page
that breaks it does not fail loudly: Chromium refuses the script or style, logs a console
error and carries on, half-working. The guard records those refusals so that the test fails
and names them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import ConsoleMessage, Page

# Chromium's wording: "Refused to execute inline script because it violates the following
# Content Security Policy directive: ..."
REFUSAL = "Content Security Policy"


class PolicyViolation(AssertionError):
    """The browser refused something a page asked for under its Content-Security-Policy."""


@dataclass
class CspGuard:
    """Records every CSP refusal Chromium reports on the console of a page."""

    refused: list[str] = field(default_factory=list)

    def install(self, page: Page) -> None:
        page.on("console", self._on_console)

    def check(self) -> None:
        """Raise PolicyViolation naming every refusal, if there was one."""
        if self.refused:
            lines = "\n".join(f"  {entry}" for entry in self.refused)
            raise PolicyViolation(
                "浏览器按内容安全策略（CSP）拒绝了页面的内容 / "
                f"the browser refused content under the page's CSP:\n{lines}"
            )

    def forget(self) -> None:
        """For a test that provoked a refusal on purpose and has checked it."""
        self.refused.clear()

    def _on_console(self, message: ConsoleMessage) -> None:
        if REFUSAL in message.text:
            self.refused.append(f"{message.location.get('url', '')}: {message.text}")
