"""The REST API under /api/v1/: who gets in, what each persona sees, and what it costs."""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client, RequestFactory
from ninja.errors import HttpError

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.models import ApiToken
from gaodi.accounts.services import create_member, issue_token
from gaodi.api.auth import BrowserSession
from gaodi.api.docs import ASSETS
from gaodi.credits import recognition
from gaodi.credits.demo import ISSUER, demo_id_number, seed_schemes
from gaodi.credits.models import Learner, OutcomeUnit
from gaodi.credits.services import (
    OutcomeInput,
    issue_credential,
    record_outcome,
    register_learner,
    take_step,
)
from gaodi.indicators.models import DataValue
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_org_unit, ensure_reference_tree, upsert_department
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.supervision.models import Cycle, ProgressReport, Schedule

pytestmark = pytest.mark.django_db

API = "/api/v1"
DRAFT = parse_path(example_plan_path())  # parsing is pure: once per module is enough
ANY_NEGATIVE = "专任教师数（中职学校生师比）：数量不能为负数"
PERSONAS = ("admin", "leader", "liaison", "inspector", "other_liaison", "anonymous")


@dataclass
class Cast:
    """The reference plan of 茌平区, and who looks at it."""

    plan: Plan
    county: OrgUnit
    other_county: OrgUnit
    education: Department
    other_finance: Department
    users: dict[str, AbstractBaseUser]

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client

    def get(self, persona: str, path: str, **params: Any) -> Any:
        return self.client(persona).get(API + path, params)

    def hide_plan(self) -> None:
        """The reference plan says 此件公开发布; scoping is only visible on a plan that does not."""
        Plan.objects.filter(pk=self.plan.pk).update(public=False)


@pytest.fixture
def cast() -> Cast:
    county = ensure_reference_tree(actor=None)
    plan = import_plan(copy.deepcopy(DRAFT), actor=None)
    # No service creates org units yet (ensure_reference_tree makes the reference three).
    other_county = OrgUnit.objects.create(
        code="371502", name="东昌府区", kind=OrgKind.COUNTY, parent=county.parent
    )
    other_finance = upsert_department(other_county, "区财政局", [], False)
    education = Department.objects.get(org_unit=county, name="区教育和体育局")

    def member(username: str, role: str, **scope: Any) -> AbstractBaseUser:
        return create_member(username, "pw", role=role, actor=None, **scope)

    users = {
        "admin": member("admin", Role.ADMIN, org_unit=county),
        "leader": member("leader", Role.LEADER, org_unit=county),
        "liaison": member("liaison", Role.DEPARTMENT, department=education),
        "inspector": member(
            "inspector",
            Role.INSPECTOR,
            org_unit=county,
            inspector_scope=InspectorScope.INSPECTION,
        ),
        "other_liaison": member("other_liaison", Role.DEPARTMENT, department=other_finance),
    }
    return Cast(plan, county, other_county, education, other_finance, users)


def task_numbered(cast: Cast, number: int) -> int:
    return cast.plan.tasks.get(number=number).pk


def numbers(items: list[dict[str, Any]]) -> list[int]:
    return [item["number"] for item in items]


# --- signing in ---------------------------------------------------------------------------


def test_an_anonymous_caller_gets_401_with_a_chinese_reason(cast: Cast) -> None:
    response = cast.get("anonymous", "/plans")
    assert response.status_code == 401
    assert "未登录" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_anybody_reads_the_public_plans_without_signing_in(cast: Cast) -> None:
    listing = cast.get("anonymous", "/public/plans").json()
    assert listing["count"] == 1
    assert listing["items"][0]["doc_number"] == "聊茌政发〔2020〕19号"
    detail = cast.get("anonymous", f"/public/plans/{cast.plan.pk}")
    assert detail.status_code == 200
    assert [s["title"] for s in detail.json()["sections"]] == ["重点任务", "保障措施"]


