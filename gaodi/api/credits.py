"""学分银行 (重点任务（十）): the plan's credit-bank counts (pilots running, certificates by
scheme and level, the recognition pass rate, credits converted) and a learner's transcript as
CLR 2.0 JSON with its content hash. Scoped like 评价与成果: the work team, leaders and
inspectors of the place see every school, a school its own learners, anyone else 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from gaodi.accounts.gate import Action, can, get_for_user
from gaodi.credits import credentials
from gaodi.credits.models import Learner
from gaodi.credits.queries import counts, visible_schools
from gaodi.credits.services import Refused, current_transcript, transcript_of
from gaodi.credits.sittings import pass_rates_of
from gaodi.plans.models import Plan
from gaodi.today import today

from .schemas import NOT_FOUND, SIGNED_IN, Message, exact

router = Router(tags=["学分银行"])


class CertificateCountOut(Schema):
    scheme: str = Field(..., description="证书体系")
    level: str = Field(..., description="等级")
    count: int = Field(..., description="证书数（发证日期不晚于统计日）")


class CreditCountsOut(Schema):
    as_of: dt.date = Field(..., description="统计日")
    pilots: int = Field(
        ...,
        description="证书试点数（与评价与成果同一口径）：职业技能等级证书体系中，"
        "统计日前已有学习成果经认定通过的认证单元数",
    )
    certificates: list[CertificateCountOut] = Field(..., description="证书按体系和等级")
    decided: int = Field(..., description="已作出认定决定的件数")
    recognised: int = Field(..., description="已认定件数")
    pass_rate: str | None = Field(None, description="认定通过率（%），尚无决定为 null")
    credits_converted: str = Field(..., description="已转换学分（精确十进制字符串）")
    working: list[str] = Field(..., description="计算过程和依据（中文）")


class CreditCountsQuery(Schema):
    as_of: dt.date | None = Field(None, description="统计日（默认今天）")


@router.get(
    "/plans/{plan_id}/credit-counts",
    response={200: CreditCountsOut, **SIGNED_IN, **NOT_FOUND},
    summary="学分银行统计",
)
def credit_counts(
    request: HttpRequest, plan_id: int, query: Query[CreditCountsQuery]
) -> CreditCountsOut:
    """试点数、证书按体系和等级、认定通过率、已转换学分，附计算过程。

    工作专班、领导小组和督查督导可见全部学校，学校只见本校，其他人得到 404。"""
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    as_of = query.as_of or today()
    found = counts(visible_schools(request.auth, plan), as_of)
    return CreditCountsOut(
        as_of=as_of,
        pilots=found.pilots,
        certificates=[
            CertificateCountOut(scheme=s, level=lv, count=n) for s, lv, n in found.by_scheme_level
        ],
        decided=found.decided,
        recognised=found.recognised,
        pass_rate=exact(found.pass_rate) if found.pass_rate is not None else None,
        credits_converted=exact(found.credits_converted),
        working=found.working,
    )


class TranscriptOut(Schema):
    content_hash: str = Field(..., description="CLR JSON 的 sha256（键排序、无空格的 UTF-8 JSON）")
    clr: dict[str, Any] = Field(..., description="CLR 2.0 ClrCredential（学习档案）")
    token: str = Field(..., description="签名的学习档案（VC-JWT，载荷即上面的凭证）")
    verify_url: str = Field(..., description="公开核验地址")


@router.get(
    "/learners/{learner_id}/transcript",
    response={200: TranscriptOut, 409: Message, **SIGNED_IN, **NOT_FOUND},
    summary="学习档案（CLR 2.0）",
)
def transcript(request: HttpRequest, learner_id: int) -> TranscriptOut:
    """学习者的学习档案（CLR 2.0 JSON，已签名：VC-JWT，有自己的撤销状态位，所含成果凭证为封装的
    已签名凭证）及其内容哈希；不含身份证号。内容有变化时，可填报该校的用户（该校填报员、工作专班）读取即签发新的学习档案（记入变更记录）；
    其他可见者只能读取已签发的最新一份，尚未出具时得到 409。

    学习者所在学校及其上级的工作专班、领导小组和督查督导、该校填报员可见，其他人得到 404。"""
    learner = Learner.objects.filter(pk=learner_id, merged_into__isnull=True).first()
    if learner is None or not can(request.auth, Action.READ_VALUES, learner.school_id):
        raise Http404
    may_issue = can(request.auth, Action.ENTER, learner.school_id)
    try:
        stored = current_transcript(learner, actor=request.auth, may_issue=may_issue)
    except Refused as refused:
        raise HttpError(409, str(refused)) from refused
    clr = transcript_of(stored)
    return TranscriptOut(
        content_hash=credentials.content_hash(clr),
        clr=clr,
        token=stored.token,
        verify_url=request.build_absolute_uri(reverse("credits:credential", args=[stored.uid])),
    )


class PassRateOut(Schema):
    scheme: str = Field(..., description="证书体系（合计行为“合计”）")
    level: str = Field(..., description="等级（合计行为空）")
    sittings: int = Field(..., description="考核批次数")
    candidates: int = Field(..., description="参加考核人数")
    passed: int = Field(..., description="通过人数")
    rate: str | None = Field(None, description="通过率（%，一位小数），无人参加为 null")


class PassRatesOut(Schema):
    year: int = Field(..., description="年度")
    rates: list[PassRateOut] = Field(..., description="按证书体系和等级")
    total: PassRateOut = Field(..., description="合计（各部分相加后再相除）")
    notes: list[str] = Field(..., description="通过人数与学分银行登记证书的核对（中文）")


class PassRatesQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度（默认今年）")


def _rate_out(rate: Any) -> PassRateOut:
    return PassRateOut(
        scheme=rate.scheme,
        level=rate.level,
        sittings=rate.sittings,
        candidates=rate.candidates,
        passed=rate.passed,
        rate=exact(rate.rate) if rate.rate is not None else None,
    )


@router.get(
    "/plans/{plan_id}/exam-pass-rates",
    response={200: PassRatesOut, **SIGNED_IN, **NOT_FOUND},
    summary="考核通过率",
)
def exam_pass_rates(
    request: HttpRequest, plan_id: int, query: Query[PassRatesQuery]
) -> PassRatesOut:
    """一年内各考核批次的通过率，按证书体系和等级合计后再相除，附与学分银行登记证书的核对。

    可见范围同学分银行统计：工作专班、领导小组和督查督导见全部学校，学校只见本校，其他人 404。"""
    plan = get_for_user(Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id)
    year = query.year or today().year
    found = pass_rates_of(
        visible_schools(request.auth, plan), dt.date(year, 1, 1), dt.date(year, 12, 31)
    )
    return PassRatesOut(
        year=year,
        rates=[_rate_out(r) for r in found.rates],
        total=_rate_out(found.total),
        notes=found.notes,
    )
