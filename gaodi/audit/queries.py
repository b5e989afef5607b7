"""Reading the trail: a timeline per object and per user, scoped by the gate."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet

from .models import ChangeRecord


def history_of(obj: Model, user: AbstractBaseUser | AnonymousUser) -> QuerySet[ChangeRecord]:
    """Every change of one object, newest first (the caller has checked VIEW_HISTORY)."""
    return ChangeRecord.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).select_related("actor")


def history_by(actor_id: int) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(actor_id=actor_id).select_related("actor")
