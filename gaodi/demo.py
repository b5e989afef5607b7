"""`gaodi demo`: the reference plan on an embedded SQLite database, one user per role.

Idempotent: running it again finds the plan and the users already there. The demo runs
"as of" 2021-06-30 (GAODI_TODAY) so that the plan's 2020–2022 deadlines mean something.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.services import create_member
from gaodi.achievements.demo import seed_demo_achievements
from gaodi.credits.demo import seed_demo_credits
from gaodi.demo_supervision import seed_demo_supervision
from gaodi.enterprises.demo import seed_demo_enterprises
from gaodi.funding.demo import seed_demo_funding
from gaodi.indicators.approval import Step
from gaodi.indicators.approving import take_step
from gaodi.indicators.collection import store_values
from gaodi.indicators.models import DataValue
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import ensure_org_unit, ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan, series_of
from gaodi.specialties.demo import seed_demo_specialties
from gaodi.supervision.services import run_cycles
from gaodi.teachers.demo import seed_demo_teachers
from gaodi.today import today
from gaodi.training.demo import seed_demo_training

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
        (
            "shiji",
            Role.ADMIN,
            _("聊城市职业教育工作专班（市级审核）"),
            {"org_unit": county.parent},
        ),
    ]
    seed_demo_values(plan, school)
    logins = []
    for username, role, who, scope in people:
        create_member(username, DEMO_PASSWORD, role=role, actor=None, full_name=who, **scope)
        logins.append(DemoLogin(username=username, role=str(role.label), who=who))
    run_cycles(today())  # the rounds of 调度 and 督查 so far, and their 待办
    seed_demo_supervision(plan)
    seed_demo_specialties(plan, school)
    seed_demo_achievements(plan, school)
    seed_demo_enterprises(plan, school)
    seed_demo_training(plan, school)
    seed_demo_funding(plan, school)
    seed_demo_teachers(plan, school)
    seed_demo_credits(plan, school)
    logins.append(
        DemoLogin(username="xuesheng", role=str(Role.LEARNER.label), who=_("学习者（学分银行）"))
    )
    return plan, logins


SYNTHETIC = "合成数据（演示）"


def seed_demo_values(plan: Plan, school: OrgUnit) -> None:
    """Earlier years for the demo school, so that dashboards and forecasts have a history.

    The district has one 中职 school, so its 2019 values are the plan's own 现有基础 (附件2,
    source says so). 2020 is synthetic — halfway between the baseline and the 2020 target —
    and its source says 合成数据（演示）; pages that show it say so. Both years are
    submitted and approved by both levels. Idempotent: nothing is added twice.
    """
    if DataValue.objects.filter(org_unit=school).exists():
        return
    for data_set in plan.data_sets.prefetch_related("indicators__targets"):
        by_year: dict[str, dict[str, Decimal]] = {"2019": {}, "2020": {}}
        for indicator in data_set.indicators.all():
            if indicator.formula:
                continue
            targets = {t.year: t.value for t in indicator.targets.all()}
            if 2019 not in targets:
                continue
            by_year["2019"][indicator.code] = targets[2019]
            if 2020 in targets:
                halfway = (targets[2019] + targets[2020]) / 2
                by_year["2020"][indicator.code] = halfway.quantize(
                    Decimal(1) if halfway > 10 else Decimal("0.01")
                )
        for period, values in by_year.items():
            if not values:
                continue
            source = _("方案附件2 现有基础") if period == "2019" else _(SYNTHETIC)
            store_values(
                data_set, period, {school.pk: values}, actor=None, source=source, check_window=False
            )
            for step in (Step.SUBMIT, Step.APPROVE, Step.APPROVE):
                take_step(data_set, school, period, step, actor=None)
