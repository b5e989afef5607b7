"""督导报告: the figures equal the records (recomputed here by separate queries), `gaodi report`
renders all three formats on the demo data, publishing is whole or nothing and shows on the
public portal."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import docx
import openpyxl
import pdfplumber
import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gaodi.audit.models import ChangeRecord
from gaodi.demo import DEMO_PASSWORD, set_up_demo
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Assignment, Deadline
from gaodi.supervision import publishing
from gaodi.supervision.handover import Refused
from gaodi.supervision.models import (
    Cycle,
    InspectionFinding,
    ProgressReport,
    PublishedReport,
    Schedule,
)
from gaodi.supervision.publishing import publish_report, report_number
from gaodi.supervision.report_build import build_report, period_label
from gaodi.supervision.scorecards import scorecards

DAY = dt.date(2021, 6, 30)
PERIOD = "2021Q2"


@pytest.fixture
def demo(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = DAY
    settings.GAODI_DATA_DIR = tmp_path
    plan, _logins = set_up_demo()
    return plan


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _on_time(plan, period_start: dt.date, as_of: dt.date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """(due, on time) of the lead reports, counted from the records directly."""
    leads = set(
        Assignment.objects.filter(task__plan=plan, role=AssignmentRole.LEAD).values_list(
            "department_id", "task_id"
        )
    )
    due = on_time = 0
    for cycle in Cycle.objects.filter(
        schedule__plan=plan,
        schedule__kind=Schedule.Kind.DISPATCH,
        due_on__gte=period_start,
        due_on__lte=as_of,
    ):
        for department_id, task_id in leads:
            due += 1
            days = [
                _day(r.submitted_at)
                for r in ProgressReport.objects.filter(
                    cycle=cycle, task_id=task_id, department_id=department_id, tier="lead"
                )
                if r.submitted_at and _day(r.submitted_at) <= as_of  # type: ignore[operator]
            ]
            if days and min(days) <= cycle.due_on:  # type: ignore[type-var]
                on_time += 1
    return due, on_time


def _overdue(plan, period_start: dt.date, as_of: dt.date) -> int:  # type: ignore[no-untyped-def]
    """Missing lead reports past due + deadlines passed on tasks not done + findings late."""
    leads = set(
        Assignment.objects.filter(task__plan=plan, role=AssignmentRole.LEAD).values_list(
            "department_id", "task_id"
        )
    )
    count = 0
    for cycle in Cycle.objects.filter(
        schedule__plan=plan,
        schedule__kind=Schedule.Kind.DISPATCH,
        due_on__gte=period_start,
        due_on__lt=as_of,
    ):
        for department_id, task_id in leads:
            if not ProgressReport.objects.filter(
                cycle=cycle, task_id=task_id, department_id=department_id, tier="lead"
            ).exists():
                count += 1
    done = set(
        ProgressReport.objects.filter(
            task__plan=plan,
            tier="lead",
            progress="done",
            status=ProgressReport.Status.ACCEPTED,
        ).values_list("task_id", flat=True)
    )
    late_tasks = set(
        Deadline.objects.filter(task__plan=plan, date__lt=as_of).values_list("task_id", flat=True)
    )
    count += len(late_tasks - done)
    for finding in InspectionFinding.objects.filter(
        inspection__plan=plan, inspection__held_on__lte=as_of, deadline__lt=as_of
    ):
        if finding.closed_on is None or finding.closed_on > as_of:
            count += 1
    return count


def test_period_labels() -> None:
    from gaodi.indicators.periods import parse_period

    assert period_label(parse_period("2021")) == "2021年度"
    assert period_label(parse_period("2021Q1")) == "2021年第一季度"
    assert period_label(parse_period("202103B")) == "2021年5—6月"


def test_the_figures_equal_the_records(demo) -> None:  # type: ignore[no-untyped-def]
    report = build_report(demo, PERIOD, DAY)
    due, on_time = _on_time(demo, dt.date(2021, 4, 1), DAY)
    assert due > 0
    headline = {h.label: h for h in report.headlines}
    assert headline["按时报送率"].note == f"{on_time}/{due}"
    assert f"按时报送{on_time}份" in report.summary
    assert headline["逾期事项"].value == str(_overdue(demo, dt.date(2021, 4, 1), DAY))
    assert len(report.overdue) == _overdue(demo, dt.date(2021, 4, 1), DAY)
    _period, _as_of, cards = scorecards(demo, PERIOD, DAY)
    assert [r.department for r in report.ranking] == [c.department.name for c in cards]
    assert sum(report.lights.values()) == demo.tasks.count()
    assert "【演示数据】" in "".join(report.notes)
    returned = ProgressReport.objects.filter(
        task__plan=demo, status=ProgressReport.Status.RETURNED, tier="lead"
    ).count()
    assert len(report.returned) <= returned


def test_a_bad_period_is_refused_by_the_command(demo, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="期间"):
        call_command("report", period="2021Q9", out=str(tmp_path / "r.pdf"))
    with pytest.raises(CommandError, match="格式"):
        call_command("report", period=PERIOD, out=str(tmp_path / "r.txt"))
    assert not list(tmp_path.glob("r.*"))


def _pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def _pdf_ranking(content: bytes) -> list[tuple[str, str]]:
    """(名次, 部门) of the ranking table, read from the PDF's table cells (a long name wraps)."""
    rows = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                if table and table[0] and table[0][0] == "名次":
                    rows += [
                        (row[0], re.sub(r"\s+", "", row[1]))
                        for row in table[1:]
                        if row[0] and row[0].isdigit()
                    ]
    return rows


