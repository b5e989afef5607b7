"""gaodi createuser."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gaodi.accounts.models import Membership
from gaodi.orgs.models import Department
from gaodi.orgs.services import ensure_reference_tree

pytestmark = pytest.mark.django_db


def test_it_creates_a_liaison_of_a_department() -> None:
    county = ensure_reference_tree(actor=None)
    Department.objects.create(org_unit=county, name="区财政局")
    call_command(
        "createuser",
        "cz",
        role="department",
        org="371503",
        department="区财政局",
        password="Zhong-Wen-2021!",
    )
    membership = Membership.objects.get(user__username="cz")
    assert membership.department is not None and membership.department.name == "区财政局"


def test_it_refuses_an_unknown_department_in_chinese() -> None:
    ensure_reference_tree(actor=None)
    with pytest.raises(CommandError, match="没有名为“区无此局”的部门"):
        call_command(
            "createuser",
            "x",
            role="department",
            org="371503",
            department="区无此局",
            password="Zhong-Wen-2021!",
        )


def test_it_refuses_to_touch_an_existing_user() -> None:
    county = ensure_reference_tree(actor=None)
    call_command("createuser", "zb", role="admin", org=county.code, password="Zhong-Wen-2021!")
    with pytest.raises(CommandError, match="已存在"):
        call_command("createuser", "zb", role="leader", org=county.code, password="Another-2021!")
    assert Membership.objects.filter(user__username="zb").count() == 1


def test_the_demo_refuses_a_real_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://example/db")
    with pytest.raises(CommandError, match="DATABASE_URL"):
        call_command("demo", no_serve=True)
