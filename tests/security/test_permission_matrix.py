"""The permission matrix: every URL pattern and API operation, found at run time, against the
hand-written table in permission_table.py, for every role; then object-level checks that a
department (or a school) cannot reach another's objects by changing an id.

The demo (gaodi.demo.set_up_demo, as of 2021-06-30) is set up once for the module; each test
runs in a savepoint of that transaction, so the writes of one route do not reach the next.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import F
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pytest_django import DjangoDbBlocker

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.credits.demo import demo_id_number
from gaodi.credits.models import (
    IssuedCredential,
    Learner,
    OutcomeUnit,
    RecognitionCase,
    Scheme,
    ShareLink,
)
from gaodi.demo import set_up_demo
from gaodi.enterprises.models import IntegrationEnterprise
from gaodi.funding.models import Debt
from gaodi.indicators.models import DataSet, DataValue, Indicator
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_org_unit
from gaodi.plans.models import Deadline, Plan, Target, Task
from gaodi.specialties.catalogue import CATALOGUE_2021
from gaodi.specialties.models import Industry, Specialty, SupplyDemandBulletin
from gaodi.supervision import change_requests, chases, evidence, inspections, reports
from gaodi.supervision.models import (
    Chase,
    Cycle,
    Evidence,
    Handover,
    Inspection,
    InspectionFinding,
    Meeting,
    Notification,
    ProgressReport,
    PublishedReport,
    Request,
    Schedule,
    TrackedItem,
)
from gaodi.supervision.publishing import publish_report
from gaodi.supervision.report_queries import LEAD, tier_of
from gaodi.teachers.models import Teacher

from .permission_table import (
    API,
    LOGIN,
    PAGES,
    REDIRECT,
    ROLES,
    Outcome,
    Row,
)

DAY = dt.date(2021, 6, 30)
API_PREFIX = "/api/v1"
USERNAMES = {
    "school": "xuexiao",
    "department_own": "jiaoti",
    "department_other": "caizheng",
    "inspector_ducha": "ducha",
    "inspector_dudao": "dudao",
    "leader": "lingdao",
    "admin": "zhuanban",
    "city_admin": "shiji",
    "outsider": "waidi",  # made here: the work team of another county
}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# What the database holds that a write could touch (sessions and last-login times aside).
WATCHED_APPS = (
    "accounts",
    "orgs",
    "plans",
    "indicators",
    "supervision",
    "specialties",
    "achievements",
    "credits",
    "teachers",
    "enterprises",
    "training",
    "funding",
    "audit",
)


@dataclass
class World:
    """The demo, and one concrete object of each kind the routes take an id of. Unless said
    otherwise an object belongs to 区教育和体育局 (department_own) and 区财政局
    (department_other) has no part in it."""

    plan: Plan
    users: dict[str, AbstractBaseUser]
    own: Department  # 区教育和体育局
    other: Department  # 区财政局
    school: OrgUnit
    task: Task  # led by own; other neither leads nor cooperates
    cycle: Cycle  # the current 调度 round (no report on `task` yet)
    report: ProgressReport  # own's submitted lead report on another such task, this round
    evidence: Evidence  # attached to `report`
    other_report: ProgressReport  # other's lead report on a task own cooperates on
    own_part: ProgressReport  # own's submitted part of a task other leads
    handover: Handover  # own's, not yet signed
    request: Request  # own's pending 职责异议
    chase: Chase  # own's, unanswered
    inspection: Inspection  # its one finding is own's
    finding: InspectionFinding  # own's, open
    other_finding: InspectionFinding  # other's, open
    meeting: Meeting  # its item is led by own
    published: PublishedReport
    notification: Notification  # one of own's liaison's 待办
    data_set: DataSet
    indicator: Indicator
    deadline: Deadline
    target: Target
    conflict_pk: int  # a plan finding of code target-conflict
    row_pk: int  # a task-list row
    schedule: Schedule
    second_school: OrgUnit  # a second school with its own clerk ("clerk2")


def _demo_learner() -> Learner:
    """The demo learner whose certificate is recognised, converted and issued."""
    return Learner.objects.get(name="【演示数据】张晓明")


def _open_case() -> RecognitionCase:
    """The demo case checked and waiting for review."""
    return RecognitionCase.objects.get(state="checked")


def _one(queryset: Any) -> Any:
    found = list(queryset[:2])
    assert len(found) == 1, found
    return found[0]


def _build_world(plan: Plan) -> World:
    county = plan.org_unit
    elsewhere = ensure_org_unit("371502", "东昌府区", OrgKind.COUNTY, county.parent, actor=None)
    create_member("waidi", "pw-waidi", role=Role.ADMIN, actor=None, org_unit=elsewhere)
    users = {
        role: get_user_model().objects.get(username=username)
        for role, username in USERNAMES.items()
    }
    own = Department.objects.get(org_unit=county, name="区教育和体育局")
    other = Department.objects.get(org_unit=county, name="区财政局")
    liaison, inspector = users["department_own"], users["inspector_ducha"]

    def own_only(number: int) -> Task:
        task = Task.objects.get(plan=plan, number=number)
        assert tier_of(task, own.pk) == LEAD and tier_of(task, other.pk) is None, number
        return task

    task, reported = own_only(9), own_only(3)
    cycle = Cycle.objects.filter(
        schedule__plan=plan, schedule__kind=Schedule.Kind.DISPATCH, starts_on__lte=DAY
    ).latest("starts_on")
    assert not ProgressReport.objects.filter(cycle=cycle, task__in=[task, reported]).exists()
    report = reports.save_report(
        cycle,
        reported,
        own,
        reports.ReportInput(progress="ongoing", narrative="按计划推进", percent=50),
        files=[evidence.CheckedFile(name="佐证.pdf", kind="pdf", content=PDF)],
        actor=liaison,
    )
    report = reports.submit_report(report, actor=liaison)
    other_report = ProgressReport.objects.filter(
        task__plan=plan, department=other, tier="lead", task__assignments__department=own
    ).first()
    assert other_report is not None and tier_of(other_report.task, own.pk) == "part"
    own_part = ProgressReport.objects.filter(
        department=own, tier="part", status="submitted", task__plan=plan
    ).first()
    assert own_part is not None and tier_of(own_part.task, other.pk) == LEAD
    handover = Handover.objects.get(plan=plan, department=own)
    Handover.objects.filter(pk=handover.pk).update(acknowledged_at=None, acknowledged_by=None)
    handover.refresh_from_db()
    request = change_requests.file_dispute(reported, own, reason="分工有误", actor=liaison)
    chase = chases.chase_task(task, own, message="请按时报送", actor=users["admin"])
    inspection = inspections.record_inspection(
        plan,
        method=Inspection.Method.SPECIAL,
        held_on=dt.date(2021, 6, 20),
        findings=[
            inspections.FindingSpec(task, own, "台账不全", dt.date(2021, 7, 31)),
        ],
        actor=inspector,
    )
    finding = _one(inspection.findings.all())
    other_task = Task.objects.get(plan=plan, number=1)  # led by 区财政局
    other_inspection = inspections.record_inspection(
        plan,
        method=Inspection.Method.SPOT_CHECK,
        held_on=dt.date(2021, 6, 21),
        findings=[inspections.FindingSpec(other_task, other, "资金未到位", dt.date(2021, 7, 31))],
        actor=inspector,
    )
    meeting = next(
        m
        for m in Meeting.objects.filter(plan=plan)
        if TrackedItem.objects.filter(meeting=m).exists()
        and all(
            tier_of(i.task, own.pk) == LEAD and tier_of(i.task, other.pk) is None
            for i in TrackedItem.objects.filter(meeting=m)
        )
    )
    published = publish_report(plan, "2021Q2", actor=None, today=DAY)
    notification = Notification.objects.filter(user=liaison, read_at=None).first()
    assert notification is not None
    second_school = ensure_org_unit(
        "371503-S02", "茌平区第二职业学校", OrgKind.SCHOOL, county, actor=None
    )
    create_member("clerk2", "pw-clerk2", role=Role.SCHOOL, actor=None, org_unit=second_school)
    return World(
        plan=plan,
        users=users,
        own=own,
        other=other,
        school=OrgUnit.objects.get(code="371503-S01"),
        task=task,
        cycle=cycle,
        report=report,
        evidence=_one(Evidence.objects.filter(report=report)),
        other_report=other_report,
        own_part=own_part,
        handover=handover,
        request=request,
        chase=chase,
        inspection=inspection,
        finding=finding,
        other_finding=_one(other_inspection.findings.all()),
        meeting=meeting,
        published=published,
        notification=notification,
        data_set=DataSet.objects.get(plan=plan, code="ds3"),
        indicator=Indicator.objects.get(plan=plan, code="i034"),
        deadline=Deadline.objects.filter(task__plan=plan).order_by("pk").first(),
        target=Target.objects.filter(task__plan=plan).order_by("pk").first(),
        conflict_pk=plan.findings.filter(code="target-conflict").order_by("pk").first().pk,
        row_pk=plan.task_list.order_by("pk").first().pk,
        schedule=plan.schedules.order_by("pk").first(),
        second_school=second_school,
    )


@pytest.fixture(scope="module")
def world(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[World]:
    """The demo once for the module (like setUpTestData), files in a temporary data folder."""
    data_dir = tmp_path_factory.mktemp("gaodi-data")
    with (
        override_settings(GAODI_TODAY=DAY, GAODI_DATA_DIR=data_dir),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        plan, _logins = set_up_demo()
        yield _build_world(plan)
        transaction.set_rollback(True)


@pytest.fixture
def w(world: World, db: None) -> World:
    """The world, inside this test's savepoint."""
    return world


