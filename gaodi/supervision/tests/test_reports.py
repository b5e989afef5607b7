"""Progress reports: cooperating departments report to the lead, the lead consolidates and
submits to the inspector, who accepts or returns; versions never overwritten; evidence files."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.orgs.models import Department
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan, Task
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.supervision.models import Cycle, Evidence, Notification, ProgressReport
from gaodi.supervision.services import run_cycles

pytestmark = pytest.mark.django_db
DEMO_DAY = dt.date(2021, 6, 30)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
LEAD, COOP, OTHER = "区教育和体育局", "区财政局", "区工业和信息化局"  # of 重点任务（十四）


@pytest.fixture
def plan(settings: Any, tmp_path: Path) -> Plan:
    settings.GAODI_TODAY = DEMO_DAY
    settings.GAODI_DATA_DIR = tmp_path
    county = ensure_reference_tree(actor=None)
    imported = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    create_member("admin", "pw", role=Role.ADMIN, actor=None, org_unit=county)
    for username, name in (("jiaotiju", LEAD), ("caizheng", COOP), ("gongxin", OTHER)):
        department = Department.objects.get(org_unit=county, name=name)
        create_member(username, "pw", role=Role.DEPARTMENT, actor=None, department=department)
    for username, scope in (
        ("dudao", InspectorScope.DISPATCH),
        ("ducha", InspectorScope.INSPECTION),
    ):
        create_member(
            username, "pw", role=Role.INSPECTOR, actor=None, org_unit=county, inspector_scope=scope
        )
    run_cycles(DEMO_DAY)
    Notification.objects.all().delete()  # the rounds' own 待办 are tested in test_cycles
    return imported


def client(username: str) -> Client:
    found = Client()
    assert found.login(username=username, password="pw")
    return found


def task14(plan: Plan) -> Task:
    return plan.tasks.get(number=14)


def dispatch_cycle() -> Cycle:
    return Cycle.objects.get(period="202103B")


def department(name: str) -> Department:
    return Department.objects.get(name=name)


def report_url(plan: Plan, name: str) -> str:
    cycle, task = dispatch_cycle().pk, task14(plan).pk
    return f"/supervision/cycles/{cycle}/tasks/{task}/departments/{department(name).pk}/"


def form(**changes: Any) -> dict[str, Any]:
    data = {
        "progress": "ongoing",
        "percent": "40",
        "narrative": "已完成双师型教师认定办法初稿",
        "problems": "",
        "needs": "",
        "action": "save",
    }
    data.update(changes)
    return data


def inbox(username: str) -> list[str]:
    return list(
        Notification.objects.filter(user__username=username).values_list("title", flat=True)
    )


def test_the_two_tier_flow_runs_end_to_end_and_keeps_version_one(plan: Plan) -> None:
    coop_url, lead_url = report_url(plan, COOP), report_url(plan, LEAD)
    answer = client("caizheng").post(
        coop_url, form(narrative="已安排双师型教师培训经费 50 万元", action="submit")
    )
    assert answer.status_code == 302
    part = ProgressReport.objects.get(department__name=COOP)
    assert (part.tier, part.status, part.version) == ("part", "submitted", 1)
    assert inbox("jiaotiju") == [
        "区财政局报送了重点任务（十四）的配合进展（202103B，第1版），请汇总"
    ]
    assert inbox("dudao") == []  # a part goes to the lead, not to the inspector

    lead_page = client("jiaotiju").get(lead_url).content.decode()
    assert "配合单位报送（本轮）" in lead_page and "已安排双师型教师培训经费 50 万元" in lead_page
    seq = str(task14(plan).list_items.order_by("seq").first().seq)
    answer = client("jiaotiju").post(
        lead_url,
        form(
            narrative="汇总：认定办法初稿已成，培训经费已安排",
            action="submit",
            **{f"item-{seq}-done": "on", f"item-{seq}-note": "初稿"},
        ),
    )
    assert answer.status_code == 302
    first = ProgressReport.objects.get(department__name=LEAD, version=1)
    assert (first.tier, first.status) == ("lead", "submitted")
    assert first.checklist[seq] == {"done": True, "note": "初稿"}
    title = "区教育和体育局报送了重点任务（十四）的进展汇总（202103B，第1版），请审阅"
    assert title in inbox("dudao") and title in inbox("admin")
    assert title not in inbox("ducha")  # the inspection scope does not run the dispatch

    review = f"/supervision/reports/{first.pk}/review/"
    refused = client("dudao").post(review, {"verdict": "return", "comment": ""}, follow=True)
    assert "退回时请写明退回意见" in refused.content.decode()
    client("dudao").post(review, {"verdict": "return", "comment": "请补充经费到位情况"})
    first.refresh_from_db()
    assert (first.status, first.review_comment) == ("returned", "请补充经费到位情况")
    assert "重点任务（十四）的进展汇总（202103B，第1版）被退回，请修改后重新报送" in inbox(
        "jiaotiju"
    )

    client("jiaotiju").post(lead_url, form(narrative="经费已全部到位", action="submit"))
    second = ProgressReport.objects.get(department__name=LEAD, version=2)
    assert second.status == "submitted"
    client("dudao").post(f"/supervision/reports/{second.pk}/review/", {"verdict": "accept"})
    second.refresh_from_db()
    assert second.status == "accepted"
    assert "重点任务（十四）的进展汇总（202103B，第2版）已通过" in inbox("jiaotiju")

    first.refresh_from_db()  # version 1 unchanged
    assert (first.narrative, first.status) == ("汇总：认定办法初稿已成，培训经费已安排", "returned")
    assert client("jiaotiju").get(lead_url + "?version=1").status_code == 200
    actions = set(
        ChangeRecord.objects.filter(object_type="supervision.progressreport").values_list(
            "action", flat=True
        )
    )
    assert actions == {"create", "submit", "return", "accept"}
    accepted = client("jiaotiju").post(lead_url, form(narrative="再改"), follow=True)
    assert "该报告已通过审阅，不能再修改" in accepted.content.decode()
    assert ProgressReport.objects.filter(department__name=LEAD).count() == 2


def test_a_draft_is_edited_in_place_and_an_edit_after_submit_is_a_new_version(
    plan: Plan,
) -> None:
    url = report_url(plan, COOP)
    client("caizheng").post(url, form(narrative="草稿一"))
    client("caizheng").post(url, form(narrative="草稿二"))
    assert list(ProgressReport.objects.values_list("version", "narrative")) == [(1, "草稿二")]
    client("caizheng").post(url, form(action="submit"))
    client("caizheng").post(url, form(narrative="更正"))
    assert list(
        ProgressReport.objects.order_by("version").values_list("version", "status", "narrative")
    ) == [(1, "submitted", "已完成双师型教师认定办法初稿"), (2, "draft", "更正")]


def test_the_department_page_lists_its_tasks_of_the_current_rounds(plan: Plan) -> None:
    client("caizheng").post(report_url(plan, COOP), form(action="submit"))
    page = client("jiaotiju").get(f"/supervision/plans/{plan.pk}/my-tasks/").content.decode()
    assert "本部门本轮任务" in page and "区教育和体育局" in page
    assert "202103B" in page and "2021Q2" in page
    assert "重点任务（十四）" in page and report_url(plan, LEAD) in page
    coop_page = client("caizheng").get(f"/supervision/plans/{plan.pk}/my-tasks/").content.decode()
    assert "已报送（第1版）" in coop_page
    assert "重点任务（二）" in coop_page and "重点任务（三）" not in coop_page  # coop of 二 only


def test_a_department_sees_only_its_own_reports_and_the_lead_sees_the_parts(plan: Plan) -> None:
    client("caizheng").post(report_url(plan, COOP), form())
    assert client("gongxin").get(report_url(plan, COOP)).status_code == 404  # not its task
    assert client("gongxin").get(report_url(plan, LEAD)).status_code == 404
    assert client("caizheng").get(report_url(plan, LEAD)).status_code == 404  # coop ≠ lead
    assert client("jiaotiju").get(report_url(plan, COOP)).status_code == 200
    assert "填写" not in _form_legend(client("jiaotiju").get(report_url(plan, COOP)))
    assert client("jiaotiju").post(report_url(plan, COOP), form()).status_code == 404
    assert client("dudao").get(report_url(plan, COOP)).status_code == 200
    lead_page = client("jiaotiju").get(report_url(plan, LEAD)).content.decode()
    assert "配合单位尚未报送" in lead_page  # a draft part is not shown to the lead
    listing = client("gongxin").get(f"/supervision/plans/{plan.pk}/reports/")
    assert listing.status_code == 302 and listing["Location"].endswith("/my-tasks/")  # own only
    assert client("dudao").get(f"/supervision/plans/{plan.pk}/reports/").status_code == 200
    anonymous = Client().get(report_url(plan, COOP))
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_only_an_inspector_reviews(plan: Plan) -> None:
    client("jiaotiju").post(report_url(plan, LEAD), form(action="submit"))
    lead = ProgressReport.objects.get()
    url = f"/supervision/reports/{lead.pk}/review/"
    assert client("jiaotiju").post(url, {"verdict": "accept"}).status_code == 404
    assert client("gongxin").post(url, {"verdict": "accept"}).status_code == 404
    # 区委督查室 (督查) does not review the rounds of 区政府教育督导室 (调度).
    assert lead.cycle.schedule.scope == "dispatch"
    assert client("ducha").post(url, {"verdict": "accept"}).status_code == 404
    lead.refresh_from_db()
    assert lead.status == "submitted"
    client("dudao").post(url, {"verdict": "accept"})
    lead.refresh_from_db()
    assert lead.status == "accepted"


def _form_legend(response: Any) -> str:
    page = response.content.decode()
    return page[page.find('enctype="multipart/form-data"') :] if "multipart" in page else ""


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"percent": "150"}, "完成百分比应在 0 到 100 之间"),
        ({"percent": "四十"}, "完成百分比应为 0 到 100 的整数"),
        ({"narrative": "  "}, "请填写进展情况"),
        ({"progress": "finished"}, "请选择进展状态"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_stored(
    plan: Plan, changes: dict[str, str], message: str
) -> None:
    answer = client("caizheng").post(report_url(plan, COOP), form(action="submit", **changes))
    assert answer.status_code == 200 and message in answer.content.decode()
    assert not ProgressReport.objects.exists() and not Notification.objects.exists()


def evidence_files() -> list[Path]:
    folder = Path(django_settings.GAODI_DATA_DIR) / "evidence"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_pdf_is_stored_outside_static_with_a_random_name_and_its_hash(plan: Plan) -> None:
    upload = SimpleUploadedFile("培训通知.pdf", PDF, content_type="text/html")  # type: lies
    client("caizheng").post(report_url(plan, COOP), form(files=[upload]))
    stored = Evidence.objects.get()
    assert stored.original_name == "培训通知.pdf" and stored.content_type == "application/pdf"
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest() and stored.size == len(PDF)
    (path,) = evidence_files()
    assert path.name == stored.stored_name and "培训通知" not in path.name
    assert path.read_bytes() == PDF
    static_root = Path(django_settings.STATIC_ROOT).resolve()
    assert static_root not in path.resolve().parents
    download = client("jiaotiju").get(f"/supervision/evidence/{stored.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client("gongxin").get(f"/supervision/evidence/{stored.pk}/").status_code == 404


def test_a_docx_and_several_files_at_once_are_accepted(plan: Plan) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    files = [
        SimpleUploadedFile("说明.docx", buffer.getvalue()),
        SimpleUploadedFile("现场.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
    ]
    client("caizheng").post(report_url(plan, COOP), form(files=files))
    assert sorted(Evidence.objects.values_list("content_type", flat=True)) == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "image/png",
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [("通知.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60), ("照片.png", "只是文字".encode())],
)
def test_a_renamed_program_or_text_is_refused_and_nothing_is_stored(
    plan: Plan, name: str, content: bytes
) -> None:
    good = SimpleUploadedFile("好的.pdf", PDF)
    bad = SimpleUploadedFile(name, content)
    answer = client("caizheng").post(report_url(plan, COOP), form(files=[good, bad]))
    assert "不是可接受的类型" in answer.content.decode() and name in answer.content.decode()
    assert not ProgressReport.objects.exists() and not Evidence.objects.exists()
    assert evidence_files() == []


def test_an_oversize_file_is_refused_and_nothing_is_stored(plan: Plan, settings: Any) -> None:
    settings.GAODI_EVIDENCE_MAX_BYTES = 1024
    big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048)
    answer = client("caizheng").post(report_url(plan, COOP), form(files=[big]))
    assert "超过 1 KB 的上限" in answer.content.decode()
    assert not ProgressReport.objects.exists() and evidence_files() == []
