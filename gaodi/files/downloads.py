"""Files out, the Django side: one way to hand a spreadsheet to the browser (the content type,
and a Content-Disposition that carries a Chinese file name, RFC 6266 / RFC 5987)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from .exports import XLSX_MIME

__all__ = ["XLSX_MIME", "xlsx_response"]


def xlsx_response(content: bytes | Workbook, filename: str) -> HttpResponse:
    """An .xlsx download named `filename` (which may be Chinese); `content` is the file's
    bytes or an openpyxl workbook, saved here."""
    if isinstance(content, Workbook):
        buffer = io.BytesIO()
        content.save(buffer)
        content = buffer.getvalue()
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response
