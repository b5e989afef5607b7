"""`gaodi demo`: the catalogue, industries and preset rule sets, the plan's 专业布局, and
【演示数据】 offerings 2019–2021 for the demo school, then the warnings of every preset; and for
供求信息 the 示例 parameter set, 【演示数据】 enterprises with their declared demand 2019–2022,
and one published bulletin of 2021.

The numbers are made up (【演示数据】), near the plan's 学生数 where it gives them; one
specialty, 旅游服务与管理 (enrolment 24, 18, 12), fails the 示例 rule set of the district.
康复技术 opened in 2019: no graduates before 2022, so its 2021 供求比 is 无法计算.
"""

from __future__ import annotations

from decimal import Decimal

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan

from .catalogue import CATALOGUE_2021
from .models import (
    DemandDeclaration,
    Industry,
    Offering,
    RuleSetVersion,
    Specialty,
    SupplyDemandBulletin,
    WarningResult,
)
from .services import Numbers, Refused, record_offering, run_warnings, seed_catalogue, seed_layout
from .supply_demand_services import (
    declare_demand,
    publish_bulletin,
    seed_supply_demand_parameters,
)

DEMO_SOURCE = "【演示数据】"
DEMO_YEARS = (2019, 2020, 2021)

# specialty: (planned, enrolment, employment rate, students) per year 2019, 2020, 2021; the
# students of an industry's specialties near the plan's 学生数 of 附件2 二、专业布局
DEMO_OFFERINGS: dict[str, tuple[tuple[int, int, str, int], ...]] = {
    "计算机应用": ((200, 190, "96.5", 560), (230, 221, "97.0", 610), (250, 246, "96.8", 657)),
    "机电技术应用": ((100, 96, "95.2", 290), (120, 118, "96.1", 320), (130, 127, "95.8", 341)),
    "数控技术应用": ((80, 75, "94.7", 215), (100, 92, "95.5", 250), (110, 104, "96.0", 271)),
    "康复技术": ((50, 45, "93.0", 45), (50, 50, "94.5", 95), (100, 96, "95.0", 191)),
    "旅游服务与管理": ((40, 24, "90.1", 70), (40, 18, "88.2", 60), (40, 12, "85.0", 54)),
    "会计事务": ((40, 36, "95.0", 100), (50, 44, "96.0", 115), (50, 48, "95.5", 128)),
    "电子商务": ((40, 35, "94.0", 95), (40, 38, "95.2", 105), (50, 46, "96.3", 119)),
}
# specialty: graduates 2019, 2020, 2021 (康复技术 opened in 2019: none yet)
DEMO_GRADUATES: dict[str, tuple[int, int, int]] = {
    "计算机应用": (170, 180, 195),
    "机电技术应用": (85, 92, 100),
    "数控技术应用": (65, 70, 78),
    "康复技术": (0, 0, 0),
    "旅游服务与管理": (25, 22, 20),
    "会计事务": (30, 32, 35),
    "电子商务": (28, 30, 33),
}
DEMAND_YEARS = (2019, 2020, 2021, 2022)
# enterprise, specialty, 十强 industry, headcount declared for 2019, 2020, 2021, 2022;
# 会计事务 is declared by nobody (demand 0 in the surveyed years)
DEMO_DEMAND: tuple[tuple[str, str, str, tuple[int, int, int, int]], ...] = (
    ("【演示数据】华信电子科技有限公司", "计算机应用", "新一代信息技术", (60, 70, 85, 95)),
    ("【演示数据】鲁西数控装备有限公司", "数控技术应用", "高端装备", (60, 72, 85, 95)),
    ("【演示数据】鲁西数控装备有限公司", "机电技术应用", "高端装备", (40, 45, 50, 55)),
    ("【演示数据】康宁医养中心", "康复技术", "医养健康", (10, 15, 25, 30)),
    ("【演示数据】茌山旅游开发有限公司", "旅游服务与管理", "精品旅游", (15, 12, 8, 6)),
    ("【演示数据】速达电商物流有限公司", "电子商务", "现代金融服务", (25, 32, 40, 48)),
)


def seed_demo_specialties(plan: Plan, school: OrgUnit) -> None:
    """Idempotent: the catalogue, the layout, the offerings and the warnings, each once."""
    seed_catalogue(actor=None)
    seed_layout(plan, actor=None)
    if not Offering.objects.filter(school=school).exists():
        for name, years in DEMO_OFFERINGS.items():
            specialty = Specialty.objects.get(catalogue=CATALOGUE_2021, level="中职", name=name)
            for year, (planned, enrolled, rate, students) in zip(DEMO_YEARS, years, strict=True):
                numbers = Numbers(
                    planned_enrolment=planned,
                    enrolment=enrolled,
                    students=students,
                    graduates=DEMO_GRADUATES[name][DEMO_YEARS.index(year)],
                    employment_rate=Decimal(rate),
                )
                record_offering(school, specialty, year, numbers, source=DEMO_SOURCE, actor=None)
    seed_demo_supply_demand(plan)
    if WarningResult.objects.filter(plan=plan).exists():
        return
    codes = sorted(set(RuleSetVersion.objects.values_list("code", flat=True)))
    for year in (2020, 2021):
        for code in codes:
            try:
                run_warnings(plan, year, code, actor=None)
            except Refused:
                continue  # not yet in force that year (e.g. the 2023 provincial rules)


def seed_demo_supply_demand(plan: Plan) -> None:
    """Idempotent: the 示例 parameters, the 【演示数据】 declarations, one bulletin of 2021."""
    seed_supply_demand_parameters(actor=None)
    if not DemandDeclaration.objects.filter(plan=plan).exists():
        for enterprise, name, industry_name, headcounts in DEMO_DEMAND:
            specialty = Specialty.objects.get(catalogue=CATALOGUE_2021, level="中职", name=name)
            industry = Industry.objects.get(name=industry_name, group="十强产业")
            for year, headcount in zip(DEMAND_YEARS, headcounts, strict=True):
                declare_demand(
                    plan,
                    enterprise_name=enterprise,
                    specialty=specialty,
                    industry=industry,
                    year=year,
                    headcount=headcount,
                    source=DEMO_SOURCE,
                    actor=None,
                )
    if not SupplyDemandBulletin.objects.filter(plan=plan).exists():
        publish_bulletin(plan, 2021, actor=None)
