"""Every write of 师资队伍, each in one transaction with its change record (gaodi.audit): the
preset parameters (idempotent) and new versions, a teacher, an honour, a staffing quota.

Bad input raises Refused with a Chinese message listing every problem, and writes nothing.
Who may write is decided by the caller through the gate (Action.ENTER at the school)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change, record_changes
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan
from gaodi.specialties.catalogue_import import record_file_import
from gaodi.specialties.services import Change, refuse_earlier, snapshot
from gaodi.specialties.services import Refused as Refused  # re-exported for views and tests
from gaodi.today import today
from gaodi.versioning import nearest_version

from .models import Honour, RulesVersion, StaffingQuota, Teacher
from .rules import ParameterError, TeacherRules, plan_rules, select_version

DEFAULT_RULES = "teacher-rules"
MAX_YEARS = Decimal(60)


def _refuse_if(problems: list[str]) -> None:
    if problems:
        listed = "；".join(f"{k}）{p}" for k, p in enumerate(problems, start=1))
        raise Refused(_("未保存，请更正：{listed}").format(listed=listed))


def _within(problems: list[str], label: str, text: str, limit: int) -> str:
    """Text as it will be stored; a problem when longer than its column (PostgreSQL would
    refuse it, SQLite would keep it)."""
    text = text.strip()
    if len(text) > limit:
        problems.append(
            _("{label}不能超过 {limit} 个字（现为 {n} 个字）").format(
                label=label, limit=limit, n=len(text)
            )
        )
    return text


def _store(rules: TeacherRules) -> RulesVersion:
    return RulesVersion.objects.create(
        code=rules.code,
        version=rules.version,
        effective_from=rules.effective_from,
        name=rules.name,
        source=rules.source,
        data=rules.to_json(),
    )


@transaction.atomic
def seed_rules(*, actor: Actor) -> int:
    """The reference plan's parameters (rules.plan_rules), once."""
    preset = plan_rules()
    if RulesVersion.objects.filter(code=preset.code, version=preset.version).exists():
        return 0
    stored = _store(preset)
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="预置参数")
    return 1


@transaction.atomic
def save_rules(rules: TeacherRules, *, actor: Actor) -> RulesVersion:
    """A new version of the parameters; an existing code+version is never overwritten, and a
    version may not take effect before the latest one."""
    if RulesVersion.objects.filter(code=rules.code, version=rules.version).exists():
        raise Refused(
            _("参数集“{code}”第 {v} 版已存在，请另存新版本").format(
                code=rules.code, v=rules.version
            )
        )
    refuse_earlier(RulesVersion.objects.filter(code=rules.code), rules.effective_from)
    stored = _store(rules)
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="参数集")
    return stored


def all_rules(code: str | None = None) -> list[TeacherRules]:
    """The stored versions (of one code, or of every code) this code can read."""
    stored_versions = RulesVersion.objects.all()
    if code is not None:
        stored_versions = stored_versions.filter(code=code)
    found = []
    for stored in stored_versions:
        try:
            found.append(TeacherRules.from_json(stored.data))
        except (ParameterError, KeyError, TypeError):
            continue  # a stored version this code cannot read is left out, never guessed
    return found


def rules_in_force(day: date, code: str = DEFAULT_RULES) -> TeacherRules | None:
    return select_version(all_rules(code), day, code)


def place_code(place: OrgUnit) -> str:
    return f"{DEFAULT_RULES}-{place.code}"


def rules_for(place: OrgUnit, day: date) -> TeacherRules | None:
    """The parameters in force on `day` for a place: its own version (a county's), else its
    city's, else its province's, else the preset — another place's never (the shared
    `gaodi.versioning.nearest_version`)."""
    return nearest_version(all_rules(), day, place, place_code, DEFAULT_RULES)


