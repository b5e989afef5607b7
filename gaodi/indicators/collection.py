"""Collecting values through data sets: the one write path for the web form, Excel, CSV,
the API and the synthetic generator. Every value is checked before any is stored (all or
nothing); blocking rules refuse, warnings are returned; one change record per org unit.

Approval steps (which lock and unlock what is stored) are in `approving`; data sets, their
rules and windows are set in `services`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaodi.audit.queries import last_change, who_and_when
from gaodi.audit.services import record_changes
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import chains_of, root_of_chain
from gaodi.orgs.services import Actor
from gaodi.plans.diff import plain_number
from gaodi.today import today

from . import approval
from .models import (
    DataSet,
    DataValue,
    Indicator,
    Submission,
)
from .periods import PeriodError, parse_period
from .rules import value_problems
from .validation import Rule, Violation, check
from .value_writes import insert_values


@dataclass(frozen=True)
class Problem:
    """Why a value (or a whole form) was refused: the org unit, the indicator code (or ""
    for the whole form) and a Chinese reason."""

    unit_id: int | None
    code: str
    message: str


class ValuesRefused(ValueError):
    """Nothing was stored; `problems` says why, value by value."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("；".join(p.message for p in problems))


@dataclass
class Stored:
    values: int = 0
    units: int = 0
    warnings: list[tuple[int, Violation]] = field(default_factory=list)


def rules_of(data_set: DataSet) -> list[Rule]:
    return [
        Rule(
            name=r.name,
            left=r.left,
            operator=r.operator or "<=",
            right=r.right,
            severity=r.severity,
            kind=r.kind,
            parameters=r.parameters or {},
        )
        for r in data_set.rules.all()
    ]


def window_problem(data_set: DataSet, period: str) -> str | None:
    """Why the data set cannot be filled in for this period today, or None when it is open."""
    found = data_set.windows.filter(period=period).first()
    if found is None:
        return _("{period} 期间未开放填报").format(period=period)
    day = today()
    if day < found.opens_on:
        return _("{period} 期间 {day} 起开放填报").format(
            period=period, day=found.opens_on.isoformat()
        )
    if day > found.closes_on:
        return _("{period} 期间已于 {day} 截止填报，如需补报请联系工作专班").format(
            period=period, day=found.closes_on.isoformat()
        )
    return None


def earlier_periods(period: str, count: int = 5) -> list[str]:
    """The same period in earlier years, oldest first (history for outlier rules)."""
    start = parse_period(period)
    suffix = period[4:]
    return [f"{start.year - k}{suffix}" for k in range(count, 0, -1)]


def current_values(
    data_set: DataSet,
    unit_ids: list[int],
    periods: list[str],
    roots: Mapping[int, int] | None = None,
) -> dict[tuple[int, str, str], Decimal]:
    """(unit, period, code) -> value for the data set's base indicators (``roots``: the
    units' roots when known, to read their provinces only)."""
    rows = DataValue.objects.filter(
        indicator__data_sets=data_set,
        org_unit_id__in=unit_ids,
        period__in=periods,
        disaggregation="",
    )
    if roots is not None:
        rows = rows.filter(root_id__in=sorted(set(roots.values())))
    rows = rows.values_list("org_unit_id", "period", "indicator__code", "value")
    return {(unit, period, code): value for unit, period, code, value in rows}


def value_check(
    indicators: Mapping[str, Indicator], by_unit: Mapping[int | None, Mapping[str, Decimal]]
) -> list[Problem]:
    """Values that cannot be stored whatever else holds: not on the form, derived (a ratio is
    never typed in), negative, a percentage over 100. Only those few are asked of
    `value_problems`; the rest pass a cheap test (60,000 values -> no call)."""
    problems = []
    derived = {code for code, i in indicators.items() if i.formula}
    percentages = {code for code, i in indicators.items() if i.value_type == "percentage"}
    for unit_id, values in by_unit.items():
        for code, value in values.items():
            ordinary = value >= 0 and (value <= 100 or code not in percentages)
            if ordinary and code in indicators and code not in derived:
                continue
            indicator = indicators.get(code)
            if indicator is None:
                problems.append(
                    Problem(unit_id, code, _("指标 {code} 不属于本表").format(code=code))
                )
                continue
            for why in value_problems(
                unit=indicator.unit,
                value_type=indicator.value_type,
                formula=indicator.formula,
                value=value,
            ):
                problems.append(Problem(unit_id, code, f"{indicator.name}：{why}"))
    return problems


