"""督导报告 renderers: Word, PDF and Excel from a SupervisionReport (no database)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from dataclasses import replace

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from docx.shared import Length
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from gaodi.supervision.report_charts import (
    ATTAINMENT,
    PROGRESS,
    Bar,
    attainment_chart,
    chart,
    number,
    progress_chart,
    svg,
)
from gaodi.supervision.report_data import (
    AMBER,
    GREEN,
    RED,
    AttainmentRow,
    DepartmentRow,
    LightRow,
    RankRow,
    SupervisionReport,
    sample_report,
)
from gaodi.supervision.report_docx import bar_blocks, render_docx
from gaodi.supervision.report_pdf import refuse_fetch, render_pdf, report_html
from gaodi.supervision.report_xlsx import render_xlsx, safe_cell

RANKED = ["区财政局", "区教体局", "区人社局"]
SHEETS = ["概况", "各部门推进情况", "红黄灯任务", "逾期事项", "退回重报", "督查整改", "评分排名"]
SHEETS += ["指标达成"]
HOSTILE = "<script>alert(1)</script> & 《AT&T》"


def empty_report() -> SupervisionReport:
    return SupervisionReport(
        number="草稿",
        title="空报告",
        issuer="茌平区人民政府教育督导室",
        plan_title="某方案",
        plan_doc_number="",
        period="2021Q2",
        period_label="2021年第二季度",
        as_of="2021-06-30",
        issued_on="2021年7月1日",
        summary="",
    )


def style_name(paragraph: Paragraph) -> str:
    return paragraph.style.name if paragraph.style is not None else ""


def mm(length: Length | None) -> int:
    assert length is not None
    return int(round(length.mm))


def pdf_text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


@pytest.fixture(scope="module")
def word() -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(sample_report())))


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(sample_report())


@pytest.fixture(scope="module")
def book():  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(render_xlsx(sample_report())))


# Word ------------------------------------------------------------------------------------


def table_with_header(document: docx.document.Document, first: str) -> list[list[str]]:
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if rows and rows[0][0] == first:
            return rows
    raise AssertionError(first)


def test_the_word_report_carries_the_number_title_and_on_time_rate(
    word: docx.document.Document,
) -> None:
    texts = [p.text for p in word.paragraphs]
    assert texts[:3] == [
        "茌平区人民政府教育督导室",
        "茌平职教督〔2021〕2号",
        "关于2021年第一季度职业教育创新发展高地建设工作推进情况的督导报告",
    ]
    assert style_name(word.paragraphs[2]) == "Title"
    assert any("87.5%" in text for text in texts)
    assert [t for t in texts if t][-2:] == ["茌平区人民政府教育督导室", "2021年4月15日"]


def test_the_word_report_has_numbered_headings_in_order(word: docx.document.Document) -> None:
    headings = [p.text for p in word.paragraphs if style_name(p) == "Heading 1"]
    assert headings == [
        "一、总体情况",
        "二、主要数据",
        "三、各部门推进情况",
        "四、红黄灯任务",
        "五、逾期事项",
        "六、退回重报",
        "七、督查发现问题及整改",
        "八、部门评分排名",
        "九、指标达成情况",
        "十、说明",
    ]


def test_the_word_report_ranks_departments_in_order(word: docx.document.Document) -> None:
    ranking = table_with_header(word, "名次")
    assert [row[1] for row in ranking[1:]] == RANKED
    flagged = table_with_header(word, "任务")
    assert [row[2] for row in flagged[1:]] == ["红灯", "黄灯"]


def test_the_word_report_names_chinese_fonts_on_the_east_asian_slot(
    word: docx.document.Document,
) -> None:
    def east_asian(style: str) -> object:
        return word.styles[style].element.rPr.rFonts.get(qn("w:eastAsia"))

    assert east_asian("Normal") == "仿宋"
    assert east_asian("Heading 1") == "黑体"
    assert east_asian("Title") == "宋体"
    assert word.styles["Normal"].font.size.pt == 16
    assert word.styles["Title"].font.size.pt == 22
    table = next(
        p.blob for p in word.part.package.iter_parts() if p.partname == "/word/fontTable.xml"
    ).decode()
    assert "FangSong;Noto Serif CJK SC" in table


def test_the_word_report_has_a_red_header_and_gongwen_page(word: docx.document.Document) -> None:
    assert str(word.paragraphs[0].runs[0].font.color.rgb) == "E60012"
    rule = word.paragraphs[1]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert rule is not None and rule.get(qn("w:color")) == "E60012"
    section = word.sections[0]
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [mm(m) for m in margins] == [37, 35, 28, 26]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)


def test_the_word_report_numbers_pages_with_a_page_field(word: docx.document.Document) -> None:
    for footer in (word.sections[0].footer, word.sections[0].even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert "PAGE" in xml and "fldChar" in xml
        assert footer.paragraphs[0].text.startswith("— ")


def test_the_word_charts_are_bars_of_blocks_in_proportion(word: docx.document.Document) -> None:
    lights = table_with_header(word, "绿灯")  # the borderless chart table: label, bar, count
    assert [(row[0], len(row[1]), row[2]) for row in lights] == [
        ("绿灯", 20, "15"),
        ("黄灯", 7, "5"),
        ("红灯", 4, "3"),
    ]
    assert set(lights[0][1]) == {"█"}


def test_bar_blocks_keep_the_total_and_draw_the_track_to_the_target() -> None:
    bar = Bar("x", [(GREEN, 1.0), (AMBER, 1.0), (RED, 1.0)], "")
    assert sum(n for _, n in bar_blocks(bar, 3.0)) == 20
    short = Bar("y", [(RED, 0.5)], "", target=1.0)
    assert bar_blocks(short, 1.0) == [(RED, 10), ("#e6e9ed", 10)]


# PDF -------------------------------------------------------------------------------------


def test_the_pdf_says_the_figures_in_chinese(pdf: bytes) -> None:
    text = pdf_text(pdf)
    for figure in ("茌平职教督〔2021〕2号", "87.5%", "红灯", "黄灯", "大力开展社会培训"):
        assert figure in text
    ranking = text[text.index("八、部门评分排名") : text.index("九、指标达成情况")]
    assert [ranking.index(name) for name in RANKED] == sorted(ranking.index(n) for n in RANKED)


def test_the_pdf_pages_are_a4_and_numbered(pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) >= 2
        for page in document.pages:
            assert (round(page.width), round(page.height)) == (595, 842)  # A4 in points
        assert "— 1 —" in (document.pages[0].extract_text() or "")


def test_the_pdf_draws_its_text_in_chinese_fonts(pdf: bytes) -> None:
    """No tofu, no Japanese glyph forms: every character comes from a simplified-Chinese face
    (the Windows fonts where installed, else Debian's Noto CJK SC)."""
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        fonts = {char["fontname"].split("+")[-1] for page in document.pages for char in page.chars}
    faces = ("CJK-SC", "FangSong", "SimSun", "SimHei", "XiaoBiaoSong")  # not JP, not DejaVu
    assert fonts and all(any(face in font for face in faces) for font in fonts), fonts


def test_the_pdf_draws_the_charts_in_the_light_colours(pdf: bytes) -> None:
    html = report_html(sample_report())
    assert html.count("<svg") == 3
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        fills = {
            tuple(round(c, 2) for c in rect["non_stroking_color"] or ())
            for page in document.pages
            for rect in page.rects
        }
    assert (0.64, 0.0, 0.06) in fills  # #a4000f, the red of 红灯
    assert (0.11, 0.42, 0.2) in fills  # #1d6b34, green


def test_the_pdf_escapes_markup_in_the_report() -> None:
    report = replace(
        sample_report(),
        summary=HOSTILE,
        departments=[DepartmentRow(HOSTILE, 1, 1, 0, 0, 0, 1, 1, "100.0%", 10)],
    )
    html = report_html(report)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; 《AT&amp;T》" in html
    text = pdf_text(render_pdf(report))
    assert "<script>alert(1)</script>" in text.replace("\n", "")
    assert "《AT&T》" in text


def test_the_pdf_fetches_nothing() -> None:
    with pytest.raises(ValueError):
        refuse_fetch("http://example.com/logo.png")


# Excel -----------------------------------------------------------------------------------


def test_the_annex_has_a_sheet_per_table_with_a_frozen_bold_header(book) -> None:  # type: ignore[no-untyped-def]
    assert book.sheetnames == SHEETS
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b
    ranking = book["评分排名"]
    assert [ranking.cell(row=r, column=2).value for r in (2, 3, 4)] == RANKED
    assert book["概况"]["B2"].value == "茌平职教督〔2021〕2号"
    assert book["各部门推进情况"]["B2"].value == 12  # counts stay numbers
    assert book["红黄灯任务"]["C2"].value == "红灯"
    assert book["各部门推进情况"].column_dimensions["A"].width >= 10  # 区教体局: 8 columns


def test_the_annex_writes_formula_like_text_as_text(book) -> None:  # type: ignore[no-untyped-def]
    cell = book["逾期事项"]["F3"]
    assert cell.value == "=SUM(A1)"
    assert cell.data_type == "s" and cell.quotePrefix


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", ("=SUM(A1)", True)),
        ("+86 635", ("+86 635", True)),
        ("-1", ("-1", True)),
        ("@cmd", ("@cmd", True)),
        ("\t=1", ("\t=1", True)),
        ("\r=1", ("\r=1", True)),
        ("区教体局 = 牵头", ("区教体局 = 牵头", False)),
        ("a\x00b", ("ab", False)),
        (12, (12, False)),
        (None, (None, False)),
    ],
)
def test_safe_cell_marks_formula_starts_as_text(value: object, expected: object) -> None:
    assert safe_cell(value) == expected  # type: ignore[arg-type]


