"""Helpers the test modules share (the demo's logins and people)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.test import Client

from gaodi.demo import DEMO_PASSWORD

if TYPE_CHECKING:
    from gaodi.credits.models import Learner


def client_of(username: str) -> Client:
    """A test client logged in as one of the demo's accounts (zhuanban, xuexiao, …)."""
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def zhang() -> Learner:
    """The demo's learner 张晓明 (学分银行)."""
    from gaodi.credits.models import Learner

    return Learner.objects.get(name="【演示数据】张晓明")
