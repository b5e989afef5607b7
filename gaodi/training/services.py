"""Every write of the training app, each in one transaction with its change records
(gaodi.audit): the preset parameter sets (idempotent) and a place's new versions, a training
record (recorded or corrected), a school's pay inputs of a year, and the results of a school's
year (recomputed after each of those writes).

Bad input raises Refused (the shared `gaodi.specialties.services.Refused`) with a Chinese
message listing every problem (joined with "；"), and writes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.achievements.versions import ParameterError, number
from gaodi.audit.services import record_change, record_changes
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan
from gaodi.specialties.services import Change, Refused, refuse_earlier, schools_of, snapshot
from gaodi.today import now, today
from gaodi.versioning import nearest_version

from . import conversion, pay
from .models import ParameterVersion, PayInput, TrainingRecord, YearResult

Kind = ParameterVersion.Kind
PRESETS = {Kind.CONVERSION: "training-conversion", Kind.PAY: "performance-pay"}
MAX_PEOPLE = 10_000_000  # 人次 of one programme: more is a typing slip
MAX_DAYS = Decimal("99999999999.9")  # numeric(12,1)
MAX_YUAN = 10**13  # 10 万亿元: more is a typing slip (bigint holds far more)
TENTH = Decimal("0.1")


def _join(problems: list[str]) -> str:
    """Every problem in one Chinese message (the shared Refused carries one message)."""
    return "；".join(problems)


__all__ = ["Refused"]  # the shared refusal (gaodi.specialties.services), for views and tests

# --- parameter versions ---------------------------------------------------------------------

Parameters = conversion.ConversionParameters | pay.PayParameters


def _kind_of(parameters: Parameters) -> str:
    return Kind.CONVERSION if isinstance(parameters, conversion.ConversionParameters) else Kind.PAY


def _store(parameters: Parameters, owner: OrgUnit | None) -> ParameterVersion:
    return ParameterVersion.objects.create(
        kind=_kind_of(parameters),
        code=parameters.code,
        version=parameters.version,
        effective_from=parameters.effective_from,
        name=parameters.name,
        source=parameters.source,
        owner=owner,
        data=parameters.to_json(),
    )


TEXT_FIELDS = ("name", "source", "note")  # what a preset's wording may correct; never a value


@transaction.atomic
def seed_parameters(*, actor: Actor) -> int:
    """The 示例 conversion and pay parameter sets (version 1 of each), once. A preset stored
    with older wording (its name, source or note: e.g. a source cited since) is given the
    current wording, recorded as a change, when its values are the same; its values are never
    changed here (a change of value is a new version)."""
    changes: list[Change] = []
    for preset in (conversion.example_parameters(), pay.example_parameters()):
        stored = ParameterVersion.objects.filter(
            code=preset.code, version=preset.version, owner=None
        ).first()
        if stored is None:
            if not ParameterVersion.objects.filter(code=preset.code, version=preset.version):
                stored = _store(preset, None)
                changes.append((stored, "create", None, snapshot(stored), "预置参数集"))
            continue
        data = preset.to_json()
        values = {k: v for k, v in data.items() if k not in TEXT_FIELDS}
        if (
            stored.data == data
            or {k: v for k, v in stored.data.items() if k not in TEXT_FIELDS} != values
        ):
            continue
        before = snapshot(stored)
        stored.name, stored.source, stored.data = preset.name, preset.source, data
        stored.save(update_fields=["name", "source", "data"])
        changes.append((stored, "update", before, snapshot(stored), "预置参数集依据更正"))
    record_changes(changes, actor=actor)
    return len(changes)


def place_code(kind: str, place: OrgUnit) -> str:
    """A place's own parameter set of a kind: its code."""
    return f"{PRESETS[kind]}-{place.code}"


def conversion_versions() -> list[conversion.ConversionParameters]:
    stored = ParameterVersion.objects.filter(kind=Kind.CONVERSION)
    return [conversion.ConversionParameters.from_json(v.data) for v in stored]


def pay_versions() -> list[pay.PayParameters]:
    stored = ParameterVersion.objects.filter(kind=Kind.PAY)
    return [pay.PayParameters.from_json(v.data) for v in stored]


