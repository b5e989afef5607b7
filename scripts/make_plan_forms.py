#!/usr/bin/env python
"""Write the reference plan in other file forms, as test fixtures for the plan parser.

    python scripts/make_plan_forms.py [--out DIR]

Reads gaodi/plans/examples/chiping-2020-19.txt and writes into
gaodi/plans/tests/fixtures/forms/ (see the README.md there):

* chiping-2020-19.gb18030.txt  the same text, encoded GB18030;
* chiping-2020-19.docx         python-docx: paragraphs and real Word tables, in order;
* chiping-2020-19.pdf          WeasyPrint from HTML built from the same blocks: a PDF
                               with a text layer, ruled tables, A4, 16pt body text.

With --gbt9704 it also writes

* chiping-2020-19-gbt9704.pdf  the same blocks laid out as a printed 公文 (GB/T 9704):
                               margins 37/26/35/28 mm, 16pt body at a 28.95pt line pitch
                               (22 lines a page), first line indented 2em, body text
                               justified between the margins with the extra width spread
                               between the characters (as Word justifies Chinese), and a
                               centred page number "— N —" 7 mm below the text block.

WeasyPrint justifies only at spaces, so a line of Chinese stays ragged under
`text-align: justify`. The 公文 PDF is therefore laid out twice: once to learn where each
body line breaks and how much room it leaves, then again with each line set on its own,
its letters spaced so that its last character ends at the right margin (the paragraph's
last line is left as it is).

How the txt is read: blocks are separated by blank lines; a run of lines holding a TAB is
a table (one row a line, cells split on TAB, rows padded to the table's widest row); a
table continued after a blank line (a page break in the original) stays a separate table,
as a PDF-to-Word conversion gives it. Other lines are paragraphs, one a line, except the
two-line bold title at the top, which is one paragraph with a line break. Markdown bold
(`**`) is rendered as bold without the asterisks; everything else is kept verbatim, also
the "- " before 附件 and 备注 and the paragraphs cut in two by a page break (the parser
must join those). The four space-separated rows that end the leading-group table stay
paragraphs without indentation.

Needs python-docx, WeasyPrint (pip) and Debian fonts-noto-cjk. The docx is written with
a fixed zip timestamp so that regenerating it gives the same bytes.
"""

from __future__ import annotations

import argparse
import html
import io
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "gaodi" / "plans" / "examples" / "chiping-2020-19.txt"
OUT = ROOT / "gaodi" / "plans" / "tests" / "fixtures" / "forms"
STEM = "chiping-2020-19"
GBT9704_STEM = f"{STEM}-gbt9704"

FIXED_TIME = datetime(2020, 7, 2, tzinfo=UTC)  # the plan's own date
PDF_FONTS = ("Noto Serif CJK SC", "Noto Sans CJK SC")

# ----------------------------------------------------------------------------- blocks


@dataclass
class Para:
    """One paragraph: runs of (text, bold); '\n' inside a run is a line break."""

    runs: list[tuple[str, bool]]
    kind: str = "body"  # body | title | heading | plain

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


@dataclass
class Table:
    rows: list[list[str]] = field(default_factory=list)


Item = Para | Table

_HEADING = re.compile(r"^[一二三四五六七八九十]+、\S{1,20}$")
_SPACED_ROW = re.compile(r"^[\u4e00-\u9fff]{2,4} \S+$")


def _bold_runs(lines: list[str]) -> list[list[tuple[str, bool]]]:
    """Split markdown bold over the lines of one block.

    `**` toggles bold and may span lines. An odd count means the opener was lost in the
    export (`- 备注:** 1. ...`): the block then starts bold.
    """
    joined = "\n".join(lines)
    if joined.count("**") % 2:
        joined = "**" + joined
    out: list[list[tuple[str, bool]]] = [[]]
    for i, piece in enumerate(joined.split("**")):
        bold = i % 2 == 1
        for j, part in enumerate(piece.split("\n")):
            if j:
                out.append([])
            if part:
                out[-1].append((part, bold))
    return out


