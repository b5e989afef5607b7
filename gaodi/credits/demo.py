"""`gaodi demo`: 【演示数据】 for the credit bank — two certificate schemes (the legacy X
certificates and 人社 skill levels, as data), a catalogue of 认证单元, a 示例 qualification of
计算机应用, the sourced college conversion rules (示例 courses), three learners with made-up names
and made-up ID numbers (valid check digit, generated from a fixed seed), their certificates:
one recognised (reviewed by the school's clerk, decided by the work team: four eyes), converted
and issued as a signed credential; one checked and waiting for review; one refused at the check
(issuer not on the list). Then the other kinds of scheme, each with its issuer, validity window
and retirement date — 学历教育课程 (courses with credits), 培训证书 and 技能大赛获奖 — and more X
certificates, held by two more learners: four more X certificates recognised (with Web前端开发,
the 5 职业技能等级证书试点 that 评价与成果 counts from here), a course, a training certificate
and an award waiting for the check. Idempotent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.achievements.versions import EXAMPLE
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.specialties.catalogue import CATALOGUE_2021
from gaodi.specialties.models import Specialty
from gaodi.today import today

from . import conversion, identity, recognition
from .models import ExamSitting, Learner, OutcomeUnit, Scheme
from .services import (
    OutcomeInput,
    add_qualification,
    add_scheme,
    add_unit,
    convert_learner,
    create_share_link,
    issue_credential,
    link_account,
    record_course,
    record_outcome,
    register_learner,
    save_rule_set,
    take_step,
)

DEMO = "【演示数据】"
X_SOURCE = (
    "国家学分银行认证单元目录（X证书）；人社厅函〔2025〕154号（2025-12-31 起X证书转由人社部门管理）"
)
ISSUER = "【演示数据】某培训评价组织"


def demo_id_number(birth: str, sequence: int) -> str:
    """A made-up ID number with a valid GB 11643 check digit (place code 371503 茌平区)."""
    body = f"371503{birth}{sequence:03d}"
    check = identity.CHECK[
        sum(int(d) * w for d, w in zip(body, identity.WEIGHTS, strict=True)) % 11
    ]
    return body + check


RULES = (
    conversion.Rule(
        "x-cert",
        "web-front-end",
        ("初级", "高级"),
        "C101",
        "网页设计基础",
        Decimal(4),
        "计算机应用",
        "专业基础课",
    ),
    conversion.Rule(
        "x-cert",
        "web-front-end",
        ("中级", "高级"),
        "C201",
        "前端框架开发",
        Decimal(6),
        "计算机应用",
        "专业核心课",
    ),
    conversion.Rule(
        "hrss", "electrician", ("四级", "三级"), "E101", "电工技术", Decimal(3), "", "专业基础课"
    ),
)


def seed_schemes() -> None:
    if Scheme.objects.filter(code="x-cert").exists():
        return
    x = add_scheme(
        "x-cert",
        "职业技能等级证书（原1+X）",
        ["初级", "中级", "高级"],
        [ISSUER],
        valid_from=date(2019, 4, 1),
        retired_on=date(2025, 12, 31),
        source=X_SOURCE,
        actor=None,
    )
    hrss = add_scheme(
        "hrss",
        "人社职业技能等级",
        ["五级", "四级", "三级", "二级", "一级"],
        ["【演示数据】茌平区职业技能鉴定中心"],
        valid_from=date(2020, 1, 1),
        source=f"{DEMO}{EXAMPLE}",
        actor=None,
    )
    add_unit(
        x,
        "web-front-end",
        "Web前端开发",
        effective_from=date(2019, 4, 1),
        source=X_SOURCE,
        actor=None,
    )
    add_unit(
        hrss,
        "electrician",
        "电工",
        effective_from=date(2020, 1, 1),
        source=f"{DEMO}{EXAMPLE}",
        actor=None,
    )


def seed_demo_credits(plan: Plan, school: OrgUnit) -> None:
    """Idempotent: nothing is added when the demo learners are there."""
    seed_schemes()
    seed_more_schemes()
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["xuexiao", "zhuanban", "lingdao"])
    }
    clerk, work_team = users.get("xuexiao"), users.get("zhuanban")
    if not Learner.objects.filter(name="【演示数据】张晓明", source=DEMO).exists():
        seed_first_learners(plan, school, clerk, work_team)
    seed_more_learners(school, clerk, work_team)
    seed_sittings(school, clerk)


# 考核批次 of the demo school: (认证单元, level, day, candidates, passed)
SITTINGS = (
    ("web-front-end", "初级", date(2020, 12, 12), 46, 38),
    ("web-front-end", "中级", date(2021, 5, 8), 40, 33),
    ("industrial-robot", "中级", date(2021, 2, 20), 18, 12),
    ("electrician", "四级", date(2021, 3, 20), 25, 19),
)


def seed_sittings(school: OrgUnit, clerk: Any) -> None:
    """The demo school's assessments (考核通过率), each once."""
    from .sittings import SittingInput, record_sitting

    for unit_code, level, day, candidates, passed in SITTINGS:
        unit = OutcomeUnit.objects.filter(code=unit_code).first()
        if (
            unit is None
            or ExamSitting.objects.filter(
                unit=unit, level=level, school=school, held_on=day
            ).exists()
        ):
            continue
        given = SittingInput(unit, level, school, day, candidates, passed)
        record_sitting(given, source=DEMO, actor=clerk)