def form_state(
    data_set: DataSet,
    unit_id: int,
    period: str,
    typed: Mapping[str, Decimal] | None = None,
    cleared: frozenset[str] = frozenset(),
) -> tuple[dict[str, Decimal], list[Violation]]:
    """The values a form shows (stored, overlaid with what is being typed, minus the cells
    emptied) and every rule they break, history included — nothing stored."""
    history_periods = earlier_periods(period)
    stored = current_values(data_set, [unit_id], [period, *history_periods])
    values = {code: v for (_u, p, code), v in stored.items() if p == period and code not in cleared}
    values.update(typed or {})
    history = {
        code: [stored[(unit_id, p, code)] for p in history_periods if (unit_id, p, code) in stored]
        for code in values
    }
    names = {i.code: i.name for i in data_set.indicators.all()}
    return values, check(rules_of(data_set), values, history, names)


def values_token(data_set: DataSet, unit_id: int, period: str) -> str:
    """What a reporting form carries of the values it showed: code=value;... (optimistic
    locking: store_values refuses to write over a value changed since)."""
    stored = current_values(data_set, [unit_id], [period])
    return ";".join(f"{code}={_text(v)}" for (_u, _p, code), v in sorted(stored.items()))


def store_values(
    data_set: DataSet,
    period: str,
    by_unit: Mapping[int, Mapping[str, Decimal]],
    *,
    actor: Actor,
    source: str,
    check_window: bool = True,
    seen: Mapping[int, str] | None = None,
) -> Stored:
    """Store the values of one or many org units for a period, all or nothing.

    `by_unit[unit_id][code]` is the new value; codes not given keep their stored value
    (a form may be sent in parts). Refused (ValuesRefused, nothing stored) when: the period
    is not the data set's or its window is closed; an indicator is not a base indicator of
    the data set; a value breaks the value rules; the unit's data is submitted or approved;
    a blocking validation rule fails on the values as they would stand; or — `seen[unit_id]`
    being the `values_token` of the form — a value the form would write was changed by
    someone else since the form was opened (the same value typed by both is no conflict).
    """
    with transaction.atomic():
        if seen:  # one form save per unit at a time, so that the check below holds
            list(OrgUnit.objects.select_for_update().filter(pk__in=list(seen)).values("pk"))
        return _store(data_set, period, by_unit, actor, source, check_window, seen or {})


