"""Every write of the 产教融合型企业 register, each in one transaction with its change record
(gaodi.audit): the preset credit parameters (idempotent) and new versions, an enterprise put on
a place's register, a certification step, a cooperation, an investment declaration, a year's
surcharges payable.

Bad input raises Refused with a Chinese message listing every problem and writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.achievements.versions import ParameterError
from gaodi.audit.services import record_change
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor, ensure_org_unit
from gaodi.plans.models import Plan
from gaodi.specialties.models import Enterprise, Offering, Specialty
from gaodi.specialties.services import Refused, refuse_earlier, schools_of, snapshot
from gaodi.today import now, today
from gaodi.versioning import nearest_version

from . import certification, credit, credit_code
from .models import (
    CertificationStep,
    Cooperation,
    CooperationForm,
    CreditParameterVersion,
    IntegrationEnterprise,
    InvestmentDeclaration,
    Size,
    SurchargePayable,
)

MAX_AMOUNT = 10**12  # 一万亿元: more is a typing slip
__all__ = ["Refused"]  # the shared refusal (gaodi.specialties.services), for views and tests


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise Refused("；".join(problems))


def _length(problems: list[str], label: str, text: str, limit: int, *, required: bool) -> str:
    """The text as stored; a problem when empty (if required) or longer than its column
    (PostgreSQL would refuse it; SQLite would keep it)."""
    text = text.strip()
    if required and not text:
        problems.append(_("请填写{label}").format(label=label))
    if len(text) > limit:
        problems.append(
            _("{label}不能超过 {limit} 个字（现为 {n} 个字）").format(
                label=label, limit=limit, n=len(text)
            )
        )
    return text


def _year(problems: list[str], year: int | None, label: str) -> None:
    if year is None or not 2000 <= year <= 2100:
        problems.append(_("{label}须在 2000–2100 之间").format(label=label))


def _amount(problems: list[str], amount: int | None, label: str) -> None:
    if amount is None or not 0 <= amount <= MAX_AMOUNT:
        problems.append(_("{label}须为 0 到一万亿之间的整数（元）").format(label=label))


@transaction.atomic
def seed_parameters(*, actor: Actor) -> int:
    """The preset credit parameters (credit.preset()), once."""
    chosen = credit.preset()
    if CreditParameterVersion.objects.filter(code=chosen.code, version=chosen.version).exists():
        return 0
    save_parameters(chosen, actor=actor)
    return 1


@transaction.atomic
def save_parameters(parameters: credit.CreditParameters, *, actor: Actor) -> CreditParameterVersion:
    """A new version of the credit parameters; an existing code and version is never
    overwritten. Ledgers of years whose 31 December falls on or after its effective date use
    it; earlier years keep the version they had."""
    if CreditParameterVersion.objects.filter(
        code=parameters.code, version=parameters.version
    ).exists():
        raise Refused(
            _("参数集“{code}”第 {version} 版已存在，请另存新版本").format(
                code=parameters.code, version=parameters.version
            )
        )
    stored = CreditParameterVersion.objects.create(
        code=parameters.code,
        version=parameters.version,
        effective_from=parameters.effective_from,
        name=parameters.name,
        source=parameters.source_summary(),
        data=parameters.to_json(),
    )
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="抵免参数")
    return stored


def place_code(place: OrgUnit) -> str:
    """The code of a place's own credit parameters."""
    return f"{credit.PRESET_CODE}-{place.code}"


def in_force(
    versions: Sequence[credit.CreditParameters], day: date, place: OrgUnit
) -> credit.CreditParameters | None:
    """The parameters a place's ledgers use on `day`: its own set's version in force, else its
    city's..., else the preset's (never a neighbour's)."""
    return nearest_version(versions, day, place, place_code, credit.PRESET_CODE)


def chooser(place: OrgUnit) -> credit.Choose:
    """in_force for the place, as credit.ledger's `choose`."""
    return lambda versions, day: in_force(versions, day, place)


@transaction.atomic
def new_parameter_version(
    plan: Plan,
    *,
    rate: Decimal,
    carry_forward: bool,
    carry_years: int | None,
    qualifying_day: str,
    effective_from: date,
    source: str,
    actor: Actor,
) -> CreditParameterVersion:
    """The next version of the credit parameters of the plan's place (its own code: another
    place's are never touched), in force from `effective_from`, which may not precede its
    latest version's. Years whose 31 December falls before that day keep the version they had;
    the change record and each ledger row name the version used."""
    problems: list[str] = []
    source = _length(problems, _("依据"), source, 200, required=True)
    code = place_code(plan.org_unit)
    versions = CreditParameterVersion.objects.filter(code=code)
    try:
        latest = refuse_earlier(versions, effective_from)
    except Refused as earlier:  # listed with the other problems
        problems.append(str(earlier))
        latest = versions.order_by("-version").first()
    try:
        chosen = replace(
            credit.preset(),
            code=code,
            name=_("{place}产教融合型企业投资抵免参数").format(place=plan.org_unit.name),
            version=latest.version + 1 if latest else 1,
            effective_from=effective_from,
            rate=rate,
            carry_forward=carry_forward,
            carry_years=carry_years if carry_forward else None,
            qualifying_day=qualifying_day,
            sources=dict.fromkeys(credit.PARAMETER_NAMES, source),
            note="",
        )
    except ParameterError as error:
        problems.append(str(error))
    _refuse_if(problems)
    return save_parameters(chosen, actor=actor)


