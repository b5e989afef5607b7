"""督导报告 (issue 5): one entry point from a format name to its renderer (data -> bytes)."""

from __future__ import annotations

from collections.abc import Callable

from gaodi.i18n import _

from .report_data import SupervisionReport

FORMATS = ("docx", "pdf", "xlsx")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class FormatError(ValueError):
    """A format Gaodi does not render."""


def renderer(fmt: str) -> Callable[[SupervisionReport], bytes]:
    """The renderer of a format (imported on demand: WeasyPrint loads Pango)."""
    if fmt == "docx":
        from .report_docx import render_docx

        return render_docx
    if fmt == "pdf":
        from .report_pdf import render_pdf

        return render_pdf
    if fmt == "xlsx":
        from .report_xlsx import render_xlsx

        return render_xlsx
    raise FormatError(_("不支持的格式“{fmt}”：可选 docx、pdf、xlsx").format(fmt=fmt))


def render(report: SupervisionReport, fmt: str) -> bytes:
    return renderer(fmt)(report)


def web_charts(report: SupervisionReport) -> dict[str, str]:
    """The report's charts as inline SVG for its web page (the same as the PDF's), by section:
    progress, lights, attainment. Every text in them is escaped by report_charts.svg."""
    from django.utils.safestring import mark_safe

    from . import report_charts

    found = {}
    for name, kind in (
        ("progress", report_charts.PROGRESS),
        ("lights", report_charts.LIGHT_COUNTS),
        ("attainment", report_charts.ATTAINMENT),
    ):
        drawn = report_charts.chart(report, kind)
        if drawn is not None:
            found[name] = mark_safe(report_charts.svg(drawn))  # noqa: S308 — escaped in svg()
    return found
