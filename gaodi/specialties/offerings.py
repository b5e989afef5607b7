"""The write of 专业点年度数据 from the form or a list upload: every row checked first
(offerings_file.check_offerings), then all stored in one transaction or none, each created or
changed offering with its change record; a row equal to what is stored writes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from gaodi.accounts.gate import Action, User, can
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan

from .catalogue import CATALOGUE_2021
from .catalogue_import import record_file_import
from .models import Offering, Specialty
from .offerings_file import OfferingEntry
from .services import Numbers, record_offering, schools_of

CURRENT_CATALOGUE = CATALOGUE_2021


@dataclass(frozen=True)
class Recorded:
    created: int
    updated: int
    unchanged: int


def enterable_schools(user: User, plan: Plan) -> list[OrgUnit]:
    """The plan's schools the user reports for (Action.ENTER: a school's clerk his own, the
    work team all of them)."""
    return [school for school in schools_of(plan) if can(user, Action.ENTER, school.pk)]


def current_specialties() -> dict[str, Specialty]:
    """The current catalogue's specialties by name (中职 first where a name has two levels)."""
    found: dict[str, Specialty] = {}
    for specialty in Specialty.objects.filter(catalogue=CURRENT_CATALOGUE).order_by("level"):
        found.setdefault(specialty.name, specialty)  # "中职" (U+4E2D) sorts before "高职"
    return found


IMPORT_ACTION = "import_offerings"


@transaction.atomic
def record_offerings(
    entries: list[OfferingEntry],
    schools: list[OrgUnit],
    *,
    source: str,
    actor: Actor,
    file: tuple[str, bytes] | None = None,
    plan: Plan | None = None,
) -> Recorded:
    """Each checked row, created or corrected with its change record (an unchanged row writes
    nothing); an uploaded file is also recorded once on the plan (name, SHA-256, counts)."""
    by_code = {school.code: school for school in schools}
    specialties = current_specialties()
    created = updated = unchanged = 0
    for entry in entries:
        school, specialty = by_code[entry.school], specialties[entry.specialty]
        numbers = Numbers(**entry.numbers)  # type: ignore[arg-type]
        stored = Offering.objects.filter(
            school=school, specialty=specialty, year=entry.year
        ).first()
        if stored is not None and all(
            getattr(stored, name) == value for name, value in vars(numbers).items()
        ):
            unchanged += 1
            continue
        record_offering(school, specialty, entry.year, numbers, source=source, actor=actor)
        created += stored is None
        updated += stored is not None
    if file is not None and plan is not None and created + updated:
        counts = {"rows": len(entries), "created": created, "updated": updated}
        record_file_import(
            plan, file, IMPORT_ACTION, {**counts, "unchanged": unchanged}, actor=actor
        )
    return Recorded(created, updated, unchanged)
