"""Timing for benchmarks: repeated in-process calls after a warm-up, summarised robustly."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence


def time_calls(work: Callable[[], object], *, repetitions: int, warmup: int) -> list[float]:
    """Milliseconds taken by each of ``repetitions`` calls of ``work``, after ``warmup`` calls."""
    for _ in range(warmup):
        work()
    timings = []
    for _ in range(repetitions):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def median(timings: Sequence[float]) -> float:
    """The middle timing, in milliseconds."""
    return statistics.median(timings)


def percentile(timings: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest timing that ``fraction`` of calls do not exceed."""
    ordered = sorted(timings)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def rounded(milliseconds: float) -> float:
    """Milliseconds as printed: three significant decimals are plenty on a noisy machine."""
    return round(milliseconds, 3)