def read_items(text: str) -> list[Item]:
    """The document as paragraphs and tables, in order."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)

    items: list[Item] = []
    title_pending = True  # the bold title is the first block that opens with **
    for block in blocks:
        # A block could mix table lines and text lines: split it into runs of each.
        runs: list[list[str]] = []
        for line in block:
            if runs and ("\t" in line) == ("\t" in runs[-1][0]):
                runs[-1].append(line)
            else:
                runs.append([line])
        for lines in runs:
            if "\t" in lines[0]:
                rows = [line.split("\t") for line in lines]
                width = max(len(row) for row in rows)
                items.append(Table([row + [""] * (width - len(row)) for row in rows]))
                continue
            after_table = bool(items) and isinstance(items[-1], Table)
            bold_lines = _bold_runs(lines)
            if title_pending and lines[0].startswith("**") and len(lines) > 1:
                # The two-line bold title: one paragraph with a line break.
                runs_ = [
                    (("\n" if i else "") + t, b)
                    for i, line_runs in enumerate(bold_lines)
                    for t, b in line_runs
                ]
                items.append(Para(runs_, "title"))
            elif after_table and all(_SPACED_ROW.match(line) for line in lines):
                # The leading-group table's last rows, space-separated in the source.
                items.extend(Para(r, "plain") for r in bold_lines)
            else:
                for line_runs in bold_lines:
                    para = Para(line_runs)
                    if _HEADING.match(para.text):
                        para.kind = "heading"
                    items.append(para)
            if lines[0].startswith("**"):
                title_pending = False
    return items


# ----------------------------------------------------------------------------- docx

BODY_FONT = ("仿宋", "仿宋")  # (ascii/hAnsi, eastAsia)
HEADING_FONT = ("黑体", "黑体")


def _set_fonts(run_or_style, font: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    run_or_style.font.name = font[0]
    rpr = run_or_style.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), font[1])


def write_docx(items: list[Item], path: Path) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = Pt(16)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(28)

    props = doc.core_properties
    props.title = "聊城市茌平区建设职业教育创新发展高地实施方案"
    props.author = props.last_modified_by = "gaodi scripts/make_plan_forms.py"
    props.created = props.modified = props.last_printed = FIXED_TIME
    props.revision = 1

    previous: Item | None = None
    for item in items:
        if isinstance(item, Table):
            if isinstance(previous, Table):
                doc.add_paragraph()  # Word would merge two adjacent tables
            ncols = len(item.rows[0])
            table = doc.add_table(rows=len(item.rows), cols=ncols)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for row, values in zip(table.rows, item.rows, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    par = cell.paragraphs[0]
                    par.paragraph_format.line_spacing = 1.0
                    if value:
                        run = par.add_run(value)
                        _set_fonts(run, BODY_FONT)
                        run.font.size = Pt(9 if ncols > 8 else 10.5)
        else:
            par = doc.add_paragraph()
            font = HEADING_FONT if item.kind in ("title", "heading") else BODY_FONT
            if item.kind == "title":
                par.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif item.kind != "plain":
                par.paragraph_format.first_line_indent = Pt(32)
            for text, bold in item.runs:
                for i, piece in enumerate(text.split("\n")):
                    run = par.add_run()
                    if i:
                        run.add_break(WD_BREAK.LINE)
                    run.add_text(piece)
                    run.bold = bold or None
                    _set_fonts(run, font)
                    if item.kind == "title":
                        run.font.size = Pt(22)
        previous = item

    buffer = io.BytesIO()
    doc.save(buffer)
    _write_zip_fixed_time(buffer.getvalue(), path)


def _write_zip_fixed_time(data: bytes, path: Path) -> None:
    """Rewrite a zip with one fixed timestamp, so that the same input gives the same bytes."""
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))


# ----------------------------------------------------------------------------- pdf

CSS = """
@page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }
body { margin: 0; font-family: %(fonts)s; font-size: 16pt; line-height: 1.6; }
p { margin: 0; text-indent: 2em; text-align: left; }
p.title { text-indent: 0; text-align: center; font-size: 20pt; margin: 0.4em 0; }
p.heading { font-family: "Noto Sans CJK SC", sans-serif; }
p.plain { text-indent: 0; }
table { border-collapse: separate; border-spacing: 0; width: 100%%; margin: 0.4em 0;
        font-size: 12pt; line-height: 1.3; }
