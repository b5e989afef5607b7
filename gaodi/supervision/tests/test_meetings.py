"""会议与批示: meetings recorded, decisions (会议交办) and instructions (领导批示) turned into tasks
that everything else follows; bad input changes nothing; who may read and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_org_unit, ensure_reference_tree
from gaodi.plans.models import Assignment, Deadline, Plan, Section, Task
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.supervision import meetings as services
from gaodi.supervision.board import plan_lights
from gaodi.supervision.models import Meeting, Notification, TrackedItem
from gaodi.supervision.report_queries import department_rows
from gaodi.supervision.scorecards import scorecards
from gaodi.supervision.services import run_cycles

pytestmark = pytest.mark.django_db

EDUCATION = "区教育和体育局"
FINANCE = "区财政局"
LABOUR = "区人力资源和社会保障局"
DAY = dt.date(2021, 6, 30)


# Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def plan(settings) -> Plan:  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = DAY
    county = ensure_reference_tree(actor=None)
    imported = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    create_member("admin", "pw", role=Role.ADMIN, actor=None, org_unit=county)
    create_member("leader", "pw", role=Role.LEADER, actor=None, org_unit=county)
    create_member(
        "ducha",
        "pw",
        role=Role.INSPECTOR,
        actor=None,
        org_unit=county,
        inspector_scope=InspectorScope.INSPECTION,
    )
    for username, name in (("liaison", EDUCATION), ("finance", FINANCE)):
        create_member(
            username, "pw", role=Role.DEPARTMENT, actor=None, department=department(county, name)
        )
    school = ensure_org_unit("371503-S01", "职教中心", OrgKind.SCHOOL, county, actor=None)
    create_member("school", "pw", role=Role.SCHOOL, actor=None, org_unit=school)
    return imported


def user(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def client(username: str) -> Client:
    found = Client()
    assert found.login(username=username, password="pw")
    return found


def department(county: OrgUnit, name: str) -> Department:
    return Department.objects.get(org_unit=county, name=name)


def records(obj: Any, action: str = "create") -> int:
    return ChangeRecord.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).count()


def meeting(plan: Plan, **changes: Any) -> Meeting:
    fields: dict[str, Any] = {
        "kind": Meeting.Kind.LEADING_GROUP,
        "title": "区职业教育工作领导小组2021年第一次会议",
        "held_on": dt.date(2021, 3, 10),
        "attendees": "区委书记（组长）、区长、各成员单位主要负责同志",
        "decisions": "一、听取方案推进情况汇报。\n二、区教育和体育局牵头制定实训基地共建办法。",
        "actor": user("admin"),
    }
    return services.record_meeting(plan, **{**fields, **changes})


def decision(plan: Plan, found: Meeting, **changes: Any) -> TrackedItem:
    county = plan.org_unit
    fields: dict[str, Any] = {
        "source": TrackedItem.Source.MEETING,
        "meeting": found,
        "title": "制定职教中心实训基地校企共建办法",
        "wording": "区教育和体育局牵头，区财政局配合，9月底前制定实训基地校企共建办法。",
        "lead": department(county, EDUCATION),
        "cooperating": [department(county, FINANCE)],
        "deadline": dt.date(2021, 9, 30),
        "issued_on": dt.date(2021, 3, 12),
        "actor": user("admin"),
    }
    return services.track_item(plan, **{**fields, **changes})


def instruction(plan: Plan, **changes: Any) -> TrackedItem:
    fields: dict[str, Any] = {
        "source": TrackedItem.Source.INSTRUCTION,
        "leader": "区委书记",
        "title": "研究职业学校教师编制周转池",
        "wording": "请区人社局会同有关部门研究提出职业学校教师编制周转池方案。",
        "lead": department(plan.org_unit, LABOUR),
        "deadline": dt.date(2021, 8, 31),
        "issued_on": dt.date(2021, 5, 6),
        "actor": user("leader"),
    }
    return services.track_item(plan, **{**fields, **changes})


def everything() -> tuple[int, ...]:
    """What a refused write must leave as it was."""
    return (
        Meeting.objects.count(),
        TrackedItem.objects.count(),
        Task.objects.count(),
        Section.objects.count(),
        Assignment.objects.count(),
        Deadline.objects.count(),
        ChangeRecord.objects.count(),
        Notification.objects.count(),
    )


# Services: meetings ---------------------------------------------------------------------


def test_the_work_team_records_a_meeting_with_a_change_record(plan: Plan) -> None:
    found = meeting(plan)
    assert (found.kind, found.held_on) == ("leading_group", dt.date(2021, 3, 10))
    assert found.created_by == user("admin")
    change = ChangeRecord.objects.get(object_type="supervision.meeting", object_id=str(found.pk))
    assert change.actor == user("admin") and change.before is None
    assert change.after["decisions"].startswith("一、听取")
    assert "领导小组会议" in change.summary


def test_a_leader_records_a_joint_meeting(plan: Plan) -> None:
    found = meeting(plan, kind=Meeting.Kind.JOINT, title="政校企联席会议", actor=user("leader"))
    assert found.get_kind_display() == "政府、企业、学校联席会议"


def test_a_meeting_with_bad_input_is_refused_with_every_problem_and_nothing_stored(
    plan: Plan,
) -> None:
    before = everything()
    with pytest.raises(services.Refused) as refused:
        meeting(plan, kind="party", title=" ", held_on=None, attendees="", decisions="")
    message = str(refused.value)
    for words in ("请选择会议类型", "请填写会议名称", "请填写会议日期", "参会人员", "议定事项"):
        assert words in message
    with pytest.raises(services.Refused, match="会议日期不能晚于今天"):
        meeting(plan, held_on=DAY + dt.timedelta(days=1))
    assert everything() == before


@pytest.mark.parametrize("username", ["liaison", "ducha", "school"])
def test_only_the_work_team_and_the_leaders_record_meetings(plan: Plan, username: str) -> None:
    before = everything()
    with pytest.raises(services.Refused, match="只有工作专班或领导小组可以记录会议"):
        meeting(plan, actor=user(username))
    with pytest.raises(services.Refused, match="只有工作专班或领导小组"):
        instruction(plan, actor=user(username))
    assert everything() == before


# Services: tracked items ------------------------------------------------------------------


def test_a_decision_becomes_a_task_of_its_own_section_with_departments_and_deadline(
    plan: Plan,
) -> None:
    assert plan.tasks.count() == 23  # the plan's 20 + 3, until someone tracks an item
    found = meeting(plan)
    item = decision(plan, found)
    task = item.task
    assert plan.tasks.count() == 24 and item.meeting == found
    assert task.section is not None and task.section.title == "会议交办和领导批示"
    assert task.section.order == 3  # after 重点任务 and 保障措施
    assert task.label == "会议交办和领导批示（二十四）"
    assert str(task) == "会议交办和领导批示（二十四） 制定职教中心实训基地校企共建办法"
    assert task.text.startswith("区教育和体育局牵头") and task.order == 24
    roles = dict(task.assignments.values_list("department__name", "role"))
    assert roles == {EDUCATION: "lead", FINANCE: "coop"}
    deadline = task.deadlines.get()
    assert (deadline.date, deadline.phrase) == (dt.date(2021, 9, 30), "2021年9月30日前办结")
    assert records(item) == records(task) == records(task.section) == 1
    change = ChangeRecord.objects.get(object_type="supervision.trackeditem")
    assert change.actor == user("admin")
    assert change.after["lead"] == EDUCATION and change.after["deadline"] == "2021-09-30"
    assert "会议交办" in change.summary


def test_the_next_item_follows_in_the_same_section(plan: Plan) -> None:
    first = decision(plan, meeting(plan))
    second = instruction(plan, deadline_phrase="8月底前")
    assert second.task.section == first.task.section
    assert Section.objects.filter(plan=plan, title="会议交办和领导批示").count() == 1
    assert second.task.label == "会议交办和领导批示（二十五）"
    assert second.leader == "区委书记" and second.meeting is None
    assert second.task.deadlines.get().phrase == "8月底前"
    assert records(second.task.section) == 1


def test_the_lead_and_cooperating_liaisons_get_a_todo(plan: Plan) -> None:
    item = decision(plan, meeting(plan))
    lead = Notification.objects.get(user=user("liaison"))
    assert lead.key == f"tracked-item:{item.pk}" and "请牵头办理" in lead.title
    assert "会议交办和领导批示（二十四）" in lead.title and lead.due_on == dt.date(2021, 9, 30)
    assert lead.url == f"/plans/{plan.pk}/tasks/{item.task_id}/"
    coop = Notification.objects.get(user=user("finance"))
    assert "请配合办理" in coop.title


BAD_ITEMS: list[tuple[dict[str, Any], str]] = [
    ({"meeting": None}, "会议交办请选择会议"),
    ({"issued_on": dt.date(2021, 3, 1)}, "交办日期不能早于会议日期"),
    ({"issued_on": DAY + dt.timedelta(days=1)}, "交办或批示日期不能晚于今天"),
    ({"source": "rumour"}, "请选择来源"),
    ({"title": "  ", "wording": ""}, "请填写事项名称；请填写决定或批示原文"),
    ({"lead": None}, "请选择牵头单位"),
    ({"cooperating": "lead"}, "牵头单位不能同时是配合单位"),
    ({"deadline": dt.date(2021, 3, 11)}, "办结时限不能早于交办或批示日期"),
    ({"deadline": None}, "请填写办结时限"),
    ({"lead": "collective"}, "是统称"),
    ({"lead": "elsewhere"}, "不是本地的部门"),
]


@pytest.mark.parametrize(("changes", "problem"), BAD_ITEMS)
def test_a_bad_item_is_refused_in_chinese_and_nothing_changes(
    plan: Plan, changes: dict[str, Any], problem: str
) -> None:
    found = meeting(plan)
    lead = department(plan.org_unit, EDUCATION)
    if changes.get("cooperating") == "lead":
        changes["cooperating"] = [lead]
    if changes.get("lead") == "collective":
        changes["lead"] = Department.objects.get(
            org_unit=plan.org_unit, collective=True, name="区政府有关部门"
        )
    if changes.get("lead") == "elsewhere":
        city = plan.org_unit.parent
        changes["lead"] = Department.objects.create(org_unit=city, name="市教育局")
    before = everything()
    with pytest.raises(services.Refused, match=problem):
        decision(plan, found, **changes)
    assert everything() == before


def test_an_instruction_needs_its_leader(plan: Plan) -> None:
    before = everything()
    with pytest.raises(services.Refused, match="领导批示请填写批示领导"):
        instruction(plan, leader=" ")
    assert everything() == before


# Followed like any task -----------------------------------------------------------------


def test_the_item_has_a_light_and_reaches_the_departments_my_tasks(plan: Plan) -> None:
    run_cycles(DAY)
    item = instruction(plan, lead=department(plan.org_unit, EDUCATION))
    lights = {row.task.pk: row for row in plan_lights(plan, DAY)}
    assert len(lights) == 24
    row = lights[item.task_id]
    assert row.lead == EDUCATION and row.light.reasons
    # Issued on 2021-05-06: the rounds that ended before it (2020-2021 up to 202102B, all
    # unreported) do not count against it; 202103B is due on 2021-07-07, after the day.
    assert "report_late" not in {reason.code for reason in row.light.reasons}
    assert row.light.colour != "red"
    older = next(r for r in plan_lights(plan, DAY) if r.task.number == 14)  # the plan's own
    assert "report_late" in {reason.code for reason in older.light.reasons}
    _period, _as_of, cards = scorecards(plan, "2021", DAY)
    missing = {task for card in cards for _cycle, task in card.missing}
    assert item.task_id not in missing and older.task.pk in missing
    rows = department_rows(plan, department(plan.org_unit, EDUCATION).pk, DAY)
    assert any(r.task.pk == item.task_id and r.tier == "lead" for r in rows)
    page = client("liaison").get(f"/supervision/plans/{plan.pk}/my-tasks/")
    assert "会议交办和领导批示（二十四）" in page.content.decode()


def test_the_plan_pages_list_the_item_under_its_own_section(plan: Plan) -> None:
    item = decision(plan, meeting(plan))
    overview = client("admin").get(f"/plans/{plan.pk}/").content.decode()
    assert "会议交办和领导批示" in overview
    task_page = client("liaison").get(f"/plans/{plan.pk}/tasks/{item.task_id}/").content.decode()
    assert "会议交办和领导批示（二十四）" in task_page and "9月底前制定" in task_page


# Pages by role -----------------------------------------------------------------------------


def _url(plan: Plan, name: str = "") -> str:
    return f"/supervision/plans/{plan.pk}/{name}"


def _meeting_form(**changes: str) -> dict[str, str]:
    return {
        "kind": "joint",
        "title": "政府、企业、学校联席会议",
        "held_on": "2021-04-20",
        "attendees": "分管副区长、区教育和体育局、信发集团、职教中心学校",
        "decisions": "一、共建智能制造实训基地。",
        **changes,
    }


def _item_form(plan: Plan, **changes: str) -> dict[str, Any]:
    county = plan.org_unit
    return {
        "source": "instruction",
        "leader": "区长",
        "issued_on": "2021-05-06",
        "title": "落实中职学校生均拨款",
        "wording": "请区财政局抓紧落实生均拨款，年底前到位。",
        "lead": str(department(county, FINANCE).pk),
        "cooperating": [str(department(county, EDUCATION).pk)],
        "deadline": "2021-12-31",
        **changes,
    }


@pytest.mark.parametrize("username", ["admin", "leader"])
def test_the_work_team_and_a_leader_record_and_hand_through_the_pages(
    plan: Plan, username: str
) -> None:
    browser = client(username)
    page = browser.get(_url(plan, "meetings/"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "会议与批示" in html and "记录会议" in html and "交办会议决定或领导批示" in html
    answer = browser.post(_url(plan, "meetings/record/"), _meeting_form(), follow=True)
    found = Meeting.objects.get()
    assert answer.redirect_chain[-1][0] == f"/supervision/meetings/{found.pk}/"
    assert "已记录会议" in answer.content.decode()
    form = _item_form(
        plan, source="meeting", meeting=str(found.pk), issued_on="2021-04-20", back="meeting"
    )
    answer = browser.post(_url(plan, "tracked-items/"), form, follow=True)
    item = TrackedItem.objects.get()
    assert answer.redirect_chain[-1][0] == f"/supervision/meetings/{found.pk}/"
    html = answer.content.decode()
    assert "已交办会议交办和领导批示（二十四）" in html
    assert f"/plans/{plan.pk}/tasks/{item.task_id}/" in html  # the meeting links its item's task
    assert item.created_by == user(username)
    listing = browser.get(_url(plan, "meetings/")).content.decode()
    assert "落实中职学校生均拨款" in listing and "2021-12-31" in listing
    assert "tl tl-" in listing  # the item's light


def test_a_refused_form_says_why_and_changes_nothing(plan: Plan) -> None:
    before = everything()
    answer = client("admin").post(
        _url(plan, "tracked-items/"),
        _item_form(plan, leader="", deadline="2021-01-01"),
        follow=True,
    )
    html = answer.content.decode()
    assert "领导批示请填写批示领导" in html and "办结时限不能早于交办或批示日期" in html
    assert everything() == before


def test_an_inspector_reads_but_does_not_write(plan: Plan) -> None:
    found = meeting(plan)
    decision(plan, found)
    browser = client("ducha")
    html = browser.get(_url(plan, "meetings/")).content.decode()
    assert "制定职教中心实训基地校企共建办法" in html and "记录会议" not in html
    assert browser.get(f"/supervision/meetings/{found.pk}/").status_code == 200
    before = everything()
    assert browser.post(_url(plan, "meetings/record/"), _meeting_form()).status_code == 404
    assert browser.post(_url(plan, "tracked-items/"), _item_form(plan)).status_code == 404
    assert everything() == before


def test_a_department_sees_its_own_items_only_and_may_not_write(plan: Plan) -> None:
    found = meeting(plan)
    ours = decision(plan, found)  # 区教育和体育局 leads, 区财政局 cooperates
    other = meeting(plan, title="区长专题会议", kind=Meeting.Kind.OTHER)
    theirs = decision(
        plan,
        other,
        title="制定教师编制周转池方案",
        lead=department(plan.org_unit, LABOUR),
        cooperating=[],
    )
    for username in ("liaison", "finance"):
        browser = client(username)
        html = browser.get(_url(plan, "meetings/")).content.decode()
        assert ours.task.title in html and theirs.task.title not in html
        assert "区长专题会议" not in html and "记录会议" not in html
        assert browser.get(f"/supervision/meetings/{found.pk}/").status_code == 200
        assert browser.get(f"/supervision/meetings/{other.pk}/").status_code == 404
        before = everything()
        assert browser.post(_url(plan, "meetings/record/"), _meeting_form()).status_code == 404
        assert browser.post(_url(plan, "tracked-items/"), _item_form(plan)).status_code == 404
        assert everything() == before


def test_a_school_and_a_stranger_get_404(plan: Plan) -> None:
    found = meeting(plan)
    assert client("school").get(_url(plan, "meetings/")).status_code == 404
    assert client("school").get(f"/supervision/meetings/{found.pk}/").status_code == 404
    assert Client().get(_url(plan, "meetings/")).status_code == 302  # to the login page


def test_the_subnavigation_links_the_page(plan: Plan) -> None:
    html = client("admin").get(_url(plan, "lights/")).content.decode()
    assert f'href="/supervision/plans/{plan.pk}/meetings/"' in html and "会议与批示" in html
