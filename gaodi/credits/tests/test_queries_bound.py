"""The 学分银行 learners page costs the same number of queries however many learning outcomes
the learners hold (issue 10: the page benchmark found one 认证单元 query per outcome)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaodi.credits.demo import ISSUER
from gaodi.credits.models import Learner, OutcomeUnit
from gaodi.credits.services import OutcomeInput, record_outcome
from gaodi.demo import DEMO_PASSWORD
from gaodi.plans.models import Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(demo_once: Plan, db: None, settings: Any) -> Plan:
    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    return demo_once


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_learners_page_does_not_query_once_per_outcome(plan: Plan) -> None:
    client = Client()
    assert client.login(username="zhuanban", password=DEMO_PASSWORD)
    url = reverse("credits:learners", args=[plan.pk])
    before = queries_of(client, url)
    learner = Learner.objects.get(name="【演示数据】王磊")
    unit = OutcomeUnit.objects.get(code="web-front-end")
    for n in range(5):
        given = OutcomeInput(unit, "初级", f"BOUND-{n}", ISSUER, dt.date(2021, 3, 1 + n))
        record_outcome(learner, given, source="测试", actor=None)
    assert queries_of(client, url) == before
    assert before <= 40
