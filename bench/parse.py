"""Benchmark ``parse``: parse the reference plan (聊茌政发〔2020〕19号) in-process.

Our time is ``gaodi.plans.parsing.parse_path`` on the bundled plan. The baseline is the bare
minimum any parser must do to the same file in the same process: read the bytes, decode
them, split the lines and run one compiled regular expression over every line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from timing import median, percentile, rounded, time_calls

REPETITIONS = 200  # the machine is shared: a long run gives a stable median
WARMUP = 10
TARGET_MEDIAN_MS = 50.0

REPO_ROOT = Path(__file__).resolve().parent.parent
PLAN = REPO_ROOT / "gaodi" / "plans" / "examples" / "chiping-2020-19.txt"

# A clause heading such as 重点任务（十四） or （三）: the kind of match every parser makes.
HEADING = re.compile(r"[（(][一二三四五六七八九十]+[）)]")
BASELINE = "read bytes + decode UTF-8 + split lines + one compiled regex search per line"


def baseline(path: Path) -> int:
    """The floor: touch every line of the plan once. Returns the match count so it is used."""
    lines = path.read_bytes().decode("utf-8").splitlines()
    return sum(1 for line in lines if HEADING.search(line))


def run(scale: str) -> dict[str, Any]:
    """Time parse_path against the baseline; one plan, so ``scale`` changes nothing here."""
    from gaodi.plans.parsing import parse_path  # the code under test; may not import yet

    ours = time_calls(lambda: parse_path(PLAN), repetitions=REPETITIONS, warmup=WARMUP)
    floor = time_calls(lambda: baseline(PLAN), repetitions=REPETITIONS, warmup=WARMUP)
    ours_median, floor_median = median(ours), median(floor)
    return {
        "name": "parse",
        "scale": scale,
        "file": str(PLAN.relative_to(REPO_ROOT)),
        "lines": len(PLAN.read_text(encoding="utf-8").splitlines()),
        "repetitions": REPETITIONS,
        "warmup": WARMUP,
        "median_ms": rounded(ours_median),
        "p95_ms": rounded(percentile(ours, 0.95)),
        "baseline": BASELINE,
        "baseline_ms": rounded(floor_median),
        "ratio": round(ours_median / floor_median, 2),
        "target": f"median_ms <= {TARGET_MEDIAN_MS:g}",
        "target_met": ours_median <= TARGET_MEDIAN_MS,
    }
