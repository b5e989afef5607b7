"""Schedules from the plan's words, cycles opened as they fall due, 待办 sent once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.orgs.models import Department
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.supervision.models import Cycle, Notification, Schedule
from gaodi.supervision.services import run_cycles

pytestmark = pytest.mark.django_db
DEMO_DAY = dt.date(2021, 6, 30)


@pytest.fixture
def plan() -> Plan:
    county = ensure_reference_tree(actor=None)
    imported = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    admin = create_member("admin", "pw", role=Role.ADMIN, actor=None, org_unit=county)
    type(admin).objects.filter(pk=admin.pk).update(email="zb@example.cn")
    education = Department.objects.get(org_unit=county, name="区教育和体育局")
    create_member("liaison", "pw", role=Role.DEPARTMENT, actor=None, department=education)
    create_member(
        "dudao",
        "pw",
        role=Role.INSPECTOR,
        actor=None,
        org_unit=county,
        inspector_scope=InspectorScope.DISPATCH,
    )
    create_member(
        "ducha",
        "pw",
        role=Role.INSPECTOR,
        actor=None,
        org_unit=county,
        inspector_scope=InspectorScope.INSPECTION,
    )
    return imported


def client(username: str) -> Client:
    found = Client()
    assert found.login(username=username, password="pw")
    return found


def test_the_plan_sets_a_quarterly_inspection_and_a_bimonthly_dispatch(plan: Plan) -> None:
    found = {(s.kind, s.frequency, s.scope, s.body, s.clause) for s in plan.schedules.all()}
    assert found == {
        ("inspection", "quarterly", "inspection", "区委督查室", "（二十三）"),
        ("dispatch", "bimonthly", "dispatch", "区政府教育督导室", "（二十三）"),
    }
    assert all(s.starts_on == plan.issue_date for s in plan.schedules.all())


def test_cycles_open_once_with_due_dates_in_working_days_and_tell_the_right_people(
    plan: Plan,
) -> None:
    first = run_cycles(DEMO_DAY)
    periods = sorted(Cycle.objects.values_list("period", flat=True))
    assert periods == sorted(
        ["2020Q3", "2020Q4", "2021Q1", "2021Q2"]
        + ["202004B", "202005B", "202006B", "202101B", "202102B", "202103B"]
    )
    assert len(first.opened) == 10
    autumn = Cycle.objects.get(period="2020Q3")
    # 2020-09-30 + 5 working days: 10-01..08 is the National Day holiday, 09-27 and 10-10 are
    # make-up working days -> 10-09, 10-10, 10-12, 10-13, 10-14.
    assert autumn.due_on == dt.date(2020, 10, 14)
    # Only the rounds that just ended are announced: 2021Q2 to 督查 people, 202103B to 调度.
    titles = set(Notification.objects.values_list("user__username", "title"))
    assert ("ducha", "区委督查室督查（2021Q2）已开始") in titles  # title: body + kind
    assert ("dudao", "区政府教育督导室调度（202103B）已开始") in titles
    assert ("ducha", "区政府教育督导室调度（202103B）已开始") not in titles
    assert {"admin", "liaison"} <= {user for user, _title in titles}
    assert any("zb@example.cn" in message.to for message in mail.outbox)
    assert ChangeRecord.objects.filter(object_type="supervision.cycle", action="open").count() == 10
    sent = Notification.objects.count()
    again = run_cycles(DEMO_DAY)
    assert (len(again.opened), again.notified, again.reminded) == (0, 0, 0)
    assert Notification.objects.count() == sent


def test_a_reminder_goes_out_as_the_due_date_nears(plan: Plan) -> None:
    run_cycles(DEMO_DAY)
    due = Cycle.objects.get(period="2021Q2").due_on
    done = run_cycles(due - dt.timedelta(days=2))
    assert done.reminded > 0
    assert Notification.objects.filter(
        key__startswith="cycle-due:", user__username="liaison"
    ).exists()


def test_the_command_says_what_it_opened(plan: Plan, settings, capsys) -> None:  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = DEMO_DAY
    call_command("cycles")
    out = capsys.readouterr().out
    assert "2021-06-30：新开启 10 个轮次" in out and "区委督查室每季度督查 2021Q2" in out
    call_command("cycles")
    assert "新开启 0 个轮次" in capsys.readouterr().out


def test_the_work_team_edits_a_schedule_and_others_cannot(plan: Plan) -> None:
    dispatch = plan.schedules.get(kind="dispatch")
    url = f"/supervision/plans/{plan.pk}/schedules/"
    page = client("liaison").get(url).content.decode()
    assert "每季度督查一次" in page and "修改安排" not in page
    assert client("liaison").post(url, {"schedule": dispatch.pk}).status_code == 404
    client("admin").post(
        url, {"schedule": dispatch.pk, "frequency": "monthly", "due_workdays": "3", "active": "on"}
    )
    dispatch.refresh_from_db()
    assert (dispatch.frequency, dispatch.due_workdays) == ("monthly", 3)
    record = ChangeRecord.objects.get(object_type="supervision.schedule")
    assert record.before["frequency"] == "bimonthly"
    bad = client("admin").post(
        url, {"schedule": dispatch.pk, "frequency": "monthly", "due_workdays": "99"}, follow=True
    )
    assert "0 到 60 个工作日" in bad.content.decode()


def test_the_inbox_is_ones_own(plan: Plan) -> None:
    run_cycles(DEMO_DAY)
    liaison = client("liaison")
    page = liaison.get("/supervision/inbox/").content.decode()
    assert "【未读】" in page and "已开始" in page
    assert "待办（" in liaison.get(f"/plans/{plan.pk}/").content.decode()
    mine = Notification.objects.filter(user__username="liaison").first()
    others = Notification.objects.exclude(user__username="liaison").first()
    assert mine is not None and others is not None
    assert liaison.post(f"/supervision/inbox/{others.pk}/read/").status_code == 404
    liaison.post(f"/supervision/inbox/{mine.pk}/read/")
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Schedule.objects.count() == 2
