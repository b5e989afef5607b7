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
