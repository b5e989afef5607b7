"""The two hooks django-axes calls (settings.AXES_*): whose address a failure counts against,
and the Chinese page a locked-out user sees instead of the signed-in one."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .forms import LoginForm

# axes answers a lock-out with 429 Too Many Requests; the page says why in Chinese.
LOCKED_OUT_STATUS = 429
LOCKED_OUT = _(
    "登录失败次数过多，该账号已暂时锁定，请 {minutes} 分钟后再试。如忘记密码，请联系工作专班重设。"
)


def address_of(meta: Mapping[str, Any], *, behind_proxy: bool) -> str:
    """The client's IP address: REMOTE_ADDR, or behind our one reverse proxy the last entry of
    X-Forwarded-For (the address the proxy itself saw; earlier entries come from the client
    and may be forged). Anything that is not an IP address falls back to REMOTE_ADDR."""
    if behind_proxy:
        forwarded = str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return str(meta.get("REMOTE_ADDR", ""))


def client_ip(request: HttpRequest) -> str:
    """AXES_CLIENT_IP_CALLABLE: failures are counted per user name and this address."""
    return address_of(request.META, behind_proxy=settings.GAODI_BEHIND_PROXY)


def cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the log-in page again, empty, saying why and for how long."""
    message = str(LOCKED_OUT).format(minutes=cooloff_minutes())
    return TemplateResponse(
        request,
        "accounts/login.html",
        {"form": LoginForm(request), "locked_out": message, "next": request.POST.get("next", "")},
        status=LOCKED_OUT_STATUS,
    ).render()