def parameter_versions() -> list[credit.CreditParameters]:
    return [credit.CreditParameters.from_json(v.data) for v in CreditParameterVersion.objects.all()]


@dataclass(frozen=True)
class EnterpriseInput:
    name: str
    credit_code: str
    sector: str
    size: str


def _credit_code(problems: list[str], name: str, code: str) -> Enterprise | None:
    """The enterprise of that name, if any, after checking the code against the one table."""
    problems.extend(credit_code.problems(code) if code else [_("请填写统一社会信用代码")])
    found = Enterprise.objects.filter(name=name).first() if name else None
    if found is not None and found.credit_code and code and found.credit_code != code:
        problems.append(_("“{name}”已登记的统一社会信用代码与所填不符，请核对").format(name=name))
    other = Enterprise.objects.filter(credit_code=code).exclude(name=name).first() if code else None
    if other is not None:
        problems.append(_("统一社会信用代码 {code} 已属于另一家企业，请核对").format(code=code))
    return found


@transaction.atomic
def register_enterprise(
    plan: Plan, given: EnterpriseInput, *, source: str, actor: Actor
) -> IntegrationEnterprise:
    """Put an enterprise on the register of the plan's place. The enterprise row is the one
    specialties.Enterprise row of that name (made if missing; its credit code filled in if it
    had none), so it appears once in 供求信息 and here."""
    problems: list[str] = []
    name = _length(problems, _("企业名称"), given.name, 100, required=True)
    sector = _length(problems, _("所属行业"), given.sector, 60, required=True)
    source = _length(problems, _("来源"), source, 100, required=True)
    code = given.credit_code.strip().upper()
    if given.size not in Size.values:
        problems.append(_("企业规模须为大型、中型、小型或微型"))
    found = _credit_code(problems, name, code)
    if found is not None and IntegrationEnterprise.objects.filter(enterprise=found).exists():
        problems.append(_("“{name}”已在产教融合型企业名录中").format(name=name))
    _refuse_if(problems)
    if found is None:
        found = Enterprise.objects.create(name=name, credit_code=code, source=source)
        record_change(found, actor=actor, action="create", after=snapshot(found), summary="企业")
    elif not found.credit_code:
        before = snapshot(found)
        found.credit_code = code
        found.save(update_fields=["credit_code"])
        record_change(
            found,
            actor=actor,
            action="update",
            before=before,
            after=snapshot(found),
            summary="补填统一社会信用代码",
        )
    profile = IntegrationEnterprise.objects.create(
        enterprise=found,
        place=plan.org_unit,
        sector=sector,
        size=given.size,
        source=source,
        registered_at=now(),
    )
    record_change(
        profile, actor=actor, action="create", after=snapshot(profile), summary="产教融合型企业登记"
    )
    return profile


@transaction.atomic
def open_enterprise_unit(profile: IntegrationEnterprise, *, actor: Actor) -> OrgUnit:
    """The enterprise's own org unit (kind enterprise, under its place), made once: its people
    are then given the `enterprise` role there (the system administrator makes their login)
    and may read their enterprise's page and declare its investment."""
    if profile.org_unit is not None:
        return profile.org_unit
    code = f"{profile.place.code}-E{profile.pk}"
    unit = ensure_org_unit(
        code, profile.enterprise.name, OrgKind.ENTERPRISE, profile.place, actor=actor
    )
    before = snapshot(profile)
    profile.org_unit = unit
    profile.save(update_fields=["org_unit"])
    record_change(
        profile,
        actor=actor,
        action="update",
        before=before,
        after=snapshot(profile),
        summary="开通企业账号所属机构",
    )
    return unit


def history(profile: IntegrationEnterprise) -> list[certification.Step]:
    return [
        certification.Step(s.state, s.on, s.level, s.source, s.reason)
        for s in profile.steps.order_by("on", "pk")
    ]


