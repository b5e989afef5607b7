"""Working days in mainland China: the days a report can fall due.

Weekends and the State Council's public holidays are off; the 调休 make-up Saturdays and
Sundays are working days. The dates come from `chinesecalendar` (国务院办公厅 holiday
notices, 2004–2026). Outside the years it knows every Monday–Friday counts as a working
day: a due date is then at worst a few days early, never invented from a guessed holiday.

Pure: dates in, dates or counts out.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar

from gaodi.i18n import _

_ONE_DAY = dt.timedelta(days=1)


def is_workday(day: dt.date) -> bool:
    """Whether people work on `day`: holidays off, 调休 make-up weekend days on."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the library has no holiday notice for
        return day.weekday() < 5


def add_workdays(day: dt.date, count: int) -> dt.date:
    """The `count`-th working day after `day`; for 0, `day` itself or the next working day."""
    if count < 0:
        raise ValueError(_("工作日数不能为负数：{count}").format(count=count))
    if count == 0:
        return day if is_workday(day) else add_workdays(day, 1)
    while count:
        day += _ONE_DAY
        count -= is_workday(day)
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie in (start, end]: 0 when `end` is not after `start`."""
    days = (start + _ONE_DAY * offset for offset in range(1, (end - start).days + 1))
    return sum(map(is_workday, days))
