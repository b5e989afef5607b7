"""Reads of 师资队伍, scoped like the 专业预警 page (specialties.queries.visible_schools): the
work team, leaders and inspectors of the plan's place see every school of the plan; a school's
clerk his own school; anyone else 404.

The plan's figures are never typed here: the 双师型 figures come from the parsed targets
(正文, 工作任务清单) and the 附件2 indicator's target values; the 生师比 from its indicator's
target values; 在校生 from the stored indicator values (not this app's to enter)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Q
from django.utils.translation import gettext as _

from gaodi.indicators.models import DataValue, Indicator, TargetValue
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Finding, Plan, PlanTable, Target
from gaodi.specialties.queries import visible_schools

from . import counts, parameters, rules
from .models import Honour, StaffingQuota, Teacher
from .services import rules_for

__all__ = ["visible_schools"]

TEACHERS_TABLE = "三、师资队伍"
DUAL_WORDS = "双师型"
RATIO_WORDS = "中职学校生师比"
STUDENTS_WORDS = "在校生数（中职学校生师比）"
YEAR = re.compile(r"(20\d\d)年")
RATIO = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[:：]\s*1")


def fact(t: Teacher) -> rules.TeacherFact:
    return rules.TeacherFact(
        name=t.name,
        full_time=t.full_time,
        specialty_course=t.specialty_course,
        hired_on=t.hired_on,
        enterprise_years=t.enterprise_years,
        dual_qualified=t.dual_qualified,
        certified_on=t.certified_on,
        left_on=t.left_on,
        exemption=t.hire_exemption,
        has_qualification=bool(t.qualifications.strip()),
    )


def teachers_of(schools: list[OrgUnit]) -> list[Teacher]:
    return list(Teacher.objects.filter(school__in=schools).select_related("school"))


def dual_figures(plan: Plan) -> list[rules.SourceFigure]:
    """The plan's figures for the 双师型 share: its parsed targets (body and task list) and the
    附件2 indicator's yearly values (baseline left out: it is not a target)."""
    found = []
    targets = Target.objects.filter(Q(task__plan=plan) | Q(list_item__plan=plan)).filter(
        subject__contains=DUAL_WORDS, unit="%"
    )
    # the body's first, then the task list's, on every database (NULLs sort differently)
    for t in targets.order_by(F("list_item").asc(nulls_first=True), "pk"):
        year = t.year or _year_in(t.phrase)
        if year is not None:
            kind = rules.TASK_LIST if t.list_item_id else rules.BODY
            found.append(rules.SourceFigure(kind, t.clause, year, t.value, t.phrase))
    values = TargetValue.objects.filter(
        indicator__plan=plan,
        indicator__category=TEACHERS_TABLE,
        indicator__name__startswith="中职学校“双师型”教师比例",
        baseline=False,
    ).order_by("year")
    for v in values:
        clause = v.source_clause or str(_("附件2 {table}").format(table=TEACHERS_TABLE))
        found.append(rules.SourceFigure(rules.TABLE, clause, v.year, v.value, v.printed))
    return found


def _year_in(text: str) -> int | None:
    match = YEAR.search(text)
    return int(match.group(1)) if match else None


def ratio_target(plan: Plan, year: int) -> rules.RatioTarget | None:
    """The 附件2 生师比 of the year as the plan prints it (20 for "20:1（6000/302）"), with the
    table's 备注 about it."""
    value = TargetValue.objects.filter(
        indicator__plan=plan,
        indicator__category=TEACHERS_TABLE,
        indicator__name=RATIO_WORDS,
        year=year,
        baseline=False,
    ).first()
    if value is None:
        return None
    match = RATIO.match(value.printed)
    target = Decimal(match.group(1)) if match else value.value
    return rules.RatioTarget(
        year,
        target,
        value.printed,
        value.source_clause or parameters.RATIO_CLAUSE,
        _ratio_note(plan),
    )


def _ratio_note(plan: Plan) -> str:
    table = PlanTable.objects.filter(plan=plan, title__contains="师资队伍").first()
    notes = [str(n) for n in (table.notes if table else []) if "生师比" in str(n)]
    return "；".join(notes)


