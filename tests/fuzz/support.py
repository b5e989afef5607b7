"""Shared by the fuzz tests: the hypothesis settings, the tally of cases, the Chinese check."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, settings

# Fixed examples (derandomize) and no example database: the default `pytest` run is the CI
# run, the same cases every time; a failure prints the blob that reproduces it.
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,  # each example undoes its own writes
    ],
)


def fuzz(max_examples: int) -> settings:
    """FUZZ with this many examples (the run's time budget is shared by every target)."""
    return settings(FUZZ, max_examples=max_examples)


CHINESE = re.compile(r"[\u4e00-\u9fff]")
CASES: Counter[tuple[str, str]] = Counter()


def count(target: str, outcome: str) -> None:
    CASES[target, outcome] += 1


def is_chinese(message: str) -> bool:
    return bool(message.strip()) and CHINESE.search(message) is not None


def tally() -> list[str]:
    """One line per target: its total and each outcome, e.g. `parser: 310 (parsed 120, …)`."""
    targets: dict[str, dict[str, int]] = {}
    for (target, outcome), n in sorted(CASES.items()):
        targets.setdefault(target, {})[outcome] = n
    return [
        f"{target}: {sum(outcomes.values())} "
        f"({', '.join(f'{outcome} {n}' for outcome, n in outcomes.items())})"
        for target, outcomes in targets.items()
    ]