# --- enumerating the routes ----------------------------------------------------------------


def url_patterns() -> list[tuple[str, str]]:
    """(name, route) of every URL pattern, namespaces joined as reverse() spells them."""
    found: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                joined = ":".join(part for part in (namespace, inner) if part)
                walk(pattern.url_patterns, prefix + str(pattern.pattern), joined)
            elif isinstance(pattern, URLPattern):
                route = prefix + str(pattern.pattern)
                name = pattern.name or route
                found.append((f"{namespace}:{name}" if namespace else name, route))

    walk(get_resolver().url_patterns, "", "")
    return found


def openapi_template(route: str) -> str:
    """api/v1/plans/<int:plan_id>/tasks -> /api/v1/plans/{plan_id}/tasks"""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def openapi_operations() -> set[tuple[str, str]]:
    document = Client().get(f"{API_PREFIX}/openapi.json").json()
    return {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }


def test_every_url_pattern_and_api_operation_is_in_the_table() -> None:
    operations = openapi_operations()
    api_paths = {path for _method, path in operations}
    pages, api_routes, unknown = set(), set(), []
    for name, route in url_patterns():
        if name in PAGES:
            pages.add(name)
        elif openapi_template(route) in api_paths:
            api_routes.add(openapi_template(route))
        else:
            unknown.append((name, route))  # neither a page of the table nor documented API
    assert unknown == [], "routes missing from permission_table.PAGES"
    assert sorted(set(PAGES) - pages) == [], "table rows whose route no longer exists"
    assert sorted(operations - set(API)) == [], "API operations missing from permission_table.API"
    assert sorted(set(API) - operations) == [], "API rows whose operation no longer exists"
    assert api_routes == api_paths  # every documented path is a real URL pattern


def test_every_route_of_the_table_has_a_concrete_request() -> None:
    assert set(PAGE_REQUESTS) == set(PAGES)
    assert set(API_REQUESTS) == set(API)


# --- concrete requests -----------------------------------------------------------------------

Request_ = tuple[str, dict[str, Any]]  # URL, POST data


class RewindingFile(SimpleUploadedFile):
    """An upload posted by every role in turn: the test client reads it once a request."""

    def read(self, *args: Any) -> bytes:
        self.seek(0)
        return super().read(*args)  # type: ignore[no-any-return]


def _demo_teacher(w: World) -> Teacher:
    found = Teacher.objects.filter(school=w.school).order_by("pk").first()
    assert found is not None, "the demo has a roster"
    return found


def _enterprise(w: World) -> IntegrationEnterprise:
    """A demo enterprise of the place under 审核 (its next step may be 培育)."""
    return IntegrationEnterprise.objects.get(
        place=w.plan.org_unit, enterprise__name="【演示数据】华信电子科技有限公司"
    )


def _plan_url(name: str, *attributes: str) -> Callable[[World], Request_]:
    """A URL of the plan (its pk first), then the pks of the world's objects by name."""

    def build(w: World) -> Request_:
        return reverse(name, args=[w.plan.pk, *(getattr(w, a).pk for a in attributes)]), {}

    return build


def _form_url(name: str, w: World, **data: Any) -> Request_:
    return reverse(name, args=[w.data_set.pk, w.school.pk, "2021"]), data


REASON = {"reason": "权限测试"}


def _bulletin(w: World) -> SupplyDemandBulletin:
    """The demo's published 供求信息 bulletin."""
    return _one(SupplyDemandBulletin.objects.filter(plan=w.plan))


def _open_debt(w: World) -> Debt:
    """The demo's debt not yet fully resolved (逾期未化解)."""
    return _one(Debt.objects.filter(plan=w.plan, resolved_amount__lt=F("amount")))


