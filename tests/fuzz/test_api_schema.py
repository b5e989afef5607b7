"""Schemathesis over the OpenAPI document of /api/v1/: every operation, with data generated
from the document itself, answered without a 5xx, with a status code the document declares,
its content type and a body that matches the declared schema.

The schema is loaded from the WSGI application (gaodi.wsgi.application) and every request
goes through the whole Django stack in-process, against the test database: with the bearer
token of the 工作专班 admin (random and real ids, valid and invalid data), with his browser
session (no CSRF token: a write is refused with 403) and with no credentials at all (401,
except under /public/). Each case runs in a transaction that is rolled back.

Found by it, and fixed in gaodi/api: an offset or a limit past 2^63, or such an id in the
department/section/org_unit filters, was a 500 (now 422, bounds in the document); 401 and
422 were in no operation's responses, 404 not in those of tasks, findings and indicators; a
body that is not JSON was answered in English in a shape the 400 schema did not allow; a POST
with no credentials at all was refused as a CSRF failure (403) instead of 401.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from pytest_django.plugin import DjangoDbBlocker
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member, issue_token
from gaodi.api.site import api
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan
from gaodi.today import DEMO_TODAY
from gaodi.wsgi import application

from .support import count, fuzz

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

OPENAPI = "/api/v1/openapi.json"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
DRAFT = parse_path(example_plan_path())
CODES = st.sampled_from(["i034", "i035", "i036", "i037n", "i037d", "i037", "i041", "x", ""])
VALUE_TEXT = st.one_of(
    st.integers(-10, 10**6).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1,000", " 12 ", "1e999", "1e-999", "NaN", "-0", "12%", "", "９"]),
    st.text(max_size=10),
)


# Every operation of the document, read without a request (the test loads it over WSGI).
ROUTES = [
    (method.upper(), path)
    for path, methods in api.get_openapi_schema(path_prefix="/api/v1/")["paths"].items()
    for method in methods
]


@dataclass
class World:
    """The reference plan, a school, and the admin with an API token."""

    admin: Any
    token: str
    ids: dict[str, int]  # real ids to put in paths and queries: plan_id, task_id, unit …
    session: str = ""  # the admin's browser session, signed in for each test


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[World]:
    """Made once for the module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        county = ensure_reference_tree(actor=None)
        plan = import_plan(copy.deepcopy(DRAFT), actor=None, org_unit=county)
        school = OrgUnit.objects.create(
            code="371503-S01", name="职教中心1", kind=OrgKind.SCHOOL, parent=county
        )
        admin = create_member("admin", "pw-123456", role=Role.ADMIN, actor=None, org_unit=county)
        ids = {
            "plan_id": plan.pk,
            "task_id": plan.tasks.order_by("pk").first().pk,
            "department_id": Department.objects.filter(org_unit=county).first().pk,
            "unit": school.pk,
        }
        yield World(admin, issue_token(admin, "模糊测试", actor=None), ids)
        transaction.set_rollback(True)


@pytest.fixture
def in_process(world: World, db: None, settings: Any) -> Iterator[World]:
    """Requests through the WSGI handler inside the test's transaction, as Django's own test
    client makes them (request_started would otherwise close the connection mid-test)."""
    settings.GAODI_TODAY = dt.date.fromisoformat(DEMO_TODAY)
    browser = Client()
    browser.force_login(world.admin)
    world.session = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield world
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def schema(in_process: World) -> Any:
    return schemathesis.openapi.from_wsgi(OPENAPI, application)


def run(strategy: Any, credentials: dict[str, Any], examples: int, who: str) -> None:
    @fuzz(examples)
    @given(case=strategy)
    def call(case: Any) -> None:
        with transaction.atomic():  # what a case writes through the API is undone after it
            response = case.call(**credentials)
            case.validate_response(response, checks=CHECKS)
            transaction.set_rollback(True)
        count("api", f"{who} {response.status_code}")

    call()


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_every_operation_answers_as_documented(
    schema: Any, in_process: World, method: str, path: str
) -> None:
    """Positive and negative data, random ids and real ones, with the admin's token and
    without any: no 5xx, a documented status code, its content type and a matching body."""
    operation = schema[path][method]
    bearer = {"headers": {"Authorization": f"Bearer {in_process.token}"}}
    session = {"cookies": {django_settings.SESSION_COOKIE_NAME: in_process.session}}
    real = {k: v for k, v in in_process.ids.items() if k in path}
    in_query = {k: v for k, v in in_process.ids.items() if k == "unit" and "/values" in path}
    for mode, fixed, credentials, examples, who in (
        (GenerationMode.POSITIVE, {}, bearer, 40, "token"),
        (GenerationMode.POSITIVE, real, bearer, 25, "token"),
        (GenerationMode.NEGATIVE, {}, bearer, 30, "token"),
        (GenerationMode.POSITIVE, real, session, 8, "session"),  # a POST: 403, no CSRF token
        (GenerationMode.POSITIVE, real, {}, 8, "anonymous"),
    ):
        if fixed is real and not real and not in_query and who == "token":
            continue  # no id to fix: the first run did the same
        query = in_query if fixed is real and method == "GET" else None
        strategy = operation.as_strategy(
            generation_mode=mode, path_parameters=fixed or None, query=query
        )
        run(strategy, credentials, examples, who)
    if method == "POST":  # values written for the real school, so that the checks run
        bodies = st.fixed_dictionaries(
            {
                "unit": st.just(in_process.ids["unit"]),
                "period": st.sampled_from(["2021", "2022", "2021Q3", "2035", "二〇二一", ""]),
                "data_set": st.sampled_from(["ds3", "ds1", "ds9", ""]),
                "values": st.dictionaries(CODES, VALUE_TEXT, max_size=6),
            }
        )
        strategy = bodies.flatmap(
            lambda body: operation.as_strategy(path_parameters=real, body=body)
        )
        run(strategy, bearer, 60, "token")
