"""经费保障 (重点任务（一）、附件3 第2–4行、附件2 五、经费投入): every result with its working —
the surcharge rule per year, the per-student appropriation per school and year, the 经费投入
table actual vs target, the debts per debt and per school — and the rules version in force.

Scoped like the page (gaodi.funding.queries.may_read): the work team, leaders and inspectors of
the plan's place, and the liaison of the department leading the plan's funding task (区财政局);
anyone else 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from gaodi.accounts.gate import Action, get_for_user
from gaodi.funding.queries import may_read, overview
from gaodi.plans.models import Plan
from gaodi.today import today

from .schemas import NOT_FOUND, SIGNED_IN, exact

router = Router(tags=["经费保障"])


def _money(value: Decimal | None) -> str | None:
    return None if value is None else exact(value)


class FundingRulesOut(Schema):
    code: str = Field(..., description="参数集编号")
    version: int = Field(..., description="版本")
    effective_from: dt.date = Field(..., description="施行日期")
    minimum_share: str = Field(..., description="两项附加各自用于职业教育的最低比例（如 0.30）")
    standard_per_student: int = Field(..., description="公办中职生均拨款标准（元/生）")
    provincial_standard: int | None = Field(None, description="省市标准（元/生）；null 为未设定")
    student_count: str = Field(..., description="生均拨款所用在校生数口径")
    debt_deadline: dt.date = Field(..., description="前期债务化解期限")
    new_debt_after: dt.date = Field(..., description="此日之后产生的债务为新增债务")
    source: str = Field(..., description="依据；含“示例”的为高地默认值")
    is_example: bool = Field(..., description="含示例参数")


class FundingShareOut(Schema):
    surcharge: str = Field(..., description="教育费附加 / 地方教育附加")
    revenue: int = Field(..., description="当年收入（元）")
    spent: int = Field(..., description="用于职业教育（元）")
    share: str | None = Field(None, description="比例（精确小数）；收入为 0 时为 null")
    required: str | None = Field(None, description="应不低于的金额（元，精确）")
    shortfall: int = Field(..., description="差额（元，向上取整）")
    status: str = Field(..., description="达标 / 未达标 / 无法计算")


class FundingSurchargeOut(Schema):
    place: str = Field(..., description="地区")
    year: int = Field(..., description="年份")
    status: str = Field(..., description="两项均达标才为达标")
    checks: list[FundingShareOut] = Field(..., description="两项附加各自的结果")
    rules_code: str = Field(..., description="参数集编号")
    rules_version: int = Field(..., description="参数集版本")
    working: list[str] = Field(..., description="计算过程和依据（中文）")


class FundingAppropriationOut(Schema):
    school: str = Field(..., description="学校")
    year: int = Field(..., description="年份")
    students: int = Field(..., description="在校生（人）")
    students_from: str = Field(
        ..., description="在校生数的来源：取自指标库（统计年、状态）或手工填写（指标库尚无）"
    )
    standard: int = Field(..., description="标准（元/生）")
    required: int = Field(..., description="应拨（元）")
    actual: int = Field(..., description="实拨（元）")
    per_student: str | None = Field(None, description="实际生均（元，精确）；无在校生为 null")
    shortfall: int = Field(..., description="差额（元）")
    status: str = Field(..., description="达标 / 未达标 / 无法计算")
    rise: str = Field(..., description="标准是否比上年提高")
    above_provincial: bool | None = Field(None, description="是否高于省市标准；未设定为 null")
    rules_code: str = Field(..., description="参数集编号")
    rules_version: int = Field(..., description="参数集版本")
    working: list[str] = Field(..., description="计算过程和依据（中文）")


class FundingCellOut(Schema):
    year: int = Field(..., description="年份")
    target: str | None = Field(None, description="方案目标（读自方案）")
    actual: str | None = Field(None, description="实际值")
    gap: str | None = Field(None, description="未达到时的差额")
    status: str = Field(..., description="达标 / 未达标 / 尚无实际值 / 计划未设目标")


class FundingRowOut(Schema):
    code: str = Field(..., description="指标代码")
    name: str = Field(..., description="指标")
    measure: str = Field(..., description="计量单位")
    baseline: str | None = Field(None, description="现有基础")
    cells: list[FundingCellOut] = Field(..., description="各年目标与实际")
    drops: list[str] = Field(..., description="目标低于上一年的说明（按方案原文列示）")
    working: list[str] = Field(..., description="计算过程和依据（中文）")


class FundingDebtOut(Schema):
    school: str = Field(..., description="学校")
    description: str = Field(..., description="债务说明")
    amount: int = Field(..., description="金额（元）")
    incurred_on: dt.date = Field(..., description="产生日期")
    resolved_on: dt.date | None = Field(None, description="化解日期")
    resolved_amount: int = Field(..., description="已化解金额（元）")
    outstanding: int = Field(..., description="截至今天尚余（元）")
    status: str = Field(
        ..., description="已化解 / 已化解（逾期） / 待化解（未到期） / 逾期未化解 / 新增债务"
    )
    working: list[str] = Field(..., description="计算过程（中文）")


class FundingSchoolDebtOut(Schema):
    school: str = Field(..., description="学校")
    status: str = Field(..., description="取最不利的一笔；无债务为“无债务”")
    debts: int = Field(..., description="债务笔数")
    outstanding: int = Field(..., description="尚余（元）")
    working: list[str] = Field(..., description="计算过程和依据（中文）")


class FundingOut(Schema):
    as_of: dt.date = Field(..., description="计算日（今天）")
    rules: FundingRulesOut | None = Field(None, description="今天施行中的规则")
    uncovered_years: list[int] = Field(..., description="没有施行中规则、未作计算的年份")
    surcharges: list[FundingSurchargeOut] = Field(..., description="附加用于职业教育（各年）")
    appropriations: list[FundingAppropriationOut] = Field(..., description="生均拨款（各校各年）")
    table: list[FundingRowOut] = Field(..., description="附件2 五、经费投入：实际与目标")
    debts: list[FundingDebtOut] = Field(..., description="债务明细")
    schools_debt: list[FundingSchoolDebtOut] = Field(..., description="各校债务状态")


@router.get(
    "/plans/{plan_id}/funding",
    response={200: FundingOut, **SIGNED_IN, **NOT_FOUND},
    summary="经费保障：附加、生均拨款、经费投入、债务",
)
def funding(request: HttpRequest, plan_id: int) -> FundingOut:
    """经费保障各项规则的结果及计算过程（参数版本、依据、步骤、条款）。

    工作专班、领导小组和督查督导，以及方案经费任务牵头部门（区财政局）联络员可见；其他人 404。"""
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    if not may_read(request.auth, plan):
        raise Http404
    found = overview(plan, today())
    now = found.rules_now
    return FundingOut(
        as_of=found.as_of,
        rules=None
        if now is None
        else FundingRulesOut(
            code=now.code,
            version=now.version,
            effective_from=now.effective_from,
            minimum_share=exact(now.minimum_share),
            standard_per_student=now.standard_per_student,
            provincial_standard=now.provincial_standard,
            student_count=now.student_count,
            debt_deadline=now.debt_deadline,
            new_debt_after=now.new_debt_after,
            source=now.source,
            is_example=now.is_example,
        ),
        uncovered_years=found.uncovered_years,
        surcharges=[
            FundingSurchargeOut(
                place=s.place,
                year=s.year,
                status=s.status_label,
                checks=[
                    FundingShareOut(
                        surcharge=c.label,
                        revenue=c.revenue,
                        spent=c.spent,
                        share=_money(c.share),
                        required=_money(c.required),
                        shortfall=c.shortfall,
                        status=c.status_label,
                    )
                    for c in s.checks
                ],
                rules_code=s.rules_code,
                rules_version=s.rules_version,
                working=list(s.steps),
            )
            for s in found.surcharges
        ],
        appropriations=[
            FundingAppropriationOut(
                school=a.school,
                year=a.year,
                students=a.students,
                students_from=a.students_from,
                standard=a.standard,
                required=a.required,
                actual=a.actual,
                per_student=_money(a.per_student),
                shortfall=a.shortfall,
                status=a.status_label,
                rise=a.rise_label,
                above_provincial=a.above_provincial,
                rules_code=a.rules_code,
                rules_version=a.rules_version,
                working=list(a.steps),
            )
            for a in found.appropriations
        ],
        table=[
            FundingRowOut(
                code=row.code,
                name=row.name,
                measure=row.measure,
                baseline=_money(row.baseline),
                cells=[
                    FundingCellOut(
                        year=cell.year,
                        target=_money(cell.target),
                        actual=_money(cell.actual),
                        gap=_money(cell.gap),
                        status=cell.status_label,
                    )
                    for cell in row.cells
                ],
                drops=list(row.drops),
                working=list(row.steps),
            )
            for row in found.table
        ],
        debts=[
            FundingDebtOut(
                school=debt.school.name,
                description=debt.description,
                amount=debt.amount,
                incurred_on=debt.incurred_on,
                resolved_on=debt.resolved_on,
                resolved_amount=debt.resolved_amount,
                outstanding=result.outstanding,
                status=result.status_label,
                working=list(result.steps),
            )
            for debt, result in found.debts
        ],
        schools_debt=[
            FundingSchoolDebtOut(
                school=s.school,
                status=s.status_label,
                debts=s.debts,
                outstanding=s.outstanding,
                working=list(s.steps),
            )
            for s in found.schools_debt
        ],
    )
