"""Every write of the specialties app, each in one transaction with its change records
(gaodi.audit): seeding the catalogue, the industries and the preset rule sets (idempotent),
the plan's 专业布局 targets, a school's offerings, a new rule set version, and the warnings of a
plan's schools as of a year."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change, record_changes
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.orgs.tree import ancestor_ids, descendant_ids
from gaodi.plans.models import Plan
from gaodi.today import now

from . import catalogue as data
from .models import (
    Industry,
    LayoutTarget,
    Offering,
    RuleSetVersion,
    Specialty,
    SpecialtyCodeChange,
    SpecialtyIndustry,
    WarningResult,
)
from .presets import all_presets
from .warning import OfferingYear, RuleSet, SpecialtyHistory, decision, evaluate, select_rule_set

Change = tuple[models.Model, str, Any, Any, str]


class Refused(ValueError):
    """A write that cannot be done; the message says why, in Chinese."""


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The row's fields as JSON values, for a change record."""
    loaded: dict[str, Any] = json.loads(json.dumps(model_to_dict(obj), cls=DjangoJSONEncoder))
    return loaded


def _created(obj: models.Model, summary: str) -> Change:
    return (obj, "create", None, snapshot(obj), summary)


@transaction.atomic
def seed_catalogue(*, actor: Actor) -> int:
    """The industries of （八） and 附件2, the plan's specialties in the 2010 and 2021
    catalogues with their old-to-new mapping and industries, and the preset rule sets.
    Idempotent: what is there is left alone. Returns how many rows were created."""
    changes: list[Change] = []
    industries = _seed_industries(changes)
    for index, (new_name, old_name, specialty_class, industry) in enumerate(data.SPECIALTIES, 1):
        new = _specialty(data.CATALOGUE_2021, new_name, specialty_class, index, changes)
        old = _specialty(data.CATALOGUE_2010, old_name, specialty_class, index, changes)
        change, made = SpecialtyCodeChange.objects.get_or_create(
            old=old, new=new, defaults={"source": data.MAPPING_SOURCE}
        )
        if made:
            changes.append(_created(change, "专业目录对照"))
        link, made = SpecialtyIndustry.objects.get_or_create(
            specialty=new, industry=industries[industry], defaults={"source": data.LAYOUT}
        )
        if made:
            changes.append(_created(link, "专业对接产业"))
    for rule_set in all_presets():
        if not RuleSetVersion.objects.filter(code=rule_set.code, version=rule_set.version):
            changes.append(_created(_store_rule_set(rule_set), "预置规则集"))
    record_changes(changes, actor=actor)
    return len(changes)


def _seed_industries(changes: list[Change]) -> dict[str, Industry]:
    top_ten: dict[str, Industry] = {}
    for group, names, source in data.INDUSTRIES:
        for name in names:
            industry, made = Industry.objects.get_or_create(
                name=name, group=group, defaults={"source": source}
            )
            if made:
                changes.append(_created(industry, "产业"))
            if group == "十强产业":
                top_ten[name] = industry
    return top_ten


def _specialty(
    catalogue: str, name: str, specialty_class: str, index: int, changes: list[Change]
) -> Specialty:
    source = (
        data.CATALOGUE_2021_SOURCE
        if catalogue == data.CATALOGUE_2021
        else data.CATALOGUE_2010_SOURCE
    )
    specialty, made = Specialty.objects.get_or_create(
        catalogue=catalogue,
        level="中职",
        name=name,
        defaults={
            "code": data.placeholder_code(catalogue, index),
            "code_status": Specialty.CodeStatus.UNVERIFIED,
            "specialty_class": specialty_class,
            "source": source,
        },
    )
    if made:
        changes.append(_created(specialty, "专业目录"))
    return specialty


def _store_rule_set(rule_set: RuleSet, owner: OrgUnit | None = None) -> RuleSetVersion:
    return RuleSetVersion.objects.create(
        code=rule_set.code,
        version=rule_set.version,
        effective_from=rule_set.effective_from,
        name=rule_set.name,
        source=rule_set.source,
        rules=rule_set.to_json(),
        owner=owner,
    )


