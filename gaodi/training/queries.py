"""Reads of 社会培训与绩效工资, scoped like the 专业预警 page (specialties.queries.visible_schools):
the work team, leaders and inspectors of the plan's place see every school of the plan; a
school's clerk his own school; anyone else 404."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from gaodi.achievements.versions import number
from gaodi.indicators import formula
from gaodi.indicators.models import DataValue, Indicator, TargetValue
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.specialties.queries import visible_schools
from gaodi.today import today

from . import conversion, pay
from .feeding import (
    CATEGORY,
    GROUPS,
    INCOME,
    PERSON_DAYS,
    SUBSIDISED,
    social_training_indicators,
)
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


RATIO_ROW = "培训规模与全日制在校生比例"  # the 附件2 六、社会培训 row, as the plan names it


def ratio_indicator(plan: Plan) -> Indicator | None:
    found: Indicator | None = Indicator.objects.filter(
        plan=plan, category=CATEGORY, name=RATIO_ROW
    ).first()
    return found


def _denominator(indicator: Indicator) -> str | None:
    """The divisor of the ratio's formula (i058 / (i037n) -> "i037n"): the 全日制在校生 the
    indicators app divides by. None when the formula is not a division."""
    if not indicator.formula:
        return None
    try:
        tree = formula.parse(indicator.formula)
    except formula.FormulaError:
        return None
    if not isinstance(tree, ast.BinOp) or not isinstance(tree.op, ast.Div):
        return None
    return ast.unparse(tree.right)


def enrolment(
    plan: Plan, indicator: Indicator | None, schools: list[OrgUnit], year: int
) -> conversion.Enrolment:
    """全日制在校生 of the schools for the year, as stored in the indicators app (最多报一次:
    never typed here): the divisor of the plan's 培训规模与全日制在校生比例 formula, evaluated
    school by school on the values the schools reported for the year, then added up. Nothing
    when the plan has no such row, its formula names no divisor, or a school has no value."""
    if indicator is None:
        return conversion.Enrolment(
            None,
            missing=_("方案没有“{row}”指标，不知道全日制在校生取自哪个指标").format(row=RATIO_ROW),
        )
    divisor = _denominator(indicator)
    if divisor is None:
        return conversion.Enrolment(
            None,
            missing=_("指标“{row}”没有“培训规模 ÷ 在校生”的公式，不知道在校生取自哪个指标").format(
                row=RATIO_ROW
            ),
        )
    if not schools:
        return conversion.Enrolment(None, missing=_("统计范围内没有学校"))
    parts = {
        found.code: found
        for found in Indicator.objects.filter(plan=plan, code__in=formula.codes(divisor))
    }
    names = "、".join(
        _("“{name}”（{code}）").format(name=part.name, code=part.code) for part in parts.values()
    )
    held: dict[tuple[int, str], DataValue] = {
        (value.org_unit_id, value.indicator.code): value
        for value in DataValue.objects.filter(
            indicator__in=list(parts.values()),
            org_unit__in=schools,
            period=str(year),
            disaggregation="",
        ).select_related("indicator")
    }
    steps = [
        _("全日制在校生取自指标 {names} {year} 年各校已填报的值（不在本页重复填报）").format(
            names=names or divisor, year=year
        )
    ]
    total, missing = Decimal(0), []
    for school in schools:
        values = {code: held[(school.pk, code)] for code in parts if (school.pk, code) in held}
        count = formula.evaluate(divisor, {code: v.value for code, v in values.items()})
        if count is None:
            missing.append(school.name)
            continue
        total += count
        states = "、".join(sorted({str(v.get_status_display()) for v in values.values()}))
        steps.append(
            _("{school}：{count} 人（{states}）").format(
                school=school.name, count=number(count), states=states
            )
        )
    if missing:
        return conversion.Enrolment(
            None,
            tuple(steps),
            _("{schools} {year} 年尚未填报{names}，全日制在校生无法合计").format(
                schools="、".join(missing), year=year, names=names or divisor
            ),
        )
    if len(schools) > 1:
        steps.append(_("合计 {total} 人").format(total=number(total)))
    return conversion.Enrolment(total, tuple(steps))


@dataclass(frozen=True)
class YearVolume:
    """The visible schools' training of a year against （七） and the 附件2 rows."""

    year: int
    parameters: conversion.ConversionParameters | None
    volume: conversion.Volume | None
    rows: list[conversion.RowCheck]


