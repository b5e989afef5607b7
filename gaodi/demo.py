"""`gaodi demo`: the reference plan on an embedded SQLite database, one user per role.

Idempotent: running it again finds the plan and the users already there. The demo runs
"as of" 2021-06-30 (GAODI_TODAY) so that the plan's 2020–2022 deadlines mean something.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department
from gaodi.orgs.services import ensure_org_unit, ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan, series_of

DEMO_PASSWORD = "gaodi-demo-2021"


@dataclass
class DemoLogin:
    username: str
    role: str
    who: str


def set_up_demo() -> tuple[Plan, list[DemoLogin]]:
    """Import the bundled plan once and make one user per role."""
    county = ensure_reference_tree(actor=None)
    draft = parse_path(example_plan_path())
    plan = (
        Plan.objects.filter(org_unit=county, series=series_of(draft)).order_by("-version").first()
    )
    if plan is None:
        plan = import_plan(draft, actor=None, org_unit=county)
    school = ensure_org_unit(
        "371503-S01", "聊城市茌平区职业教育中心学校", OrgKind.SCHOOL, county, actor=None
    )
    education = Department.objects.get(org_unit=county, name="区教育和体育局")
    finance = Department.objects.get(org_unit=county, name="区财政局")
    people = [
        ("zhuanban", Role.ADMIN, _("工作专班（区教育和体育局）"), {"org_unit": county}),
        ("lingdao", Role.LEADER, _("领导小组成员"), {"org_unit": county}),
        (
            "jiaoti",
            Role.DEPARTMENT,
            _("区教育和体育局联络员（牵头单位）"),
            {"department": education},
        ),
        ("caizheng", Role.DEPARTMENT, _("区财政局联络员（配合单位）"), {"department": finance}),
        (
            "ducha",
            Role.INSPECTOR,
            _("区委督查室（每季度督查）"),
            {"org_unit": county, "inspector_scope": InspectorScope.INSPECTION},
        ),
        (
            "dudao",
            Role.INSPECTOR,
            _("区政府教育督导室（每两个月调度）"),
            {"org_unit": county, "inspector_scope": InspectorScope.DISPATCH},
        ),
        ("xuexiao", Role.SCHOOL, _("职教中心学校数据填报员"), {"org_unit": school}),
    ]
    logins = []
    for username, role, who, scope in people:
        create_member(username, DEMO_PASSWORD, role=role, actor=None, full_name=who, **scope)
        logins.append(DemoLogin(username=username, role=str(role.label), who=who))
    return plan, logins
