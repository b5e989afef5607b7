"""Periods as DHIS2 writes them: 2021 (year), 2021Q3 (quarter), 202103B (bimonth: May–June).

Pure: an id in, its first and last day out; a bad id gets a Chinese message.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from gaodi.i18n import _

_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_BIMONTH = re.compile(r"^(\d{4})(0[1-6])B$")


class PeriodError(ValueError):
    """A period id that does not exist."""


@dataclass(frozen=True)
class Period:
    id: str
    start: dt.date
    end: dt.date

    @property
    def year(self) -> int:
        return self.start.year


def parse_period(text: str) -> Period:
    """2021 -> the year; 2021Q3 -> Jul–Sep; 202103B -> May–Jun (bimonths 01..06)."""
    if m := _YEAR.match(text):
        year = int(m[1])
        return Period(text, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if m := _QUARTER.match(text):
        return _months(text, int(m[1]), (int(m[2]) - 1) * 3 + 1, 3)
    if m := _BIMONTH.match(text):
        return _months(text, int(m[1]), (int(m[2]) - 1) * 2 + 1, 2)
    raise PeriodError(
        _("期间“{text}”写法不对：应为 2021、2021Q3 或 202103B（2021年5—6月）").format(text=text)
    )


def _months(text: str, year: int, first: int, count: int) -> Period:
    last = first + count - 1
    return Period(
        text, dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])
    )


def bimonth_of(day: dt.date) -> str:
    """The bimonth a day falls in: 2021-06-30 -> 202103B."""
    return f"{day.year}{(day.month + 1) // 2:02d}B"


def quarter_of(day: dt.date) -> str:
    return f"{day.year}Q{(day.month + 2) // 3}"