def test_a_plan_that_is_not_public_is_on_no_public_endpoint_even_for_its_admin(
    cast: Cast,
) -> None:
    cast.hide_plan()
    for persona in ("anonymous", "admin"):
        assert cast.get(persona, "/public/plans").json() == {"items": [], "count": 0}
        assert cast.get(persona, f"/public/plans/{cast.plan.pk}").status_code == 404
    assert cast.get("admin", f"/plans/{cast.plan.pk}").status_code == 200


def test_a_bearer_token_signs_a_machine_in(cast: Cast) -> None:
    key = issue_token(cast.users["admin"], "数据中台", actor=None)
    response = Client().get(API + "/plans", HTTP_AUTHORIZATION="Bearer " + key)
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_an_unknown_or_revoked_token_gets_401(cast: Cast) -> None:
    key = issue_token(cast.users["admin"], "数据中台", actor=None)
    assert Client().get(API + "/plans", HTTP_AUTHORIZATION="Bearer gd_nonsense").status_code == 401
    ApiToken.objects.update(revoked=True)  # no revoke_token service yet
    response = Client().get(API + "/plans", HTTP_AUTHORIZATION="Bearer " + key)
    assert response.status_code == 401
    assert "令牌" in response.json()["detail"]


def test_a_session_without_its_csrf_token_cannot_write() -> None:
    request = RequestFactory().post(API + "/plans")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    with pytest.raises(HttpError) as refused:
        BrowserSession()(request)
    assert refused.value.status_code == 403 and "CSRF" in str(refused.value)


# --- what the plan says --------------------------------------------------------------------


def test_task_fourteen_is_led_by_the_education_bureau_with_its_target_exact(cast: Cast) -> None:
    items = cast.get("admin", f"/plans/{cast.plan.pk}/tasks").json()["items"]
    assert len(items) == 23
    [task] = [item for item in items if item["number"] == 14]
    assert [d["name"] for d in task["lead_departments"]] == ["区教育和体育局"]
    assert [d["name"] for d in task["coop_departments"]] == ["区人力资源和社会保障局", "区财政局"]
    assert task["deadlines"] == [{"date": "2022-12-31", "phrase": "2022年"}]
    [target] = task["targets"]
    assert (target["value"], target["unit"], target["comparator"], target["year"]) == (
        "70",
        "%",
        ">=",
        2022,
    )
    assert target["clause"] == "重点任务（十四）"


def test_tasks_filter_by_department_and_role(cast: Cast) -> None:
    path = f"/plans/{cast.plan.pk}/tasks"
    led = cast.get("admin", path, department=cast.education.pk, role="lead").json()["items"]
    assert 14 in numbers(led) and len(led) < 23
    assert all("区教育和体育局" in [d["name"] for d in t["lead_departments"]] for t in led)
    supported = cast.get("admin", path, department=cast.education.pk, role="coop").json()
    assert supported["count"] > 0
    assert all(
        "区教育和体育局" in [d["name"] for d in t["coop_departments"]] for t in supported["items"]
    )
    either = cast.get("admin", path, department=cast.education.pk).json()["count"]
    assert either >= len(led) and either >= supported["count"]
    assert cast.get("admin", path, role="boss").status_code == 422


def test_tasks_filter_by_section_and_deadline(cast: Cast) -> None:
    path = f"/plans/{cast.plan.pk}/tasks"
    safeguards = cast.plan.sections.get(title="保障措施")
    in_section = cast.get("admin", path, section=safeguards.pk).json()["items"]
    assert in_section and {t["section"]["title"] for t in in_section} == {"保障措施"}
    due = cast.get("admin", path, due_before="2020-06-30").json()["items"]
    assert numbers(due) == [3, 15, 16]  # the three things due by the end of June 2020


def test_a_task_page_has_its_text_its_task_list_rows_and_its_parameters(cast: Cast) -> None:
    task = cast.get("admin", f"/tasks/{task_numbered(cast, 14)}").json()
    assert "双师型" in task["text"]
    assert [row["seq"] for row in task["list_items"]] == [28, 29, 30]
    training = cast.get("admin", f"/tasks/{task_numbered(cast, 7)}").json()
    assert {"phrase": "培训量按25%", "value": "25"}.items() <= training["parameters"][0].items()


