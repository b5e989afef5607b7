"""Findings of the user walk (issue 9), items 1, 5, 6, 12: the issuer check flags and never
decides, the reviewer is not offered the decision, the conflict checker sees per-certificate
sums, and a new rule-set version is prefilled and may not share an effective date."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gaodi.credits import recognition as r
from gaodi.credits.models import LearningOutcome, RecognitionCase
from gaodi.credits.services import OutcomeInput, record_outcome, take_step
from gaodi.demo import DEMO_PASSWORD
from gaodi.plans.models import Plan

D0 = date(2021, 6, 1)
ISSUERS = ("某培训评价组织", "另一培训评价组织")


def client_of(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


@pytest.fixture
def plan(demo_once: Plan, db: None, settings: Any) -> Plan:
    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    demo_once.refresh_from_db()
    return demo_once


# --- item 1: the issuer check flags, the work team decides ----------------------------------


def test_issuer_names_are_compared_after_dropping_whitespace_and_folding_width() -> None:
    assert r.normalised(" 某 培训评价组织\u3000") == "某培训评价组织"
    assert r.normalised("ＡＢＣ培训中心") == "ABC培训中心"
    assert r.listed("某　培训评价组织 ", ISSUERS)
    assert r.listed("ＡＢＣ培训中心", ("ABC培训中心",))
    assert not r.listed("某培训评价机构", ISSUERS)  # another name is not a spelling variant
    step = r.check_step("某 培训评价组织", ISSUERS, "clerk", "school", D0)
    assert step.outcome == "" and r.apply([], step) == r.CHECKED


def test_a_check_never_refuses_and_a_flagged_case_goes_to_review_and_decision() -> None:
    flagged = r.check_step("野鸡机构", ISSUERS, "clerk", "school", D0)
    assert flagged.outcome == r.FLAGGED
    assert r.state_of([flagged]) == r.FLAGGED
    assert r.STATES[r.FLAGGED] == "已核验（发证机构不在名单中）"
    with pytest.raises(r.StepRefused, match="不作认定决定"):
        r.apply([], r.Step(r.CHECK, "clerk", "school", D0, r.REFUSED, "不在名单"))
    with pytest.raises(r.StepRefused, match="不能认定决定"):
        r.apply([flagged], r.Step(r.DECIDE, "boss", "admin", D0, r.REFUSED, "不在名单"))
    history = [flagged, r.Step(r.REVIEW, "clerk", "school", D0, reason="核对原件")]
    assert r.state_of(history) == r.REVIEWED
    decision = r.Step(r.DECIDE, "boss", "admin", D0, r.RECOGNISED, "机构已更名，新名在名单中")
    assert r.apply(history, decision) == r.RECOGNISED


def test_the_service_flags_an_unlisted_issuer_and_the_queue_offers_the_review(plan: Plan) -> None:
    from django.contrib.auth import get_user_model

    sample = LearningOutcome.objects.filter(case__state=r.RECOGNISED).first()
    assert sample is not None
    clerk = get_user_model().objects.get(username="xuexiao")
    given = OutcomeInput(sample.unit, sample.level, "WALK-G-1", "未列入名单的机构", D0)
    stored = record_outcome(sample.learner, given, source="t", actor=clerk)
    case = take_step(stored.case, r.CHECK, role="school", actor=clerk)
    assert case.state == r.FLAGGED
    page = client_of("xuexiao").get(reverse("credits:queue", args=[plan.pk])).content.decode()
    assert "已核验（发证机构不在名单中）" in page
    assert "请审核并由工作专班作出认定决定" in page
    # a spelling variant of a listed issuer (spaces, full-width) passes the check
    listed = sample.scheme.issuers[0]
    variant = " ".join(listed).replace("】", "】\u3000")
    given = OutcomeInput(sample.unit, sample.level, "WALK-G-2", variant, D0)
    other = record_outcome(sample.learner, given, source="t", actor=clerk)
    assert take_step(other.case, r.CHECK, role="school", actor=clerk).state == r.CHECKED


def test_the_outcome_form_lists_the_issuers_as_a_datalist(plan: Plan) -> None:
    sample = LearningOutcome.objects.filter(case__state=r.RECOGNISED).first()
    assert sample is not None
    url = reverse("credits:learner", args=[plan.pk, sample.learner.pk])
    page = client_of("xuexiao").get(url).content.decode()
    assert 'list="o_issuers"' in page and '<datalist id="o_issuers">' in page
    for issuer in sample.scheme.issuers:
        assert f'<option value="{issuer}">' in page


# --- item 5: the reviewer is not offered the decision ---------------------------------------


def test_the_reviewer_sees_no_decision_form_but_another_member_does(plan: Plan) -> None:
    case = RecognitionCase.objects.get(state=r.CHECKED)
    url = reverse("credits:queue", args=[plan.pk])
    # 学校 clerk (school role) reviews; the work team (admin role) decides
    client_of("xuexiao").post(
        reverse("credits:step", args=[plan.pk, case.pk]), {"action": "review", "reason": "核对"}
    )
    case.refresh_from_db()
    assert case.state == r.REVIEWED
    zhuanban = client_of("zhuanban")
    decide_button = f'<input type="hidden" name="action" value="{r.DECIDE}">'
    assert decide_button in zhuanban.get(url).content.decode()
    # the same work-team member, had he reviewed, is told why instead of offered the form
    case.steps.filter(action=r.REVIEW).update(
        actor_key=str(_user("zhuanban").pk), actor=_user("zhuanban")
    )
    page = zhuanban.get(url).content.decode()
    assert decide_button not in page
    assert "须由另一位工作人员作认定决定（您已审核此案）" in page


def test_decider_blocked_is_the_four_eyes_rule() -> None:
    checked = [r.check_step("某培训评价组织", ISSUERS, "clerk", "school", D0)]
    reviewed = [*checked, r.Step(r.REVIEW, "clerk", "school", D0, reason="核对")]
    assert r.decider_blocked(reviewed, "clerk")
    assert not r.decider_blocked(reviewed, "boss")
    assert not r.decider_blocked(checked, "clerk")  # nothing to decide yet


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
