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


def _chars(
    text: str, start: float = 0.0, size: float = 16.0, gap: float = 0.4
) -> list[dict[str, object]]:
    chars, x = [], start
    for ch in text:
        chars.append({"text": ch, "x0": x, "x1": x + size, "size": size})
        x += size + gap
    return chars


def test_letter_spaced_chinese_keeps_its_words_and_a_real_gap_stays_a_space() -> None:
    from gaodi.plans.parsing.pdf import _line_text

    spread = _chars("完善经费长效稳定保障机制", gap=7.0)  # justified wide: 7 pt between characters
    assert _line_text({"chars": spread}) == "完善经费长效稳定保障机制"
    name = _chars("齐春英")
    position = _chars("区残联理事长", start=name[-1]["x1"] + 16.0)  # type: ignore[operator]
    assert _line_text({"chars": name + position}) == "齐春英 区残联理事长"


def test_running_headers_and_page_numbers_are_dropped() -> None:
    from gaodi.plans.parsing.pdf import _Row, _without_running_lines

    def page(n: int) -> list[_Row | TableBlock]:
        return [
            _Row(
                top=40, x0=200, x1=360, text="聊城市茌平区人民政府文件", size=10.5, in_margin=True
            ),
            _Row(top=300, x0=80, x1=520, text=f"正文第{n}页的内容。", size=16),
            _Row(top=780, x0=280, x1=320, text=f"第{n}页", size=14, in_margin=True),
        ]

    kept = _without_running_lines([page(1), page(2), page(3)])
    assert [r.text for r in kept if isinstance(r, _Row)] == [
        "正文第1页的内容。",
        "正文第2页的内容。",
        "正文第3页的内容。",
    ]
