"""PDF reader (pdfplumber): text lines joined into paragraphs by the page's geometry, and
ruled tables as tables — a table cut by a page break is closed at the page edge so that
its last row is not lost.

A new paragraph starts on a line that is indented (a first-line indent) or that follows a
short line; a line that reaches the right margin continues onto the next one, across pages
too. Page numbers (- 3 -, 第3页) are dropped. A PDF without a text layer (a scan) is refused.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from gaodi.i18n import _

from .readers import MAX_PDF_PAGES, Block, Line, ParseError, TableBlock
from .text import strip_markup

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*$"
)
_LATIN = re.compile(r"[A-Za-z0-9]")
_DIGIT_GAP = re.compile(r"(?<=\d) (?=\d)")  # 21 0 -> 210: a gap the text extractor invented


@dataclass
class _Row:
    top: float
    x0: float
    x1: float
    text: str
    size: float
    in_margin: bool = False  # in the top or bottom 12 % of the page: a header or footer?


def read_pdf(data: bytes) -> list[Block]:
    try:
        import pdfplumber
        from pdfminer.pdfparser import PDFSyntaxError
    except ImportError as exc:  # pragma: no cover - pdfplumber is a dependency
        raise ParseError(_("缺少 PDF 解析组件 pdfplumber，请重新安装 Gaodi")) from exc
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise ParseError(
                    _("PDF 页数过多（超过 {limit} 页），请拆分后再上传").format(limit=MAX_PDF_PAGES)
                )
            pages = [_read_page(page) for page in pdf.pages]
    except ParseError:
        raise
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ParseError(_("PDF 文件已损坏或加密，无法读取文字")) from exc
    except Exception as exc:  # pdfminer raises many kinds on broken files  # noqa: BLE001
        raise ParseError(_("PDF 文件已损坏或格式不受支持，无法读取文字")) from exc
    if not any(isinstance(item, _Row) for page in pages for item in page):
        raise ParseError(_("PDF 没有文字层（可能是扫描件），请提供可以复制文字的 PDF 或 Word 文件"))
    return _paragraphs(_without_running_lines(pages))


def _without_running_lines(pages: list[list[_Row | TableBlock]]) -> list[_Row | TableBlock]:
    """Drop running headers and footers: a line in the page's top or bottom band whose text
    (numbers aside) stands on at least half of the pages (聊城市茌平区人民政府文件, 第3页)."""
    seen: dict[str, int] = {}
    for page in pages:
        keys = {_running_key(r) for r in page if isinstance(r, _Row) and r.in_margin}
        for key in keys:
            seen[key] = seen.get(key, 0) + 1
    threshold = max(2, len(pages) // 2)
    running = {key for key, count in seen.items() if count >= threshold}
    return [
        item
        for page in pages
        for item in page
        if not (isinstance(item, _Row) and item.in_margin and _running_key(item) in running)
    ]


def _running_key(row: _Row) -> str:
    return re.sub(r"\d+", "#", row.text.replace(" ", ""))


def _read_page(page: Any) -> list[_Row | TableBlock]:
    tables = _tables(page)
    boxes = [t.bbox for t in tables]
    items: list[tuple[float, _Row | TableBlock]] = []
    for line in page.extract_text_lines(return_chars=True):
        middle = (line["top"] + line["bottom"]) / 2
        if any(b[1] <= middle <= b[3] and b[0] - 2 <= line["x0"] <= b[2] for b in boxes):
            continue
        text = strip_markup(_DIGIT_GAP.sub("", _line_text(line).strip()))
        if not text or _PAGE_NUMBER.match(text):
            continue
        sizes = [c.get("size", 0) for c in line.get("chars", [])] or [12.0]
        band = page.height * 0.12
        items.append(
            (
                line["top"],
                _Row(
                    top=line["top"],
                    x0=line["x0"],
                    x1=line["x1"],
                    text=text,
                    size=float(sorted(sizes)[len(sizes) // 2]),
                    in_margin=line["top"] < band or line["bottom"] > page.height - band,
                ),
            )
        )
    for table in tables:
        rows = [[_cell(c) for c in row] for row in table.extract()]
        rows = [r for r in rows if any(r)]
        if rows:
            items.append((table.bbox[1], TableBlock(rows=rows, line=0)))
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


def _line_text(line: dict[str, Any]) -> str:
    """A line's text from its characters: a space only where the gap is wider than the line's
    usual spacing (justified and letter-spaced Chinese keeps its words together)."""
    chars = sorted((c for c in line.get("chars", []) if c.get("text")), key=lambda c: c["x0"])
    if not chars:
        return str(line.get("text", ""))
    gaps = [
        b["x0"] - a["x1"]
        for a, b in zip(chars, chars[1:], strict=False)
        if not a["text"].isspace() and not b["text"].isspace()
    ]
    usual = sorted(gaps)[len(gaps) // 2] if gaps else 0.0
    size = sorted(c.get("size", 12.0) for c in chars)[len(chars) // 2]
    out = [chars[0]["text"]]
    for previous, char in zip(chars, chars[1:], strict=False):
        if char["text"].isspace():
            out.append(" ")
            continue
        gap = char["x0"] - previous["x1"]
        if not previous["text"].isspace() and gap > max(usual + 0.25 * size, 1.0):
            out.append(" ")
        out.append(char["text"])
    return re.sub(r" {2,}", " ", "".join(out))


def _tables(page: Any) -> list[Any]:
    """Ruled tables; a table running off the page gets a closing line at its open edge."""
    edges = [e for e in page.edges if e["orientation"] == "v"]
    settings: dict[str, Any] = {}
    if edges:
        # Only rules that meet a vertical rule belong to a table (not a header's underline).
        horizontals = sorted(
            {
                round(h["top"], 1)
                for h in page.edges
                if h["orientation"] == "h"
                and any(
                    v["top"] - 2 <= h["top"] <= v["bottom"] + 2
                    and h["x0"] - 2 <= v["x0"] <= h["x1"] + 2
                    for v in edges
                )
            }
        )
        bottom = max(e["bottom"] for e in edges)
        top = min(e["top"] for e in edges)
        extra = []
        if not horizontals or bottom > horizontals[-1] + 2:
            extra.append(bottom)
        if not horizontals or top < horizontals[0] - 2:
            extra.append(top)
        if extra:
            settings["explicit_horizontal_lines"] = extra
    return list(page.find_tables(table_settings=settings))


def _cell(value: str | None) -> str:
    """Lines inside a cell were wrapped by the cell's width: join them."""
    if not value:
        return ""
    parts = [p.strip() for p in value.split("\n")]
    text = parts[0]
    for part in parts[1:]:
        glue = " " if text and part and _LATIN.match(text[-1]) and _LATIN.match(part[0]) else ""
        text += glue + part
    return _DIGIT_GAP.sub("", text.strip())


