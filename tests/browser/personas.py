"""The reference plan with one user per role, and signing a user in through the login page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from playwright.sync_api import Page

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

PASSWORD = "gaodi-browser-test"
EDUCATION_BUREAU = "区教育和体育局"
LOGIN_PATH = "/accounts/login/"


@dataclass(frozen=True)
class ReferencePlan:
    """聊茌政发〔2020〕19号 imported under 茌平区, and who works on it (all share PASSWORD)."""

    plan: Plan
    county: OrgUnit
    education_bureau: Department
    admin: AbstractBaseUser  # 工作专班, the whole county
    leader: AbstractBaseUser  # 领导小组, the whole county
    liaison: AbstractBaseUser  # 部门联络员 of 区教育和体育局
    inspector: AbstractBaseUser  # 督查督导 (区委督查室, quarterly)


def create_reference_plan() -> ReferencePlan:
    county = ensure_reference_tree(actor=None)
    plan = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    bureau = Department.objects.get(org_unit=county, name=EDUCATION_BUREAU)
    return ReferencePlan(
        plan=plan,
        county=county,
        education_bureau=bureau,
        admin=create_member("zhuanban", PASSWORD, role=Role.ADMIN, actor=None, org_unit=county),
        leader=create_member("lingdao", PASSWORD, role=Role.LEADER, actor=None, org_unit=county),
        liaison=create_member(
            "jiaotiju", PASSWORD, role=Role.DEPARTMENT, actor=None, department=bureau
        ),
        inspector=create_member(
            "ducha",
            PASSWORD,
            role=Role.INSPECTOR,
            actor=None,
            org_unit=county,
            inspector_scope=InspectorScope.INSPECTION,
        ),
    )


def login(page: Page, username: str, password: str = PASSWORD) -> None:
    """Sign in through the Chinese login form; fail with the form's message if it refuses.

    Relative to the context's base_url (the live server), as every page fixture sets it.
    """
    page.goto(LOGIN_PATH)
    form = page.locator("form", has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("[type=submit]").click()
    if page.url.split("?")[0].endswith(LOGIN_PATH):
        refusal = page.locator("[role=alert], .errorlist").all_inner_texts()
        raise AssertionError(f"login as {username!r} refused: {refusal or page.title()}")
