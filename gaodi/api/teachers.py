"""师资队伍: per school and year, each check (新进教师企业工作经历, 兼职教师比例, “双师型”教师比例,
生师比) with its working and the parameter version, the plan's 双师型 figures and their
contradiction, the honours counted, the 师资队伍 values computed from the roster beside those
stored; and the roster itself. Scoped like 专业预警: the work team, leaders and inspectors of
the place see every school, a school its own, anyone else 404."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from gaodi.accounts.gate import Action, get_for_user
from gaodi.plans.models import Plan
from gaodi.teachers import rules
from gaodi.teachers.feeding import preview
from gaodi.teachers.queries import dual_figures, school_checks, teachers_of, visible_schools
from gaodi.today import today

from .schemas import NOT_FOUND, SIGNED_IN, exact

router = Router(tags=["师资队伍"])


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)


class TeacherCheckOut(Schema):
    code: str = Field(..., description="核查项：new_hires、part_time、dual_share、student_ratio")
    title: str = Field(..., description="核查项名称")
    clause: str = Field(..., description="方案条款")
    status: str = Field(..., description="符合 / 不符合 / 无法计算 / 计划未设目标 / 本年无新进教师")
    value: str = Field(..., description="结果（比例或人数，文字）")
    failing: list[str] = Field(..., description="不符合者（仅姓名）")
    warnings: list[str] = Field(..., description="提示（如方案前后不一致）")
    rules_code: str = Field(..., description="参数集编号")
    rules_name: str = Field(..., description="参数集名称")
    rules_version: int = Field(..., description="参数集版本")
    working: list[str] = Field(..., description="计算过程和依据（中文）")


class HonourCountOut(Schema):
    kind: str = Field(..., description="称号类别编号")
    name: str = Field(..., description="称号")
    clause: str = Field(..., description="方案条款")
    count: int = Field(..., description="截至统计日的人数")


class TeacherSchoolOut(Schema):
    school: str = Field(..., description="学校")
    checks: list[TeacherCheckOut] = Field(..., description="各项核查")
    honours: list[HonourCountOut] = Field(..., description="教师称号人数")


class DualFigureOut(Schema):
    where: str = Field(..., description="位置：body 正文 / task_list 工作任务清单 / table 附件2")
    clause: str = Field(..., description="条款")
    year: int = Field(..., description="年份")
    value: str = Field(..., description="百分数（精确十进制字符串）")
    printed: str = Field(..., description="原文")


class TeacherFeedOut(Schema):
    school: str = Field(..., description="学校")
    indicator: str = Field(..., description="指标代码")
    name: str = Field(..., description="指标名称")
    computed: str = Field(..., description="由名册计算的值")
    stored: str | None = Field(None, description="指标中已有的值；无则为 null")
    agreement: str = Field(..., description="一致 / 不一致 / 尚无")


class TeachersOut(Schema):
    year: int = Field(..., description="年份")
    as_of: dt.date = Field(..., description="统计日（当年 12 月 31 日，或今天）")
    dual_figures: list[DualFigureOut] = Field(..., description="方案中“双师型”比例的各处数值")
    contradiction: str = Field(..., description="方案前后不一致的说明；一致则为空")
    schools: list[TeacherSchoolOut] = Field(..., description="各校核查")
    feed: list[TeacherFeedOut] = Field(..., description="师资队伍指标：计算值与已填报值对照")


class TeachersQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年份（默认今年）")


@router.get(
    "/plans/{plan_id}/teachers",
    response={200: TeachersOut, **SIGNED_IN, **NOT_FOUND},
    summary="师资队伍核查",
)
def teacher_checks(request: HttpRequest, plan_id: int, query: Query[TeachersQuery]) -> TeachersOut:
    """各校一年的师资队伍核查（新进教师企业经历、兼职教师比例、“双师型”比例、生师比），附计算过程、
    参数版本和方案条款；方案中“双师型”目标的各处数值及其不一致；由名册计算的指标值与已填报值对照。

    工作专班、领导小组和督查督导可见全部学校，学校只见本校，其他人得到 404。"""
    plan = _plan(request, plan_id)
    schools = visible_schools(request.auth, plan)
    year = query.year or today().year
    as_of = rules.as_of_for(year, today())
    _chosen, found = school_checks(plan, schools, year, as_of)
    figures = dual_figures(plan)
    return TeachersOut(
        year=year,
        as_of=as_of,
        dual_figures=[
            DualFigureOut(
                where=f.kind, clause=f.clause, year=f.year, value=exact(f.value), printed=f.printed
            )
            for f in figures
        ],
        contradiction=rules.contradictions(figures),
        schools=[
            TeacherSchoolOut(
                school=row.school.name,
                checks=[
                    TeacherCheckOut(
                        code=c.code,
                        title=c.title,
                        clause=c.clause,
                        status=c.status_label,
                        value=c.value,
                        failing=list(c.failing),
                        warnings=list(c.warnings),
                        rules_code=c.rules_code,
                        rules_name=c.rules_name,
                        rules_version=c.rules_version,
                        working=list(c.steps),
                    )
                    for c in row.checks
                ],
                honours=[
                    HonourCountOut(kind=h.kind, name=h.name, clause=h.clause, count=h.count)
                    for h in row.honours
                ],
            )
            for row in found
        ],
        feed=[
            TeacherFeedOut(
                school=r.school.name,
                indicator=r.code,
                name=r.name,
                computed=exact(r.computed),
                stored=None if r.stored is None else exact(r.stored),
                agreement=r.agreement_label,
            )
            for r in preview(plan, schools, year, as_of)
        ],
    )


class TeacherRecordOut(Schema):
    school: str = Field(..., description="学校")
    name: str = Field(..., description="姓名")
    full_time: bool = Field(..., description="专任（否则兼职）")
    subject: str = Field(..., description="任教学科（专业）")
    specialty_course: bool = Field(..., description="专业课教师")
    enterprise_years: str | None = Field(None, description="企业工作年限（一位小数）；未填为 null")
    hired_on: dt.date = Field(..., description="入职日期")
    dual_qualified: bool = Field(..., description="“双师型”教师")
    certified_on: dt.date | None = Field(None, description="“双师型”认定日期")
    left_on: dt.date | None = Field(None, description="离岗日期")


@router.get(
    "/plans/{plan_id}/teacher-roster",
    response={200: list[TeacherRecordOut], **SIGNED_IN, **NOT_FOUND},
    summary="教师名册",
)
def teacher_roster(request: HttpRequest, plan_id: int) -> list[TeacherRecordOut]:
    """教师名册（只含核查所需信息）。工作专班、领导小组和督查督导可见全部学校，学校只见本校，
    其他人得到 404。"""
    plan = _plan(request, plan_id)
    schools = visible_schools(request.auth, plan)
    found = sorted(teachers_of(schools), key=lambda t: (t.school.code, t.name, t.pk))
    return [
        TeacherRecordOut(
            school=t.school.name,
            name=t.name,
            full_time=t.full_time,
            subject=t.subject,
            specialty_course=t.specialty_course,
            enterprise_years=None if t.enterprise_years is None else str(t.enterprise_years),
            hired_on=t.hired_on,
            dual_qualified=t.dual_qualified,
            certified_on=t.certified_on,
            left_on=t.left_on,
        )
        for t in found
    ]
