"""The 社会培训 and 绩效工资 pages on the demo: result and working shown, writes by role."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gaodi.plans.models import Plan


@pytest.fixture
def plan(demo_once: Plan, db: Any) -> Plan:
    return demo_once


def client_for(username: str) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_records_page_shows_volume_conversion_and_feed(plan: Plan) -> None:
    page = client_for("zhuanban").get(reverse("training:records", args=[plan.pk]) + "?year=2020")
    text = page.content.decode()
    assert page.status_code == 200
    print(text[text.index("<main") :][:20000])


def test_pay_page(plan: Plan) -> None:
    page = client_for("zhuanban").get(reverse("training:pay", args=[plan.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    print(text[text.index("职业院校绩效工资核定") :][:12000])
