"""`gaodi demo`: 【演示数据】 产教融合型企业 so that no part of the register is empty.

The enterprises are the demo enterprises of 供求信息 (gaodi.specialties.demo), put on the
register with made-up credit codes (valid GB 32100 check digits, 【演示数据】): one enterprise
appears once everywhere. 鲁西数控装备 is 培育 (省级, listed 2019-12-20) with declarations and
surcharges 2020–2022 (2022 a plan) whose ledger carries credit forward:

    2020: 1,200,000 × 30 % = 360,000 new; payable 150,000; used 150,000; carried 210,000
    2021: 300,000 × 30 % = 90,000 new; available 300,000; payable 175,000; carried 125,000
    2022: 100,000 × 30 % = 30,000 new; available 155,000; payable 200,000; used 155,000; 0 left
"""

from __future__ import annotations

from datetime import date

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.specialties.models import Specialty

from . import certification as c
from .credit_code import check_digit
from .models import IntegrationEnterprise
from .services import (
    CooperationInput,
    EnterpriseInput,
    InvestmentInput,
    declare_investment,
    record_cooperation,
    record_step,
    record_surcharge,
    register_enterprise,
    seed_parameters,
)

DEMO_SOURCE = "【演示数据】"
LUXI = "【演示数据】鲁西数控装备有限公司"
HUAXIN = "【演示数据】华信电子科技有限公司"
KANGNING = "【演示数据】康宁医养中心"
SUDA = "【演示数据】速达电商物流有限公司"
LIST_2019 = "【演示数据】山东省产教融合型企业建设培育名单（2019年）"


def demo_code(serial: int) -> str:
    """A made-up code under 茌平区 (371503) with a valid check digit."""
    first17 = f"91371503MA3DY0{serial:03d}"
    return first17 + check_digit(first17)


# name, sector, size
DEMO_ENTERPRISES = (
    (LUXI, "高端装备制造", "大型"),
    (HUAXIN, "新一代信息技术", "中型"),
    (KANGNING, "医养健康", "小型"),
    (SUDA, "电商物流", "小型"),
)
DEMO_STEPS: dict[str, tuple[c.Step, ...]] = {
    LUXI: (
        c.Step(c.APPLIED, date(2019, 9, 10)),
        c.Step(c.REVIEW, date(2019, 10, 15)),
        c.Step(c.CULTIVATING, date(2019, 12, 20), c.PROVINCE, LIST_2019),
    ),
    HUAXIN: (c.Step(c.APPLIED, date(2021, 3, 1)), c.Step(c.REVIEW, date(2021, 4, 12))),
    KANGNING: (c.Step(c.APPLIED, date(2021, 5, 20)),),
    SUDA: (
        c.Step(c.APPLIED, date(2020, 3, 2)),
        c.Step(c.REVIEW, date(2020, 4, 10)),
        c.Step(
            c.REJECTED,
            date(2020, 6, 30),
            reason="【演示数据】兴办职业教育的投入和校企合作年限未达申报条件",
        ),
    ),
}
# enterprise, form, start, end, specialty, note
DEMO_COOPERATION = (
    (LUXI, "订单班", 2019, None, "数控技术应用", "【演示数据】鲁西数控订单班，每年 40 人"),
    (LUXI, "实训基地", 2020, None, "数控技术应用", "【演示数据】共建数控加工实训基地"),
    (LUXI, "职教集团", 2020, None, None, "【演示数据】茌平区职业教育集团牵头企业"),
    (HUAXIN, "冠名班", 2020, 2022, "计算机应用", "【演示数据】华信冠名班"),
    (HUAXIN, "混合所有制", 2021, None, None, "【演示数据】混合所有制软件实训中心"),
    (KANGNING, "共建专业", 2019, None, "康复技术", "【演示数据】共建康复技术专业"),
)
# year, amount, purpose, eligible, reason
DEMO_INVESTMENTS = (
    (2020, 1_200_000, "共建数控加工实训基地设备", True, "【演示数据】实训基地建设，属兴办职业教育"),
    (2020, 150_000, "本企业职工岗前培训", False, "【演示数据】职工教育经费列支，不属兴办职业教育"),
    (2021, 300_000, "订单班教学设备与兼职教师", True, "【演示数据】订单班办学投入"),
    (2022, 100_000, "实训基地耗材与维护（计划）", True, "【演示数据】实训基地运行投入（计划数）"),
)
# year, 教育费附加, 地方教育附加
DEMO_SURCHARGES = ((2020, 90_000, 60_000), (2021, 105_000, 70_000), (2022, 120_000, 80_000))


def seed_demo_enterprises(plan: Plan, school: OrgUnit) -> None:
    """Idempotent: the preset parameters, then the register, once."""
    seed_parameters(actor=None)
    if IntegrationEnterprise.objects.filter(place=plan.org_unit).exists():
        return
    profiles = {}
    for serial, (name, sector, size) in enumerate(DEMO_ENTERPRISES, start=1):
        given = EnterpriseInput(name, demo_code(serial), sector, size)
        profiles[name] = register_enterprise(plan, given, source=DEMO_SOURCE, actor=None)
    for name, steps in DEMO_STEPS.items():
        for step in steps:
            record_step(profiles[name], step, actor=None)
    for name, form, start, end, specialty, note in DEMO_COOPERATION:
        chosen = (
            Specialty.objects.filter(name=specialty, offerings__school=school).first()
            if specialty
            else None
        )
        record_cooperation(
            plan,
            profiles[name],
            CooperationInput(school, form, start, end, chosen, note),
            actor=None,
        )
    for year, amount, purpose, eligible, reason in DEMO_INVESTMENTS:
        given_investment = InvestmentInput(year, amount, purpose, eligible, reason)
        declare_investment(profiles[LUXI], given_investment, source=DEMO_SOURCE, actor=None)
    for year, education, local in DEMO_SURCHARGES:
        record_surcharge(profiles[LUXI], year, education, local, source=DEMO_SOURCE, actor=None)