def _paragraphs(items: list[_Row | TableBlock]) -> list[Block]:
    rows = [i for i in items if isinstance(i, _Row)]
    margin, indent, right, size = _geometry(rows)
    blocks: list[Block] = []
    current: Line | None = None
    previous: _Row | None = None
    number = 0
    for item in items:
        if isinstance(item, TableBlock):
            number += 1
            item.line = number
            blocks.append(item)
            current, previous = None, None
            continue
        number += 1
        if (
            current is not None
            and previous is not None
            and _continues(previous, item, margin, indent, right, size)
        ):
            current.text += item.text
        else:
            current = Line(text=item.text, line=number)
            blocks.append(current)
        previous = item
    return blocks


def _geometry(rows: list[_Row]) -> tuple[float, float, float, float]:
    """Left margin, first-line indent position, right margin and the usual character size."""
    if not rows:  # only tables: nothing to join into paragraphs
        return 0.0, 24.0, 480.0, 12.0
    xs = Counter(round(r.x0) for r in rows)
    common = [x for x, n in xs.items() if n >= max(2, xs.most_common(1)[0][1] // 4)]
    margin = float(min(common or xs))  # no left edge shared by two lines: the leftmost
    size = float(Counter(round(r.size) for r in rows).most_common(1)[0][0]) or 12.0
    indents = [x for x in xs if margin + size * 1.5 <= x <= margin + size * 2.5]
    indent = float(max(indents, key=lambda x: xs[x])) if indents else margin + 2 * size
    ends = sorted(r.x1 for r in rows)
    right = ends[int(len(ends) * 0.9)] if ends else margin + 40 * size
    return margin, indent, right, size


def _continues(
    previous: _Row, row: _Row, margin: float, indent: float, right: float, size: float
) -> bool:
    if previous.x1 < right - 1.5 * size:
        return False  # the line above stopped short: its paragraph ended there
    if abs(row.x0 - indent) <= size * 0.4:
        return False  # a first-line indent opens a paragraph
    return abs(row.x0 - margin) <= size * 0.4 or row.x0 > indent + size
