"""The printable 交办单: data in, .docx bytes out (pure: no Django, no database).

Layout after GB/T 9704 (党政机关公文格式): A4, margins 37/35/28/26 mm, title in 小标宋 (二号,
22 pt), body in 仿宋 (三号, 16 pt), headings in 黑体. The styles name the Chinese fonts
(宋体, 仿宋, 黑体) and the font table gives each its Windows name and a Noto CJK fallback, so
the sheet prints the same on a government PC and opens readably on a Linux desk.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_PARAGRAPH_ALIGNMENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.styles.style import ParagraphStyle
from lxml import etree

from gaodi.i18n import _

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


@dataclass(frozen=True)
class SheetTask:
    """One task as the sheet prints it."""

    label: str  # 重点任务（十四）
    title: str
    deadlines: list[str] = field(default_factory=list)  # "2020-06-30（2020年6月底前）"
    targets: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)  # the other role's departments


@dataclass(frozen=True)
class HandoverSheet:
    """What a 交办单 says: who hands what to whom, and the 签收 line."""

    number: str  # 交〔2021〕3号
    plan_title: str
    plan_doc_number: str
    issuer: str
    department: str
    issued_on: str  # 2021年6月30日
    lead: list[SheetTask]
    coop: list[SheetTask]
    acknowledged_by: str = ""
    acknowledged_on: str = ""


def render_handover(sheet: HandoverSheet) -> bytes:
    """The 交办单 as .docx bytes."""
    document = docx.Document()
    _page(document)
    _styles(document)
    _font_table(document)
    _paragraph(document, _("任务交办单"), style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, sheet.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, _("{department}：").format(department=sheet.department))
    _paragraph(
        document,
        _(
            "根据《{plan}》（{doc_number}），现将你单位牵头和配合的任务交办如下，"
            "请认真研究、抓好落实，按时限报送进展，并于收到后及时签收。"
        ).format(plan=sheet.plan_title, doc_number=sheet.plan_doc_number or "—"),
        indent=True,
    )
    _task_table(
        document, _("一、牵头任务（{n}项）").format(n=len(sheet.lead)), sheet.lead, _("配合单位")
    )
    _task_table(
        document, _("二、配合任务（{n}项）").format(n=len(sheet.coop)), sheet.coop, _("牵头单位")
    )
    _paragraph(document, sheet.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, sheet.issued_on, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _signature(document, sheet)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page(document: docx.document.Document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)


def _set_fonts(style: ParagraphStyle, east_asia: str, size: float, *, bold: bool = False) -> None:
    style.font.name = LATIN_FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)  # a theme font would override the named one


def _styles(document: docx.document.Document) -> None:
    styles = document.styles
    _set_fonts(styles["Normal"], BODY_FONT, 16)
    _set_fonts(styles["Title"], TITLE_FONT, 22, bold=True)
    _set_fonts(styles["Heading 1"], HEADING_FONT, 16)
    for name in ("Title", "Heading 1"):
        styles[name].font.color.rgb = None
    title_border = styles["Title"].element.pPr
    if title_border is not None:  # the default Title draws a rule under itself
        for border in title_border.findall(qn("w:pBdr")):
            title_border.remove(border)


def _font_table(document: docx.document.Document) -> None:
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


def _paragraph(
    document: docx.document.Document,
    text: str,
    *,
    style: str | None = None,
    align: WD_PARAGRAPH_ALIGNMENT | None = None,
    indent: bool = False,
) -> None:
    paragraph = document.add_paragraph(text, style=style)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号


def _task_table(
    document: docx.document.Document, heading: str, tasks: list[SheetTask], partners: str
) -> None:
    document.add_paragraph(heading, style="Heading 1")
    if not tasks:
        _paragraph(document, _("无。"))
        return
    columns = [_("任务"), partners, _("时限"), _("目标")]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for task in tasks:
        cells = table.add_row().cells
        cells[0].text = f"{task.label} {task.title}"
        cells[1].text = "、".join(task.partners) or "—"
        cells[2].text = "\n".join(task.deadlines) or "—"
        cells[3].text = "\n".join(task.targets) or "—"
    for row in table.rows:  # 四号 in tables, so that four columns fit the page
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(12)


def _signature(document: docx.document.Document, sheet: HandoverSheet) -> None:
    document.add_paragraph(_("签收回执"), style="Heading 1")
    table = document.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    labels = [_("签收单位"), _("签收人"), _("签收日期")]
    values = [
        sheet.department,
        sheet.acknowledged_by or "",
        sheet.acknowledged_on or _("    年  月  日"),
    ]
    for cell, text in zip(table.rows[0].cells, labels, strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, values, strict=True):
        cell.text = text
