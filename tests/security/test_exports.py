"""Exports (issue 6): text typed by users — department and school names, task titles, report
narratives and review comments, inspection findings, meeting decisions, indicator names and
source notes — never becomes a formula in any spreadsheet Gaodi writes (xlsx or CSV), is shown
as typed in every file (xlsx, docx, pdf), and is HTML-escaped in every page and in the PDF
report's HTML. The hostile text starts like a formula (= + - @, a tab) and carries
``<script>alert(1)</script>`` and ``&``."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pdfplumber
import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django.plugin import DjangoDbBlocker

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.achievements.models import Achievement, CompetitionAward, SchoolEvaluation
from gaodi.demo import DEMO_PASSWORD, set_up_demo
from gaodi.files import exports
from gaodi.indicators.models import DataSet, DataValue, Indicator
from gaodi.orgs.models import Department, OrgUnit
from gaodi.plans.models import Plan, Task
from gaodi.specialties.catalogue import CATALOGUE_2021
from gaodi.specialties.models import Specialty
from gaodi.supervision.models import (
    Handover,
    InspectionFinding,
    Meeting,
    ProgressReport,
    PublishedReport,
    TrackedItem,
)
from gaodi.supervision.report_build import build_report
from gaodi.supervision.report_pdf import report_html
from gaodi.teachers.models import Honour, Teacher

DAY = dt.date(2021, 6, 30)
PERIOD = "2021Q2"
SCRIPT = "<script>alert(1)</script> & "
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
STARTS = ['=HYPERLINK("http://x","点击")', "+1+1", "-2", "@SUM(A1)", "\t=1+1"]


def hostile(number: int, original: str) -> str:
    """A formula-like start, markup and an ampersand, then the original (kept unique)."""
    return STARTS[number % len(STARTS)] + SCRIPT + original


# ---- the demo, with hostile text wherever a user types it ----------------------------------


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Plan]:
    data = tmp_path_factory.mktemp("data")
    with (
        django_db_blocker.unblock(),
        transaction.atomic(),
        override_settings(GAODI_TODAY=DAY, GAODI_DATA_DIR=data),
    ):
        plan, _logins = set_up_demo()
        poison(plan)
        yield plan
        transaction.set_rollback(True)


def poison(plan: Plan) -> None:
    """Test seeding straight into the tables: every field below is typed by some user."""
    edits: list[tuple[Any, str]] = [
        (Plan.objects.filter(pk=plan.pk), "title"),
        (Department.objects.all(), "name"),
        (OrgUnit.objects.filter(kind="school"), "name"),
        (Task.objects.filter(plan=plan), "title"),
        (ProgressReport.objects.all(), "narrative"),
        (ProgressReport.objects.exclude(review_comment=""), "review_comment"),
        (InspectionFinding.objects.all(), "problem"),
        (Meeting.objects.all(), "decisions"),
        (Meeting.objects.all(), "title"),
        (TrackedItem.objects.all(), "wording"),
        (Indicator.objects.filter(plan=plan), "name"),
        (Indicator.objects.filter(plan=plan), "source_clause"),
        (DataSet.objects.filter(plan=plan), "name"),
        (DataValue.objects.all(), "source"),
        (Specialty.objects.all(), "name"),
        (Achievement.objects.all(), "name"),
        (Achievement.objects.all(), "doc_number"),
        (CompetitionAward.objects.all(), "name"),
        (SchoolEvaluation.objects.all(), "source"),
        (Teacher.objects.all(), "name"),
        (Teacher.objects.all(), "subject"),
        (Honour.objects.all(), "source"),
    ]
    for queryset, field in edits:
        for number, (pk, text) in enumerate(queryset.values_list("pk", field)):
            value = hostile(number, text)
            limit = queryset.model._meta.get_field(field).max_length
            if limit is not None and len(value) > limit:  # PostgreSQL enforces the length
                value = STARTS[number % len(STARTS)][:6] + SCRIPT + text
                assert len(value) <= limit, (queryset.model, field, value)
            queryset.model.objects.filter(pk=pk).update(**{field: value})


@pytest.fixture
def plan(demo: Plan, db: None, settings: Any, tmp_path: Path) -> Plan:
    settings.GAODI_TODAY = DAY
    settings.GAODI_DATA_DIR = tmp_path
    demo.refresh_from_db()
    return demo


def client(username: str) -> Client:
    found = Client()
    assert found.login(username=username, password=DEMO_PASSWORD)
    return found


def school() -> OrgUnit:
    return OrgUnit.objects.get(code="371503-S01")


def get(who: Client, url: str, query: dict[str, Any] | None = None) -> Any:
    response = who.get(url, query or {})
    assert response.status_code == 200, (url, response.status_code)
    return response


def body(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


# ---- what a safe file looks like ------------------------------------------------------------


def xlsx_texts(content: bytes, *, own_formulas: bool = False) -> list[str]:
    """Every text cell of a workbook, after checking that none is a formula (bar the
    template's own ratio formulas) and that formula-like text is marked as quoted text."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert own_formulas and str(cell.value).startswith("=IF(COUNT("), (
                        sheet.title,
                        cell.coordinate,
                        cell.value,
                    )
                    continue
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if exports.formula_like(cell.value):
                        assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                for formula in re.findall(rb"<f[^>]*>(.*?)</f>", archive.read(name)):
                    assert b"HYPERLINK" not in formula and b"SUM(A1)" not in formula
    return texts


