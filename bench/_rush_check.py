"""Did every submission of the rush land exactly once? A pure count, no database.

``tally(expected, stored)``: ``expected`` maps each key that must be stored (a school's
(school, indicator, period) value, a department's (department, cycle, task) report) to what
was sent; ``stored`` is every row found afterwards as (key, what it holds), one pair a row.

- ``lost``: expected keys with no row at all;
- ``duplicated``: rows beyond the first of a key (two rows for one key = 1 duplicated);
- ``wrong``: expected keys whose (first) row holds something else than what was sent;
- ``unexpected``: rows whose key nobody sent.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Tally:
    expected: int
    stored: int
    lost: int
    duplicated: int
    wrong: int
    unexpected: int


def tally(expected: Mapping[Hashable, object], stored: Iterable[tuple[Hashable, object]]) -> Tally:
    rows = 0
    counts: Counter[Hashable] = Counter()
    first: dict[Hashable, object] = {}
    for key, held in stored:
        rows += 1
        counts[key] += 1
        first.setdefault(key, held)
    return Tally(
        expected=len(expected),
        stored=rows,
        lost=sum(1 for key in expected if key not in counts),
        duplicated=sum(count - 1 for count in counts.values()),
        wrong=sum(1 for key, sent in expected.items() if key in first and first[key] != sent),
        unexpected=sum(count for key, count in counts.items() if key not in expected),
    )