@transaction.atomic
def new_rules_version(
    place: OrgUnit,
    changes: dict[str, object],
    *,
    effective_from: date,
    source: str,
    actor: Actor,
) -> RulesVersion:
    """The next version of the place's own parameters: those in force for it on
    `effective_from` with `changes` applied, each changed parameter's basis being `source`
    (the district's decision). Results already shown are not stored: a year counted on or
    after that day uses the new version, earlier ones the old."""
    problems: list[str] = []
    source = _within(problems, _("依据"), source, 200)
    if not source:
        problems.append(_("请填写新参数的依据（文件或会议）"))
    base = rules_for(place, effective_from)
    if base is None:
        problems.append(_("施行日期尚无可依据的参数版本"))
    _refuse_if(problems)
    assert base is not None
    code = place_code(place)
    latest = RulesVersion.objects.filter(code=code).order_by("-version").first()
    basis = dict(base.basis)
    changed = {k: v for k, v in changes.items() if getattr(base, k) != v}
    for name in changed:
        basis[name] = source
    try:
        chosen = replace(
            base,
            code=code,
            name=_("{place}师资队伍核查参数").format(place=place.name),
            version=(latest.version + 1) if latest else 1,
            effective_from=effective_from,
            basis=basis,
            source=source,
            **changed,  # type: ignore[arg-type]
        )
    except (ParameterError, TypeError) as error:
        raise Refused(_("未保存：{why}").format(why=error)) from None
    return save_rules(chosen, actor=actor)


@dataclass(frozen=True)
class TeacherInput:
    name: str
    full_time: bool
    specialty_course: bool
    hired_on: date | None
    subject: str = ""
    qualifications: str = ""
    enterprise_years: Decimal | None = None
    hire_exemption: str = ""
    dual_qualified: bool = False
    certified_on: date | None = None
    left_on: date | None = None
    source: str = ""


def _school(problems: list[str], school: OrgUnit) -> None:
    if school.kind != OrgKind.SCHOOL:
        problems.append(_("“{name}”不是学校").format(name=school.name))


def _teacher_problems(given: TeacherInput) -> tuple[list[str], dict[str, str]]:
    problems: list[str] = []
    texts = {
        "name": _within(problems, _("姓名"), given.name, 50),
        "subject": _within(problems, _("任教学科（专业）"), given.subject, 100),
        "qualifications": _within(problems, _("专业技术资格"), given.qualifications, 200),
        "hire_exemption": _within(problems, _("企业经历豁免情形"), given.hire_exemption, 50),
        "source": _within(problems, _("来源说明"), given.source, 200),
    }
    if not texts["name"]:
        problems.append(_("请填写姓名"))
    years = given.enterprise_years
    if years is not None and not (0 <= years <= MAX_YEARS):
        problems.append(_("企业工作年限须在 0 到 {n} 年之间").format(n=MAX_YEARS))
    elif years is not None and years != years.quantize(Decimal("0.1")):
        problems.append(_("企业工作年限最多保留一位小数"))
    if given.hired_on is None:
        problems.append(_("请填写入职日期"))
    elif given.hired_on > today():
        problems.append(_("入职日期不能晚于今天"))
    if given.dual_qualified and given.certified_on is None:
        problems.append(_("“双师型”教师须填写认定日期"))
    if not given.dual_qualified and given.certified_on is not None:
        problems.append(_("填写了“双师型”认定日期，但未勾选“双师型”教师"))
    if given.certified_on is not None and given.certified_on > today():
        problems.append(_("“双师型”认定日期不能晚于今天"))
    if given.left_on is not None and given.hired_on is not None and given.left_on <= given.hired_on:
        problems.append(_("离岗日期须晚于入职日期"))
    return problems, texts


@transaction.atomic
def record_teacher(school: OrgUnit, given: TeacherInput, *, actor: Actor) -> Teacher:
    """One teacher of a school, with its change record."""
    problems, texts = _teacher_problems(given)
    _school(problems, school)
    _duplicate(problems, school, given, texts)
    _refuse_if(problems)
    teacher = Teacher.objects.create(
        school=school,
        full_time=given.full_time,
        specialty_course=given.specialty_course,
        enterprise_years=given.enterprise_years,
        hired_on=given.hired_on,
        dual_qualified=given.dual_qualified,
        certified_on=given.certified_on,
        left_on=given.left_on,
        **texts,
    )
    record_change(teacher, actor=actor, action="create", after=snapshot(teacher), summary="教师")
    return teacher


