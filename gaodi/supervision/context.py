"""Template context: how many 待办 the signed-in user has not read (the header shows it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from .models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return {"unread": SimpleLazyObject(count)}
