"""`gaodi demo`: the catalogue, industries and preset rule sets, the plan's 专业布局, and
【演示数据】 offerings 2019–2021 for the demo school, then the warnings of every preset.

The numbers are made up (【演示数据】), near the plan's 学生数 where it gives them; one
specialty, 旅游服务与管理 (enrolment 24, 18, 12), fails the 示例 rule set of the district.
"""

from __future__ import annotations

from decimal import Decimal

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan

from .catalogue import CATALOGUE_2021
from .models import Offering, RuleSetVersion, Specialty, WarningResult
from .services import Numbers, Refused, record_offering, run_warnings, seed_catalogue, seed_layout

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
                    employment_rate=Decimal(rate),
                )
                record_offering(school, specialty, year, numbers, source=DEMO_SOURCE, actor=None)
    if WarningResult.objects.filter(plan=plan).exists():
        return
    codes = sorted(set(RuleSetVersion.objects.values_list("code", flat=True)))
    for year in (2020, 2021):
        for code in codes:
            try:
                run_warnings(plan, year, code, actor=None)
            except Refused:
                continue  # not yet in force that year (e.g. the 2023 provincial rules)