def _nearest(versions: list[Any], kind: str, plan: Plan, day: date) -> Any:
    """The nearest place's own version in force on `day` (the county's, else its city's, else
    its province's), else the 示例 preset's — as for the 评价 weights and the rule sets."""
    return nearest_version(
        versions, day, plan.org_unit, lambda place: place_code(kind, place), PRESETS[kind]
    )


def conversion_in_force(plan: Plan, day: date) -> conversion.ConversionParameters | None:
    found: conversion.ConversionParameters | None = _nearest(
        conversion_versions(), Kind.CONVERSION, plan, day
    )
    return found


def pay_in_force(plan: Plan, day: date) -> pay.PayParameters | None:
    found: pay.PayParameters | None = _nearest(pay_versions(), Kind.PAY, plan, day)
    return found


def _next_version(kind: str, code: str, effective_from: date, problems: list[str]) -> int:
    """The next version number of a place's set; a 施行日期 before the latest version's is a
    problem (the shared refuse_earlier), listed with the others."""
    versions = ParameterVersion.objects.filter(kind=kind, code=code)
    try:
        latest = refuse_earlier(versions, effective_from)
    except Refused as earlier:
        problems.append(str(earlier))
        latest = versions.order_by("-version").first()
    return (latest.version + 1) if latest else 1


@transaction.atomic
def save_parameters(
    plan: Plan,
    kind: str,
    values: dict[str, Any],
    *,
    effective_from: date,
    source: str,
    actor: Actor,
) -> ParameterVersion:
    """The next version of the plan's place's own parameter set of `kind` (another place's
    sets are never touched), in force from `effective_from` (not before the latest version's),
    the values checked by the pure dataclass. Every result of the plan is recomputed: a year
    takes the version in force on its 31 December, so only the years on or after the effective
    date change."""
    problems: list[str] = []
    if kind not in PRESETS:
        raise Refused(_("没有名为“{kind}”的参数类别").format(kind=kind))
    source = source.strip()
    if not source:
        problems.append(_("请填写新参数的依据（文件或会议）"))
    code = place_code(kind, plan.org_unit)
    version = _next_version(kind, code, effective_from, problems)
    name = _("{place}{what}").format(
        place=plan.org_unit.name,
        what=_("培训量折算参数") if kind == Kind.CONVERSION else _("职业院校绩效工资参数"),
    )
    chosen: Parameters | None = None
    try:
        if kind == Kind.CONVERSION:
            chosen = conversion.ConversionParameters(
                code=code,
                name=name,
                version=version,
                effective_from=effective_from,
                source=source,
                **values,
            )
        else:
            chosen = pay.PayParameters(
                code=code,
                name=name,
                version=version,
                effective_from=effective_from,
                source=source,
                **values,
            )
    except ParameterError as error:
        problems.append(str(error))
    if problems or chosen is None:
        raise Refused(_join(problems))
    stored = _store(chosen, plan.org_unit)
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="参数集")
    for school, year in _computed_years(plan):
        compute_year(plan, school, year, actor=actor)
    return stored


# --- training records ---------------------------------------------------------------------


@dataclass(frozen=True)
class TrainingInput:
    programme: str
    start: date | None
    end: date | None
    participants: int | None
    person_days: Decimal | None
    target_groups: tuple[str, ...] = ()
    subsidised: bool = False
    income: int | None = None  # 元
    source: str = ""


def _school_problem(plan: Plan, school: OrgUnit | None) -> str | None:
    if school is None or school.pk not in {found.pk for found in schools_of(plan)}:
        return _("请选择本方案所辖的学校")
    return None


def _length(label: str, text: str, limit: int, problems: list[str]) -> str:
    """Text as it will be stored; a problem when longer than its column (PostgreSQL would
    refuse it with an error; SQLite would keep it)."""
    text = text.strip()
    if len(text) > limit:
        problems.append(
            _("{label}不能超过 {limit} 个字（现为 {count} 个字）").format(
                label=label, limit=limit, count=len(text)
            )
        )
    return text


