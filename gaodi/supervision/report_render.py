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
