"""Reading the trail: a timeline per object and per user, scoped by the gate."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet
from django.utils import timezone

from .models import ChangeRecord


def history_of(obj: Model, user: AbstractBaseUser | AnonymousUser) -> QuerySet[ChangeRecord]:
    """Every change of one object, newest first (the caller has checked VIEW_HISTORY)."""
    return ChangeRecord.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def history_by(actor_id: int) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(actor_id=actor_id).select_related("actor")


def last_change(obj: Model) -> ChangeRecord | None:
    """The newest change of one object, or None when it has none."""
    found: ChangeRecord | None = (
        ChangeRecord.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-time", "-id")
        .first()
    )
    return found


def who_and_when(record: ChangeRecord | None) -> tuple[str, str]:
    """The name of who made a change and when (Asia/Shanghai, to the minute), for a message
    such as 该报告已被他人修改（某某于 2021-06-30 10:05）."""
    if record is None:
        return "", ""
    actor = record.actor
    name = (actor.get_full_name() if actor is not None else "") or record.actor_name
    return name, timezone.localtime(record.time).strftime("%Y-%m-%d %H:%M")