PAGE_REQUESTS: dict[str, Callable[[World], Request_]] = {
    "portal:home": lambda w: (reverse("portal:home"), {}),
    "portal:plan": lambda w: (reverse("portal:plan", args=[w.plan.pk]), {}),
    "portal:reports": lambda w: (reverse("portal:reports"), {}),
    "portal:report": lambda w: (reverse("portal:report", args=[w.published.pk]), {}),
    "portal:report_file": lambda w: (
        reverse("portal:report_file", args=[w.published.pk, "xlsx"]),
        {},
    ),
    "accounts:login": lambda w: (reverse("accounts:login"), {}),
    "accounts:logout": lambda w: (reverse("accounts:logout"), {}),
    "accounts:password_change": lambda w: (
        reverse("accounts:password_change"),
        {"old_password": "not-the-password", "new_password1": "x", "new_password2": "x"},
    ),
    "api-docs-asset": lambda w: (f"{API_PREFIX}/docs/assets/swagger-ui.css", {}),
    "api:openapi-json": lambda w: (f"{API_PREFIX}/openapi.json", {}),
    "api:openapi-view": lambda w: (f"{API_PREFIX}/docs", {}),
    "api:api-root": lambda w: (f"{API_PREFIX}/", {}),
    "plans:home": lambda w: (reverse("plans:home"), {}),
    "plans:overview": _plan_url("plans:overview"),
    "plans:tasks": _plan_url("plans:tasks"),
    "plans:task": _plan_url("plans:task", "task"),
    "plans:departments": _plan_url("plans:departments"),
    "plans:department": _plan_url("plans:department", "own"),
    "plans:leading_group": _plan_url("plans:leading_group"),
    "plans:tables": _plan_url("plans:tables"),
    "plans:review": _plan_url("plans:review"),
    "plans:fix_deadline": lambda w: (
        reverse("plans:fix_deadline", args=[w.plan.pk, w.deadline.pk]),
        {"date": "2022-12-31", **REASON},
    ),
    "plans:link_row": lambda w: (
        reverse("plans:link_row", args=[w.plan.pk, w.row_pk]),
        {"tasks": [w.task.pk], **REASON},
    ),
    "plans:choose_value": lambda w: (
        reverse("plans:choose_value", args=[w.plan.pk, w.conflict_pk]),
        {"choice": "0", **REASON},
    ),
    "plans:fix_target": lambda w: (
        reverse("plans:fix_target", args=[w.plan.pk, w.target.pk]),
        {"value": "99", **REASON},
    ),
    "plans:set_departments": lambda w: (
        reverse("plans:set_departments", args=[w.plan.pk, w.task.pk]),
        {"lead": [w.other.pk], "coop": [w.own.pk], **REASON},
    ),
    "audit:by_user": lambda w: (
        reverse("audit:by_user", args=[w.users["department_own"].pk]),
        {},
    ),
    "indicators:registry": lambda w: (reverse("indicators:registry", args=[w.plan.pk]), {}),
    "indicators:data_set": lambda w: (
        reverse("indicators:data_set", args=[w.data_set.pk]),
        {"period": "2023", "opens_on": "2023-06-01", "closes_on": "2024-03-31"},
    ),
    "indicators:indicator": lambda w: (
        reverse("indicators:indicator", args=[w.indicator.pk]),
        {"tasks": [w.task.pk], "kind": "flow"},
    ),
    "indicators:collect": lambda w: (
        reverse("indicators:collect", args=[w.plan.pk, w.school.pk, "2021"]),
        {},
    ),
    "indicators:approvals": lambda w: (reverse("indicators:approvals", args=[w.plan.pk]), {}),
    "indicators:form": lambda w: _form_url("indicators:form", w, **{f"v{w.indicator.pk}": "321"}),
    "indicators:check": lambda w: _form_url("indicators:check", w, **{f"v{w.indicator.pk}": "1"}),
    "indicators:step": lambda w: _form_url("indicators:step", w, step="submit"),
    "indicators:template": lambda w: _form_url("indicators:template", w),
    "indicators:csv": lambda w: _form_url("indicators:csv", w),
    "indicators:upload": lambda w: _form_url("indicators:upload", w),
    "indicators:dashboard": lambda w: (reverse("indicators:dashboard", args=[w.plan.pk]), {}),
    "indicators:table": lambda w: (reverse("indicators:table", args=[w.plan.pk]), {}),
    "supervision:schedules": lambda w: (
        reverse("supervision:schedules", args=[w.plan.pk]),
        {"schedule": w.schedule.pk, "frequency": "monthly", "due_workdays": "3", "active": "on"},
    ),
    "supervision:lights": _plan_url("supervision:lights"),
    "supervision:inbox": lambda w: (reverse("supervision:inbox"), {}),
    "supervision:read": lambda w: (reverse("supervision:read", args=[w.notification.pk]), {}),
    "supervision:my_tasks": _plan_url("supervision:my_tasks"),
    "supervision:report_list": _plan_url("supervision:report_list"),
    "supervision:report": lambda w: (
        reverse("supervision:report", args=[w.cycle.pk, w.task.pk, w.own.pk]),
        {"progress": "ongoing", "narrative": "已启动", "percent": "10", "action": "submit"},
    ),
    "supervision:report_review": lambda w: (
        reverse("supervision:report_review", args=[w.report.pk]),
        {"verdict": "accept", "comment": "同意"},
    ),
    "supervision:evidence": lambda w: (reverse("supervision:evidence", args=[w.evidence.pk]), {}),
    "supervision:handovers": _plan_url("supervision:handovers"),
    "supervision:handover_issue": _plan_url("supervision:handover_issue"),
    "supervision:handover_chase": lambda w: (
        reverse("supervision:handover_chase", args=[w.plan.pk]),
        {"days": "0"},
    ),
    "supervision:handover": lambda w: (reverse("supervision:handover", args=[w.handover.pk]), {}),
    "supervision:handover_acknowledge": lambda w: (
        reverse("supervision:handover_acknowledge", args=[w.handover.pk]),
        {},
    ),
    "supervision:handover_docx": lambda w: (
        reverse("supervision:handover_docx", args=[w.handover.pk]),
        {},
    ),
    "supervision:requests": _plan_url("supervision:requests"),
    "supervision:request_new": lambda w: (
        reverse("supervision:request_new", args=[w.plan.pk, w.task.pk]),
        {"kind": "dispute", "reason": "不属本部门职责"},
    ),
    "supervision:request": lambda w: (reverse("supervision:request", args=[w.request.pk]), {}),
    "supervision:request_decide": lambda w: (
        reverse("supervision:request_decide", args=[w.request.pk]),
        {"approve": "no", "decision": "维持原分工"},
    ),
    "supervision:chases": _plan_url("supervision:chases"),
    "supervision:task_chases": lambda w: (
        reverse("supervision:task_chases", args=[w.plan.pk, w.task.pk]),
        {"department": w.own.pk, "message": "请尽快推进"},
    ),
    "supervision:chase": lambda w: (reverse("supervision:chase", args=[w.chase.pk]), {}),
    "supervision:chase_answer": lambda w: (
        reverse("supervision:chase_answer", args=[w.chase.pk]),
        {"answer": "已落实"},
    ),
    "supervision:inspections": lambda w: (
        reverse("supervision:inspections", args=[w.plan.pk]),
        {
            "method": "special",
            "held_on": "2021-06-25",
            "summary": "专项督查",
            "problem_1": "进度滞后",
            "task_1": w.task.pk,
            "department_1": w.own.pk,
            "deadline_1": "2021-08-31",
        },
    ),
    "supervision:inspection": lambda w: (
        reverse("supervision:inspection", args=[w.inspection.pk]),
        {},
    ),
    "supervision:finding_rectify": lambda w: (
        reverse("supervision:finding_rectify", args=[w.finding.pk]),
        {"rectification": "已补齐台账", "evidence": "台账一份"},
    ),
    "supervision:finding_decide": lambda w: (
        reverse("supervision:finding_decide", args=[w.finding.pk]),
        {"decision": "close", "note": "已整改"},
    ),
    "specialties:warnings": _plan_url("specialties:warnings"),
    "specialties:recompute": lambda w: (
        reverse("specialties:recompute", args=[w.plan.pk]),
        {"rule_set": "chiping-example", "year": "2021"},
    ),
    "specialties:rule_sets": _plan_url("specialties:rule_sets"),
    "specialties:feed": lambda w: (
        reverse("specialties:feed", args=[w.plan.pk]),
        {"year": "2021"},
    ),
    "specialties:offerings": _plan_url("specialties:offerings"),
    "specialties:offering_record": lambda w: (
        reverse("specialties:offering_record", args=[w.plan.pk]),
        {"学校代码": "371503-S01", "专业名称": "计算机应用", "年份": "2022", "实际招生": "5"},
    ),
    "specialties:offering_import": lambda w: (
        reverse("specialties:offering_import", args=[w.plan.pk]),
        {
            "file": SimpleUploadedFile(
                "a.csv",
                "学校代码,专业名称,年份,实际招生\n371503-S01,计算机应用,2022,5\n".encode(),
                "text/csv",
            )
        },
    ),
    "specialties:offering_template": _plan_url("specialties:offering_template"),
    "specialties:supply_parameters": lambda w: (
        reverse("specialties:supply_parameters", args=[w.plan.pk]),
        {
            "name": "权限测试参数",
            "effective_from": "2022-01-01",
            "method": "linear",
            "window": "3",
            "min_history": "2",
            "horizon": "1",
            "programme_years": "3",
            "bulletin_prefix": "茌平职教供求",
        },
    ),
    "specialties:catalogue": _plan_url("specialties:catalogue"),
    "specialties:catalogue_template": _plan_url("specialties:catalogue_template"),
    "specialties:catalogue_import": lambda w: (
        reverse("specialties:catalogue_import", args=[w.plan.pk]),
        {
            "catalogue": "职业教育专业目录（2021年）",
            "old_catalogue": "中等职业学校专业目录（2010年修订）",
            "source": "权限测试",
            "file": SimpleUploadedFile(
                "目录.csv", "专业代码,专业名称,层次\n100001,会计事务,中职\n".encode(), "text/csv"
            ),
        },
    ),
    "specialties:rule_set_new": lambda w: (
        reverse("specialties:rule_set_new", args=[w.plan.pk]),
        {
            "code": "matrix-1",
            "name": "权限测试规则集",
            "effective_from": "2021-01-01",
            "rules-TOTAL_FORMS": "1",
            "rules-INITIAL_FORMS": "0",
            "rules-0-code": "r1",
            "rules-0-name": "招生不足",
            "rules-0-level": "中职",
            "rules-0-match": "all",
            "rules-0-consecutive_years": "1",
            "rules-0-consequence": "warn",
            "rules-0-metric1": "enrolment",
            "rules-0-comparator1": "<",
            "rules-0-threshold1": "1",
        },
    ),
    "specialties:supply_demand": _plan_url("specialties:supply_demand"),
    "specialties:declare": lambda w: (
        reverse("specialties:declare", args=[w.plan.pk]),
        {
            "enterprise": "权限测试企业",
            "specialty": Specialty.objects.get(name="会计事务", catalogue=CATALOGUE_2021).pk,
            "industry": Industry.objects.get(name="现代金融服务", group="十强产业").pk,
            "year": "2021",
            "headcount": "3",
        },
    ),
    "specialties:publish": lambda w: (
        reverse("specialties:publish", args=[w.plan.pk]),
        {"year": "2021"},
    ),
    "specialties:declarations_upload": _plan_url("specialties:declarations_upload"),
    "specialties:declarations_template": _plan_url("specialties:declarations_template"),
    "specialties:bulletin": lambda w: (
        reverse("specialties:bulletin", args=[w.plan.pk, _bulletin(w).pk]),
        {},
    ),
    "specialties:bulletin_xlsx": lambda w: (
        reverse("specialties:bulletin_xlsx", args=[w.plan.pk, _bulletin(w).pk]),
        {},
    ),
    "teachers:overview": _plan_url("teachers:overview"),
    "teachers:record": lambda w: (
        reverse("teachers:record", args=[w.plan.pk]),
        {"school": w.school.pk, "name": "权限测试教师", "full_time": "1", "hired_on": "2021-06-01"},
    ),
    "teachers:edit": lambda w: (
        reverse("teachers:edit", args=[w.plan.pk, _demo_teacher(w).pk]),
        {
            "name": _demo_teacher(w).name,
            "full_time": "1",
            "specialty_course": "1",
            "hired_on": _demo_teacher(w).hired_on.isoformat(),
            "dual_qualified": "1",
            "certified_on": "2019-06-01",
            "left_on": "2021-06-01",
        },
    ),
    "teachers:honour": lambda w: (
        reverse("teachers:honour", args=[w.plan.pk]),
        {
            "teacher": _demo_teacher(w).pk,
            "kind": "studio",
            "level": "区级",
            "awarded_on": "2021-06-01",
            "source": "权限测试",
        },
    ),
    "teachers:quota": lambda w: (
        reverse("teachers:quota", args=[w.plan.pk]),
        {"school": w.school.pk, "year": "2022", "quota": "250", "source": "权限测试"},
    ),
    "teachers:template": _plan_url("teachers:template"),
    "teachers:upload": lambda w: (
        reverse("teachers:upload", args=[w.plan.pk]),
        {
            "file": RewindingFile(
                "roster.csv",
                "学校代码,姓名,专任或兼职,入职日期\n371503-S01,权限测试上传教师,专任,2021-06-01\n".encode(),
                "text/csv",
            )
        },
    ),
    "teachers:rules": lambda w: (
        reverse("teachers:rules", args=[w.plan.pk]),
        {
            "min_enterprise_years": "3",
            "hire_scope": "all",
            "exemptions": "",
            "part_time_cap": "20",
            "dual_target_reading": "table",
            "ratio_is_ceiling": "1",
            "effective_from": "2021-06-01",
            "source": "权限测试",
        },
    ),
    "teachers:feed": lambda w: (reverse("teachers:feed", args=[w.plan.pk]), {"year": "2021"}),
    "achievements:overview": _plan_url("achievements:overview"),
    "achievements:record": lambda w: (
        reverse("achievements:record", args=[w.plan.pk]),
        {
            "school": w.school.pk,
            "kind": "provincial_online_course",
            "name": "权限测试课程",
            "approved_on": "2021-06-01",
        },
    ),
    "achievements:evaluation": lambda w: (
        reverse("achievements:evaluation", args=[w.plan.pk]),
        {"school": w.school.pk, "year": "2021", "customer": "90", "source": "权限测试"},
    ),
    "achievements:award": lambda w: (
        reverse("achievements:award", args=[w.plan.pk]),
        {
            "school": w.school.pk,
            "year": "2021",
            "name": "权限测试赛项",
            "level": "省",
            "grade": "一等奖",
            "category": "学生",
        },
    ),
    "achievements:recompute": lambda w: (
        reverse("achievements:recompute", args=[w.plan.pk]),
        {"year": "2020"},
    ),
    "achievements:weights": lambda w: (
        reverse("achievements:weights", args=[w.plan.pk]),
        {
            "w_customer": "50",
            "w_peer": "25",
            "w_third_party": "25",
            "missing": "renormalise",
            "effective_from": "2022-01-01",
            "source": "权限测试",
        },
    ),
    "credits:learners": _plan_url("credits:learners"),
    "credits:queue": _plan_url("credits:queue"),
    "credits:rules": _plan_url("credits:rules"),
    "credits:catalogue": _plan_url("credits:catalogue"),
    "credits:sittings": _plan_url("credits:sittings"),
    "credits:add_sitting": lambda w: (
        reverse("credits:add_sitting", args=[w.plan.pk]),
        {
            "school": w.school.pk,
            "unit": OutcomeUnit.objects.get(code="web-front-end").pk,
            "level": "中级",
            "held_on": "2021-05-08",
            "candidates": "10",
            "passed": "8",
        },
    ),
    "credits:add_scheme": lambda w: (
        reverse("credits:add_scheme", args=[w.plan.pk]),
        {
            "code": "perm-scheme",
            "name": "权限测试体系",
            "levels": "初级、高级",
            "issuers": "某机构",
            "valid_from": "2021-01-01",
            "source": "权限测试",
        },
    ),
    "credits:add_unit": lambda w: (
        reverse("credits:add_unit", args=[w.plan.pk]),
        {
            "scheme": Scheme.objects.get(code="x-cert").pk,
            "code": "perm-unit",
            "name": "权限测试单元",
            "effective_from": "2021-01-01",
            "source": "权限测试",
        },
    ),
    "credits:add_qualification": lambda w: (
        reverse("credits:add_qualification", args=[w.plan.pk]),
        {
            "code": "perm-q",
            "name": "权限测试资格",
            "units": "P101,权限课程,4,必修",
            "total_credits": "4",
            "source": "权限测试",
        },
    ),
    "credits:learner": lambda w: (
        reverse("credits:learner", args=[w.plan.pk, _demo_learner().pk]),
        {},
    ),
    "credits:transcript_pdf": lambda w: (
        reverse("credits:transcript_pdf", args=[w.plan.pk, _demo_learner().pk]),
        {},
    ),
    "credits:course": lambda w: (
        reverse("credits:course", args=[w.plan.pk, _demo_learner().pk]),
        {"course": "P101", "course_name": "权限课程", "credits": "2", "earned_on": "2021-06-01"},
    ),
    "credits:account": lambda w: (
        reverse("credits:account", args=[w.plan.pk, _demo_learner().pk]),
        {"username": "xuesheng"},
    ),
    "credits:import_template": lambda w: (
        reverse("credits:import_template", args=[w.plan.pk]),
        {},
    ),
    "credits:import": lambda w: (
        reverse("credits:import", args=[w.plan.pk]),
        {
            "file": SimpleUploadedFile(
                "c.csv",
                (
                    "学校代码,姓名,身份证号,证书体系,认证单元,等级,证书编号,发证机构,发证日期\n"
                    f"371503-S01,权限测试,{demo_id_number('20030404', 8)},x-cert,web-front-end,"
                    "初级,权限-1,某机构,2021-05-01\n"
                ).encode(),
                "text/csv",
            )
        },
    ),
    "credits:register": lambda w: (
        reverse("credits:register", args=[w.plan.pk]),
        {"school": w.school.pk, "name": "权限测试", "id_number": demo_id_number("20030303", 7)},
    ),
    "credits:rotate": lambda w: (
        reverse("credits:rotate", args=[w.plan.pk]),
        {"school": w.school.pk},
    ),
    "credits:record": lambda w: (
        reverse("credits:record", args=[w.plan.pk, _demo_learner().pk]),
        {
            "unit": OutcomeUnit.objects.get(code="web-front-end").pk,
            "level": "中级",
            "number": "权限测试-1",
            "issuer": "某机构",
            "issued_on": "2021-06-01",
        },
    ),
    "credits:merge": lambda w: (
        reverse("credits:merge", args=[w.plan.pk, _demo_learner().pk]),
        {"duplicate": Learner.objects.get(name="【演示数据】王磊").pk, "reason": "权限测试"},
    ),
    "credits:convert": lambda w: (
        reverse("credits:convert", args=[w.plan.pk, _demo_learner().pk]),
        {},
    ),
    "credits:issue": lambda w: (
        reverse("credits:issue", args=[w.plan.pk, _demo_learner().pk]),
        {"outcome": _demo_learner().outcomes.get().pk},
    ),
    "credits:revoke": lambda w: (
        reverse("credits:revoke", args=[w.plan.pk, _demo_learner().pk]),
        {"credential": IssuedCredential.objects.get(kind="achievement").uid, "reason": "权限测试"},
    ),
    "credits:step": lambda w: (
        reverse("credits:step", args=[w.plan.pk, _open_case().pk]),
        {"action": "review", "reason": "权限测试"},
    ),
    "credits:new_rules": lambda w: (
        reverse("credits:new_rules", args=[w.plan.pk]),
        {
            "code": "college-x",
            "name": "权限测试规则",
            "effective_from": "2021-09-01",
            "rules": "x-cert,web-front-end,初级,C101,网页设计基础,3,计算机应用,专业基础课",
            "per_certificate": "8",
            "one_course": "on",
            "source": "权限测试",
        },
    ),
    "credits:mine": lambda w: (reverse("credits:mine"), {}),
    "credits:my_transcript_pdf": lambda w: (reverse("credits:my_transcript_pdf"), {}),
    "credits:my_token": lambda w: (
        reverse("credits:my_token", args=[IssuedCredential.objects.get(kind="achievement").uid]),
        {},
    ),
    "credits:my_share": lambda w: (
        reverse("credits:my_share"),
        {"credential": IssuedCredential.objects.get(kind="achievement").uid, "days": "7"},
    ),
    "credits:my_withdraw": lambda w: (
        reverse("credits:my_withdraw"),
        {"token": ShareLink.objects.get().token},
    ),
    "credits:my_appeal": lambda w: (
        reverse("credits:my_appeal"),
        {"case": RecognitionCase.objects.get(state="refused").pk, "reason": "权限测试"},
    ),
    "credits:verify": lambda w: (
        reverse("credits:verify"),
        {"token": IssuedCredential.objects.get(kind="achievement").token},
    ),
    "credits:credential": lambda w: (
        reverse("credits:credential", args=[IssuedCredential.objects.get(kind="achievement").uid]),
        {},
    ),
    "credits:issuer": lambda w: (reverse("credits:issuer", args=[w.school.code]), {}),
    "credits:jwks": lambda w: (reverse("credits:jwks", args=[w.school.code]), {}),
    "credits:status": lambda w: (reverse("credits:status", args=[w.school.code]), {}),
    "credits:shared": lambda w: (
        reverse("credits:shared", args=[ShareLink.objects.get().token]),
        {},
    ),
    "enterprises:register": _plan_url("enterprises:register"),
    "enterprises:detail": lambda w: (
        reverse("enterprises:detail", args=[w.plan.pk, _enterprise(w).pk]),
        {},
    ),
    "enterprises:add": lambda w: (
        reverse("enterprises:add", args=[w.plan.pk]),
        {
            "name": "权限测试企业",
            "credit_code": "91350100M000100Y43",
            "sector": "纺织",
            "size": "小型",
        },
    ),
    "enterprises:step": lambda w: (
        reverse("enterprises:step", args=[w.plan.pk, _enterprise(w).pk]),
        {"state": "培育", "on": "2021-06-01", "level": "市", "source": "权限测试名单"},
    ),
    "enterprises:cooperation": lambda w: (
        reverse("enterprises:cooperation", args=[w.plan.pk, _enterprise(w).pk]),
        {"school": w.school.pk, "form": "订单班", "start_year": "2021"},
    ),
    "enterprises:investment": lambda w: (
        reverse("enterprises:investment", args=[w.plan.pk, _enterprise(w).pk]),
        {
            "year": "2021",
            "amount": "10000",
            "purpose": "权限测试",
            "eligible": "yes",
            "eligibility_reason": "权限测试",
        },
    ),
    "enterprises:parameters": lambda w: (
        reverse("enterprises:parameters", args=[w.plan.pk]),
        {
            "rate": "30",
            "carry_forward": "no",
            "qualifying_day": "year_end",
            "effective_from": "2022-01-01",
            "source": "权限测试",
        },
    ),
    "enterprises:account": lambda w: (
        reverse("enterprises:account", args=[w.plan.pk, _enterprise(w).pk]),
        {},
    ),
    "enterprises:surcharge": lambda w: (
        reverse("enterprises:surcharge", args=[w.plan.pk, _enterprise(w).pk]),
        {"year": "2021", "education_surcharge": "100", "local_education_surcharge": "50"},
    ),
    "training:records": _plan_url("training:records"),
    "training:pay": _plan_url("training:pay"),
    "training:upload": _plan_url("training:upload"),
    "training:template": _plan_url("training:template"),
    "training:record": lambda w: (
        reverse("training:record", args=[w.plan.pk]),
        {
            "school": w.school.pk,
            "programme": "权限测试培训",
            "start": "2021-06-01",
            "end": "2021-06-02",
            "participants": "10",
            "person_days": "20",
            "target_groups": "veterans",
            "subsidised": "yes",
            "income": "1000",
        },
    ),
    "training:pay_inputs": lambda w: (
        reverse("training:pay_inputs", args=[w.plan.pk]),
        {"school": w.school.pk, "year": "2021", "benchmark_per_head": "40000", "headcount": "9"},
    ),
    "training:parameters": lambda w: (
        reverse("training:parameters", args=[w.plan.pk]),
        {
            "kind": "pay",
            "cap_multiple": "4",
            "tech_share_floor": "50",
            "tech_share_ceiling": "100",
            "effective_from": "2021-06-01",
            "source": "权限测试",
        },
    ),
    "training:feed": lambda w: (reverse("training:feed", args=[w.plan.pk]), {"year": "2021"}),
    "funding:overview": _plan_url("funding:overview"),
    "funding:surcharge": lambda w: (
        reverse("funding:surcharge", args=[w.plan.pk]),
        {
            "year": "2018",
            "education_revenue": "1000000",
            "education_to_vocational": "300000",
            "local_revenue": "500000",
            "local_to_vocational": "150000",
            "source": "权限测试",
        },
    ),
    "funding:appropriation": lambda w: (
        reverse("funding:appropriation", args=[w.plan.pk]),
        {
            "school": w.school.pk,
            "year": "2018",
            "actual": "3300000",
            "students": "1000",
            "source": "权限测试",
        },
    ),
    "funding:debt": lambda w: (
        reverse("funding:debt", args=[w.plan.pk]),
        {
            "school": w.school.pk,
            "description": "权限测试债务",
            "amount": "100000",
            "incurred_on": "2021-02-01",
            "source": "权限测试",
        },
    ),
    "funding:resolve": lambda w: (
        reverse("funding:resolve", args=[w.plan.pk, _open_debt(w).pk]),
        {"resolved_on": "2021-06-01", "resolved_amount": str(_open_debt(w).amount)},
    ),
    "funding:rules": lambda w: (
        reverse("funding:rules", args=[w.plan.pk]),
        {"standard_per_student": "3600", "effective_from": "2022-01-01", "source": "权限测试"},
    ),
    "funding:feed": lambda w: (reverse("funding:feed", args=[w.plan.pk]), {"year": "2021"}),
    "supervision:scores": lambda w: (
        reverse("supervision:scores", args=[w.plan.pk]),
        {
            "reports_on_time": "30",
            "tasks_on_schedule": "20",
            "deadlines_met": "20",
            "findings_rectified": "15",
            "indicators_attained": "15",
        },
    ),
    "supervision:supervision_reports": _plan_url("supervision:supervision_reports"),
    "supervision:supervision_report_file": lambda w: (
        reverse("supervision:supervision_report_file", args=[w.plan.pk, "2021Q2", "xlsx"]),
        {},
    ),
    "supervision:supervision_report_publish": lambda w: (
        reverse("supervision:supervision_report_publish", args=[w.plan.pk]),
        {"period": "2021Q2"},
    ),
    "supervision:overview": _plan_url("supervision:overview"),
    "supervision:meetings": _plan_url("supervision:meetings"),
    "supervision:meeting_record": lambda w: (
        reverse("supervision:meeting_record", args=[w.plan.pk]),
        {
            "kind": "leading_group",
            "title": "领导小组第二次会议",
            "held_on": "2021-06-28",
            "attendees": "全体成员",
            "decisions": "加快推进",
        },
    ),
    "supervision:tracked_item_add": lambda w: (
        reverse("supervision:tracked_item_add", args=[w.plan.pk]),
        {
            "source": "instruction",
            "title": "落实批示",
            "wording": "请教体局牵头落实",
            "lead": w.own.pk,
            "deadline": "2021-09-30",
            "issued_on": "2021-06-28",
            "leader": "区长",
        },
    ),
    "supervision:meeting": lambda w: (reverse("supervision:meeting", args=[w.meeting.pk]), {}),
}

