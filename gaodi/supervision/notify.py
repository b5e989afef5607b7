"""Sending a 待办: the in-app inbox always (a Notification row, once per key), then every
notifier named in the GAODI_NOTIFIERS setting — e-mail through Django's backend (console
by default) ships with Gaodi; an SMS or 政务微信 notifier is a class with `send(notification)`.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from gaodi.today import now

from .models import Notification

DEFAULT_NOTIFIERS = ["gaodi.supervision.notify.EmailNotifier"]


class Notifier(Protocol):
    def send(self, notification: Notification) -> None: ...


class EmailNotifier:
    """An e-mail to the person, if he has an address (Django's EMAIL_BACKEND)."""

    def send(self, notification: Notification) -> None:
        address = getattr(notification.user, "email", "")
        if address:
            send_mail(
                notification.title,
                f"{notification.body}\n{notification.url}".strip(),
                None,
                [address],
                fail_silently=True,
            )


def notifiers() -> list[Notifier]:
    return [
        import_string(path)() for path in getattr(settings, "GAODI_NOTIFIERS", DEFAULT_NOTIFIERS)
    ]


def notify(
    user: AbstractBaseUser,
    key: str,
    title: str,
    *,
    body: str = "",
    url: str = "",
    due_on: dt.date | None = None,
) -> Notification | None:
    """Put a 待办 in the user's inbox and pass it to the notifiers; None if that key was
    already sent to him (running `gaodi cycles` twice sends nothing twice)."""
    notification, created = Notification.objects.get_or_create(
        user=user,
        key=key[:200],
        defaults={
            "title": title[:200],
            "body": body,
            "url": url[:300],
            "due_on": due_on,
            "created_at": now(),
        },
    )
    if not created:
        return None
    for notifier in notifiers():
        notifier.send(notification)
    return notification


def mark_read(notification: Notification) -> Notification:
    """One's own 待办 opened: stamped read once (a personal flag, no change record)."""
    if notification.read_at is None:
        notification.read_at = now()
        notification.save(update_fields=["read_at"])
    return notification
