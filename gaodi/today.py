"""“Today” for the whole app: the GAODI_TODAY setting when set, else the date in Asia/Shanghai.

Nothing reads the clock directly: a demo or an inspection can run as of a past date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

DEMO_TODAY = "2021-06-30"  # gaodi demo runs as of this day: the plan's dates mean something


def today() -> dt.date:
    fixed: dt.date | None = getattr(settings, "GAODI_TODAY", None)
    return fixed or timezone.localdate()


def today_context(request: HttpRequest) -> dict[str, Any]:
    """Template context: `today`."""
    return {"today": today()}


def now() -> dt.datetime:
    """The moment stamped on business records (a report's 报送时间, a 签收, a decision): the
    clock's time of day in Asia/Shanghai, on GAODI_TODAY when it is set — so that what is
    done in a demo running as of 2021-06-30 happens on 2021-06-30, and the rules that compare
    dates (lights, scores) see it. The audit trail keeps the real clock."""
    moment = timezone.localtime()
    fixed: dt.date | None = getattr(settings, "GAODI_TODAY", None)
    if fixed:
        moment = moment.replace(year=fixed.year, month=fixed.month, day=fixed.day)
    return moment