table.wide { font-size: 9pt; }
table.fixed { table-layout: fixed; }
tr.keep { break-inside: avoid; }
/* Separate borders cloned on every fragment: a row split by a page break is closed at
   the foot of the page and reopened at the head of the next, as Word draws it (with
   collapsed borders the fragments have no rule there and a table finder drops them). */
td { border: 1px solid #000; padding: 2pt 3pt; vertical-align: top;
     overflow-wrap: break-word; orphans: 1; widows: 1; box-decoration-break: clone; }
"""

# Rows whose longest cell is at most this long are kept on one page.
KEEP_ROW_CHARS = 30


def _column_widths(rows: list[list[str]]) -> list[float] | None:
    """Fixed column widths (in %) for the indicator, 专业布局 and task tables.

    Left to automatic layout, the long first column takes nearly all the width and cells
    such as "2020年" wrap between the digits and 年.
    """
    ncols = len(rows[0])
    if ncols == 13:  # 专业布局: 产业 | (开设专业 | 专业点数 | 学生数) x 4 years
        return [7.0] + [11.25, 5.5, 6.5] * 4
    if ncols == 5:  # indicator tables: 指标 | 现有基础 | 2020年 | 2021年 | 2022年
        return [34.0] + [16.5] * 4
    if ncols == 3 and all(row[0] == "序号" or row[0].isdigit() for row in rows):
        return [9.0, 63.0, 28.0]  # task list: 序号 | 政策内容 | 责任部门
    return None


def build_html(
    items: list[Item],
    css: str = CSS,
    lines: dict[int, list[tuple[int, float]]] | None = None,
    mark: bool = False,
) -> str:
    """The document as HTML.

    css: the style sheet (the default gives the plain PDF, byte for byte as before).
    mark: give every paragraph a data-i attribute (its index in items), to find its lines
    in the laid-out document. lines: paragraph index -> its lines as (characters, letter
    spacing in pt), each set on its own (see _justify_lines).
    """
    fonts = ", ".join(f'"{name}"' for name in PDF_FONTS) + ", serif"
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        "<title>聊城市茌平区建设职业教育创新发展高地实施方案</title>",
        f"<style>{css % {'fonts': fonts}}</style></head><body>",
    ]
    for index, item in enumerate(items):
        if isinstance(item, Table):
            widths = _column_widths(item.rows)
            classes = " ".join(
                name for name, on in (("wide", len(item.rows[0]) > 8), ("fixed", widths)) if on
            )
            out.append(f'<table class="{classes}">' if classes else "<table>")
            if widths:
                cols = "".join(f'<col style="width: {w}%">' for w in widths)
                out.append(f"<colgroup>{cols}</colgroup>")
            for row in item.rows:
                cells = "".join(f"<td>{html.escape(value)}</td>" for value in row)
                # Short rows move to the next page whole; long ones (the task list's)
                # may break between lines, as Word's "allow row to break across pages".
                keep = max(len(value) for value in row) <= KEEP_ROW_CHARS
                out.append(f'<tr class="keep">{cells}</tr>' if keep else f"<tr>{cells}</tr>")
            out.append("</table>")
        else:
            if lines and index in lines:
                body = _set_lines(item, lines[index])
            else:
                body = ""
                for text, bold in item.runs:
                    piece = html.escape(text).replace("\n", "<br>")
                    body += f"<b>{piece}</b>" if bold else piece
            cls = f' class="{item.kind}"' if item.kind != "body" else ""
            data = f' data-i="{index}"' if mark else ""
            out.append(f"<p{cls}{data}>{body}</p>")
    out.append("</body></html>")
    return "\n".join(out)


# The 公文 layout (GB/T 9704-2012): A4, text block 156 x 225 mm (top 37, bottom 35, left 28,
# right 26 mm), body 3号 (16pt) at 22 lines a page (225 mm / 22 = 28.95pt), the page
# number 4号 (14pt) between two 一字线, 7 mm below the text block, here centred.
GBT9704_CSS = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm;
        @bottom-center { content: "— " counter(page) " —"; vertical-align: top;
                         padding-top: 7mm; font-family: "Noto Serif CJK SC", serif;
                         font-size: 14pt; line-height: 1; } }
body { margin: 0; font-family: %(fonts)s; font-size: 16pt; line-height: 28.95pt; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.title { text-indent: 0; text-align: center; font-size: 22pt; line-height: 1.4;
          margin: 0 0 28.95pt; }
p.heading { font-family: "Noto Sans CJK SC", sans-serif; }
p.plain { text-indent: 0; }
span.line { white-space: nowrap; }
table { border-collapse: separate; border-spacing: 0; width: 100%%; margin: 0.4em 0;
        font-size: 12pt; line-height: 1.3; }
table.wide { font-size: 9pt; }
table.fixed { table-layout: fixed; }
tr.keep { break-inside: avoid; }
td { border: 1px solid #000; padding: 2pt 3pt; vertical-align: top;
     overflow-wrap: break-word; orphans: 1; widows: 1; box-decoration-break: clone; }
"""


