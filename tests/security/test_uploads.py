"""Uploads (issue 6): every way a file reaches Gaodi — the indicator Excel/CSV upload, the
evidence of a progress report, the plan document (.txt/.docx/.pdf, imported from the command
line) — goes through the shared defences of `gaodi/files/checks.py`. For each endpoint, a file
whose name lies about its type, an oversized file, a zip bomb, an XML bomb and a zip with
``../`` member names are refused with a Chinese message, and nothing is stored: no row, no
file left in the data folder, no temporary file. Evidence is served only as a download with
safe headers, to those allowed."""

from __future__ import annotations

import datetime as dt
import functools
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django.plugin import DjangoDbBlocker

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.files import checks
from gaodi.indicators.models import DataSet, DataValue
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import ParseError, example_plan_path, parse_bytes, parse_path
from gaodi.plans.parsing.readers import read_blocks
from gaodi.plans.services import import_plan
from gaodi.supervision.models import Cycle, Evidence, ProgressReport
from gaodi.supervision.services import run_cycles

DAY = dt.date(2021, 6, 30)
PASSWORD = "Gaodi-upload-test-2021"
LEAD, COOP, OTHER = "区教育和体育局", "区财政局", "区工业和信息化局"  # of 重点任务（十四）
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 120 + b"This program"
HTML = b'<!DOCTYPE html><html><body><script>alert("x")</script></body></html>'
CHINESE = re.compile(r"[\u4e00-\u9fff]")


# ---- hostile files -------------------------------------------------------------------------


def rezip(
    content: bytes,
    replace: dict[str, bytes] | None = None,
    *,
    members: dict[str, bytes] | None = None,
    stored: bool = False,
) -> bytes:
    """The same zip with some members replaced and `members` added (uncompressed if
    `stored`: an archive inside an archive is stored as it is)."""
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, data in (members or {}).items():
            target.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


@functools.cache
def zeros() -> bytes:
    return b"\0" * 20_000_000  # deflates 1000:1, ten times the ratio allowed