def students(plan: Plan, schools: list[OrgUnit], year: int) -> dict[int, tuple[int, Decimal]]:
    """在校生数 of each school for the year, read from the stored indicator values, with the
    year it was reported for: the year's own figure, else the latest earlier year's.

    Why the fallback: 在校生 is reported once a year, after the school year has begun, so in
    the current year (the page's default) it is not yet there — on the demo, 2019–2020 only,
    and 2021's 生师比 would show 无法计算 to every first-time visitor. The page stays on the
    current year (the other checks are about this year's roster) and the 生师比 uses the most
    recent reported 在校生, saying so plainly in its working ("2021 年在校生尚未填报，按 2020 年
    2824 人计算（示例）"): nothing is invented, and a later year's figure is never used."""
    found: dict[int, tuple[int, Decimal]] = {}
    rows = DataValue.objects.filter(
        indicator__plan=plan,
        indicator__category=TEACHERS_TABLE,
        indicator__name=STUDENTS_WORDS,
        org_unit__in=schools,
        period__regex=r"^\d{4}$",
    ).values_list("org_unit_id", "period", "value")
    for school_id, period, value in rows:
        reported = int(period)
        if reported <= year and reported > found.get(school_id, (0, value))[0]:
            found[school_id] = (reported, value)
    return found


def audit_warning(plan: Plan) -> str:
    """The plan audit's own finding about the 双师型 target, if it made one."""
    found = Finding.objects.filter(plan=plan, code="target-conflict", message__contains=DUAL_WORDS)
    first = found.first()
    return first.message if first else ""


@dataclass(frozen=True)
class SchoolChecks:
    school: OrgUnit
    checks: list[rules.Check]
    honours: list[counts.HonourCount]


def school_checks(
    plan: Plan, schools: list[OrgUnit], year: int, as_of: date
) -> tuple[parameters.TeacherRules | None, list[SchoolChecks]]:
    """Every check of every school for the year, with the parameter version in force on the
    count day."""
    chosen = rules_for(plan.org_unit, as_of)
    if chosen is None:
        return None, []
    by_school: dict[int, list[rules.TeacherFact]] = {}
    for t in teachers_of(schools):
        by_school.setdefault(t.school_id, []).append(fact(t))
    quotas = {
        school_id: (quota, source)
        for school_id, quota, source in StaffingQuota.objects.filter(
            school__in=schools, year=year
        ).values_list("school_id", "quota", "source")
    }
    honours: dict[int, list[counts.HonourFact]] = {}
    for h in Honour.objects.filter(teacher__school__in=schools).select_related("teacher"):
        honours.setdefault(h.teacher.school_id, []).append(
            counts.HonourFact(h.teacher.name, h.kind, h.level, h.awarded_on)
        )
    figures = dual_figures(plan)
    target = ratio_target(plan, year)
    enrolled = students(plan, schools, year)
    found = []
    for school in schools:
        mine = by_school.get(school.pk, [])
        quota, quota_source = quotas.get(school.pk, (None, ""))
        name = school.name
        checks = [
            rules.check_new_hires(name, year, mine, chosen, as_of),
            rules.check_part_time(
                name, year, mine, quota, chosen, as_of, quota_source=quota_source
            ),
            rules.check_dual_share(name, year, mine, figures, chosen, as_of),
            rules.check_student_ratio(
                name,
                year,
                enrolled.get(school.pk, (None, None))[1],
                mine,
                target,
                chosen,
                as_of,
                students_year=enrolled.get(school.pk, (None, None))[0],
            ),
        ]
        found.append(
            SchoolChecks(school, checks, counts.count_honours(honours.get(school.pk, []), as_of))
        )
    return chosen, found


def teachers_indicators(plan: Plan) -> dict[str, Indicator]:
    """The 附件2 三、师资队伍 indicators the records feed, by role: found by their names (the
    parser's), never by a typed code."""
    wanted = {
        counts.HIRES: "职业院校招聘教师数",
        counts.HIRES_EXPERIENCED: "招聘有3年以上企业工作经历的人数",
        counts.HIRES_QUALIFIED: "招聘有相关专业技术资格的人数",
        counts.FULL_TIME: "专任教师数（中职学校生师比）",
        counts.DUAL: "“双师型”教师数（中职学校“双师型”教师比例）",
        counts.SPECIALTY_TEACHERS: "专业课教师总数（中职学校“双师型”教师比例）",
    }
    found = {
        i.name: i
        for i in Indicator.objects.filter(
            plan=plan, category=TEACHERS_TABLE, name__in=wanted.values()
        )
    }
    return {role: found[name] for role, name in wanted.items() if name in found}
