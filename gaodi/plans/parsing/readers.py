"""Readers: a plan file's bytes -> an ordered list of text lines and tables.

Every reader gives the same shapes, so that the rest of the parser does not care whether
the plan came as .txt, .docx or .pdf. The format is sniffed from the bytes, never trusted
from the file name; a name that promises another format is refused, and every file goes
through the upload defences shared with the web uploads (`gaodi.files.checks`: zip and XML
bombs and traversal in a .docx, Flate bombs in a .pdf, web pages posing as text).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from gaodi.files import checks
from gaodi.i18n import _

from .text import strip_markup
from .word_numbering import WordNumbering

MAX_BYTES = 20 * 1024 * 1024
MAX_PDF_PAGES = 400


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


class ParseError(Exception):
    """A plan file that cannot be read; the message is one line of Chinese for the user."""


@dataclass
class Line:
    """One line of running text (a paragraph of a .docx, a line of a .txt or .pdf)."""

    text: str
    line: int


@dataclass
class TableBlock:
    """A table as rows of cell texts, as the document laid it out."""

    rows: list[list[str]]
    line: int


Block = Line | TableBlock


def read_blocks(data: bytes, name: str = "") -> tuple[list[Block], str]:
    """Sniff the format and read; returns the blocks and the format name. The name (if any)
    only serves to refuse a file whose extension lies about its content."""
    if not data or not data.strip():
        raise ParseError(_("文件为空，没有可解析的内容"))
    if len(data) > MAX_BYTES:
        raise ParseError(_("文件过大（超过 20 MB），请拆分后再上传"))
    if checks.name_lies(data, name):
        raise ParseError(checks.lie_message(data, name))
    if data.startswith(b"PK\x03\x04"):
        return read_docx(data), "docx"
    if data.startswith(b"%PDF-"):
        from .pdf import read_pdf

        _refuse(checks.check_pdf, data)
        return read_pdf(data), "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ParseError(_("不支持旧版 Word（.doc）文件，请另存为 .docx 后再上传"))
    if checks.magic_kind(data):
        raise ParseError(
            _("文件内容是{kind}，不是 .txt、.docx 或 .pdf 方案文件").format(
                kind=checks.magic_kind(data)
            )
        )
    text = decode_text(data)
    if not text.strip():
        raise ParseError(_("文件为空，没有可解析的内容"))
    return read_text(text), "txt"


# --- plain text -----------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _check_text(_decode(data, "utf-16"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode(data, "gb18030")
    return _check_text(text)


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ParseError(
            _("无法识别文件编码：不是 UTF-8 或 GB18030/GBK 文本，也不是 .docx 或 .pdf")
        ) from exc


def _check_text(text: str) -> str:
    if "\x00" in text:
        raise ParseError(_("文件内容不是文本（含二进制数据），请上传 .txt、.docx 或 .pdf"))
    odd = len(_CONTROL.findall(text))
    if odd > max(8, len(text) // 100):
        raise ParseError(_("文件内容不是文本（含大量控制字符），请上传 .txt、.docx 或 .pdf"))
    return text


_HEADER_CELL = re.compile(
    r"^(序号|编号|政策内容|工作任务|重点任务|任务内容|主要内容|工作内容|具体任务|任务|"
    r"责任部门|责任单位|牵头单位|配合单位|牵头部门|配合部门|主要责任单位|协同配合单位|"
    r"完成时限|完成时间|时间节点|备注)$"
)


def read_text(text: str) -> list[Block]:
    """Lines of a text file; runs of tab-separated lines become tables."""
    blocks: list[Block] = []
    table_rows: list[list[str]] = []
    table_start = 0
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")

    def flush() -> None:
        nonlocal table_rows
        if len(table_rows) == 1 and len([c for c in table_rows[0] if c]) <= 2:
            # A stray tab in running text is not a table.
            text = " ".join(c for c in table_rows[0] if c)
            blocks.append(Line(text=text, line=table_start))
        elif table_rows:
            blocks.append(TableBlock(rows=table_rows, line=table_start))
        table_rows = []

    for number, raw in enumerate(raw_lines, start=1):
        if not raw.strip():
            flush()
            continue
        cells = [strip_markup(cell).strip() for cell in raw.split("\t")]
        filled = sum(1 for cell in cells if cell)
        # Two cells make a row; a lone cell continues a table (a row cut by a page break),
        # and a tab-indented paragraph is just a paragraph.
        if filled >= 2 or (table_rows and len(cells) > 1):
            if not table_rows:
                table_start = number
            table_rows.append(cells)
            continue
        flush()
        blocks.append(Line(text=strip_markup(raw).strip(), line=number))
        flush()
    return _tables_from_cell_lines(blocks)


def _tables_from_cell_lines(blocks: list[Block]) -> list[Block]:
    """A table written one cell per line: a run of header words, then rows of that width."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        width = _header_run(blocks, i)
        if width < 2:
            out.append(blocks[i])
            i += 1
            continue
        rows, j = [_texts(blocks[i : i + width])], i + width
        while j + width <= len(blocks) and _is_row_start(blocks[j], len(rows)):
            cells = blocks[j : j + width]
            if not all(isinstance(c, Line) for c in cells):
                break
            rows.append(_texts(cells))
            j += width
        if len(rows) == 1:
            out.append(blocks[i])
            i += 1
            continue
        out.append(TableBlock(rows=rows, line=blocks[i].line))
        i = j
    return out


