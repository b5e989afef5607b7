"""【演示数据】 for 师资队伍: a synthetic roster of the demo school (演示教师001…, deterministic)
that reproduces the plan's 2020 counts — 202 专任教师, 138 专业课教师, 126 “双师型” as at
2020-12-31 (附件2 三、师资队伍) — then moves on in 2021: one teacher leaves, one is certified,
three 专业课 teachers are hired, one of them with 1.5 years of enterprise experience (fails
the 3-year rule of （十五）). Plus 30 part-time teachers, the staffing quota of 2020 and 2021
and a few honours. Idempotent: nothing is added twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan

from .models import StaffingQuota, Teacher
from .services import TeacherInput, record_honour, record_teachers, seed_rules, set_quota

DEMO = "【演示数据】"
SPECIALTY_SUBJECTS = (
    "计算机应用",
    "机电技术应用",
    "数控技术应用",
    "会计电算化",
    "电子商务",
    "康复技术",
)
CULTURE_SUBJECTS = ("语文", "数学", "英语", "思想政治", "体育")
LONG_AGO = date(2010, 9, 1)


def _name(k: int) -> str:
    return str(_("演示教师{k:03d}").format(k=k))


def _roster() -> list[TeacherInput]:
    """200 long-serving full-time teachers (136 专业课, 124 of them 双师型 by 2020 and one more
    in 2021), two more who make the 2020 counts 202/138/126, the 2021 changes, and 30
    part-time teachers."""
    found = []
    for k in range(1, 201):
        specialty = k <= 136
        dual = k <= 124 or k == 136  # 演示教师136 is certified in 2021: counts from that day
        certified_on = date(2021, 5, 10) if k == 136 else date(2015 + k % 5, 6, 1)
        found.append(
            TeacherInput(
                name=_name(k),
                full_time=True,
                specialty_course=specialty,
                hired_on=LONG_AGO,
                subject=(SPECIALTY_SUBJECTS if specialty else CULTURE_SUBJECTS)[k % 5],
                qualifications="技师" if specialty and k % 3 == 0 else "",
                enterprise_years=Decimal(k % 9) if specialty else None,
                dual_qualified=dual,
                certified_on=certified_on if dual else None,
                source=DEMO,
            )
        )
    found += [
        TeacherInput(  # counted in 2020, gone in 2021
            name=_name(201),
            full_time=True,
            specialty_course=True,
            hired_on=LONG_AGO,
            subject="数控技术应用",
            enterprise_years=Decimal(5),
            dual_qualified=True,
            certified_on=date(2018, 6, 1),
            left_on=date(2021, 3, 1),
            source=DEMO,
        ),
        TeacherInput(  # certified late in 2020: counts at 2020-12-31
            name=_name(202),
            full_time=True,
            specialty_course=True,
            hired_on=LONG_AGO,
            subject="康复技术",
            enterprise_years=Decimal(4),
            dual_qualified=True,
            certified_on=date(2020, 11, 20),
            source=DEMO,
        ),
    ]
    # 2021: three new 专业课 teachers; 演示教师205 has 1.5 years in industry only
    for k, years in ((203, "6.0"), (204, "3.0"), (205, "1.5")):
        found.append(
            TeacherInput(
                name=_name(k),
                full_time=True,
                specialty_course=True,
                hired_on=date(2021, 3, 1),
                subject="康复技术",
                qualifications="康复治疗士" if k != 205 else "",
                enterprise_years=Decimal(years),
                source=DEMO,
            )
        )
    found += [
        TeacherInput(
            name=str(_("演示兼职教师{k:02d}").format(k=k)),
            full_time=False,
            specialty_course=True,
            hired_on=date(2019, 9, 1),
            subject=SPECIALTY_SUBJECTS[k % 6],
            enterprise_years=Decimal(8 + k % 5),
            source=DEMO,
        )
        for k in range(1, 31)
    ]
    return found


def seed_demo_teachers(plan: Plan, school: OrgUnit) -> None:
    """The roster, quotas and honours of the demo school, labelled 【演示数据】, once."""
    seed_rules(actor=None)
    if Teacher.objects.filter(school=school, source=DEMO).exists():
        return
    record_teachers(school, _roster(), actor=None)
    for year, quota in ((2020, 230), (2021, 240)):
        if not StaffingQuota.objects.filter(school=school, year=year).exists():
            set_quota(
                school,
                year,
                quota,
                _("{demo}区委编办核定编制（示例）").format(demo=DEMO),
                actor=None,
            )
    by_name = {t.name: t for t in Teacher.objects.filter(school=school, source=DEMO)}
    for k, kind, level, day in (
        (3, "studio", "区级", date(2020, 9, 10)),
        (6, "master", "区级", date(2021, 1, 15)),
        (9, "chief", "市级", date(2020, 12, 1)),
        (12, "leader", "校级", date(2019, 9, 1)),
        (15, "leader", "区级", date(2020, 9, 1)),
        (18, "famous", "区级", date(2020, 9, 10)),
    ):
        record_honour(
            by_name[_name(k)],
            kind,
            level,
            day,
            _("{demo}授予文件（示例）").format(demo=DEMO),
            actor=None,
        )