@transaction.atomic
def record_step(
    profile: IntegrationEnterprise, step: certification.Step, *, actor: Actor
) -> CertificationStep:
    """The next step of the certification workflow, if certification.problems allows it."""
    problems: list[str] = []
    source = _length(problems, _("公布名单"), step.source, 200, required=False)
    reason = _length(problems, _("理由"), step.reason, 300, required=False)
    cleaned = certification.Step(step.state, step.on, step.level, source, reason)
    problems.extend(certification.problems(history(profile), cleaned))
    if step.on > today():
        problems.append(_("日期不能晚于今天"))
    _refuse_if(problems)
    stored = CertificationStep.objects.create(
        profile=profile,
        state=cleaned.state,
        on=cleaned.on,
        level=cleaned.level,
        source=cleaned.source,
        reason=cleaned.reason,
        recorded_at=now(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="认定环节")
    return stored


@dataclass(frozen=True)
class CooperationInput:
    school: OrgUnit
    form: str
    start_year: int | None
    end_year: int | None = None
    specialty: Specialty | None = None
    note: str = ""


@transaction.atomic
def record_cooperation(
    plan: Plan, profile: IntegrationEnterprise, given: CooperationInput, *, actor: Actor
) -> Cooperation:
    """A form of cooperation with a school of the plan."""
    problems: list[str] = []
    if given.school.pk not in {s.pk for s in schools_of(plan)}:
        problems.append(_("“{name}”不是本方案所辖的学校").format(name=given.school.name))
    if given.form not in CooperationForm.values:
        problems.append(_("合作形式须为订单班、冠名班、共建专业、实训基地、职教集团或混合所有制"))
    _year(problems, given.start_year, _("起始年份"))
    if given.end_year is not None:
        _year(problems, given.end_year, _("结束年份"))
        if given.start_year is not None and given.end_year < given.start_year:
            problems.append(_("结束年份不能早于起始年份"))
    if (
        given.specialty is not None
        and not Offering.objects.filter(school=given.school, specialty=given.specialty).exists()
    ):
        problems.append(
            _("“{specialty}”不是{school}开设的专业").format(
                specialty=given.specialty.name, school=given.school.name
            )
        )
    note = _length(problems, _("说明"), given.note, 200, required=False)
    _refuse_if(problems)
    found = Cooperation.objects.create(
        profile=profile,
        school=given.school,
        form=given.form,
        start_year=given.start_year,
        end_year=given.end_year,
        specialty=given.specialty,
        note=note,
    )
    record_change(found, actor=actor, action="create", after=snapshot(found), summary="校企合作")
    return found


@dataclass(frozen=True)
class InvestmentInput:
    year: int | None
    amount: int | None
    purpose: str
    eligible: bool
    eligibility_reason: str


@transaction.atomic
def declare_investment(
    profile: IntegrationEnterprise, given: InvestmentInput, *, source: str, actor: Actor
) -> InvestmentDeclaration:
    """An investment in 兴办职业教育 of a year (integer 元), eligible or not, with the reason. A
    later year is allowed: a planned investment, for the planning estimate."""
    problems: list[str] = []
    _year(problems, given.year, _("年份"))
    _amount(problems, given.amount, _("投资额"))
    purpose = _length(problems, _("投资用途"), given.purpose, 200, required=True)
    reason = _length(problems, _("认定理由"), given.eligibility_reason, 300, required=True)
    source = _length(problems, _("来源"), source, 100, required=True)
    _refuse_if(problems)
    found = InvestmentDeclaration.objects.create(
        profile=profile,
        year=given.year,
        amount=given.amount,
        purpose=purpose,
        eligible=given.eligible,
        eligibility_reason=reason,
        source=source,
        declared_at=now(),
        declared_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_change(found, actor=actor, action="create", after=snapshot(found), summary="投资申报")
    return found


@transaction.atomic
def record_surcharge(
    profile: IntegrationEnterprise,
    year: int | None,
    education_surcharge: int | None,
    local_education_surcharge: int | None,
    *,
    source: str,
    actor: Actor,
) -> SurchargePayable:
    """A year's 教育费附加 and 地方教育附加 payable (integer 元), created or corrected (the change
    record keeps the old figures)."""
    problems: list[str] = []
    _year(problems, year, _("年份"))
    _amount(problems, education_surcharge, _("应缴教育费附加"))
    _amount(problems, local_education_surcharge, _("应缴地方教育附加"))
    source = _length(problems, _("来源"), source, 100, required=True)
    _refuse_if(problems)
    found = SurchargePayable.objects.filter(profile=profile, year=year).first()
    before = snapshot(found) if found else None
    if found is None:
        found = SurchargePayable(profile=profile, year=year)
    found.education_surcharge = education_surcharge
    found.local_education_surcharge = local_education_surcharge
    found.source = source
    found.save()
    record_change(
        found,
        actor=actor,
        action="update" if before else "create",
        before=before,
        after=snapshot(found),
        summary="应缴附加",
    )
    return found
