"""Writing the trail. Services call `record_change` inside their own transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .context import current_request_id
from .models import ChangeRecord


def record_change(
    obj: models.Model,
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    before: Any = None,
    after: Any = None,
    summary: str = "",
) -> ChangeRecord:
    """One ChangeRecord for one write: actor, time, object, before, after, request id."""
    user = actor if isinstance(actor, AbstractBaseUser) else None
    return ChangeRecord.objects.create(
        time=timezone.now(),
        actor=user,
        actor_name=user.get_username() if user else str(_("系统")),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        summary=summary[:500],
        before=before,
        after=after,
        request_id=current_request_id(),
        root_id=getattr(obj, "root_id", None),
    )


def record_changes(
    changes: list[tuple[models.Model, str, Any, Any, str]],
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
) -> list[ChangeRecord]:
    """Many ChangeRecords in one insert, for a bulk write (an import of a thousand schools):
    each (object, action, before, after, summary) as record_change would write it."""
    user = actor if isinstance(actor, AbstractBaseUser) else None
    now = timezone.now()
    request_id = current_request_id()
    return ChangeRecord.objects.bulk_create(
        [
            ChangeRecord(
                time=now,
                actor=user,
                actor_name=user.get_username() if user else str(_("系统")),
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:300],
                summary=summary[:500],
                before=before,
                after=after,
                request_id=request_id,
                root_id=getattr(obj, "root_id", None),
            )
            for obj, action, before, after, summary in changes
        ],
        batch_size=1000,
    )