def _set_lines(para: Para, lines: list[tuple[int, float]]) -> str:
    """A paragraph's HTML with each line in its own span, ended by a forced break.

    lines: (number of characters of the paragraph's text on the line, letter spacing).
    Characters the layout dropped at a line end (a space) are dropped here too.
    """
    chars = [(c, bold) for text, bold in para.runs for c in text]
    out: list[str] = []
    start = 0
    for n, spacing in lines:
        while start < len(chars) and chars[start][0] == " ":
            start += 1
        piece = chars[start : start + n]
        start += n
        body = ""
        for c, bold in piece:
            body += f"<b>{html.escape(c)}</b>" if bold else html.escape(c)
        body = body.replace("</b><b>", "")
        style = f' style="letter-spacing: {spacing:.3f}pt"' if spacing else ""
        out.append(f'<span class="line"{style}>{body}</span>')
    if start < len(chars) and any(c != " " for c, _ in chars[start:]):
        raise RuntimeError(f"lines do not cover the paragraph: {para.text[:30]}…")
    return "<br>".join(out)


def _justify_lines(document: Any, items: list[Item]) -> dict[int, list[tuple[int, float]]]:
    """From a first layout: each justified paragraph's lines as (characters, spacing).

    A line's spacing spreads the room it leaves before the right margin evenly over the
    gaps between its characters; the paragraph's last line keeps its natural spacing.
    """
    from weasyprint.formatting_structure import boxes

    px_per_pt = 96 / 72
    found: dict[int, list[tuple[str, float]]] = {}  # index -> (text, room in pt)

    def walk(box: Any, index: int | None, right: float) -> None:
        if isinstance(box, boxes.LineBox):
            if index is None:
                return
            texts = [b for b in box.descendants() if isinstance(b, boxes.TextBox)]
            if not texts:
                return
            text = "".join(b.text for b in texts)
            end = max(b.position_x + b.width for b in texts)
            found.setdefault(index, []).append((text, (right - end) / px_per_pt))
            return
        if isinstance(box, boxes.BlockBox) and getattr(box, "element_tag", None) == "p":
            data = box.element.get("data-i") if box.element is not None else None
            if data is not None:
                index = int(data)
                right = box.content_box_x() + box.width
        for child in getattr(box, "children", []):
            walk(child, index, right)

    for page in document.pages:
        walk(page._page_box, None, 0.0)

    lines: dict[int, list[tuple[int, float]]] = {}
    for index, found_lines in found.items():
        item = items[index]
        if not isinstance(item, Para) or item.kind == "title" or len(found_lines) < 2:
            continue
        out: list[tuple[int, float]] = []
        for number, (text, room) in enumerate(found_lines):
            text = text.rstrip(" ")
            last = number == len(found_lines) - 1
            gaps = len(text) - 1
            spacing = room / gaps if not last and gaps > 0 and room > 0 else 0.0
            out.append((len(text), spacing))
        lines[index] = out
    return lines


