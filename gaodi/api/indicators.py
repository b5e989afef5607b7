"""Indicators: the registry with its targets, reported values, roll-ups, and writing values
through the same checks as the reporting form (collection.store_values)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from gaodi.accounts.gate import Action, get_for_user
from gaodi.indicators import approval
from gaodi.indicators.approving import submission_of
from gaodi.indicators.collection import ValuesRefused, store_values
from gaodi.indicators.models import DataSet, Indicator
from gaodi.indicators.periods import PeriodError, parse_period
from gaodi.indicators.queries import unit_values
from gaodi.indicators.rollup import by_children
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan

from .schemas import NOT_FOUND, SIGNED_IN, Message, exact

router = Router(tags=["指标"])


class TargetOut(Schema):
    year: int = Field(..., description="年份")
    value: str = Field(..., description="目标值（精确小数，字符串）")
    printed: str = Field(..., description="方案原文写法")
    baseline: bool = Field(..., description="是否为现有基础（基线）")


class IndicatorOut(Schema):
    code: str = Field(..., description="指标代码")
    name: str = Field(..., description="指标名称")
    unit: str = Field(..., description="计量单位")
    category: str = Field(..., description="所属表（附件2附表）")
    kind: str = Field(..., description="stock 存量（取期末值）/ flow 流量（累加）")
    formula: str = Field(..., description="由组成部分计算的公式；空为基础指标")
    targets: list[TargetOut] = Field(..., description="现有基础和各年目标值")


class ValueOut(Schema):
    code: str = Field(..., description="指标代码")
    name: str = Field(..., description="指标名称")
    value: str | None = Field(..., description="数值；比值由组成部分计算，组成部分缺失时为空")
    derived: bool = Field(..., description="是否由公式计算（不可填报）")


class ValuesOut(Schema):
    unit: int = Field(..., description="机构编号")
    period: str = Field(..., description="期间，如 2021、2021Q3、202103B")
    status: str = Field(..., description="审核状态：draft/submitted/returned/approved")
    values: list[ValueOut]


class ChildValue(Schema):
    unit: int = Field(..., description="下级机构编号")
    name: str = Field(..., description="下级机构名称")
    value: str | None = Field(
        ..., description="该下级及其以下各单位的汇总值（比值由汇总后的组成部分重算）"
    )


class ValuesQuery(Schema):
    unit: int = Field(..., description="机构编号")
    period: str = Field(..., description="期间，如 2021")
    data_set: str | None = Field(None, description="只看该填报表（代码，如 ds3）")


class RollupQuery(Schema):
    unit: int = Field(..., description="上级机构编号：按其直接下级汇总")
    period: str = Field(..., description="期间，如 2021")
    indicator: str = Field(..., description="指标代码")


class ValuesIn(Schema):
    unit: int = Field(..., description="填报单位编号")
    period: str = Field(..., description="期间，如 2021")
    data_set: str = Field(..., description="填报表代码，如 ds3")
    values: dict[str, str] = Field(..., description="指标代码 -> 数值（字符串，精确小数）")


class Problems(Schema):
    detail: str = Field(..., description="说明（中文）")
    problems: list[dict[str, str]] = Field(..., description="逐项原因：code 指标代码，message 原因")


class Stored(Schema):
    stored: int = Field(..., description="保存的数值个数")
    warnings: list[str] = Field(..., description="提示（不阻止保存，请核实）")


def _plan(request: HttpRequest, plan_id: int) -> Plan:
    return get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)


def _period(period: str) -> str:
    try:
        parse_period(period)
    except PeriodError as exc:
        raise Http404 from exc
    return period


def _text(value: Decimal | None) -> str | None:
    return None if value is None else exact(value)


@router.get(
    "/plans/{plan_id}/indicators",
    response={200: list[IndicatorOut], **SIGNED_IN, **NOT_FOUND},
    summary="指标体系",
)
def list_indicators(request: HttpRequest, plan_id: int) -> list[IndicatorOut]:
    """方案附件2生成的全部指标、公式、现有基础和各年目标值。"""
    plan = _plan(request, plan_id)
    found = []
    for indicator in Indicator.objects.filter(plan=plan).prefetch_related("targets"):
        found.append(
            IndicatorOut(
                code=indicator.code,
                name=indicator.name,
                unit=indicator.unit,
                category=indicator.category,
                kind=indicator.kind,
                formula=indicator.formula,
                targets=[
                    TargetOut(
                        year=t.year, value=exact(t.value), printed=t.printed, baseline=t.baseline
                    )
                    for t in indicator.targets.all()
                ],
            )
        )
    return found


@router.get(
    "/plans/{plan_id}/values",
    response={200: ValuesOut, **SIGNED_IN, **NOT_FOUND},
    summary="某单位某期的数据",
)
def read_values(request: HttpRequest, plan_id: int, query: Query[ValuesQuery]) -> ValuesOut:
    """一个机构某一期间填报的数和由组成部分计算的比值；只有该机构及其上级的工作专班、领导、督查和本单位填报员可见。"""
    plan = _plan(request, plan_id)
    unit = get_for_user(
        OrgUnit.objects.all(), request.auth, Action.READ_VALUES, place="pk", pk=query.unit
    )
    period = _period(query.period)
    indicators = Indicator.objects.filter(plan=plan).order_by("order")
    status = approval.DRAFT
    if query.data_set:
        data_set = DataSet.objects.filter(plan=plan, code=query.data_set).first()
        if data_set is None:
            raise Http404
        indicators = indicators.filter(data_sets=data_set)
        status = submission_of(data_set, unit, period).status
    known = unit_values(plan, unit.pk, period)  # reported, and formulas from their parts
    values = [
        ValueOut(code=i.code, name=i.name, value=_text(known.get(i.code)), derived=bool(i.formula))
        for i in indicators
    ]
    return ValuesOut(unit=unit.pk, period=period, status=status, values=values)


@router.get(
    "/plans/{plan_id}/rollup",
    response={200: list[ChildValue], **SIGNED_IN, **NOT_FOUND},
    summary="按下级汇总",
)
def rollup(request: HttpRequest, plan_id: int, query: Query[RollupQuery]) -> list[ChildValue]:
    """一个指标在某机构各直接下级的汇总值（实时，数值写入或审核后立即反映；比值由汇总后的组成部分重算，不取平均）。"""
    plan = _plan(request, plan_id)
    unit = get_for_user(
        OrgUnit.objects.all(), request.auth, Action.READ_VALUES, place="pk", pk=query.unit
    )
    period = _period(query.period)
    indicator = Indicator.objects.filter(plan=plan, code=query.indicator).first()
    if indicator is None:
        raise Http404
    sums = by_children(indicator, unit.pk, period)
    names = dict(OrgUnit.objects.filter(pk__in=list(sums)).values_list("pk", "name"))
    return [ChildValue(unit=pk, name=names[pk], value=_text(v)) for pk, v in sums.items()]


@router.post(
    "/plans/{plan_id}/values",
    response={200: Stored, 400: Problems, 403: Message, **SIGNED_IN, **NOT_FOUND},
    summary="填报数据",
)
def write_values(request: HttpRequest, plan_id: int, body: ValuesIn) -> Status[object]:
    """与网页填报同一套校验：全部通过才保存，任何一项不合格则全部不保存并逐项说明原因。"""
    plan = _plan(request, plan_id)
    unit = get_for_user(OrgUnit.objects.all(), request.auth, Action.ENTER, place="pk", pk=body.unit)
    data_set = DataSet.objects.filter(plan=plan, code=body.data_set).first()
    if data_set is None:
        raise Http404
    numbers: dict[str, Decimal] = {}
    problems = []
    for code, text in body.values.items():
        try:
            number = Decimal(text.strip().replace(",", ""))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append({"code": code, "message": _("“{text}”不是数字").format(text=text)})
        else:
            numbers[code] = number
    if problems:
        return Status(400, {"detail": _("未保存：有数值不是数字"), "problems": problems})
    try:
        result = store_values(
            data_set, body.period, {unit.pk: numbers}, actor=request.auth, source=_("接口填报")
        )
    except ValuesRefused as exc:
        return Status(
            400,
            {
                "detail": _("未保存：{why}").format(why=exc),
                "problems": [{"code": p.code, "message": p.message} for p in exc.problems],
            },
        )
    return Status(
        200, {"stored": result.values, "warnings": [v.message for _u, v in result.warnings]}
    )
