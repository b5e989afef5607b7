"""Who is calling: a machine with `Authorization: Bearer <key>`, or a signed-in browser.

The bearer token is tried first, so a machine that happens to carry a session cookie is not
asked for a CSRF token; the browser session is checked for CSRF on unsafe methods.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from gaodi.accounts.services import user_for_token

NOT_SIGNED_IN = _("未登录，或接口令牌无效、已停用：请登录，或在请求头中提供有效的 Bearer 令牌")
CSRF_FAILED = _("CSRF 校验失败：请刷新页面后重试")


class BearerToken(HttpBearer):
    """`Authorization: Bearer <key>`, a key issued by `accounts.services.issue_token`."""

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        return user_for_token(token.strip()) if token.strip() else None


class BrowserSession(SessionAuth):
    """The Django session of the web UI; unsafe methods need the CSRF token (Chinese refusal)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if key is None:
            return None  # no session at all: 401 (not signed in), not a CSRF refusal
        exempt = getattr(request, "_ninja_csrf_exempt", False)
        if self.csrf and not exempt and check_csrf(request):
            raise HttpError(403, str(CSRF_FAILED))
        return key