def training_problems(given: TrainingInput) -> list[str]:
    """Every problem of a training record, in Chinese (empty: it may be stored)."""
    problems: list[str] = []
    programme = _length(_("培训项目"), given.programme, 200, problems)
    if not programme:
        problems.append(_("请填写培训项目名称"))
    _length(_("来源说明"), given.source, 200, problems)
    if given.start is None:
        problems.append(_("请填写开始日期（YYYY-MM-DD）"))
    if given.end is None:
        problems.append(_("请填写结束日期（YYYY-MM-DD）"))
    if given.start and given.end:
        if given.end < given.start:
            problems.append(_("结束日期早于开始日期"))
        if given.end > today():
            problems.append(_("结束日期不能晚于今天：只登记已完成的培训"))
        if given.start.year < 2000:
            problems.append(_("开始日期须在 2000 年以后"))
    if given.participants is None:
        problems.append(_("请填写人次（非负整数）"))
    elif not 0 <= given.participants <= MAX_PEOPLE:
        problems.append(_("人次须在 0 到 {most} 之间").format(most=MAX_PEOPLE))
    if given.person_days is None:
        problems.append(_("请填写人日（非负数，最多一位小数）"))
    elif not Decimal(0) <= given.person_days <= MAX_DAYS:
        problems.append(_("人日须为非负数"))
    elif given.person_days != given.person_days.quantize(TENTH):
        problems.append(_("人日最多保留一位小数"))
    if (
        given.start
        and given.end
        and given.end >= given.start
        and given.participants is not None
        and given.person_days is not None
    ):
        span = (given.end - given.start).days + 1
        if given.person_days > given.participants * span:
            problems.append(
                _(
                    "人日 {days} 超过 人次 {times} × 培训天数 {span}：每人次每天至多计 1 人日"
                ).format(days=number(given.person_days), times=given.participants, span=span)
            )
    unknown = [g for g in given.target_groups if g not in conversion.TARGET_GROUPS]
    if unknown:
        problems.append(_("没有名为“{name}”的培训对象").format(name="、".join(unknown)))
    if len(set(given.target_groups)) != len(given.target_groups):
        problems.append(_("培训对象重复"))
    if given.income is not None and not 0 <= given.income <= MAX_YUAN:
        problems.append(_("到款额须为非负整数（元）"))
    return problems


@transaction.atomic
def record_training(
    plan: Plan,
    school: OrgUnit | None,
    given: TrainingInput,
    *,
    actor: Actor,
    record: TrainingRecord | None = None,
) -> TrainingRecord:
    """One training record of a school, created, or corrected when `record` is given (before
    and after recorded); the years it touches are recomputed."""
    problems = [p for p in [_school_problem(plan, school)] if p] + training_problems(given)
    if record is not None and record.plan_id != plan.pk:
        problems.append(_("该培训记录不属于本方案"))
    if problems or school is None:
        raise Refused(_join(problems))
    before = snapshot(record) if record is not None else None
    old = (record.school, record.end.year) if record is not None else None
    found = record or TrainingRecord(plan=plan)
    found.school = school
    found.programme = given.programme.strip()
    found.start = given.start
    found.end = given.end
    found.participants = given.participants
    found.person_days = given.person_days
    found.target_groups = [g for g in conversion.TARGET_GROUPS if g in given.target_groups]
    found.subsidised = given.subsidised
    found.income = given.income
    found.source = given.source.strip() or _("录入")
    found.save()
    record_change(
        found,
        actor=actor,
        action="update" if before else "create",
        before=before,
        after=snapshot(found),
        summary="社会培训记录",
    )
    touched = {(school.pk, found.end.year): school}
    if old is not None:
        touched.setdefault((old[0].pk, old[1]), old[0])
    for (_pk, year), unit in touched.items():
        compute_year(plan, unit, year, actor=actor)
    return found


# --- pay inputs -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TalentInput:
    name: str
    kind: str
    amount: int  # 元 a year


