"""Every write of 供求信息 (重点任务（八）“人力资源统计、市场预测、供求信息发布”), each in one
transaction with its change records (gaodi.audit): the 示例 parameter set (idempotent), a new
parameter version, an enterprise's demand declaration, and a published bulletin."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan
from gaodi.today import now

from .models import (
    DemandDeclaration,
    Enterprise,
    Industry,
    Specialty,
    SupplyDemandBulletin,
    SupplyDemandParameters,
)
from .services import Refused, refuse_earlier, schools_of, snapshot
from .supply_demand import Parameters, example_parameters
from .supply_demand_queries import compute, parameters_in_force

MAX_HEADCOUNT = 100_000
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")  # GB 32100-2015: 18 位，不含 I O Z S V
ENTERED = "录入"


def _store(parameters: Parameters, owner: OrgUnit | None = None) -> SupplyDemandParameters:
    return SupplyDemandParameters.objects.create(
        owner=owner,
        code=parameters.code,
        version=parameters.version,
        effective_from=parameters.effective_from,
        name=parameters.name,
        source=parameters.source,
        parameters=parameters.to_json(),
    )


@transaction.atomic
def seed_supply_demand_parameters(*, actor: Actor) -> int:
    """The 示例 parameter set, once. Returns how many rows were created (0 or 1)."""
    example = example_parameters()
    if SupplyDemandParameters.objects.filter(code=example.code, version=example.version):
        return 0
    stored = _store(example)
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="供求参数")
    return 1


@transaction.atomic
def save_parameters(
    parameters: Parameters, *, actor: Actor, owner: OrgUnit | None = None
) -> SupplyDemandParameters:
    """A new version of a parameter set; an existing code+version is never overwritten, and
    a code belongs to one place (the built-in set's to nobody)."""
    owners = set(
        SupplyDemandParameters.objects.filter(code=parameters.code).values_list(
            "owner_id", flat=True
        )
    )
    if owners and owners != {owner.pk if owner else None}:
        raise Refused(_("参数集编号“{code}”已被其他地方使用").format(code=parameters.code))
    if SupplyDemandParameters.objects.filter(code=parameters.code, version=parameters.version):
        text = _("参数集“{code}”第 {version} 版已存在，请另存新版本")
        raise Refused(text.format(code=parameters.code, version=parameters.version))
    refuse_earlier(
        SupplyDemandParameters.objects.filter(code=parameters.code), parameters.effective_from
    )
    stored = _store(parameters, owner)
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="供求参数")
    return stored


@transaction.atomic
def declare_demand(
    plan: Plan,
    *,
    enterprise_name: str,
    specialty: Specialty,
    industry: Industry,
    year: int,
    headcount: int,
    credit_code: str = "",
    source: str = ENTERED,
    actor: Actor,
) -> DemandDeclaration:
    """An enterprise's demand for graduates of a specialty in a year, created or corrected
    (the change record keeps the old numbers). A new enterprise is registered on the way."""
    name, code = enterprise_name.strip(), credit_code.strip().upper()
    _check(name, code, year, headcount)
    enterprise = _enterprise(name, code, industry, source, actor)
    declaration = DemandDeclaration.objects.filter(
        plan=plan, enterprise=enterprise, specialty=specialty, year=year
    ).first()
    before = snapshot(declaration) if declaration else None
    if declaration is None:
        declaration = DemandDeclaration(
            plan=plan, enterprise=enterprise, specialty=specialty, year=year
        )
    declaration.industry = industry
    declaration.headcount = headcount
    declaration.declared_at = now()
    declaration.declared_by = actor if getattr(actor, "is_authenticated", False) else None
    declaration.source = source
    declaration.save()
    record_change(
        declaration,
        actor=actor,
        action="update" if before else "create",
        before=before,
        after=snapshot(declaration),
        summary="企业用人需求申报",
    )
    return declaration


def _check(name: str, code: str, year: int, headcount: int) -> None:
    problems = []
    if not name or len(name) > 100:
        problems.append(_("企业名称不能为空，且不超过 100 个字"))
    if code and not CREDIT_CODE.match(code):
        problems.append(_("统一社会信用代码须为 18 位数字或大写字母（不含 I、O、Z、S、V），可不填"))
    if not 2000 <= year <= 2100:
        problems.append(_("需求年份须在 2000–2100 之间"))
    if not 0 <= headcount <= MAX_HEADCOUNT:
        problems.append(_("需求人数须为 0–{most} 之间的整数").format(most=MAX_HEADCOUNT))
    if problems:
        raise Refused("；".join(problems))


def _enterprise(name: str, code: str, industry: Industry, source: str, actor: Actor) -> Enterprise:
    enterprise = Enterprise.objects.filter(name=name).first()
    if enterprise is not None:
        if code and enterprise.credit_code and code != enterprise.credit_code:
            # the register is shared by every place: another place's entry is not shown
            raise Refused(_("“{name}”已登记的统一社会信用代码与所填不符，请核对").format(name=name))
        return enterprise
    enterprise = Enterprise.objects.create(
        name=name, credit_code=code, industry=industry, source=source
    )
    record_change(
        enterprise, actor=actor, action="create", after=snapshot(enterprise), summary="企业"
    )
    return enterprise


def bulletin_prefix(parameters: Parameters, place: OrgUnit) -> str:
    """The place's own prefix; with the built-in 示例 set (written for 茌平区), one made from
    the place's name (东昌府区 -> 东昌府职教供求): no county numbers its bulletins as another's."""
    if parameters.code != example_parameters().code:
        return parameters.bulletin_prefix
    short = place.name[:-1] if len(place.name) > 2 and place.name[-1] in "区县市" else place.name
    return f"{short}职教供求"


@transaction.atomic
def publish_bulletin(plan: Plan, year: int, *, actor: Actor) -> SupplyDemandBulletin:
    """供求信息发布: the figures of `year` over every school of the plan, computed with the
    parameter set in force today, frozen under the next number of this year's bulletins
    (茌平职教供求〔2021〕1号). Refused when the year has no declaration."""
    if not 2000 <= year <= 2100:
        raise Refused(_("数据年份须在 2000–2100 之间"))
    # one publication of the plan at a time: two clicks must not take the same number
    list(Plan.objects.select_for_update().filter(pk=plan.pk).values("pk"))
    published_at = now()
    parameters = parameters_in_force(published_at.date(), plan.org_unit)
    if parameters is None:
        raise Refused(_("今天没有施行中的供求预测参数集，不能发布"))
    if not DemandDeclaration.objects.filter(plan=plan, year=year).exists():
        raise Refused(_("{year} 年尚无企业用人需求申报，不能发布供求信息").format(year=year))
    result = compute(plan, schools_of(plan), year, parameters)
    prefix = f"{bulletin_prefix(parameters, plan.org_unit)}〔{published_at.year}〕"
    serial = SupplyDemandBulletin.objects.filter(plan=plan, number__startswith=prefix).count() + 1
    bulletin = SupplyDemandBulletin.objects.create(
        plan=plan,
        year=year,
        number=f"{prefix}{serial}号",
        serial=serial,
        snapshot=result.to_json(),
        parameters_code=parameters.code,
        parameters_version=parameters.version,
        published_at=published_at,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_change(
        bulletin, actor=actor, action="create", after=snapshot(bulletin), summary="供求信息发布"
    )
    return bulletin
