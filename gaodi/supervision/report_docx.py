"""督导报告 as a Word document: SupervisionReport in, .docx bytes out (pure: no Django).

The 公文 layout of GB/T 9704 through `gongwen`: the red 发文机关标志, the number, the red
separator, the title, the body in numbered parts (一、二、三、 in 黑体), the issuer and date, and
page numbers "— 1 —" in the footer (a PAGE field: Word fills it in when it lays out the pages).
The charts are tables of bars made of █ characters in the lights' colours, in proportion to
the figures: python-docx cannot make Word charts.
"""

from __future__ import annotations

import io

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.table import Table
from docx.text.run import Run

from gaodi.i18n import _

from . import gongwen
from .report_charts import FILL, LABEL, TRACK, Bar, Chart, Section, chart, light_name, sections
from .report_data import SupervisionReport

TABLE_SIZE = 10.5  # 五号: ten columns fit the 版心
BAR_CHARS = 20  # a full bar, in █ characters
BLOCK = "█"


def render_docx(report: SupervisionReport) -> bytes:
    """The report as .docx bytes, laid out as a 公文 (GB/T 9704)."""
    document = gongwen.new_document()
    gongwen.add_red_header(document, report.issuer, report.number)
    gongwen.add_paragraph(document, report.title, style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
    for section in sections(report):
        _section(document, report, section)
    gongwen.add_signature(document, report.issuer, report.issued_on)
    gongwen.add_page_numbers(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _section(document: Document, report: SupervisionReport, section: Section) -> None:
    heading = document.add_paragraph(section.heading, style="Heading 1")
    heading.paragraph_format.first_line_indent = Pt(2 * gongwen.BODY_SIZE)
    for text in section.text:
        gongwen.add_paragraph(document, text, indent=True, pitch=True)
    if section.columns:
        _table(document, section)
    drawn = chart(report, section.chart) if section.chart else None
    if drawn is not None:
        _bar_chart(document, drawn)


def _table(document: Document, section: Section) -> None:
    if not section.rows:
        gongwen.add_paragraph(document, _("无。"), indent=True, pitch=True)
        return
    colour = section.colour_column
    rows = [
        [light_name(str(v)) if i == colour else str(v) for i, v in enumerate(row)]
        for row in section.rows
    ]
    table = gongwen.add_table(
        document, section.columns, rows, widths=section.widths, size=TABLE_SIZE
    )
    if colour is not None:
        for row, values in zip(table.rows[1:], section.rows, strict=True):
            _paint(row.cells[colour].paragraphs[0].runs, LABEL.get(str(values[colour])))


def _paint(runs: list[Run], hex_colour: str | None) -> None:
    for run in runs:
        run.bold = True
        if hex_colour is not None:
            run.font.color.rgb = RGBColor.from_string(hex_colour.lstrip("#").upper())


def _bar_chart(document: Document, drawn: Chart) -> None:
    """The chart as a borderless table of bars made of █ characters in the lights' colours:
    python-docx cannot draw Word charts, and a picture would need matplotlib; the bars are
    proportional to the figures, which are printed beside them."""
    caption = gongwen.add_paragraph(document, drawn.title, align=WD_ALIGN_PARAGRAPH.CENTER)
    for run in caption.runs:
        run.font.size = Pt(TABLE_SIZE)
        run.bold = True
    if drawn.legend:
        legend = document.add_paragraph()
        legend.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for colour, name in drawn.legend:
            _block(legend.add_run(BLOCK), FILL.get(colour, colour))
            legend.add_run(f" {name}  ").font.size = Pt(TABLE_SIZE)
    table = document.add_table(rows=0, cols=3)  # no style: no borders
    for bar in drawn.bars:
        cells = table.add_row().cells
        cells[0].text = bar.label
        cells[0].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        for colour, count in bar_blocks(bar, drawn.maximum):
            _block(cells[1].paragraphs[0].add_run(BLOCK * count), FILL.get(colour, colour))
        cells[2].text = bar.note
    gongwen.set_widths(table, [4, 8, 5])
    gongwen.set_table_size(table, TABLE_SIZE)
    _no_spacing(table)


def bar_blocks(bar: Bar, maximum: float, width: int = BAR_CHARS) -> list[tuple[str, int]]:
    """The bar as (colour, number of █) runs: cumulative rounding keeps the total true to the
    figure; a target leaves a pale track up to it."""
    runs: list[tuple[str, int]] = []
    total, drawn = 0.0, 0
    for colour, length in bar.segments:
        total += length
        count = round(width * total / maximum) - drawn
        if count > 0:
            runs.append((colour, count))
            drawn += count
    if bar.target is not None:
        short = round(width * bar.target / maximum) - drawn
        if short > 0:
            runs.append((TRACK, short))
    return runs


def _block(run: Run, hex_colour: str) -> None:
    run.font.size = Pt(TABLE_SIZE)
    run.font.color.rgb = RGBColor.from_string(hex_colour.lstrip("#").upper())
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(slot), gongwen.HEADING_FONT)  # 黑体 has full-width █, no gaps between
    fonts.set(qn("w:hint"), "eastAsia")


def _no_spacing(table: Table) -> None:
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.space_before = Pt(0)
