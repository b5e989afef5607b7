"""Writes to the indicator registry. Seeding runs inside import_plan's transaction and its
single change record (counts of indicators, target values and data sets are added to it).
Data sets and their windows are set here too; reported values are written by
`collection.store_values`, approval steps by `approving.take_step`."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.audit.queries import last_change, who_and_when
from gaodi.audit.services import record_change
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan, Task
from gaodi.plans.parsing.draft import PlanDraft

from .choices import Kind
from .datasets import APPROVAL_KINDS, data_sets, window
from .models import DataSet, Indicator, ReportingWindow, TargetValue, ValidationRule
from .periods import parse_period
from .rules import Spec, registry


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


def seed_data_sets(plan: Plan, specs: list[Spec]) -> int:
    """The plan's reporting forms with their rules and default windows (inside import_plan)."""
    indicators = {i.code: i for i in Indicator.objects.filter(plan=plan)}
    years = sorted(
        set(TargetValue.objects.filter(indicator__plan=plan).values_list("year", flat=True))
    )
    made = 0
    for order, spec in enumerate(data_sets(specs), start=1):
        data_set = DataSet.objects.create(
            plan=plan,
            code=spec.code,
            name=spec.name,
            approval_kinds=list(APPROVAL_KINDS),
            order=order,
        )
        data_set.indicators.set([indicators[c] for c in spec.indicators if c in indicators])
        ValidationRule.objects.bulk_create(
            ValidationRule(
                data_set=data_set,
                name=rule.name[:200],
                kind=rule.kind,
                left=rule.left,
                operator=rule.operator,
                right=rule.right,
                severity=rule.severity,
                parameters=dict(rule.parameters),
                source=source[:200],
            )
            for rule, source in spec.rules
        )
        ReportingWindow.objects.bulk_create(
            ReportingWindow(
                data_set=data_set,
                period=str(year),
                opens_on=window(year)[0],
                closes_on=window(year)[1],
            )
            for year in years
        )
        made += 1
    return made


class WindowRefused(ValueError):
    """A window that cannot be set (dates out of order, moved by someone else meanwhile)."""


def windows_token(data_set: DataSet) -> str:
    """What the windows form carries of the windows it showed: period=opens/closes;... ."""
    return ";".join(_window_text(w) for w in data_set.windows.order_by("period"))


def _window_text(window_: ReportingWindow) -> str:
    return f"{window_.period}={window_.opens_on.isoformat()}/{window_.closes_on.isoformat()}"


def _window_moved(found: ReportingWindow | None, period: str, seen: str) -> bool:
    """The period's window is not what the form showed (`windows_token`): moved, opened or
    removed by someone else since."""
    shown = {text.split("=", 1)[0]: text for text in seen.split(";") if "=" in text}
    return shown.get(period) != (_window_text(found) if found else None)


def set_window(
    data_set: DataSet,
    period: str,
    opens_on: dt.date,
    closes_on: dt.date,
    *,
    actor: Actor,
    seen: str | None = None,
) -> ReportingWindow:
    """Open or move a reporting window (the work team); the old dates stay on record. With
    `seen` (the form's `windows_token`), refused when someone else has set this period's
    window since the form was opened."""
    parse_period(period)
    if closes_on < opens_on:
        raise WindowRefused(_("截止日期不能早于开始日期"))
    with transaction.atomic():
        DataSet.objects.select_for_update().filter(pk=data_set.pk).first()  # one at a time
        found = ReportingWindow.objects.filter(data_set=data_set, period=period).first()
        if seen is not None and _window_moved(found, period, seen):
            who, when = who_and_when(last_change(found) if found else None)
            raise WindowRefused(
                _("{period} 填报期已被他人修改（{who}于 {when}），请刷新后再改").format(
                    period=period, who=who or _("他人"), when=when
                )
            )
        before = (
            {"opens_on": found.opens_on.isoformat(), "closes_on": found.closes_on.isoformat()}
            if found
            else None
        )
        window_, _created = ReportingWindow.objects.update_or_create(
            data_set=data_set,
            period=period,
            defaults={"opens_on": opens_on, "closes_on": closes_on},
        )
        record_change(
            window_,
            actor=actor,
            action="update" if found else "create",
            before=before,
            after={"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
            summary=_("{data_set} {period} 填报期：{opens} 至 {closes}").format(
                data_set=data_set.name,
                period=period,
                opens=opens_on.isoformat(),
                closes=closes_on.isoformat(),
            ),
        )
    return window_