def assert_shown_as_typed(texts: list[str], expected: list[str]) -> None:
    """Each hostile text is in some cell exactly as typed (quoted, not mangled)."""
    assert expected
    for text in expected:
        assert any(text in cell for cell in texts), text


def docx_texts(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("word/document.xml")
    for instruction in re.findall(rb"<w:instrText[^>]*>(.*?)</w:instrText>", xml):
        assert b"HYPERLINK" not in instruction  # the text never became a Word field
    assert b"<script>" not in xml  # escaped as XML text, not markup
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def department_names() -> list[str]:
    return list(Department.objects.values_list("name", flat=True))


# ---- spreadsheets ---------------------------------------------------------------------------


def test_the_indicator_data_table_export(plan: Plan) -> None:
    value = DataValue.objects.filter(org_unit=school()).select_related("indicator").first()
    assert value is not None
    response = get(
        client("zhuanban"),
        reverse("indicators:table", args=[plan.pk]),
        {"indicator": value.indicator.code, "years": "2019-2021", "format": "xlsx"},
    )
    texts = xlsx_texts(body(response))
    assert_shown_as_typed(texts, [value.indicator.name, school().name, plan.title])
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    numbers = [c for row in book.worksheets[0].iter_rows(min_row=2) for c in row[4:] if c.value]
    assert numbers and all(c.data_type == "n" for c in numbers)  # numbers stay numbers


def test_the_fill_in_template_and_its_csv(plan: Plan) -> None:
    unit = school()
    data_set = DataSet.objects.filter(plan=plan, indicators__data_values__org_unit=unit).first()
    assert data_set is not None
    args = (data_set.pk, unit.pk, "2021")
    xuexiao = client("xuexiao")
    template = body(get(xuexiao, reverse("indicators:template", args=args)))
    names = [i.name for i in data_set.indicators.all()]
    assert_shown_as_typed(xlsx_texts(template, own_formulas=True), [data_set.name, *names])

    text = body(get(xuexiao, reverse("indicators:csv", args=args))).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    fields = [field for row in rows for field in row]
    assert not any(exports.formula_like(field) for field in fields)
    plain = [i.name for i in data_set.indicators.filter(formula="")]
    assert all("'" + name in fields for name in plain)  # shown after the apostrophe, whole


def test_the_specialty_catalogue_template(plan: Plan) -> None:
    province = OrgUnit.objects.get(code="370000")  # the catalogue is the province's to load
    create_member("shengji", DEMO_PASSWORD, role=Role.ADMIN, actor=None, org_unit=province)
    template = body(
        get(client("shengji"), reverse("specialties:catalogue_template", args=[plan.pk]))
    )
    names = list(Specialty.objects.filter(catalogue=CATALOGUE_2021).values_list("name", flat=True))
    assert_shown_as_typed(xlsx_texts(template), names)


def test_the_supervision_report_annex_draft_and_published(plan: Plan) -> None:
    url = reverse("supervision:supervision_report_file", args=[plan.pk, PERIOD, "xlsx"])
    texts = xlsx_texts(body(get(client("lingdao"), url)))
    findings = list(InspectionFinding.objects.values_list("problem", flat=True))
    ranked = [n for n in department_names() if any(n in t for t in texts)]
    assert len(ranked) >= 5  # the departments' rows: names quoted, as typed
    assert_shown_as_typed(texts, [plan.title, *[f[:40] for f in findings[:1]]])
    for text in texts:
        assert not text.startswith("'")  # quoted by the cell's style, not by a mangled text

    client("zhuanban").post(
        reverse("supervision:supervision_report_publish", args=[plan.pk]), {"period": PERIOD}
    )
    published = PublishedReport.objects.get()
    anonymous = Client()
    annex = get(anonymous, reverse("portal:report_file", args=[published.pk, "xlsx"]))
    assert_shown_as_typed(xlsx_texts(body(annex)), ranked)
    page = get(anonymous, reverse("portal:report", args=[published.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and ESCAPED in page


# ---- Word and PDF ---------------------------------------------------------------------------


def test_the_supervision_report_in_word(plan: Plan) -> None:
    url = reverse("supervision:supervision_report_file", args=[plan.pk, PERIOD, "docx"])
    text = docx_texts(body(get(client("lingdao"), url)))
    assert SCRIPT.strip() in text and plan.title in text
    assert sum(name in text for name in department_names()) >= 5


def test_the_handover_sheet_in_word(plan: Plan) -> None:
    handover = Handover.objects.select_related("department").first()
    assert handover is not None
    url = reverse("supervision:handover_docx", args=[handover.pk])
    text = docx_texts(body(get(client("zhuanban"), url)))
    titles = Task.objects.filter(assignments__department=handover.department).distinct()
    assert handover.department.name in text
    assert any(task.title in text for task in titles)


def test_the_supervision_report_pdf_and_its_html(plan: Plan) -> None:
    html = report_html(build_report(plan, PERIOD, DAY))
    assert "<script>alert(1)</script>" not in html and "alert(1)" in html
    assert ESCAPED in html
    url = reverse("supervision:supervision_report_file", args=[plan.pk, PERIOD, "pdf"])
    pdf = body(get(client("lingdao"), url))
    flat = re.sub(r"\s+", "", pdf_text(pdf))
    assert "<script>alert(1)</script>&" in flat  # drawn as text, as typed


# ---- pages ----------------------------------------------------------------------------------


def pages(plan: Plan) -> list[tuple[str, str, dict[str, str]]]:
    """(who, url, query) of the pages that show the hostile texts."""
    task = plan.tasks.order_by("number").first()
    assert task is not None
    lead_report = ProgressReport.objects.exclude(review_comment="").first()
    meeting = Meeting.objects.first()
    handover = Handover.objects.first()
    value = DataValue.objects.filter(org_unit=school()).first()
    department = Department.objects.filter(assignments__task__plan=plan).first()
    assert lead_report and meeting and handover and value and department
    data_set = value.indicator.data_sets.first()
    assert data_set is not None
    report_url = reverse(
        "supervision:report",
        args=[lead_report.cycle_id, lead_report.task_id, lead_report.department_id],
    )
    indicator = {"indicator": value.indicator.code}
    return [
        ("zhuanban", reverse("plans:overview", args=[plan.pk]), {}),
        ("zhuanban", reverse("plans:tasks", args=[plan.pk]), {}),
        ("zhuanban", reverse("plans:task", args=[plan.pk, task.pk]), {}),
        ("zhuanban", reverse("plans:departments", args=[plan.pk]), {}),
        ("zhuanban", reverse("plans:department", args=[plan.pk, department.pk]), {}),
        ("zhuanban", reverse("supervision:lights", args=[plan.pk]), {}),
        (
            "zhuanban",
            reverse("supervision:supervision_reports", args=[plan.pk]),
            {"period": PERIOD},
        ),
        ("zhuanban", reverse("supervision:report_list", args=[plan.pk]), {}),
        ("zhuanban", report_url, {}),
        ("zhuanban", reverse("supervision:meetings", args=[plan.pk]), {}),
        ("zhuanban", reverse("supervision:meeting", args=[meeting.pk]), {}),
        ("zhuanban", reverse("supervision:inspections", args=[plan.pk]), {}),
        ("zhuanban", reverse("supervision:scores", args=[plan.pk]), {}),
        ("zhuanban", reverse("supervision:handovers", args=[plan.pk]), {}),
        ("zhuanban", reverse("supervision:handover", args=[handover.pk]), {}),
        ("lingdao", reverse("supervision:overview", args=[plan.pk]), {}),
        ("zhuanban", reverse("indicators:registry", args=[plan.pk]), {}),
        ("zhuanban", reverse("indicators:indicator", args=[value.indicator_id]), {}),
        ("zhuanban", reverse("indicators:table", args=[plan.pk]), indicator),
        ("zhuanban", reverse("indicators:dashboard", args=[plan.pk]), indicator),
        ("xuexiao", reverse("indicators:form", args=[data_set.pk, school().pk, "2020"]), {}),
        ("zhuanban", reverse("specialties:catalogue", args=[plan.pk]), {}),
        ("zhuanban", reverse("specialties:warnings", args=[plan.pk]), {"year": "2021"}),
        ("zhuanban", reverse("achievements:overview", args=[plan.pk]), {}),
        ("zhuanban", reverse("teachers:overview", args=[plan.pk]), {}),
    ]


def test_every_page_escapes_the_hostile_text(plan: Plan) -> None:
    raw, unseen = [], []
    for who, url, query in pages(plan):
        page = get(client(who), url, query).content.decode()
        if "<script>alert(1)</script>" in page:
            raw.append(url)
        if ESCAPED not in page and "\\u003Cscript\\u003E" not in page:
            unseen.append(url)  # the page must show the text (escaped) for the test to count
    assert raw == [] and unseen == []


# ---- the shared writer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+1", "'+1+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("＝1+1", "'＝1+1"),
        ("区教体局", "区教体局"),
        (-2, "-2"),
        (Decimal("-2.50"), "-2.50"),
        (3.5, "3.5"),
        (None, ""),
    ],
)
def test_csv_fields_quote_formula_text_and_keep_numbers(value: Any, field: str) -> None:
    assert exports.csv_field(value) == field


def test_xlsx_cells_quote_formula_text_and_keep_numbers() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    exports.append(sheet, ["=1+1", "-2", -2, Decimal("1.5"), "普通", "a\x00b"])
    out = io.BytesIO()
    book.save(out)
    row = next(openpyxl.load_workbook(out).worksheets[0].iter_rows())
    assert [(c.value, c.data_type, bool(c.quotePrefix)) for c in row] == [
        ("=1+1", "s", True),
        ("-2", "s", True),
        (-2, "n", False),
        (1.5, "n", False),
        ("普通", "s", False),
        ("ab", "s", False),
    ]
