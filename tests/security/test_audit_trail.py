"""The audit trail is complete (issue 6): every row a service writes has a change record, and
change records cannot be edited or deleted through the app.

The completeness test runs the whole demo (set_up_demo: the plan import, users, values and
their approval, a year of supervision) plus the service calls the demo does not make, then
looks at every row of every model of Gaodi's apps. A row passes when a ChangeRecord points at
it (object_type = app_label.model, object_id = pk), or when the model is in COVERED_BY (the
service records the write on a parent: a bulk import writes one record for the whole plan,
DESIGN.md) and that parent has the record, or when the model is EXEMPT, with the reason. A
new model whose writes are not recorded fails here until its service records them.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from gaodi.accounts.services import issue_token
from gaodi.audit.models import ChangeRecord
from gaodi.audit.services import record_change, record_changes
from gaodi.demo import DEMO_PASSWORD, set_up_demo
from gaodi.indicators.models import DataValue, Submission
from gaodi.indicators.services import edit_indicator, set_window
from gaodi.orgs.models import Department
from gaodi.plans.models import LeadingGroupMember, Plan, Target
from gaodi.plans.services import change_target
from gaodi.specialties.demand_import import import_declarations
from gaodi.supervision import evidence, reports, scoring
from gaodi.supervision.models import Cycle, Notification, ProgressReport
from gaodi.supervision.notify import mark_read
from gaodi.supervision.publishing import publish_report
from gaodi.supervision.score_weights import set_weights
from gaodi.supervision.services import update_schedule

DEMO_DAY = dt.date(2021, 6, 30)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# Models whose rows carry no change record of their own or of a parent, and why.
EXEMPT: dict[str, str] = {
    "audit.changerecord": "the trail itself",
    "indicators.unittotal": (
        "derived, not written: the live totals of the roll-up, sums of the values below a unit "
        "kept by the writes of those values (recorded on their submissions); totals.check() "
        "recomputes them from the values"
    ),
    "supervision.notification": (
        "a 待办 line is a message caused by a recorded write (its key names that write); "
        "the only later change is the reader's own read flag"
    ),
}

Parents = Callable[[Any], Iterable[tuple[models.Model, str]]]


def _plan_import(row: Any) -> Iterable[tuple[models.Model, str]]:
    return [(row.plan, "import")]


def _owner_import(row: Any) -> Iterable[tuple[models.Model, str]]:
    owner = row.task or row.list_item  # a task's or a task-list row's
    return [(owner, "create"), (owner.plan, "import")]


# Models whose rows a service records on a parent, the parent and the action of its record.
COVERED_BY: dict[str, Parents] = {
    # import_plan: one record for the whole plan, with row counts and the file's hash
    "plans.section": _plan_import,
    "plans.task": _plan_import,
    "plans.tasklistitem": _plan_import,
    "plans.leadinggroupmember": _plan_import,
    "plans.plantable": _plan_import,
    "plans.finding": _plan_import,
    "plans.assignment": _owner_import,  # or the task's record (track_item, set_task_departments)
    "plans.deadline": _owner_import,
    "plans.target": _owner_import,
    "plans.parameter": _owner_import,
    "orgs.person": lambda row: [
        (m.plan, "import") for m in LeadingGroupMember.objects.filter(person=row)
    ],
    "indicators.indicator": _plan_import,  # seed_indicators, inside import_plan
    "indicators.dataset": _plan_import,
    "indicators.targetvalue": lambda row: [(row.indicator.plan, "import")],
    "indicators.validationrule": lambda row: [(row.data_set.plan, "import")],
    "indicators.reportingwindow": lambda row: [(row.data_set.plan, "import")],
    "supervision.schedule": _plan_import,  # seed_schedules, inside import_plan
    # store_values: one record per org unit (data set, period) on its Submission
    "indicators.datavalue": lambda row: [
        (submission, action)
        for submission in Submission.objects.filter(
            data_set__indicators=row.indicator_id, org_unit=row.org_unit_id, period=row.period
        )
        for action in ("create", "update")
    ],
    # import_declarations: one record on the plan with row counts and the file's hash
    "specialties.demanddeclaration": lambda row: [(row.plan, "import_declarations")],
    # set_weights: one record on the plan with the weights before and after
    "supervision.scoreweight": lambda row: [(row.plan, "set_score_weights")],
    # save_report: the report's record lists the files attached with it
    "supervision.evidence": lambda row: [(row.report, "create"), (row.report, "update")],
}


def gaodi_models() -> list[type[models.Model]]:
    user_model = get_user_model()
    found = [m for m in apps.get_models() if m.__module__.startswith("gaodi.")]
    return [*found, user_model]


@pytest.fixture
def demo(settings: Any, tmp_path: Path, db: None) -> Plan:
    """The demo, then the writes it does not make, each through its service."""
    settings.GAODI_TODAY = DEMO_DAY
    settings.GAODI_DATA_DIR = tmp_path
    plan, _logins = set_up_demo()
    users = get_user_model().objects
    admin_user = users.get(username="zhuanban")
    liaison = users.get(username="caizheng")
    issue_token(admin_user, "数据对接", actor=admin_user)
    set_weights(plan, {scoring.REPORTS_ON_TIME: 30}, actor=admin_user)
    data_set = plan.data_sets.order_by("order").first()
    assert data_set is not None
    set_window(data_set, "2022", dt.date(2022, 6, 1), dt.date(2023, 3, 31), actor=admin_user)
    indicator = data_set.indicators.order_by("order").first()
    assert indicator is not None
    edit_indicator(indicator, tasks=[], kind=indicator.kind, actor=admin_user)
    target = Target.objects.filter(task__plan=plan).order_by("pk").first()
    assert target is not None
    change_target(target, value=target.value + 1, reason="核对原文", actor=admin_user)
    update_schedule(
        plan.schedules.first(), frequency="monthly", due_workdays=3, active=True, actor=admin_user
    )
    _report_with_evidence(plan, liaison)
    publish_report(plan, "2021Q2", actor=admin_user, today=DEMO_DAY)
    notification = Notification.objects.filter(user=liaison).first()
    assert notification is not None
    mark_read(notification)
    header = "企业名称,统一社会信用代码,专业,产业,需求年份,需求人数\r\n"
    csv_file = (header + "上传企业,,会计事务,现代金融服务,2022,3\r\n").encode()
    import_declarations(plan, csv_file, name="需求.csv", actor=admin_user)
    return plan


def _report_with_evidence(plan: Plan, liaison: Any) -> ProgressReport:
    """A cooperating department's report with an evidence file (the demo has no file)."""
    finance = Department.objects.get(org_unit=plan.org_unit, name="区财政局")
    task = plan.tasks.filter(assignments__department=finance, assignments__role="coop").first()
    assert task is not None
    cycle = Cycle.objects.filter(schedule__plan=plan, period="202103B").get()
    checked = evidence.check_file(io.BytesIO(PDF), "经费拨付文件.pdf")
    return reports.save_report(
        cycle,
        task,
        finance,
        reports.ReportInput("ongoing", "经费已拨付（附文件）"),
        files=[checked],
        actor=liaison,
    )


