"""`gaodi demo`: 【演示数据】 for the 经费保障 page, so that no part of it is empty.

The numbers are made up (【演示数据】), in 元:
- 茌平区 surcharge years 2019–2021; in 2020 the 地方教育附加 share is below 30 % (3,500,000 of
  12,800,000 = 27.3 %, short 340,000 元) while 教育费附加 meets it;
- the demo school's appropriations: 2019 and 2020 at the 3,300 元 standard, 2021 short by
  400,000 元. The 在校生 count of each is the one the rules name (示例: the year before), read
  from the indicators where they hold it (2020 and 2021: the demo's 2019 and 2020 在校生数,
  approved) and typed only where they do not (2019: the 2018 count is not in the indicators;
  the plan's 2019 现有基础 2193 stands in, 【演示数据】). So 2019 and 2020 come to 0.33 万元 per
  student, the same as the indicator values the demo stores for those years;
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
    rules_of_year,
    seed_rules,
    stored_students,
)

DEMO_SOURCE = "【演示数据】"
# year: 教育费附加 收入, 用于职业教育; 地方教育附加 收入, 用于职业教育 (元)
DEMO_SURCHARGES: dict[int, tuple[int, int, int, int]] = {
    2019: (18_500_000, 5_600_000, 12_300_000, 3_700_000),
    2020: (19_200_000, 6_000_000, 12_800_000, 3_500_000),
    2021: (20_100_000, 6_100_000, 13_400_000, 4_100_000),
}
# year: how far short of 标准 × 在校生 the demo's 实际拨款 falls (元)
DEMO_SHORTFALLS: dict[int, int] = {2019: 0, 2020: 0, 2021: 400_000}
# typed only for a count year the indicators lack (附件2 三、师资队伍 现有基础, 2019)
DEMO_TYPED_STUDENTS = 2193
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
        for year in DEMO_SHORTFALLS:
            actual, typed = demo_appropriation(plan, school, year)
            record_appropriation(
                plan,
                school,
                year=year,
                actual=actual,
                students=typed,
                source=DEMO_SOURCE,
                actor=None,
            )
    if not Debt.objects.filter(plan=plan).exists():
        for description, amount, incurred, resolved_on, resolved in DEMO_DEBTS:
            given_debt = DebtInput(
                description, amount, incurred, resolved_on, resolved, DEMO_SOURCE
            )
            record_debt(plan, school, given_debt, actor=None)


def demo_appropriation(plan: Plan, school: OrgUnit, year: int) -> tuple[int, int | None]:
    """The demo's 实际拨款 of the year (标准 × the count the rules name − the demo shortfall)
    and the typed 在校生 (None where the indicators hold the count: nothing typed twice)."""
    chosen = rules_of_year(plan, year)
    assert chosen is not None  # seed_rules ran first
    stored = stored_students(plan, {school.pk}, chosen.count_year(year)).get(school.pk)
    count = stored.count if stored else DEMO_TYPED_STUDENTS
    actual = chosen.standard_per_student * count - DEMO_SHORTFALLS[year]
    return actual, None if stored else DEMO_TYPED_STUDENTS
