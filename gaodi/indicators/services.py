"""Writes to the indicator registry. Seeding runs inside import_plan's transaction and its
single change record (counts of indicators, target values and data sets are added to it).
Reported values are written by `collection.store_values`."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan, Task
from gaodi.plans.parsing.draft import PlanDraft

from .choices import Kind
from .collection import seed_data_sets
from .models import Indicator, TargetValue
from .rules import registry


def seed_indicators(plan: Plan, draft: PlanDraft) -> dict[str, int]:
    """The plan's indicators, their baselines and targets, and the tasks they measure."""
    stored: dict[str, Indicator] = {}
    tasks = {t.number: t for t in plan.tasks.all()}
    values = 0
    specs = registry(draft)
    for order, spec in enumerate(specs, start=1):
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
    sets = seed_data_sets(plan, specs)
    return {"indicators": len(stored), "target_values": values, "data_sets": sets}


def edit_indicator(indicator: Indicator, *, tasks: list[int], kind: str, actor: Actor) -> Indicator:
    """The work team corrects what Gaodi proposed: the tasks an indicator measures (used to
    score the lead department) and stock/flow (LAST or SUM over time)."""
    if kind not in Kind.values:
        raise ValueError(kind)
    chosen = list(Task.objects.filter(plan=indicator.plan, pk__in=tasks).order_by("number"))
    before = {
        "tasks": sorted(t.number for t in indicator.tasks.all()),
        "kind": indicator.kind,
    }
    after = {"tasks": [t.number for t in chosen], "kind": kind}
    if before == after:
        return indicator
    with transaction.atomic():
        indicator.kind = kind
        indicator.save(update_fields=["kind"])
        indicator.tasks.set(chosen)
        record_change(
            indicator,
            actor=actor,
            action="update",
            before=before,
            after=after,
            summary=_("修改指标“{name}”的衡量任务或存量/流量").format(name=indicator.name),
        )
    return indicator