def year_volume(plan: Plan, schools: list[OrgUnit], year: int) -> YearVolume:
    """年培训量 vs 5,000 人次 and the 附件2 rows, over the schools given (all of the plan's: the
    district; the own school: his part of it). The ratio row divides the records' 人日 by the
    全日制在校生 the indicators app holds for the same schools and year."""
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
    ratio = ratio_indicator(plan)
    ratio_target = (
        None
        if ratio is None
        else TargetValue.objects.filter(indicator=ratio, year=year, baseline=False)
        .values_list("value", flat=True)
        .first()
    )
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
        conversion.check_ratio(
            _("{table} 培训规模与全日制在校生比例").format(table=names),
            volume.person_days,
            enrolment(plan, ratio, schools, year),
            ratio_target,
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


def set_names() -> dict[tuple[str, int], str]:
    """(code, version) -> the parameter set's Chinese name, for the pages (one query)."""
    return {
        (code, version): name
        for code, version, name in ParameterVersion.objects.values_list("code", "version", "name")
    }


def set_label(names: dict[tuple[str, int], str], code: str, version: int | None) -> str:
    """ "培训量折算全日制学生培养工作量 第 1 版": the set's Chinese name (its code when the set is
    gone) and version."""
    return str(
        _("{name} 第 {version} 版").format(
            name=names.get((code, version or 0), code), version=version
        )
    )


@dataclass(frozen=True)
class ConversionView:
    result: YearResult
    volume: conversion.Volume
    conversion: conversion.Conversion
    sentences: list[str]
    basis_label: str
    parameters_label: str  # the set's Chinese name and 第 N 版


def conversions(plan: Plan, schools: list[OrgUnit], year: int) -> list[ConversionView]:
    names = set_names()
    views = []
    for result in (
        YearResult.objects.filter(plan=plan, school__in=schools, year=year)
        .select_related("school")
        .order_by("school__code")
    ):
        volume = conversion.Volume.from_json(result.volume)
        converted = conversion.Conversion.from_json(result.conversion)
        name = names.get((result.conversion_code, result.conversion_version))
        views.append(
            ConversionView(
                result,
                volume,
                converted,
                conversion.explain(volume, converted, plan.doc_number, name),
                str(conversion.BASIS_LABELS[converted.basis]),
                set_label(names, result.conversion_code, result.conversion_version),
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
    parameters_label: str  # the pay set's Chinese name and 第 N 版 ("" when not computed)
    conversion_label: str  # the conversion set's, for the training increment


def pay_results(plan: Plan, schools: list[OrgUnit]) -> list[PayView]:
    """Every computed school-year with pay inputs, latest year first."""
    inputs = {
        (p.school_id, p.year): p for p in PayInput.objects.filter(plan=plan, school__in=schools)
    }
    names = set_names()
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
        name = names.get((result.pay_code, result.pay_version or 0))
        views.append(
            PayView(
                result,
                found,
                [LineView(str(pay.LINE_LABELS[line.code]), line) for line in found.lines]
                if found
                else [],
                [str(pay.LIMIT_LABELS[code]) for code in pay.binding_limits(found)]
                if found
                else [],
                pay.explain(found, plan.doc_number, name) if found else [],
                given,
                set_label(names, result.pay_code, result.pay_version) if found else "",
                set_label(names, result.conversion_code, result.conversion_version),
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
