"""专业 (重点任务（八）): the stored results of the specialty warnings, each with the rule set code
and version that produced it and the deciding finding's working; 供求信息 (gap and forecast,
computed now with the parameter set in force); 专业与产业对接 of a year. All three answer those
who may read the 专业预警 page (queries.visible_schools), with the same 404 for anyone else."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from gaodi.accounts.gate import Action, get_for_user
from gaodi.plans.models import Plan
from gaodi.specialties.models import (
    Offering,
    Specialty,
    SpecialtyCodeChange,
    SpecialtyIndustry,
    WarningResult,
)
from gaodi.specialties.queries import (
    alignment_of,
    decision_label,
    is_example,
    rule_set_history,
    visible_schools,
)
from gaodi.specialties.rule_sets import describe
from gaodi.specialties.supply_demand import GapRow
from gaodi.specialties.supply_demand import explain as explain_gap
from gaodi.specialties.supply_demand_queries import bulletins_of, compute, parameters_in_force
from gaodi.specialties.warning import Finding, RuleSet, explain
from gaodi.today import today

from .schemas import NOT_FOUND, SIGNED_IN

router = Router(tags=["专业"])


class WarningOut(Schema):
    school: str = Field(..., description="学校")
    specialty_code: str = Field(..., description="专业代码（“示例”开头的为待核实的占位代码）")
    specialty_name: str = Field(..., description="专业名称")
    as_of_year: int = Field(..., description="评估年份")
    rule_set_code: str = Field(..., description="规则集编号")
    rule_set_version: int = Field(..., description="规则集版本")
    decision: str = Field(..., description="结论：预警/调减/停招/撤销/正常")
    working: list[str] = Field(..., description="决定性判断的计算过程和依据（中文）")
    computed_at: str = Field(..., description="计算时间（ISO 8601）")


class WarningsQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="只看该评估年份")
    rule_set: str | None = Field(None, max_length=60, description="只看该规则集（编号）")


@router.get(
    "/plans/{plan_id}/specialty-warnings",
    response={200: list[WarningOut], **SIGNED_IN, **NOT_FOUND},
    summary="专业预警结果",
)
def list_specialty_warnings(
    request: HttpRequest, plan_id: int, query: Query[WarningsQuery]
) -> list[WarningOut]:
    """已计算的专业预警结果，每条记有规则集编号和版本。

    工作专班、领导小组和督查督导可见全部学校，学校只见本校，其他人得到 404。"""
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    schools = visible_schools(request.auth, plan)
    results = WarningResult.objects.filter(plan=plan, school__in=schools)
    if query.year is not None:
        results = results.filter(as_of_year=query.year)
    if query.rule_set:
        results = results.filter(rule_set_code=query.rule_set)
    ordered = results.select_related("school", "specialty").order_by(
        "as_of_year", "rule_set_code", "school__code", "specialty__name"
    )
    return [_out(result) for result in ordered]


def _out(result: WarningResult) -> WarningOut:
    working = explain(Finding.from_json(result.decision)) if result.decision else []
    return WarningOut(
        school=result.school.name,
        specialty_code=result.specialty.code,
        specialty_name=result.specialty.name,
        as_of_year=result.as_of_year,
        rule_set_code=result.rule_set_code,
        rule_set_version=result.rule_set_version,
        decision=decision_label(result),
        working=working,
        computed_at=result.computed_at.isoformat(),
    )


class YearQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="数据年份（默认今年）")


class ParametersOut(Schema):
    code: str = Field(..., description="参数集编号")
    version: int = Field(..., description="参数集版本")
    effective_from: str = Field(..., description="施行日期（ISO 8601）")
    method: str = Field(..., description="预测方法：linear 线性趋势 / average_change 平均年增量")
    window: int = Field(..., description="预测所用最近申报年度数")
    min_history: int = Field(..., description="最少申报年度数")
    horizon: int = Field(..., description="预测提前年数")
    programme_years: int = Field(..., description="学制年数（未报毕业生时按该年数前的招生估计）")
    source: str = Field(..., description="依据（含“示例”的为高地默认值）")
    example: bool = Field(..., description="是否示例参数")


class GapOut(Schema):
    name: str = Field(..., description="专业或产业")
    serves: list[str] = Field(..., description="专业对接的产业，或产业的对接专业")
    demand: int | None = Field(..., description="企业申报需求（人）；null = 该年未开展申报")
    supply: int | None = Field(..., description="预计毕业生（人）；null = 未报")
    gap: int | None = Field(..., description="缺口 = 需求 − 供给（人）；null = 无法计算")
    ratio: str | None = Field(..., description="供求比 = 需求 ÷ 供给（两位小数）；null = 无法计算")
    forecast_year: int = Field(..., description="预测年份")
    forecast_demand: int | None = Field(..., description="预测需求（人）；null = 无法预测")
    forecast_supply: int | None = Field(..., description="预测年份的预计供给（人）")
    forecast_gap: int | None = Field(..., description="预测缺口（人）")
    working: list[str] = Field(..., description="计算过程（中文）")


class SupplyDemandOut(Schema):
    year: int = Field(..., description="数据年份")
    surveyed_years: list[int] = Field(..., description="已开展企业需求申报的年度")
    parameters: ParametersOut
    steps: list[str] = Field(..., description="计算口径（中文）")
    specialties: list[GapOut]
    industries: list[GapOut]


@router.get(
    "/plans/{plan_id}/supply-demand",
    response={200: SupplyDemandOut, **SIGNED_IN, **NOT_FOUND},
    summary="人力资源供求信息",
)
def get_supply_demand(
    request: HttpRequest, plan_id: int, query: Query[YearQuery]
) -> SupplyDemandOut:
    """重点任务（八）供求信息：各专业、各产业的企业需求、预计毕业生、缺口、供求比和需求预测，附计算
    过程和所用参数集版本（示例参数）。

    工作专班、领导小组和督查督导按全部学校计算供给，学校只计本校，其他人得到 404。"""
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    schools = visible_schools(request.auth, plan)
    parameters = parameters_in_force(today(), plan.org_unit)
    if parameters is None:
        raise HttpError(404, "今天没有施行中的供求预测参数集")
    result = compute(plan, schools, query.year or today().year, parameters)
    return SupplyDemandOut(
        year=result.year,
        surveyed_years=list(result.surveyed),
        parameters=ParametersOut(
            **{**parameters.to_json(), "example": parameters.is_example},
        ),
        steps=list(result.steps),
        specialties=[_gap(row) for row in result.specialties],
        industries=[_gap(row) for row in result.industries],
    )


def _gap(row: GapRow) -> GapOut:
    computable = row.demand is not None and row.supply is not None
    return GapOut(
        name=row.name,
        serves=list(row.serves),
        demand=row.demand,
        supply=row.supply,
        gap=row.gap,
        ratio=str(row.ratio) if computable and row.ratio is not None else None,
        forecast_year=row.forecast.target_year,
        forecast_demand=row.forecast.value,
        forecast_supply=row.forecast_supply,
        forecast_gap=row.forecast_gap,
        working=explain_gap(row),
    )


class ShareOut(Schema):
    industry: str = Field(..., description="产业（附件2 专业布局的行）")
    target_students: int | None = Field(..., description="方案目标学生数；null = 方案未填")
    target_share: str | None = Field(..., description="目标占比（%）")
    actual_students: int | None = Field(..., description="对接专业在校生；null = 未报")
    actual_share: str | None = Field(..., description="实际占比（%）")
    gap: str | None = Field(..., description="实际 − 目标（百分点）")


class AlignmentOut(Schema):
    year: int = Field(..., description="年份")
    target_total: int = Field(..., description="有数字的产业目标学生数之和")
    actual_total: int = Field(..., description="计入的在校生之和")
    rows: list[ShareOut]
    unserved_industries: list[str] = Field(..., description="没有对接专业的产业")
    unmapped_specialties: list[str] = Field(..., description="不对接方案所列产业的专业")
    steps: list[str] = Field(..., description="计算过程（中文）")
    source: str = Field(..., description="依据")


@router.get(
    "/plans/{plan_id}/specialty-alignment",
    response={200: AlignmentOut, **SIGNED_IN, **NOT_FOUND},
    summary="专业与产业对接",
)
def get_specialty_alignment(
    request: HttpRequest, plan_id: int, query: Query[YearQuery]
) -> AlignmentOut:
    """一年的专业与产业对接：各产业学生占比对照附件2专业布局目标、差距（百分点）、没有对接专业的
    产业、不对接方案产业的专业，附计算过程。

    工作专班、领导小组和督查督导按全部学校计算，学校只计本校，其他人得到 404。"""
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    schools = visible_schools(request.auth, plan)
    found = alignment_of(plan, schools, query.year or today().year)
    return AlignmentOut(
        year=found.year,
        target_total=found.target_total,
        actual_total=found.actual_total,
        rows=[
            ShareOut(
                industry=row.industry,
                target_students=row.target_students,
                target_share=_text(row.target_share),
                actual_students=row.actual_students,
                actual_share=_text(row.actual_share),
                gap=_text(row.gap),
            )
            for row in found.rows
        ],
        unserved_industries=list(found.unserved_industries),
        unmapped_specialties=list(found.unmapped_specialties),
        steps=list(found.steps),
        source=f"{plan.doc_number}（八）；附件2 二、专业布局",
    )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class OfferingOut(Schema):
    school: str = Field(..., description="学校")
    school_code: str = Field(..., description="学校代码")
    specialty: str = Field(..., description="专业名称")
    year: int = Field(..., description="年份")
    planned_enrolment: int | None = Field(None, description="招生计划（空 = 未报）")
    enrolment: int | None = Field(None, description="实际招生（空 = 未报，0 = 未招生）")
    students: int | None = Field(None, description="在校生")
    graduates: int | None = Field(None, description="毕业生")
    employment_rate: str | None = Field(None, description="就业率（%）")
    counterpart_rate: str | None = Field(None, description="对口就业率（%）")
    source: str = Field(..., description="来源（【演示数据】、学校填报…）")


@router.get(
    "/plans/{plan_id}/specialty-offerings",
    response={200: list[OfferingOut], **SIGNED_IN, **NOT_FOUND},
    summary="专业点年度数据",
)
def list_specialty_offerings(
    request: HttpRequest, plan_id: int, query: Query[YearQuery]
) -> list[OfferingOut]:
    """各学校各专业某年的招生、在校生、毕业生和就业数据（不填年份为全部年份）；空值为未报。"""
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    offerings = Offering.objects.filter(school__in=visible_schools(request.auth, plan))
    if query.year is not None:
        offerings = offerings.filter(year=query.year)
    return [
        OfferingOut(
            school=o.school.name,
            school_code=o.school.code,
            specialty=o.specialty.name,
            year=o.year,
            planned_enrolment=o.planned_enrolment,
            enrolment=o.enrolment,
            students=o.students,
            graduates=o.graduates,
            employment_rate=_text(o.employment_rate),
            counterpart_rate=_text(o.counterpart_rate),
            source=o.source,
        )
        for o in offerings.select_related("school", "specialty").order_by(
            "school__code", "specialty__name", "year"
        )
    ]


class RuleOut(Schema):
    code: str = Field(..., description="规则编号")
    name: str = Field(..., description="规则名称")
    text: str = Field(..., description="规则（中文表述）")
    source: str = Field(..., description="本条依据（“示例”为示例参数）")
    rule: dict[str, Any] = Field(..., description="规则参数（JSON）")


class RuleSetOut(Schema):
    code: str = Field(..., description="规则集编号")
    version: int = Field(..., description="版本")
    effective_from: str = Field(..., description="施行日期（ISO 8601）")
    name: str = Field(..., description="名称")
    source: str = Field(..., description="依据")
    example: bool = Field(..., description="是否示例")
    owner: str | None = Field(None, description="制定单位（空 = 预置）")
    rules: list[RuleOut]


@router.get(
    "/plans/{plan_id}/specialty-rule-sets",
    response={200: list[RuleSetOut], **SIGNED_IN, **NOT_FOUND},
    summary="专业预警规则集",
)
def list_specialty_rule_sets(request: HttpRequest, plan_id: int) -> list[RuleSetOut]:
    """方案所在地可用的全部预警规则集及各版本（预置的、本地和上级制定的），每条规则有中文表述和依据。"""
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    visible_schools(request.auth, plan)  # the same readers as the 专业预警 page
    found = []
    for version in rule_set_history(plan):
        rule_set = RuleSet.from_json(version.rules)
        found.append(
            RuleSetOut(
                code=version.code,
                version=version.version,
                effective_from=version.effective_from.isoformat(),
                name=version.name,
                source=version.source,
                example=is_example(version),
                owner=version.owner.name if version.owner else None,
                rules=[
                    RuleOut(
                        code=rule.code,
                        name=rule.name,
                        text=describe(rule),
                        source=rule.source,
                        rule=rule.to_json(),
                    )
                    for rule in rule_set.rules
                ],
            )
        )
    return found


class BulletinOut(Schema):
    number: str = Field(..., description="文号，如 茌平职教供求〔2021〕1号")
    year: int = Field(..., description="数据年份")
    published_at: str = Field(..., description="发布时间（ISO 8601）")
    parameters_code: str = Field(..., description="所用参数集编号")
    parameters_version: int = Field(..., description="所用参数集版本")
    snapshot: dict[str, Any] = Field(
        ..., description="发布时冻结的供求数据（按专业、按产业，含计算过程）"
    )


@router.get(
    "/plans/{plan_id}/supply-demand/bulletins",
    response={200: list[BulletinOut], **SIGNED_IN, **NOT_FOUND},
    summary="已发布的供求信息",
)
def list_supply_demand_bulletins(request: HttpRequest, plan_id: int) -> list[BulletinOut]:
    """已发布的供求信息（新的在前），每期为发布时冻结的数字和所用参数集版本；可见范围同专业预警。"""
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    visible_schools(request.auth, plan)
    return [
        BulletinOut(
            number=b.number,
            year=b.year,
            published_at=b.published_at.isoformat(),
            parameters_code=b.parameters_code,
            parameters_version=b.parameters_version,
            snapshot=b.snapshot,
        )
        for b in bulletins_of(plan)
    ]


class CatalogueEntryOut(Schema):
    catalogue: str = Field(..., description="专业目录")
    code: str = Field(..., description="专业代码")
    code_verified: bool = Field(..., description="代码是否已按目录核实（否：“示例”占位代码）")
    name: str = Field(..., description="专业名称")
    level: str = Field(..., description="层次：中职或高职")
    specialty_class: str = Field(..., description="专业类别（预警豁免用）")
    successors: list[str] = Field(..., description="新目录中对应的专业")
    industries: list[str] = Field(..., description="对接的产业")
    source: str = Field(..., description="出处")


@router.get(
    "/plans/{plan_id}/specialty-catalogue",
    response={200: list[CatalogueEntryOut], **SIGNED_IN, **NOT_FOUND},
    summary="专业目录",
)
def list_specialty_catalogue(request: HttpRequest, plan_id: int) -> list[CatalogueEntryOut]:
    """专业目录：代码（标明是否已核实）、新旧对照、对接产业；可见范围同专业预警。"""
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    visible_schools(request.auth, plan)
    industries: dict[int, list[str]] = {}
    for specialty_id, name in SpecialtyIndustry.objects.values_list(
        "specialty_id", "industry__name"
    ).order_by("industry__name"):
        industries.setdefault(specialty_id, []).append(name)
    successors: dict[int, list[str]] = {}
    for old_id, name in SpecialtyCodeChange.objects.values_list("old_id", "new__name"):
        successors.setdefault(old_id, []).append(name)
    return [
        CatalogueEntryOut(
            catalogue=s.catalogue,
            code=s.code,
            code_verified=s.code_status == Specialty.CodeStatus.VERIFIED,
            name=s.name,
            level=s.level,
            specialty_class=s.specialty_class,
            successors=successors.get(s.pk, []),
            industries=industries.get(s.pk, []),
            source=s.source,
        )
        for s in Specialty.objects.order_by("catalogue", "level", "code", "name")
    ]
