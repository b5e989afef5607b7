"""Indicator tests run as of the demo's day: the 2021 reporting window is open then."""

from __future__ import annotations

import datetime as dt

import pytest

from gaodi.today import DEMO_TODAY


@pytest.fixture(autouse=True)
def as_of_demo_day(settings) -> None:  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = dt.date.fromisoformat(DEMO_TODAY)
