"""A refused form's typed values come back once on the next page (gaodi/typed.py), never the
ID number."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gaodi.credits.demo import demo_id_number
from gaodi.demo import DEMO_PASSWORD
from gaodi.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(demo_once: Plan, db: None, settings: Any) -> Plan:
    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    return demo_once


def typed_of(page: str) -> Any:
    found = re.search(r'<script id="gaodi-typed" type="application/json">(.*?)</script>', page)
    return json.loads(found.group(1)) if found else None


def test_a_refused_registration_comes_back_once_without_the_id_number(plan: Plan) -> None:
    client = Client()
    assert client.login(username="zhuanban", password=DEMO_PASSWORD)
    number = demo_id_number("20060101", 3)
    response = client.post(
        reverse("credits:register", args=[plan.pk]),
        {"school": "0", "name": "王小二", "id_number": number},
        follow=True,
    )
    page = response.content.decode()
    assert "请选择本方案所辖、您可登记的学校" in page
    typed = typed_of(page)
    assert typed["form"] == "register" and typed["values"]["name"] == ["王小二"]
    assert "id_number" not in typed["values"] and number not in page
    assert 'data-typed="register"' in page and "gaodi/typed.js" in page
    # shown once: the next page has nothing to put back
    assert (
        typed_of(client.get(reverse("credits:learners", args=[plan.pk])).content.decode()) is None
    )
