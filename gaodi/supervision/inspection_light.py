"""The light of one 督查 finding (整改 of a problem an inspection found), pure: facts and
"today" in, a colour and its reason out. Nothing here reads the clock.

- red (红灯): past the rectification deadline (整改时限) and not closed (整改销号), whether or
  not a rectification has been reported.
- amber (黄灯): a rectification is reported and waits for the inspector; or the deadline is at
  most `NEAR_DAYS` days away.
- green (绿灯): closed by the deadline; closed after it stays green with a note (逾期销号), so
  the lateness stays visible; open with time to spare (整改期内).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from gaodi.i18n import _
from gaodi.indicators.attainment import Colour

NEAR_DAYS = 7  # amber when the deadline is this close (示例: each district sets its own)

OPEN = "open"
REPORTED = "reported"
CLOSED = "closed"


@dataclass(frozen=True)
class FindingFacts:
    """What the light needs, read by the caller from an InspectionFinding."""

    status: str  # open / reported / closed
    deadline: date  # 整改时限
    closed_on: date | None = None


def finding_light(facts: FindingFacts, today: date) -> tuple[Colour, str]:
    """整改 of a 督查 finding: red when overdue and not closed, amber when reported or near the
    deadline, green when closed (with a note when closed late) or within time."""
    if facts.status == CLOSED and facts.closed_on is not None:
        late = (facts.closed_on - facts.deadline).days
        if late > 0:
            return Colour.GREEN, _("已销号，逾期 {days} 天").format(days=late)
        return Colour.GREEN, _("已按期整改销号")
    if today > facts.deadline:
        return Colour.RED, _("超过整改时限 {days} 天未销号").format(
            days=(today - facts.deadline).days
        )
    if facts.status == REPORTED:
        return Colour.AMBER, _("已报整改，待督查室销号")
    left = (facts.deadline - today).days
    if left <= NEAR_DAYS:
        return Colour.AMBER, _("距整改时限还有 {days} 天").format(days=left)
    return Colour.GREEN, _("整改期内，距时限 {days} 天").format(days=left)