def _texts(blocks: list[Block]) -> list[str]:
    return [b.text for b in blocks if isinstance(b, Line)]


def _header_run(blocks: list[Block], start: int) -> int:
    width = 0
    while start + width < len(blocks):
        block = blocks[start + width]
        if not isinstance(block, Line) or not _HEADER_CELL.match(block.text.replace(" ", "")):
            break
        width += 1
    return width


def _is_row_start(block: Block, expected_seq: int) -> bool:
    return isinstance(block, Line) and block.text.strip() == str(expected_seq)


# --- Word -----------------------------------------------------------------------------


def _refuse(check: Any, data: bytes) -> None:
    """Run one of the shared upload checks; its refusal becomes a ParseError."""
    try:
        check(data)
    except checks.UploadRefused as exc:
        raise ParseError(str(exc)) from exc


def read_docx(data: bytes) -> list[Block]:
    """Paragraphs and real Word tables, in document order."""
    try:
        checks.check_office(data, expect=(checks.DOCX,))
    except checks.UploadRefused as exc:
        if "word/document.xml" not in _names(data):
            raise ParseError(
                _("zip 文件中没有 Word 正文（word/document.xml），不是 .docx 文件")
            ) from exc
        raise ParseError(str(exc)) from exc
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        children = list(body.iterchildren())
    except Exception as exc:  # python-docx raises many kinds on broken XML  # noqa: BLE001
        raise ParseError(_("Word 文件已损坏或格式不受支持，无法读取正文")) from exc

    numbering = WordNumbering(document)
    blocks: list[Block] = []
    for index, child in enumerate(children, start=1):
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = DocxParagraph(child, document)
            text = paragraph.text
            if text.strip():
                text = numbering.marker(paragraph) + text.strip()
                blocks.append(Line(text=strip_markup(text).strip(), line=index))
        elif tag == "tbl":
            rows = _docx_rows(DocxTable(child, document))
            if rows:
                blocks.append(TableBlock(rows=rows, line=index))
    return blocks


def _names(data: bytes) -> set[str]:
    try:
        return set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return set()


def _docx_rows(table: Any) -> list[list[str]]:  # a python-docx Table
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans; keep its text once.
            cells.append("" if cell._tc is previous else cell.text.replace("\n", " ").strip())
            previous = cell._tc
        if any(cells):
            rows.append(cells)
    return rows