def seed_first_learners(plan: Plan, school: OrgUnit, clerk: Any, work_team: Any) -> None:
    """The first three demo learners (see the module's doc)."""
    save_rule_set(
        conversion.RuleSet(
            "college-x",
            1,
            date(2021, 1, 1),
            "X证书学分转换规则（示例课程）",
            RULES,
        ),
        owner=None,
        actor=None,
    )
    computing = Specialty.objects.filter(
        catalogue=CATALOGUE_2021, level="中职", name="计算机应用"
    ).first()
    mechanics = Specialty.objects.filter(
        catalogue=CATALOGUE_2021, level="中职", name="机电技术应用"
    ).first()
    qualification = add_qualification(
        "computing-zz",
        "计算机应用专业（中职）毕业学分（示例）",
        [
            {"course": "C101", "name": "网页设计基础", "credits": "4", "mandatory": True},
            {"course": "C201", "name": "前端框架开发", "credits": "6", "mandatory": True},
            {"course": "C301", "name": "数据库应用", "credits": "4", "mandatory": True},
            {"course": "C401", "name": "图形图像处理", "credits": "3", "mandatory": False},
            {"course": "C402", "name": "网络营销", "credits": "3", "mandatory": False},
        ],
        total_credits=Decimal(17),
        optional_credits=Decimal(3),
        specialty=computing,
        credit_years=5,
        source=f"{DEMO}{EXAMPLE}",
        actor=None,
    )
    web = OutcomeUnit.objects.get(code="web-front-end")
    electrician = OutcomeUnit.objects.get(code="electrician")
    zhang = register_learner(
        school,
        "【演示数据】张晓明",
        demo_id_number("20040315", 11),
        specialty=computing,
        qualification=qualification,
        source=DEMO,
        actor=None,
    )
    li = register_learner(
        school,
        "【演示数据】李静",
        demo_id_number("20050602", 22),
        specialty=computing,
        qualification=qualification,
        source=DEMO,
        actor=None,
    )
    wang = register_learner(
        school,
        "【演示数据】王磊",
        demo_id_number("20040921", 13),
        specialty=mechanics,
        source=DEMO,
        actor=None,
    )
    record_course(
        zhang,
        "C401",
        "图形图像处理",
        Decimal(3),
        earned_on=date(2019, 7, 1),
        expires_on=date(2021, 8, 31),
        note=DEMO,
        actor=None,
    )
    first = record_outcome(
        zhang,
        OutcomeInput(
            web,
            "初级",
            "【演示】X-WEB-2020-0001",
            ISSUER,
            date(2020, 12, 20),
            date(2023, 12, 19),
            "a" * 64,
        ),
        source=DEMO,
        actor=clerk,
    )
    case = first.case
    take_step(case, recognition.CHECK, role="school", actor=clerk)
    take_step(case, recognition.REVIEW, role="school", reason="证书真实，编号可查", actor=clerk)
    take_step(
        case,
        recognition.DECIDE,
        role="admin",
        outcome=recognition.RECOGNISED,
        reason="发证机构在名单中，等级与课程对应",
        actor=work_team,
    )
    convert_learner(zhang, today(), actor=work_team)
    # the holder's own account (role 学习者): he makes and withdraws his share links himself
    from gaodi.demo import DEMO_PASSWORD  # here: gaodi.demo imports this module

    own = create_member(
        "xuesheng",
        DEMO_PASSWORD,
        role=Role.LEARNER,
        actor=None,
        full_name="【演示数据】张晓明（学习者本人）",
        org_unit=school,
    )
    link_account(zhang, own, actor=None)
    shared = issue_credential(first, actor=work_team)
    create_share_link(shared, days=30, actor=own)  # the holder's own link
    second = record_outcome(
        li,
        OutcomeInput(web, "中级", "【演示】X-WEB-2021-0102", ISSUER, date(2021, 5, 10)),
        source=DEMO,
        actor=clerk,
    )
    take_step(second.case, recognition.CHECK, role="school", actor=clerk)
    third = record_outcome(
        wang,
        OutcomeInput(
            electrician,
            "四级",
            "【演示】DG-2021-0033",
            "【演示数据】未列入名单的机构",
            date(2021, 4, 2),
        ),
        source=DEMO,
        actor=clerk,
    )
    # the check only flags an issuer not on the list; the work team decides, with its reason
    take_step(third.case, recognition.CHECK, role="school", actor=clerk)
    take_step(
        third.case, recognition.REVIEW, role="school", reason="未列入名单，核对原件", actor=clerk
    )
    take_step(
        third.case,
        recognition.DECIDE,
        role="admin",
        outcome=recognition.REFUSED,
        reason="发证机构不在该证书体系的发证机构名单中，经核实不是该体系的发证机构",
        actor=work_team,
    )


