"""考核批次 stored: recorded through the service with its change record, corrected in place,
refused whole on bad input, and read back as pass rates beside the certificates registered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from gaodi.audit.models import ChangeRecord
from gaodi.credits.models import ExamSitting, LearningOutcome, OutcomeUnit
from gaodi.credits.sittings import SittingInput, pass_rates_of, record_sitting
from gaodi.plans.models import Plan
from gaodi.specialties.services import Refused

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


@pytest.fixture
def plan(demo_once: Plan, db: None, settings: Any) -> Plan:
    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    # a school before any assessment is recorded (the demo records a few: demo.SITTINGS)
    ExamSitting.objects.all().delete()
    return demo_once


def school_of_demo() -> Any:
    return LearningOutcome.objects.select_related("learner__school").first().learner.school


def web() -> OutcomeUnit:
    return OutcomeUnit.objects.select_related("scheme").get(code="web-front-end")


def test_a_sitting_is_stored_with_its_change_record_and_corrected_in_place(plan: Plan) -> None:
    school = school_of_demo()
    given = SittingInput(web(), "中级", school, dt.date(2021, 5, 8), 40, 31)
    stored = record_sitting(given, source="录入", actor=None)
    assert (stored.candidates, stored.passed) == (40, 31)
    record = ChangeRecord.objects.get(object_type="credits.examsitting", object_id=str(stored.pk))
    assert (record.action, record.before, record.after["passed"]) == ("create", None, 31)

    corrected = record_sitting(
        SittingInput(web(), "中级", school, dt.date(2021, 5, 8), 40, 30), source="录入", actor=None
    )
    assert corrected.pk == stored.pk
    assert ExamSitting.objects.filter(unit=web(), school=school).count() == 1
    update = ChangeRecord.objects.filter(object_type="credits.examsitting").latest("pk")
    assert (update.action, update.before["passed"], update.after["passed"]) == ("update", 31, 30)


@pytest.mark.parametrize(
    ("level", "held_on", "candidates", "passed", "message"),
    [
        ("中级", dt.date(2021, 5, 8), 10, 12, "通过人数（12）不能多于参加考核人数（10）"),
        ("九级", dt.date(2021, 5, 8), 10, 2, "没有“九级”这一等级"),
        ("中级", None, 10, 2, "请填写考核日期"),
        ("中级", dt.date(2021, 5, 8), "十", 2, "参加考核人数应为整数"),
        ("中级", dt.date(1990, 1, 1), 10, 2, "早于"),
        ("中级", dt.date(2021, 7, 1), 10, 2, "考核日期不能晚于今天（2021-06-30）"),
    ],
)
def test_bad_input_stores_nothing(
    plan: Plan, level: str, held_on: Any, candidates: Any, passed: Any, message: str
) -> None:
    records = ChangeRecord.objects.count()
    with pytest.raises(Refused, match=message):
        record_sitting(
            SittingInput(web(), level, school_of_demo(), held_on, candidates, passed),
            source="录入",
            actor=None,
        )
    assert not ExamSitting.objects.exists()
    assert ChangeRecord.objects.count() == records


def test_pass_rates_come_from_the_stored_sittings_and_meet_the_certificates(plan: Plan) -> None:
    school = school_of_demo()
    for day, candidates, passed in ((dt.date(2021, 5, 8), 30, 24), (dt.date(2021, 6, 2), 10, 9)):
        record_sitting(
            SittingInput(web(), "中级", school, day, candidates, passed), source="录入", actor=None
        )
    record_sitting(
        SittingInput(web(), "中级", school, dt.date(2020, 12, 5), 99, 1), source="录入", actor=None
    )
    found = pass_rates_of([school], *YEAR)
    held = LearningOutcome.objects.filter(
        learner__school=school,
        scheme=web().scheme,
        level="中级",
        issued_on__year=2021,
        case__state="recognised",
    ).count()
    assert (
        held
        < LearningOutcome.objects.filter(
            learner__school=school, scheme=web().scheme, level="中级", issued_on__year=2021
        ).count()
    )  # the demo has an unrecognised 中级 certificate that 2021: it is not counted
    scheme = web().scheme.name
    assert [
        (r.scheme, r.level, r.sittings, r.candidates, r.passed, r.rate) for r in found.rates
    ] == [(scheme, "中级", 2, 40, 33, Decimal("82.5"))]
    assert found.total.rate == Decimal("82.5")
    assert found.notes == [
        f"{scheme}·中级：通过 33 人，学分银行认定通过证书 {held} 张，尚有 {33 - held} 张未登记"
    ]
    assert pass_rates_of([], *YEAR).rates == []


def client_of(username: str) -> Any:
    from django.test import Client

    from gaodi.demo import DEMO_PASSWORD

    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_school_clerk_records_a_sitting_on_the_page_and_everyone_reads_the_rate(
    plan: Plan,
) -> None:
    from django.urls import reverse

    school = school_of_demo()
    url = reverse("credits:add_sitting", args=[plan.pk])
    form = {
        "school": school.pk,
        "unit": web().pk,
        "level": "初级",
        "held_on": "2021-05-08",
        "candidates": "12",
        "passed": "9",
    }
    clerk = client_of("xuexiao")
    refused = clerk.post(url, {**form, "passed": "13"}, follow=True)
    assert "通过人数（13）不能多于参加考核人数（12）" in refused.content.decode()
    assert not ExamSitting.objects.exists()
    page = clerk.post(url, form, follow=True).content.decode()
    assert "已保存考核批次" in page
    assert "75.0%" in page  # 9 ÷ 12

    leader_page = client_of("lingdao").get(
        reverse("credits:sittings", args=[plan.pk]), {"year": "2021"}
    )
    assert "75.0%" in leader_page.content.decode()
    api = client_of("lingdao").get(f"/api/v1/plans/{plan.pk}/exam-pass-rates", {"year": 2021})
    body = api.json()
    assert body["total"] == {
        "scheme": "合计",
        "level": "",
        "sittings": 1,
        "candidates": 12,
        "passed": 9,
        "rate": "75",
    }
    assert [r["level"] for r in body["rates"]] == ["初级"]
