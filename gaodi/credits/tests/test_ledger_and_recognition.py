"""学分积累 and 认定: progress toward a qualification (mandatory and optional units, expiry
warnings) and the recognition state machine by role, four eyes, appeals. No database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import product

import pytest

from gaodi.achievements.versions import ParameterError
from gaodi.credits import recognition as r
from gaodi.credits.ledger import Entry, Qualification, Unit, progress

Q = Qualification(
    "jsj-zz",
    "中职计算机应用专业毕业学分",
    (
        Unit("C101", "网页设计基础", Decimal(4)),
        Unit("C201", "前端框架开发", Decimal(6)),
        Unit("E101", "电工技术", Decimal(3), mandatory=False),
        Unit("E102", "办公软件", Decimal(2), mandatory=False),
    ),
    total_credits=Decimal(12),
    optional_credits=Decimal(2),
)
DAY = date(2022, 3, 1)


def test_progress_counts_units_mandatory_optional_and_total() -> None:
    entries = [
        Entry("C101", Decimal(4), date(2021, 6, 1), origin="x-1"),
        Entry("C201", Decimal(3), date(2021, 9, 1)),
        Entry("C201", Decimal(3), date(2022, 1, 10)),
        Entry("E102", Decimal(2), date(2021, 12, 1)),
    ]
    found = progress(entries, Q, DAY)
    assert [(u.unit.course, u.earned, u.done) for u in found.units] == [
        ("C101", Decimal(4), True),
        ("C201", Decimal(6), True),
        ("E101", Decimal(0), False),
        ("E102", Decimal(2), True),
    ]
    assert (found.mandatory_done, found.mandatory_total) == (2, 2)
    assert (found.optional_earned, found.total_earned, found.complete) == (
        Decimal(2),
        Decimal(12),
        True,
    )
    assert found.units[0].by_conversion and not found.units[1].by_conversion
    assert "必修完成 2/2 门，选修 2 学分，合计 12/12 学分：已满足" in found.steps


def test_credits_beyond_a_unit_do_not_count_twice() -> None:
    entries = [Entry("C101", Decimal(4), date(2021, 6, 1)), Entry("C101", Decimal(4), DAY)]
    assert progress(entries, Q, DAY).total_earned == 4


def test_expired_credits_are_not_counted_and_near_expiry_warned() -> None:
    entries = [
        Entry("C101", Decimal(4), date(2019, 1, 1), expires_on=date(2022, 2, 28)),
        Entry("C201", Decimal(6), date(2019, 1, 1), expires_on=date(2022, 5, 30)),
        Entry("E101", Decimal(3), date(2019, 1, 1), expires_on=date(2022, 5, 31)),
        Entry("Z999", Decimal(1), date(2021, 1, 1)),
    ]
    found = progress(entries, Q, DAY, warn_days=90)
    assert found.units[0].earned == 0 and [e.course for e in found.expired] == ["C101"]
    assert [e.course for e in found.expiring] == ["C201"]  # 2022-05-30 is day 90; 05-31 is not
    assert [e.course for e in found.outside] == ["Z999"]
    assert not found.complete
    assert "提醒：“前端框架开发（C201）”的 6 学分将于 2022-05-30 过期" in found.steps


def test_credits_earned_after_the_day_asked_do_not_count() -> None:
    assert progress([Entry("C101", Decimal(4), date(2022, 3, 2))], Q, DAY).total_earned == 0


def test_a_qualification_that_cannot_be_reached_is_refused() -> None:
    with pytest.raises(ParameterError, match="各课程合计只有 4 学分"):
        Qualification("q", "不可能", (Unit("C", "课", Decimal(4)),), total_credits=Decimal(5))
    with pytest.raises(ParameterError, match="课程有重复"):
        Qualification("q", "重复", (Unit("C", "a", Decimal(1)),) * 2, total_credits=Decimal(1))


# --- recognition -------------------------------------------------------------------------

ISSUERS = ("某培训评价组织",)
D0 = date(2022, 3, 1)


def checked(actor: str = "clerk") -> list[r.Step]:
    return [r.check_step("某培训评价组织", ISSUERS, actor, "school", D0)]


def reviewed() -> list[r.Step]:
    return [*checked(), r.Step(r.REVIEW, "clerk", "school", D0, reason="材料齐全")]


def refused() -> list[r.Step]:
    return [*reviewed(), r.Step(r.DECIDE, "boss", "admin", D0, r.REFUSED, "等级与课程不符")]


def test_the_whole_path_to_recognition() -> None:
    history = reviewed()
    decision = r.Step(r.DECIDE, "boss", "admin", D0, r.RECOGNISED, "符合转换规则")
    assert r.apply(history, decision) == r.RECOGNISED
    assert r.state_of([*history, decision]) == r.RECOGNISED


def test_an_issuer_not_on_the_list_is_flagged_at_the_check_not_refused() -> None:
    step = r.check_step("野鸡机构", ISSUERS, "clerk", "school", D0)
    assert r.apply([], step) == r.FLAGGED
    assert "不在该证书体系的发证机构名单中" in step.reason
    reviewed = r.Step(r.REVIEW, "clerk", "school", D0, reason="机构已更名，核对原件")
    assert r.apply([step], reviewed) == r.REVIEWED


def test_the_reviewer_may_not_decide() -> None:
    with pytest.raises(r.StepRefused, match="两人分办"):
        r.apply(reviewed(), r.Step(r.DECIDE, "clerk", "admin", D0, r.RECOGNISED, "好"))


def test_a_decision_needs_a_reason_and_an_outcome() -> None:
    with pytest.raises(r.StepRefused, match="须写明理由"):
        r.apply(reviewed(), r.Step(r.DECIDE, "boss", "admin", D0, r.RECOGNISED, " "))
    with pytest.raises(r.StepRefused, match="请选择"):
        r.apply(reviewed(), r.Step(r.DECIDE, "boss", "admin", D0, "", "理由"))


def test_an_appeal_once_within_15_days_decided_by_someone_new() -> None:
    history = refused()
    appeal = r.Step(r.APPEAL, "stu", "learner", date(2022, 3, 16), reason="已补交材料")
    assert r.apply(history, appeal) == r.APPEALED
    history.append(appeal)
    with pytest.raises(r.StepRefused, match="未经办原案"):
        r.apply(history, r.Step(r.DECIDE_APPEAL, "boss", "admin", D0, r.RECOGNISED, "可"))
    final = r.Step(r.DECIDE_APPEAL, "chief", "admin", D0, r.RECOGNISED, "材料补正后符合")
    assert r.apply(history, final) == r.RECOGNISED
    history.append(r.Step(r.DECIDE_APPEAL, "chief", "admin", D0, r.REFUSED, "维持"))
    with pytest.raises(r.StepRefused, match="只能申诉一次"):
        r.apply(history, r.Step(r.APPEAL, "stu", "learner", D0, reason="再申诉"))


def test_whoever_checked_the_case_may_not_decide_its_appeal() -> None:
    """Four eyes on the appeal covers the CHECK too: the checker handled the case."""
    history = [
        r.check_step("某培训评价组织", ISSUERS, "checker", "admin", D0),
        r.Step(r.REVIEW, "clerk", "school", D0, reason="材料齐全"),
        r.Step(r.DECIDE, "boss", "admin", D0, r.REFUSED, "等级与课程不符"),
        r.Step(r.APPEAL, "stu", "learner", D0, reason="已补交材料"),
    ]
    with pytest.raises(r.StepRefused, match="未经办原案"):
        r.apply(history, r.Step(r.DECIDE_APPEAL, "checker", "admin", D0, r.RECOGNISED, "可"))
    # a check that refused the case outright (stored before the check stopped deciding)
    # counts as well
    refused_at_check = [
        r.Step(r.CHECK, "checker", "admin", D0, r.REFUSED, "发证机构不在名单中"),
        r.Step(r.APPEAL, "stu", "learner", D0, reason="机构已更名"),
    ]
    with pytest.raises(r.StepRefused, match="未经办原案"):
        r.apply(
            refused_at_check, r.Step(r.DECIDE_APPEAL, "checker", "admin", D0, r.REFUSED, "维持")
        )
    assert (
        r.apply(refused_at_check, r.Step(r.DECIDE_APPEAL, "chief", "admin", D0, r.REFUSED, "维持"))
        == r.REFUSED
    )


def test_a_late_appeal_is_refused() -> None:
    late = r.Step(r.APPEAL, "stu", "learner", date(2022, 3, 17), reason="晚了")
    with pytest.raises(r.StepRefused, match="申诉期已过"):
        r.apply(refused(), late)


STAGES = {
    r.SUBMITTED: [],
    r.CHECKED: checked(),
    r.REVIEWED: reviewed(),
    r.REFUSED: refused(),
    r.APPEALED: [*refused(), r.Step(r.APPEAL, "stu", "learner", D0, reason="理由")],
}
ALLOWED = {
    r.CHECK: r.SUBMITTED,
    r.REVIEW: r.CHECKED,
    r.DECIDE: r.REVIEWED,
    r.APPEAL: r.REFUSED,
    r.DECIDE_APPEAL: r.APPEALED,
}
ROLE_CODES = ("admin", "leader", "department", "inspector", "school", "enterprise", "learner")


@pytest.mark.parametrize(("state", "action", "role"), list(product(STAGES, ALLOWED, ROLE_CODES)))
def test_every_action_in_every_state_by_every_role(state: str, action: str, role: str) -> None:
    """The machine, exhaustively: a step goes through only in its one state, for its roles."""
    outcome = r.RECOGNISED if action in (r.DECIDE, r.DECIDE_APPEAL) else ""
    if action == r.CHECK:
        step = r.check_step("某培训评价组织", ISSUERS, "newcomer", role, D0)
    else:
        step = r.Step(action, "newcomer", role, D0, outcome, "理由")
    expected = ALLOWED[action] == state and role in r.ROLES[action]
    if expected:
        assert r.apply(STAGES[state], step) in r.STATES
    else:
        with pytest.raises(r.StepRefused):
            r.apply(STAGES[state], step)


def test_converted_credits_are_capped_per_qualification_mandatory_units_first() -> None:
    capped = Qualification(
        Q.code, Q.name, Q.units, Q.total_credits, Q.optional_credits, max_converted=Decimal(5)
    )
    entries = [
        Entry("E101", Decimal(3), date(2021, 5, 1), origin="e-1"),  # optional, converted
        Entry("C101", Decimal(4), date(2021, 6, 1), origin="x-1"),  # mandatory, converted
        Entry("C201", Decimal(6), date(2021, 9, 1)),  # taken: never against the cap
    ]
    found = progress(entries, capped, DAY)
    earned = {u.unit.course: u.earned for u in found.units}
    # 5 converted credits at most: C101 (mandatory) takes 4, E101 gets the 1 left of its 3.
    assert earned == {
        "C101": Decimal(4),
        "C201": Decimal(6),
        "E101": Decimal(1),
        "E102": Decimal(0),
    }
    assert found.total_earned == Decimal(11) and not found.complete
    assert "证书转换计入本资格的学分至多 5 学分" in found.steps
    assert any("另有 2 转换学分超出上限" in step for step in found.steps)
    uncapped = progress(entries, Q, DAY)
    assert uncapped.total_earned == Decimal(13)


def test_a_negative_cap_is_refused() -> None:
    with pytest.raises(ParameterError, match="转换学分上限不能为负"):
        Qualification(Q.code, Q.name, Q.units, Q.total_credits, max_converted=Decimal(-1))
