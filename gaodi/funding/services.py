"""Every write of 经费保障, each in one transaction with its change record (gaodi.audit): the
rules' preset (idempotent) and new versions, a place's surcharge year, a school's appropriation
of a year (both created or corrected), a school's debt and its resolution.

Input may come as text (the forms) or numbers (API, demo); every problem is found before
anything is written and Refused (gaodi.specialties.services.Refused) lists them all, in
Chinese, joined by "；".

The 在校生 count of an appropriation is not typed twice (最多报一次): it is read from the
indicators (在校生数 of the count year the rules name, `stored_students`); a typed count is
asked for only where they hold none, and kept as the fallback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from gaodi.achievements.versions import ParameterError
from gaodi.audit.services import record_change
from gaodi.indicators.models import DataValue
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan
from gaodi.specialties.services import Refused as Refused
from gaodi.specialties.services import refuse_earlier, schools_of, snapshot
from gaodi.teachers.queries import STUDENTS_WORDS as STUDENTS_WORDS
from gaodi.teachers.queries import TEACHERS_TABLE
from gaodi.today import today
from gaodi.versioning import nearest_version

from .models import Appropriation, Debt, RulesVersion, SurchargeYear
from .rules import FundingRules, plan_rules

DEFAULT_RULES = "funding-rules"
MAX_YUAN = 10**14  # a hundred trillion 元: anything larger is a typing slip
MAX_STUDENTS = 1_000_000
Value = int | str | None
# 附件2 三、师资队伍: the 中职 在校生 the indicators hold, named once (as the teachers app reads it)
STUDENTS_TABLE = TEACHERS_TABLE


def _whole(value: Value, label: str, problems: list[str], *, limit: int = MAX_YUAN) -> int:
    """A whole, non-negative number (元 or 人) from a form's text or a number."""
    text = str(value if value is not None else "").strip().replace(",", "").replace("，", "")
    if not text:
        problems.append(_("请填写{label}").format(label=label))
        return 0
    if not text.isdigit():
        problems.append(_("{label}“{text}”须为不小于 0 的整数").format(label=label, text=text))
        return 0
    found = int(text)
    if found > limit:
        problems.append(_("{label}不能超过 {limit}").format(label=label, limit=f"{limit:,}"))
        return 0
    return found


def _year(value: Value, problems: list[str]) -> int:
    found = _whole(value, _("年份"), problems, limit=9999)
    if found and not 2000 <= found <= 2100:
        problems.append(_("年份须在 2000–2100 之间"))
    return found


def _day(
    value: date | str | None, label: str, problems: list[str], *, required: bool
) -> date | None:
    if isinstance(value, date):
        found: date | None = value
    elif not str(value or "").strip():
        if required:
            problems.append(_("请填写{label}").format(label=label))
        return None
    else:
        try:
            found = date.fromisoformat(str(value).strip())
        except ValueError:
            problems.append(
                _("{label}“{value}”须为 YYYY-MM-DD 格式").format(label=label, value=value)
            )
            return None
    if found is not None and found > today():
        problems.append(_("{label}不能晚于今天").format(label=label))
    return found


def _text(value: str, label: str, limit: int, problems: list[str]) -> str:
    text = value.strip()
    if not text:
        problems.append(_("请填写{label}").format(label=label))
    elif len(text) > limit:
        problems.append(
            _("{label}不能超过 {limit} 个字（现为 {count} 个字）").format(
                label=label, limit=limit, count=len(text)
            )
        )
    return text


def _refuse_if(problems: list[str]) -> None:
    if problems:
        raise Refused("；".join(problems))


# ---- the rules' versions --------------------------------------------------------------------


def _store(rules: FundingRules) -> RulesVersion:
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
    """The plan's rules (plan_rules), once."""
    preset = plan_rules()
    if RulesVersion.objects.filter(code=preset.code, version=preset.version).exists():
        return 0
    stored = _store(preset)
    record_change(
        stored, actor=actor, action="create", after=snapshot(stored), summary=_("预置经费保障规则")
    )
    return 1


def all_rules() -> list[FundingRules]:
    return [FundingRules.from_json(v.data) for v in RulesVersion.objects.all()]


def place_code(plan: Plan) -> str:
    """The code of the rules of the plan's place (a county's own standard)."""
    return _code_of(plan.org_unit)


def rules_in_force(
    plan: Plan, day: date, versions: list[FundingRules] | None = None
) -> FundingRules | None:
    """The nearest place's own rules in force on `day` (the county's, else its city's, else its
    province's), else the plan's preset (plan_rules)."""
    versions = all_rules() if versions is None else versions
    return nearest_version(versions, day, plan.org_unit, _code_of, DEFAULT_RULES)


def _code_of(place: OrgUnit) -> str:
    return f"funding-{place.code}"


