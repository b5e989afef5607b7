"""产教融合型企业 (重点任务（十一）（十二）): the register of the plan's place with each
enterprise's certification status and cooperation with schools, and the estimated credit
ledger (30 % of eligible investment against the year's 教育费附加 and 地方教育附加, unused
credit carried forward) with the working and the parameter version of every year.
估算，以税务机关认定为准. Readers: every member of the plan's place (the work team, leaders,
inspectors, departments' liaisons); a school's clerk and another county get 404."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Router, Schema

from gaodi.accounts.gate import Action, get_for_user
from gaodi.enterprises import credit
from gaodi.enterprises.models import IntegrationEnterprise
from gaodi.enterprises.queries import (
    NOT_APPLIED,
    check_reader,
    place_credit,
    register_of,
    steps_of,
)
from gaodi.plans.models import Plan

from .schemas import NOT_FOUND, SIGNED_IN, exact

router = Router(tags=["产教融合型企业"])


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    check_reader(request.auth, plan)
    return plan


class CertificationStepOut(Schema):
    state: str = Field(..., description="环节：申请/审核/培育/认定/不予认定")
    on: dt.date = Field(..., description="日期（名单公布或决定的日期）")
    level: str = Field(..., description="级别：区县/市/省/国家（培育、认定），否则为空")
    source: str = Field(..., description="公布名单（文件名称或文号）")
    reason: str = Field(..., description="理由（不予认定）")


class CooperationOut(Schema):
    school: str = Field(..., description="学校")
    form: str = Field(
        ..., description="合作形式：订单班/冠名班/共建专业/实训基地/职教集团/混合所有制"
    )
    start_year: int = Field(..., description="起始年份")
    end_year: int | None = Field(None, description="结束年份；null 为仍在合作")
    specialty: str | None = Field(None, description="专业；null 为不对应具体专业")
    note: str = Field(..., description="说明")


class IntegrationEnterpriseOut(Schema):
    id: int = Field(..., description="名录编号")
    name: str = Field(..., description="企业名称")
    credit_code: str = Field(..., description="统一社会信用代码")
    sector: str = Field(..., description="所属行业")
    size: str = Field(..., description="企业规模：大型/中型/小型/微型")
    place: str = Field(..., description="登记地")
    status: str = Field(..., description="认定状态（最近一个环节），未申请为“未申请”")
    level: str = Field(..., description="最近一个培育、认定环节的级别，否则为空")
    steps: list[CertificationStepOut] = Field(..., description="认定历程")
    cooperation: list[CooperationOut] = Field(..., description="校企合作")


def _enterprise(profile: IntegrationEnterprise) -> IntegrationEnterpriseOut:
    steps = steps_of(profile)
    last = steps[-1] if steps else None
    return IntegrationEnterpriseOut(
        id=profile.pk,
        name=profile.enterprise.name,
        credit_code=profile.enterprise.credit_code,
        sector=profile.sector,
        size=profile.size,
        place=profile.place.name,
        status=last.state if last else NOT_APPLIED,
        level=last.level if last else "",
        steps=[
            CertificationStepOut(
                state=s.state, on=s.on, level=s.level, source=s.source, reason=s.reason
            )
            for s in steps
        ],
        cooperation=[
            CooperationOut(
                school=c.school.name,
                form=c.form,
                start_year=c.start_year,
                end_year=c.end_year,
                specialty=c.specialty.name if c.specialty else None,
                note=c.note,
            )
            for c in profile.cooperations.all()
        ],
    )


@router.get(
    "/plans/{plan_id}/enterprises",
    response={200: list[IntegrationEnterpriseOut], **SIGNED_IN, **NOT_FOUND},
    summary="产教融合型企业名录",
)
def list_enterprises(request: HttpRequest, plan_id: int) -> list[IntegrationEnterpriseOut]:
    """本方案所在地（及下辖）的产教融合型企业：认定状态与历程、校企合作形式。

    本地各成员（工作专班、领导小组、督查督导、部门联络员）可见；学校和外地得到 404。"""
    plan = _plan(request, plan_id)
    return [_enterprise(p) for p in register_of(plan)]


class CreditRowOut(Schema):
    year: int = Field(..., description="年份")
    qualified: bool = Field(..., description="该年在培育或认定名单内（按参数的计入规则）")
    eligible_investment: int = Field(..., description="符合规定的投资（元）")
    ineligible_investment: int = Field(..., description="不符合规定、不计的投资（元）")
    opening_carry: str = Field(..., description="年初结转（元，精确十进制字符串）")
    new_credit: str = Field(..., description="新增抵免额 = 符合规定的投资 × 抵免比例（元）")
    surcharge_payable: int | None = Field(
        None, description="应缴教育费附加与地方教育附加合计（元）；null 为未录入"
    )
    credit_used: str = Field(..., description="本年抵免（元）")
    written_off: str = Field(..., description="超过结转年限失效或不结转作废（元）")
    closing_carry: str = Field(..., description="年末结转（元）")
    revenue_forgone: str = Field(..., description="减少的附加收入（元），即本年抵免")
    parameters_code: str = Field(..., description="抵免参数集编号")
    parameters_version: int | None = Field(
        None, description="抵免参数版本；null 为尚无施行中的参数"
    )
    parameters_name: str = Field(..., description="抵免参数名称（第几版见 parameters_version）")
    working: list[str] = Field(..., description="该年的计算过程（中文）")


class EnterpriseCreditOut(Schema):
    id: int = Field(..., description="名录编号")
    name: str = Field(..., description="企业名称")
    statement: str = Field(..., description="估算，以税务机关认定为准")
    revenue_forgone: str = Field(..., description="合计减少的附加收入（元）")
    closing_carry: str = Field(..., description="最后一年年末结转（元）")
    rows: list[CreditRowOut] = Field(..., description="各年台账")
    working: list[str] = Field(..., description="规则、参数（依据或示例）与合计（中文）")


class CreditYearTotalOut(Schema):
    year: int = Field(..., description="年份")
    revenue_forgone: str = Field(
        ..., description="该年各企业本年抵免之和，即减少的附加收入（元，精确十进制字符串）"
    )
    enterprises: int = Field(..., description="该年有抵免的企业数（家）")


class EnterpriseCreditsOut(Schema):
    statement: str = Field(..., description="估算，以税务机关认定为准")
    revenue_forgone: str = Field(..., description="各年合计减少的附加收入（元）")
    enterprises_contributing: int = Field(..., description="有抵免的企业数（家，任一年）")
    years: list[CreditYearTotalOut] = Field(..., description="各年减少的附加收入（估算）")
    enterprises: list[EnterpriseCreditOut] = Field(..., description="各企业的台账")


@router.get(
    "/plans/{plan_id}/enterprise-credits",
    response={200: EnterpriseCreditsOut, **SIGNED_IN, **NOT_FOUND},
    summary="产教融合型企业投资抵免台账与减少的附加收入（估算）",
)
def list_enterprise_credits(request: HttpRequest, plan_id: int) -> EnterpriseCreditsOut:
    """本地（及下辖）减少的附加收入（估算）：各年合计与有抵免的企业数，以及各企业按年的投资
    抵免台账：年初结转、新增抵免额、应缴两项附加、本年抵免、年末结转、减少的附加收入，每年记有
    参数版本与计算过程。估算，以税务机关认定为准。

    本地各成员（工作专班、领导小组、督查督导、部门联络员）可见；学校和外地得到 404。"""
    plan = _plan(request, plan_id)
    found = place_credit(register_of(plan))
    return EnterpriseCreditsOut(
        statement=str(found.totals.statement),
        revenue_forgone=exact(found.totals.revenue_forgone),
        enterprises_contributing=found.totals.enterprises,
        years=[
            CreditYearTotalOut(
                year=y.year, revenue_forgone=exact(y.revenue_forgone), enterprises=y.enterprises
            )
            for y in found.totals.years
        ],
        enterprises=[
            EnterpriseCreditOut(
                id=profile.pk,
                name=profile.enterprise.name,
                statement=str(credit.ESTIMATE),
                revenue_forgone=exact(view.ledger.revenue_forgone),
                closing_carry=exact(view.ledger.closing_carry),
                rows=[
                    CreditRowOut(
                        year=r.year,
                        qualified=r.qualified,
                        eligible_investment=r.eligible_investment,
                        ineligible_investment=r.ineligible_investment,
                        opening_carry=exact(r.opening_carry),
                        new_credit=exact(r.new_credit),
                        surcharge_payable=r.surcharge_payable,
                        credit_used=exact(r.credit_used),
                        written_off=exact(r.written_off),
                        closing_carry=exact(r.closing_carry),
                        revenue_forgone=exact(r.revenue_forgone),
                        parameters_code=r.parameters_code,
                        parameters_version=r.parameters_version,
                        parameters_name=r.parameters_name,
                        working=list(r.working),
                    )
                    for r in view.ledger.rows
                ],
                working=view.sentences,
            )
            for profile, view in found.ledgers
        ],
    )
