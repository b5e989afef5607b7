"""The plan pages by role: what each person sees, what is refused (404 = missing)."""

from __future__ import annotations

import pytest
from django.test import Client

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Deadline, Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456"


@pytest.fixture
def plan() -> Plan:
    county = ensure_reference_tree(actor=None)
    imported = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    education = Department.objects.get(org_unit=county, name="区教育和体育局")
    create_member("admin", PASSWORD, role=Role.ADMIN, actor=None, org_unit=county)
    create_member("liaison", PASSWORD, role=Role.DEPARTMENT, actor=None, department=education)
    other = OrgUnit.objects.create(
        code="371502", name="东昌府区", kind=OrgKind.COUNTY, parent=county.parent
    )
    stranger_department = Department.objects.create(org_unit=other, name="区财政局")
    create_member(
        "stranger", PASSWORD, role=Role.DEPARTMENT, actor=None, department=stranger_department
    )
    return imported


def client_for(username: str | None) -> Client:
    client = Client()
    if username:
        assert client.login(username=username, password=PASSWORD)
    return client


def test_anonymous_people_read_the_public_plan_and_are_sent_to_login_elsewhere(plan: Plan) -> None:
    anonymous = client_for(None)
    page = anonymous.get(f"/plan/{plan.pk}/")
    assert page.status_code == 200 and "区教育和体育局" in page.content.decode()
    assert anonymous.get("/plans/").status_code == 302
    assert anonymous.get(f"/plans/{plan.pk}/").url.startswith("/accounts/login/")