def rules_of_year(
    plan: Plan, year: int, versions: list[FundingRules] | None = None
) -> FundingRules | None:
    """The rules a year is judged by: those in force on its 31 December (示例 convention)."""
    return rules_in_force(plan, date(year, 12, 31), versions)


@transaction.atomic
def new_rules_version(
    plan: Plan,
    changes: dict[str, object],
    *,
    effective_from: date,
    source: str,
    actor: Actor,
) -> RulesVersion:
    """The next version of the rules of the plan's place (its own code: another place's rules
    are never touched): the rules in force on `effective_from` with `changes`, in force from
    that day (not before the place's latest version). Years whose 31 December falls before it
    keep the version they were judged by."""
    code = place_code(plan)
    base = rules_in_force(plan, effective_from)
    if base is None:
        raise Refused(_("尚无经费保障规则，请先预置"))
    problems: list[str] = []
    source = _text(source, _("新版本的依据（文件或会议）"), 500, problems)
    try:
        latest = refuse_earlier(RulesVersion.objects.filter(code=code), effective_from)
    except Refused as earlier:
        problems.insert(0, str(earlier))
        latest = None
    _refuse_if(problems)
    data = {
        **base.to_json(),
        **changes,
        "code": code,
        "name": _("{place}经费保障规则").format(place=plan.org_unit.name),
        "version": (latest.version + 1) if latest else 1,
        "effective_from": effective_from.isoformat(),
        "source": source,
        "note": "",
    }
    try:
        chosen = FundingRules.from_json(data)
    except (ParameterError, TypeError, ValueError) as error:
        raise Refused(str(error)) from None
    stored = _store(chosen)
    record_change(
        stored,
        actor=actor,
        action="create",
        after=snapshot(stored),
        summary=_("经费保障规则新版本"),
    )
    return stored


# ---- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SurchargeInput:
    year: Value
    education_revenue: Value
    education_to_vocational: Value
    local_revenue: Value
    local_to_vocational: Value
    source: str


def _save(found: Model, before: dict[str, Any] | None, summary: str, actor: Actor) -> None:
    record_change(
        found,
        actor=actor,
        action="update" if before else "create",
        before=before,
        after=snapshot(found),
        summary=summary,
    )


@transaction.atomic
def record_surcharge_year(plan: Plan, given: SurchargeInput, *, actor: Actor) -> SurchargeYear:
    """The plan's place's surcharge year, created or corrected (before and after recorded)."""
    problems: list[str] = []
    year = _year(given.year, problems)
    er = _whole(given.education_revenue, _("教育费附加收入"), problems)
    es = _whole(given.education_to_vocational, _("教育费附加用于职业教育的金额"), problems)
    lr = _whole(given.local_revenue, _("地方教育附加收入"), problems)
    ls = _whole(given.local_to_vocational, _("地方教育附加用于职业教育的金额"), problems)
    if es > er:
        problems.append(_("教育费附加用于职业教育的金额不能超过当年收入"))
    if ls > lr:
        problems.append(_("地方教育附加用于职业教育的金额不能超过当年收入"))
    source = _text(given.source, _("来源说明"), 200, problems)
    _refuse_if(problems)
    found = SurchargeYear.objects.filter(plan=plan, place=plan.org_unit, year=year).first()
    before = snapshot(found) if found else None
    if found is None:
        found = SurchargeYear(plan=plan, place=plan.org_unit, year=year)
    found.education_revenue, found.education_to_vocational = er, es
    found.local_revenue, found.local_to_vocational = lr, ls
    found.source = source
    found.save()
    _save(found, before, _("教育附加收入与使用"), actor)
    return found


@dataclass(frozen=True)
class StoredStudents:
    """A school's 在校生数 of a year as the indicators hold it, and the value's status."""

    count: int
    year: int
    status: str


def stored_students(plan: Plan, school_ids: set[int], year: int) -> dict[int, StoredStudents]:
    """在校生数（中职学校生师比） of the year per school, read from the stored indicator values
    (the teachers app reads the same value; nothing here types it again)."""
    found = DataValue.objects.filter(
        indicator__plan=plan,
        indicator__category=STUDENTS_TABLE,
        indicator__name=STUDENTS_WORDS,
        org_unit_id__in=school_ids,
        period=str(year),
        disaggregation="",
    ).values_list("org_unit_id", "value", "status")
    return {
        unit: StoredStudents(int(value), year, str(DataValue.Status(status).label))
        for unit, value, status in found
        if isinstance(value, Decimal) and value == value.to_integral_value()
    }


def _school(plan: Plan, school: OrgUnit | None, problems: list[str]) -> None:
    if school is None:
        problems.append(_("请选择本方案所辖的学校"))
    elif school.pk not in {s.pk for s in schools_of(plan)}:
        problems.append(_("“{name}”不是本方案所辖的学校").format(name=school.name))