@dataclass(frozen=True)
class PayGiven:
    year: int | None
    benchmark_per_head: int | None
    headcount: int | None
    requested_base: int | None = None
    tech_service_balance: int | None = None
    tech_share: Decimal | None = None
    transfer_fees: int | None = None
    talents: tuple[TalentInput, ...] = field(default_factory=tuple)
    source: str = ""


def pay_problems(given: PayGiven) -> list[str]:
    problems: list[str] = []
    if given.year is None or not 2000 <= given.year <= 2100:
        problems.append(_("年份须在 2000–2100 之间"))
    if given.benchmark_per_head is None:
        problems.append(_("请填写区属事业单位绩效工资基准线（元/人）"))
    if given.headcount is None:
        problems.append(_("请填写核定人数"))
    elif not 0 <= given.headcount <= 100000:
        problems.append(_("核定人数须在 0 到 100000 之间"))
    money = (
        (_("基准线"), given.benchmark_per_head),
        (_("申请基础绩效工资"), given.requested_base),
        (_("科技成果转化费"), given.transfer_fees),
    )
    for label, value in money:
        if value is not None and not 0 <= value <= MAX_YUAN:
            problems.append(_("{label}须为非负整数（元）").format(label=label))
    balance = given.tech_service_balance
    if balance is not None and not -MAX_YUAN <= balance <= MAX_YUAN:
        problems.append(_("技术服务收入结余超出范围"))
    share = given.tech_share
    if share is not None and not Decimal(0) <= share <= Decimal(1):
        problems.append(_("提取比例须在 0% 与 100% 之间"))
    elif share is not None and share != share.quantize(Decimal("0.0001")):
        problems.append(_("提取比例最多保留两位小数（百分数）"))
    for talent in given.talents:
        name = _length(_("人才姓名"), talent.name, 50, problems)
        if not name:
            problems.append(_("高层次人才须填写姓名"))
        if talent.kind not in pay.SALARY_KINDS:
            problems.append(_("没有名为“{kind}”的薪酬方式").format(kind=talent.kind))
        if not 0 <= talent.amount <= MAX_YUAN:
            problems.append(_("高层次人才“{name}”的薪酬须为非负整数（元）").format(name=name))
    if len(given.talents) > 100:
        problems.append(_("高层次人才单列至多 100 人"))
    _length(_("来源说明"), given.source, 200, problems)
    return problems


@transaction.atomic
def save_pay_inputs(
    plan: Plan, school: OrgUnit | None, given: PayGiven, *, actor: Actor
) -> PayInput:
    """A school's pay inputs of a year, created or corrected (before and after recorded);
    the year's result is recomputed."""
    problems = [p for p in [_school_problem(plan, school)] if p] + pay_problems(given)
    if given.year is not None and 2000 <= given.year <= 2100:
        day = date(given.year, 12, 31)
        if conversion_in_force(plan, day) is None or pay_in_force(plan, day) is None:
            problems.append(
                _("{year} 年尚无施行中的培训量折算或绩效工资参数，无法核定").format(year=given.year)
            )
    if problems or school is None or given.year is None:
        raise Refused(_join(problems))
    found = PayInput.objects.filter(plan=plan, school=school, year=given.year).first()
    before = snapshot(found) if found else None
    found = found or PayInput(plan=plan, school=school, year=given.year)
    found.benchmark_per_head = given.benchmark_per_head
    found.headcount = given.headcount
    found.requested_base = given.requested_base
    found.tech_service_balance = given.tech_service_balance
    found.tech_share = given.tech_share
    found.transfer_fees = given.transfer_fees
    found.talents = [
        {"name": t.name.strip(), "kind": t.kind, "amount": t.amount} for t in given.talents
    ]
    found.source = given.source.strip() or _("录入")
    found.save()
    record_change(
        found,
        actor=actor,
        action="update" if before else "create",
        before=before,
        after=snapshot(found),
        summary="绩效工资核定数据",
    )
    compute_year(plan, school, given.year, actor=actor)
    return found


# --- results ----------------------------------------------------------------------------------