# Charts ----------------------------------------------------------------------------------


def test_numbers_are_read_from_printed_figures() -> None:
    assert number("≥70") == 70.0
    assert number("1,200") == 1200.0
    assert number("65.20%") == 65.2
    assert number("5:5") is None and number("—") is None


def test_the_attainment_chart_keeps_only_numeric_rows() -> None:
    rows = [
        AttainmentRow("甲", "%", "≥70", "65.20", False),
        AttainmentRow("职普比", "", "5:5", "4.8:5.2", None),
        AttainmentRow("乙", "人", "0", "3", None),
        AttainmentRow("丙", "人", "≥100", "", None),
    ]
    drawn = attainment_chart(rows)
    assert [bar.label for bar in drawn.bars] == ["甲"]
    [(colour, share)] = drawn.bars[0].segments
    assert colour == RED and share == pytest.approx(65.2 / 70)


def test_the_chart_svg_escapes_labels() -> None:
    drawn = progress_chart([DepartmentRow("<b>&", 2, 1, 1, 0, 0, 0, 0, "—")])
    drawn_svg = svg(drawn)
    assert "&lt;b&gt;&amp;" in drawn_svg and "<b>" not in drawn_svg


# Edge cases ------------------------------------------------------------------------------


def test_an_empty_report_renders_in_all_three_formats() -> None:
    report = empty_report()
    assert chart(report, PROGRESS) is None and chart(report, ATTAINMENT) is None
    word = docx.Document(io.BytesIO(render_docx(report)))
    assert "无。" in [p.text for p in word.paragraphs]
    assert "无。" in pdf_text(render_pdf(report))
    book = load_workbook(io.BytesIO(render_xlsx(report)))
    assert book.sheetnames == SHEETS
    assert book["红黄灯任务"].max_row == 1


def test_a_long_report_keeps_every_row() -> None:
    report = replace(
        sample_report(),
        flagged=[
            LightRow(f"重点任务（{i}）", "任务", RED, "逾期", "区教体局") for i in range(1, 24)
        ],
        ranking=[RankRow(i, f"部门{i}", "90.0", "—") for i in range(1, 16)],
    )
    assert len(table_with_header(docx.Document(io.BytesIO(render_docx(report))), "任务")) == 24
    text = pdf_text(render_pdf(report))
    assert "重点任务（23）" in text and "部门15" in text


def test_the_renderers_need_no_django_settings() -> None:
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    script = (
        "from gaodi.supervision.report_data import sample_report as s\n"
        "from gaodi.supervision import report_docx, report_pdf, report_xlsx\n"
        "assert report_docx.render_docx(s()) and report_xlsx.render_xlsx(s())\n"
        "assert report_pdf.render_pdf(s()).startswith(b'%PDF')\n"
    )
    subprocess.run([sys.executable, "-c", script], env=environment, check=True, timeout=120)
