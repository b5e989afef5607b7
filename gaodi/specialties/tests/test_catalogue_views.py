"""专业目录 on the demo: the page marks placeholder codes, the template, and an upload that puts
codes in all or nothing, never overwriting a verified code."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.demo import DEMO_PASSWORD
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.specialties.catalogue import CATALOGUE_2010, CATALOGUE_2021
from gaodi.specialties.catalogue_file import COLUMNS
from gaodi.specialties.models import Specialty, SpecialtyCodeChange
from tests.helpers import client_of

pytestmark = pytest.mark.django_db

SOURCE = "教育部《职业教育专业目录（2021年）》（测试用代码）"
PROVINCE = "shengji"  # the work team of 山东省, the top of the demo's tree


@pytest.fixture(autouse=True)
def province_work_team(plan: Plan) -> None:
    province = OrgUnit.objects.get(code="370000")
    create_member(PROVINCE, DEMO_PASSWORD, role=Role.ADMIN, actor=None, org_unit=province)


def upload(plan: Plan, text: str, *, username: str = PROVINCE, **fields: str) -> Any:
    data = {
        "catalogue": CATALOGUE_2021,
        "old_catalogue": CATALOGUE_2010,
        "source": SOURCE,
        "file": SimpleUploadedFile("目录.csv", text.encode("utf-8"), "text/csv"),
        **fields,
    }
    return client_of(username).post(
        reverse("specialties:catalogue_import", args=[plan.pk]), data, follow=True
    )


def state() -> tuple[Any, ...]:
    return (
        tuple(Specialty.objects.order_by("pk").values_list("code", "code_status", "source")),
        SpecialtyCodeChange.objects.count(),
        ChangeRecord.objects.count(),
    )


def test_the_page_lists_the_plans_specialties_and_marks_placeholder_codes(plan: Plan) -> None:
    html = client_of("lingdao").get(reverse("specialties:catalogue", args=[plan.pk])).content
    text = html.decode()
    assert "会计事务" in text and "会计电算化" in text and "精品旅游" in text
    assert "有 14 个专业代码尚未核实" in text and "示例01" in text
    assert "导入专业目录代码" not in text  # the leader reads, does not import


def test_the_template_lists_the_new_catalogue_with_old_names_and_blank_codes(plan: Plan) -> None:
    response = client_of(PROVINCE).get(reverse("specialties:catalogue_template", args=[plan.pk]))
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = sheet.get_sheet_by_name("专业目录").to_python()
    assert tuple(rows[0]) == COLUMNS
    accounting = next(r for r in rows if r[1] == "会计事务")
    assert (accounting[0], accounting[2], accounting[4]) == ("", "中职", "会计电算化")


def test_a_good_file_verifies_codes_and_keeps_the_mapping_with_records(plan: Plan) -> None:
    before = ChangeRecord.objects.count()
    response = upload(
        plan,
        ",".join(COLUMNS) + "\n100001,会计事务,中职,200001,会计电算化,\n100002,新专业,中职,,,\n",
    )
    assert "已导入《职业教育专业目录（2021年）》：新增专业 1 个，核实代码 1 个" in (
        response.content.decode()
    )
    accounting = Specialty.objects.get(catalogue=CATALOGUE_2021, name="会计事务")
    assert (accounting.code, accounting.code_status, accounting.source) == (
        "100001",
        "已核实",
        SOURCE,
    )
    old = Specialty.objects.get(catalogue=CATALOGUE_2010, name="会计电算化")
    assert (old.code, old.code_status) == ("200001", "已核实")
    assert SpecialtyCodeChange.objects.filter(old=old, new=accounting).count() == 1
    # two codes verified, one specialty new, and the file itself once, with its hash
    assert ChangeRecord.objects.count() == before + 4
    record = ChangeRecord.objects.get(action="import_catalogue")
    assert record.after["file"] == "目录.csv" and len(record.after["sha256"]) == 64
    assert (record.after["created"], record.after["verified"]) == (1, 1)
    # the same file again changes nothing
    again = state()
    upload(plan, ",".join(COLUMNS) + "\n100001,会计事务,中职,200001,会计电算化,\n")
    assert state() == again


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (
            "100001,会计事务,中职,,,\nABC,电子商务,中职,,,\n",
            "<td>第3行（专业代码）</td><td>ABC</td>",
        ),
        ("100001,会计事务,中职,,,\n100001,电子商务,中职,,,\n", "专业代码重复"),
    ],
)
def test_one_bad_row_refuses_the_whole_file(plan: Plan, rows: str, problem: str) -> None:
    before = state()
    response = upload(plan, ",".join(COLUMNS) + "\n" + rows)
    text = response.content.decode()
    assert "未保存：文件中有以下问题" in text and problem in text  # the problems table
    assert state() == before


def test_a_verified_code_is_never_overwritten_or_reused(plan: Plan) -> None:
    upload(plan, ",".join(COLUMNS) + "\n100001,会计事务,中职,,,\n")
    before = state()
    text = upload(plan, ",".join(COLUMNS) + "\n100009,会计事务,中职,,,\n").content.decode()
    assert "“会计事务”的代码已核实为 100001，与文件不一致" in text
    text = upload(plan, ",".join(COLUMNS) + "\n100001,电子商务,中职,,,\n").content.decode()
    assert "该代码已核实为“会计事务”的代码" in text
    assert state() == before


def test_an_upload_without_a_source_or_of_the_wrong_kind_changes_nothing(plan: Plan) -> None:
    before = state()
    text = upload(plan, ",".join(COLUMNS) + "\n100001,会计事务,中职,,,\n", source="").content
    assert "请填写专业目录名称、原目录名称（各不超过 60 字）和依据" in text.decode()
    pdf = {
        "catalogue": CATALOGUE_2021,
        "old_catalogue": CATALOGUE_2010,
        "source": SOURCE,
        "file": SimpleUploadedFile("目录.xlsx", b"%PDF-1.7", "application/pdf"),
    }
    response = client_of(PROVINCE).post(
        reverse("specialties:catalogue_import", args=[plan.pk]), pdf, follow=True
    )
    assert "不是 Excel 工作簿" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize("username", ["zhuanban", "shiji", "lingdao", "ducha", "xuexiao"])
def test_only_the_province_downloads_the_template_or_imports(plan: Plan, username: str) -> None:
    """The catalogue is every county's: not even a county's or a city's work team changes it."""
    before = state()
    client = client_of(username)
    assert client.get(reverse("specialties:catalogue_template", args=[plan.pk])).status_code == 404
    refused = upload(plan, ",".join(COLUMNS) + "\n100001,会计事务,中职,,,\n", username=username)
    assert refused.status_code == 404
    assert state() == before