def rows_without_record() -> dict[str, list[Any]]:
    """Model label -> the pks of its rows that no change record covers."""
    recorded: set[tuple[str, str]] = set()
    actions: set[tuple[str, str, str]] = set()
    for object_type, object_id, action in ChangeRecord.objects.values_list(
        "object_type", "object_id", "action"
    ):
        recorded.add((object_type, object_id))
        actions.add((object_type, object_id, action))

    def covered(parent: models.Model, action: str) -> bool:
        return (parent._meta.label_lower, str(parent.pk), action) in actions

    missing: dict[str, list[Any]] = {}
    for model in gaodi_models():
        label = model._meta.label_lower
        if label in EXEMPT:
            continue
        parents = COVERED_BY.get(label)
        for row in model._default_manager.all():
            if (label, str(row.pk)) in recorded:
                continue
            if parents is not None and any(covered(p, a) for p, a in parents(row)):
                continue
            missing.setdefault(label, []).append(row.pk)
    return missing


def test_every_row_a_service_wrote_has_a_change_record(demo: Plan) -> None:
    assert rows_without_record() == {}
    assert ChangeRecord.objects.count() > 250  # the demo and the calls above did write


def test_every_model_with_rows_is_exercised(demo: Plan) -> None:
    """The completeness test means something only if each model has rows to look at."""
    empty = [
        m._meta.label_lower
        for m in gaodi_models()
        if m._meta.label_lower not in EXEMPT and not m._default_manager.exists()
    ]
    assert empty == []


def test_the_mapping_and_the_exemptions_name_real_models() -> None:
    labels = {m._meta.label_lower for m in gaodi_models()}
    assert set(EXEMPT) <= labels and set(COVERED_BY) <= labels
    assert not set(EXEMPT) & set(COVERED_BY)


def test_a_parent_record_covers_only_what_it_says(demo: Plan) -> None:
    """The mappings are no blanket pass: a value written behind the service's back (no record
    on its unit's submission) and a department added without one are both caught."""
    value = DataValue.objects.first()
    assert value is not None
    orphan = DataValue.objects.create(
        indicator=value.indicator,
        org_unit=demo.org_unit,  # the county never reported this data set
        period="1999",
        value=Decimal(1),
        entered_at=value.entered_at,
    )
    quiet = Department.objects.create(org_unit=demo.org_unit, name="区审计局")
    assert rows_without_record() == {
        "indicators.datavalue": [orphan.pk],
        "orgs.department": [quiet.pk],
    }


