"""督查 and 整改: the finding's light (pure), recording an inspection, rectification, 整改销号."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.indicators.attainment import Colour
from gaodi.orgs.models import Department
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Plan, Task
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.supervision import inspections as services
from gaodi.supervision.inspection_light import FindingFacts, finding_light
from gaodi.supervision.models import Inspection, InspectionFinding, Notification

EDUCATION = "区教育和体育局"
FINANCE = "区财政局"
DAY = dt.date(2021, 6, 30)
DEADLINE = dt.date(2021, 6, 20)


# The light (pure) -----------------------------------------------------------------------


def test_an_open_finding_past_its_deadline_is_red() -> None:
    colour, reason = finding_light(FindingFacts("open", DEADLINE), DAY)
    assert colour == Colour.RED and "10 天" in reason


def test_a_reported_finding_past_its_deadline_is_still_red_until_closed() -> None:
    assert finding_light(FindingFacts("reported", DEADLINE), DAY)[0] == Colour.RED


def test_a_reported_finding_within_time_is_amber() -> None:
    colour, reason = finding_light(FindingFacts("reported", dt.date(2021, 9, 30)), DAY)
    assert colour == Colour.AMBER and "待督查室销号" in reason


def test_an_open_finding_within_seven_days_of_its_deadline_is_amber() -> None:
    colour, reason = finding_light(FindingFacts("open", dt.date(2021, 7, 7)), DAY)
    assert colour == Colour.AMBER and "7 天" in reason
    assert finding_light(FindingFacts("open", DAY), DAY)[0] == Colour.AMBER


def test_an_open_finding_with_time_to_spare_is_green() -> None:
    assert finding_light(FindingFacts("open", dt.date(2021, 7, 8)), DAY)[0] == Colour.GREEN


def test_a_finding_closed_on_time_is_green() -> None:
    colour, reason = finding_light(FindingFacts("closed", DEADLINE, DEADLINE), DAY)
    assert colour == Colour.GREEN and reason == "已按期整改销号"


def test_a_finding_closed_late_is_green_with_a_note() -> None:
    colour, reason = finding_light(FindingFacts("closed", DEADLINE, dt.date(2021, 6, 25)), DAY)
    assert colour == Colour.GREEN and "逾期 5 天" in reason


# Fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def plan(settings) -> Plan:  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = DAY
    county = ensure_reference_tree(actor=None)
    imported = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    create_member("admin", "pw", role=Role.ADMIN, actor=None, org_unit=county)
    create_member("leader", "pw", role=Role.LEADER, actor=None, org_unit=county)
    for username, scope in (
        ("ducha", InspectorScope.INSPECTION),
        ("dudao", InspectorScope.DISPATCH),
    ):
        create_member(
            username, "pw", role=Role.INSPECTOR, actor=None, org_unit=county, inspector_scope=scope
        )
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


def education_task(plan: Plan) -> Task:
    """A task the education bureau leads and the finance bureau has no part in."""
    found = (
        plan.tasks.filter(
            assignments__department__name=EDUCATION, assignments__role=AssignmentRole.LEAD
        )
        .exclude(assignments__department__name=FINANCE)
        .order_by("order")
        .first()
    )
    assert found is not None
    return found


def records(obj: object, action: str) -> int:
    return ChangeRecord.objects.filter(
        object_type=obj._meta.label_lower,  # type: ignore[attr-defined]
        object_id=str(obj.pk),  # type: ignore[attr-defined]
        action=action,
    ).count()


def todo(username: str, prefix: str) -> int:
    return Notification.objects.filter(user__username=username, key__startswith=prefix).count()


def record_form(plan: Plan, department_name: str, deadline: str = "2021-09-30") -> dict[str, str]:
    return {
        "method": "regular",
        "held_on": "2021-06-28",
        "summary": "二季度定期督查",
        "task_1": str(education_task(plan).pk),
        "department_1": str(department(plan, department_name).pk),
        "deadline_1": deadline,
        "problem_1": "实训基地建设进度滞后",
    }


def one_finding(plan: Plan, deadline: dt.date = dt.date(2021, 9, 30)) -> InspectionFinding:
    inspection = services.record_inspection(
        plan,
        method="special",
        held_on=dt.date(2021, 6, 1),
        findings=[
            services.FindingSpec(
                education_task(plan), department(plan, EDUCATION), "师资未到位", deadline
            )
        ],
        actor=user("ducha"),
    )
    return inspection.findings.get()


# Recording --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_inspector_records_an_inspection_and_the_department_is_told(plan: Plan) -> None:
    url = f"/supervision/plans/{plan.pk}/inspections/"
    assert client("ducha").post(url, record_form(plan, EDUCATION)).status_code == 302
    inspection = Inspection.objects.get(plan=plan)
    finding = inspection.findings.get()
    assert inspection.method == "regular" and inspection.created_by == user("ducha")
    assert finding.department.name == EDUCATION and finding.status == "open"
    assert records(inspection, "create") == 1 and records(finding, "create") == 1
    assert todo("liaison", "inspection-finding:") == 1
    assert todo("finance", "inspection-finding:") == 0


@pytest.mark.django_db
def test_a_liaison_or_the_dispatch_inspector_cannot_record_an_inspection(plan: Plan) -> None:
    url = f"/supervision/plans/{plan.pk}/inspections/"
    assert client("liaison").post(url, record_form(plan, EDUCATION)).status_code == 404
    assert client("dudao").post(url, record_form(plan, EDUCATION)).status_code == 404
    assert client("leader").post(url, record_form(plan, EDUCATION)).status_code == 404
    assert not Inspection.objects.exists()
    with pytest.raises(services.Refused):
        services.record_inspection(
            plan, method="regular", held_on=DAY, findings=[], actor=user("liaison")
        )


@pytest.mark.django_db
def test_a_finding_for_a_department_not_on_the_task_is_refused(plan: Plan) -> None:
    url = f"/supervision/plans/{plan.pk}/inspections/"
    response = client("ducha").post(url, record_form(plan, FINANCE), follow=True)
    assert "区财政局不承担任务" in response.content.decode()
    assert not Inspection.objects.exists() and not InspectionFinding.objects.exists()
    assert todo("finance", "inspection-finding:") == 0


# Rectification and 整改销号 ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_department_rectifies_and_the_inspector_closes_the_finding(plan: Plan) -> None:
    finding = one_finding(plan)
    rectify = f"/supervision/findings/{finding.pk}/rectify/"
    form = {"rectification": "已招聘专任教师 12 人", "evidence": "招聘公告\n聘用名单"}
    assert client("finance").post(rectify, form).status_code == 404
    assert client("ducha").post(rectify, form).status_code == 404
    assert client("liaison").post(rectify, form).status_code == 302
    finding.refresh_from_db()
    assert finding.status == "reported" and finding.rectified_on == DAY
    assert "聘用名单" in finding.evidence
    assert records(finding, "rectify") == 1 and todo("ducha", "inspection-rectified:") == 1

    decide = f"/supervision/findings/{finding.pk}/decide/"
    assert client("liaison").post(decide, {"decision": "close"}).status_code == 404
    assert (
        client("ducha").post(decide, {"decision": "close", "note": "同意销号"}).status_code == 302
    )
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.closed_on == DAY
    assert finding.closed_by == user("ducha") and finding.close_note == "同意销号"
    assert records(finding, "close") == 1 and todo("liaison", "inspection-close:") == 1
    colour, reason = services.finding_light(services.facts_of(finding), DAY)
    assert colour == Colour.GREEN and reason == "已按期整改销号"


@pytest.mark.django_db
def test_the_inspector_sends_a_rectification_back_with_a_note(plan: Plan) -> None:
    finding = one_finding(plan)
    services.report_rectification(finding, rectification="已部署", actor=user("liaison"))
    decide = f"/supervision/findings/{finding.pk}/decide/"
    client("ducha").post(decide, {"decision": "return", "note": ""})
    finding.refresh_from_db()
    assert finding.status == "reported"  # a return needs a note
    client("ducha").post(decide, {"decision": "return", "note": "缺少聘用名单"})
    finding.refresh_from_db()
    assert finding.status == "open" and finding.close_note == "缺少聘用名单"
    assert records(finding, "return") == 1 and todo("liaison", "inspection-return:") == 1
    services.report_rectification(finding, rectification="已补充名单", actor=user("liaison"))
    assert todo("ducha", "inspection-rectified:") == 2  # the second report is a new 待办


# Lists and access -------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_overdue_open_finding_shows_red_on_the_list(plan: Plan) -> None:
    finding = one_finding(plan, deadline=DEADLINE)
    page = client("leader").get(f"/supervision/plans/{plan.pk}/inspections/").content.decode()
    assert 'class="tl tl-red"' in page and "超过整改时限 10 天未销号" in page
    assert "1 个问题超过整改时限未销号" in page and "师资未到位" in page
    assert "记录督查" not in page  # a leader reads, does not record
    detail = client("liaison").get(f"/supervision/inspections/{finding.inspection_id}/")
    assert detail.status_code == 200 and "报送整改情况" in detail.content.decode()


@pytest.mark.django_db
def test_a_liaison_sees_only_its_own_departments_findings(plan: Plan) -> None:
    finding = one_finding(plan)
    listing = client("finance").get(f"/supervision/plans/{plan.pk}/inspections/")
    assert listing.status_code == 200 and "师资未到位" not in listing.content.decode()
    assert (
        client("finance").get(f"/supervision/inspections/{finding.inspection_id}/").status_code
        == 404
    )
    own = client("liaison").get(f"/supervision/plans/{plan.pk}/inspections/").content.decode()
    assert "师资未到位" in own and "督查与整改" in own
    assert (
        client("dudao").get(f"/supervision/inspections/{finding.inspection_id}/").status_code == 200
    )
