"""`gaodi demo`: 【演示数据】 achievements, evaluation scores and competition awards for the
demo school, so that no part of the 评价与成果 page is empty.

The numbers are made up (【演示数据】). As of the demo's day (2021-06-30): 1 省级高水平专业群 (the
target 至少1个 met), 2 of 4 市级品牌专业 with a third not yet approved, 3 of 5 省级在线开放精品课程
with a fourth not yet approved (as of 2021-01-01 only 2 count). The 职业技能等级证书试点 are
not typed: they are counted from the credit bank's demo (gaodi.credits.demo: 5, met).
Evaluation scores of the demo school: 2020 with all three scores (composite 83.7 with the
示例 weights), 2019 without its 同行评价 (renormalised over the two present: 82.0).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.specialties.models import Offering

from .achievements import CITY_BRAND, ONLINE_COURSE, PROVINCIAL_GROUP
from .models import Achievement, CompetitionAward, EvaluationResult, SchoolEvaluation
from .services import (
    AchievementInput,
    AwardInput,
    compute_evaluations,
    record_achievement,
    record_award,
    record_evaluation,
    seed_parameters,
)

DEMO_SOURCE = "【演示数据】"
DEMO_YEAR = 2020
# year: 客户, 同行 (None = 未评), 第三方
DEMO_SCORES: dict[int, tuple[str, str | None, str]] = {
    2019: ("85", None, "78"),
    2020: ("88", "82", "79.5"),
}

# kind, name, approved on (None = 待批准), 文号
DEMO_ACHIEVEMENTS: tuple[tuple[str, str, date | None, str], ...] = (
    (PROVINCIAL_GROUP, "智能制造专业群", date(2021, 3, 15), "【演示数据】鲁教职字〔2021〕3号"),
    (CITY_BRAND, "计算机应用", date(2020, 9, 1), "【演示数据】聊教字〔2020〕50号"),
    (CITY_BRAND, "机电技术应用", date(2020, 9, 1), "【演示数据】聊教字〔2020〕50号"),
    (CITY_BRAND, "康复技术", None, ""),
    (ONLINE_COURSE, "数控车削编程与加工", date(2020, 12, 10), "【演示数据】鲁教职函〔2020〕60号"),
    (ONLINE_COURSE, "电子商务基础", date(2020, 12, 10), "【演示数据】鲁教职函〔2020〕60号"),
    (ONLINE_COURSE, "康复护理技术", date(2021, 5, 20), "【演示数据】鲁教职函〔2021〕22号"),
    (ONLINE_COURSE, "会计基础实务", None, ""),
)
DEMO_AWARDS: tuple[tuple[str, str, str, str, int], ...] = (
    ("山东省职业院校技能大赛 电子商务运营", "省", "二等奖", "学生", 3),
    ("聊城市职业院校技能大赛 数控车", "市", "一等奖", "学生", 1),
    ("聊城市职业院校教学能力大赛", "市", "三等奖", "教师", 3),
    ("茌平区职业教育中心学校校赛 会计技能", "校", "一等奖", "学生", 6),
)


def seed_demo_achievements(plan: Plan, school: OrgUnit) -> None:
    """Idempotent: the parameter sets, then the demo records and the 2020 composites, once."""
    seed_parameters(actor=None)
    if not Achievement.objects.filter(plan=plan).exists():
        offered = {
            o.specialty.name: o.specialty
            for o in Offering.objects.filter(school=school).select_related("specialty")
        }
        for kind, name, day, doc in DEMO_ACHIEVEMENTS:
            given = AchievementInput(
                kind=kind,
                name=name,
                approved_on=day,
                doc_number=doc,
                evidence=DEMO_SOURCE,
                specialty=offered.get(name) if kind == CITY_BRAND else None,
            )
            record_achievement(plan, school, given, actor=None)
    if not CompetitionAward.objects.filter(plan=plan).exists():
        for name, level, grade, category, people in DEMO_AWARDS:
            given_award = AwardInput(DEMO_YEAR, name, level, grade, category, people)
            record_award(plan, school, given_award, source=DEMO_SOURCE, actor=None)
    if not SchoolEvaluation.objects.filter(plan=plan).exists():
        for year, (customer, peer, third) in DEMO_SCORES.items():
            scores = {
                "customer": Decimal(customer),
                "peer": None if peer is None else Decimal(peer),
                "third_party": Decimal(third),
            }
            record_evaluation(plan, school, year, scores, source=DEMO_SOURCE, actor=None)
    if not EvaluationResult.objects.filter(plan=plan).exists():
        for year in DEMO_SCORES:
            compute_evaluations(plan, year, actor=None)
