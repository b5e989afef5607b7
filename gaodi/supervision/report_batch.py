"""Many supervision reports at once (a province's counties): each rendered as Word and PDF in
a pool of worker processes, one per core. The reports are built (from the database) by the
caller; the workers only render (pure: data in, bytes out), so they need no database.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from .report_data import SupervisionReport
from .report_render import render


def render_pair(data: dict[str, Any]) -> tuple[bytes, bytes]:
    """A worker's job: one report (as its JSON) rendered as docx and pdf."""
    report = SupervisionReport.from_json(data)
    return render(report, "docx"), render(report, "pdf")


def _warm() -> None:
    """Load WeasyPrint and its fonts once per worker, not on its first report."""
    import weasyprint

    weasyprint.HTML(string="<p>预热</p>").write_pdf()


def render_batch(
    reports: Iterable[SupervisionReport], workers: int | None = None
) -> Iterator[tuple[bytes, bytes]]:
    """(docx, pdf) of every report, in order; `workers` defaults to the number of cores."""
    count = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=count, initializer=_warm) as pool:
        jobs = [pool.submit(render_pair, report.to_json()) for report in reports]
        for job in jobs:
            yield job.result()
