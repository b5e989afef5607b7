"""Run Gaodi's benchmarks: ``python bench/run.py NAME|all [--scale ...] [--json]``.

A benchmark is a module ``bench/NAME.py`` that defines ``run(scale: str) -> dict`` (and may
define ``DEFAULT_SCALE``, the scale it runs at without ``--scale``: the one its target is
stated for, e.g. the nation for the roll-up and the rush; else ``district``),
returning the figures of the benchmark contract summarised in docs/performance.md (name,
scale, median_ms or p95_ms, baseline, baseline_ms, ratio, target, target_met, ...). Without
``--json`` the figures print as a table; with ``--json`` each benchmark prints one JSON object
on one line, the last line of its output. Benchmarks report; they never assert (speed lives
here, not in the tests).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import traceback
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
SCALES = ("district", "province", "nation")

# Measure the checkout's code even when another copy of gaodi is installed.
sys.path.insert(0, str(REPO_ROOT))
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))


class BenchmarkFailed(Exception):
    """A benchmark could not produce its figures; the message says why."""


def load(name: str) -> ModuleType | None:
    """The module ``bench/NAME.py`` if it is a benchmark (defines ``run``), else None."""
    path = BENCH_DIR / f"{name}.py"
    if name == "run" or name.startswith("_") or not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location(f"gaodi_bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module if callable(getattr(module, "run", None)) else None


def benchmark_names() -> list[str]:
    """Every benchmark in bench/, in name order."""
    return [path.stem for path in sorted(BENCH_DIR.glob("*.py")) if load(path.stem) is not None]


def run_one(name: str, scale: str | None) -> dict[str, Any]:
    """Run one benchmark (at its ``DEFAULT_SCALE`` when ``scale`` is None); raise
    BenchmarkFailed with a readable reason if it cannot run."""
    try:
        module = load(name)
        if module is None:
            raise BenchmarkFailed(
                f"没有名为 {name} 的基准 / no benchmark named {name!r}; "
                f"available: {', '.join(benchmark_names())}, all"
            )
        return dict(module.run(scale or getattr(module, "DEFAULT_SCALE", "district")))
    except ImportError as error:
        raise BenchmarkFailed(
            f"基准 {name} 无法导入被测代码 / benchmark {name!r} cannot import the code under "
            f"test: {type(error).__name__}: {error}"
        ) from error


def print_table(figures: dict[str, Any]) -> None:
    width = max(len(key) for key in figures)
    print(f"== {figures.get('name', '?')} ({figures.get('scale', '?')}) ==")
    for key, value in figures.items():
        print(f"  {key:<{width}}  {value}")


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run Gaodi's benchmarks; see docs/performance.md.")
    parser.add_argument("name", help="benchmark name (a module in bench/), or 'all'")
    parser.add_argument(
        "--scale",
        choices=SCALES,
        default=None,
        help="default: each benchmark's own (the scale of its target; district if none)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per benchmark")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    names = benchmark_names() if arguments.name == "all" else [arguments.name]
    failures = 0
    for name in names:
        try:
            figures = run_one(name, arguments.scale)
        except BenchmarkFailed as failure:
            print(f"FAILED {name}: {failure}", file=sys.stderr)
            failures += 1
            continue
        except Exception:
            traceback.print_exc()
            print(f"FAILED {name}: the benchmark raised (traceback above)", file=sys.stderr)
            failures += 1
            continue
        if arguments.json:
            print(json.dumps(figures, ensure_ascii=False), flush=True)
        else:
            print_table(figures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
