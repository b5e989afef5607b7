"""The request id of the current request (or command), attached to every change record."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_REQUEST_ID: ContextVar[str] = ContextVar("gaodi_request_id", default="")
_REQUEST_ID_FORM = re.compile(r"[A-Za-z0-9_-]{8,64}")


def current_request_id() -> str:
    return _REQUEST_ID.get()


def new_request_id(prefix: str = "") -> str:
    """Start a unit of work outside a web request (a command, a test) with its own id."""
    value = prefix + uuid.uuid4().hex[:16]
    _REQUEST_ID.set(value)
    return value


class RequestIdMiddleware:
    """Give every request an id (or take X-Request-ID), echoed in the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        # A proxy's id is kept only when it looks like one; never free text into the record.
        trusted = incoming if _REQUEST_ID_FORM.fullmatch(incoming) else ""
        token = _REQUEST_ID.set(trusted or uuid.uuid4().hex)
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = _REQUEST_ID.get()
            return response
        finally:
            _REQUEST_ID.reset(token)