def test_a_department_page_lists_the_tasks_it_leads_and_supports(cast: Cast) -> None:
    page = cast.get("liaison", f"/departments/{cast.education.pk}").json()
    assert page["name"] == "区教育和体育局" and "区教体局" in page["aliases"]
    assert 14 in numbers(page["lead_tasks"])
    assert all(t["plan_version"] == 1 for t in page["lead_tasks"] + page["coop_tasks"])


def test_departments_and_org_units_are_those_of_the_callers_places(cast: Cast) -> None:
    county_departments = cast.get("liaison", "/departments", limit=500).json()
    assert county_departments["count"] == Department.objects.filter(org_unit=cast.county).count()
    assert cast.get("liaison", "/departments", org_unit=cast.other_county.pk).json()["count"] == 0
    units = cast.get("liaison", "/org-units").json()["items"]
    assert [(u["name"], u["parent"]["name"]) for u in units] == [("茌平区", "聊城市")]


def test_a_city_admin_sees_both_counties_and_can_filter_departments_by_one(cast: Cast) -> None:
    city = create_member("city", "pw", role=Role.ADMIN, org_unit=cast.county.parent, actor=None)
    client = Client()
    client.force_login(city)
    units = client.get(API + "/org-units").json()["items"]
    assert {u["name"] for u in units} == {"聊城市", "茌平区", "东昌府区"}
    other = client.get(API + "/departments", {"org_unit": cast.other_county.pk}).json()
    assert [d["name"] for d in other["items"]] == ["区财政局"]


# --- what each persona may see -------------------------------------------------------------


def test_a_liaison_of_another_county_sees_nothing_of_a_plan_that_is_not_public(
    cast: Cast,
) -> None:
    cast.hide_plan()
    plan, task = cast.plan.pk, task_numbered(cast, 14)
    assert cast.get("other_liaison", "/plans").json() == {"items": [], "count": 0}
    missing = cast.get("other_liaison", "/plans/999999")
    for path in (f"/plans/{plan}", f"/plans/{plan}/tasks", f"/tasks/{task}"):
        hidden = cast.get("other_liaison", path)
        # "not yours" and "missing" look the same
        assert (hidden.status_code, hidden.json()) == (404, missing.json())
    assert cast.get("other_liaison", f"/departments/{cast.education.pk}").status_code == 404
    departments = cast.get("other_liaison", "/departments").json()["items"]
    assert [d["name"] for d in departments] == ["区财政局"]
    units = cast.get("other_liaison", "/org-units").json()["items"]
    assert [u["name"] for u in units] == ["东昌府区"]


def test_a_public_plan_is_readable_by_a_liaison_of_another_county(cast: Cast) -> None:
    assert cast.get("other_liaison", "/plans").json()["count"] == 1
    assert cast.get("other_liaison", f"/plans/{cast.plan.pk}/tasks").status_code == 200
    # but not its findings, nor the departments of a county that is not his
    assert cast.get("other_liaison", f"/plans/{cast.plan.pk}/findings").status_code == 404
    assert cast.get("other_liaison", f"/departments/{cast.education.pk}").status_code == 404


@pytest.mark.parametrize("persona", ["admin", "leader", "inspector"])
def test_findings_are_listed_for_the_work_team_leaders_and_inspectors(
    cast: Cast, persona: str
) -> None:
    findings = cast.get(persona, f"/plans/{cast.plan.pk}/findings", limit=500).json()
    assert findings["count"] == cast.plan.findings.count() > 0
    assert any(f["code"] == "target-conflict" for f in findings["items"])


def test_findings_are_404_for_a_department_liaison(cast: Cast) -> None:
    response = cast.get("liaison", f"/plans/{cast.plan.pk}/findings")
    assert response.status_code == 404
    assert response.json()["detail"] == "未找到，或无权查看"