def _store(
    data_set: DataSet,
    period: str,
    by_unit: Mapping[int, Mapping[str, Decimal]],
    actor: Actor,
    source: str,
    check_window: bool,
    seen: Mapping[int, str],
) -> Stored:
    try:
        parse_period(period)
    except PeriodError as exc:
        raise ValuesRefused([Problem(None, "", str(exc))]) from exc
    if check_window and (reason := window_problem(data_set, period)):
        raise ValuesRefused([Problem(None, "", reason)])
    indicators = {i.code: i for i in data_set.indicators.all()}
    names = {code: i.name for code, i in indicators.items()}
    unit_ids = list(by_unit)
    # Each unit's root (province): written on every row, and named in every read below so
    # that a sharded database reads one province (docs/scaling.md).
    chains = chains_of(unit_ids)  # each unit and those above it (the live totals')
    roots = {unit: root_of_chain(chain) for unit, chain in chains.items()}
    problems: list[Problem] = []
    # The units' submissions, read once: their status is checked here, and _write records
    # the change on them (with their unit: its name is in the change's summary).
    submissions = {
        s.org_unit_id: s
        for s in Submission.objects.filter(
            data_set=data_set,
            org_unit_id__in=unit_ids,
            period=period,
            root_id__in=sorted(set(roots.values())),
        ).select_related("org_unit")
    }
    for unit_id, submission in submissions.items():
        if approval.is_locked(submission.status):
            problems.append(
                Problem(unit_id, "", _("数据已提交或已审核，已锁定；如需修改请由审核单位退回"))
            )
    problems += value_check(indicators, by_unit)
    if problems:
        raise ValuesRefused(problems)
    history_periods = earlier_periods(period)
    stored = current_values(data_set, unit_ids, [period, *history_periods], roots)
    problems += _overwrites(data_set, period, by_unit, stored, seen, names)
    if problems:
        raise ValuesRefused(problems)
    rules = rules_of(data_set)
    result = Stored()
    by_unit_stored: dict[int, dict[str, dict[str, Decimal]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for (unit_id, stored_period, code), value in stored.items():
        by_unit_stored[unit_id][stored_period][code] = value
    for unit_id, values in by_unit.items():
        mine = by_unit_stored.get(unit_id, {})
        merged = {**mine.get(period, {}), **values}
        history: dict[str, list[Decimal]] = defaultdict(list)
        for earlier in history_periods:
            for code, value in mine.get(earlier, {}).items():
                history[code].append(value)
        for violation in check(rules, merged, history, names):
            if violation.blocking:
                problems += [
                    Problem(unit_id, code, violation.message) for code in violation.codes[:1]
                ]
            else:
                result.warnings.append((unit_id, violation))
    if problems:
        raise ValuesRefused(problems)
    _write(data_set, period, by_unit, stored, indicators, actor, source, submissions, roots, chains)
    result.values = sum(len(v) for v in by_unit.values())
    result.units = len(by_unit)
    return result


def _overwrites(
    data_set: DataSet,
    period: str,
    by_unit: Mapping[int, Mapping[str, Decimal]],
    stored: Mapping[tuple[int, str, str], Decimal],
    seen: Mapping[int, str],
    names: Mapping[str, str],
) -> list[Problem]:
    """The values a form would write over someone else's change made since it was opened."""
    problems = []
    for unit_id, token in seen.items():
        shown = dict(part.split("=", 1) for part in token.split(";") if "=" in part)
        for code, value in by_unit.get(unit_id, {}).items():
            now_ = stored.get((unit_id, period, code))
            changed = (_text(now_) if now_ is not None else None) != shown.get(code)
            if changed and now_ != value:
                problems.append(_overwrite(data_set, period, unit_id, code, now_, names))
    return problems


def _overwrite(
    data_set: DataSet,
    period: str,
    unit_id: int,
    code: str,
    now_: Decimal | None,
    names: Mapping[str, str],
) -> Problem:
    submission = Submission.objects.filter(
        data_set=data_set, org_unit_id=unit_id, period=period
    ).first()
    who, when = who_and_when(last_change(submission) if submission else None)
    return Problem(
        unit_id,
        code,
        _("“{name}”已被他人改为 {value}（{who}于 {when}），请刷新后再改").format(
            name=names.get(code, code),
            value=_text(now_) if now_ is not None else _("空"),
            who=who or _("他人"),
            when=when,
        ),
    )


def _text(value: Decimal) -> str:
    """A value as the change record shows it: 70.000000 -> 70 (plain_number, made cheap for
    the whole numbers of a 60,000-value import)."""
    text = str(value)
    return plain_number(value) if "." in text or "E" in text else text


def _write(
    data_set: DataSet,
    period: str,
    by_unit: Mapping[int, Mapping[str, Decimal]],
    stored: Mapping[tuple[int, str, str], Decimal],
    indicators: Mapping[str, Indicator],
    actor: Actor,
    source: str,
    submissions: Mapping[int, Submission],
    roots: Mapping[int, int],
    chains: Mapping[int, Sequence[tuple[int, str]]],
) -> None:
    """Upsert the values; one change record per unit whose values changed, on its submission
    (`submissions`: those that exist already, read by _store with their units)."""
    now = timezone.now()
    user = actor if isinstance(actor, AbstractBaseUser) else None
    insert_values(by_unit, period, stored, indicators, user, now, source[:100], roots, chains)
    changed = {
        unit_id: (
            {
                code: _text(stored[(unit_id, period, code)])
                for code in values
                if (unit_id, period, code) in stored
            },
            {
                code: _text(value)
                for code, value in values.items()
                if stored.get((unit_id, period, code)) != value
            },
        )
        for unit_id, values in by_unit.items()
    }
    changed = {unit_id: pair for unit_id, pair in changed.items() if pair[1]}
    missing = [unit_id for unit_id in changed if unit_id not in submissions]
    if missing:
        Submission.objects.bulk_create(
            [
                Submission(
                    data_set=data_set,
                    org_unit_id=unit_id,
                    root_id=roots[unit_id],
                    period=period,
                    updated_at=now,
                    updated_by=user,
                )
                for unit_id in missing
            ],
            batch_size=1000,
            ignore_conflicts=True,
        )
        # Read back (with their ids): another save may have made one in the meantime.
        submissions = {
            **submissions,
            **{
                s.org_unit_id: s
                for s in Submission.objects.filter(
                    data_set=data_set,
                    period=period,
                    org_unit_id__in=missing,
                    root_id__in=sorted({roots[u] for u in missing}),
                ).select_related("org_unit")
            },
        }
    changes = []
    for unit_id, (before, after) in changed.items():
        submission = submissions[unit_id]
        submission.data_set = data_set  # for str(); its org_unit is read with it
        changes.append(
            (
                submission,
                "update" if before else "create",
                before or None,
                {**after, "source": source},
                _("{unit} {data_set} {period}：{source}填报 {n} 项").format(
                    unit=submission.org_unit.name,
                    data_set=data_set.name,
                    period=period,
                    source=source,
                    n=len(after),
                ),
            )
        )
    record_changes(changes, actor=actor)