API_REQUESTS: dict[tuple[str, str], Callable[[World], Request_]] = {
    ("GET", "/api/v1/plans"): lambda w: (f"{API_PREFIX}/plans", {}),
    ("GET", "/api/v1/plans/{plan_id}"): lambda w: (f"{API_PREFIX}/plans/{w.plan.pk}", {}),
    ("GET", "/api/v1/plans/{plan_id}/tasks"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/tasks",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/findings"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/findings",
        {},
    ),
    ("GET", "/api/v1/tasks/{task_id}"): lambda w: (f"{API_PREFIX}/tasks/{w.task.pk}", {}),
    ("GET", "/api/v1/departments"): lambda w: (f"{API_PREFIX}/departments", {}),
    ("GET", "/api/v1/departments/{department_id}"): lambda w: (
        f"{API_PREFIX}/departments/{w.own.pk}",
        {},
    ),
    ("GET", "/api/v1/org-units"): lambda w: (f"{API_PREFIX}/org-units", {}),
    ("GET", "/api/v1/plans/{plan_id}/indicators"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/indicators",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/values"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/values?unit={w.school.pk}&period=2019&data_set=ds3",
        {},
    ),
    ("POST", "/api/v1/plans/{plan_id}/values"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/values",
        {"unit": w.school.pk, "period": "2021", "data_set": "ds3", "values": {"i034": "321"}},
    ),
    ("GET", "/api/v1/cycles/{cycle_id}/progress"): lambda w: (
        f"{API_PREFIX}/cycles/{w.cycle.pk}/progress",
        {},
    ),
    ("POST", "/api/v1/cycles/{cycle_id}/progress"): lambda w: (
        f"{API_PREFIX}/cycles/{w.cycle.pk}/progress",
        {
            "task": w.task.pk,
            "department": w.own.pk,
            "progress": "ongoing",
            "narrative": "已召开推进会",
            "revision": "0.0",
            "submit": True,
        },
    ),
    ("GET", "/api/v1/plans/{plan_id}/rollup"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/rollup?unit={w.plan.org_unit_id}&period=2019"
        "&indicator=i034",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/specialty-warnings"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/specialty-warnings",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/supply-demand"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/supply-demand?year=2021",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/specialty-alignment"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/specialty-alignment?year=2021",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/specialty-offerings"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/specialty-offerings?year=2021",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/specialty-rule-sets"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/specialty-rule-sets",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/specialty-catalogue"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/specialty-catalogue",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/supply-demand/bulletins"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/supply-demand/bulletins",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/credit-counts"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/credit-counts",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/exam-pass-rates"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/exam-pass-rates",
        {},
    ),
    ("GET", "/api/v1/learners/{learner_id}/transcript"): lambda w: (
        f"{API_PREFIX}/learners/{_demo_learner().pk}/transcript",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/teachers"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/teachers",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/teacher-roster"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/teacher-roster",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/achievements"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/achievements",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/school-evaluations"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/school-evaluations",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/competitions"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/competitions",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/enterprises"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/enterprises",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/enterprise-credits"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/enterprise-credits",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/social-training"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/social-training",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/training-volume"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/training-volume",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/performance-pay"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/performance-pay",
        {},
    ),
    ("GET", "/api/v1/plans/{plan_id}/funding"): lambda w: (
        f"{API_PREFIX}/plans/{w.plan.pk}/funding",
        {},
    ),
    ("GET", "/api/v1/public/plans"): lambda w: (f"{API_PREFIX}/public/plans", {}),
    ("GET", "/api/v1/public/plans/{plan_id}"): lambda w: (
        f"{API_PREFIX}/public/plans/{w.plan.pk}",
        {},
    ),
}


