"""The demo's supervision history: labelled, dated back, and every light colour has a case."""

from __future__ import annotations

import datetime as dt

import pytest

from gaodi.demo import set_up_demo
from gaodi.supervision.board import plan_lights
from gaodi.supervision.models import Chase, Handover, ProgressReport, Request

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_believable_labelled_year_of_supervision(settings) -> None:  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    plan, _logins = set_up_demo()
    assert Handover.objects.filter(acknowledged_at__isnull=True).count() == 2
    reports = ProgressReport.objects.filter(task__plan=plan)
    assert all(r.narrative.startswith("【演示数据】") for r in reports)
    assert reports.filter(status="returned", version=1).count() == 1
    assert reports.filter(status="accepted", progress="done").count() == 1
    assert all(r.submitted_at.year in (2020, 2021) for r in reports)
    assert Request.objects.get().status == "approved"
    assert Chase.objects.get().answered_on == dt.date(2021, 5, 12)
    lights = {row.task.number: row.light for row in plan_lights(plan, dt.date(2021, 6, 30))}
    assert lights[3].colour == "green" and lights[3].code == "done"
    assert lights[14].colour != "red"  # reported on time every round
    assert "caught_up_late" in {r.code for r in lights[2].reasons}  # one round reported late
    assert lights[1].colour == "red"  # the finance bureau has not reported
    count = reports.count()
    set_up_demo()
    assert ProgressReport.objects.filter(task__plan=plan).count() == count
