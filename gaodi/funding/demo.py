"""`gaodi demo`: 【演示数据】 for the 经费保障 page, so that no part of it is empty.

The numbers are made up (【演示数据】), in 元:
- 茌平区 surcharge years 2019–2021; in 2020 the 地方教育附加 share is below 30 % (3,500,000 of
  12,800,000 = 27.3 %, short 340,000 元) while 教育费附加 meets it;
- the demo school's appropriations: 2019 and 2020 at the 3,300 元 standard (2020: 0.33 万元 per
  student, the same as the demo's synthetic 2020 indicator value), 2021 short by 400,000 元;
- two debts of the demo school: one resolved in full on 2020-11-20 (已化解), one only partly
  resolved on 2021-03-31 (逾期未化解 as of the demo's day).
Idempotent: nothing is added twice.
"""

from __future__ import annotations

from datetime import date

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan

from .models import Appropriation, Debt, SurchargeYear
from .services import (
    DebtInput,
    SurchargeInput,
    record_appropriation,
    record_debt,
    record_surcharge_year,
    seed_rules,
)

DEMO_SOURCE = "【演示数据】"
# year: 教育费附加 收入, 用于职业教育; 地方教育附加 收入, 用于职业教育 (元)
DEMO_SURCHARGES: dict[int, tuple[int, int, int, int]] = {
    2019: (18_500_000, 5_600_000, 12_300_000, 3_700_000),
    2020: (19_200_000, 6_000_000, 12_800_000, 3_500_000),
    2021: (20_100_000, 6_100_000, 13_400_000, 4_100_000),
}
# year: 实际拨款 (元), 在校生 (人)
DEMO_APPROPRIATIONS: dict[int, tuple[int, int]] = {
    2019: (3300 * 2193, 2193),
    2020: (3300 * 2600, 2600),
    2021: (9_500_000, 3000),
}
DEMO_DEBTS: tuple[tuple[str, int, date, date | None, int], ...] = (
    ("【演示数据】实训楼建设工程欠款", 3_200_000, date(2018, 8, 15), date(2020, 11, 20), 3_200_000),
    ("【演示数据】教学设备采购欠款", 1_150_000, date(2019, 4, 10), date(2021, 3, 31), 600_000),
)


def seed_demo_funding(plan: Plan, school: OrgUnit) -> None:
    """The rules' preset, then the demo records, once."""
    seed_rules(actor=None)
    if not SurchargeYear.objects.filter(plan=plan).exists():
        for year, (er, es, lr, ls) in DEMO_SURCHARGES.items():
            given = SurchargeInput(year, er, es, lr, ls, DEMO_SOURCE)
            record_surcharge_year(plan, given, actor=None)
    if not Appropriation.objects.filter(plan=plan).exists():
        for year, (actual, students) in DEMO_APPROPRIATIONS.items():
            record_appropriation(
                plan,
                school,
                year=year,
                actual=actual,
                students=students,
                source=DEMO_SOURCE,
                actor=None,
            )
    if not Debt.objects.filter(plan=plan).exists():
        for description, amount, incurred, resolved_on, resolved in DEMO_DEBTS:
            given_debt = DebtInput(
                description, amount, incurred, resolved_on, resolved, DEMO_SOURCE
            )
            record_debt(plan, school, given_debt, actor=None)