# --- the other kinds of scheme, and the pilots ------------------------------------------------

COURSE_ISSUER = "【演示数据】山东开放大学"
TRAINING_ISSUER = "【演示数据】聊城市职业技能培训中心"
CONTEST_ISSUER = "【演示数据】山东省职业院校技能大赛组委会"
# code, name, levels (lowest first), issuer, valid from, retired on
MORE_SCHEMES: tuple[tuple[str, str, tuple[str, ...], str, date, date], ...] = (
    (
        "academic-course",
        "学历教育课程",
        ("合格", "良好", "优秀"),
        COURSE_ISSUER,
        date(2020, 9, 1),
        date(2030, 8, 31),
    ),
    (
        "training",
        "培训证书",
        ("结业", "合格"),
        TRAINING_ISSUER,
        date(2020, 1, 1),
        date(2027, 12, 31),
    ),
    (
        "contest",
        "技能大赛获奖",
        ("三等奖", "二等奖", "一等奖"),
        CONTEST_ISSUER,
        date(2019, 1, 1),
        date(2028, 12, 31),
    ),
)
# scheme, code, name, credits (courses carry their own), effective from
MORE_UNITS: tuple[tuple[str, str, str, Decimal | None, date], ...] = (
    ("academic-course", "OU-DB01", "数据库应用基础", Decimal(4), date(2020, 9, 1)),
    ("academic-course", "OU-PS01", "图形图像处理", Decimal(3), date(2020, 9, 1)),
    ("training", "live-commerce", "直播电商运营培训", None, date(2020, 1, 1)),
    ("contest", "web-contest", "网站设计与开发赛项", None, date(2019, 1, 1)),
    ("x-cert", "industrial-robot", "工业机器人操作与运维", None, date(2019, 4, 1)),
    ("x-cert", "e-commerce-data", "电子商务数据分析", None, date(2019, 4, 1)),
    ("x-cert", "smart-tax", "智能财税", None, date(2019, 4, 1)),
    ("x-cert", "online-store", "网店运营推广", None, date(2019, 4, 1)),
)
# learner (name, birth, sequence, specialty name), then outcomes: unit, level, number, issuer,
# issued on, valid until, recognised (else left waiting for the check)
MORE_LEARNERS: tuple[
    tuple[str, str, int, str, tuple[tuple[str, str, str, str, date, date | None, bool], ...]],
    ...,
] = (
    (
        "【演示数据】赵敏",
        "20050110",
        24,
        "电子商务",
        (
            (
                "e-commerce-data",
                "初级",
                "【演示】X-EDA-2020-0007",
                ISSUER,
                date(2020, 11, 8),
                None,
                True,
            ),
            (
                "online-store",
                "初级",
                "【演示】X-OSP-2021-0015",
                ISSUER,
                date(2021, 1, 16),
                None,
                True,
            ),
            ("smart-tax", "初级", "【演示】X-TAX-2021-0021", ISSUER, date(2021, 3, 20), None, True),
            (
                "live-commerce",
                "合格",
                "【演示】PX-2021-118",
                TRAINING_ISSUER,
                date(2021, 4, 25),
                date(2024, 4, 24),
                False,
            ),
            (
                "OU-DB01",
                "良好",
                "【演示】OU-2021-DB-031",
                COURSE_ISSUER,
                date(2021, 1, 15),
                None,
                False,
            ),
        ),
    ),
    (
        "【演示数据】孙浩",
        "20040707",
        35,
        "机电技术应用",
        (
            (
                "industrial-robot",
                "中级",
                "【演示】X-IRO-2021-0042",
                ISSUER,
                date(2021, 2, 28),
                None,
                True,
            ),
            (
                "web-contest",
                "二等奖",
                "【演示】SD-JN-2020-0456",
                CONTEST_ISSUER,
                date(2020, 12, 5),
                None,
                False,
            ),
        ),
    ),
)


