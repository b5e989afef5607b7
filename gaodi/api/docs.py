"""The API docs page (Swagger UI) served whole from this server: intranets have no internet.

django-ninja renders its local template only when "ninja" is in INSTALLED_APPS and otherwise
falls back to a template that loads Swagger UI from cdn.jsdelivr.net and its favicon from
django-ninja.dev. Rather than depend on that switch (and on collectstatic), the page is
rendered here and ninja's bundled Swagger UI files are served by `swagger_asset` below.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.urls import reverse
from django.views.decorators.http import require_GET
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

BUNDLED = Path(ninja.__file__).parent / "static" / "ninja"
PAGE = Path(__file__).parent / "templates" / "api" / "swagger.html"
ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui.css.map": "application/json",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui-bundle.js.map": "application/json",
    "swagger-ui-init.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
    "favicon.png": "image/png",
}
ASSET_URL_NAME = "api-docs-asset"

# Swagger UI would send the schema's address to validator.swagger.io; null turns that off.
SWAGGER_SETTINGS: dict[str, Any] = {
    "layout": "BaseLayout",
    "deepLinking": True,
    "validatorUrl": None,
}


def asset_url(name: str) -> str:
    """The local address of a bundled file; the ninja version busts browser caches."""
    return reverse(ASSET_URL_NAME, kwargs={"name": name}) + "?v=" + ninja.__version__


class LocalSwagger(DocsBase):
    """Swagger UI whose every script, stylesheet and icon comes from this server."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**SWAGGER_SETTINGS, "url": self.get_openapi_url(api, kwargs)}
        context = {
            "title": api.title,
            "swagger_settings": settings,
            # The docs' "Try it out" posts with the session; ninja's init script sends this.
            "csrf_token": get_token(request) if request.user.is_authenticated else "",
            "assets": {
                "css": asset_url("swagger-ui.css"),
                "bundle": asset_url("swagger-ui-bundle.js"),
                "init": asset_url("swagger-ui-init.js"),
                "favicon_svg": asset_url("favicon.svg"),
                "favicon_png": asset_url("favicon.png"),
            },
        }
        html = Template(PAGE.read_text("utf-8")).render(Context(context))
        return HttpResponse(html)


@require_GET
def swagger_asset(request: HttpRequest, name: str) -> FileResponse:
    """One of ninja's bundled Swagger UI files, by exact name (nothing else is reachable)."""
    if name not in ASSETS:
        raise Http404(name)
    response = FileResponse((BUNDLED / name).open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = "public, max-age=604800"
    return response
