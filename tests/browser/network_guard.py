"""Every request a page makes stays on this machine: Gaodi must work on an isolated intranet.

A page that loads a font, a script or a map tile from the internet works in development
and breaks in a district office. The guard aborts such a request, so the page behaves as it
would there, and records it, so that the test fails and names what was fetched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Route, WebSocketRoute

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})
# URLs that carry their content and reach no host.
HOSTLESS_SCHEMES = frozenset({"data", "blob", "about"})
EVERYTHING = re.compile(".*")


class ForeignRequest(AssertionError):
    """A page asked for something that is not on this machine."""


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in HOSTLESS_SCHEMES:
        return True
    return parts.hostname in LOCAL_HOSTS


@dataclass
class NetworkGuard:
    """Aborts and records every request of a browser context to a host other than this one."""

    blocked: list[str] = field(default_factory=list)

    def install(self, context: BrowserContext) -> None:
        context.route("**/*", self._on_request)
        context.route_web_socket(EVERYTHING, self._on_web_socket)

    def check(self) -> None:
        """Raise ForeignRequest naming every blocked request, if there was one."""
        if self.blocked:
            lines = "\n".join(f"  {entry}" for entry in self.blocked)
            raise ForeignRequest(
                "页面请求了本机以外的地址（内网中无法访问）/ "
                f"the page asked for addresses off this machine (blocked):\n{lines}"
            )

    def forget(self) -> None:
        """For a test that provoked a blocked request on purpose and has checked it."""
        self.blocked.clear()

    def _on_request(self, route: Route) -> None:
        request = route.request
        if is_local(request.url):
            route.continue_()
            return
        self.blocked.append(f"{request.method} {request.url} ({request.resource_type})")
        route.abort("blockedbyclient")

    def _on_web_socket(self, socket: WebSocketRoute) -> None:
        if is_local(socket.url):
            socket.connect_to_server()
            return
        self.blocked.append(f"WebSocket {socket.url}")
        socket.close()