def _duplicate(
    problems: list[str],
    school: OrgUnit,
    given: TeacherInput,
    texts: dict[str, str],
    other_than: Teacher | None = None,
) -> None:
    same = Teacher.objects.filter(school=school, name=texts["name"], hired_on=given.hired_on)
    if other_than is not None:
        same = same.exclude(pk=other_than.pk)
    if same.exists():
        problems.append(
            _("{name}（{day}入职）已在名册中").format(
                name=texts["name"], day=given.hired_on.isoformat() if given.hired_on else ""
            )
        )


@transaction.atomic
def update_teacher(teacher: Teacher, given: TeacherInput, *, actor: Actor) -> Teacher:
    """A teacher corrected or moved on (离岗, 认定为“双师型”, 企业工作年限 corrected): before
    and after recorded. The source stays the record's own."""
    problems, texts = _teacher_problems(given)
    _duplicate(problems, teacher.school, given, texts, other_than=teacher)
    _refuse_if(problems)
    before = snapshot(teacher)
    for name, value in {
        "full_time": given.full_time,
        "specialty_course": given.specialty_course,
        "enterprise_years": given.enterprise_years,
        "hired_on": given.hired_on,
        "dual_qualified": given.dual_qualified,
        "certified_on": given.certified_on,
        "left_on": given.left_on,
        **{k: v for k, v in texts.items() if k != "source"},
    }.items():
        setattr(teacher, name, value)
    teacher.save()
    record_change(
        teacher,
        actor=actor,
        action="update",
        before=before,
        after=snapshot(teacher),
        summary="教师",
    )
    return teacher


@transaction.atomic
def record_teachers(school: OrgUnit, given: list[TeacherInput], *, actor: Actor) -> int:
    """Many teachers of a school at once (the demo): all or nothing, every row's problems
    listed with its row number."""
    rows = [(school, item, _("第 {row} 行").format(row=k)) for k, item in enumerate(given, start=1)]
    created, _unchanged = record_roster(rows, actor=actor)
    return created


Key = tuple[int, str, date | None]
COMPARED = (
    "full_time",
    "specialty_course",
    "enterprise_years",
    "dual_qualified",
    "certified_on",
    "left_on",
)


def _key(school: OrgUnit, item: TeacherInput) -> Key:
    return (school.pk, item.name.strip(), item.hired_on)


def _on_roster(rows: list[tuple[OrgUnit, TeacherInput, str]]) -> dict[Key, Teacher]:
    found = Teacher.objects.filter(school__in={school.pk for school, _g, _w in rows})
    return {(t.school_id, t.name, t.hired_on): t for t in found}


def _same(teacher: Teacher, item: TeacherInput, texts: dict[str, str]) -> bool:
    """The row says exactly what the roster holds (a list sent again: nothing to do)."""
    return all(getattr(teacher, f) == getattr(item, f) for f in COMPARED) and all(
        getattr(teacher, f) == v for f, v in texts.items() if f != "source"
    )


def roster_problems(rows: list[tuple[OrgUnit, TeacherInput, str]]) -> list[tuple[str, str]]:
    """Every problem of a list of teachers as (where, why): each row's own, a school that is
    not a school, a teacher (school, name, 入职日期) twice in the list, or already on the
    roster with other details (the same details again are no problem: left as they are)."""
    found: list[tuple[str, str]] = []
    seen: dict[Key, str] = {}
    existing = _on_roster(rows)
    for school, item, where in rows:
        problems, texts = _teacher_problems(item)
        _school(problems, school)
        key = _key(school, item)
        held = existing.get(key)
        if key in seen:
            problems.append(_("与{other}重复").format(other=seen[key]))
        elif held is not None and not _same(held, item, texts):
            problems.append(
                _("{name}（{day}入职）已在名册中，所填信息与名册不同；请在名册中点姓名更正").format(
                    name=texts["name"], day=item.hired_on.isoformat() if item.hired_on else ""
                )
            )
        seen.setdefault(key, where)
        found += [(where, p) for p in problems]
    return found


