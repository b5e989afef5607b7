"""The Excel round trip and CSV import: a template per form, unit and period; uploads stored
all or nothing with every problem at its cell; hostile files refused before any reader."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django.plugin import DjangoDbBlocker

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.indicators import excel, uploads
from gaodi.indicators.collection import store_values
from gaodi.indicators.models import DataSet, DataValue, Indicator
from gaodi.indicators.queries import actual
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456"
# 师资队伍 (ds3): rows from 填报!5 in registry order; i037 = i037n / i037d is row 10.
STUDENTS, TEACHERS, RATIO = "D8", "D9", "D10"
DUAL, SPECIALTY = "D14", "D15"


@pytest.fixture(scope="module")
def reference(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Plan]:
    """The reference plan, two schools and their clerks, made once for the module (like
    setUpTestData): each test runs in a savepoint inside this transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        county = ensure_reference_tree(actor=None)
        imported = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
        create_member("admin", PASSWORD, role=Role.ADMIN, actor=None, org_unit=county)
        for number in (1, 2):
            code, name = f"371503-S0{number}", f"职教中心{number}"
            unit = OrgUnit.objects.create(code=code, name=name, kind=OrgKind.SCHOOL, parent=county)
            create_member(f"clerk{number}", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=unit)
        yield imported
        transaction.set_rollback(True)


@pytest.fixture
def plan(reference: Plan, db: None) -> Plan:
    return reference


@pytest.fixture
def clerk() -> Client:
    return signed_in("clerk1")


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def school(number: int = 1) -> OrgUnit:
    return OrgUnit.objects.get(code=f"371503-S0{number}")


def teachers(plan: Plan) -> DataSet:
    return DataSet.objects.get(plan=plan, code="ds3")


def add_percentage(plan: Plan, data_set: DataSet) -> Indicator:
    """A synthetic percentage typed in directly (the reference plan's are all ratios)."""
    indicator = Indicator.objects.create(
        plan=plan,
        org_unit=plan.org_unit,
        code="p901",
        name="合成：校企合作专业占比（测试）",
        unit="%",
        value_type="percentage",
        category="测试",
        order=9999,
    )
    data_set.indicators.add(indicator)
    return indicator


def download(client: Client, data_set: DataSet, unit: OrgUnit, period: str = "2021") -> bytes:
    response = client.get(reverse("indicators:template", args=(data_set.pk, unit.pk, period)))
    assert response.status_code == 200
    return response.content


