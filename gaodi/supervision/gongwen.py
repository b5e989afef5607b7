"""The 公文 page in Word (GB/T 9704-2012 党政机关公文格式), shared by every .docx Gaodi prints.

A4, margins 37/35/28/26 mm (版心 156 x 225 mm); title in 小标宋 (二号, 22 pt: 宋体 bold stands
in, as few desks have 方正小标宋), body in 仿宋 (三号, 16 pt), headings in 黑体. The styles name
the Chinese fonts on the East-Asian slot (`w:eastAsia`: Word otherwise falls back to a Latin
face) and the font table gives each its Windows name and a Noto CJK fallback, so a document
prints the same on a government PC and opens readably on a Linux desk. Pure: no Django.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.text.font import CT_RPr
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

BODY_FONT = "仿宋"
TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
# Chinese name -> (Windows English name, Noto fallback), written into the font table.
FALLBACKS = {
    "仿宋": ("FangSong", "Noto Serif CJK SC"),
    "宋体": ("SimSun", "Noto Serif CJK SC"),
    "黑体": ("SimHei", "Noto Sans CJK SC"),
}
BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
TABLE_SIZE = 12  # 小四: a table of four or more columns fits the 156 mm 版心
PAGE_NUMBER_SIZE = 14  # 四号
TEXT_WIDTH_MM = 156
RED = RGBColor(0xE6, 0x00, 0x12)  # 版头 red as printed on 红头文件
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm 版心 (GB/T 9704 5.2.2)


def new_document() -> Document:
    """An empty document with the 公文 page, styles and font table."""
    document = docx.Document()
    set_page(document)
    set_styles(document)
    add_font_table(document)
    return document


def set_page(document: Document) -> None:
    """A4 portrait with the 公文 margins: top 37, bottom 35, left 28, right 26 mm."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def set_fonts(style: ParagraphStyle, east_asia: str, size: float, *, bold: bool = False) -> None:
    """Name the Chinese font on the East-Asian slot and drop the theme fonts that override it."""
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the named one


def set_styles(document: Document) -> None:
    """Normal in 仿宋 三号, Title in 宋体 二号 bold, Heading 1 in 黑体 三号; all black."""
    styles = document.styles
    set_fonts(styles["Normal"], BODY_FONT, BODY_SIZE)
    set_fonts(styles["Title"], TITLE_FONT, TITLE_SIZE, bold=True)
    set_fonts(styles["Heading 1"], HEADING_FONT, BODY_SIZE)
    for name in ("Title", "Heading 1"):
        styles[name].font.color.rgb = None
    title_border = styles["Title"].element.pPr
    if title_border is not None:  # the default Title draws a rule under itself
        for border in title_border.findall(qn("w:pBdr")):
            title_border.remove(border)


def add_font_table(document: Document) -> None:
    """Declare each Chinese font with its alternative names: Word tries the Windows name,
    LibreOffice the list after it (Noto CJK ships with most Linux desktops)."""
    fonts_part = next(
        (p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"),
        None,
    )
    if fonts_part is None:
        return
    root = parse_xml(fonts_part.blob)
    for name, (windows, noto) in FALLBACKS.items():
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        alt = OxmlElement("w:altName")
        alt.set(qn("w:val"), f"{windows};{noto}")
        charset = OxmlElement("w:charset")
        charset.set(qn("w:val"), "86")  # GB2312
        font.extend([alt, charset])
        root.append(font)
    # python-docx keeps an unknown part as bytes: write the edited table back.
    fonts_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_paragraph(
    document: Document,
    text: str,
    *,
    style: str | None = None,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    indent: bool = False,
    pitch: bool = False,
) -> Paragraph:
    """A paragraph; `indent` sets the two-character first-line indent of 公文 body text,
    `pitch` the fixed 28.95 pt line pitch of the 版心 (body text, not tables)."""
    paragraph = document.add_paragraph(text, style=style)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * BODY_SIZE)
    if pitch:
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        paragraph.paragraph_format.line_spacing = LINE_PITCH
    return paragraph


def set_east_asian_font(run_properties: CT_RPr, east_asia: str) -> None:
    """Put a font on a run's East-Asian slot (`run._r.get_or_add_rPr()`), Latin beside it."""
    fonts = run_properties.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)