def credit_learner(cast: Cast) -> int:
    """A learner of a school of the county (学分银行), made once."""
    found = Learner.objects.filter(source="api-test").first()
    if found is None:
        school = ensure_org_unit("371503-S01", "职教中心", OrgKind.SCHOOL, cast.county, actor=None)
        number = demo_id_number("20040101", 1)
        found = register_learner(school, "学习者", number, source="api-test", actor=None)
        # a recognised, signed certificate: a transcript lists signed credentials only
        seed_schemes()
        unit = OutcomeUnit.objects.get(code="web-front-end")
        given = OutcomeInput(unit, "初级", "API-1", ISSUER, dt.date(2020, 12, 20))
        outcome = record_outcome(found, given, source="api-test", actor=None)
        clerk, team = cast.users["liaison"], cast.users["admin"]
        take_step(outcome.case, recognition.CHECK, role="school", actor=clerk)
        take_step(outcome.case, recognition.REVIEW, role="school", reason="核对", actor=clerk)
        take_step(
            outcome.case,
            recognition.DECIDE,
            role="admin",
            outcome=recognition.RECOGNISED,
            reason="发证机构在名单中",
            actor=team,
        )
        issue_credential(outcome, actor=team)
    return found.pk


def dispatch_round(cast: Cast) -> Cycle:
    """A 调度 round of the plan (2021年第1期), made once."""
    schedule, _made = Schedule.objects.get_or_create(
        plan=cast.plan,
        kind="dispatch",
        scope=InspectorScope.DISPATCH,
        defaults={"frequency": "bimonthly", "starts_on": dt.date(2021, 1, 1)},
    )
    cycle, _made = Cycle.objects.get_or_create(
        schedule=schedule,
        period="2021-01",
        defaults={
            "starts_on": dt.date(2021, 1, 1),
            "ends_on": dt.date(2021, 2, 28),
            "due_on": dt.date(2021, 3, 5),
            "opened_at": dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
        },
    )
    return cycle


def routes(cast: Cast) -> dict[str, str]:
    """Every route, as OpenAPI names it, with a real address to call."""
    plan, task = cast.plan.pk, task_numbered(cast, 14)
    return {
        "/api/v1/plans": "/plans",
        "/api/v1/plans/{plan_id}": f"/plans/{plan}",
        "/api/v1/plans/{plan_id}/tasks": f"/plans/{plan}/tasks",
        "/api/v1/plans/{plan_id}/findings": f"/plans/{plan}/findings",
        "/api/v1/tasks/{task_id}": f"/tasks/{task}",
        "/api/v1/departments": "/departments",
        "/api/v1/departments/{department_id}": f"/departments/{cast.education.pk}",
        "/api/v1/org-units": "/org-units",
        "/api/v1/plans/{plan_id}/indicators": f"/plans/{plan}/indicators",
        "/api/v1/plans/{plan_id}/values": f"/plans/{plan}/values?unit={cast.county.pk}&period=2021",
        "/api/v1/plans/{plan_id}/rollup": (
            f"/plans/{plan}/rollup?unit={cast.county.pk}&period=2021&indicator=i037"
        ),
        "/api/v1/plans/{plan_id}/specialty-warnings": f"/plans/{plan}/specialty-warnings",
        "/api/v1/plans/{plan_id}/supply-demand": f"/plans/{plan}/supply-demand",
        "/api/v1/plans/{plan_id}/specialty-alignment": f"/plans/{plan}/specialty-alignment",
        "/api/v1/plans/{plan_id}/specialty-offerings": f"/plans/{plan}/specialty-offerings",
        "/api/v1/plans/{plan_id}/specialty-rule-sets": f"/plans/{plan}/specialty-rule-sets",
        "/api/v1/plans/{plan_id}/specialty-catalogue": f"/plans/{plan}/specialty-catalogue",
        "/api/v1/plans/{plan_id}/supply-demand/bulletins": (
            f"/plans/{plan}/supply-demand/bulletins"
        ),
        "/api/v1/plans/{plan_id}/achievements": f"/plans/{plan}/achievements",
        "/api/v1/plans/{plan_id}/school-evaluations": f"/plans/{plan}/school-evaluations",
        "/api/v1/plans/{plan_id}/competitions": f"/plans/{plan}/competitions",
        "/api/v1/plans/{plan_id}/teachers": f"/plans/{plan}/teachers",
        "/api/v1/plans/{plan_id}/teacher-roster": f"/plans/{plan}/teacher-roster",
        "/api/v1/plans/{plan_id}/enterprises": f"/plans/{plan}/enterprises",
        "/api/v1/plans/{plan_id}/enterprise-credits": f"/plans/{plan}/enterprise-credits",
        "/api/v1/plans/{plan_id}/social-training": f"/plans/{plan}/social-training",
        "/api/v1/plans/{plan_id}/training-volume": f"/plans/{plan}/training-volume",
        "/api/v1/plans/{plan_id}/performance-pay": f"/plans/{plan}/performance-pay",
        "/api/v1/plans/{plan_id}/funding": f"/plans/{plan}/funding",
        "/api/v1/plans/{plan_id}/credit-counts": f"/plans/{plan}/credit-counts",
        "/api/v1/plans/{plan_id}/exam-pass-rates": f"/plans/{plan}/exam-pass-rates",
        "/api/v1/learners/{learner_id}/transcript": f"/learners/{credit_learner(cast)}/transcript",
        "/api/v1/cycles/{cycle_id}/progress": f"/cycles/{dispatch_round(cast).pk}/progress",
        "/api/v1/public/plans": "/public/plans",
        "/api/v1/public/plans/{plan_id}": f"/public/plans/{plan}",
    }


