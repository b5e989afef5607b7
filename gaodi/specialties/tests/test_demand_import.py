"""Uploading enterprises' demand declarations: all or nothing, problems cell by cell, one change
record for the import, and the upload defences (disguised files, formulas)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gaodi.audit.models import ChangeRecord
from gaodi.plans.models import Plan
from gaodi.specialties.demand_import import COLUMNS
from gaodi.specialties.models import DemandDeclaration, Enterprise
from tests.helpers import client_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def work_team() -> Client:
    return client_of("zhuanban")


def workbook(*rows: list[Any], formula: str = "") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "企业用人需求"
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    if formula:
        sheet["F9"] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client: Client, plan: Plan, content: bytes, name: str = "需求.xlsx") -> Any:
    url = reverse("specialties:declarations_upload", args=[plan.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)}, follow=True)


def state() -> tuple[int, int, int]:
    return (
        DemandDeclaration.objects.count(),
        Enterprise.objects.count(),
        ChangeRecord.objects.count(),
    )


def test_a_good_file_is_stored_with_one_change_record_that_keeps_corrected_numbers(
    plan: Plan, work_team: Client
) -> None:
    declarations = DemandDeclaration.objects.count()
    content = workbook(
        ["新上传企业有限公司", "", "会计事务", "现代金融服务", 2021, 6],
        ["【演示数据】康宁医养中心", None, "康复技术", "医养健康", "2021", 33],
    )
    response = upload(work_team, plan, content)
    assert "已导入 2 条申报：新增 1 条，更正 1 条，新登记企业 1 家。" in response.content.decode()
    assert DemandDeclaration.objects.count() == declarations + 1
    rehab = DemandDeclaration.objects.get(enterprise__name="【演示数据】康宁医养中心", year=2021)
    assert (rehab.headcount, rehab.source) == (33, "Excel/CSV导入")
    record = ChangeRecord.objects.get(action="import_declarations", object_id=str(plan.pk))
    assert record.after["rows"] == 2 and len(record.after["sha256"]) == 64
    new = Enterprise.objects.get(name="新上传企业有限公司")
    assert ChangeRecord.objects.filter(
        object_type="specialties.enterprise", object_id=str(new.pk), action="create"
    ).exists()
    assert record.before == {
        "corrected": [{"id": rehab.pk, "industry": rehab.industry_id, "headcount": 25}]
    }


def test_a_file_with_bad_cells_stores_nothing_and_names_each_cell(
    plan: Plan, work_team: Client
) -> None:
    before = state()
    content = workbook(
        ["好企业", "", "会计事务", "现代金融服务", 2021, 6],  # fine on its own
        ["某企业", "", "烹饪", "现代金融服务", 1999, 5],
        ["某企业", "ABC", "会计事务", "现代金融服务", 2021, -1],
        ["好企业", "", "会计事务", "现代金融服务", 2021, 7],
    )
    html = upload(work_team, plan, content).content.decode()
    assert "未保存：文件中有以下问题" in html
    assert "企业用人需求!C3" in html and "没有这个专业" in html
    assert "企业用人需求!E3" in html and "需求年份须为 2000–2100" in html
    assert "企业用人需求!B4" in html and "统一社会信用代码须为 18 位" in html
    assert "企业用人需求!F4" in html and "需求人数须为 0–100000 之间的整数" in html
    assert "企业用人需求!A5" in html and "与第 2 行重复" in html
    assert state() == before


def test_a_formula_is_refused(plan: Plan, work_team: Client) -> None:
    before = state()
    content = workbook(["好企业", "", "会计事务", "现代金融服务", 2021, 6], formula="=1+1")
    html = upload(work_team, plan, content).content.decode()
    assert "企业用人需求!F9" in html and "不接受公式" in html
    assert state() == before


def test_a_gb18030_csv_is_read(plan: Plan, work_team: Client) -> None:
    text = ",".join(COLUMNS) + "\r\nCSV企业,,电子商务,现代金融服务,2022,4\r\n"
    response = upload(work_team, plan, text.encode("gb18030"), "需求.csv")
    assert "已导入 1 条申报" in response.content.decode()
    assert DemandDeclaration.objects.get(enterprise__name="CSV企业").headcount == 4


def test_a_disguised_or_headerless_file_is_refused(plan: Plan, work_team: Client) -> None:
    before = state()
    pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    html = upload(work_team, plan, pdf).content.decode()
    assert "内容不是 Excel 工作簿" in html
    html = upload(work_team, plan, "企业,人数\r\n甲,3\r\n".encode(), "x.csv").content.decode()
    assert "第一行须为表头" in html
    assert state() == before


def test_the_template_has_the_header_and_the_names_it_accepts(
    plan: Plan, work_team: Client
) -> None:
    response = work_team.get(reverse("specialties:declarations_template", args=[plan.pk]))
    book = load_workbook(io.BytesIO(response.content))
    first = book["企业用人需求"]
    assert tuple(cell.value for cell in first[1]) == COLUMNS
    names = [row[0] for row in book["可填名称"].iter_rows(min_row=2, values_only=True)]
    assert "数控技术应用" in names
