"""学分积累 (accumulation, issue 9), pure, no Django.

A learner's ledger is a list of credit entries (a course taken, or credits converted from a
recognised outcome), each dated and possibly expiring (a credit bank keeps credits for a number
of years; the term is a parameter of the qualification, 示例 when the district has not set it).
Progress toward a qualification (ECTS/ECVET-style: units, some mandatory, a total to reach)
counts only entries in force on the day asked; entries that expire within the warning window
are listed so the learner can act before they lapse.

重点任务（十）: "实现学习成果的认定、积累和转换".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from gaodi.achievements.versions import EXAMPLE, ParameterError, number
from gaodi.i18n import _

from .conversion import CLAUSE

WARN_DAYS = 90  # 示例: warn of credits expiring within 90 days


@dataclass(frozen=True)
class Entry:
    """Credits on the ledger: `course` earned on `earned_on` (by taking it, or converted from
    outcome `origin`), valid until `expires_on` (None = for good)."""

    course: str
    credits: Decimal
    earned_on: date
    origin: str = ""  # the outcome key when converted, blank when the course was taken
    expires_on: date | None = None

    def in_force(self, day: date) -> bool:
        return self.earned_on <= day and (self.expires_on is None or day <= self.expires_on)


@dataclass(frozen=True)
class Unit:
    """A unit (course) of a qualification: its credits, mandatory or optional."""

    course: str
    name: str
    credits: Decimal
    mandatory: bool = True


@dataclass(frozen=True)
class Qualification:
    """What a learner accumulates toward: all mandatory units, `optional_credits` from the
    optional ones, `total_credits` in all. `max_converted` caps the credits that conversion
    (certificates, awards) may contribute to this qualification (None = no cap): the
    per-qualification cap of the credit bank's rules; credits from courses taken never count
    against it."""

    code: str
    name: str
    units: tuple[Unit, ...]
    total_credits: Decimal
    optional_credits: Decimal = Decimal(0)
    source: str = EXAMPLE
    max_converted: Decimal | None = None

    def __post_init__(self) -> None:
        courses = [unit.course for unit in self.units]
        if len(set(courses)) != len(courses):
            raise ParameterError(_("“{name}”的课程有重复").format(name=self.name))
        possible = sum((unit.credits for unit in self.units), Decimal(0))
        if self.total_credits <= 0 or self.total_credits > possible:
            raise ParameterError(
                _("“{name}”要求 {total} 学分，但各课程合计只有 {possible} 学分").format(
                    name=self.name, total=number(self.total_credits), possible=number(possible)
                )
            )
        if self.max_converted is not None and self.max_converted < 0:
            raise ParameterError(_("转换学分上限不能为负"))


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    earned: Decimal  # credits in force for this unit, at most the unit's own credits
    done: bool
    by_conversion: bool


@dataclass(frozen=True)
class Progress:
    qualification: str
    as_of: date
    units: tuple[UnitProgress, ...]
    mandatory_done: int
    mandatory_total: int
    optional_earned: Decimal
    total_earned: Decimal
    complete: bool
    expiring: tuple[Entry, ...]
    expired: tuple[Entry, ...]
    outside: tuple[Entry, ...]  # credits for courses not in the qualification
    steps: tuple[str, ...]


def _named(course: str, units: dict[str, Unit]) -> str:
    """A course as people read it: its name (and code) when the qualification knows it."""
    unit = units.get(course)
    return _("{name}（{code}）").format(name=unit.name, code=course) if unit else course


def progress(
    entries: Iterable[Entry],
    qualification: Qualification,
    as_of: date,
    *,
    warn_days: int = WARN_DAYS,
) -> Progress:
    """Progress toward `qualification` on `as_of`: per unit, the credits in force (several
    entries for one course add up, never beyond the unit's credits); mandatory units done;
    optional credits; the total; entries expiring within `warn_days`; expired entries (not
    counted); entries for courses outside the qualification (not counted)."""
    if warn_days < 0:
        raise ParameterError(_("提醒天数不能为负"))
    entries = list(entries)
    units = {unit.course: unit for unit in qualification.units}
    live = [e for e in entries if e.in_force(as_of)]
    expired = tuple(e for e in entries if e.expires_on is not None and e.expires_on < as_of)
    horizon = as_of + timedelta(days=warn_days)
    expiring = tuple(
        sorted(
            (e for e in live if e.expires_on is not None and e.expires_on <= horizon),
            key=lambda e: (e.expires_on, e.course),
        )
    )
    outside = tuple(e for e in live if e.course not in units)
    rows: list[UnitProgress] = []
    steps = [
        _("资格：{name}（共需 {total} 学分，其中选修至少 {optional} 学分；依据：{source}）").format(
            name=qualification.name,
            total=number(qualification.total_credits),
            optional=number(qualification.optional_credits),
            source=qualification.source,
        )
    ]
    budget = qualification.max_converted  # None = no cap on converted credits
    if budget is not None:
        steps.append(_("证书转换计入本资格的学分至多 {cap} 学分").format(cap=number(budget)))
    # Mandatory units first, so that a capped conversion fills what the learner must have.
    order = sorted(qualification.units, key=lambda u: not u.mandatory)
    earned_of: dict[str, tuple[Decimal, bool, Decimal]] = {}
    for unit in order:
        mine = [e for e in live if e.course == unit.course]
        taken = min(unit.credits, sum((e.credits for e in mine if not e.origin), Decimal(0)))
        offered = min(unit.credits - taken, sum((e.credits for e in mine if e.origin), Decimal(0)))
        counted = offered if budget is None else min(offered, budget)
        if budget is not None:
            budget -= counted
        earned_of[unit.course] = (taken + counted, counted > 0, offered - counted)
    for unit in qualification.units:
        earned, converted, cut = earned_of[unit.course]
        done = earned >= unit.credits
        rows.append(UnitProgress(unit, earned, done, converted))
        steps.append(
            _("{kind}“{name}”：{earned}/{credits} 学分{how}{cut}").format(
                kind=_("必修") if unit.mandatory else _("选修"),
                name=unit.name,
                earned=number(earned),
                credits=number(unit.credits),
                how=_("（含证书转换）") if converted else "",
                cut=_("（另有 {n} 转换学分超出上限，不计入）").format(n=number(cut)) if cut else "",
            )
        )
    mandatory = [row for row in rows if row.unit.mandatory]
    mandatory_done = sum(1 for row in mandatory if row.done)
    optional_earned = sum((row.earned for row in rows if not row.unit.mandatory), Decimal(0))
    total = sum((row.earned for row in rows), Decimal(0))
    complete = (
        mandatory_done == len(mandatory)
        and optional_earned >= qualification.optional_credits
        and total >= qualification.total_credits
    )
    steps.append(
        _(
            "必修完成 {done}/{all} 门，选修 {optional} 学分，合计 {total}/{need} 学分：{verdict}"
        ).format(
            done=mandatory_done,
            all=len(mandatory),
            optional=number(optional_earned),
            total=number(total),
            need=number(qualification.total_credits),
            verdict=_("已满足") if complete else _("尚未满足"),
        )
    )
    for entry in expired:
        steps.append(
            _("“{course}”的 {credits} 学分已于 {day} 过期，不计入").format(
                course=_named(entry.course, units),
                credits=number(entry.credits),
                day=entry.expires_on,
            )
        )
    for entry in expiring:
        steps.append(
            _("提醒：“{course}”的 {credits} 学分将于 {day} 过期").format(
                course=_named(entry.course, units),
                credits=number(entry.credits),
                day=entry.expires_on,
            )
        )
    steps.append(_("依据：{clause}").format(clause=CLAUSE))
    return Progress(
        qualification=qualification.code,
        as_of=as_of,
        units=tuple(rows),
        mandatory_done=mandatory_done,
        mandatory_total=len(mandatory),
        optional_earned=optional_earned,
        total_earned=total,
        complete=complete,
        expiring=expiring,
        expired=expired,
        outside=outside,
        steps=tuple(steps),
    )