@transaction.atomic
def save_rule_set(
    rule_set: RuleSet, *, actor: Actor, owner: OrgUnit | None = None
) -> RuleSetVersion:
    """A new version of a rule set; an existing code+version is never overwritten, and a
    code belongs to one place: a preset (owner None) or another place's set cannot be
    continued under the same code."""
    stored_owners = set(
        RuleSetVersion.objects.filter(code=rule_set.code).values_list("owner_id", flat=True)
    )
    if stored_owners and stored_owners != {owner.pk if owner else None}:
        holder = _("预置规则集") if None in stored_owners else _("其他地方")
        raise Refused(
            _("规则集编号“{code}”已被{holder}使用，请另取编号").format(
                code=rule_set.code, holder=holder
            )
        )
    if RuleSetVersion.objects.filter(code=rule_set.code, version=rule_set.version).exists():
        raise Refused(
            _("规则集“{code}”第 {version} 版已存在，请另存新版本").format(
                code=rule_set.code, version=rule_set.version
            )
        )
    refuse_earlier(RuleSetVersion.objects.filter(code=rule_set.code), rule_set.effective_from)
    stored = _store_rule_set(rule_set, owner)
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="规则集")
    return stored


def refuse_earlier(versions: QuerySet[Any], effective_from: date) -> Any:
    """A new version may not take effect before the latest one does: versions follow one
    another in time (the same rule for rule sets, forecast parameters and weights). Returns
    the latest version (None for the first)."""
    latest = versions.order_by("-version").first()
    if latest is not None and effective_from < latest.effective_from:
        raise Refused(
            _("施行日期不能早于第 {version} 版的施行日期 {day}").format(
                version=latest.version, day=latest.effective_from.isoformat()
            )
        )
    return latest


def usable_rule_sets(org_unit: OrgUnit) -> QuerySet[RuleSetVersion]:
    """The rule sets a place may judge by: the presets, its own and those of the places
    above it (a city's set applies in its counties)."""
    owners = [org_unit.pk, *ancestor_ids(org_unit.pk)]
    return RuleSetVersion.objects.filter(Q(owner__isnull=True) | Q(owner__in=owners))


@transaction.atomic
def seed_layout(plan: Plan, *, actor: Actor) -> int:
    """附件2 二、专业布局 of the plan, the 十强 rows: each industry's specialties, 专业点数 and
    学生数 in 2019 (现有基础) to 2022. Idempotent; 0 when the plan has no such table."""
    table = plan.tables.filter(title=data.LAYOUT_TITLE).first()
    if table is None:
        return 0
    industries = {i.name: i for i in Industry.objects.filter(group="十强产业")}
    columns = list(table.columns)
    changes: list[Change] = []
    for row in table.rows:
        industry = industries.get(row[0])
        if industry is None:
            continue  # 其他重点产业1/2 and "....." are the template's, not an industry
        for year, label in data.YEAR_COLUMNS.items():
            cells = [
                row[columns.index(f"{label} {part}")] for part in ("开设专业", "专业点数", "学生数")
            ]
            target, made = LayoutTarget.objects.get_or_create(
                plan=plan,
                row_label=row[0],
                year=year,
                defaults={
                    "industry": industry,
                    "specialties": cells[0],
                    "points": int(cells[1]) if cells[1].isdigit() else None,
                    "students": int(cells[2]) if cells[2].isdigit() else None,
                    "source": f"{plan.doc_number} 附件2 二、专业布局"[:100],
                },
            )
            if made:
                changes.append(_created(target, "专业布局目标"))
    record_changes(changes, actor=actor)
    return len(changes)


@dataclass(frozen=True)
class Numbers:
    """What a school reports for a 专业点 in a year (None = not reported)."""

    planned_enrolment: int | None = None
    enrolment: int | None = None
    students: int | None = None
    graduates: int | None = None
    employment_rate: Decimal | None = None
    counterpart_rate: Decimal | None = None