@transaction.atomic
def record_appropriation(
    plan: Plan,
    school: OrgUnit | None,
    *,
    year: Value,
    actual: Value,
    students: Value,
    source: str,
    actor: Actor,
) -> Appropriation:
    """A school's appropriation of a year, created or corrected. The 在校生数 may be left empty
    when the indicators hold the school's count for the count year (the rules' 在校生口径); it
    must be typed only where they hold none (the fallback)."""
    problems: list[str] = []
    _school(plan, school, problems)
    found_year = _year(year, problems)
    found_actual = _whole(actual, _("实际拨款"), problems)
    typed = str(students if students is not None else "").strip()
    found_students = (
        _whole(students, _("在校生数"), problems, limit=MAX_STUDENTS) if typed else None
    )
    if not typed and school is not None and not problems:
        chosen = rules_of_year(plan, found_year)
        count_year = chosen.count_year(found_year) if chosen else None
        if count_year is None or school.pk not in stored_students(plan, {school.pk}, count_year):
            problems.append(
                _("指标库尚无“{name}”{year} 年的在校生数，请填写在校生数").format(
                    name=school.name, year=count_year if count_year else found_year
                )
            )
    source = _text(source, _("来源说明"), 200, problems)
    _refuse_if(problems)
    found = Appropriation.objects.filter(plan=plan, school=school, year=found_year).first()
    before = snapshot(found) if found else None
    if found is None:
        found = Appropriation(plan=plan, school=school, year=found_year)
    found.actual, found.students, found.source = found_actual, found_students, source
    found.save()
    _save(found, before, _("生均拨款"), actor)
    return found


@dataclass(frozen=True)
class DebtInput:
    description: str
    amount: Value
    incurred_on: date | str | None
    resolved_on: date | str | None = None
    resolved_amount: Value = 0
    source: str = ""


def _resolution(
    amount: int,
    incurred_on: date | None,
    resolved_on: date | str | None,
    resolved_amount: Value,
    problems: list[str],
) -> tuple[date | None, int]:
    day = _day(resolved_on, _("化解日期"), problems, required=False)
    text = str(resolved_amount if resolved_amount is not None else "").strip()
    resolved = _whole(resolved_amount, _("已化解金额"), problems) if text else 0
    if day is None and resolved:
        problems.append(_("填写了已化解金额，请同时填写化解日期"))
    if day is not None and not resolved:
        problems.append(_("填写了化解日期，请同时填写已化解金额"))
    if resolved > amount:
        problems.append(_("已化解金额不能超过债务金额"))
    if day is not None and incurred_on is not None and day < incurred_on:
        problems.append(_("化解日期不能早于产生日期"))
    return day, resolved


@transaction.atomic
def record_debt(plan: Plan, school: OrgUnit | None, given: DebtInput, *, actor: Actor) -> Debt:
    """A school's debt, with what has been resolved so far if anything."""
    problems: list[str] = []
    _school(plan, school, problems)
    description = _text(given.description, _("债务说明"), 200, problems)
    known = len(problems)
    amount = _whole(given.amount, _("债务金额"), problems)
    if len(problems) == known and amount == 0:
        problems.append(_("债务金额须大于 0"))
    incurred_on = _day(given.incurred_on, _("产生日期"), problems, required=True)
    resolved_on, resolved = _resolution(
        amount, incurred_on, given.resolved_on, given.resolved_amount, problems
    )
    source = _text(given.source, _("来源说明"), 200, problems)
    _refuse_if(problems)
    debt = Debt.objects.create(
        plan=plan,
        school=school,
        description=description,
        amount=amount,
        incurred_on=incurred_on,
        resolved_on=resolved_on,
        resolved_amount=resolved,
        source=source,
    )
    record_change(debt, actor=actor, action="create", after=snapshot(debt), summary=_("学校债务"))
    return debt


@transaction.atomic
def resolve_debt(
    debt: Debt, *, resolved_on: date | str | None, resolved_amount: Value, actor: Actor
) -> Debt:
    """Record (or correct) what of a debt has been resolved, by which day."""
    problems: list[str] = []
    if not str(resolved_on or "").strip():
        problems.append(_("请填写化解日期"))
    day, resolved = _resolution(
        debt.amount, debt.incurred_on, resolved_on, resolved_amount, problems
    )
    _refuse_if(problems)
    before = snapshot(debt)
    debt.resolved_on, debt.resolved_amount = day, resolved
    debt.save()
    record_change(
        debt,
        actor=actor,
        action="update",
        before=before,
        after=snapshot(debt),
        summary=_("债务化解"),
    )
    return debt
