"""Concurrency (issue 6): two people editing one thing — the second is told who changed it
and when, and nothing is silently overwritten; a double click or a replayed POST stores once.

The progress report carries a revision token in its form (`reports.revision_of`); the other
edit forms carry what they showed (values, weights, windows) and the services compare inside
the transaction, under a row lock. Partial unique constraints make a second draft, a second
accepted version, a second pending request and a second chase of the day impossible.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import Client

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.orgs.models import Department
from gaodi.orgs.services import ensure_org_unit, ensure_reference_tree
from gaodi.plans.models import Plan, Task
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.supervision import chases, meetings, report_queries, reports, scoring
from gaodi.supervision.change_requests import decide_request, file_dispute
from gaodi.supervision.handover import Refused
from gaodi.supervision.inspections import FindingSpec, record_inspection, report_rectification
from gaodi.supervision.models import (
    Chase,
    Cycle,
    Meeting,
    Notification,
    ProgressReport,
    Request,
)
from gaodi.supervision.score_weights import set_weights, weights_token
from gaodi.supervision.services import run_cycles

DEMO_DAY = dt.date(2021, 6, 30)
LEAD, COOP = "区教育和体育局", "区财政局"  # of 重点任务（十四）
TOKEN = re.compile(r'name="revision" value="([^"]*)"')


def _set_up(settings: Any, tmp_path: Path) -> Plan:
    settings.GAODI_TODAY = DEMO_DAY
    settings.GAODI_DATA_DIR = tmp_path
    county = ensure_reference_tree(actor=None)
    plan = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    create_member("admin", "pw", role=Role.ADMIN, actor=None, org_unit=county, full_name="王专班")
    create_member("admin2", "pw", role=Role.ADMIN, actor=None, org_unit=county, full_name="李专班")
    create_member(
        "ducha",
        "pw",
        role=Role.INSPECTOR,
        actor=None,
        org_unit=county,
        inspector_scope=InspectorScope.INSPECTION,
    )
    # Two liaisons of one department: both may edit its draft.
    for username, name, full_name in (
        ("zhang", COOP, "张联络员"),
        ("liu", COOP, "刘联络员"),
        ("jiaoti", LEAD, "赵联络员"),
    ):
        department = Department.objects.get(org_unit=county, name=name)
        create_member(
            username,
            "pw",
            role=Role.DEPARTMENT,
            actor=None,
            department=department,
            full_name=full_name,
        )
    run_cycles(DEMO_DAY)
    return plan


@pytest.fixture
def plan(settings: Any, tmp_path: Path, db: None) -> Plan:
    return _set_up(settings, tmp_path)


def client(username: str) -> Client:
    found = Client()
    assert found.login(username=username, password="pw")
    return found


def user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def task14(plan: Plan) -> Task:
    return plan.tasks.get(number=14)


def cycle() -> Cycle:
    return Cycle.objects.get(period="202103B")


def report_url(plan: Plan, name: str = COOP) -> str:
    department = Department.objects.get(name=name)
    return f"/supervision/cycles/{cycle().pk}/tasks/{task14(plan).pk}/departments/{department.pk}/"


def form(token: str, **changes: Any) -> dict[str, Any]:
    data = {
        "revision": token,
        "progress": "ongoing",
        "percent": "40",
        "narrative": "已安排双师型教师培训经费",
        "problems": "",
        "needs": "",
        "action": "save",
    }
    data.update(changes)
    return data


def opened(browser: Client, url: str) -> str:
    """Open the report page; the revision token its form carries."""
    page = browser.get(url).content.decode()
    found = TOKEN.search(page)
    assert found is not None, "the report form carries its revision"
    return found.group(1)


def report_records() -> int:
    return ChangeRecord.objects.filter(object_type="supervision.progressreport").count()


# --- the progress report: optimistic locking ----------------------------------------------


def test_of_two_people_saving_one_draft_the_second_is_refused_and_the_first_text_kept(
    plan: Plan,
) -> None:
    url = report_url(plan)
    zhang, liu = client("zhang"), client("liu")
    assert zhang.post(url, form(opened(zhang, url), narrative="初稿")).status_code == 302
    zhang_token, liu_token = opened(zhang, url), opened(liu, url)  # both open the draft

    assert zhang.post(url, form(zhang_token, narrative="张：经费已到位")).status_code == 302
    refused = liu.post(url, form(liu_token, narrative="刘：经费未到位"))

    page = refused.content.decode()
    assert refused.status_code == 200
    assert re.search(
        r"该报告已被他人修改（张联络员于 \d{4}-\d\d-\d\d \d\d:\d\d），请刷新后再改", page
    )
    assert "刘：经费未到位" in page  # his text is still in the form, to copy
    stored = ProgressReport.objects.get()
    assert (stored.version, stored.narrative) == (1, "张：经费已到位")
    assert report_records() == 2  # the first save and Zhang's edit; Liu's wrote nothing


def test_a_refused_form_stays_refused_until_the_page_is_reloaded(plan: Plan) -> None:
    url = report_url(plan)
    zhang, liu = client("zhang"), client("liu")
    stale = opened(liu, url)
    zhang.post(url, form(opened(zhang, url), narrative="张的初稿"))

    first = liu.post(url, form(stale, narrative="刘的初稿"))
    again = liu.post(url, form(TOKEN.search(first.content.decode()).group(1), narrative="刘"))  # type: ignore[union-attr]
    assert "请刷新后再改" in again.content.decode()
    assert ProgressReport.objects.get().narrative == "张的初稿"

    assert liu.post(url, form(opened(liu, url), narrative="刘：补充")).status_code == 302
    assert ProgressReport.objects.get().narrative == "刘：补充"


def test_a_form_opened_before_a_submit_does_not_start_a_new_version(plan: Plan) -> None:
    url = report_url(plan)
    zhang, liu = client("zhang"), client("liu")
    zhang.post(url, form(opened(zhang, url), narrative="初稿"))
    stale = opened(liu, url)
    zhang.post(url, form(opened(zhang, url), narrative="张：报送", action="submit"))

    refused = liu.post(url, form(stale, narrative="刘：另起一版"))

    assert "该报告已被他人修改（张联络员于" in refused.content.decode()
    assert list(ProgressReport.objects.values_list("version", "status")) == [(1, "submitted")]


def test_a_double_post_of_submit_creates_one_version_and_tells_the_lead_once(plan: Plan) -> None:
    url = report_url(plan)
    zhang = client("zhang")
    sent = form(opened(zhang, url), narrative="张：报送牵头单位", action="submit")

    first, second = zhang.post(url, sent), zhang.post(url, sent)

    assert (first.status_code, second.status_code) == (302, 302)  # the replay changes nothing
    assert list(ProgressReport.objects.values_list("version", "status")) == [(1, "submitted")]
    assert ChangeRecord.objects.filter(action="submit").count() == 1
    assert (
        Notification.objects.filter(user__username="jiaoti", key__startswith="report").count() == 1
    )


def test_a_double_post_of_save_stores_one_draft(plan: Plan) -> None:
    url = report_url(plan)
    zhang = client("zhang")
    sent = form(opened(zhang, url), narrative="草稿")
    zhang.post(url, sent)
    zhang.post(url, sent)
    assert list(ProgressReport.objects.values_list("version", "revision")) == [(1, 1)]
    assert report_records() == 1


def test_the_database_refuses_a_second_draft_and_a_second_accepted_version(plan: Plan) -> None:
    department = Department.objects.get(name=COOP)
    fields = {
        "cycle": cycle(),
        "task": task14(plan),
        "department": department,
        "tier": "part",
        "progress": "ongoing",
        "narrative": "x",
    }
    ProgressReport.objects.create(version=1, status="draft", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(version=2, status="draft", **fields)
    ProgressReport.objects.create(version=2, status="accepted", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(version=3, status="accepted", **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(version=2, status="submitted", **fields)


# --- the other edit forms -----------------------------------------------------------------


def test_a_value_changed_since_the_form_was_opened_is_not_written_over(plan: Plan) -> None:
    from gaodi.indicators.collection import ValuesRefused, store_values, values_token
    from gaodi.orgs.choices import OrgKind

    school = ensure_org_unit("371503-S01", "职教中心", OrgKind.SCHOOL, plan.org_unit, actor=None)
    data_set = plan.data_sets.order_by("order").first()
    assert data_set is not None
    code, other = [i.code for i in data_set.indicators.order_by("order") if not i.formula][:2]
    kept: dict[str, Any] = {"check_window": False, "source": "测试"}
    store_values(data_set, "2020", {school.pk: {code: Decimal(10)}}, actor=user("admin"), **kept)
    shown = values_token(data_set, school.pk, "2020")  # two clerks open the form
    store_values(data_set, "2020", {school.pk: {code: Decimal(12)}}, actor=user("admin"), **kept)

    with pytest.raises(ValuesRefused) as refused:
        store_values(
            data_set,
            "2020",
            {school.pk: {code: Decimal(11)}},
            actor=user("admin2"),
            seen={school.pk: shown},
            **kept,
        )
    assert "已被他人改为 12（王专班于" in str(refused.value)
    # Another cell of the same form, or the same value typed by both, is no conflict.
    store_values(
        data_set,
        "2020",
        {school.pk: {code: Decimal(12), other: Decimal(3)}},
        actor=user("admin2"),
        seen={school.pk: shown},
        **kept,
    )


def test_score_weights_set_since_the_form_was_opened_are_not_written_over(plan: Plan) -> None:
    shown = weights_token(plan)
    set_weights(plan, {scoring.REPORTS_ON_TIME: 50}, actor=user("admin"), seen=shown)
    with pytest.raises(Refused, match="评分权重已被他人修改（王专班于"):
        set_weights(plan, {scoring.REPORTS_ON_TIME: 10}, actor=user("admin2"), seen=shown)
    # The same weights sent twice (a double click) are no conflict.
    set_weights(plan, {scoring.REPORTS_ON_TIME: 50}, actor=user("admin"), seen=shown)


def test_a_reporting_window_moved_since_the_form_was_opened_is_not_moved_back(plan: Plan) -> None:
    from gaodi.indicators.services import WindowRefused, set_window, windows_token

    data_set = plan.data_sets.order_by("order").first()
    assert data_set is not None
    shown = windows_token(data_set)
    set_window(data_set, "2021", dt.date(2021, 6, 1), dt.date(2022, 4, 30), actor=user("admin"))
    with pytest.raises(WindowRefused, match="2021 填报期已被他人修改（王专班于"):
        set_window(
            data_set,
            "2021",
            dt.date(2021, 6, 1),
            dt.date(2022, 3, 1),
            actor=user("admin2"),
            seen=shown,
        )
    set_window(
        data_set, "2030", dt.date(2030, 6, 1), dt.date(2031, 3, 31), actor=user("admin"), seen=shown
    )  # another period of the same form is no conflict


def test_two_liaisons_reporting_one_rectification_store_the_first(plan: Plan) -> None:
    task = task14(plan)
    inspection = record_inspection(
        plan,
        method="special",
        held_on=dt.date(2021, 6, 1),
        findings=[FindingSpec(task, Department.objects.get(name=COOP), "未落实", DEMO_DAY)],
        actor=user("ducha"),
    )
    finding = inspection.findings.get()
    stale = inspection.findings.get()  # the second liaison opened the page at the same time
    report_rectification(finding, rectification="张：已整改", actor=user("zhang"))
    with pytest.raises(Refused, match="该问题已报送整改或已销号（张联络员于"):
        report_rectification(stale, rectification="刘：已整改", actor=user("liu"))
    finding.refresh_from_db()
    assert finding.rectification == "张：已整改"


# --- double submission of the other writes --------------------------------------------------


def test_a_chase_sent_twice_is_stored_once_and_answered_once(plan: Plan) -> None:
    task, department = task14(plan), Department.objects.get(name=COOP)
    first = chases.chase_task(task, department, message="请报送", actor=user("admin"))
    again = chases.chase_task(task, department, message="请报送", actor=user("admin"))
    assert first.pk == again.pk and Chase.objects.count() == 1
    with pytest.raises(Refused, match="今天已催办过"):
        chases.chase_task(task, department, message="再次催办", actor=user("admin"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Chase.objects.create(
            task=task, department=department, message="x", chased_on=first.chased_on
        )

    stale = Chase.objects.get()
    chases.answer_chase(first, answer="已报送", actor=user("zhang"))
    chases.answer_chase(stale, answer="已报送", actor=user("zhang"))  # the double click
    with pytest.raises(Refused, match="该催办已回复"):
        chases.answer_chase(stale, answer="另一个回复", actor=user("liu"))
    assert (
        ChangeRecord.objects.filter(object_type="supervision.chase", action="answer").count() == 1
    )


def test_a_request_is_filed_once_and_decided_once(plan: Plan) -> None:
    task, department = task14(plan), Department.objects.get(name=COOP)
    request = file_dispute(task, department, reason="不属于本局职责", actor=user("zhang"))
    with pytest.raises(Refused):
        file_dispute(task, department, reason="不属于本局职责", actor=user("zhang"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.create(
            kind="dispute",
            task=task,
            department=department,
            reason="x",
            requested_at=request.requested_at,
        )
    stale = Request.objects.get()
    decide_request(request, approve=False, decision="属于本局职责", actor=user("admin"))
    with pytest.raises(Refused, match="该申请已处理（王专班于"):
        decide_request(stale, approve=False, decision="同意", actor=user("admin2"))
    assert ChangeRecord.objects.filter(object_type="supervision.request").count() == 2


def test_a_meeting_sent_twice_is_recorded_once(plan: Plan) -> None:
    fields: dict[str, Any] = {
        "kind": Meeting.Kind.LEADING_GROUP,
        "title": "领导小组第二次会议",
        "held_on": dt.date(2021, 3, 10),
        "attendees": "区长",
        "decisions": "一、推进实训基地建设。",
        "actor": user("admin"),
    }
    first = meetings.record_meeting(plan, **fields)
    assert meetings.record_meeting(plan, **fields).pk == first.pk
    with pytest.raises(Refused, match="已记录，不能重复记录"):
        meetings.record_meeting(plan, **{**fields, "decisions": "另一份纪要"})
    assert Meeting.objects.count() == 1


# --- a real race: two threads, one database ------------------------------------------------


def _in_thread(work: Callable[[], Any], start: threading.Barrier) -> Callable[[], Any]:
    """Run `work` once the other thread is ready too. SQLite's test database is an in-memory
    shared cache, where a second writer is told "locked" at once instead of waiting as the
    busy timeout makes it wait on a file database: the wait is done here."""

    def run() -> Any:
        start.wait()
        try:
            for _attempt in range(500):
                try:
                    return work()
                except OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
            raise AssertionError("the database stayed locked")
        finally:
            connection.close()

    return run


def _race(works: list[Callable[[], Any]]) -> list[Any]:
    start = threading.Barrier(len(works))
    results: list[Any] = [None] * len(works)

    def runner(index: int, run: Callable[[], Any]) -> None:
        try:
            results[index] = run()
        except BaseException as exc:  # collected for the test to look at
            results[index] = exc

    threads = [
        threading.Thread(target=runner, args=(i, _in_thread(work, start)))
        for i, work in enumerate(works)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.parametrize("draft_first", [False, True], ids=["first-save", "draft-edit"])
def test_two_saves_at_the_same_moment_one_wins_and_the_other_is_refused(
    settings: Any, tmp_path: Path, transactional_db: None, draft_first: bool
) -> None:
    plan = _set_up(settings, tmp_path)
    task, department = task14(plan), Department.objects.get(name=COOP)
    if draft_first:
        reports.save_report(
            cycle(), task, department, reports.ReportInput("ongoing", "初稿"), actor=user("zhang")
        )
    seen = reports.revision_of(report_queries.latest_report(cycle(), task, department.pk))
    people = [user("zhang"), user("liu")]

    def save(person: Any) -> Callable[[], Any]:
        data = reports.ReportInput("ongoing", f"{person.first_name}的文字")
        return lambda: reports.save_report(cycle(), task, department, data, actor=person, seen=seen)

    results = _race([save(person) for person in people])

    won = [r for r in results if isinstance(r, ProgressReport)]
    refused = [r for r in results if isinstance(r, reports.ReportConflict)]
    assert (len(won), len(refused)) == (1, 1), results
    stored = ProgressReport.objects.get()
    assert stored.narrative == won[0].narrative
    assert "请刷新后再改" in refused[0].problems[0]


def test_two_submits_at_the_same_moment_make_one_submitted_version(
    settings: Any, tmp_path: Path, transactional_db: None
) -> None:
    plan = _set_up(settings, tmp_path)
    task, department = task14(plan), Department.objects.get(name=COOP)
    data = reports.ReportInput("ongoing", "张：报送")
    zhang = user("zhang")

    def submit() -> Any:
        return reports.save_report(
            cycle(), task, department, data, actor=zhang, seen="0.0", submit=True
        )

    results = _race([submit, submit])

    assert not [
        r
        for r in results
        if isinstance(r, BaseException) and not isinstance(r, reports.ReportConflict)
    ], results
    assert list(ProgressReport.objects.values_list("version", "status")) == [(1, "submitted")]
    assert ChangeRecord.objects.filter(action="submit").count() == 1
