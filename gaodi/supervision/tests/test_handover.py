"""交办/签收, 催办, 延期申请 and 职责异议: services and pages."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.test import Client
from django.utils import timezone

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.orgs.models import Department
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Deadline, Plan, Task
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.supervision import handover as services
from gaodi.supervision.change_requests import decide_request, file_dispute, file_extension
from gaodi.supervision.chases import chase_task
from gaodi.supervision.docx_handover import HandoverSheet, SheetTask, render_handover
from gaodi.supervision.models import Chase, Handover, Notification, Request

pytestmark = pytest.mark.django_db
EDUCATION = "区教育和体育局"
FINANCE = "区财政局"


@pytest.fixture
def plan() -> Plan:
    county = ensure_reference_tree(actor=None)
    imported = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    create_member("admin", "pw", role=Role.ADMIN, actor=None, org_unit=county)
    create_member(
        "ducha",
        "pw",
        role=Role.INSPECTOR,
        actor=None,
        org_unit=county,
        inspector_scope=InspectorScope.INSPECTION,
    )
    create_member("leader", "pw", role=Role.LEADER, actor=None, org_unit=county)
    for username, name in (("liaison", EDUCATION), ("finance", FINANCE)):
        body = Department.objects.get(org_unit=county, name=name)
        create_member(username, "pw", role=Role.DEPARTMENT, actor=None, department=body)
    return imported


def user(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def client(username: str) -> Client:
    found = Client()
    assert found.login(username=username, password="pw")
    return found


def department(plan: Plan, name: str) -> Department:
    return Department.objects.get(org_unit=plan.org_unit, name=name)


def led_task_with_deadline(plan: Plan, name: str) -> tuple[Task, Deadline]:
    found = Deadline.objects.filter(
        task__plan=plan,
        task__assignments__department__name=name,
        task__assignments__role=AssignmentRole.LEAD,
    ).first()
    assert found is not None and found.task is not None
    return found.task, found


def records(obj: object, action: str) -> int:
    return ChangeRecord.objects.filter(
        object_type=obj._meta.label_lower,  # type: ignore[attr-defined]
        object_id=str(obj.pk),  # type: ignore[attr-defined]
        action=action,
    ).count()


# 交办 / 签收 ------------------------------------------------------------------------------


def test_handovers_are_issued_once_per_department_with_a_task(plan: Plan) -> None:
    made = services.issue_handovers(plan, actor=user("admin"))
    names = {h.department.name for h in made}
    assert EDUCATION in names and FINANCE in names
    assert "区政府有关部门" not in names  # a collective name has nobody to sign
    assert len(made) == len(services.departments_with_tasks(plan)) == 19
    assert all(records(h, "issue") == 1 for h in made)
    assert Notification.objects.filter(user__username="liaison", key__startswith="handover:")
    assert services.issue_handovers(plan, actor=user("admin")) == []
    assert Handover.objects.filter(plan=plan).count() == 19


def test_the_work_team_issues_from_the_page_and_a_liaison_cannot(plan: Plan) -> None:
    url = f"/supervision/plans/{plan.pk}/handovers/issue/"
    assert client("liaison").post(url).status_code == 404
    assert client("ducha").post(url).status_code == 404
    assert client("admin").post(url).status_code == 302
    page = client("admin").get(f"/supervision/plans/{plan.pk}/handovers/").content.decode()
    assert "已交办 19 个部门，19 个尚未签收" in page and EDUCATION in page


def test_a_liaison_acknowledges_only_its_own_handover(plan: Plan) -> None:
    services.issue_handovers(plan, actor=None)
    own = Handover.objects.get(plan=plan, department__name=EDUCATION)
    other = Handover.objects.get(plan=plan, department__name=FINANCE)
    liaison = client("liaison")
    listing = liaison.get(f"/supervision/plans/{plan.pk}/handovers/")
    assert listing.status_code == 302 and listing.url == f"/supervision/handovers/{own.pk}/"
    page = liaison.get(f"/supervision/handovers/{own.pk}/").content.decode()
    assert "签收" in page and "牵头任务" in page and "重点任务" in page
    assert liaison.get(f"/supervision/handovers/{other.pk}/").status_code == 404
    assert liaison.post(f"/supervision/handovers/{other.pk}/acknowledge/").status_code == 404
    assert client("admin").post(f"/supervision/handovers/{own.pk}/acknowledge/").status_code == 404
    assert liaison.post(f"/supervision/handovers/{own.pk}/acknowledge/").status_code == 302
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.acknowledged_at is not None and own.acknowledged_by == user("liaison")
    assert other.acknowledged_at is None
    assert records(own, "acknowledge") == 1
    services.acknowledge_handover(own, actor=user("liaison"))
    assert records(own, "acknowledge") == 1  # signing twice changes nothing


def test_anonymous_visitors_are_sent_to_sign_in(plan: Plan) -> None:
    services.issue_handovers(plan, actor=None)
    own = Handover.objects.get(plan=plan, department__name=EDUCATION)
    for url in (
        f"/supervision/handovers/{own.pk}/",
        f"/supervision/handovers/{own.pk}/docx/",
        f"/supervision/plans/{plan.pk}/handovers/",
        f"/supervision/plans/{plan.pk}/requests/",
        f"/supervision/plans/{plan.pk}/chases/",
    ):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_handover_sheet_downloads_as_a_docx_with_the_department_and_its_tasks(
    plan: Plan,
) -> None:
    services.issue_handovers(plan, actor=None)
    own = Handover.objects.get(plan=plan, department__name=FINANCE)
    response = client("finance").get(f"/supervision/handovers/{own.pk}/docx/")
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "任务交办单" in text and f"{FINANCE}：" in text and "交〔" in text
    lead = services.tasks_of_department(plan, own.department, AssignmentRole.LEAD)
    coop = services.tasks_of_department(plan, own.department, AssignmentRole.COOP)
    assert lead and coop
    assert all(task.label in cells for task in lead + coop)
    assert "签收人" in cells
    section = document.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_the_sheet_names_chinese_fonts_with_fallbacks() -> None:
    sheet = HandoverSheet(
        number="交〔2021〕1号",
        plan_title="某方案",
        plan_doc_number="某政发〔2020〕1号",
        issuer="工作专班",
        department="区财政局",
        issued_on="2021年6月30日",
        lead=[SheetTask(label="重点任务（一）", title="甲", deadlines=["2021-12-31"])],
        coop=[],
    )
    document = docx.Document(io.BytesIO(render_handover(sheet)))
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "仿宋"
    )
    table = next(
        p.blob for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"
    ).decode()
    assert "FangSong;Noto Serif CJK SC" in table and "SimHei;Noto Sans CJK SC" in table


def test_an_unacknowledged_handover_is_chased_once_a_day(plan: Plan, settings) -> None:  # type: ignore[no-untyped-def]
    services.issue_handovers(plan, actor=None)
    own = Handover.objects.get(plan=plan, department__name=EDUCATION)
    Handover.objects.filter(plan=plan).update(issued_at=timezone.now() - dt.timedelta(days=5))
    signed = Handover.objects.get(plan=plan, department__name=FINANCE)
    services.acknowledge_handover(signed, actor=user("finance"))
    settings.GAODI_TODAY = timezone.localdate()
    assert services.chase_handovers(plan, days=7, actor=None) == []  # not late enough yet
    response = client("admin").post(f"/supervision/plans/{plan.pk}/handovers/chase/", {"days": "3"})
    assert response.status_code == 302
    chases = Notification.objects.filter(user__username="liaison", key__startswith="handover-chase")
    assert chases.count() == 1
    assert not Notification.objects.filter(
        user__username="finance", key__startswith="handover-chase"
    ).exists()
    assert records(own, "chase") == 1
    assert services.chase_handovers(plan, days=3, actor=None) == []  # once a day
    assert chases.count() == 1
    assert (
        client("liaison")
        .post(f"/supervision/plans/{plan.pk}/handovers/chase/", {"days": "3"})
        .status_code
        == 404
    )
    page = client("admin").get(f"/supervision/plans/{plan.pk}/handovers/").content.decode()
    assert "未签收" in page and "18 个尚未签收" in page


# 延期申请 ---------------------------------------------------------------------------------


def test_an_approved_extension_moves_the_deadline_and_keeps_the_old_date(plan: Plan) -> None:
    task, deadline = led_task_with_deadline(plan, EDUCATION)
    old = deadline.date
    new = old + dt.timedelta(days=90)
    response = client("liaison").post(
        f"/supervision/plans/{plan.pk}/tasks/{task.pk}/requests/new/",
        {
            "kind": "extension",
            "deadline": deadline.pk,
            "new_date": new.isoformat(),
            "reason": "资金未到位",
        },
    )
    assert response.status_code == 302
    request = Request.objects.get(task=task, kind=Request.Kind.EXTENSION)
    assert (request.old_date, request.new_date, request.status) == (old, new, "pending")
    assert records(request, "create") == 1
    assert Notification.objects.filter(user__username="admin", key=f"request:{request.pk}")
    decide = f"/supervision/requests/{request.pk}/decide/"
    assert client("liaison").post(decide, {"approve": "yes"}).status_code == 404
    assert client("ducha").post(decide, {"approve": "yes"}).status_code == 404
    assert client("admin").post(decide, {"approve": "yes", "decision": "同意"}).status_code == 302
    request.refresh_from_db()
    deadline.refresh_from_db()
    assert request.status == Request.Status.APPROVED and request.old_date == old
    assert deadline.date == new
    assert records(request, "approve") == 1 and records(deadline, "update") == 1
    assert Notification.objects.filter(
        user__username="liaison", key=f"request-decided:{request.pk}"
    )
    page = client("liaison").get(f"/supervision/requests/{request.pk}/").content.decode()
    assert old.isoformat() in page and new.isoformat() in page
    task_page = client("admin").get(f"/supervision/plans/{plan.pk}/tasks/{task.pk}/chases/")
    assert (
        f"原时限 {old.isoformat()}，经延期申请改为 {new.isoformat()}" in task_page.content.decode()
    )


def test_a_refused_extension_leaves_the_deadline(plan: Plan) -> None:
    task, deadline = led_task_with_deadline(plan, EDUCATION)
    old = deadline.date
    request = file_extension(
        deadline,
        department(plan, EDUCATION),
        new_date=old + dt.timedelta(days=30),
        reason="人手不足",
        actor=user("liaison"),
    )
    with pytest.raises(services.Refused):
        decide_request(request, approve=False, decision="", actor=user("admin"))
    decide_request(request, approve=False, decision="时限不变，请加快推进", actor=user("admin"))
    deadline.refresh_from_db()
    request.refresh_from_db()
    assert deadline.date == old and request.status == Request.Status.REFUSED
    assert request.decision == "时限不变，请加快推进" and records(request, "refuse") == 1
    with pytest.raises(services.Refused):  # decided once
        decide_request(request, approve=True, decision="", actor=user("admin"))


def test_an_extension_must_be_later_and_for_ones_own_task(plan: Plan) -> None:
    task, deadline = led_task_with_deadline(plan, EDUCATION)
    with pytest.raises(services.Refused):
        file_extension(
            deadline, department(plan, EDUCATION), new_date=deadline.date, reason="x", actor=None
        )
    outsider = department(plan, "区退役军人局")
    if not services.is_assigned(task, outsider):
        with pytest.raises(services.Refused):
            file_extension(
                deadline,
                outsider,
                new_date=deadline.date + dt.timedelta(days=1),
                reason="x",
                actor=None,
            )


# 职责异议 ---------------------------------------------------------------------------------


def test_an_approved_dispute_changes_the_departments(plan: Plan) -> None:
    finance = department(plan, FINANCE)
    task = plan.tasks.filter(
        assignments__department=finance, assignments__role=AssignmentRole.COOP
    ).first()
    assert task is not None
    response = client("finance").post(
        f"/supervision/plans/{plan.pk}/tasks/{task.pk}/requests/new/",
        {"kind": "dispute", "reason": "本局不承担该项工作"},
    )
    assert response.status_code == 302
    request = Request.objects.get(task=task, kind=Request.Kind.DISPUTE)
    assert records(request, "create") == 1
    lead_ids = list(
        task.assignments.filter(role=AssignmentRole.LEAD).values_list("department_id", flat=True)
    )
    page = client("admin").get(f"/supervision/requests/{request.pk}/").content.decode()
    assert "同意时的分工" in page
    response = client("admin").post(
        f"/supervision/requests/{request.pk}/decide/",
        {"approve": "yes", "decision": "改由他局配合", "lead": lead_ids},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Request.Status.APPROVED
    assert not task.assignments.filter(department=finance).exists()
    assert set(
        task.assignments.filter(role=AssignmentRole.LEAD).values_list("department_id", flat=True)
    ) == set(lead_ids)
    assert records(task, "update") == 1 and records(request, "approve") == 1


def test_a_refused_dispute_keeps_the_departments(plan: Plan) -> None:
    finance = department(plan, FINANCE)
    task = plan.tasks.filter(assignments__department=finance).first()
    assert task is not None
    request = file_dispute(task, finance, reason="非本局职责", actor=user("finance"))
    decide_request(request, approve=False, decision="属于本局职责", actor=user("admin"))
    assert task.assignments.filter(department=finance).exists()
    assert records(request, "refuse") == 1


def test_a_liaison_cannot_decide_or_see_others_requests(plan: Plan) -> None:
    finance = department(plan, FINANCE)
    task = plan.tasks.filter(assignments__department=finance).first()
    assert task is not None
    request = file_dispute(task, finance, reason="非本局职责", actor=user("finance"))
    assert client("liaison").get(f"/supervision/requests/{request.pk}/").status_code == 404
    assert (
        client("finance")
        .post(f"/supervision/requests/{request.pk}/decide/", {"approve": "no", "decision": "x"})
        .status_code
        == 404
    )
    page = client("finance").get(f"/supervision/requests/{request.pk}/").content.decode()
    assert "非本局职责" in page and "不同意" not in page
    listing = client("liaison").get(f"/supervision/plans/{plan.pk}/requests/").content.decode()
    assert "非本局职责" not in listing and "没有申请" in listing
    assert client("leader").get(f"/supervision/plans/{plan.pk}/requests/").status_code == 404
    request.refresh_from_db()
    assert request.status == Request.Status.PENDING


# 催办 -------------------------------------------------------------------------------------


def test_an_inspector_chases_a_department_which_answers(plan: Plan) -> None:
    task, _deadline = led_task_with_deadline(plan, EDUCATION)
    url = f"/supervision/plans/{plan.pk}/tasks/{task.pk}/chases/"
    education = department(plan, EDUCATION)
    response = client("ducha").post(url, {"department": education.pk, "message": "请报送进展"})
    assert response.status_code == 302
    chase = Chase.objects.get(task=task)
    assert chase.department == education and chase.chased_by == user("ducha")
    assert records(chase, "create") == 1
    assert Notification.objects.filter(user__username="liaison", key=f"chase:{chase.pk}")
    assert (
        client("liaison").post(url, {"department": education.pk, "message": "x"}).status_code == 404
    )
    listing = client("admin").get(f"/supervision/plans/{plan.pk}/chases/?open=1").content.decode()
    assert "1 条催办尚未回复" in listing and "请报送进展" in listing
    assert client("finance").get(f"/supervision/chases/{chase.pk}/").status_code == 404
    assert (
        client("admin").post(f"/supervision/chases/{chase.pk}/answer/", {"answer": "x"}).status_code
        == 404
    )
    response = client("liaison").post(
        f"/supervision/chases/{chase.pk}/answer/", {"answer": "已完成过半"}
    )
    assert response.status_code == 302
    chase.refresh_from_db()
    assert chase.answer == "已完成过半" and chase.answered_on is not None
    assert records(chase, "answer") == 1
    assert Notification.objects.filter(user__username="ducha", key=f"chase-answer:{chase.pk}")
    task_page = client("liaison").get(url).content.decode()
    assert "请报送进展" in task_page and "已完成过半" in task_page
    listing = client("admin").get(f"/supervision/plans/{plan.pk}/chases/").content.decode()
    assert "0 条催办尚未回复" in listing


def test_a_chase_is_only_for_a_department_of_the_task(plan: Plan) -> None:
    task, _deadline = led_task_with_deadline(plan, EDUCATION)
    outsider = (
        Department.objects.filter(org_unit=plan.org_unit).exclude(assignments__task=task).first()
    )
    assert outsider is not None
    with pytest.raises(services.Refused):
        chase_task(task, outsider, message="请报送", actor=None)
    with pytest.raises(services.Refused):
        chase_task(task, department(plan, EDUCATION), message="  ", actor=None)


def test_every_page_opens_for_the_work_team_an_inspector_and_the_liaison(plan: Plan) -> None:
    services.issue_handovers(plan, actor=None)
    own = Handover.objects.get(plan=plan, department__name=EDUCATION)
    task, deadline = led_task_with_deadline(plan, EDUCATION)
    education = department(plan, EDUCATION)
    chase = chase_task(task, education, message="请报送进展", actor=user("admin"))
    extension = file_extension(
        deadline,
        education,
        new_date=deadline.date + dt.timedelta(days=10),
        reason="等待审批",
        actor=user("liaison"),
    )
    common = [
        f"/supervision/handovers/{own.pk}/",
        f"/supervision/plans/{plan.pk}/requests/",
        f"/supervision/plans/{plan.pk}/requests/?status=pending",
        f"/supervision/requests/{extension.pk}/",
        f"/supervision/plans/{plan.pk}/chases/",
        f"/supervision/plans/{plan.pk}/tasks/{task.pk}/chases/",
        f"/supervision/chases/{chase.pk}/",
    ]
    for username in ("admin", "ducha", "liaison"):
        for url in common:
            response = client(username).get(url)
            assert response.status_code == 200, (username, url)
        detail = client(username).get(f"/supervision/requests/{extension.pk}/").content.decode()
        assert "等待审批" in detail
    form = client("liaison").get(f"/supervision/plans/{plan.pk}/tasks/{task.pk}/requests/new/")
    assert form.status_code == 200 and "提交延期申请" in form.content.decode()
    assert (
        client("admin")
        .get(f"/supervision/plans/{plan.pk}/tasks/{task.pk}/requests/new/")
        .status_code
        == 404
    )  # the work team decides; it does not ask
    assert "同意" in client("admin").get(f"/supervision/requests/{extension.pk}/").content.decode()
    assert client("ducha").get(f"/supervision/plans/{plan.pk}/handovers/").status_code == 200
