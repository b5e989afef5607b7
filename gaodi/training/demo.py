"""`gaodi demo`: 【演示数据】 training records and pay inputs for the demo school, so that no
part of the 社会培训 and 绩效工资 pages is empty.

The numbers are made up (【演示数据】). 2020: five programmes ending that year, 3,670 人次 (short
of the 5,000 of （七）) and 15,100 人日 (the 附件2 row of 13,500 met), 12,500 of them subsidised
and for target groups; one programme's income not reported. 2021 (as of the demo's day,
2021-06-30): a course over New Year (counted in 2021, when it ended) and two more. Pay inputs
for 2020 (request below the 5× cap, 60 % of the technical-service balance, transfer fees, one
talent line) and 2021 (no request: the cap binds; a negative balance: nothing to extract).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan

from .conversion import (
    CAPACITY_CUT,
    DISABLED,
    LAID_OFF,
    MIGRANT_WORKERS,
    OTHER,
    POOR_REGISTERED,
    VETERANS,
)
from .models import PayInput, TrainingRecord
from .pay import AGREEMENT, ANNUAL
from .services import (
    PayGiven,
    TalentInput,
    TrainingInput,
    record_training,
    save_pay_inputs,
    seed_parameters,
)

DEMO_SOURCE = "【演示数据】"

# programme, start, end, 人次, 人日, target groups, subsidised, income (元; None = 未填报)
DEMO_RECORDS: tuple[tuple[str, date, date, int, str, tuple[str, ...], bool, int | None], ...] = (
    ("退役军人适应性培训（电工）", date(2020, 4, 1), date(2020, 4, 20), 320, "3200",
     (VETERANS,), True, 192000),
    ("农民工电商直播技能培训", date(2020, 5, 10), date(2020, 5, 24), 1200, "6000",
     (MIGRANT_WORKERS,), True, 360000),
    ("建档立卡贫困劳动力家政服务培训", date(2020, 7, 1), date(2020, 7, 10), 400, "2400",
     (POOR_REGISTERED, OTHER), True, 96000),
    ("企业职工岗位技能提升（数控）", date(2020, 9, 1), date(2020, 11, 30), 1600, "2600",
     (), False, 208000),
    ("残疾人手工编织培训", date(2020, 10, 12), date(2020, 10, 21), 150, "900",
     (DISABLED,), True, None),
    ("社区老年人智能手机应用培训", date(2020, 12, 26), date(2021, 1, 8), 600, "600",
     (), False, 0),
    ("下岗失业人员再就业培训（育婴员）", date(2021, 3, 1), date(2021, 3, 20), 500, "5000",
     (LAID_OFF, CAPACITY_CUT), True, 250000),
    ("企业新型学徒制（化工）", date(2021, 4, 6), date(2021, 6, 25), 900, "4500",
     (), False, 405000),
)  # fmt: skip

DEMO_PAY: tuple[PayGiven, ...] = (
    PayGiven(
        year=2020,
        benchmark_per_head=42000,
        headcount=186,
        requested_base=30000000,
        tech_service_balance=600000,
        tech_share=Decimal("0.6"),
        transfer_fees=80000,
        talents=(TalentInput("【演示数据】高级技师甲", ANNUAL, 300000),),
        source=DEMO_SOURCE,
    ),
    PayGiven(
        year=2021,
        benchmark_per_head=45000,
        headcount=190,
        tech_service_balance=-20000,
        talents=(
            TalentInput("【演示数据】博士乙", ANNUAL, 320000),
            TalentInput("【演示数据】企业技术骨干丙", AGREEMENT, 180000),
        ),
        source=DEMO_SOURCE,
    ),
)


def seed_demo_training(plan: Plan, school: OrgUnit) -> None:
    """Idempotent: the parameter presets, then the demo records and pay inputs, once."""
    seed_parameters(actor=None)
    if not TrainingRecord.objects.filter(plan=plan).exists():
        for name, start, end, times, days, groups, subsidised, income in DEMO_RECORDS:
            given = TrainingInput(
                programme=name,
                start=start,
                end=end,
                participants=times,
                person_days=Decimal(days),
                target_groups=groups,
                subsidised=subsidised,
                income=income,
                source=DEMO_SOURCE,
            )
            record_training(plan, school, given, actor=None)
    if not PayInput.objects.filter(plan=plan).exists():
        for pay_given in DEMO_PAY:
            save_pay_inputs(plan, school, pay_given, actor=None)