# --- change records cannot be edited or deleted ----------------------------------------------


@pytest.fixture
def record(db: None) -> ChangeRecord:
    someone = get_user_model().objects.create_user("someone")
    return record_change(someone, actor=someone, action="create", after={"username": "someone"})


def test_a_stored_record_cannot_be_saved_again(record: ChangeRecord) -> None:
    record.summary = "篡改"
    with pytest.raises(PermissionError, match="变更记录不可修改"):
        record.save()
    with pytest.raises(PermissionError, match="变更记录不可修改"):
        record.save(update_fields=["summary"])
    assert ChangeRecord.objects.get(pk=record.pk).summary == ""


def test_a_record_cannot_be_deleted_one_by_one_or_in_bulk(record: ChangeRecord) -> None:
    with pytest.raises(PermissionError, match="变更记录不可删除"):
        record.delete()
    with pytest.raises(PermissionError, match="变更记录不可删除"):
        ChangeRecord.objects.filter(pk=record.pk).delete()
    with pytest.raises(PermissionError, match="变更记录不可删除"):
        ChangeRecord.objects.all()._raw_delete(ChangeRecord.objects.db)
    assert ChangeRecord.objects.filter(pk=record.pk).exists()


def test_no_queryset_path_edits_records(record: ChangeRecord) -> None:
    stored = ChangeRecord.objects.filter(pk=record.pk)
    with pytest.raises(PermissionError):
        stored.update(summary="篡改")
    record.summary = "篡改"
    with pytest.raises(PermissionError):
        ChangeRecord.objects.bulk_update([record], ["summary"])
    with pytest.raises(PermissionError):
        ChangeRecord.objects.update_or_create(pk=record.pk, defaults={"summary": "篡改"})
    with pytest.raises(PermissionError):
        ChangeRecord.objects.bulk_create(
            [record], update_conflicts=True, update_fields=["summary"], unique_fields=["id"]
        )
    someone = get_user_model().objects.get(username="someone")
    with pytest.raises(PermissionError):  # through the user's related manager too
        someone.change_records.update(summary="篡改")
    with pytest.raises(PermissionError):
        someone.change_records.all().delete()
    assert ChangeRecord.objects.get(pk=record.pk).summary == ""


def test_a_user_with_records_cannot_be_deleted_taking_them_along(db: None) -> None:
    from django.db.models import ProtectedError

    actor = get_user_model().objects.create_user("actor")
    record_change(actor, actor=actor, action="create")
    with pytest.raises(ProtectedError):
        actor.delete()
    assert ChangeRecord.objects.filter(actor=actor).count() == 1


def test_bulk_insert_of_records_still_works(db: None) -> None:
    users = [get_user_model().objects.create_user(f"u{n}") for n in range(3)]
    made = record_changes([(u, "create", None, {"n": u.pk}, "导入") for u in users], actor=None)
    assert len(made) == 3
    assert ChangeRecord.objects.filter(summary="导入").count() == 3


def test_the_django_admin_is_not_mounted_and_does_not_list_records() -> None:
    with pytest.raises(NoReverseMatch):
        reverse("admin:index")
    assert not admin.site.is_registered(ChangeRecord)


def _routes(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[str]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            found += _routes(entry.url_patterns, prefix + str(entry.pattern))
        else:
            found.append(prefix + str(entry.pattern))
    return found


def test_no_route_offers_to_write_the_trail(db: None) -> None:
    """The history pages are the only pages on the trail, and they only read; the API has no
    change-record route at all."""
    routes = _routes(get_resolver().url_patterns)
    trail = [r for r in routes if r.startswith("history/")]
    assert trail == ["history/user/<int:user_pk>/"]
    api = [r for r in routes if r.startswith("api/")]
    assert not [r for r in api if any(w in r for w in ("change", "audit", "history", "record"))]
    someone = get_user_model().objects.create_user("someone", password="pw")
    browser = Client()
    browser.force_login(someone)
    url = f"/history/user/{someone.pk}/"
    assert browser.get(url).status_code == 200
    for method in (browser.post, browser.put, browser.patch, browser.delete):
        assert method(url).status_code == 405


def test_demo_users_read_but_cannot_change_their_history(demo: Plan) -> None:
    browser = Client()
    assert browser.login(username="zhuanban", password=DEMO_PASSWORD)
    me = get_user_model().objects.get(username="zhuanban")
    before = ChangeRecord.objects.count()
    assert browser.get(f"/history/user/{me.pk}/").status_code == 200
    assert browser.post(f"/history/user/{me.pk}/", {"summary": "篡改"}).status_code == 405
    assert ChangeRecord.objects.count() == before
