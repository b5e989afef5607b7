"""师资队伍 counts (issue 8 §5), pure, no Django: the honours of （十四）（十七） as of a day, and
the 附件2 三、师资队伍 parts computed from the roster (what feeding.py stores as the
indicators' values, so that nothing is typed twice)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from gaodi.achievements.versions import number
from gaodi.i18n import _

from .parameters import TeacherRules
from .rules import TeacherFact

STUDIO, MASTER, CHIEF, LEADER, FAMOUS = "studio", "master", "chief", "leader", "famous"
HONOUR_KINDS = {
    STUDIO: (_("名师工作室"), "重点任务（十四）"),
    MASTER: (_("技术技能大师"), "重点任务（十七）"),
    CHIEF: (_("首席技师"), "重点任务（十七）"),
    LEADER: (_("专业带头人"), "重点任务（十四）"),
    FAMOUS: (_("教学名师"), "重点任务（十四）"),
}


@dataclass(frozen=True)
class HonourFact:
    teacher: str
    kind: str
    level: str
    awarded_on: date


@dataclass(frozen=True)
class HonourCount:
    kind: str
    name: str
    clause: str
    count: int
    names: tuple[str, ...]


def count_honours(honours: Iterable[HonourFact], as_of: date) -> list[HonourCount]:
    """名师工作室、技术技能大师、首席技师、专业带头人、教学名师 as of a day — 重点任务（十四）
    （十七）. The plan sets no number for them: counts only."""
    found = [h for h in honours if h.awarded_on <= as_of]
    return [
        HonourCount(
            kind,
            str(name),
            clause,
            sum(1 for h in found if h.kind == kind),
            tuple(f"{h.teacher}（{h.level}）" for h in found if h.kind == kind),
        )
        for kind, (name, clause) in HONOUR_KINDS.items()
    ]


HIRES, HIRES_EXPERIENCED, HIRES_QUALIFIED = "hires", "hires_experienced", "hires_qualified"
FULL_TIME, DUAL, SPECIALTY_TEACHERS = "full_time", "dual", "specialty_teachers"


@dataclass(frozen=True)
class FedValue:
    role: str
    value: Decimal
    working: str


def indicator_values(
    teachers: Sequence[TeacherFact], year: int, rules: TeacherRules, as_of: date
) -> list[FedValue]:
    """The 附件2 三、师资队伍 parts computed from the records: 招聘教师数 (and of them with
    3 years' enterprise experience, with a professional qualification), 专任教师数, “双师型”
    教师数, 专业课教师总数."""
    hired = [t for t in teachers if t.hired_on.year == year and t.hired_on <= as_of]
    experienced = [
        t
        for t in hired
        if t.enterprise_years is not None and t.enterprise_years >= rules.min_enterprise_years
    ]
    qualified = [t for t in hired if t.has_qualification]
    full_time = [t for t in teachers if t.full_time and t.active_on(as_of)]
    specialty = (
        [t for t in full_time if t.specialty_course]
        if not rules.dual_counts_part_time
        else [t for t in teachers if t.specialty_course and t.active_on(as_of)]
    )
    dual = [t for t in specialty if t.dual_on(as_of)]
    day = as_of.isoformat()
    return [
        FedValue(
            HIRES,
            Decimal(len(hired)),
            str(_("{year} 年截至 {day} 入职的教师").format(year=year, day=day)),
        ),
        FedValue(
            HIRES_EXPERIENCED,
            Decimal(len(experienced)),
            str(_("其中企业工作经历不少于 {n} 年的").format(n=number(rules.min_enterprise_years))),
        ),
        FedValue(HIRES_QUALIFIED, Decimal(len(qualified)), str(_("其中登记有相关专业技术资格的"))),
        FedValue(FULL_TIME, Decimal(len(full_time)), str(_("{day} 在岗专任教师").format(day=day))),
        FedValue(
            DUAL, Decimal(len(dual)), str(_("{day} 已认定“双师型”的专业课教师").format(day=day))
        ),
        FedValue(
            SPECIALTY_TEACHERS,
            Decimal(len(specialty)),
            str(_("{day} 在岗专业课教师").format(day=day)),
        ),
    ]
