"""What a user typed into a form that was refused is not lost: the view keeps the posted values
in the session (`keep`) before it redirects back with its Chinese message; the next page
rendered takes them out again (`context`, a context processor) and `gaodi/typed.js` puts them
back into the form marked `data-typed="<name>"`. Secrets are never kept (ID numbers,
passwords, the CSRF token), nor files."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

SESSION_KEY = "gaodi_typed"
NEVER = frozenset({"csrfmiddlewaretoken", "id_number", "password", "password1", "password2"})


def keep(request: HttpRequest, form: str) -> None:
    """Keep what was posted to the form called `form` for the next page."""
    values = {key: request.POST.getlist(key) for key in request.POST if key not in NEVER}
    request.session[SESSION_KEY] = {"form": form, "values": values}


def context(request: HttpRequest) -> dict[str, Any]:
    """`typed_form` for the page rendered after a refusal (then forgotten)."""
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return {}
    return {"typed_form": session.pop(SESSION_KEY)}