def pure_record(found: TrainingRecord) -> conversion.TrainingRecord:
    return conversion.TrainingRecord(
        programme=found.programme,
        start=found.start,
        end=found.end,
        participants=found.participants,
        person_days=Decimal(found.person_days),
        target_groups=tuple(found.target_groups),
        subsidised=found.subsidised,
        income=None if found.income is None else Decimal(found.income),
    )


def pure_inputs(found: PayInput, increment: Decimal) -> pay.PayInputs:
    return pay.PayInputs(
        school=found.school.name,
        year=found.year,
        benchmark_per_head=Decimal(found.benchmark_per_head),
        headcount=found.headcount,
        requested_base=None if found.requested_base is None else Decimal(found.requested_base),
        training_increment=increment,
        talents=tuple(
            pay.Talent(t["name"], t["kind"], Decimal(t["amount"])) for t in found.talents
        ),
        transfer_fees=None if found.transfer_fees is None else Decimal(found.transfer_fees),
        tech_service_balance=None
        if found.tech_service_balance is None
        else Decimal(found.tech_service_balance),
        tech_share=None if found.tech_share is None else Decimal(found.tech_share),
    )


def _computed_years(plan: Plan) -> list[tuple[OrgUnit, int]]:
    """Every (school, year) with training records or pay inputs."""
    keys: dict[tuple[int, int], OrgUnit] = {}
    for found in TrainingRecord.objects.filter(plan=plan).select_related("school"):
        keys.setdefault((found.school_id, found.end.year), found.school)
    for given in PayInput.objects.filter(plan=plan).select_related("school"):
        keys.setdefault((given.school_id, given.year), given.school)
    return [(school, year) for (_pk, year), school in sorted(keys.items())]


def school_records(plan: Plan, schools: Iterable[OrgUnit]) -> list[TrainingRecord]:
    return list(
        TrainingRecord.objects.filter(plan=plan, school__in=list(schools))
        .select_related("school")
        .order_by("-end", "school__code", "pk")
    )


@transaction.atomic
def compute_year(plan: Plan, school: OrgUnit, year: int, *, actor: Actor) -> YearResult | None:
    """A school's year: its volume and conversion with the conversion parameters in force on
    31 December of the year (the place's own, else the 示例 preset), and its allowed pay with
    the pay parameters in force that day when its pay inputs are there. Replaces the year's
    previous result (before and after recorded). None (and the old result removed) when the
    school has neither records nor pay inputs that year, or no parameters are in force."""
    day = date(year, 12, 31)
    records = [
        pure_record(r)
        for r in TrainingRecord.objects.filter(plan=plan, school=school, end__year=year)
    ]
    given = PayInput.objects.filter(plan=plan, school=school, year=year).first()
    old = YearResult.objects.filter(plan=plan, school=school, year=year).first()
    before = snapshot(old) if old else None
    parameters = conversion_in_force(plan, day)
    if parameters is None or (not records and given is None):
        if old is not None:
            record_change(
                old, actor=actor, action="delete", before=before, summary="培训与绩效工资结果"
            )
            old.delete()
        return None
    volume = conversion.annual_volume(records, year, parameters)
    converted = conversion.convert(volume, parameters)
    result = old or YearResult(plan=plan, school=school, year=year)
    result.volume = volume.to_json()
    result.conversion = converted.to_json()
    result.conversion_code = parameters.code
    result.conversion_version = parameters.version
    result.pay, result.pay_code, result.pay_version, result.pay_problem = None, "", None, ""
    if given is not None:
        rules = pay_in_force(plan, day)
        if rules is None:
            result.pay_problem = _("{day} 时尚无施行中的绩效工资参数").format(day=day.isoformat())
        else:
            try:
                found = pay.allowed_pay(pure_inputs(given, converted.pay_increment), rules)
            except ParameterError as error:
                result.pay_problem = str(error)[:300]
            else:
                result.pay = found.to_json()
                result.pay_code, result.pay_version = rules.code, rules.version
    result.computed_at = now()
    result.save()
    record_change(
        result,
        actor=actor,
        action="update" if before else "create",
        before=before,
        after=snapshot(result),
        summary="培训与绩效工资结果",
    )
    return result
