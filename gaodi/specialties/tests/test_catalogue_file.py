"""The 专业目录 file: read from .xlsx or CSV through the shared defences, checked cell by cell."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from gaodi.files.tables import Table, TableRow, read_table
from gaodi.files.uploads import UploadRefused
from gaodi.specialties.catalogue_file import COLUMNS, REQUIRED, check_catalogue

HEADER = ",".join(COLUMNS)


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "专业目录"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_reads_as_text_with_whole_numbers_and_cell_places() -> None:
    content = xlsx([list(COLUMNS), [710201, "计算机应用", "中职"], [], ["", "", ""]])
    table = read_table(content, "目录.xlsx", REQUIRED)
    assert table.sheet == "专业目录"
    [row] = table.rows  # blank rows are skipped
    assert row.number == 2 and row.cells["专业代码"] == "710201"
    assert table.place(row, "专业名称") == "专业目录 B2"


def test_a_formula_cell_is_refused_with_its_place() -> None:
    content = xlsx([list(COLUMNS), ["=700000+201", "计算机应用", "中职"]])
    with pytest.raises(UploadRefused, match="表中不能使用公式，请直接填写数值：专业目录 A2"):
        read_table(content, "目录.xlsx", REQUIRED)


def test_a_csv_in_gb18030_reads_like_the_xlsx() -> None:
    text = HEADER + "\n730301,会计事务,中职,120100,会计电算化,\n"
    table = read_table(text.encode("gb18030"), "目录.csv", REQUIRED)
    entries, problems = check_catalogue(table)
    assert problems == []
    assert [(e.code, e.name, e.level, e.old_code, e.old_name) for e in entries] == [
        ("730301", "会计事务", "中职", "120100", "会计电算化")
    ]
    assert table.place(table.rows[0], "专业名称") == "第2行（专业名称）"


def test_missing_columns_are_named_and_other_files_are_refused() -> None:
    with pytest.raises(UploadRefused, match="缺少列：层次"):
        read_table("专业代码,专业名称\n1,2\n".encode(), "a.csv", REQUIRED)
    with pytest.raises(UploadRefused):
        read_table(b"%PDF-1.7 not a table", "a.csv", REQUIRED)
    with pytest.raises(UploadRefused, match="不是 Excel 工作簿"):
        read_table(b"a,b\n", "a.xlsx", REQUIRED)


def table(*rows: dict[str, str]) -> Table:
    return Table("", COLUMNS, tuple(TableRow(n, r) for n, r in enumerate(rows, start=2)))


def test_every_bad_cell_is_reported_with_its_place() -> None:
    entries, problems = check_catalogue(
        table(
            {"专业代码": "71020A", "专业名称": "计算机应用", "层次": "中职"},
            {"专业代码": "710201", "专业名称": "", "层次": "本科"},
            {"专业代码": "710202", "专业名称": "电子商务", "层次": "中职", "原专业代码": "1"},
            {"专业代码": "710203", "专业名称": "康复技术", "层次": "中等职业教育"},
            {"专业代码": "710203", "专业名称": "康复技术", "层次": "中职"},
            {"专业代码": "710204", "专业名称": "护理", "层次": "中职", "专业类别": "类" * 21},
        )
    )
    texts = [str(p) for p in problems]
    assert texts[0] == "第2行（专业代码）“71020A”：专业代码应为 4–8 位数字"
    assert any("第3行（专业名称）" in t and "不能为空" in t for t in texts)
    assert any("第3行（层次）“本科”：层次应为" in t for t in texts)
    assert any("第4行（原专业代码）“1”" in t for t in texts)
    assert any("第4行（原专业名称）" in t and "须同时填原专业名称" in t for t in texts)
    assert any("第6行（专业代码）“710203”：与第5行（专业代码）的专业代码重复" in t for t in texts)
    assert any(t.startswith("第7行（专业类别）") and "不能超过 20 个字" in t for t in texts)
    assert [e.name for e in entries] == ["康复技术"]  # the one good row, level normalised
    assert entries[0].level == "中职"


def test_an_empty_list_is_a_problem() -> None:
    _entries, problems = check_catalogue(table())
    assert [p.message for p in problems] == ["表头下没有任何专业"]