# --- asking --------------------------------------------------------------------------------


def clients(w: World) -> dict[str, Client]:
    found = {"anonymous": Client()}
    for role, user in w.users.items():
        found[role] = Client()
        found[role].force_login(user)
    return found


def client_for(user: AbstractBaseUser | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def outcome(response: HttpResponse) -> Outcome:
    if response.status_code == 302:
        login = reverse("accounts:login") + "?next="
        return LOGIN if response["Location"].startswith(login) else REDIRECT
    return response.status_code


def database_state() -> dict[str, str]:
    """A fingerprint of every row of the watched apps (many-to-many links included)."""
    state = {}
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows = model._base_manager.order_by("pk").values_list()
            state[model._meta.label] = hashlib.sha256(repr(list(rows)).encode()).hexdigest()
    return state


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


def rewound(data: Any) -> Any:
    """The same form data for the next role: an uploaded file read by the previous POST is
    rewound, so that every role sends the whole file (not an empty one)."""
    if isinstance(data, dict):
        for value in data.values():
            if hasattr(value, "seek"):
                value.seek(0)
    return data


def by_role(row: Row) -> dict[str, Outcome]:
    return dict(zip(ROLES, row, strict=True))


def post_as_every_role(
    w: World, send: Callable[[Client], HttpResponse], writers: frozenset[str]
) -> tuple[dict[str, Outcome], dict[str, list[str]]]:
    """POST as each role, those who may not write first (on the untouched state): their
    outcomes, and for each of them what changed in the database (nothing, expected)."""
    found: dict[str, Outcome] = {}
    wrote: dict[str, list[str]] = {}
    signed_in = clients(w)
    state = database_state()
    for role in sorted(ROLES, key=lambda r: r in writers):
        found[role] = outcome(send(signed_in[role]))
        if role not in writers:
            before, state = state, database_state()
            wrote[role] = changed(before, state)
    return found, wrote


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_role_gets_what_the_table_says_of_a_page(w: World, name: str) -> None:
    route = PAGES[name]
    url, data = PAGE_REQUESTS[name](w)
    signed_in = clients(w)
    found = {role: outcome(signed_in[role].get(url)) for role in ROLES}
    assert found == by_role(route.get), f"GET {url}"
    if route.post is None:
        return
    found, wrote = post_as_every_role(w, lambda c: c.post(url, rewound(data)), route.writers)
    assert found == by_role(route.post), f"POST {url}"
    assert {role: what for role, what in wrote.items() if what} == {}, f"POST {url} wrote"


@pytest.mark.parametrize("key", sorted(API), ids=lambda key: " ".join(key))
def test_each_role_gets_what_the_table_says_of_an_api_operation(
    w: World, key: tuple[str, str]
) -> None:
    method, _path = key
    operation = API[key]
    url, data = API_REQUESTS[key](w)
    if method == "GET":
        signed_in = clients(w)
        found = {role: outcome(signed_in[role].get(url)) for role in ROLES}
        assert found == by_role(operation.expected), f"GET {url}"
        return
    found, wrote = post_as_every_role(
        w,
        lambda c: c.generic(method, url, json.dumps(data), content_type="application/json"),
        operation.writers,
    )
    assert found == by_role(operation.expected), f"{method} {url}"
    assert {role: what for role, what in wrote.items() if what} == {}, f"{method} {url} wrote"


# --- object level: another department's objects, by changing an id ------------------------


def _page_text(response: HttpResponse, path: str) -> str:
    """The page without what differs from one request to the next (its path, tokens)."""
    text = response.content.decode().replace(path, "PATH")
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', r'\1=""', text)


def _not_found_like_a_missing_one(client: Client, url: str, missing: str) -> None:
    """404, and the very page a missing id gets (nothing tells "not yours" from "missing")."""
    mine, absent = client.get(url), client.get(missing)
    assert (mine.status_code, absent.status_code) == (404, 404), url
    assert _page_text(mine, url) == _page_text(absent, missing)


MISSING = 987654


def test_a_department_cannot_read_or_write_another_departments_progress_report(
    w: World,
) -> None:
    other = client_for(w.users["department_other"])
    own = client_for(w.users["department_own"])
    mine = reverse("supervision:report", args=[w.cycle.pk, w.task.pk, w.own.pk])
    _not_found_like_a_missing_one(
        other, mine, reverse("supervision:report", args=[w.cycle.pk, w.task.pk, MISSING])
    )
    # Its own department's id in the same place: 区财政局 has no part in the task.
    theirs = reverse("supervision:report", args=[w.cycle.pk, w.task.pk, w.other.pk])
    assert other.get(theirs).status_code == 404
    # Own's submitted report of another task; and the other way round, 区财政局's lead report
    # on a task 区教育和体育局 only cooperates on (a part does not see its lead's report).
    submitted = w.report
    lead_of_other = w.other_report
    for client, report in ((other, submitted), (own, lead_of_other)):
        url = reverse(
            "supervision:report", args=[report.cycle_id, report.task_id, report.department_id]
        )
        assert client.get(url).status_code == 404, url
        assert client.get(url, {"version": report.version}).status_code == 404, url
    before = database_state()
    data = {"progress": "done", "narrative": "冒名报送", "percent": "100", "action": "submit"}
    for client, url in (
        (other, mine),
        (
            other,
            reverse("supervision:report", args=[submitted.cycle_id, submitted.task_id, w.own.pk]),
        ),
        (
            own,
            reverse(
                "supervision:report",
                args=[lead_of_other.cycle_id, lead_of_other.task_id, w.other.pk],
            ),
        ),
    ):
        assert client.post(url, data).status_code == 404, url
    # A lead reads its cooperating departments' parts, but never writes them.
    part = w.own_part
    url = reverse("supervision:report", args=[part.cycle_id, part.task_id, w.own.pk])
    assert other.get(url).status_code == 200
    assert other.post(url, data).status_code == 404
    assert changed(before, database_state()) == []
    assert not ProgressReport.objects.filter(narrative="冒名报送").exists()


def test_a_department_cannot_fetch_another_departments_evidence(w: World) -> None:
    other = client_for(w.users["department_other"])
    url = reverse("supervision:evidence", args=[w.evidence.pk])
    _not_found_like_a_missing_one(other, url, reverse("supervision:evidence", args=[MISSING]))
    response = client_for(w.users["department_own"]).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF


def test_a_department_cannot_see_or_sign_another_departments_handover(w: World) -> None:
    other = client_for(w.users["department_other"])
    for name in ("supervision:handover", "supervision:handover_docx"):
        url = reverse(name, args=[w.handover.pk])
        _not_found_like_a_missing_one(other, url, reverse(name, args=[MISSING]))
    records = ChangeRecord.objects.count()
    url = reverse("supervision:handover_acknowledge", args=[w.handover.pk])
    assert other.post(url).status_code == 404
    w.handover.refresh_from_db()
    assert w.handover.acknowledged_at is None and ChangeRecord.objects.count() == records
    # The admin may read it, but only the department itself signs.
    assert client_for(w.users["admin"]).post(url).status_code == 404
    w.handover.refresh_from_db()
    assert w.handover.acknowledged_at is None
    assert client_for(w.users["department_own"]).post(url).status_code == 302
    w.handover.refresh_from_db()
    assert w.handover.acknowledged_by == w.users["department_own"]


def test_a_department_cannot_read_decide_or_file_another_departments_requests(w: World) -> None:
    other = client_for(w.users["department_other"])
    url = reverse("supervision:request", args=[w.request.pk])
    _not_found_like_a_missing_one(other, url, reverse("supervision:request", args=[MISSING]))
    page = other.get(reverse("supervision:requests", args=[w.plan.pk])).content.decode()
    assert w.request.reason not in page  # its own list does not show another's request
    before, requests = database_state(), Request.objects.count()
    decide = reverse("supervision:request_decide", args=[w.request.pk])
    assert other.post(decide, {"approve": "yes", "decision": "同意"}).status_code == 404
    assert client_for(w.users["department_own"]).post(decide, {"approve": "yes"}).status_code == 404
    new = reverse("supervision:request_new", args=[w.plan.pk, w.task.pk])
    assert other.post(new, {"kind": "dispute", "reason": "代为申请"}).status_code == 404
    assert changed(before, database_state()) == [] and Request.objects.count() == requests
    w.request.refresh_from_db()
    assert w.request.status == Request.Status.PENDING


def test_a_department_cannot_read_or_answer_another_departments_chase(w: World) -> None:
    other = client_for(w.users["department_other"])
    url = reverse("supervision:chase", args=[w.chase.pk])
    _not_found_like_a_missing_one(other, url, reverse("supervision:chase", args=[MISSING]))
    task_chases = reverse("supervision:task_chases", args=[w.plan.pk, w.task.pk])
    assert other.get(task_chases).status_code == 404
    before = database_state()
    answer = reverse("supervision:chase_answer", args=[w.chase.pk])
    assert other.post(answer, {"answer": "代为回复"}).status_code == 404
    assert (
        other.post(task_chases, {"department": w.own.pk, "message": "互相催办"}).status_code == 404
    )
    assert changed(before, database_state()) == []
    w.chase.refresh_from_db()
    assert w.chase.answered_on is None and w.chase.answer == ""
    assert (
        client_for(w.users["department_own"]).post(answer, {"answer": "已落实"}).status_code == 302
    )
    w.chase.refresh_from_db()
    assert w.chase.answered_on == DAY


def test_a_department_cannot_read_or_rectify_another_departments_finding(w: World) -> None:
    own, other = client_for(w.users["department_own"]), client_for(w.users["department_other"])
    url = reverse("supervision:inspection", args=[w.inspection.pk])
    _not_found_like_a_missing_one(other, url, reverse("supervision:inspection", args=[MISSING]))
    page = own.get(reverse("supervision:inspections", args=[w.plan.pk])).content.decode()
    assert w.finding.problem in page and w.other_finding.problem not in page
    before = database_state()
    data = {"rectification": "代为整改", "evidence": "无"}
    for client, finding in ((other, w.finding), (own, w.other_finding)):
        rectify = reverse("supervision:finding_rectify", args=[finding.pk])
        assert client.post(rectify, data).status_code == 404
        decide = reverse("supervision:finding_decide", args=[finding.pk])
        assert client.post(decide, {"decision": "close", "note": "自行销号"}).status_code == 404
    assert changed(before, database_state()) == []
    for finding in (w.finding, w.other_finding):
        finding.refresh_from_db()
        assert finding.status == InspectionFinding.Status.OPEN and finding.rectification == ""
    rectify = reverse("supervision:finding_rectify", args=[w.finding.pk])
    assert own.post(rectify, data).status_code == 302
    w.finding.refresh_from_db()
    assert w.finding.rectification == "代为整改"


def test_a_department_cannot_read_another_departments_meeting_items(w: World) -> None:
    other = client_for(w.users["department_other"])
    url = reverse("supervision:meeting", args=[w.meeting.pk])
    _not_found_like_a_missing_one(other, url, reverse("supervision:meeting", args=[MISSING]))
    page = other.get(reverse("supervision:meetings", args=[w.plan.pk])).content.decode()
    for item in TrackedItem.objects.filter(meeting=w.meeting):
        assert item.wording not in page and item.task.title not in page
        # Reporting on the item's task as 区财政局 (it has no part in it): 404, nothing stored.
        before = database_state()
        report = reverse("supervision:report", args=[w.cycle.pk, item.task_id, w.other.pk])
        posted = {"progress": "done", "narrative": "冒名", "action": "submit"}
        assert other.post(report, posted).status_code == 404
        own_report = reverse("supervision:report", args=[w.cycle.pk, item.task_id, w.own.pk])
        assert other.post(own_report, posted).status_code == 404
        assert changed(before, database_state()) == []


def test_a_department_cannot_mark_another_users_todo_read(w: World) -> None:
    url = reverse("supervision:read", args=[w.notification.pk])
    assert client_for(w.users["department_other"]).post(url).status_code == 404
    w.notification.refresh_from_db()
    assert w.notification.read_at is None


def test_a_department_reads_no_indicator_values(w: World) -> None:
    """Reported values and roll-ups are Action.READ_VALUES: not a department's liaison."""
    client = client_for(w.users["department_own"])
    for path in ("dashboard", "table"):
        url = reverse(f"indicators:{path}", args=[w.plan.pk])
        for unit in ("", w.plan.org_unit_id, w.school.pk):
            assert client.get(url, {"unit": unit} if unit else {}).status_code == 404
    values = f"{API_PREFIX}/plans/{w.plan.pk}/values"
    assert client.get(values, {"unit": w.school.pk, "period": "2019"}).status_code == 404


def test_a_school_clerk_cannot_read_or_write_another_schools_values(w: World) -> None:
    clerk = client_for(w.users["school"])
    second = client_for(get_user_model().objects.get(username="clerk2"))
    theirs = w.second_school.pk
    for client, unit in ((clerk, theirs), (second, w.school.pk)):
        pages = [
            reverse("indicators:collect", args=[w.plan.pk, unit, "2021"]),
            *(
                reverse(f"indicators:{name}", args=[w.data_set.pk, unit, period])
                for name in ("form", "template", "csv", "upload")
                for period in ("2019", "2021")
            ),
        ]
        for url in pages:
            assert client.get(url).status_code == 404, url
        for path in ("dashboard", "table"):
            url = reverse(f"indicators:{path}", args=[w.plan.pk])
            assert client.get(url, {"unit": unit}).status_code == 404
            assert client.get(url, {"unit": w.plan.org_unit_id}).status_code == 404
        api = f"{API_PREFIX}/plans/{w.plan.pk}"
        query = {"unit": unit, "period": "2019"}
        assert client.get(f"{api}/values", query).status_code == 404
        assert client.get(f"{api}/rollup", {**query, "indicator": "i034"}).status_code == 404
    # The clerk's own school answers (the refusals above are about the place, not the page).
    own_form = reverse("indicators:form", args=[w.data_set.pk, w.school.pk, "2019"])
    assert clerk.get(own_form).status_code == 200
    page = clerk.get(reverse("indicators:dashboard", args=[w.plan.pk])).content.decode()
    assert w.second_school.name not in page
    before, values = database_state(), DataValue.objects.count()
    form = reverse("indicators:form", args=[w.data_set.pk, theirs, "2021"])
    assert clerk.post(form, {f"v{w.indicator.pk}": "999"}).status_code == 404
    for step in ("submit", "approve", "return"):
        url = reverse("indicators:step", args=[w.data_set.pk, theirs, "2021"])
        assert clerk.post(url, {"step": step, "comment": "x"}).status_code == 404
    check = reverse("indicators:check", args=[w.data_set.pk, theirs, "2021"])
    assert clerk.post(check, {f"v{w.indicator.pk}": "1"}).status_code == 404
    body = {"unit": theirs, "period": "2021", "data_set": "ds3", "values": {"i034": "999"}}
    response = clerk.post(
        f"{API_PREFIX}/plans/{w.plan.pk}/values", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 404
    assert changed(before, database_state()) == [] and DataValue.objects.count() == values


def test_a_school_clerk_sees_no_other_schools_achievements_scores_or_awards(w: World) -> None:
    """评价与成果: the demo's records are the demo school's; the second school's clerk gets his
    own (empty) view on the page and the API, and cannot record for the demo school."""
    second = client_for(get_user_model().objects.get(username="clerk2"))
    page = second.get(reverse("achievements:overview", args=[w.plan.pk])).content.decode()
    assert "智能制造专业群" not in page and w.school.name not in page
    api = f"{API_PREFIX}/plans/{w.plan.pk}"
    tallies = second.get(f"{api}/achievements").json()
    assert tallies and all(t["count"] == 0 and not t["excluded"] for t in tallies)
    assert second.get(f"{api}/school-evaluations").json() == []
    assert second.get(f"{api}/competitions").json() == {"awards": [], "summaries": []}
    own = client_for(w.users["school"]).get(f"{api}/school-evaluations").json()
    assert {row["school"] for row in own} == {w.school.name}
    before = database_state()
    data = {"school": w.school.pk, "kind": "provincial_online_course", "name": "x"}
    assert second.post(reverse("achievements:record", args=[w.plan.pk]), data).status_code == 404
    assert changed(before, database_state()) == []


def test_a_school_clerk_sees_no_other_schools_teachers_and_cannot_write_for_them(
    w: World,
) -> None:
    """师资队伍: the demo roster is the demo school's; the second school's clerk sees only his
    own (empty) school on the page and the API, and cannot write for the demo school."""
    second = client_for(get_user_model().objects.get(username="clerk2"))
    page = second.get(reverse("teachers:overview", args=[w.plan.pk])).content.decode()
    assert "演示教师205" not in page and w.school.name not in page
    api = f"{API_PREFIX}/plans/{w.plan.pk}"
    assert second.get(f"{api}/teacher-roster").json() == []
    checks = second.get(f"{api}/teachers?year=2021").json()
    assert w.school.name not in {row["school"] for row in checks["schools"]}
    assert checks["feed"] == []
    own = client_for(w.users["school"]).get(f"{api}/teacher-roster").json()
    assert own and {row["school"] for row in own} == {w.school.name}
    before = database_state()
    teacher = _demo_teacher(w)
    posts = [
        ("teachers:record", {"school": w.school.pk, "name": "x", "hired_on": "2021-01-01"}),
        ("teachers:quota", {"school": w.school.pk, "year": "2021", "quota": "1", "source": "x"}),
        ("teachers:honour", {"teacher": teacher.pk, "kind": "studio", "level": "区级"}),
    ]
    for name, data in posts:
        assert second.post(reverse(name, args=[w.plan.pk]), data).status_code == 404
    edit = reverse("teachers:edit", args=[w.plan.pk, teacher.pk])
    assert second.get(edit).status_code == 404
    assert second.post(edit, {"name": "x", "hired_on": "2021-01-01"}).status_code == 404
    second.post(reverse("teachers:feed", args=[w.plan.pk]), {"year": "2021"})
    assert changed(before, database_state()) == []


def test_the_portal_shows_no_plan_that_is_not_public(w: World) -> None:
    Plan.objects.filter(pk=w.plan.pk).update(public=False)
    anonymous = Client()
    url = reverse("portal:plan", args=[w.plan.pk])
    _not_found_like_a_missing_one(anonymous, url, reverse("portal:plan", args=[MISSING]))
    assert anonymous.get(f"{API_PREFIX}/public/plans/{w.plan.pk}").status_code == 404
    assert w.plan.title not in anonymous.get(reverse("portal:home")).content.decode()


def test_the_modules_files_stay_in_a_temporary_data_folder(
    w: World, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Evidence and published reports of this module never land in the real data folder."""
    path = evidence.path_of(w.evidence)
    assert path.is_file() and path.is_relative_to(tmp_path_factory.getbasetemp())