def filled(content: bytes, cells: dict[str, object], sheet: str = excel.SHEET) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for ref, value in cells.items():
        workbook[sheet][ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def send(
    client: Client, data_set: DataSet, unit: OrgUnit, content: bytes, name: str = "t.xlsx"
) -> HttpResponse:
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(
        reverse("indicators:upload", args=(data_set.pk, unit.pk, "2021")), {"file": upload}
    )


def refused(response: HttpResponse, *expected: str) -> str:
    page = response.content.decode()
    assert response.status_code == 200 and "未保存" in page, page[-3000:]
    for text in expected:
        assert text in page, (text, page[-3000:])
    return page


def store(plan: Plan, unit: OrgUnit, values: dict[str, int]) -> None:
    store_values(
        teachers(plan),
        "2021",
        {unit.pk: {code: Decimal(v) for code, v in values.items()}},
        actor=None,
        source="测试",
    )


# The template ---------------------------------------------------------------------------


def test_the_template_locks_labels_and_ratios_and_opens_the_inputs(
    plan: Plan, clerk: Client
) -> None:
    store(plan, school(), {"i037n": 4888})
    data_set = teachers(plan)
    response = clerk.get(reverse("indicators:template", args=(data_set.pk, school().pk, "2021")))
    assert response["Content-Type"] == excel.XLSX_MIME
    assert response["Content-Disposition"] == 'attachment; filename="371503-S01_ds3_2021.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["填报", "填报说明", "_meta"]
    sheet = workbook["填报"]
    assert [c.value for c in sheet[4]] == ["代码", "指标", "单位", "数值", "说明"]
    assert sheet["A8"].value == "i037n" and sheet[STUDENTS].value == 4888  # stored value filled in
    assert sheet.protection.sheet and sheet["B8"].protection.locked
    assert not sheet[STUDENTS].protection.locked and sheet[RATIO].protection.locked
    assert sheet[RATIO].value == '=IF(COUNT(D8,D9)=2,IFERROR(D8/D9,""),"")'
    assert sheet["D16"].value == '=IF(COUNT(D14,D15)=2,IFERROR(D14/D15*100,""),"")'
    counts = next(v for v in sheet.data_validations.dataValidation if STUDENTS in v.sqref)
    assert (counts.type, counts.operator, counts.formula1) == ("decimal", "greaterThanOrEqual", "0")
    assert "不超过" in sheet["E6"].value  # 其中 rows say so
    assert "不要修改代码" in workbook["填报说明"]["A5"].value
    meta = workbook["_meta"]
    assert meta.sheet_state == "veryHidden"
    assert {row[0]: row[1] for row in meta.iter_rows(values_only=True)} | {"version": "-"} == {
        "format": "1",
        "data_set_id": str(data_set.pk),
        "data_set_code": "ds3",
        "org_unit_id": str(school().pk),
        "org_unit_code": "371503-S01",
        "period": "2021",
        "version": "-",
    }


def test_a_percentage_is_checked_between_0_and_100_as_the_clerk_types(
    plan: Plan, clerk: Client
) -> None:
    training = DataSet.objects.get(plan=plan, code="ds6")
    add_percentage(plan, training)
    sheet = openpyxl.load_workbook(io.BytesIO(download(clerk, training, school())))["填报"]
    row = next(r[0].row for r in sheet.iter_rows(min_row=5) if r[0].value == "p901")
    check = next(v for v in sheet.data_validations.dataValidation if f"D{row}" in v.sqref)
    assert (check.operator, check.formula1, check.formula2) == ("between", "0", "100")
    cross = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "i059")
    assert cross[3].value is None and "其他表" in cross[4].value  # parts on 规模与布局


# The round trip -------------------------------------------------------------------------


def test_a_filled_template_is_stored_and_the_ratio_computed(plan: Plan, clerk: Client) -> None:
    data_set, unit = teachers(plan), school()
    content = filled(
        download(clerk, data_set, unit), {STUDENTS: 4888, TEACHERS: 252, DUAL: 150, SPECIALTY: 200}
    )
    response = send(clerk, data_set, unit, content)
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:form", args=(data_set.pk, unit.pk, "2021"))
    page = clerk.get(response["Location"]).content.decode()
    assert "已从文件导入 4 项数据" in page and "下载Excel模板" in page and "上传Excel/CSV" in page
    assert DataValue.objects.filter(org_unit=unit).count() == 4  # blank cells: not reported
    ratio = Indicator.objects.get(plan=plan, code="i037")
    assert actual(ratio, unit.pk, "2021") == Decimal(4888) / Decimal(252)


def test_uploading_the_same_file_twice_stores_the_same_values(plan: Plan, clerk: Client) -> None:
    data_set, unit = teachers(plan), school()
    content = filled(download(clerk, data_set, unit), {STUDENTS: 4888, TEACHERS: 252.5})
    assert send(clerk, data_set, unit, content).status_code == 302
    changes = ChangeRecord.objects.count()
    assert send(clerk, data_set, unit, content).status_code == 302
    assert sorted(DataValue.objects.values_list("value", flat=True)) == [
        Decimal("252.5"),
        Decimal(4888),
    ]
    assert ChangeRecord.objects.count() == changes  # nothing changed, nothing recorded


