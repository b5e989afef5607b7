"""Fuzz tests (issue 6): hypothesis over the plan parser, the formula engine and the Excel/CSV
importer, schemathesis over the OpenAPI document. Every test is marked `fuzz`; the tally of
cases run is printed at the end of the session."""

from __future__ import annotations

import pytest

from .support import tally


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    found = tally()
    if found:
        terminalreporter.write_sep("-", "fuzz cases run / 模糊测试用例数")
        for line in found:
            terminalreporter.write_line(line)
