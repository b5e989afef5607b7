"""Reads of 社会培训与绩效工资, scoped like the 专业预警 page (specialties.queries.visible_schools):
the work team, leaders and inspectors of the plan's place see every school of the plan; a
school's clerk his own school; anyone else 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from gaodi.indicators.models import TargetValue
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.specialties.queries import visible_schools
from gaodi.today import today

from . import conversion, pay
from .feeding import GROUPS, INCOME, PERSON_DAYS, SUBSIDISED, social_training_indicators
from .models import ParameterVersion, PayInput, TrainingRecord, YearResult
from .services import conversion_in_force, pure_record

__all__ = ["visible_schools"]


def default_year(plan: Plan, schools: list[OrgUnit]) -> int:
    latest = TrainingRecord.objects.filter(plan=plan, school__in=schools).order_by("-end").first()
    return latest.end.year if latest else today().year


def table_targets(plan: Plan, year: int) -> dict[str, Decimal | None]:
    """The 附件2 社会培训 targets of the year by fed row (None: no figure that year)."""
    indicators = social_training_indicators(plan)
    found = {
        t.indicator_id: t.value
        for t in TargetValue.objects.filter(
            indicator__in=list(indicators.values()), year=year, baseline=False
        )
    }
    return {row: found.get(ind.pk) for row, ind in indicators.items()}


@dataclass(frozen=True)
class YearVolume:
    """The visible schools' training of a year against （七） and the 附件2 rows."""

    year: int
    parameters: conversion.ConversionParameters | None
    volume: conversion.Volume | None
    rows: list[conversion.RowCheck]


def year_volume(plan: Plan, schools: list[OrgUnit], year: int) -> YearVolume:
    """年培训量 vs 5,000 人次 and the 附件2 rows, over the schools given (all of the plan's: the
    district; the own school: his part of it)."""
    parameters = conversion_in_force(plan, date(year, 12, 31))
    if parameters is None:
        return YearVolume(year, None, None, [])
    records = [
        pure_record(r)
        for r in TrainingRecord.objects.filter(plan=plan, school__in=schools, end__year=year)
    ]
    targets = table_targets(plan, year)
    volume = conversion.annual_volume(records, year, parameters, targets.get(PERSON_DAYS))
    names = conversion.TABLE
    rows = [
        conversion.check_row(
            _("年培训量（（七）“年培训量达5千人次以上”）"),
            _("人次"),
            Decimal(volume.person_times),
            Decimal(parameters.annual_target_person_times),
        ),
        conversion.check_row(
            _("{table} 培训规模").format(table=names),
            _("人日"),
            volume.person_days,
            targets.get(PERSON_DAYS),
        ),
        conversion.check_row(
            _("{table} 承担补贴性培训规模").format(table=names),
            _("人日"),
            volume.subsidised_person_days,
            targets.get(SUBSIDISED),
        ),
        conversion.check_row(
            _("{table} 重点人群（退役军人、下岗失业人员等）培训规模").format(table=names),
            _("人日"),
            volume.target_group_person_days,
            targets.get(GROUPS),
        ),
        conversion.check_row(
            _("{table} 培训到款额").format(table=names),
            _("万元"),
            conversion.income_in_wan(volume.income),
            targets.get(INCOME),
        ),
    ]
    return YearVolume(year, parameters, volume, rows)


@dataclass(frozen=True)
class ConversionView:
    result: YearResult
    volume: conversion.Volume
    conversion: conversion.Conversion
    sentences: list[str]
    basis_label: str


def conversions(plan: Plan, schools: list[OrgUnit], year: int) -> list[ConversionView]:
    views = []
    for result in (
        YearResult.objects.filter(plan=plan, school__in=schools, year=year)
        .select_related("school")
        .order_by("school__code")
    ):
        volume = conversion.Volume.from_json(result.volume)
        converted = conversion.Conversion.from_json(result.conversion)
        views.append(
            ConversionView(
                result,
                volume,
                converted,
                conversion.explain(volume, converted, plan.doc_number),
                str(conversion.BASIS_LABELS[converted.basis]),
            )
        )
    return views


@dataclass(frozen=True)
class LineView:
    label: str
    line: pay.Line


@dataclass(frozen=True)
class PayView:
    result: YearResult
    pay: pay.PayResult | None
    lines: list[LineView]
    binding: list[str]
    sentences: list[str]
    inputs: PayInput | None


def pay_results(plan: Plan, schools: list[OrgUnit]) -> list[PayView]:
    """Every computed school-year with pay inputs, latest year first."""
    inputs = {
        (p.school_id, p.year): p for p in PayInput.objects.filter(plan=plan, school__in=schools)
    }
    views = []
    for result in (
        YearResult.objects.filter(plan=plan, school__in=schools)
        .select_related("school")
        .order_by("-year", "school__code")
    ):
        given = inputs.get((result.school_id, result.year))
        if given is None:
            continue
        found = None if result.pay is None else pay.PayResult.from_json(result.pay)
        views.append(
            PayView(
                result,
                found,
                [LineView(str(pay.LINE_LABELS[line.code]), line) for line in found.lines]
                if found
                else [],
                [str(pay.LIMIT_LABELS[code]) for code in found.binding] if found else [],
                pay.explain(found, plan.doc_number) if found else [],
                given,
            )
        )
    return views


def talent_label(kind: str) -> str:
    return str(pay.SALARY_KINDS.get(kind, kind))


def parameter_history(kind: str) -> list[ParameterVersion]:
    return list(
        ParameterVersion.objects.filter(kind=kind)
        .select_related("owner")
        .order_by("code", "-version")
    )