def seed_more_schemes() -> None:
    """The 学历教育课程, 培训证书 and 技能大赛获奖 schemes and more X certificates, each once."""
    for code, name, levels, issuer, valid_from, retired_on in MORE_SCHEMES:
        if not Scheme.objects.filter(code=code).exists():
            add_scheme(
                code,
                name,
                list(levels),
                [issuer],
                valid_from=valid_from,
                retired_on=retired_on,
                source=f"{DEMO}{EXAMPLE}",
                actor=None,
            )
    for scheme_code, code, name, credits, effective_from in MORE_UNITS:
        scheme = Scheme.objects.get(code=scheme_code)
        if not OutcomeUnit.objects.filter(scheme=scheme, code=code).exists():
            add_unit(
                scheme,
                code,
                name,
                effective_from=effective_from,
                credits=credits,
                source=X_SOURCE if scheme_code == "x-cert" else f"{DEMO}{EXAMPLE}",
                actor=None,
            )


def seed_more_learners(school: OrgUnit, clerk: Any, work_team: Any) -> None:
    """Two more demo learners and their outcomes, once (by name)."""
    for name, birth, sequence, specialty_name, held in MORE_LEARNERS:
        if Learner.objects.filter(name=name, source=DEMO).exists():
            continue
        specialty = Specialty.objects.filter(
            catalogue=CATALOGUE_2021, level="中职", name=specialty_name
        ).first()
        learner = register_learner(
            school,
            name,
            demo_id_number(birth, sequence),
            specialty=specialty,
            source=DEMO,
            actor=None,
        )
        for unit_code, level, number, issuer, issued_on, valid_until, recognised in held:
            unit = OutcomeUnit.objects.get(code=unit_code)
            given = OutcomeInput(unit, level, number, issuer, issued_on, valid_until)
            outcome = record_outcome(learner, given, source=DEMO, actor=clerk)
            if recognised:
                recognise(outcome.case, clerk, work_team)


def recognise(case: Any, clerk: Any, work_team: Any) -> None:
    """Check and review by the school's clerk, decided by the work team (four eyes)."""
    take_step(case, recognition.CHECK, role="school", actor=clerk)
    take_step(case, recognition.REVIEW, role="school", reason="证书真实，编号可查", actor=clerk)
    take_step(
        case,
        recognition.DECIDE,
        role="admin",
        outcome=recognition.RECOGNISED,
        reason="发证机构在名单中，证书有效",
        actor=work_team,
    )
