"""学分银行 (重点任务（十）): the plan's credit-bank counts (pilots running, certificates by
scheme and level, the recognition pass rate, credits converted) and a learner's transcript as
CLR 2.0 JSON with its content hash. Scoped like 评价与成果: the work team, leaders and
inspectors of the place see every school, a school its own learners, anyone else 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from gaodi.accounts.gate import Action, can, get_for_user
from gaodi.credits import credentials
from gaodi.credits.models import Learner
from gaodi.credits.queries import counts, visible_schools
from gaodi.credits.services import transcript_json
from gaodi.plans.models import Plan
from gaodi.today import now, today

from .schemas import NOT_FOUND, SIGNED_IN, exact

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


@router.get(
    "/learners/{learner_id}/transcript",
    response={200: TranscriptOut, **SIGNED_IN, **NOT_FOUND},
    summary="学习档案（CLR 2.0）",
)
def transcript(request: HttpRequest, learner_id: int) -> TranscriptOut:
    """学习者的学习档案（CLR 2.0 JSON）及其内容哈希；不含身份证号。

    学习者所在学校及其上级的工作专班、领导小组和督查督导、该校填报员可见，其他人得到 404。"""
    learner = Learner.objects.filter(pk=learner_id, merged_into__isnull=True).first()
    if learner is None or not can(request.auth, Action.READ_VALUES, learner.school_id):
        raise Http404
    day = today()
    issued = dt.datetime(day.year, day.month, day.day, tzinfo=now().tzinfo)
    clr = transcript_json(learner, issued)
    return TranscriptOut(content_hash=credentials.content_hash(clr), clr=clr)
