"""The certification workflow (certification.py): every transition, tried exhaustively."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

from gaodi.enterprises import certification as c
from gaodi.enterprises.certification import Step

DAY = date(2020, 1, 1)
EXPECTED = {
    None: {c.APPLIED},
    c.APPLIED: {c.REVIEW},
    c.REVIEW: {c.CULTIVATING, c.CERTIFIED, c.REJECTED},
    c.CULTIVATING: {c.CULTIVATING, c.CERTIFIED, c.REJECTED},
    c.CERTIFIED: {c.CERTIFIED, c.REJECTED},
    c.REJECTED: {c.APPLIED},
}
# a history that ends in each state
PATHS: dict[str | None, list[Step]] = {
    None: [],
    c.APPLIED: [Step(c.APPLIED, DAY)],
    c.REVIEW: [Step(c.APPLIED, DAY), Step(c.REVIEW, DAY)],
    c.CULTIVATING: [
        Step(c.APPLIED, DAY),
        Step(c.REVIEW, DAY),
        Step(c.CULTIVATING, DAY, c.CITY, "名单"),
    ],
    c.CERTIFIED: [
        Step(c.APPLIED, DAY),
        Step(c.REVIEW, DAY),
        Step(c.CERTIFIED, DAY, c.CITY, "名单"),
    ],
    c.REJECTED: [Step(c.APPLIED, DAY), Step(c.REVIEW, DAY), Step(c.REJECTED, DAY, reason="理由")],
}


def well_formed(state: str, on: date = DAY) -> Step:
    """A step with what its state needs (a higher level than the paths' 市)."""
    if state in c.LISTED:
        return Step(state, on, c.PROVINCE, "某某名单")
    if state == c.REJECTED:
        return Step(state, on, reason="不符合条件")
    return Step(state, on)


def test_every_pair_of_states_is_allowed_exactly_when_the_table_says() -> None:
    for before, after in product([None, *c.STATES], c.STATES):
        found = c.problems(PATHS[before], well_formed(after))
        assert (found == []) == (after in EXPECTED[before]), (before, after, found)


def test_the_table_is_the_expected_one() -> None:
    assert {k: set(v) for k, v in c.TRANSITIONS.items()} == EXPECTED


def test_a_listing_needs_a_level_and_its_list() -> None:
    found = c.problems(PATHS[c.REVIEW], Step(c.CERTIFIED, DAY))
    assert any("级别" in p for p in found) and any("名单" in p for p in found)


def test_a_refusal_needs_a_reason_and_others_have_no_level() -> None:
    assert c.problems(PATHS[c.REVIEW], Step(c.REJECTED, DAY)) == ["不予认定须写明理由"]
    assert c.problems([], Step(c.APPLIED, DAY, c.CITY)) == ["只有培育、认定环节有级别"]


def test_listing_again_must_be_at_a_higher_level() -> None:
    same = Step(c.CERTIFIED, DAY, c.CITY, "名单")
    assert any("更高级别" in p for p in c.problems(PATHS[c.CERTIFIED], same))
    assert c.problems(PATHS[c.CERTIFIED], Step(c.CERTIFIED, DAY, c.NATIONAL, "名单")) == []


def test_a_step_may_not_be_dated_before_the_last() -> None:
    found = c.problems(PATHS[c.APPLIED], Step(c.REVIEW, DAY - timedelta(days=1)))
    assert len(found) == 1 and "早于" in found[0]


def test_an_unknown_state_is_refused() -> None:
    assert c.problems([], Step("撤销", DAY)) == ["没有名为“撤销”的认定环节"]


def test_periods_run_from_the_listing_until_the_day_before_a_refusal() -> None:
    steps = [
        Step(c.APPLIED, date(2019, 1, 1)),
        Step(c.REVIEW, date(2019, 2, 1)),
        Step(c.CULTIVATING, date(2019, 3, 1), c.CITY, "名单"),
        Step(c.CERTIFIED, date(2020, 3, 1), c.PROVINCE, "名单"),
        Step(c.REJECTED, date(2021, 7, 1), reason="动态调整退出"),
        Step(c.APPLIED, date(2022, 1, 1)),
        Step(c.REVIEW, date(2022, 2, 1)),
        Step(c.CERTIFIED, date(2022, 5, 1), c.CITY, "名单"),
    ]
    assert c.periods(steps) == [
        c.Period(date(2019, 3, 1), date(2021, 6, 30), c.CERTIFIED, c.PROVINCE),
        c.Period(date(2022, 5, 1), None, c.CERTIFIED, c.CITY),
    ]
    assert c.periods(steps[:2]) == []
