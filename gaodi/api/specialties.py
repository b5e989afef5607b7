"""专业预警: the stored results of the specialty warnings, each with the rule set code and
version that produced it and the deciding finding's working."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from gaodi.accounts.gate import Action, get_for_user
from gaodi.plans.models import Plan
from gaodi.specialties.models import WarningResult
from gaodi.specialties.queries import decision_label, visible_schools
from gaodi.specialties.warning import Finding, explain

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