# Status per persona, in PERSONAS order, on the reference plan made non-public.
# (admin, leader, liaison, inspector, other_liaison, anonymous)
MATRIX = {
    "/api/v1/plans": (200, 200, 200, 200, 200, 401),
    "/api/v1/plans/{plan_id}": (200, 200, 200, 200, 404, 401),
    "/api/v1/plans/{plan_id}/tasks": (200, 200, 200, 200, 404, 401),
    "/api/v1/plans/{plan_id}/findings": (200, 200, 404, 200, 404, 401),
    "/api/v1/tasks/{task_id}": (200, 200, 200, 200, 404, 401),
    "/api/v1/departments": (200, 200, 200, 200, 200, 401),
    "/api/v1/departments/{department_id}": (200, 200, 200, 200, 404, 401),
    "/api/v1/org-units": (200, 200, 200, 200, 200, 401),
    "/api/v1/plans/{plan_id}/indicators": (200, 200, 200, 200, 404, 401),
    "/api/v1/plans/{plan_id}/values": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/rollup": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/specialty-warnings": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/supply-demand": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/specialty-alignment": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/specialty-offerings": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/specialty-rule-sets": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/specialty-catalogue": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/supply-demand/bulletins": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/achievements": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/school-evaluations": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/competitions": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/teachers": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/teacher-roster": (200, 200, 404, 200, 404, 401),
    # 产教融合型企业: every member of the place (a department's liaison too), not another county
    "/api/v1/plans/{plan_id}/enterprises": (200, 200, 200, 200, 404, 401),
    "/api/v1/plans/{plan_id}/enterprise-credits": (200, 200, 200, 200, 404, 401),
    "/api/v1/plans/{plan_id}/social-training": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/training-volume": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/performance-pay": (200, 200, 404, 200, 404, 401),
    # the liaison is 区教育和体育局's, which cooperates on （一） but does not lead it
    "/api/v1/plans/{plan_id}/funding": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/credit-counts": (200, 200, 404, 200, 404, 401),
    "/api/v1/plans/{plan_id}/exam-pass-rates": (200, 200, 404, 200, 404, 401),
    "/api/v1/learners/{learner_id}/transcript": (200, 200, 404, 200, 404, 401),
    # scoped: the liaison gets his department's reports (none yet), never a refusal
    "/api/v1/cycles/{cycle_id}/progress": (200, 200, 200, 200, 404, 401),
    "/api/v1/public/plans": (200, 200, 200, 200, 200, 200),
    "/api/v1/public/plans/{plan_id}": (404, 404, 404, 404, 404, 404),
}


