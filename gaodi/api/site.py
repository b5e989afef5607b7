"""The one NinjaAPI of Gaodi, mounted at /api/v1/ by gaodi/api/urls.py.

Every route needs a signed-in caller (bearer token or browser session) except the two
under /public/, which serve the plans marked 公开发布 to anybody.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.renderers import JSONRenderer

from . import (
    achievements,
    credits,
    enterprises,
    funding,
    indicators,
    orgs,
    plans,
    progress,
    specialties,
    teachers,
    training,
)
from .auth import NOT_SIGNED_IN, BearerToken, BrowserSession
from .docs import LocalSwagger

NOT_FOUND = _("未找到，或无权查看")
BAD_BODY = _("请求体不是有效的 JSON：请按接口文档提交一个 JSON 对象")


class ReadableJSON(JSONRenderer):
    """UTF-8 JSON with Chinese as written, not \\uXXXX escapes (curl and logs stay readable)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="高地 Gaodi API",
    version="1",
    description=(
        "职业教育实施方案的任务、分工、时限与目标（只读）。"
        "机器调用请在请求头中提供 `Authorization: Bearer <令牌>`；"
        "浏览器登录后亦可直接调用。/public/ 下的接口无需登录，只提供公开发布的方案。"
    ),
    urls_namespace="api",
    auth=[BearerToken(), BrowserSession()],
    docs=LocalSwagger(),
    renderer=ReadableJSON(),
)
api.add_router("", plans.router)
api.add_router("", plans.public_router)
api.add_router("", orgs.router)
api.add_router("", indicators.router)
api.add_router("", specialties.router)
api.add_router("", achievements.router)
api.add_router("", enterprises.router)
api.add_router("", training.router)
api.add_router("", funding.router)
api.add_router("", teachers.router)
api.add_router("", credits.router)
api.add_router("", progress.router)


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {"detail": NOT_SIGNED_IN}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="gaodi"'
    return response


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    """Missing and forbidden look the same (DESIGN.md: one gate, 404 for both)."""
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals. The only bare 400 is its "Cannot parse request body" (a body
    that is not JSON): said in Chinese, in the shape the document gives every 400 (found by the
    schemathesis run of tests/fuzz: the English body broke the declared schema)."""
    if exc.status_code == 400:
        return api.create_response(request, {"detail": BAD_BODY, "problems": []}, status=400)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