def test_a_template_of_another_unit_period_or_form_is_refused(plan: Plan, clerk: Client) -> None:
    admin, data_set, unit = signed_in("admin"), teachers(plan), school()
    other_unit = filled(download(admin, data_set, school(2)), {STUDENTS: 1})
    other_year = filled(download(admin, data_set, unit, "2022"), {STUDENTS: 1})
    other_form = download(admin, DataSet.objects.get(plan=plan, code="ds2"), unit)
    refused(send(clerk, data_set, unit, other_unit), "_meta!B5", "另一个填报单位", "371503-S02")
    refused(send(clerk, data_set, unit, other_year), "_meta!B6", "期间是 2022")
    refused(send(clerk, data_set, unit, other_form), "_meta!B3", "另一张填报表（ds2）")
    assert DataValue.objects.count() == 0


def test_a_template_made_before_the_form_changed_is_refused(plan: Plan, clerk: Client) -> None:
    data_set, unit = teachers(plan), school()
    content = filled(download(clerk, data_set, unit), {STUDENTS: 4888})
    add_percentage(plan, data_set)
    refused(send(clerk, data_set, unit, content), "_meta!B7", "已过期", "重新下载")
    assert DataValue.objects.count() == 0


def test_edited_labels_and_formulas_are_refused_cell_by_cell(plan: Plan, clerk: Client) -> None:
    data_set, unit = teachers(plan), school()
    content = filled(
        download(clerk, data_set, unit),
        {
            "D5": 10,  # a good value: not stored either
            "A7": "i099",
            "B8": "在校生",
            "C9": "名",
            RATIO: "=D8/D9*2",
            "D13": 19,  # a ratio typed over its formula
        },
    )
    page = refused(
        send(clerk, data_set, unit, content),
        "填报!A7",
        "代码不能修改",
        "填报!B8",
        "指标名称不能修改",
        "填报!C9",
        "单位不能修改",
        "填报!D10",
        "公式被修改",
        "填报!D13",
        "改成了数值",
    )
    assert "<table" in page
    assert DataValue.objects.count() == 0


def test_text_dates_and_formulas_in_number_cells_are_refused(plan: Plan, clerk: Client) -> None:
    data_set, unit = teachers(plan), school()
    content = filled(
        download(clerk, data_set, unit),
        {STUDENTS: "四千八百", TEACHERS: "=200+52", "D5": dt.date(2021, 1, 1), "D20": 3},
    )
    refused(
        send(clerk, data_set, unit, content),
        "填报!D8",
        "四千八百",
        "应填写数字",
        "填报!D9",
        "=200+52",
        "不能使用公式",
        "填报!D5",
        "日期",
    )
    assert DataValue.objects.count() == 0


def test_negative_counts_percentages_over_100_and_broken_rules_point_at_their_cells(
    plan: Plan,
    clerk: Client,
) -> None:
    training, unit = DataSet.objects.get(plan=plan, code="ds6"), school()
    add_percentage(plan, training)
    sheet = openpyxl.load_workbook(io.BytesIO(download(clerk, training, unit)))["填报"]
    rows = {r[0].value: r[0].row for r in sheet.iter_rows(min_row=5)}
    content = filled(
        download(clerk, training, unit), {f"D{rows['i058']}": -5, f"D{rows['p901']}": 120}
    )
    refused(
        send(clerk, training, unit, content),
        f"填报!D{rows['i058']}",
        "不能为负数",
        f"填报!D{rows['p901']}",
        "百分比不能超过100",
    )
    content = filled(download(clerk, teachers(plan), unit), {DUAL: 200, SPECIALTY: 180})
    refused(send(clerk, teachers(plan), unit, content), "填报!D14", "不超过专业课教师总数")
    assert DataValue.objects.count() == 0


# Hostile or wrong files -----------------------------------------------------------------


