"""DHIS2-style period ids."""

from __future__ import annotations

import datetime as dt

import pytest

from gaodi.indicators.periods import PeriodError, bimonth_of, parse_period, quarter_of


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2021", "2021-01-01", "2021-12-31"),
        ("2021Q3", "2021-07-01", "2021-09-30"),
        ("202103B", "2021-05-01", "2021-06-30"),
        ("202401B", "2024-01-01", "2024-02-29"),
    ],
)
def test_a_period_id_gives_its_first_and_last_day(text: str, start: str, end: str) -> None:
    period = parse_period(text)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


@pytest.mark.parametrize("text", ["2021Q5", "202107B", "21", "2021-06", ""])
def test_a_wrong_period_is_refused_in_chinese(text: str) -> None:
    with pytest.raises(PeriodError, match="期间"):
        parse_period(text)


def test_the_demo_day_falls_in_the_third_bimonth_and_second_quarter() -> None:
    assert bimonth_of(dt.date(2021, 6, 30)) == "202103B"
    assert quarter_of(dt.date(2021, 6, 30)) == "2021Q2"
