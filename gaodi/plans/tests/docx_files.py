"""Small .docx packages built in tests (python-docx), and surgery on their XML."""

from __future__ import annotations

import io
import zipfile

import docx


def docx_bytes(paragraphs: list[str], tables: list[list[list[str]]] = ()) -> bytes:  # type: ignore[assignment]
    """A .docx with the paragraphs, then each table (rows of cell texts)."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for row, cells in zip(table.rows, rows, strict=True):
            for cell, text in zip(row.cells, cells, strict=False):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def with_document_xml(package: bytes, document_xml: bytes) -> bytes:
    """The same .docx package with word/document.xml replaced."""
    source = zipfile.ZipFile(io.BytesIO(package))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = document_xml if info.filename == "word/document.xml" else source.read(info)
            target.writestr(info.filename, data)
    return buffer.getvalue()
