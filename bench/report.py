"""Benchmark ``report``: the supervision report (督导报告) of a county, and a province batch.

Data: ``gaodi demo``'s records in a throw-away database (``bench/_django.py``): the reference
plan of 茌平区 (23 tasks, the 2020–2021 dispatch cycles with reports, inspections, the
indicator values of 2019–2020), as of 2021-06-30.

- ``county_s``: one county report, built from the database (``report_build.build_report``)
  and rendered as Word (公文 layout) and PDF (WeasyPrint, with SVG charts): the median of
  REPETITIONS runs after a warm-up (WeasyPrint's first run loads fonts).
- ``province_batch_s``: 136 county reports (a province: 16 cities, ~136 counties), docx + pdf
  each, rendered by a process pool of WORKERS (the machine's 2 cores). Each report is built
  from the database in the parent process and rendered in a worker. The synthetic province has
  no supervision records of its own yet (issue 10 extends ``gaodi synth``), so every county's
  report is built from the demo county's records under that county's name: the same volume
  of data per report as a real county with one plan.
- Baseline (``baseline_ms``, the physical limit of the libraries): the same report's text
  written by python-docx as plain paragraphs and laid out by WeasyPrint as plain HTML
  paragraphs — no tables, styles or charts. ``ratio`` = county / baseline.

Targets (issue 5): a county report (docx + pdf) ≤ 2 s; the province batch ≤ 3 min.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from collections.abc import Iterator
from html import escape
from typing import Any

from _django import throwaway_database
from timing import median, rounded, time_calls

REPETITIONS = 5
WARMUP = 1
COUNTIES = 136
WORKERS = 2
TARGET_COUNTY_S = 2.0
TARGET_BATCH_S = 180.0
DAY = dt.date(2021, 6, 30)
PERIOD = "2021Q2"
BASELINE = "python-docx + WeasyPrint writing the same text as plain paragraphs"


def run(scale: str) -> dict[str, Any]:
    os.environ["GAODI_TODAY"] = DAY.isoformat()
    with throwaway_database("report") as vendor:
        return _run(scale, vendor)


def _texts(report: Any) -> list[str]:
    """Every line of text the report prints, in order."""
    lines = [report.number, report.title, report.summary]
    for value in report.to_json().values():
        if isinstance(value, list):
            for row in value:
                if isinstance(row, dict):
                    lines.append(" ".join(str(v) for v in row.values()))
                else:
                    lines.append(str(row))
    return lines


def baseline(lines: list[str]) -> tuple[bytes, bytes]:
    import docx
    import weasyprint

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    html = "".join(f"<p>{escape(line)}</p>" for line in lines)
    pdf = weasyprint.HTML(string=f"<html lang='zh'><body>{html}</body></html>").write_pdf()
    return out.getvalue(), pdf


def _run(scale: str, vendor: str) -> dict[str, Any]:
    from django.conf import settings

    from gaodi.demo import set_up_demo
    from gaodi.supervision.report_batch import render_batch
    from gaodi.supervision.report_build import build_report
    from gaodi.supervision.report_data import SupervisionReport
    from gaodi.supervision.report_render import render

    settings.GAODI_TODAY = DAY  # when Django was set up by an earlier benchmark of `all`
    started = time.perf_counter()
    plan, _logins = set_up_demo()
    demo_s = time.perf_counter() - started
    report = build_report(plan, PERIOD, DAY)
    sizes: dict[str, int] = {}

    def county() -> None:
        built = build_report(plan, PERIOD, DAY)
        sizes["docx"] = len(render(built, "docx"))
        sizes["pdf"] = len(render(built, "pdf"))

    lines = _texts(report)
    ours_ms = time_calls(county, repetitions=REPETITIONS, warmup=WARMUP)
    floor_ms = time_calls(lambda: baseline(lines), repetitions=REPETITIONS, warmup=WARMUP)
    build_ms = time_calls(
        lambda: build_report(plan, PERIOD, DAY), repetitions=REPETITIONS, warmup=WARMUP
    )

    names = [f"合成县{n:03d}" for n in range(1, COUNTIES + 1)]

    def county_reports() -> Iterator[SupervisionReport]:
        for name in names:
            data = build_report(plan, PERIOD, DAY).to_json()
            data["issuer"] = f"{name}人民政府教育督导室"
            data["title"] = data["title"].replace("茌平区", name)
            yield SupervisionReport.from_json(data)

    started = time.perf_counter()
    batch_sizes = [(len(d), len(p)) for d, p in render_batch(county_reports(), WORKERS)]
    batch_s = time.perf_counter() - started

    county_s = median(ours_ms) / 1000
    ratio = median(ours_ms) / median(floor_ms)
    return {
        "name": "report",
        "scale": scale,
        "database": vendor,
        "period": PERIOD,
        "tasks": plan.tasks.count(),
        "repetitions": REPETITIONS,
        "warmup": WARMUP,
        "county_s": round(county_s, 3),
        "median_ms": rounded(median(ours_ms)),
        "build_ms": rounded(median(build_ms)),
        "docx_bytes": sizes["docx"],
        "pdf_bytes": sizes["pdf"],
        "baseline": BASELINE,
        "baseline_ms": rounded(median(floor_ms)),
        "ratio": round(ratio, 2),
        "province_batch_s": round(batch_s, 1),
        "province_reports": len(batch_sizes),
        "workers": WORKERS,
        "target": f"county_s <= {TARGET_COUNTY_S:g} and province_batch_s <= {TARGET_BATCH_S:g}",
        "target_met": county_s <= TARGET_COUNTY_S and batch_s <= TARGET_BATCH_S,
        "demo_setup_s": round(demo_s, 1),
    }
