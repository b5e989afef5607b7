"""The plan header offers 领导驾驶舱 only to those the page answers (a user walk found a learner
and a school's clerk sent to a 404)."""

from __future__ import annotations

import pytest
from django.test import Client

from gaodi.demo import DEMO_PASSWORD
from gaodi.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "shown"),
    [("lingdao", True), ("zhuanban", True), ("xuexiao", False), ("xuesheng", False)],
)
def test_the_leader_page_link_is_shown_to_those_it_answers(
    demo_once: Plan, db: None, username: str, shown: bool
) -> None:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    page = client.get(f"/plans/{demo_once.pk}/").content.decode()
    assert (f"/supervision/plans/{demo_once.pk}/overview/" in page) is shown
    answer = client.get(f"/supervision/plans/{demo_once.pk}/overview/").status_code
    assert answer == (200 if shown else 404)
