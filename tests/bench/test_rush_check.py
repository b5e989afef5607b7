"""The rush's lost/duplicated count (bench/_rush_check.py) on tiny cases it must get right."""

from __future__ import annotations

from decimal import Decimal

from tests.bench import bench_module

check = bench_module("_rush_check.py")

SENT = {
    (1, "r01", "2025"): Decimal("5"),
    (1, "r02", "2025"): Decimal("3"),
    (2, "r01", "2025"): Decimal("7.5"),
}


def test_every_value_stored_once_is_neither_lost_nor_duplicated() -> None:
    stored = [(key, Decimal(str(value)) + Decimal("0.000000")) for key, value in SENT.items()]
    found = check.tally(SENT, stored)
    assert (found.lost, found.duplicated, found.wrong, found.unexpected) == (0, 0, 0, 0)
    assert (found.expected, found.stored) == (3, 3)


def test_a_missing_row_is_lost_and_a_second_row_of_one_key_is_duplicated() -> None:
    stored = [
        ((1, "r01", "2025"), Decimal("5")),
        ((1, "r01", "2025"), Decimal("5")),  # the same value stored twice (a retried request)
        ((2, "r01", "2025"), Decimal("7.5")),
    ]  # (1, "r02") never arrived
    found = check.tally(SENT, stored)
    assert (found.lost, found.duplicated) == (1, 1)
    assert (found.wrong, found.unexpected, found.stored) == (0, 0, 3)


def test_a_report_stored_as_two_versions_counts_one_duplicate_and_a_changed_one_as_wrong() -> None:
    sent = {(10, 1, 4): ("submitted", 40), (11, 1, 5): ("submitted", 60)}
    stored = [
        ((10, 1, 4), ("submitted", 40)),
        ((10, 1, 4), ("submitted", 40)),  # version 2 made by a replay
        ((11, 1, 5), ("draft", 60)),  # stored, but never submitted
        ((12, 1, 6), ("submitted", 10)),  # nobody sent it
    ]
    found = check.tally(sent, stored)
    assert (found.lost, found.duplicated, found.wrong, found.unexpected) == (0, 1, 1, 1)
