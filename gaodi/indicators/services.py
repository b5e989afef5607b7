"""Writes to the indicator registry. Seeding runs inside import_plan's transaction and its
single change record (counts of indicators and target values are added to it)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.diff import plain_number
from gaodi.plans.models import Plan
from gaodi.plans.parsing.draft import PlanDraft

from .models import DataValue, Indicator, TargetValue
from .periods import parse_period
from .rules import registry, value_problems


def seed_indicators(plan: Plan, draft: PlanDraft) -> dict[str, int]:
    """The plan's indicators, their baselines and targets, and the tasks they measure."""
    stored: dict[str, Indicator] = {}
    tasks = {t.number: t for t in plan.tasks.all()}
    values = 0
    for order, spec in enumerate(registry(draft), start=1):
        indicator = Indicator.objects.create(
            org_unit=plan.org_unit,
            plan=plan,
            code=spec.code,
            name=spec.name[:300],
            unit=spec.unit,
            category=spec.category[:200],
            value_type=spec.value_type,
            kind=spec.kind,
            aggregation=spec.aggregation,
            formula=spec.formula,
            source_clause=spec.clause[:200],
            industry=spec.industry[:100],
            subset_of=stored.get(spec.subset_of or ""),
            order=order,
        )
        stored[spec.code] = indicator
        indicator.tasks.set([tasks[n] for n in spec.tasks if n in tasks])
        TargetValue.objects.bulk_create(
            TargetValue(
                indicator=indicator,
                org_unit=plan.org_unit,
                year=year,
                value=value,
                printed=printed[:100],
                baseline=year == spec.baseline_year,
                source_clause=spec.clause[:200],
            )
            for year, (value, printed) in spec.values.items()
        )
        values += len(spec.values)
    return {"indicators": len(stored), "target_values": values}


class ValueRefused(ValueError):
    """A reported value that cannot be stored; the message is Chinese, nothing was written."""


@transaction.atomic
def record_value(
    indicator: Indicator,
    org_unit: OrgUnit,
    period: str,
    value: Decimal,
    *,
    actor: Actor,
    source: str = "",
) -> DataValue:
    """Store (or correct) one reported value, validated, with its change record."""
    parse_period(period)  # raises PeriodError with a Chinese message
    problems = value_problems(
        unit=indicator.unit, value_type=indicator.value_type, formula=indicator.formula, value=value
    )
    if problems:
        raise ValueRefused("；".join(problems))
    existing = DataValue.objects.filter(
        indicator=indicator, org_unit=org_unit, period=period, disaggregation=""
    ).first()
    if existing is not None and existing.status == DataValue.Status.APPROVED:
        raise ValueRefused(_("该数据已审核锁定，如需更正请先退回"))
    before = {"value": plain_number(existing.value)} if existing else None
    user = actor if isinstance(actor, AbstractBaseUser) else None
    stored, _created = DataValue.objects.update_or_create(
        indicator=indicator,
        org_unit=org_unit,
        period=period,
        disaggregation="",
        defaults={
            "value": value,
            "entered_by": user,
            "entered_at": timezone.now(),
            "source": source,
        },
    )
    record_change(
        stored,
        actor=actor,
        action="update" if existing else "create",
        before=before,
        after={"value": plain_number(value), "period": period, "source": source},
        summary=_("{indicator} {period} 填报 {value}").format(
            indicator=indicator.name, period=period, value=plain_number(value)
        ),
    )
    return stored


@transaction.atomic
def record_values(
    entries: list[tuple[Indicator, Decimal]], org_unit: OrgUnit, period: str, *, actor: Actor
) -> int:
    """A whole form, all or nothing: every value is checked before any is stored."""
    problems = {}
    for indicator, value in entries:
        found = value_problems(
            unit=indicator.unit,
            value_type=indicator.value_type,
            formula=indicator.formula,
            value=value,
        )
        if found:
            problems[indicator.name] = "；".join(found)
    if problems:
        raise ValueRefused("；".join(f"{name}：{why}" for name, why in problems.items()))
    for indicator, value in entries:
        record_value(indicator, org_unit, period, value, actor=actor, source=_("网页填报"))
    return len(entries)