def test_a_file_over_the_limit_is_refused_before_it_is_read(plan: Plan, settings: Any) -> None:
    settings.GAODI_UPLOAD_MAX_BYTES = 1024
    before = state()
    big = ",".join(COLUMNS) + "\n" + "".join(f"{100000 + i},专业{i},中职,,,\n" for i in range(200))
    text = upload(plan, big).content.decode()
    assert "未保存：文件中有以下问题" in text and "文件超过 1 KB" in text
    assert state() == before


def test_the_api_lists_the_catalogue_with_verification_mapping_and_industries(plan: Plan) -> None:
    rows = client_of("lingdao").get(f"/api/v1/plans/{plan.pk}/specialty-catalogue").json()
    old = next(r for r in rows if r["name"] == "会计电算化")
    assert (old["code_verified"], old["successors"]) == (False, ["会计事务"])
    new = next(r for r in rows if r["name"] == "会计事务")
    assert new["industries"] == ["现代金融服务"] and new["code"].startswith("示例")


def test_the_api_lists_the_published_bulletins_frozen(plan: Plan) -> None:
    rows = client_of("zhuanban").get(f"/api/v1/plans/{plan.pk}/supply-demand/bulletins").json()
    assert rows and rows[0]["number"].startswith("茌平职教供求〔")
    snapshot = rows[0]["snapshot"]
    assert snapshot["year"] == rows[0]["year"] and snapshot["specialties"]
    assert snapshot["parameters"]["version"] == rows[0]["parameters_version"]