@transaction.atomic
def record_offering(
    school: OrgUnit,
    specialty: Specialty,
    year: int,
    numbers: Numbers,
    *,
    source: str,
    actor: Actor,
) -> Offering:
    """A school's numbers for one specialty and year, created or corrected, with its record."""
    if school.kind != OrgKind.SCHOOL:
        raise Refused(_("“{school}”不是学校，不能开设专业").format(school=school.name))
    offering = Offering.objects.filter(school=school, specialty=specialty, year=year).first()
    before = snapshot(offering) if offering else None
    if offering is None:
        offering = Offering(school=school, specialty=specialty, year=year)
    for name, value in vars(numbers).items():
        setattr(offering, name, value)
    offering.source = source
    offering.save()
    action = "update" if before else "create"
    record_change(
        offering,
        actor=actor,
        action=action,
        before=before,
        after=snapshot(offering),
        summary="专业点年度数据",
    )
    return offering


def schools_of(plan: Plan) -> list[OrgUnit]:
    ids = descendant_ids(plan.org_unit)
    return list(OrgUnit.objects.filter(pk__in=ids, kind=OrgKind.SCHOOL).order_by("code"))


def histories(schools: list[OrgUnit], up_to: int) -> dict[tuple[int, int], SpecialtyHistory]:
    """Each school's specialties with their years up to `up_to`, keyed (school, specialty)."""
    years: dict[tuple[int, int], list[Offering]] = {}
    offerings = Offering.objects.filter(school__in=schools, year__lte=up_to).select_related(
        "school", "specialty"
    )
    for offering in offerings.order_by("year"):
        years.setdefault((offering.school_id, offering.specialty_id), []).append(offering)
    return {key: _history(found) for key, found in years.items()}


def _history(offerings: list[Offering]) -> SpecialtyHistory:
    first = offerings[0]
    return SpecialtyHistory(
        school=first.school.name,
        specialty_code=first.specialty.code,
        specialty_name=first.specialty.name,
        specialty_class=first.specialty.specialty_class,
        level=first.specialty.level,
        opened_year=None,  # 开设年份 not recorded yet: no new-major protection applies
        years=tuple(
            OfferingYear(
                year=o.year,
                planned_enrolment=o.planned_enrolment,
                enrolment=o.enrolment,
                students=o.students,
                graduates=o.graduates,
                employment_rate=o.employment_rate,
                counterpart_rate=o.counterpart_rate,
            )
            for o in offerings
        ),
    )


@transaction.atomic
def run_warnings(plan: Plan, as_of_year: int, code: str, *, actor: Actor) -> list[WarningResult]:
    """Judge every specialty of the plan's schools as of a year with the version of rule set
    `code` in force on 31 December of that year; the results replace that year's previous
    results of the same rule set."""
    usable = usable_rule_sets(plan.org_unit).filter(code=code)
    stored = [RuleSet.from_json(version.rules) for version in usable]
    rule_set = select_rule_set(stored, date(as_of_year, 12, 31), code)
    if rule_set is None:
        raise Refused(_("{year} 年没有施行中的规则集“{code}”").format(year=as_of_year, code=code))
    found = histories(schools_of(plan), as_of_year)
    peers = list(found.values())
    old = list(WarningResult.objects.filter(plan=plan, as_of_year=as_of_year, rule_set_code=code))
    removed: list[Change] = [(r, "delete", snapshot(r), None, "重新计算，旧结果删除") for r in old]
    record_changes(removed, actor=actor)
    WarningResult.objects.filter(pk__in=[r.pk for r in old]).delete()
    computed = now()
    results = []
    for (school_id, specialty_id), history in found.items():
        findings = evaluate(history, rule_set, peers, as_of_year)
        decided = decision(findings)
        results.append(
            WarningResult.objects.create(
                plan=plan,
                school_id=school_id,
                specialty_id=specialty_id,
                as_of_year=as_of_year,
                rule_set_code=rule_set.code,
                rule_set_version=rule_set.version,
                consequence=decided.consequence if decided else "",
                decision=decided.to_json() if decided else None,
                findings=[finding.to_json() for finding in findings],
                computed_at=computed,
            )
        )
    record_changes([_created(r, "专业预警结果") for r in results], actor=actor)
    return results
