"""The list upload of training records: all or nothing, every problem named by cell or row,
the template readable back, the file recorded on the plan."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gaodi.audit.models import ChangeRecord
from gaodi.files.tables import read_table
from gaodi.plans.models import Plan
from gaodi.specialties.services import schools_of
from gaodi.training.models import TrainingRecord, YearResult
from gaodi.training.upload import COLUMNS, REQUIRED

HEADER = ",".join(COLUMNS)


@pytest.fixture
def plan(demo_once: Plan, db: Any) -> Plan:
    return demo_once


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def post(plan: Plan, text: str, username: str = "xuexiao") -> str:
    upload = SimpleUploadedFile("培训.csv", text.encode("utf-8"), content_type="text/csv")
    url = reverse("training:upload", args=[plan.pk])
    response = client_for(username).post(url, {"file": upload}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_good_list_is_stored_whole_and_recorded(plan: Plan) -> None:
    code = schools_of(plan)[0].code
    text = (
        f"{HEADER}\n"
        f"{code},上传培训甲,2021-05-01,2021-05-03,30,90,退役军人、残疾人,是,4500,\n"
        f"{code},上传培训乙,2021-05-10,2021-05-10,10,10,,否,,区人社局台账\n"
    )
    before = YearResult.objects.get(plan=plan, year=2021).conversion["basis_amount"]
    page = post(plan, text)
    assert "已导入 2 项培训" in page
    first = TrainingRecord.objects.get(programme="上传培训甲")
    assert first.target_groups == ["veterans", "disabled"] and first.income == 4500
    second = TrainingRecord.objects.get(programme="上传培训乙")
    assert second.income is None and second.source == "区人社局台账"
    after = YearResult.objects.get(plan=plan, year=2021).conversion["basis_amount"]
    assert after != before
    record = ChangeRecord.objects.filter(action="import_training").latest("pk")
    assert record.after["rows"] == 2 and len(record.after["sha256"]) == 64


def test_one_bad_row_stores_nothing_and_every_problem_is_named(plan: Plan) -> None:
    code = schools_of(plan)[0].code
    text = (
        f"{HEADER}\n"
        f"{code},好的一行,2021-05-01,2021-05-03,30,90,,否,,\n"
        f"X99,坏的一行,2021-13-01,2021-05-03,三十,9x,外星人,也许,1.5,\n"
        f"{code},,2021-05-03,2021-05-01,1,100,,否,,\n"
    )
    count = TrainingRecord.objects.count()
    page = post(plan, text)
    for words in (
        "不是您可填报的学校代码",
        "日期须为 YYYY-MM-DD",
        "人次须为非负整数",
        "人日须为数字",
        "外星人",
        "请填“是”或“否”",
        "到款额须为非负整数",
        "第4行",
        "请填写培训项目名称",
        "结束日期早于开始日期",
    ):
        assert words in page, words
    assert TrainingRecord.objects.count() == count


def test_the_template_reads_back_with_the_required_columns(plan: Plan) -> None:
    response = client_for("zhuanban").get(reverse("training:template", args=[plan.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    table = read_table(content, "社会培训记录模板.xlsx", REQUIRED)
    assert table.header == COLUMNS
    assert table.rows[0].cells["学校代码"] == schools_of(plan)[0].code
    assert (
        client_for("lingdao").get(reverse("training:template", args=[plan.pk])).status_code == 404
    )
