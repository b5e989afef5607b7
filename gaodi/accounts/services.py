"""Writes to users, memberships and API tokens; each leaves a change record."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gaodi.audit.services import record_change
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import Actor

from .models import ApiToken, Membership


@transaction.atomic
def create_member(
    username: str,
    password: str,
    *,
    role: str,
    actor: Actor,
    full_name: str = "",
    org_unit: OrgUnit | None = None,
    department: Department | None = None,
    inspector_scope: str = "",
) -> AbstractBaseUser:
    """A user with one membership. Idempotent on the username (the membership is ensured).

    The password is taken as given: where a person chooses it (gaodi createuser, the
    password-change page) it has passed AUTH_PASSWORD_VALIDATORS first, while the demo and
    the tests' fixtures use short ones on purpose.
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"first_name": full_name}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
        record_change(
            user, actor=actor, action="create", after={"username": username, "name": full_name}
        )
    membership, made = Membership.objects.get_or_create(
        user=user,
        role=role,
        org_unit=org_unit,
        department=department,
        defaults={"inspector_scope": inspector_scope},
    )
    if made:
        record_change(
            membership,
            actor=actor,
            action="create",
            after={
                "user": username,
                "role": role,
                "org_unit": org_unit.code if org_unit else None,
                "department": department.name if department else None,
            },
        )
    return user


@transaction.atomic
def change_password(user: AbstractBaseUser, password: str, *, actor: Actor) -> None:
    """A new password (already validated by the caller); the record says so, never the hash."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record_change(user, actor=actor, action="update", summary=str(_("修改了密码")))


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_token(user: AbstractBaseUser, name: str, *, actor: Actor) -> str:
    """A new API token; the key is shown once and only its hash is stored."""
    key = "gd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=hash_key(key), created_at=timezone.now()
    )
    record_change(
        token, actor=actor, action="create", after={"user": user.get_username(), "name": name}
    )
    return key


def user_for_token(key: str) -> AbstractBaseUser | None:
    token = (
        ApiToken.objects.filter(key_hash=hash_key(key), revoked=False)
        .select_related("user")
        .first()
    )
    return token.user if token and token.user.is_active else None
