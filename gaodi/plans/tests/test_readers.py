"""Readers: what each file format hands to the parser."""

from __future__ import annotations

import io

import docx

from gaodi.plans.parsing import parse_bytes
from gaodi.plans.parsing.readers import Line, TableBlock, read_text
from gaodi.plans.parsing.word_numbering import _format


def test_word_automatic_numbering_becomes_the_tasks_numbers() -> None:
    document = docx.Document()
    document.add_paragraph("县职业教育实施方案")
    document.add_paragraph("二、重点任务")
    document.add_paragraph("优化学校布局。调整布局。（牵头单位：县教育局）", style="List Number")
    document.add_paragraph("加强教师队伍。补充教师。（牵头单位：县人社局）", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    draft = parse_bytes(buffer.getvalue())
    assert [(t.number, t.title, t.lead_units) for t in draft.tasks] == [
        (1, "优化学校布局", ["县教育局"]),
        (2, "加强教师队伍", ["县人社局"]),
    ]


def test_word_number_formats_render_like_word_shows_them() -> None:
    assert _format(14, "chineseCounting") == "十四"
    assert _format(3, "decimal") == "3"
    assert _format(2, "lowerLetter") == "b"
    assert _format(5, "decimalEnclosedCircle") == "⑤"


def test_a_tab_indented_paragraph_is_a_line_and_two_cells_make_a_table_row() -> None:
    blocks = read_text("\t（一）优化布局。\n指标\t2020年\t2021年\n人数\t1\t2\n")
    assert isinstance(blocks[0], Line) and blocks[0].text == "（一）优化布局。"
    assert isinstance(blocks[1], TableBlock) and blocks[1].rows[1] == ["人数", "1", "2"]
