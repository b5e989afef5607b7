"""评价与成果: the plan's achievements counted against its targets (with the working and the
kind set version), the schools' stored evaluation composites (with the weight set version),
and the competition awards by school and year. Scoped like 专业预警: the work team, leaders and
inspectors of the place see every school, a school its own, anyone else 404."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from gaodi.accounts.gate import Action, get_for_user
from gaodi.achievements import evaluation
from gaodi.achievements.models import EvaluationResult
from gaodi.achievements.queries import (
    awards_of,
    competition_summaries,
    evaluation_results,
    tallies,
    visible_schools,
)
from gaodi.plans.models import Plan
from gaodi.today import today

from .schemas import NOT_FOUND, SIGNED_IN, exact

router = Router(tags=["评价与成果"])


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)


class PlanTargetOut(Schema):
    clause: str = Field(..., description="方案条款")
    phrase: str = Field(..., description="目标原文")
    value: str = Field(..., description="目标值（精确十进制字符串）")
    measure: str = Field(..., description="计量单位")
    comparator: str = Field(..., description="比较：>=、<=、=、~")


class TallyOut(Schema):
    kind: str = Field(..., description="成果类别编号")
    kind_name: str = Field(..., description="成果类别")
    clause: str = Field(..., description="设定该类成果的方案条款")
    as_of: dt.date = Field(..., description="统计日")
    count: int = Field(..., description="截至统计日已批准（立项）的成果数")
    target: PlanTargetOut | None = Field(None, description="方案目标；无则为 null（计划未设目标）")
    status: str = Field(..., description="已达成 / 未达成 / 计划未设目标")
    counted: list[str] = Field(..., description="计入的成果")
    excluded: list[str] = Field(..., description="未计入的成果（未批准或晚于统计日）")
    kind_set_code: str = Field(..., description="成果类别集编号")
    kind_set_version: int = Field(..., description="成果类别集版本")
    working: list[str] = Field(..., description="计算过程和依据（中文）")


class AchievementsQuery(Schema):
    as_of: dt.date | None = Field(None, description="统计日（默认今天）")


@router.get(
    "/plans/{plan_id}/achievements",
    response={200: list[TallyOut], **SIGNED_IN, **NOT_FOUND},
    summary="标志性成果与方案目标",
)
def list_achievements(
    request: HttpRequest, plan_id: int, query: Query[AchievementsQuery]
) -> list[TallyOut]:
    """各类标志性成果截至统计日的数量与方案目标（目标读自方案，不重复录入），附计算过程。

    工作专班、领导小组和督查督导可见全部学校，学校只见本校，其他人得到 404。"""
    plan = _plan(request, plan_id)
    schools = visible_schools(request.auth, plan)
    _kinds, found = tallies(plan, schools, query.as_of or today())
    return [
        TallyOut(
            kind=row.tally.kind,
            kind_name=row.tally.kind_name,
            clause=row.tally.clause,
            as_of=row.tally.as_of,
            count=row.tally.count,
            target=None
            if row.tally.target is None
            else PlanTargetOut(
                clause=row.tally.target.clause,
                phrase=row.tally.target.phrase,
                value=exact(row.tally.target.value),
                measure=row.tally.target.measure,
                comparator=row.tally.target.comparator,
            ),
            status=row.tally.status_label,
            counted=list(row.tally.counted),
            excluded=list(row.tally.excluded),
            kind_set_code=row.tally.kind_set_code,
            kind_set_version=row.tally.kind_set_version,
            working=row.sentences,
        )
        for row in found
    ]


class EvaluationOut(Schema):
    school: str = Field(..., description="学校")
    year: int = Field(..., description="评价年份")
    scores: dict[str, str | None] = Field(
        ...,
        description=(
            "各项得分：customer 客户、peer 同行、third_party 第三方、integration 校企合作；"
            "null 为未评"
        ),
    )
    composite: str | None = Field(None, description="综合得分；null 为无法计算")
    rank: int | None = Field(None, description="名次；无法计算者为 null")
    weight_set_code: str = Field(..., description="权重集编号")
    weight_set_version: int = Field(..., description="权重集版本")
    example_weights: bool = Field(..., description="权重为示例（方案未给权重）")
    working: list[str] = Field(..., description="计算过程和依据（中文）")
    computed_at: str = Field(..., description="计算时间（ISO 8601）")


class AchievementYearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="只看该年份")


@router.get(
    "/plans/{plan_id}/school-evaluations",
    response={200: list[EvaluationOut], **SIGNED_IN, **NOT_FOUND},
    summary="职业院校评价综合得分",
)
def list_school_evaluations(
    request: HttpRequest, plan_id: int, query: Query[AchievementYearQuery]
) -> list[EvaluationOut]:
    """已计算的学校评价综合得分（客户、同行、第三方评价加权），每条记有权重集编号和版本。

    工作专班、领导小组和督查督导可见全部学校，学校只见本校，其他人得到 404。"""
    plan = _plan(request, plan_id)
    schools = visible_schools(request.auth, plan)
    years = EvaluationResult.objects.filter(plan=plan, school__in=schools)
    if query.year is not None:
        years = years.filter(year=query.year)
    found = []
    for year in sorted(set(years.values_list("year", flat=True))):
        for row in evaluation_results(plan, schools, year):
            items = {c: (s or None) for c, s, _w, _u in row.composite.items}
            found.append(
                EvaluationOut(
                    school=row.result.school.name,
                    year=year,
                    scores={c: items.get(c) for c in evaluation.COMPONENTS},
                    composite=None if row.composite.value is None else exact(row.composite.value),
                    rank=row.result.rank,
                    weight_set_code=row.result.weight_set_code,
                    weight_set_version=row.result.weight_set_version,
                    example_weights=row.is_example,
                    working=row.sentences,
                    computed_at=row.result.computed_at.isoformat(),
                )
            )
    return found


class AwardOut(Schema):
    school: str = Field(..., description="学校")
    year: int = Field(..., description="年份")
    name: str = Field(..., description="赛项名称")
    level: str = Field(..., description="级别：国家/省/市/区/校")
    grade: str = Field(..., description="奖项：一等奖/二等奖/三等奖/优秀奖")
    category: str = Field(..., description="类别：学生/教师")
    participants: int = Field(..., description="获奖人数")


class CompetitionSummaryOut(Schema):
    school: str = Field(..., description="学校")
    year: int = Field(..., description="年份")
    awards: int = Field(..., description="获奖项数")
    participants: int = Field(..., description="获奖人次")
    by_level: dict[str, int] = Field(..., description="按级别的项数")
    by_category: dict[str, int] = Field(..., description="按学生/教师的项数")
    points: str | None = Field(None, description="积分（示例积分表）；无积分表为 null")
    table_code: str = Field(..., description="积分表编号")
    table_version: int | None = Field(None, description="积分表版本")
    working: list[str] = Field(..., description="计算过程和依据（中文）")


class CompetitionsOut(Schema):
    awards: list[AwardOut] = Field(..., description="获奖记录")
    summaries: list[CompetitionSummaryOut] = Field(..., description="各校各年汇总")


@router.get(
    "/plans/{plan_id}/competitions",
    response={200: CompetitionsOut, **SIGNED_IN, **NOT_FOUND},
    summary="技能大赛获奖",
)
def list_competitions(request: HttpRequest, plan_id: int) -> CompetitionsOut:
    """技能大赛获奖记录及各校各年汇总（按级别、学生/教师，示例积分）。

    工作专班、领导小组和督查督导可见全部学校，学校只见本校，其他人得到 404。"""
    plan = _plan(request, plan_id)
    schools = visible_schools(request.auth, plan)
    summaries, _tables = competition_summaries(plan, schools)
    return CompetitionsOut(
        awards=[
            AwardOut(
                school=a.school.name,
                year=a.year,
                name=a.name,
                level=a.level,
                grade=a.grade,
                category=a.category,
                participants=a.participants,
            )
            for a in awards_of(plan, schools)
        ],
        summaries=[
            CompetitionSummaryOut(
                school=s.summary.school,
                year=s.summary.year,
                awards=s.summary.awards,
                participants=s.summary.participants,
                by_level=dict(s.summary.by_level),
                by_category=dict(s.summary.by_category),
                points=None if s.summary.points is None else exact(s.summary.points),
                table_code=s.summary.table_code,
                table_version=s.summary.table_version,
                working=s.sentences,
            )
            for s in summaries
        ],
    )