def a_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A real xlsx skeleton whose sheet inflates 1:1000 (20 MB of blanks)."""
    return a_zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"<worksheet>" + b" " * 20_000_000 + b"</worksheet>",
        }
    )


def forged_sizes() -> bytes:
    """A member that says it inflates to 4 × its compressed size but inflates to 50 MB."""
    content = a_zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": b"<workbook/>",
            "xl/worksheets/sheet1.xml": b"\0" * 50_000_000,
        }
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    lie = (4 * info.compress_size).to_bytes(4, "little")
    data = bytearray(content)
    data[info.header_offset + 22 : info.header_offset + 26] = lie  # local header
    entry = archive.start_dir
    while data[entry + 46 : entry + 46 + len(info.filename)] != info.filename.encode():
        lengths = (int.from_bytes(data[entry + k : entry + k + 2], "little") for k in (28, 30, 32))
        entry += 46 + sum(lengths)  # the fixed part, the name, extra field and comment
    data[entry + 24 : entry + 28] = lie  # central directory
    return bytes(data)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.xlsx", lambda: b"", "文件是空的"),
        ("notes.xlsx", "这是一个文本文件".encode, "内容不是 Excel 工作簿"),
        (
            "report.xlsx",
            lambda: a_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
            "Word 文档",
        ),
        ("old.xlsx", lambda: uploads.OLE2_MAGIC + b"\0" * 600, "旧版 .xls"),
        ("picture.csv", lambda: b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "不是文本"),
        ("bomb.xlsx", zip_bomb, "压缩炸弹"),
        ("forged.xlsx", forged_sizes, "已损坏"),
    ],
    ids=["empty", "text-as-xlsx", "docx-as-xlsx", "xls", "png-as-csv", "zip-bomb", "forged-sizes"],
)
def test_a_file_that_is_not_a_sound_xlsx_or_csv_stores_nothing(
    plan: Plan,
    clerk: Client,
    name: str,
    content: Callable[[], bytes],
    reason: str,
) -> None:
    store(plan, school(), {"i037n": 1})
    refused(send(clerk, teachers(plan), school(), content(), name), reason)
    assert list(DataValue.objects.values_list("value", flat=True)) == [Decimal(1)]


def test_an_oversize_file_is_refused_and_never_written_to_disk(
    plan: Plan,
    clerk: Client,
    settings: Any,  # pytest-django's SettingsWrapper is not public
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_disk(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr("django.core.files.uploadedfile.TemporaryUploadedFile.__init__", no_disk)
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 100  # Django would spill anything larger to disk
    data_set, unit = teachers(plan), school()
    content = filled(download(clerk, data_set, unit), {STUDENTS: 4888})
    assert send(clerk, data_set, unit, content).status_code == 302  # in memory all along
    settings.GAODI_UPLOAD_MAX_BYTES = 2000
    refused(send(clerk, data_set, unit, filled(content, {STUDENTS: 1})), "文件超过 2 KB")
    assert DataValue.objects.get().value == 4888


# CSV ------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_a_csv_of_codes_and_values_is_stored(plan: Plan, clerk: Client, encoding: str) -> None:
    data_set, unit = teachers(plan), school()
    text = '代码,数值,指标\ni037n,4888,在校生数\ni037d,"1,252",专任教师数\ni041,,空白不报\n'
    response = send(clerk, data_set, unit, text.encode(encoding), "数据.csv")
    assert response.status_code == 302
    assert dict(DataValue.objects.values_list("indicator__code", "value")) == {
        "i037n": Decimal(4888),
        "i037d": Decimal(1252),
    }


def test_the_csv_download_reads_back(plan: Plan, clerk: Client) -> None:
    data_set, unit = teachers(plan), school()
    store(plan, unit, {"i037n": 4888})
    response = clerk.get(reverse("indicators:csv", args=(data_set.pk, unit.pk, "2021")))
    text = response.content.decode("utf-8-sig")
    assert text.startswith("代码,数值,指标,单位") and "i037n,4888," in text and "i037," not in text
    assert send(clerk, data_set, unit, response.content, "x.csv").status_code == 302


def test_bad_csv_rows_are_reported_by_row_number(plan: Plan, clerk: Client) -> None:
    data_set, unit = teachers(plan), school()
    text = "代码,数值\ni037n,4888\ni999,1\ni037d,二百\ni037,19\ni037n,5\n"
    refused(
        send(clerk, data_set, unit, text.encode("gb18030"), "x.csv"),
        "第3行",
        "i999 不属于本表",
        "第4行",
        "二百",
        "第5行",
        "最多报一次",
        "第6行",
        "重复（第2行已填写）",
    )
    refused(
        send(clerk, data_set, unit, "代码,数值\ni037n,-3\n".encode(), "x.csv"),
        "第2行",
        "不能为负数",
    )
    refused(send(clerk, data_set, unit, b"code;value\ni037n;3\n", "x.csv"), "代码,数值")
    assert DataValue.objects.count() == 0


# Access ---------------------------------------------------------------------------------


def test_a_clerk_of_another_school_gets_404(plan: Plan) -> None:
    data_set, unit = teachers(plan), school()
    other = signed_in("clerk2")
    args = (data_set.pk, unit.pk, "2021")
    assert other.get(reverse("indicators:template", args=args)).status_code == 404
    assert other.get(reverse("indicators:csv", args=args)).status_code == 404
    assert other.get(reverse("indicators:upload", args=args)).status_code == 404
    content = filled(download(signed_in("clerk1"), data_set, unit), {STUDENTS: 1})
    assert send(other, data_set, unit, content).status_code == 404
    assert Client().get(reverse("indicators:upload", args=args)).status_code == 302  # sign in
    assert DataValue.objects.count() == 0


def test_the_upload_page_explains_what_to_do(plan: Plan, clerk: Client) -> None:
    data_set, unit = teachers(plan), school()
    page = clerk.get(reverse("indicators:upload", args=(data_set.pk, unit.pk, "2021")))
    text = page.content.decode()
    assert 'type="file"' in text and 'enctype="multipart/form-data"' in text
    assert "下载Excel模板" in text and "代码,数值" in text and "全部不保存" in text


# Many schools in one workbook (what bench/import.py measures) ---------------------------


def test_a_workbook_of_many_schools_is_stored_in_one_call(plan: Plan) -> None:
    data_set = teachers(plan)
    units = {u.code: u.pk for u in OrgUnit.objects.filter(kind=OrgKind.SCHOOL)}
    codes = ["i037n", "i037d", "i041"]
    content = excel.write_units_workbook(
        codes, [(code, "") for code in units], [[4888, 252, 3.5], [100, 10, ""]]
    )
    stored = excel.import_workbook(
        data_set, "2021", content, units=units, actor=None, source="测试"
    )
    assert (stored.values, stored.units) == (5, 2)
    assert DataValue.objects.count() == 5


def test_a_workbook_of_many_schools_is_refused_whole_with_its_cells(plan: Plan) -> None:
    data_set = teachers(plan)
    units = {u.code: u.pk for u in OrgUnit.objects.filter(kind=OrgKind.SCHOOL)}
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "学校"
    for row in (
        ["单位代码", "单位名称", "i037n", "i037d", "i037"],
        ["371503-S01", "", 4888, "=1+2", None],
        ["371503-S02", "", "很多", -1, None],
        ["371503-S99", "", 1, 1, None],
    ):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(excel.FileRefused) as header:
        excel.import_workbook(
            data_set, "2021", buffer.getvalue(), units=units, actor=None, source="测试"
        )
    assert [p.place for p in header.value.problems] == ["学校!E1"]  # a ratio is not typed in
    sheet.delete_cols(5)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(excel.FileRefused) as cells:
        excel.import_workbook(
            data_set, "2021", buffer.getvalue(), units=units, actor=None, source="测试"
        )
    assert {p.place for p in cells.value.problems} == {"学校!C3", "学校!D2"}
    sheet["D2"], sheet["C3"] = 252, 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(excel.FileRefused) as unknown:
        excel.import_workbook(
            data_set, "2021", buffer.getvalue(), units=units, actor=None, source="测试"
        )
    assert [p.place for p in unknown.value.problems] == ["学校!A4"]
    sheet.delete_rows(4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(excel.FileRefused) as negative:
        excel.import_workbook(
            data_set, "2021", buffer.getvalue(), units=units, actor=None, source="测试"
        )
    assert [(p.place, "不能为负数" in p.reason) for p in negative.value.problems] == [
        ("学校!D3", True)
    ]
    assert DataValue.objects.count() == 0
