"""The demo, as the views and API of the specialties app are tested on it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gaodi.demo import DEMO_PASSWORD, set_up_demo
from gaodi.plans.models import Plan


@pytest.fixture
def plan(settings) -> Plan:  # type: ignore[no-untyped-def]
    """The demo plan, as of 2021-06-30."""
    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    found, _logins = set_up_demo()
    return found


def client_of(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client
