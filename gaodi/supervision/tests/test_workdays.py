"""Working days: weekends and State Council holidays off, 调休 make-up days on.

Every expected date below was worked out by hand from the 国务院办公厅 holiday notices:
- 2020 春节: 1月24日—2月2日 off (1月31日—2月2日 added by the State Council's extension,
  国办发明电〔2020〕1号, which also cancelled the 2月1日 make-up Saturday), 1月19日 (Sunday)
  worked.
- 2021 国庆节: 10月1日—7日 off, 9月26日 (Sunday) and 10月9日 (Saturday) worked.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gaodi.supervision.workdays import add_workdays, is_workday, workdays_between

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("day", "works"),
    [
        ("2021-10-09", True),  # Saturday, 调休 for National Day
        ("2021-09-26", True),  # Sunday, 调休 for National Day
        ("2020-01-19", True),  # Sunday, 调休 for the Spring Festival
        ("2021-10-01", False),  # Friday, National Day
        ("2021-10-04", False),  # Monday inside the National Day holiday
        ("2020-01-31", False),  # Friday, the 2020 Spring Festival extension
        ("2021-10-16", False),  # an ordinary Saturday
        ("2021-10-15", True),  # an ordinary Friday
    ],
)
def test_it_knows_holidays_and_make_up_working_days(day: str, works: bool) -> None:
    assert is_workday(D(day)) is works


@pytest.mark.parametrize(
    ("day", "works"),
    [
        ("2030-01-01", True),  # a Tuesday: 元旦, but the library has no notice for 2030
        ("2030-01-05", False),  # a Saturday
        ("2003-10-01", True),  # a Wednesday before the library's first year (2004)
        ("2003-10-04", False),  # a Saturday
    ],
)
def test_it_counts_monday_to_friday_in_years_without_a_holiday_notice(
    day: str, works: bool
) -> None:
    assert is_workday(D(day)) is works


def test_five_working_days_after_the_third_quarter_end_after_national_day() -> None:
    # 9-30 Thu; 10-01..07 off; 10-08 Fri (1), 10-09 Sat 调休 (2), 10-11 (3), 10-12 (4), 10-13 (5).
    assert add_workdays(D("2021-09-30"), 5) == D("2021-10-13")
    assert add_workdays(D("2021-09-30"), 1) == D("2021-10-08")
    assert add_workdays(D("2021-09-30"), 2) == D("2021-10-09")


def test_the_first_working_day_after_the_2020_spring_festival_is_3_february() -> None:
    assert add_workdays(D("2020-01-23"), 1) == D("2020-02-03")
    assert add_workdays(D("2020-01-23"), 3) == D("2020-02-05")
    assert workdays_between(D("2020-01-23"), D("2020-02-05")) == 3


def test_a_make_up_sunday_is_the_next_working_day_after_a_friday() -> None:
    assert add_workdays(D("2020-01-17"), 1) == D("2020-01-19")


def test_zero_working_days_is_the_day_itself_or_the_next_working_day() -> None:
    assert add_workdays(D("2021-09-30"), 0) == D("2021-09-30")
    assert add_workdays(D("2021-10-01"), 0) == D("2021-10-08")
    assert add_workdays(D("2021-10-09"), 0) == D("2021-10-09")


def test_adding_working_days_falls_back_to_weekdays_outside_known_years() -> None:
    assert add_workdays(D("2030-01-04"), 1) == D("2030-01-07")  # Friday -> Monday
    assert workdays_between(D("2030-01-04"), D("2030-01-11")) == 5


def test_a_negative_count_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="工作日"):
        add_workdays(D("2021-09-30"), -1)


def test_working_days_between_leave_out_the_start_and_keep_the_end() -> None:
    assert workdays_between(D("2021-09-30"), D("2021-10-13")) == 5
    assert workdays_between(D("2021-09-29"), D("2021-09-30")) == 1
    assert workdays_between(D("2021-09-30"), D("2021-09-30")) == 0
    assert workdays_between(D("2021-10-13"), D("2021-09-30")) == 0


@pytest.mark.parametrize("count", [1, 5, 10])
def test_counting_back_the_working_days_added_gives_the_count(count: int) -> None:
    days = [D("2020-01-01") + dt.timedelta(days=n) for n in range(0, 731, 3)]
    assert all(workdays_between(day, add_workdays(day, count)) == count for day in days)
    assert all(is_workday(add_workdays(day, count)) for day in days)
