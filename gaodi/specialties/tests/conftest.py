"""The demo, as the views and API of the specialties app are tested on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from gaodi.demo import DEMO_PASSWORD
from gaodi.plans.models import Plan


@pytest.fixture
def plan(demo_once: Plan, db: None, settings: Any) -> Plan:
    """The demo plan, as of 2021-06-30 (set up once per module: conftest.demo_once)."""
    settings.GAODI_TODAY = dt.date(2021, 6, 30)  # the day conftest.demo_once sets it up
    demo_once.refresh_from_db()
    return demo_once


def client_of(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client
