"""专业点年度数据: the row checks (pure), then the form and the upload on the demo — the same
checks, all or nothing, unchanged rows write nothing, only those who report for the school."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaodi.audit.models import ChangeRecord
from gaodi.files.tables import Table, TableRow
from gaodi.plans.models import Plan
from gaodi.specialties.models import Offering
from gaodi.specialties.offerings_file import COLUMNS, check_offerings, read_count, read_rate
from tests.helpers import client_of

SCHOOL = "371503-S01"
SCHOOLS = {SCHOOL: "职教中心"}
SPECIALTIES = ["计算机应用", "旅游服务与管理"]


def table(*rows: dict[str, str]) -> Table:
    return Table("", COLUMNS, tuple(TableRow(n, r) for n, r in enumerate(rows, start=2)))


def row(**cells: str) -> dict[str, str]:
    return {"学校代码": SCHOOL, "专业名称": "旅游服务与管理", "年份": "2022", **cells}


@pytest.mark.parametrize(("text", "value"), [("", None), ("0", 0), ("120", 120), ("120.0", 120)])
def test_counts_blank_is_not_reported_and_zero_is_zero(text: str, value: int | None) -> None:
    assert read_count(text) == value


@pytest.mark.parametrize("text", ["-1", "1.5", "abc", "100001"])
def test_bad_counts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        read_count(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("", None), ("95.5", Decimal("95.5")), ("95.5%", Decimal("95.5")), ("100", Decimal(100))],
)
def test_rates(text: str, value: Decimal | None) -> None:
    assert read_rate(text) == value


@pytest.mark.parametrize("text", ["100.1", "-1", "95.55", "九十"])
def test_bad_rates_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        read_rate(text)


def test_every_bad_cell_is_named_and_good_rows_are_read() -> None:
    entries, problems = check_offerings(
        table(
            row(**{"实际招生": "12", "招生计划": "40", "就业率（%）": "85"}),
            row(**{"学校代码": "X", "专业名称": "不存在", "年份": "1999"}),
            row(**{"实际招生": "12"}),
        ),
        SCHOOLS,
        SPECIALTIES,
    )
    [entry] = entries
    assert entry.numbers["enrolment"] == 12 and entry.numbers["students"] is None
    assert entry.numbers["employment_rate"] == Decimal("85.0")
    texts = [str(p) for p in problems]
    assert "第3行（学校代码）“X”：不是您可以填报的学校代码" in texts
    assert "第3行（专业名称）“不存在”：专业目录中没有这个专业名称" in texts
    assert "第3行（年份）“1999”：年份应为 2000–2100" in texts
    assert any(t.startswith("第4行（专业名称）") and "重复" in t for t in texts)


def post(client: Any, plan: Plan, **cells: str) -> str:
    url = reverse("specialties:offering_record", args=[plan.pk])
    return client.post(url, row(**cells), follow=True).content.decode()


@pytest.mark.django_db
def test_the_school_clerk_types_a_row_and_corrects_it(plan: Plan) -> None:
    clerk = client_of("xuexiao")
    text = post(clerk, plan, **{"招生计划": "40", "实际招生": "0"})
    assert "新增 1 条" in text
    stored = Offering.objects.get(specialty__name="旅游服务与管理", year=2022)
    assert (stored.planned_enrolment, stored.enrolment, stored.students) == (40, 0, None)
    before = ChangeRecord.objects.count()
    assert "未变 1 条" in post(clerk, plan, **{"招生计划": "40", "实际招生": "0"})
    assert ChangeRecord.objects.count() == before  # nothing changed, nothing recorded
    assert "更正 1 条" in post(clerk, plan, **{"招生计划": "40", "实际招生": "3"})
    assert Offering.objects.get(pk=stored.pk).enrolment == 3
    page = clerk.get(reverse("specialties:offerings", args=[plan.pk]) + "?year=2022")
    assert "学校填报（表单）" in page.content.decode()


@pytest.mark.django_db
def test_a_bad_form_row_names_the_field_and_stores_nothing(plan: Plan) -> None:
    before = Offering.objects.count(), ChangeRecord.objects.count()
    text = post(client_of("xuexiao"), plan, **{"就业率（%）": "120"})
    assert "未保存：就业率（%）“120”：应为 0–100 的百分数" in text
    assert (Offering.objects.count(), ChangeRecord.objects.count()) == before


@pytest.mark.django_db
def test_an_upload_is_stored_whole_or_not_at_all(plan: Plan) -> None:
    client = client_of("zhuanban")
    url = reverse("specialties:offering_import", args=[plan.pk])
    header = ",".join(COLUMNS)
    bad = f"{header}\n{SCHOOL},计算机应用,2022,250,240,,,,\n{SCHOOL},计算机应用,2022,1,1,,,,\n"
    before = Offering.objects.count()
    text = client.post(
        url, {"file": SimpleUploadedFile("a.csv", bad.encode(), "text/csv")}, follow=True
    ).content.decode()
    assert "未保存：文件中有以下问题" in text and "重复" in text  # the problems table
    assert Offering.objects.count() == before
    good = f"{header}\n{SCHOOL},计算机应用,2022,250,240,700,200,96.0,80.5\n"
    text = client.post(
        url, {"file": SimpleUploadedFile("a.csv", good.encode("gb18030"), "text/csv")}, follow=True
    ).content.decode()
    assert "新增 1 条" in text
    record = ChangeRecord.objects.get(action="import_offerings")
    assert (record.after["file"], record.after["created"]) == ("a.csv", 1)
    assert Offering.objects.get(
        specialty__name="计算机应用", year=2022
    ).counterpart_rate == Decimal("80.5")


@pytest.mark.django_db
def test_the_template_lists_last_years_specialties_of_the_school(plan: Plan) -> None:
    import io

    from python_calamine import CalamineWorkbook

    response = client_of("xuexiao").get(reverse("specialties:offering_template", args=[plan.pk]))
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        .get_sheet_by_name("专业点年度数据")
        .to_python()
    )
    assert tuple(rows[0]) == COLUMNS
    assert {r[1] for r in rows[1:]} >= {"计算机应用", "旅游服务与管理"}
    assert all(r[0] == SCHOOL for r in rows[1:])


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["lingdao", "ducha", "jiaoti"])
def test_those_who_do_not_report_for_the_school_cannot_write(plan: Plan, username: str) -> None:
    before = Offering.objects.count()
    client = client_of(username)
    url = reverse("specialties:offering_record", args=[plan.pk])
    assert client.post(url, row(**{"实际招生": "5"})).status_code == 404
    assert Offering.objects.count() == before


@pytest.mark.django_db
def test_the_api_gives_the_offerings_with_unreported_as_null(plan: Plan) -> None:
    post(client_of("xuexiao"), plan, **{"实际招生": "0"})
    rows = (
        client_of("zhuanban").get(f"/api/v1/plans/{plan.pk}/specialty-offerings?year=2022").json()
    )
    assert rows == [
        {
            "school": "聊城市茌平区职业教育中心学校",
            "school_code": SCHOOL,
            "specialty": "旅游服务与管理",
            "year": 2022,
            "planned_enrolment": None,
            "enrolment": 0,
            "students": None,
            "graduates": None,
            "employment_rate": None,
            "counterpart_rate": None,
            "source": "学校填报（表单）",
        }
    ]
