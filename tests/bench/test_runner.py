"""bench/run.py: every benchmark of the issue is found, and each runs at the scale of its
target unless --scale says otherwise."""

from __future__ import annotations

import pytest

from tests.bench import bench_module

runner = bench_module("run.py")


def test_all_runs_every_benchmark_of_the_issue() -> None:
    assert set(runner.benchmark_names()) >= {
        "parse",
        "rollup",
        "import",
        "report",
        "pages",
        "rush",
    }


def test_without_scale_each_benchmark_takes_the_scale_of_its_target() -> None:
    assert runner.parse_arguments(["all", "--json"]).scale is None
    assert runner.parse_arguments(["rollup", "--scale", "province"]).scale == "province"
    assert runner.load("rush").DEFAULT_SCALE == "nation"
    assert runner.load("rollup").DEFAULT_SCALE == "nation"
    assert getattr(runner.load("parse"), "DEFAULT_SCALE", "district") == "district"


def test_an_unknown_benchmark_is_refused_with_the_names_there_are() -> None:
    with pytest.raises(runner.BenchmarkFailed, match="rollup"):
        runner.run_one("nonsense", None)