@transaction.atomic
def record_roster(
    rows: list[tuple[OrgUnit, TeacherInput, str]],
    *,
    actor: Actor,
    plan: Plan | None = None,
    file: tuple[str, bytes] | None = None,
) -> tuple[int, int]:
    """A list of teachers (school, input, where it came from): all or nothing, every problem
    listed with its place; teachers already on the roster with the same details are left as
    they are. One change record a new teacher, and an uploaded file recorded once on the plan
    (its name, SHA-256 and counts). Returns (created, unchanged)."""
    _refuse_if([_("{where}：{why}").format(where=w, why=p) for w, p in roster_problems(rows)])
    existing = _on_roster(rows)
    new = [(school, item) for school, item, _where in rows if _key(school, item) not in existing]
    created = Teacher.objects.bulk_create(
        Teacher(
            school=school,
            full_time=item.full_time,
            specialty_course=item.specialty_course,
            enterprise_years=item.enterprise_years,
            hired_on=item.hired_on,
            dual_qualified=item.dual_qualified,
            certified_on=item.certified_on,
            left_on=item.left_on,
            **_teacher_problems(item)[1],
        )
        for school, item in new
    )
    changes: list[Change] = [(t, "create", None, snapshot(t), "教师") for t in created]
    record_changes(changes, actor=actor)
    counts = {"created": len(created), "unchanged": len(rows) - len(created)}
    if file is not None and plan is not None:
        record_file_import(plan, file, "import_teachers", counts, actor=actor)
    return len(created), len(rows) - len(created)


@transaction.atomic
def record_honour(
    teacher: Teacher, kind: str, level: str, awarded_on: date | None, source: str, *, actor: Actor
) -> Honour:
    """One title or honour of a teacher, with its change record."""
    problems: list[str] = []
    if kind not in Honour.Kind.values:
        problems.append(_("没有名为“{kind}”的称号类别").format(kind=kind))
    if level not in Honour.Level.values:
        problems.append(_("级别须为国家级、省级、市级、区级或校级"))
    if awarded_on is None:
        problems.append(_("请填写授予日期"))
    elif awarded_on > today():
        problems.append(_("授予日期不能晚于今天"))
    source = _within(problems, _("来源（文号）"), source, 200)
    if not source:
        problems.append(_("请填写来源（文号）"))
    _refuse_if(problems)
    honour = Honour.objects.create(
        teacher=teacher, kind=kind, level=level, awarded_on=awarded_on, source=source
    )
    record_change(honour, actor=actor, action="create", after=snapshot(honour), summary="教师称号")
    return honour


@transaction.atomic
def set_quota(
    school: OrgUnit, year: int, quota: int | None, source: str, *, actor: Actor
) -> StaffingQuota:
    """A school's 编制员额 of a year, created or corrected (before and after recorded)."""
    problems: list[str] = []
    _school(problems, school)
    if not 2000 <= year <= 2100:
        problems.append(_("年份须在 2000–2100 之间"))
    if quota is None or quota < 0:
        problems.append(_("编制员额须为不小于 0 的整数"))
    source = _within(problems, _("来源（文号）"), source, 200)
    if not source:
        problems.append(_("请填写来源（文号）"))
    _refuse_if(problems)
    found = StaffingQuota.objects.filter(school=school, year=year).first()
    before = snapshot(found) if found else None
    if found is None:
        found = StaffingQuota(school=school, year=year)
    found.quota = quota  # type: ignore[assignment]
    found.source = source
    found.save()
    record_change(
        found,
        actor=actor,
        action="update" if before else "create",
        before=before,
        after=snapshot(found),
        summary="编制员额",
    )
    return found