def test_a_plan_that_is_not_public_is_not_on_the_portal(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(public=False)
    assert client_for(None).get(f"/plan/{plan.pk}/").status_code == 404


def test_the_work_team_sees_the_overview_with_findings_and_the_review_screen(plan: Plan) -> None:
    admin = client_for("admin")
    overview = admin.get(f"/plans/{plan.pk}/").content.decode()
    assert "方案自洽性核查" in overview and "双师型" in overview
    review = admin.get(f"/plans/{plan.pk}/review/")
    assert review.status_code == 200 and "保存时限" in review.content.decode()


def test_task_fourteen_names_its_lead_department(plan: Plan) -> None:
    task = plan.tasks.get(number=14)
    page = client_for("admin").get(f"/plans/{plan.pk}/tasks/{task.pk}/").content.decode()
    assert "重点任务（十四）" in page and '<span class="tag lead">区教育和体育局</span>' in page


def test_tasks_filter_by_department_role_and_deadline(plan: Plan) -> None:
    finance = Department.objects.get(org_unit=plan.org_unit, name="区财政局")
    page = (
        client_for("admin")
        .get(f"/plans/{plan.pk}/tasks/", {"department": finance.pk, "role": "lead"})
        .content.decode()
    )
    assert "完善经费长效稳定保障机制" in page and "加大“双师型”教师培养力度" not in page
    due = (
        client_for("admin")
        .get(f"/plans/{plan.pk}/tasks/", {"due_before": "2020-07-01"})
        .content.decode()
    )
    assert "落实职业院校办学自主权" in due and "完善经费长效稳定保障机制" not in due


def test_a_liaison_lands_on_his_department_and_sees_no_findings(plan: Plan) -> None:
    liaison = client_for("liaison")
    landing = liaison.get("/plans/")
    education = Department.objects.get(org_unit=plan.org_unit, name="区教育和体育局")
    assert landing.url == f"/plans/{plan.pk}/departments/{education.pk}/"
    page = liaison.get(landing.url).content.decode()
    assert (
        "牵头 15 项任务" in page
    )  # （二）（三）（四）（五）（六）（八）…（十四）（十八）（十九）（二十）
    assert "方案自洽性核查" not in liaison.get(f"/plans/{plan.pk}/").content.decode()
    assert liaison.get(f"/plans/{plan.pk}/review/").status_code == 404


def test_a_liaison_of_another_county_finds_nothing(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(public=False)
    stranger = client_for("stranger")
    task = plan.tasks.get(number=14)
    assert stranger.get(f"/plans/{plan.pk}/").status_code == 404
    assert stranger.get(f"/plans/{plan.pk}/tasks/{task.pk}/").status_code == 404


def test_fixing_a_deadline_on_the_review_screen_is_recorded_and_shown_in_the_history(
    plan: Plan,
) -> None:
    task = plan.tasks.get(number=3)
    deadline = Deadline.objects.get(task=task)
    admin = client_for("admin")
    response = admin.post(
        f"/plans/{plan.pk}/deadlines/{deadline.pk}/fix/",
        {"date": "2020-09-30", "reason": "原文印发时已过期，按会议纪要顺延"},
    )
    assert response.status_code == 302
    deadline.refresh_from_db()
    assert deadline.date.isoformat() == "2020-09-30"
    record = ChangeRecord.objects.get(object_type="plans.deadline", object_id=str(deadline.pk))
    assert record.before["date"] == "2020-06-30" and record.after["reason"].startswith("原文印发时")
    assert record.actor is not None and record.actor.get_username() == "admin"
    history = admin.get(f"/plans/{plan.pk}/tasks/{task.pk}/").content.decode()
    assert "时限 2020-06-30 改为 2020-09-30" in history


def test_a_liaison_cannot_fix_a_deadline(plan: Plan) -> None:
    deadline = Deadline.objects.get(task__plan=plan, task__number=3)
    response = client_for("liaison").post(
        f"/plans/{plan.pk}/deadlines/{deadline.pk}/fix/", {"date": "2020-09-30", "reason": "x"}
    )
    assert response.status_code == 404
    deadline.refresh_from_db()
    assert deadline.date.isoformat() == "2020-06-30"


def test_a_bad_date_changes_nothing_and_says_why_in_chinese(plan: Plan) -> None:
    deadline = Deadline.objects.get(task__plan=plan, task__number=3)
    admin = client_for("admin")
    response = admin.post(
        f"/plans/{plan.pk}/deadlines/{deadline.pk}/fix/",
        {"date": "2020-13-45", "reason": ""},
        follow=True,
    )
    page = response.content.decode()
    assert "未修改" in page and "日期格式应为 2021-06-30" in page and "请写明修改理由" in page
    deadline.refresh_from_db()
    assert deadline.date.isoformat() == "2020-06-30"


def test_linking_a_row_and_choosing_a_target_value_are_recorded(plan: Plan) -> None:
    from gaodi.plans.models import Target

    admin = client_for("admin")
    row = plan.task_list.get(seq=3)
    first, fifth = plan.tasks.get(number=1), plan.tasks.get(number=5)
    admin.post(
        f"/plans/{plan.pk}/rows/{row.pk}/link/",
        {"tasks": [first.pk, fifth.pk], "reason": "核对原文"},
    )
    assert set(row.tasks.values_list("number", flat=True)) == {1, 5}
    target = Target.objects.get(task__plan=plan, task__number=14, value=70)
    admin.post(
        f"/plans/{plan.pk}/targets/{target.pk}/fix/", {"value": "95.4", "reason": "以附件2为准"}
    )
    target.refresh_from_db()
    assert str(target.value.normalize()) == "95.4"
    summaries = list(ChangeRecord.objects.filter(action="update").values_list("summary", flat=True))
    assert any("任务清单第3行对应任务改为" in s for s in summaries)
    assert any("目标 70 改为 95.4：以附件2为准" in s for s in summaries)
    review = admin.get(f"/plans/{plan.pk}/review/").content.decode()
    assert "保存目标" in review and "保存对应关系" in review


def test_the_work_team_sets_a_tasks_departments_and_the_old_ones_are_on_record(plan: Plan) -> None:
    task = plan.tasks.get(number=5)
    education = Department.objects.get(org_unit=plan.org_unit, name="区教育和体育局")
    finance = Department.objects.get(org_unit=plan.org_unit, name="区财政局")
    admin = client_for("admin")
    assert "保存分工" in admin.get(f"/plans/{plan.pk}/review/").content.decode()
    admin.post(
        f"/plans/{plan.pk}/tasks/{task.pk}/departments/",
        {"lead": [education.pk], "coop": [finance.pk], "reason": "领导小组会议确定"},
    )
    roles = {(a.department.name, a.role) for a in task.assignments.all()}
    assert roles == {("区教育和体育局", "lead"), ("区财政局", "coop")}
    record = ChangeRecord.objects.filter(object_type="plans.task", object_id=str(task.pk)).first()
    assert record is not None and "区科技局" in record.before["coop"]
    refused = client_for("liaison").post(
        f"/plans/{plan.pk}/tasks/{task.pk}/departments/", {"lead": [finance.pk], "reason": "x"}
    )
    assert refused.status_code == 404


def test_a_table_finding_shows_the_printed_row_and_the_overview_shows_the_import(
    plan: Plan,
) -> None:
    admin = client_for("admin")
    review = admin.get(f"/plans/{plan.pk}/review/").content.decode()
    assert "<td>校内实训基地生均工位数（个）</td>" in review and "<td>0.04</td>" in review
    overview = admin.get(f"/plans/{plan.pk}/").content.decode()
    assert "导入《聊城市茌平区建设职业教育创新发展高地实施方案》第1版" in overview


@pytest.mark.parametrize("role", [Role.LEADER, Role.INSPECTOR])
def test_leaders_and_inspectors_see_findings_but_cannot_fix(plan: Plan, role: str) -> None:
    create_member(f"u-{role}", PASSWORD, role=role, actor=None, org_unit=plan.org_unit)
    person = client_for(f"u-{role}")
    assert "方案自洽性核查" in person.get(f"/plans/{plan.pk}/").content.decode()
    assert person.get(f"/plans/{plan.pk}/review/").status_code == 404
    deadline = Deadline.objects.get(task__plan=plan, task__number=3)
    refused = person.post(
        f"/plans/{plan.pk}/deadlines/{deadline.pk}/fix/", {"date": "2020-09-30", "reason": "x"}
    )
    assert refused.status_code == 404


def test_a_user_sees_his_own_changes(plan: Plan) -> None:
    admin = client_for("admin")
    deadline = Deadline.objects.get(task__plan=plan, task__number=3)
    admin.post(
        f"/plans/{plan.pk}/deadlines/{deadline.pk}/fix/", {"date": "2020-09-30", "reason": "顺延"}
    )
    from django.contrib.auth import get_user_model

    me = get_user_model().objects.get(username="admin")
    page = admin.get(f"/history/user/{me.pk}/").content.decode()
    assert "修改时限" in page
    liaison_id = get_user_model().objects.get(username="liaison").pk
    assert client_for("liaison").get(f"/history/user/{me.pk}/").status_code == 404
    assert client_for("liaison").get(f"/history/user/{liaison_id}/").status_code == 200


def test_a_leader_of_another_county_cannot_read_our_users_history(plan: Plan) -> None:
    other = OrgUnit.objects.get(code="371502")
    create_member("far-leader", PASSWORD, role=Role.LEADER, actor=None, org_unit=other)
    from django.contrib.auth import get_user_model

    admin_id = get_user_model().objects.get(username="admin").pk
    assert client_for("far-leader").get(f"/history/user/{admin_id}/").status_code == 404
    create_member("near-leader", PASSWORD, role=Role.LEADER, actor=None, org_unit=plan.org_unit)
    assert client_for("near-leader").get(f"/history/user/{admin_id}/").status_code == 200


def test_an_older_version_cannot_be_fixed(plan: Plan) -> None:
    newer = import_plan(parse_path(example_plan_path()), actor=None, org_unit=plan.org_unit)
    admin = client_for("admin")
    old_deadline = Deadline.objects.get(task__plan=plan, task__number=3)
    refused = admin.post(
        f"/plans/{plan.pk}/deadlines/{old_deadline.pk}/fix/", {"date": "2020-09-30", "reason": "x"}
    )
    assert refused.status_code == 404
    old_deadline.refresh_from_db()
    assert old_deadline.date.isoformat() == "2020-06-30"
    assert admin.get(f"/plans/{newer.pk}/review/").status_code == 200
    assert "页面不存在" in admin.get(f"/plans/{plan.pk}/review/").content.decode()


def test_a_school_clerk_reads_his_countys_plan(plan: Plan) -> None:
    Plan.objects.filter(pk=plan.pk).update(public=False)
    school = OrgUnit.objects.create(
        code="371503-S01", name="职教中心", kind=OrgKind.SCHOOL, parent=plan.org_unit
    )
    create_member("clerk", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=school)
    clerk = client_for("clerk")
    assert clerk.get(f"/plans/{plan.pk}/").status_code == 200
    assert clerk.get(f"/plans/{plan.pk}/review/").status_code == 404


def test_a_request_id_is_never_free_text_from_the_client(plan: Plan) -> None:
    admin = client_for("admin")
    deadline = Deadline.objects.get(task__plan=plan, task__number=3)
    admin.post(
        f"/plans/{plan.pk}/deadlines/{deadline.pk}/fix/",
        {"date": "2020-09-30", "reason": "r"},
        HTTP_X_REQUEST_ID="<script>伪造</script>",
    )
    record = ChangeRecord.objects.get(object_type="plans.deadline", object_id=str(deadline.pk))
    assert "<" not in record.request_id and len(record.request_id) == 32


def test_the_work_team_chooses_the_governing_target_and_the_indicator_follows(plan: Plan) -> None:
    from gaodi.indicators.models import TargetValue
    from gaodi.plans.models import Finding

    conflict = Finding.objects.get(plan=plan, code="target-conflict")
    assert [e["value"] for e in conflict.evidence] == ["70%", "80%", "95.4%（210/220）"]
    admin = client_for("admin")
    admin.post(
        f"/plans/{plan.pk}/findings/{conflict.pk}/choose/",
        {"choice": "0", "reason": "以正文（十四）为准"},
    )
    conflict.refresh_from_db()
    assert conflict.resolution["value"] == "70" and conflict.resolution["choice"] == 0
    governed = TargetValue.objects.get(
        indicator__plan=plan, indicator__name="中职学校“双师型”教师比例", year=2022
    )
    assert governed.value == 70
    records = ChangeRecord.objects.filter(
        object_type__in=["plans.finding", "indicators.targetvalue"]
    )
    assert records.count() == 2
    review = admin.get(f"/plans/{plan.pk}/review/").content.decode()
    assert "已确定以“重点任务（十四）”的 70 为准" in review
    refused = admin.post(
        f"/plans/{plan.pk}/findings/{conflict.pk}/choose/",
        {"choice": "9", "reason": "x"},
        follow=True,
    )
    assert "没有这一处" in refused.content.decode()
    assert (
        client_for("liaison")
        .post(f"/plans/{plan.pk}/findings/{conflict.pk}/choose/", {"choice": "1", "reason": "x"})
        .status_code
        == 404
    )