def check_fonts() -> None:
    try:
        families = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        families = ""
    if not all(name in families for name in PDF_FONTS):
        sys.exit(
            "make_plan_forms: Noto CJK fonts not found (fc-list); install them with\n"
            "  apt-get update && apt-get install -y fonts-noto-cjk\n"
            "or the PDF's Chinese would render as empty boxes."
        )


def write_pdf(items: list[Item], path: Path) -> None:
    check_fonts()
    try:
        from weasyprint import HTML
    except ImportError:
        sys.exit("make_plan_forms: WeasyPrint is missing: pip install weasyprint")
    # A fixed identifier, no creation date and a fixed timestamp in the subset fonts'
    # head table (fontTools reads SOURCE_DATE_EPOCH) keep the bytes the same from run to run.
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(FIXED_TIME.timestamp())))
    HTML(string=build_html(items), base_url=str(ROOT)).write_pdf(
        path, pdf_identifier=b"gaodi-chiping-2020-19"
    )


def write_pdf_gbt9704(items: list[Item], path: Path) -> None:
    """The 公文 PDF: laid out once to find the lines, then again with each line justified."""
    check_fonts()
    try:
        from weasyprint import HTML
    except ImportError:
        sys.exit("make_plan_forms: WeasyPrint is missing: pip install weasyprint")
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(FIXED_TIME.timestamp())))
    # The first layout sets every line flush left, to measure the room it leaves (under
    # `justify` WeasyPrint would already have spread the lines that hold a space).
    natural = GBT9704_CSS + "p { text-align: left; }\n"
    first = HTML(string=build_html(items, natural, mark=True), base_url=str(ROOT)).render()
    lines = _justify_lines(first, items)
    final = HTML(string=build_html(items, GBT9704_CSS, lines=lines), base_url=str(ROOT)).render()
    if len(final.pages) != len(first.pages):
        raise RuntimeError("justifying the lines changed the page count")
    final.write_pdf(path, pdf_identifier=GBT9704_STEM.encode("ascii"))


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"default: {OUT}")
    parser.add_argument(
        "--gbt9704",
        action="store_true",
        help=f"also write {GBT9704_STEM}.pdf, the plan laid out as a printed 公文 (GB/T 9704)",
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    text = SOURCE.read_text(encoding="utf-8")
    items = read_items(text)

    encoded = text.encode("gb18030")
    assert encoded.decode("gb18030") == text
    targets = {
        "txt": out / f"{STEM}.gb18030.txt",
        "docx": out / f"{STEM}.docx",
        "pdf": out / f"{STEM}.pdf",
    }
    targets["txt"].write_bytes(encoded)
    write_docx(items, targets["docx"])
    write_pdf(items, targets["pdf"])
    if args.gbt9704:
        targets["gbt9704"] = out / f"{GBT9704_STEM}.pdf"
        write_pdf_gbt9704(items, targets["gbt9704"])

    tables = sum(isinstance(item, Table) for item in items)
    print(f"{len(items) - tables} paragraphs, {tables} tables from {SOURCE.relative_to(ROOT)}")
    for path in targets.values():
        print(
            f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
            f"  ({path.stat().st_size:,} bytes)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