def test_gaodi_report_renders_the_demo_in_three_formats_with_the_figures_of_the_database(
    demo, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    for fmt in ("docx", "pdf", "xlsx"):
        call_command("report", period=PERIOD, fmt=fmt, out=str(tmp_path / f"r.{fmt}"))
    due, on_time = _on_time(demo, dt.date(2021, 4, 1), DAY)
    overdue = _overdue(demo, dt.date(2021, 4, 1), DAY)
    rate = f"{on_time * 100 / due:.1f}%"
    _period, _as_of, cards = scorecards(demo, PERIOD, DAY)
    ranked = [c.department.name for c in cards if c.total is not None]
    assert ranked

    text = _pdf_text((tmp_path / "r.pdf").read_bytes())
    flat = re.sub(r"\s+", "", text)
    assert rate in flat
    assert f"逾期事项{overdue}项" in flat
    assert _pdf_ranking((tmp_path / "r.pdf").read_bytes()) == [
        (str(c.rank), c.department.name) for c in cards if c.total is not None
    ]

    document = docx.Document(str(tmp_path / "r.docx"))
    words = "".join(p.text for p in document.paragraphs) + "".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert rate in words and f"逾期事项{overdue}项" in words

    book = openpyxl.load_workbook(tmp_path / "r.xlsx", read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert rate in cells
    assert all(name in cells for name in ranked)


def test_publishing_numbers_freezes_and_records_the_report(demo, settings) -> None:  # type: ignore[no-untyped-def]
    first = publish_report(demo, PERIOD, actor=None, today=DAY)
    second = publish_report(demo, "2021Q1", actor=None, today=DAY)
    assert first.number == report_number(demo, 2021, 1) == "茌平职教督〔2021〕1号"
    assert second.number == "茌平职教督〔2021〕2号"
    assert set(first.files) == {"docx", "pdf", "xlsx"}
    folder = Path(settings.GAODI_DATA_DIR) / "reports"
    for entry in first.files.values():
        assert (folder / entry["stored_name"]).stat().st_size == entry["size"]
    assert ChangeRecord.objects.filter(
        object_type="supervision.publishedreport", object_id=str(first.pk), action="publish"
    ).exists()
    assert publishing.snapshot(first).number == first.number
    assert first.number in _pdf_text((folder / first.files["pdf"]["stored_name"]).read_bytes())


def test_a_failed_publication_leaves_no_row_and_no_file(demo, settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(publishing, "record_change", broken)
    with pytest.raises(RuntimeError):
        publish_report(demo, PERIOD, actor=None, today=DAY)
    assert not PublishedReport.objects.exists()
    folder = Path(settings.GAODI_DATA_DIR) / "reports"
    assert not list(folder.glob("*"))


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_only_the_work_team_and_the_dispatch_office_publish(demo) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    for name in ("jiaoti", "ducha", "lingdao"):
        with pytest.raises(Refused):
            publish_report(demo, PERIOD, actor=users.get(username=name), today=DAY)
    assert not PublishedReport.objects.exists()
    url = reverse("supervision:supervision_report_publish", args=[demo.pk])
    assert _client("jiaoti").post(url, {"period": PERIOD}).status_code == 404
    assert not PublishedReport.objects.exists()
    page = _client("dudao").post(url, {"period": PERIOD})
    published = PublishedReport.objects.get()
    assert page.status_code == 302
    assert page["Location"] == reverse("portal:report", args=[published.pk])


def test_the_pages_by_role_and_the_public_portal(demo) -> None:  # type: ignore[no-untyped-def]
    url = reverse("supervision:supervision_reports", args=[demo.pk])
    for name in ("zhuanban", "lingdao", "ducha", "dudao"):
        page = _client(name).get(url, {"period": PERIOD})
        assert page.status_code == 200, name
        assert "2021年第二季度" in page.content.decode()
    for name in ("jiaoti", "xuexiao"):
        assert _client(name).get(url).status_code == 404, name
    draft = _client("lingdao").get(
        reverse("supervision:supervision_report_file", args=[demo.pk, PERIOD, "docx"])
    )
    assert draft.status_code == 200 and draft.content[:2] == b"PK"
    assert Client().get(url).status_code == 302  # anonymous: to the login page

    _client("zhuanban").post(
        reverse("supervision:supervision_report_publish", args=[demo.pk]), {"period": PERIOD}
    )
    published = PublishedReport.objects.get()
    anonymous = Client()
    listing = anonymous.get(reverse("portal:reports")).content.decode()
    assert published.number in listing
    page = anonymous.get(reverse("portal:report", args=[published.pk]))
    assert page.status_code == 200 and published.title in page.content.decode()
    pdf = anonymous.get(reverse("portal:report_file", args=[published.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["X-Content-Type-Options"] == "nosniff"
    assert b"".join(pdf.streaming_content)[:4] == b"%PDF"
    assert (
        anonymous.get(reverse("portal:report_file", args=[published.pk, "exe"])).status_code == 404
    )
    assert anonymous.get(reverse("portal:report", args=[published.pk + 99])).status_code == 404


def test_a_published_report_does_not_change_when_the_records_do(demo) -> None:  # type: ignore[no-untyped-def]
    published = publish_report(demo, PERIOD, actor=None, today=DAY)
    before = publishing.snapshot(published)
    ProgressReport.objects.filter(task__plan=demo).update(status=ProgressReport.Status.RETURNED)
    published.refresh_from_db()
    assert publishing.snapshot(published) == before
    assert build_report(demo, PERIOD, DAY).returned != before.returned