def test_every_route_is_in_the_permission_matrix_and_each_persona_gets_its_status(
    cast: Cast,
) -> None:
    documented = set(Client().get(API + "/openapi.json").json()["paths"])
    assert documented == set(MATRIX) == set(routes(cast))
    cast.hide_plan()
    clients = {persona: cast.client(persona) for persona in PERSONAS}
    found = {
        route: tuple(clients[p].get(API + path).status_code for p in PERSONAS)
        for route, path in routes(cast).items()
    }
    assert found == MATRIX


def test_the_openapi_document_describes_every_route_in_chinese(cast: Cast) -> None:
    document = Client().get(API + "/openapi.json").json()
    assert document["info"]["title"] == "高地 Gaodi API"
    operations = [op for path in document["paths"].values() for op in path.values()]
    writes = {  # GET is in MATRIX; POST tested below
        "/api/v1/plans/{plan_id}/values",
        "/api/v1/cycles/{cycle_id}/progress",
    }
    assert len(operations) == len(MATRIX) + len(writes)
    assert all("post" in document["paths"][path] for path in writes)
    assert all(re.search(r"[\u4e00-\u9fff]", op["summary"]) for op in operations)
    schemes = document["components"]["securitySchemes"]
    assert schemes["BearerToken"]["scheme"] == "bearer"
    task = document["components"]["schemas"]["TaskOut"]["properties"]
    assert task["lead_departments"]["description"] == "牵头单位"


# --- the docs page works on an intranet ----------------------------------------------------


def test_the_docs_page_loads_nothing_from_another_host() -> None:
    response = Client().get(API + "/docs")
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r"""\b(?:src|href)\s*=\s*["']([^"']*)["']""", html)
    assert len(addresses) >= 4  # stylesheet, two icons, two scripts
    assert not [a for a in addresses if re.match(r"(?i)(https?:)?//", a)]
    assert all(a.startswith(API + "/docs/assets/") for a in addresses)
    assert '"validatorUrl": null' in html  # no call to validator.swagger.io either
    client = Client()
    for address in addresses:
        served = client.get(address)
        assert served.status_code == 200, address
        assert b"".join(served.streaming_content)


def test_only_the_bundled_swagger_files_are_served_as_docs_assets() -> None:
    assert "swagger-ui-bundle.js" in ASSETS
    for name in ("site.py", "..%2F..%2Fsettings.py", "swagger.html"):
        assert Client().get(API + "/docs/assets/" + name).status_code == 404


# --- it stays cheap ------------------------------------------------------------------------


