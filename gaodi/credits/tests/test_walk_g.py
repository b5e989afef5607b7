"""Findings of the user walk (issue 9), items 1, 5, 6, 12: the issuer check flags and never
decides, the reviewer is not offered the decision, the conflict checker sees per-certificate
sums, and a new rule-set version is prefilled and may not share an effective date."""

from __future__ import annotations

import datetime as dt
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from gaodi.credits import recognition as r
from gaodi.credits.conversion import Rule
from gaodi.credits.models import LearningOutcome, RecognitionCase
from gaodi.credits.services import OutcomeInput, record_outcome, take_step
from gaodi.plans.models import Plan
from tests.helpers import client_of

D0 = date(2021, 6, 1)
ISSUERS = ("某培训评价组织", "另一培训评价组织")


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


# --- item 6: the checker sees what a certificate level gives in all --------------------------


def test_a_level_whose_rules_add_up_past_the_cap_is_reported_and_conversion_agrees() -> None:
    from dataclasses import replace

    from gaodi.credits.conversion import conflicts, simulate
    from gaodi.credits.tests.test_conversion import RULES, SCHEMES, V1, web

    found = [c for c in conflicts(V1, SCHEMES) if c.kind == "over_cap_sum"]
    assert len(found) == 1 and not found[0].blocking
    message = found[0].message
    assert "高级" in message and "合计 10 学分" in message and "每证上限 8 学分" in message
    # what the checker claims is what a conversion does: 高级 gives 4 + 4, not 4 + 6
    done = simulate(
        [web("高级")], [V1], schemes=SCHEMES, specialty="计算机应用", as_of=date(2022, 3, 1)
    )
    assert sorted((g.course, g.credits) for g in done.granted) == [
        ("C101", Decimal(4)),
        ("C201", Decimal(4)),
    ]
    # no cap, or rules within it: nothing reported
    assert not [c for c in conflicts(replace(V1, per_certificate=None), SCHEMES)]
    assert not conflicts(replace(V1, per_certificate=Decimal(10)), SCHEMES)
    # a general rule (any specialty) counts toward every specialty's sum
    general = Rule("x-cert", RULES[0].unit, ("中级",), "C900", "职业素养", Decimal(3))
    alone = replace(RULES[1], levels=("中级",))  # 6 credits, 计算机应用 only
    found = conflicts(replace(V1, rules=(alone, general)), SCHEMES)
    assert [(c.kind, c.rules, "中级（计算机应用专业）" in c.message) for c in found] == [
        ("over_cap_sum", (0, 1), True)
    ]


def test_one_course_is_converted_from_one_certificate_only_as_the_source_says() -> None:
    """SOURCES.md: 每门课程只能和一个X证书实现转换, 多个X证书不能重复替换同一门课程 — while
    高级 converts both 基础课 and 核心课, so one certificate may give several courses."""
    from gaodi.credits.conversion import ONE_COURSE_ONE_CERTIFICATE, convert
    from gaodi.credits.tests.test_conversion import SCHEMES, V1, web

    assert "每门课程只能由一个证书转换" in ONE_COURSE_ONE_CERTIFICATE
    done = convert(
        [web("初级", "x-1"), web("中级", "x-2"), web("高级", "x-3", date(2021, 7, 1))],
        [V1],
        schemes=SCHEMES,
        specialty="计算机应用",
        as_of=date(2022, 3, 1),
    )
    courses = [g.course for g in done.granted]
    assert sorted(courses) == ["C101", "C201"]  # each course from one certificate only
    assert any("一门课程只由一个证书转换" in step for step in done.steps)


# --- item 12: a new version starts from the current one, one version a day -------------------


def test_rule_lines_read_back_as_the_same_rules() -> None:
    from gaodi.credits.services import rule_lines, rules_from_lines
    from gaodi.credits.tests.test_conversion import RULES

    assert tuple(rules_from_lines(rule_lines(RULES))) == RULES


def test_the_new_version_form_is_prefilled_and_the_version_in_force_marked(plan: Plan) -> None:
    from gaodi.credits.models import ConversionRuleSetVersion
    from gaodi.credits.services import rule_lines

    stored = ConversionRuleSetVersion.objects.get(code="college-x", version=1)
    page = client_of("zhuanban").get(reverse("credits:rules", args=[plan.pk])).content.decode()
    from django.utils.html import escape

    lines = rule_lines(conversion_rules(stored))
    assert lines and f">{escape(lines)}</textarea>" in page
    assert 'name="code" size="20" value="college-x"' in page
    assert "【现行】" in page and "今天施行的是此版本" in page


def conversion_rules(stored: Any) -> Any:
    from gaodi.credits.conversion import RuleSet

    return RuleSet.from_json(stored.data).rules


def test_a_second_version_on_the_same_day_is_refused_and_nothing_stored(plan: Plan) -> None:
    from gaodi.credits.models import ConversionRuleSetVersion

    stored = ConversionRuleSetVersion.objects.get(code="college-x", version=1)
    from gaodi.credits.services import rule_lines

    form = {
        "code": "college-x",
        "name": stored.name,
        "effective_from": stored.effective_from.isoformat(),
        "rules": rule_lines(conversion_rules(stored)),
        "per_certificate": "8",
        "one_course": "on",
        "source": "示例",
    }
    url = reverse("credits:new_rules", args=[plan.pk])
    before = ConversionRuleSetVersion.objects.count()
    response = client_of("zhuanban").post(url, form, follow=True)
    assert "同一天只能有一个版本施行" in response.content.decode()
    assert ConversionRuleSetVersion.objects.count() == before
    # a later day is saved, and the capped 高级 is told as a hint
    form["effective_from"] = (stored.effective_from + dt.timedelta(days=1)).isoformat()
    response = client_of("zhuanban").post(url, form, follow=True)
    text = response.content.decode()
    assert "已保存规则集 college-x 第" in text and "提示：" in text
    assert ConversionRuleSetVersion.objects.count() == before + 1