def billion_laughs(xml: bytes, reference_before: bytes) -> bytes:
    """The XML part with a billion-laughs DTD, its entity used before `reference_before`."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    doctype = ("<!DOCTYPE root [" + "".join(entities) + "]>").encode()
    declaration, rest = xml.split(b"?>", 1) if xml.startswith(b"<?xml") else (b"", xml)
    rest = rest.replace(reference_before, b"&lol9;" + reference_before, 1)
    return (declaration + b"?>" if declaration else b"") + doctype + rest


def xml_bomb(content: bytes, part: str, reference_before: bytes) -> bytes:
    xml = zipfile.ZipFile(io.BytesIO(content)).read(part)
    return rezip(content, {part: billion_laughs(xml, reference_before)})


def utf16_xml_bomb(content: bytes, part: str) -> bytes:
    """The same bomb with the part re-encoded as UTF-16 (a byte search for ASCII misses it)."""
    xml = billion_laughs(zipfile.ZipFile(io.BytesIO(content)).read(part), b"<")
    text = xml.decode().removeprefix("<?xml").split("?>", 1)[-1]
    return rezip(
        content, {part: ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16")}
    )


def nested_bomb(content: bytes, folder: str) -> bytes:
    """A workbook embedded in the file (as a chart's data is), the workbook a zip bomb."""
    inner = rezip(small_xlsx(), members={"xl/media/zeros.bin": zeros()})
    return rezip(content, members={f"{folder}/embeddings/Sheet1.xlsx": inner}, stored=True)


@functools.cache
def small_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("（一）测试任务。（牵头单位：区财政局）")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@functools.cache
def small_xlsx() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    assert book.active is not None
    book.active["A1"] = "测试"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def office_attacks(base: bytes, folder: str, text_part: str, marker: bytes) -> dict[str, Any]:
    """The zip-borne attacks on an Office file: name -> (bytes, expected words)."""
    return {
        "zip-bomb": (rezip(base, members={f"{folder}/media/zeros.bin": zeros()}), "压缩炸弹"),
        "nested-zip-bomb": (nested_bomb(base, folder), "压缩炸弹"),
        "xml-bomb": (xml_bomb(base, text_part, marker), "XML 炸弹"),
        "xml-bomb-utf16": (utf16_xml_bomb(base, text_part), "XML 炸弹"),
        "dotdot-member": (rezip(base, members={"../../evil.sh": b"rm -rf /"}), "../"),
        "absolute-member": (
            rezip(base, members={"/etc/cron.d/evil": b"* * * * *"}),
            "不安全的路径",
        ),
        "backslash-member": (rezip(base, members={"..\\..\\evil.bat": b"del"}), "不安全的路径"),
    }


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def chinese(message: str) -> bool:
    return bool(CHINESE.search(message))


# ---- the site: a plan, a school clerk, department liaisons, the current rounds ---------------


@pytest.fixture(scope="module")
def site(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Plan]:
    """Made once for the module; each test runs in a savepoint inside this transaction."""
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(GAODI_TODAY=DAY):
        county = ensure_reference_tree(actor=None)
        plan = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
        create_member("admin", PASSWORD, role=Role.ADMIN, actor=None, org_unit=county)
        unit = OrgUnit.objects.create(
            code="371503-S01", name="职教中心", kind=OrgKind.SCHOOL, parent=county
        )
        create_member("clerk", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=unit)
        for username, name in (("jiaotiju", LEAD), ("caizheng", COOP), ("gongxin", OTHER)):
            department = Department.objects.get(org_unit=county, name=name)
            create_member(
                username, PASSWORD, role=Role.DEPARTMENT, actor=None, department=department
            )
        run_cycles(DAY)
        yield plan
        transaction.set_rollback(True)


@pytest.fixture
def plan(site: Plan, db: None, settings: Any, tmp_path: Path) -> Plan:
    settings.GAODI_TODAY = DAY
    settings.GAODI_DATA_DIR = tmp_path / "data"
    return site


@pytest.fixture(autouse=True)
def never_on_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """No upload is ever spilled to a temporary file while the request is read."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr("django.core.files.uploadedfile.TemporaryUploadedFile.__init__", refuse)


def client(username: str) -> Client:
    found = Client()
    assert found.login(username=username, password=PASSWORD)
    return found


def data_dir(settings: Any) -> Path:
    return Path(settings.GAODI_DATA_DIR)


# ---- 1. the indicator upload (Excel template or CSV) ---------------------------------------


def teachers(plan: Plan) -> DataSet:
    return DataSet.objects.get(plan=plan, code="ds3")


def school() -> OrgUnit:
    return OrgUnit.objects.get(code="371503-S01")


def template(plan: Plan) -> bytes:
    url = reverse("indicators:template", args=(teachers(plan).pk, school().pk, "2021"))
    response = client("clerk").get(url)
    assert response.status_code == 200
    return response.content


def indicator_attacks(plan: Plan) -> dict[str, tuple[str, bytes, str]]:
    base = template(plan)
    attacks = {
        "exe-named-xlsx": ("填报.xlsx", EXE, "可执行程序"),
        "html-named-xlsx": ("填报.xlsx", HTML, "网页"),
        "html-named-csv": ("填报.csv", HTML, "网页"),
        "pdf-named-csv": ("填报.csv", PDF, "PDF"),
        "docx-named-xlsx": ("填报.xlsx", small_docx(), "不是 Excel 工作簿"),
    }
    for name, (content, words) in office_attacks(
        base, "xl", "xl/worksheets/sheet1.xml", b"</t>"
    ).items():
        attacks[name] = ("填报.xlsx", content, words)
    return attacks


INDICATOR_CASES = [
    "exe-named-xlsx",
    "html-named-xlsx",
    "html-named-csv",
    "pdf-named-csv",
    "docx-named-xlsx",
    "zip-bomb",
    "nested-zip-bomb",
    "xml-bomb",
    "xml-bomb-utf16",
    "dotdot-member",
    "absolute-member",
    "backslash-member",
]


def upload_indicator(plan: Plan, name: str, content: bytes) -> str:
    url = reverse("indicators:upload", args=(teachers(plan).pk, school().pk, "2021"))
    response = client("clerk").post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200  # the page again, with the problems, not a redirect
    page = response.content.decode()
    assert "未保存" in page
    return page


def assert_nothing_stored(settings: Any, values: int, records: int) -> None:
    assert DataValue.objects.count() == values
    assert ChangeRecord.objects.count() == records
    assert files_in(data_dir(settings)) == []


@pytest.mark.parametrize("case", INDICATOR_CASES)
def test_the_indicator_upload_refuses_hostile_files(plan: Plan, settings: Any, case: str) -> None:
    name, content, words = indicator_attacks(plan)[case]
    values, records = DataValue.objects.count(), ChangeRecord.objects.count()
    page = upload_indicator(plan, name, content)
    assert words in page, case
    assert_nothing_stored(settings, values, records)


def test_the_indicator_upload_refuses_an_oversized_file(plan: Plan, settings: Any) -> None:
    settings.GAODI_UPLOAD_MAX_BYTES = 2048
    values, records = DataValue.objects.count(), ChangeRecord.objects.count()
    page = upload_indicator(plan, "填报.csv", "代码,数值\n".encode() + b"i037n,1\n" * 1000)
    assert "超过 2 KB 的上限" in page
    assert_nothing_stored(settings, values, records)


def test_a_sound_template_is_still_accepted(plan: Plan, settings: Any) -> None:
    """The defences refuse attacks, not the files Gaodi itself hands out."""
    url = reverse("indicators:upload", args=(teachers(plan).pk, school().pk, "2021"))
    content = "代码,数值\ni037n,4888\n".encode()
    response = client("clerk").post(url, {"file": SimpleUploadedFile("填报.csv", content)})
    assert response.status_code == 302
    assert checks.check_office(template(plan), expect=(checks.XLSX,)) == checks.XLSX


# ---- 2. evidence of a progress report ------------------------------------------------------


def report_url(plan: Plan) -> str:
    cycle = Cycle.objects.get(period="202103B")
    task = plan.tasks.get(number=14)
    department = Department.objects.get(name=COOP)
    return f"/supervision/cycles/{cycle.pk}/tasks/{task.pk}/departments/{department.pk}/"


def report_form(*files: SimpleUploadedFile) -> dict[str, Any]:
    return {
        "progress": "ongoing",
        "percent": "40",
        "narrative": "已完成双师型教师认定办法初稿",
        "problems": "",
        "needs": "",
        "action": "save",
        "files": list(files),
    }


def evidence_attacks() -> dict[str, tuple[str, bytes, str]]:
    attacks = {
        "exe-named-pdf": ("通知.pdf", EXE, "可执行程序"),
        "exe-named-docx": ("说明.docx", EXE, "可执行程序"),
        "html-named-pdf": ("通知.pdf", HTML, "网页"),
        "html-named-png": ("照片.png", HTML, "网页"),
        "pdf-named-docx": ("说明.docx", PDF, "PDF"),
    }
    for name, (content, words) in office_attacks(
        small_docx(), "word", "word/document.xml", b"</w:t>"
    ).items():
        attacks[name] = ("说明.docx", content, words)
    attacks["xlsx-xml-bomb"] = (
        "附表.xlsx",
        xml_bomb(small_xlsx(), "xl/worksheets/sheet1.xml", b"</sheetData>"),
        "XML 炸弹",
    )
    return attacks


EVIDENCE_CASES = [
    "exe-named-pdf",
    "exe-named-docx",
    "html-named-pdf",
    "html-named-png",
    "pdf-named-docx",
    "zip-bomb",
    "nested-zip-bomb",
    "xml-bomb",
    "xml-bomb-utf16",
    "xlsx-xml-bomb",
    "dotdot-member",
    "absolute-member",
    "backslash-member",
]


def post_evidence(plan: Plan, *files: SimpleUploadedFile) -> str:
    response = client("caizheng").post(report_url(plan), report_form(*files))
    assert response.status_code == 200  # the form again, with the problems
    return response.content.decode()


def assert_no_evidence(settings: Any) -> None:
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert files_in(data_dir(settings)) == []


@pytest.mark.parametrize("case", EVIDENCE_CASES)
def test_evidence_refuses_hostile_files(plan: Plan, settings: Any, case: str) -> None:
    name, content, words = evidence_attacks()[case]
    good = SimpleUploadedFile("好的.pdf", PDF)  # the whole save is refused, the good one too
    page = post_evidence(plan, good, SimpleUploadedFile(name, content, "application/pdf"))
    assert words in page and name in page, case
    assert_no_evidence(settings)


def test_evidence_refuses_an_oversized_file_and_too_much_in_one_request(
    plan: Plan, settings: Any
) -> None:
    settings.GAODI_EVIDENCE_MAX_BYTES = 1024
    page = post_evidence(plan, SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048))
    assert "超过 1 KB 的上限" in page
    assert_no_evidence(settings)
    many = [SimpleUploadedFile(f"第{n}份.pdf", PDF + b"0" * 900) for n in range(12)]
    page = post_evidence(plan, *many)  # each under the limit, together over the request's
    assert "超过 1 KB 的上限" in page
    assert_no_evidence(settings)


def test_evidence_is_served_as_a_download_with_safe_headers_to_those_allowed_only(
    plan: Plan, settings: Any
) -> None:
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
    hostile_name = "现场<img src=x onerror=alert(1)>.png"  # a JPEG, named .png
    page = client("caizheng").post(
        report_url(plan),
        report_form(
            SimpleUploadedFile("培训通知.pdf", PDF, content_type="text/html"),
            SimpleUploadedFile(hostile_name, jpeg, content_type="text/html"),
        ),
    )
    assert page.status_code == 302
    stored = {e.content_type: e for e in Evidence.objects.all()}
    assert set(stored) == {"application/pdf", "image/jpeg"}  # the bytes' type, not the name's
    for evidence in stored.values():
        path = data_dir(settings) / "evidence" / evidence.stored_name
        assert path.is_file() and re.fullmatch(r"[0-9a-f]{32}\.(pdf|jpg)", evidence.stored_name)
        assert path.stat().st_mode & 0o077 == 0  # readable by Gaodi's own user only
        url = reverse("supervision:evidence", args=[evidence.pk])
        download = client("caizheng").get(url)
        assert download.status_code == 200
        assert download["Content-Type"] == evidence.content_type
        assert download["Content-Disposition"].startswith("attachment;")
        assert "\n" not in download["Content-Disposition"]
        assert download["X-Content-Type-Options"] == "nosniff"
        policy = download["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "sandbox" in policy
        assert "private" in download["Cache-Control"] and "no-store" in download["Cache-Control"]
        assert b"".join(download.streaming_content) == path.read_bytes()
        assert client("jiaotiju").get(url).status_code == 200  # the lead department
        assert client("gongxin").get(url).status_code == 404  # another department
        assert client("clerk").get(url).status_code == 404  # a school
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    report = client("caizheng").get(report_url(plan)).content.decode()
    assert "<img src=x" not in report  # the name as text on the report's page
    assert "&lt;img src=x onerror=alert(1)&gt;" in report


# ---- 3. the plan document (gaodi import-plan FILE; parse_bytes for the pure reader) --------


def plan_attacks() -> dict[str, tuple[str, bytes, str]]:
    attacks = {
        "exe-named-docx": ("方案.docx", EXE, "可执行程序"),
        "exe-named-pdf": ("方案.pdf", EXE, "可执行程序"),
        "html-named-pdf": ("方案.pdf", HTML, "网页"),
        "html-named-txt": ("方案.txt", HTML, "网页"),
        "xlsx-named-pdf": ("方案.pdf", small_xlsx(), "压缩包"),
        "pdf-bomb": ("方案.pdf", pdf_bomb(), "压缩炸弹"),
        "pdf-lzw": ("方案.pdf", pdf_with_filter(b"/LZWDecode"), "不支持的压缩方式"),
        "pdf-chained": (
            "方案.pdf",
            pdf_with_filter(b"[/ASCII85Decode /FlateDecode]"),
            "不支持的压缩方式",
        ),
    }
    for name, (content, words) in office_attacks(
        small_docx(), "word", "word/document.xml", b"</w:t>"
    ).items():
        attacks[name] = ("方案.docx", content, words)
    return attacks


PLAN_CASES = [
    "exe-named-docx",
    "exe-named-pdf",
    "html-named-pdf",
    "html-named-txt",
    "xlsx-named-pdf",
    "pdf-bomb",
    "pdf-lzw",
    "pdf-chained",
    "zip-bomb",
    "nested-zip-bomb",
    "xml-bomb",
    "xml-bomb-utf16",
    "dotdot-member",
    "absolute-member",
    "backslash-member",
]


def pdf_with_stream(dictionary: bytes, data: bytes) -> bytes:
    """A one-page PDF whose page content is `data` under `dictionary` (its /Filter)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length " + str(len(data)).encode() + b" " + dictionary + b" >>\nstream\n" + data
        + b"\nendstream",
    ]  # fmt: skip
    out = bytearray(b"%PDF-1.4\n")
    for number, body in enumerate(objects, start=1):
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    return bytes(out + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


@functools.cache
def pdf_bomb() -> bytes:
    return pdf_with_stream(b"/Filter /FlateDecode", zlib.compress(zeros() * 2, 9))


def pdf_with_filter(filters: bytes) -> bytes:
    return pdf_with_stream(b"/Filter " + filters, b"BT /F1 12 Tf (x) Tj ET")


def import_plan_file(tmp_path: Path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        call_command("import_plan", str(path))
    return str(refused.value)


@pytest.mark.parametrize("case", PLAN_CASES)
def test_the_plan_import_refuses_hostile_files(
    plan: Plan,
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    monkeypatch.setattr(checks, "MAX_UNCOMPRESSED_BYTES", 30_000_000)  # the PDF bomb: 40 MB
    name, content, words = plan_attacks()[case]
    plans, records = Plan.objects.count(), ChangeRecord.objects.count()
    message = import_plan_file(tmp_path, name, content)
    assert words in message and chinese(message), (case, message)
    assert Plan.objects.count() == plans and ChangeRecord.objects.count() == records
    assert files_in(data_dir(settings)) == []
    if case.startswith(("zip", "nested", "xml", "dotdot", "absolute", "backslash", "pdf")):
        with pytest.raises(ParseError):  # the pure reader refuses it too, name or no name
            parse_bytes(content)


def test_the_plan_import_refuses_an_oversized_file_unread(
    plan: Plan, settings: Any, tmp_path: Path
) -> None:
    path = tmp_path / "方案.txt"
    with path.open("wb") as sparse:
        sparse.truncate(20 * 1024 * 1024 + 1)  # the size is enough: nothing is read
    plans = Plan.objects.count()
    with pytest.raises(CommandError, match="文件过大"):
        call_command("import_plan", str(path))
    assert Plan.objects.count() == plans and files_in(data_dir(settings)) == []


def test_a_sound_plan_docx_and_pdf_are_still_read() -> None:
    """The defences refuse attacks, not the plans Gaodi is given (the reference plan as .docx
    and .pdf is read in gaodi/plans/tests/test_parse_reference.py)."""
    blocks, kind = read_blocks(small_docx(), "方案.docx")
    assert kind == "docx" and "测试任务" in blocks[0].text  # type: ignore[union-attr]
    fixtures = Path(__file__).resolve().parents[2] / "gaodi/plans/tests/fixtures/forms"
    for path in sorted(fixtures.glob("chiping-2020-19*.pdf")):
        checks.check_pdf(path.read_bytes())


# ---- the shared checks themselves ----------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: rezip(small_xlsx(), members={f"x/{n}.xml": b"<a/>" for n in range(1001)}), "过多"),
        (lambda: rezip(small_xlsx(), members={"XL/WORKBOOK.XML": b"<a/>"}), "重名"),
        (lambda: rezip(small_xlsx(), members={"xl/a.xml": b"<!ENTITY x 'y'>"}), "XML 炸弹"),
        (
            lambda: rezip(
                small_xlsx(), members={"xl/a.xml": '<?xml version="1.0"?><a/>'.encode("utf-32")}
            ),
            "编码异常",
        ),
        (
            lambda: rezip(
                small_xlsx(),
                members={"xl/a.xml": b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE'},
            ),
            "编码异常",
        ),
        (
            lambda: rezip(
                small_docx(),
                members={
                    "word/embeddings/a.xlsx": rezip(small_xlsx(), members={"b.zip": small_xlsx()})
                },
                stored=True,
            ),
            "嵌套",
        ),
    ],
    ids=["too-many-members", "duplicate-names", "bare-entity", "utf-32", "utf-7", "nested-twice"],
)
def test_the_shared_zip_checks(build: Callable[[], bytes], words: str) -> None:
    with pytest.raises(checks.UploadRefused, match=words):
        checks.check_office(build())


def test_the_total_uncompressed_size_is_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    members = {f"xl/media/{n}.bin": os.urandom(100_000) for n in range(10)}  # 1 MB, 1:1
    content = rezip(small_xlsx(), members=members)
    assert checks.check_office(content) == checks.XLSX
    monkeypatch.setattr(checks, "MAX_UNCOMPRESSED_BYTES", 500_000)
    with pytest.raises(checks.UploadRefused, match="压缩炸弹"):
        checks.check_office(content)


def test_a_name_never_decides_the_type() -> None:
    assert checks.name_lies(EXE, "a.xlsx") and checks.name_lies(HTML, "a.pdf")
    assert not checks.name_lies(PDF, "a.PDF") and not checks.name_lies(small_docx(), "a.docx")
    assert checks.magic_kind(EXE) == "可执行程序（.exe/.dll）"
    assert checks.clean_name("../../etc/passwd\r\n") == "passwd"
    assert checks.clean_name("a" * 300 + ".pdf") == "a" * 196 + ".pdf"


def test_a_file_posted_to_any_page_stays_in_memory_and_stops_at_the_limit(settings) -> None:  # type: ignore[no-untyped-def]
    """Any POST (the log-in page takes no files): a large multipart body is never spooled to a
    temporary file, and a file past the limit is dropped (settings.FILE_UPLOAD_HANDLERS)."""
    from django.core.files.uploadedfile import TemporaryUploadedFile
    from django.test import RequestFactory

    settings.GAODI_UPLOAD_MAX_BYTES = 4 * 1024 * 1024
    small = SimpleUploadedFile("a.bin", b"x" * (3 * 1024 * 1024))  # over Django's 2.5 MB spool
    request = RequestFactory().post("/accounts/login/", {"file": small})
    files = request.FILES
    assert files["file"].size == 3 * 1024 * 1024
    assert not isinstance(files["file"], TemporaryUploadedFile)
    settings.GAODI_UPLOAD_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("b.bin", b"x" * (3 * 1024 * 1024))
    assert "file" not in RequestFactory().post("/accounts/login/", {"file": big}).FILES