def test_list_endpoints_cost_a_fixed_number_of_queries(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    import_plan(copy.deepcopy(DRAFT), actor=None)  # a second version: more rows, same cost
    client = cast.client("admin")
    plan = cast.plan.pk
    budgets = {
        # session, user, memberships, places, places above (a school reads its county's
        # plan: one recursive query), count, page
        "/plans": 7,
        f"/plans/{plan}/tasks": 10,  # + plan, tasks, assignments, deadlines, targets
        f"/plans/{plan}/findings": 7,
        "/departments": 6,
        "/org-units": 6,
        "/public/plans": 2,
    }
    for path, budget in budgets.items():
        with django_assert_max_num_queries(budget):
            assert client.get(API + path, {"limit": 100}).status_code == 200


def test_a_machine_listing_tasks_costs_no_more_than_a_browser(
    cast: Cast, django_assert_max_num_queries: Any
) -> None:
    key = issue_token(cast.users["admin"], "数据中台", actor=None)
    # token+user, memberships, places, places above, plan, 4 parts
    with django_assert_max_num_queries(9):
        response = Client().get(
            f"{API}/plans/{cast.plan.pk}/tasks", HTTP_AUTHORIZATION="Bearer " + key
        )
    assert len(response.json()["items"]) == 23


def test_dates_come_out_as_iso_dates(cast: Cast) -> None:
    summary = cast.get("admin", "/plans").json()["items"][0]
    assert dt.date.fromisoformat(summary["issue_date"]) == dt.date(2020, 7, 2)
    assert (summary["task_count"], summary["task_list_count"]) == (23, 41)


# --- indicators ---------------------------------------------------------------------------


def test_the_registry_carries_the_targets_as_exact_strings(cast: Cast) -> None:
    found = {i["code"]: i for i in cast.get("admin", f"/plans/{cast.plan.pk}/indicators").json()}
    dual = found["i039"]
    assert dual["formula"] == "i039n / i039d * 100"
    assert {t["year"]: t["value"] for t in dual["targets"]}[2022] == "95.4"


def test_values_are_written_with_the_forms_checks_and_read_back_with_ratios(
    cast: Cast, settings: Any
) -> None:
    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    school = OrgUnit.objects.create(
        code="371503-S01", name="职教中心", kind=OrgKind.SCHOOL, parent=cast.county
    )
    body = {"unit": school.pk, "period": "2021", "data_set": "ds3"}
    admin = cast.client("admin")
    url = f"{API}/plans/{cast.plan.pk}/values"
    refused = admin.post(
        url, {**body, "values": {"i037n": "4888", "i037d": "-1"}}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json()["problems"][0] == {"code": "i037d", "message": ANY_NEGATIVE}
    assert not DataValue.objects.exists()
    stored = admin.post(
        url, {**body, "values": {"i037n": "4888", "i037d": "252"}}, content_type="application/json"
    )
    assert stored.status_code == 200 and stored.json()["stored"] == 2
    read = cast.get("admin", f"/plans/{cast.plan.pk}/values", unit=school.pk, period="2021")
    values = {v["code"]: v["value"] for v in read.json()["values"]}
    assert values["i037n"] == "4888" and values["i037"].startswith("19.396825")
    rolled = cast.get(
        "leader",
        f"/plans/{cast.plan.pk}/rollup",
        unit=cast.county.pk,
        period="2021",
        indicator="i037",
    ).json()
    assert rolled == [{"unit": school.pk, "name": "职教中心", "value": values["i037"]}]
    liaison = cast.client("liaison").post(
        url, {**body, "values": {"i037n": "1"}}, content_type="application/json"
    )
    assert liaison.status_code == 404
    assert (
        Client().post(url, {**body, "values": {}}, content_type="application/json").status_code
        == 401
    )


def test_reading_values_costs_a_fixed_number_of_queries_however_many_ratios(
    cast: Cast, settings: Any, django_assert_max_num_queries: Any
) -> None:
    """No query per formula indicator (one per ratio and per part before: 46 queries): the
    unit's reported values are read once and every ratio computed from them."""
    from gaodi.indicators.models import Indicator

    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    school = OrgUnit.objects.create(
        code="371503-S01", name="职教中心", kind=OrgKind.SCHOOL, parent=cast.county
    )
    admin = cast.client("admin")
    url = f"{API}/plans/{cast.plan.pk}/values"
    body = {"unit": school.pk, "period": "2021", "data_set": "ds3"}
    values = {"i037n": "4888", "i037d": "252"}
    stored = admin.post(url, {**body, "values": values}, content_type="application/json")
    assert stored.status_code == 200
    assert Indicator.objects.filter(plan=cast.plan).exclude(formula="").count() >= 5
    # session, user, memberships, places, plan, unit, indicators, formulas, reported values;
    # with a data set, + the data set and its submission
    for query, budget in (({}, 11), ({"data_set": "ds3"}, 13)):
        with django_assert_max_num_queries(budget):
            read = admin.get(url, {"unit": school.pk, "period": "2021", **query})
        found = {v["code"]: v for v in read.json()["values"]}
        assert found["i037"]["value"].startswith("19.396825") and found["i037"]["derived"]
        assert found["i037n"]["value"] == "4888" and found["i039"]["value"] is None


def test_writing_a_schools_form_costs_the_same_queries_for_2_values_as_for_all_of_them(
    cast: Cast, settings: Any
) -> None:
    """No query per value (the rush: 11,000 forms of 60 values): a first save and a second
    save of a form each cost a fixed number of queries, whatever the number of values."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gaodi.indicators.models import DataSet

    settings.GAODI_TODAY = dt.date(2021, 6, 30)
    data_set = DataSet.objects.get(plan=cast.plan, code="ds3")
    base = list(
        data_set.indicators.filter(formula="").order_by("order").values_list("code", flat=True)
    )
    admin = cast.client("admin")
    url = f"{API}/plans/{cast.plan.pk}/values"
    counts = []
    for n, codes in enumerate([base[:2], base]):
        school = OrgUnit.objects.create(
            code=f"371503-Q{n}", name=f"学校{n}", kind=OrgKind.SCHOOL, parent=cast.county
        )
        body = {"unit": school.pk, "period": "2021", "data_set": "ds3"}
        for value in ("0", "1"):  # a first save, then a second one changing every value
            with CaptureQueriesContext(connection) as queries:
                answer = admin.post(
                    url,
                    {**body, "values": dict.fromkeys(codes, value)},
                    content_type="application/json",
                )
            assert answer.status_code == 200 and answer.json()["stored"] == len(codes)
            counts.append(len(queries.captured_queries))
    assert len(base) >= 10
    assert counts[:2] == counts[2:]  # 2 values or 12: the same queries
    # 22 before the submission was read once (SQLite); then 20, plus the school's root
    # (province), read once so that every read and write of the form names it
    # (docs/scaling.md), plus the roll-up's live totals (indicators/totals.py): one statement
    # on SQLite, two on PostgreSQL (the unit locked first).
    assert max(counts) <= 23


def test_a_liaison_writes_a_progress_report_once_even_when_the_request_is_sent_again(
    cast: Cast,
) -> None:
    from gaodi.plans.models import Assignment

    cycle = dispatch_round(cast)
    task = Assignment.objects.filter(department=cast.education, task__plan=cast.plan).first().task
    url = f"{API}/cycles/{cycle.pk}/progress"
    body = {
        "task": task.pk,
        "department": cast.education.pk,
        "progress": "ongoing",
        "narrative": "已召开推进会",
        "percent": 40,
        "revision": "0.0",
        "submit": True,
    }
    liaison = cast.client("liaison")
    refused = liaison.post(url, {**body, "narrative": " "}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["problems"] == ["请填写进展情况"]
    assert not ProgressReport.objects.exists()
    first = liaison.post(url, body, content_type="application/json")
    assert first.status_code == 200, first.content
    assert first.json()["status"] == "submitted" and first.json()["version"] == 1
    again = liaison.post(url, body, content_type="application/json")  # a retry: stored already
    assert again.status_code == 200 and again.json()["report"] == first.json()["report"]
    assert ProgressReport.objects.filter(cycle=cycle, task=task).count() == 1
    changed = liaison.post(url, {**body, "percent": 50}, content_type="application/json")
    assert changed.status_code == 409 and "已在另一个窗口修改" in changed.json()["detail"]
    newer = {**body, "percent": 50, "revision": first.json()["revision"]}
    assert liaison.post(url, newer, content_type="application/json").json()["version"] == 2
    listed = cast.get("liaison", f"/cycles/{cycle.pk}/progress").json()
    assert [(r["version"], r["percent"]) for r in listed] == [(2, 50)]
    other = cast.client("other_liaison").post(
        url, {**body, "department": cast.other_finance.pk}, content_type="application/json"
    )
    assert other.status_code == 404
    assert cast.client("admin").post(url, body, content_type="application/json").status_code == 404
    assert ProgressReport.objects.filter(cycle=cycle, task=task).count() == 2


def test_every_schema_has_its_own_name() -> None:
    """django-ninja files schemas under their class name in the OpenAPI components: two
    modules with a `TargetOut` each would document one endpoint with the other's shape."""
    from ninja import Schema

    import gaodi.api.site  # noqa: F401  (imports every router and its schemas)

    def subclasses(cls: type) -> list[type]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    ours = [s for s in subclasses(Schema) if s.__module__.startswith("gaodi.")]
    names = [s.__name__ for s in ours]
    assert sorted({n for n in names if names.count(n) > 1}) == []
