"""社会培训与绩效工资: the schools' training records, the year's training volume against （七）
and the 附件2 社会培训 rows with each school's conversion (with the working and the parameter
version), and the allowed performance pay of each school and year (（十六）). Scoped like
专业预警: the work team, leaders and inspectors of the place see every school, a school its own,
anyone else 404."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from gaodi.accounts.gate import Action, get_for_user
from gaodi.plans.models import Plan
from gaodi.training.queries import (
    conversions,
    default_year,
    pay_results,
    visible_schools,
    year_volume,
)
from gaodi.training.services import school_records

from .schemas import NOT_FOUND, SIGNED_IN, exact

router = Router(tags=["社会培训与绩效工资"])


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)


class TrainingRecordOut(Schema):
    id: int = Field(..., description="记录编号")
    school: str = Field(..., description="学校")
    programme: str = Field(..., description="培训项目")
    start: dt.date = Field(..., description="开始日期")
    end: dt.date = Field(..., description="结束日期（按结束日期所在年度计入）")
    participants: int = Field(..., description="人次")
    person_days: str = Field(..., description="人日（精确十进制字符串）")
    target_groups: list[str] = Field(
        ...,
        description=(
            "培训对象代码：veterans 退役军人、laid_off 下岗失业人员、capacity_cut 去产能分流职工、"
            "migrant_workers 农民工、poor_registered 建档立卡贫困劳动力、"
            "disabled 残疾人、other 其他"
        ),
    )
    subsidised: bool = Field(..., description="补贴性培训")
    income: int | None = Field(None, description="到款额（元）；null 为未填报")
    source: str = Field(..., description="来源说明")


# Named social-training (社会培训, GLOSSARY), not training-records: no API path may say
# "record", which tests/security/test_audit_trail.py keeps for the change records it forbids.
@router.get(
    "/plans/{plan_id}/social-training",
    response={200: list[TrainingRecordOut], **SIGNED_IN, **NOT_FOUND},
    summary="社会培训记录",
)
def list_training_records(request: HttpRequest, plan_id: int) -> list[TrainingRecordOut]:
    """各校登记的社会培训（人次、人日、培训对象、是否补贴性、到款额）。

    工作专班、领导小组和督查督导可见全部学校，学校只见本校，其他人得到 404。"""
    plan = _plan(request, plan_id)
    schools = visible_schools(request.auth, plan)
    return [
        TrainingRecordOut(
            id=r.pk,
            school=r.school.name,
            programme=r.programme,
            start=r.start,
            end=r.end,
            participants=r.participants,
            person_days=exact(r.person_days),
            target_groups=list(r.target_groups),
            subsidised=r.subsidised,
            income=r.income,
            source=r.source,
        )
        for r in school_records(plan, schools)
    ]


class TrainingRowOut(Schema):
    name: str = Field(..., description="指标（（七）年培训量或附件2 社会培训的行）")
    measure: str = Field(..., description="计量单位")
    actual: str | None = Field(
        ...,
        description="实际（精确十进制字符串；比例行为 培训人日÷全日制在校生，即 x:1 的 x）；"
        "null 为无法计算（原因见 unavailable）",
    )
    target: str | None = Field(None, description="目标（比例行为 x:1 的 x）；null 为该年未设目标")
    met: bool | None = Field(None, description="是否达到；无目标或无法计算为 null")
    ratio: bool = Field(False, description="比例行（培训规模与全日制在校生比例，x:1）")
    unavailable: str = Field("", description="无法计算的原因（中文）；可计算时为空")


class SchoolConversionOut(Schema):
    school: str = Field(..., description="学校")
    basis: str = Field(..., description="折算基础：person_times、person_days 或 student_years")
    basis_label: str = Field(..., description="折算基础（中文）")
    basis_amount: str = Field(..., description="折算前的培训量（人次、人日或生·年）")
    ratio: str = Field(..., description="折算比例")
    students: str = Field(..., description="折合全日制学生数（精确）")
    pay_increment: str = Field(..., description="核增绩效工资总量（元）")
    parameters_code: str = Field(..., description="折算参数集编号")
    parameters_version: int = Field(..., description="折算参数集版本")
    example_parameters: bool = Field(..., description="参数含示例（方案未规定的部分）")
    working: list[str] = Field(..., description="计算过程和依据（中文）")


class TrainingVolumeOut(Schema):
    year: int = Field(..., description="年份")
    person_times: int = Field(..., description="人次合计")
    person_days: str = Field(..., description="人日合计")
    subsidised_person_days: str = Field(..., description="补贴性培训人日")
    target_group_person_days: str = Field(..., description="重点人群培训人日")
    income_yuan: str = Field(..., description="到款额合计（元，不含未填报者）")
    income_unreported: int = Field(..., description="未填报到款额的培训项数")
    rows: list[TrainingRowOut] = Field(..., description="与（七）5千人次和附件2 各行的对照")
    working: list[str] = Field(..., description="计算过程（中文）")
    conversions: list[SchoolConversionOut] = Field(..., description="各校折算（按所存结果）")


class TrainingYearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年份（默认最近有培训的年份）")


@router.get(
    "/plans/{plan_id}/training-volume",
    response={200: TrainingVolumeOut, **SIGNED_IN, **NOT_FOUND},
    summary="年培训量与培训量折算",
)
def training_volume(
    request: HttpRequest, plan_id: int, query: Query[TrainingYearQuery]
) -> TrainingVolumeOut:
    """一年的培训量与（七）5千人次、附件2 社会培训各行的对照，及各校按 25% 折算成全日制学生、
    核增绩效工资总量的结果（附折算基础、参数版本和计算过程）。

    工作专班、领导小组和督查督导可见全部学校，学校只见本校，其他人得到 404。"""
    plan = _plan(request, plan_id)
    schools = visible_schools(request.auth, plan)
    year = query.year or default_year(plan, schools)
    summary = year_volume(plan, schools, year)
    volume = summary.volume
    return TrainingVolumeOut(
        year=year,
        person_times=volume.person_times if volume else 0,
        person_days=exact(volume.person_days) if volume else "0",
        subsidised_person_days=exact(volume.subsidised_person_days) if volume else "0",
        target_group_person_days=exact(volume.target_group_person_days) if volume else "0",
        income_yuan=exact(volume.income) if volume else "0",
        income_unreported=volume.income_unreported if volume else 0,
        rows=[
            TrainingRowOut(
                name=row.name,
                measure=row.measure,
                actual=None if row.actual is None else exact(row.actual),
                target=None if row.target is None else exact(row.target),
                met=row.met,
                ratio=row.ratio,
                unavailable=row.detail if row.actual is None else "",
            )
            for row in summary.rows
        ],
        working=[*volume.steps, *(s for row in summary.rows for s in row.steps or [row.sentence])]
        if volume
        else [],
        conversions=[
            SchoolConversionOut(
                school=row.result.school.name,
                basis=row.conversion.basis,
                basis_label=row.basis_label,
                basis_amount=exact(row.conversion.basis_amount),
                ratio=exact(row.conversion.ratio),
                students=exact(row.conversion.students),
                pay_increment=exact(row.conversion.pay_increment),
                parameters_code=row.conversion.parameters_code,
                parameters_version=row.conversion.parameters_version,
                example_parameters=row.conversion.is_example,
                working=row.sentences,
            )
            for row in conversions(plan, schools, year)
        ],
    )


class PayLineOut(Schema):
    code: str = Field(
        ...,
        description="base 基础、training 培训核增、talent 人才单列、transfer 转化费、"
        "tech_service 技术服务结余提取",
    )
    label: str = Field(..., description="项目（中文）")
    amount: str = Field(..., description="金额（元）")
    in_total: bool = Field(..., description="计入绩效工资总量")
    under_cap: bool = Field(..., description="受基准线倍数控制")
    in_base: bool = Field(..., description="作为调控基数")


class PerformancePayOut(Schema):
    school: str = Field(..., description="学校")
    year: int = Field(..., description="年份")
    computed: bool = Field(..., description="是否已核定；否则见 problem")
    problem: str = Field("", description="无法核定的原因")
    cap: str | None = Field(None, description="倍数上限（元）")
    total: str | None = Field(None, description="绩效工资总量（元）")
    base: str | None = Field(None, description="调控基数（元）")
    outside_total: str | None = Field(None, description="总量外提取（元）")
    teachers_in_all: str | None = Field(None, description="教师所得合计（元）")
    lines: list[PayLineOut] = Field(..., description="各项")
    binding: list[str] = Field(..., description="起约束作用的限制（中文）")
    parameters_code: str = Field(..., description="绩效工资参数集编号")
    parameters_version: int | None = Field(None, description="绩效工资参数集版本")
    conversion_version: int = Field(..., description="培训核增所用折算参数集版本")
    example_parameters: bool = Field(..., description="参数含示例")
    working: list[str] = Field(..., description="计算过程和依据（中文）")


@router.get(
    "/plans/{plan_id}/performance-pay",
    response={200: list[PerformancePayOut], **SIGNED_IN, **NOT_FOUND},
    summary="职业院校绩效工资核定",
)
def performance_pay(request: HttpRequest, plan_id: int) -> list[PerformancePayOut]:
    """各校各年允许的绩效工资总量、各项、起约束作用的限制及计算过程（（十六）），附参数版本。

    工作专班、领导小组和督查督导可见全部学校，学校只见本校，其他人得到 404。"""
    plan = _plan(request, plan_id)
    schools = visible_schools(request.auth, plan)
    found = []
    for row in pay_results(plan, schools):
        result, rules = row.result, row.pay
        found.append(
            PerformancePayOut(
                school=result.school.name,
                year=result.year,
                computed=rules is not None,
                problem=result.pay_problem,
                cap=exact(rules.cap) if rules else None,
                total=exact(rules.total) if rules else None,
                base=exact(rules.base) if rules else None,
                outside_total=exact(rules.outside_total) if rules else None,
                teachers_in_all=exact(rules.teachers_in_all) if rules else None,
                lines=[
                    PayLineOut(
                        code=item.line.code,
                        label=item.label,
                        amount=exact(item.line.amount),
                        in_total=item.line.in_total,
                        under_cap=item.line.under_cap,
                        in_base=item.line.in_base,
                    )
                    for item in row.lines
                ],
                binding=row.binding,
                parameters_code=result.pay_code,
                parameters_version=result.pay_version,
                conversion_version=result.conversion_version,
                example_parameters=rules.is_example if rules else False,
                working=row.sentences,
            )
        )
    return found
