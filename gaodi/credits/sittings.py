"""考核批次 (issue 9): record an assessment's candidates and passes, and read the pass rates of
a plan's schools (pass_rates.py holds the rule). A write is one transaction with its change
record; bad input raises Refused with every problem and writes nothing. The same unit, level,
school and day recorded again replaces the figures (the change record keeps the old ones), so
a corrected report from the assessment organisation is typed over, never added twice."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import roots_of
from gaodi.orgs.services import Actor
from gaodi.specialties.services import Refused, snapshot
from gaodi.today import today

from . import pass_rates, recognition
from .models import ExamSitting, LearningOutcome, OutcomeUnit


@dataclass(frozen=True)
class SittingInput:
    unit: OutcomeUnit
    level: str
    school: OrgUnit
    held_on: date | None
    candidates: object  # as typed: checked to be an integer
    passed: object


@transaction.atomic
def record_sitting(given: SittingInput, *, source: str, actor: Actor) -> ExamSitting:
    scheme = given.unit.scheme
    problems = pass_rates.check(
        given.candidates, given.passed, given.level, scheme.levels, given.held_on
    )
    if len(source) > 100:
        problems.append(_("来源不超过 100 字"))
    if given.held_on is not None and given.held_on < scheme.valid_from:
        problems.append(
            _("考核日期早于“{scheme}”的认可起始日 {day}").format(
                scheme=scheme.name, day=scheme.valid_from
            )
        )
    if given.held_on is not None and given.held_on > today():
        problems.append(_("考核日期不能晚于今天（{day}）").format(day=today()))
    if problems:
        raise Refused(_("考核批次未保存：") + "；".join(problems))
    assert given.held_on is not None
    existing = (
        ExamSitting.objects.select_for_update()
        .filter(unit=given.unit, level=given.level, school=given.school, held_on=given.held_on)
        .first()
    )
    before = snapshot(existing) if existing else None
    sitting = existing or ExamSitting(
        scheme=scheme,
        unit=given.unit,
        level=given.level,
        school=given.school,
        held_on=given.held_on,
    )
    sitting.candidates = int(given.candidates)  # type: ignore[call-overload]
    sitting.passed = int(given.passed)  # type: ignore[call-overload]
    sitting.source = source
    sitting.save()
    record_change(
        sitting,
        actor=actor,
        action="update" if existing else "create",
        before=before,
        after=snapshot(sitting),
        summary=_("更正考核批次") if existing else _("登记考核批次"),
    )
    return sitting


@dataclass(frozen=True)
class PassRates:
    start: date
    end: date
    rates: list[pass_rates.Rate]
    total: pass_rates.Rate
    notes: list[str]


def pass_rates_of(schools: list[OrgUnit], start: date, end: date) -> PassRates:
    """The pass rates by scheme and level of the sittings held at `schools` from `start` to
    `end`, with the certificates recognised (认定通过) in the credit bank in the same period
    beside."""
    roots = roots_of(schools)
    stored = ExamSitting.objects.filter(
        school__in=schools, held_on__gte=start, held_on__lte=end, root_id__in=roots
    ).select_related("scheme", "unit", "school")
    sittings = [
        pass_rates.Sitting(
            s.scheme.name, s.unit.name, s.level, s.school.name, s.held_on, s.candidates, s.passed
        )
        for s in stored
    ]
    scales = {s.scheme.name: list(s.scheme.levels) for s in stored}
    found = pass_rates.rates(sittings, start=start, end=end, scales=scales)
    held = Counter(
        (o.scheme.name, o.level)
        for o in LearningOutcome.objects.filter(
            learner__school__in=schools,
            learner__merged_into__isnull=True,
            case__state=recognition.RECOGNISED,
            issued_on__gte=start,
            issued_on__lte=end,
            root_id__in=roots,
        ).select_related("scheme")
    )
    return PassRates(
        start, end, found, pass_rates.overall(found), pass_rates.comparisons(found, held)
    )