def add_red_header(document: Document, issuer: str, number: str) -> None:
    """The 版头 (GB/T 9704 7.2): 发文机关标志 in red, centred; 发文字号 centred two lines
    below it; and a red separator line the width of the 版心 under the number."""
    mark = document.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    mark.paragraph_format.space_after = Pt(2 * LINE_PITCH.pt)
    run = mark.add_run(issuer)
    run.font.size = Pt(30 if len(issuer) <= 12 else 24)  # the mark fits one line
    run.font.bold = True
    run.font.color.rgb = RED
    set_east_asian_font(run._r.get_or_add_rPr(), TITLE_FONT)
    line = add_paragraph(document, number, align=WD_ALIGN_PARAGRAPH.CENTER)
    line.paragraph_format.space_after = Pt(2 * LINE_PITCH.pt)  # the title two lines below
    _red_rule_under(line)


def _red_rule_under(paragraph: Paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")  # eighths of a point: 1.5 pt
    bottom.set(qn("w:space"), "11")  # points between the number and the rule (about 4 mm)
    bottom.set(qn("w:color"), str(RED))
    borders.append(bottom)
    # Word rejects a paragraph property out of the schema's order: pBdr goes before these.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_BORDERS)


_AFTER_BORDERS = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip


def add_signature(document: Document, issuer: str, issued_on: str) -> None:
    """发文机关署名 and 成文日期 at the end, the date four characters from the right
    (GB/T 9704 7.3.5), the issuer centred over it."""
    document.add_paragraph()
    name = add_paragraph(document, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT, pitch=True)
    date = add_paragraph(document, issued_on, align=WD_ALIGN_PARAGRAPH.RIGHT, pitch=True)
    date.paragraph_format.right_indent = Pt(4 * BODY_SIZE)
    name.paragraph_format.right_indent = Pt(signature_indent(issuer, issued_on) * BODY_SIZE)


def signature_indent(issuer: str, issued_on: str) -> float:
    """Characters between the issuer and the right margin, to centre it over a date that
    stands four characters in (digits are half a character)."""
    return max(0.0, 4 + (_ems(issued_on) - _ems(issuer)) / 2)


def _ems(text: str) -> float:
    return sum(1 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def add_page_numbers(document: Document) -> None:
    """页码 "— 1 —" in 宋体 四号 below the 版心 (GB/T 9704 7.5): odd pages on the right and
    even pages on the left, one character in from the edge, from a PAGE field."""
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    section.footer_distance = Mm(21)  # the dash sits about 7 mm under the 版心
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(PAGE_NUMBER_SIZE)
        else:
            paragraph.paragraph_format.left_indent = Pt(PAGE_NUMBER_SIZE)
        _page_field(paragraph)


def _page_field(paragraph: Paragraph) -> None:
    for text, kind in (("— ", None), ("begin", "begin"), (" PAGE ", "instr"), ("separate", "sep")):
        _footer_run(paragraph, text, kind)
    _footer_run(paragraph, "1", None)  # shown until the field is updated
    _footer_run(paragraph, "end", "end")
    _footer_run(paragraph, " —", None)


def _footer_run(paragraph: Paragraph, text: str, kind: str | None) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(PAGE_NUMBER_SIZE)
    set_east_asian_font(run._r.get_or_add_rPr(), TITLE_FONT)
    if kind is None:
        run.text = text
    elif kind == "instr":
        instruction = OxmlElement("w:instrText")
        instruction.set(qn("xml:space"), "preserve")
        instruction.text = text
        run._r.append(instruction)
    else:
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), {"begin": "begin", "sep": "separate", "end": "end"}[kind])
        run._r.append(char)


def add_table(
    document: Document,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths: Sequence[float] | None = None,
    size: float = TABLE_SIZE,
) -> Table:
    """A ruled table centred on the page, the header row bold and repeated on each page;
    `widths` are relative column weights spread over the 156 mm 版心."""
    table: Table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    _repeat_header(table)
    for values in rows:
        row = table.add_row()  # type: ignore[no-untyped-call]  # python-docx leaves it untyped
        for cell, text in zip(row.cells, values, strict=True):
            cell.text = text
    if widths is not None:
        set_widths(table, widths)
    set_table_size(table, size)
    return table


def _repeat_header(table: Table) -> None:
    properties = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def set_widths(table: Table, weights: Sequence[float]) -> None:
    """Spread the 版心 width over the columns in proportion to `weights`."""
    total = sum(weights)
    table.autofit = False
    for column, weight in enumerate(weights):
        width = Mm(TEXT_WIDTH_MM * weight / total)
        table.columns[column].width = width
        for row in table.rows:
            row.cells[column].width = width


def set_table_size(table: Table, size: float) -> None:
    """Every run in the table at `size` points (tables print smaller than body text)."""
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
