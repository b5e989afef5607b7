"""Reads of 经费保障 and who may see and write them.

Readers: the work team, the leaders and the inspectors of the plan's place (Action.READ_VALUES
there), and the liaison of the department that LEADS the plan's funding task (重点任务（一）
完善经费长效稳定保障机制: 区财政局 in the reference plan; found by its assignment, so another
plan's own lead department gets the same). Writers: the work team (Action.REVIEW) and that
lead department's liaison — finance holds these numbers, so it enters them once (最多报一次).
A school's clerk, other departments and anyone else: 404 (the money of the district, not of a
school).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q
from django.http import Http404
from django.utils.translation import gettext as _

from gaodi.accounts.gate import Action, User, can, department_of
from gaodi.achievements.versions import number
from gaodi.indicators.choices import Aggregation
from gaodi.indicators.dashboard import Actuals
from gaodi.indicators.models import DataValue, Indicator, TargetValue
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Assignment, Deadline, Parameter, Plan, Target, Task
from gaodi.specialties.services import schools_of

from . import rules
from .models import Appropriation, Debt, SurchargeYear
from .services import all_rules, rules_in_force, rules_of_year, stored_students

FUNDING_TASK_WORDS = "经费"  # the plan's task whose title speaks of funding: （一） in Chiping
TABLE_WORDS = "经费投入"
# the body's clause before the task list's row, on SQLite and PostgreSQL alike (NULL order differs)
BODY_FIRST = F("list_item").asc(nulls_first=True)  # 附件2 五、经费投入
PER_STUDENT_WORDS = "中职生均拨款"


def funding_tasks(plan: Plan) -> list[Task]:
    return list(
        Task.objects.filter(plan=plan, title__contains=FUNDING_TASK_WORDS).order_by("order")
    )


def leads_funding(user: User, plan: Plan) -> bool:
    """The user is the liaison of a department that leads the plan's funding task."""
    department = department_of(user)
    if department is None:
        return False
    return Assignment.objects.filter(
        task__in=funding_tasks(plan), department_id=department, role=AssignmentRole.LEAD
    ).exists()


def may_read(user: User, plan: Plan) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    seen: dict[int, bool] = user.__dict__.setdefault("_gaodi_may_read_funding", {})
    if plan.pk not in seen:
        seen[plan.pk] = can(user, Action.READ_VALUES, plan.org_unit_id) or leads_funding(user, plan)
    return seen[plan.pk]


def may_write(user: User, plan: Plan) -> bool:
    return can(user, Action.REVIEW, plan.org_unit_id) or leads_funding(user, plan)


def readable(user: User, plan: Plan) -> None:
    if not may_read(user, plan):
        raise Http404


# ---- the rules against what the plan says ---------------------------------------------------


@dataclass(frozen=True)
class PlanCheck:
    """A number of the rules beside the plan's own words for it, as the parser stored them."""

    label: str
    rule_value: str
    plan_phrase: str  # "" when the plan's parse holds no such number
    plan_value: str
    clause: str

    @property
    def agrees(self) -> bool | None:
        return None if not self.plan_phrase else self.rule_value == self.plan_value


def plan_checks(plan: Plan, chosen: rules.FundingRules | None) -> list[PlanCheck]:
    """The 30 %, the 3,300 元 and the 2020-12-31 of the rules in force, checked against the
    plan's parsed targets, parameters and deadlines (nothing retyped: a plan that says
    otherwise shows 不一致, and the district sets a new version)."""
    if chosen is None:
        return []
    found = []
    share = (
        Target.objects.filter(
            Q(task__plan=plan) | Q(list_item__plan=plan), phrase__contains="教育费附加", unit="%"
        )
        .order_by(BODY_FIRST, "pk")
        .first()
    )
    found.append(
        PlanCheck(
            str(_("附加用于职业教育的最低比例")),
            number(chosen.minimum_share * 100) + "%",
            share.phrase if share else "",
            number(share.value) + "%" if share else "",
            share.clause if share else "",
        )
    )
    standard = (
        Parameter.objects.filter(
            Q(task__plan=plan) | Q(list_item__plan=plan), phrase__contains="生均", unit="元"
        )
        .order_by(BODY_FIRST, "pk")
        .first()
    )
    found.append(
        PlanCheck(
            str(_("生均拨款标准")),
            _("{value} 元").format(value=rules.money(chosen.standard_per_student)),
            standard.phrase if standard else "",
            _("{value} 元").format(value=rules.money(standard.value)) if standard else "",
            standard.clause if standard else "",
        )
    )
    deadline = (
        Deadline.objects.filter(list_item__plan=plan, list_item__text__contains="债务")
        .select_related("list_item")
        .first()
    )
    found.append(
        PlanCheck(
            str(_("前期债务化解期限")),
            chosen.debt_deadline.isoformat(),
            deadline.phrase if deadline else "",
            deadline.date.isoformat() if deadline else "",
            _("任务清单第{seq}行").format(seq=deadline.list_item.seq)
            if deadline and deadline.list_item
            else "",
        )
    )
    return found


# ---- the overview ---------------------------------------------------------------------------


@dataclass
class Overview:
    plan: Plan
    as_of: date
    rules_now: rules.FundingRules | None
    versions: list[rules.FundingRules]
    surcharges: list[rules.SurchargeResult] = field(default_factory=list)
    uncovered_years: list[int] = field(default_factory=list)  # records without rules in force
    appropriations: list[rules.AppropriationResult] = field(default_factory=list)
    table: list[rules.FundingRow] = field(default_factory=list)
    table_years: list[int] = field(default_factory=list)
    debts: list[tuple[Debt, rules.DebtResult]] = field(default_factory=list)
    schools_debt: list[rules.SchoolDebt] = field(default_factory=list)
    feed: list[FeedRow] = field(default_factory=list)
    plan_checks: list[PlanCheck] = field(default_factory=list)


def surcharge_results(
    plan: Plan, versions: list[rules.FundingRules]
) -> tuple[list[rules.SurchargeResult], list[int]]:
    found, uncovered = [], []
    for record in SurchargeYear.objects.filter(plan=plan).select_related("place").order_by("year"):
        chosen = rules_of_year(plan, record.year, versions)
        if chosen is None:
            uncovered.append(record.year)
            continue
        given = rules.SurchargeYear(
            record.place.name,
            record.year,
            record.education_revenue,
            record.education_to_vocational,
            record.local_revenue,
            record.local_to_vocational,
            record.source,
        )
        found.append(rules.check_surcharge(given, chosen))
    return found, uncovered


@dataclass(frozen=True)
class Counted:
    """The 在校生 count an appropriation is judged on and where it came from."""

    students: int | None  # None: neither the indicators nor a typed figure
    origin: str


def counted_students(
    plan: Plan, records: list[Appropriation], versions: list[rules.FundingRules] | None = None
) -> dict[int, Counted]:
    """Per appropriation (by pk): the school's 在校生数 of the count year the rules in force
    name, as the indicators hold it (最多报一次); the typed figure only where they hold none."""
    versions = all_rules() if versions is None else versions
    by_year: dict[int, list[Appropriation]] = {}
    found: dict[int, Counted] = {}
    for record in records:
        chosen = rules_of_year(plan, record.year, versions)
        if chosen is None:
            found[record.pk] = _typed(record, None)
        else:
            by_year.setdefault(chosen.count_year(record.year), []).append(record)
    for count_year, mine in by_year.items():
        stored = stored_students(plan, {r.school_id for r in mine}, count_year)
        for record in mine:
            value = stored.get(record.school_id)
            if value is None:
                found[record.pk] = _typed(record, count_year)
                continue
            origin = _("取自指标库（{year}年，{status}）").format(
                year=value.year, status=value.status
            )
            if record.students is not None and record.students != value.count:
                origin = _("{origin}；手工填写的 {typed} 人未采用").format(
                    origin=origin, typed=f"{record.students:,}"
                )
            found[record.pk] = Counted(value.count, str(origin))
    return found


def _typed(record: Appropriation, count_year: int | None) -> Counted:
    if record.students is None:
        return Counted(None, str(_("指标库尚无，且未手工填写")))
    if count_year is None:
        return Counted(record.students, str(_("手工填写（无施行中的规则）")))
    return Counted(
        record.students,
        str(_("手工填写，指标库尚无（{year}年）").format(year=count_year)),
    )


def appropriation_results(
    plan: Plan, versions: list[rules.FundingRules]
) -> tuple[list[rules.AppropriationResult], list[int]]:
    found, uncovered = [], []
    records = list(
        Appropriation.objects.filter(plan=plan)
        .select_related("school")
        .order_by("year", "school__code")
    )
    counted = counted_students(plan, records, versions)
    for record in records:
        chosen = rules_of_year(plan, record.year, versions)
        if chosen is None:
            uncovered.append(record.year)
            continue
        previous = rules_of_year(plan, record.year - 1, versions)
        count = counted[record.pk]
        given = rules.AppropriationYear(
            record.school.name, record.year, record.actual, count.students or 0, count.origin
        )
        found.append(rules.check_appropriation(given, chosen, previous))
    return found, uncovered


def table_indicators(plan: Plan) -> list[Indicator]:
    return list(
        Indicator.objects.filter(plan=plan, category__contains=TABLE_WORDS).order_by("order")
    )


def computed_per_student(plan: Plan, year: int, schools: list[int] | None = None) -> Decimal | None:
    """中职生均拨款（万元） of the year from the appropriation records: Σ拨款 ÷ Σ在校生 ÷ 10000."""
    records = Appropriation.objects.filter(plan=plan, year=year)
    if schools is not None:
        records = records.filter(school_id__in=schools)
    found = list(records)
    if not found:
        return None
    counted = counted_students(plan, found)
    known = [r for r in found if counted[r.pk].students is not None]
    if not known:
        return None
    return rules.per_student_wan(
        sum(r.actual for r in known), sum(counted[r.pk].students or 0 for r in known)
    )


def funding_table(plan: Plan) -> tuple[list[rules.FundingRow], list[int]]:
    """附件2 五、经费投入 at the plan's place: the targets the plan parser stored (TargetValue),
    the actuals as the indicators hold them (summed over the schools, as the dashboard does).
    A row that must not be summed (中职生均拨款) takes its county value from the appropriation
    records (a ratio of sums), and says so."""
    indicators = table_indicators(plan)
    targets = TargetValue.objects.filter(indicator__in=indicators, org_unit=plan.org_unit)
    by_indicator: dict[int, list[TargetValue]] = {}
    for target in targets.order_by("year"):
        by_indicator.setdefault(target.indicator_id, []).append(target)
    years = sorted({t.year for t in targets if not t.baseline})
    actuals = Actuals(plan, plan.org_unit, years)
    lines = []
    for indicator in indicators:
        mine = by_indicator.get(indicator.pk, [])
        baseline = next((t for t in mine if t.baseline), None)
        values = {year: actuals.value(indicator, plan.org_unit_id, year) for year in years}
        note = ""
        if indicator.aggregation == Aggregation.NONE and PER_STUDENT_WORDS in indicator.name:
            for year in years:
                if values[year] is None:
                    values[year] = computed_per_student(plan, year)
            note = str(
                _(
                    "全区数值按拨款记录计算：Σ实际拨款 ÷ Σ在校生 ÷ 10000"
                    "（比率由合计重算，不取各校平均）"
                )
            )
        lines.append(
            rules.FundingLine(
                indicator.code,
                indicator.name,
                indicator.unit,
                baseline.value if baseline else None,
                baseline.year if baseline else None,
                tuple((t.year, t.value) for t in mine if not t.baseline),
                tuple(values.items()),
                note,
            )
        )
    return rules.compare_funding(lines, years), years


def debt_results(
    plan: Plan, as_of: date, chosen: rules.FundingRules | None
) -> tuple[list[tuple[Debt, rules.DebtResult]], list[rules.SchoolDebt]]:
    if chosen is None:
        return [], []
    debts = list(
        Debt.objects.filter(plan=plan)
        .select_related("school")
        .order_by("school__code", "incurred_on", "pk")
    )
    items = [
        rules.DebtItem(
            d.school.name, d.description, d.amount, d.incurred_on, d.resolved_on, d.resolved_amount
        )
        for d in debts
    ]
    results, by_school = rules.check_debts(items, [s.name for s in schools_of(plan)], chosen, as_of)
    return list(zip(debts, results, strict=True)), by_school


# ---- 中职生均拨款 fed to the indicators -------------------------------------------------------


@dataclass(frozen=True)
class FeedRow:
    school: str
    school_id: int
    year: int
    computed: Decimal | None
    stored: Decimal | None
    working: str

    @property
    def computed_text(self) -> str:
        return per_student_text(self.computed)

    @property
    def stored_text(self) -> str:
        return per_student_text(self.stored)

    @property
    def agreement(self) -> str:
        if self.computed is None or self.stored is None:
            return str(_("尚无"))
        return str(_("一致") if self.computed == self.stored else _("不一致"))


def per_student_text(wan: Decimal | None) -> str:
    """中职生均拨款 as finance reads it: 0.330000 万元 -> 3,300 元/生（0.33 万元）, the 万元 figure
    to the indicator's 4 decimals (trailing zeros dropped); "—" when there is none."""
    if wan is None:
        return "—"
    return str(
        _("{yuan} 元/生（{wan} 万元）").format(
            yuan=rules.money(wan * rules.TEN_THOUSAND),
            wan=number(wan.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)),
        )
    )


def per_student_indicator(plan: Plan) -> Indicator | None:
    return (
        Indicator.objects.filter(
            plan=plan, category__contains=TABLE_WORDS, name__contains=PER_STUDENT_WORDS
        )
        .order_by("order")
        .first()
    )


def feed_rows(plan: Plan) -> list[FeedRow]:
    """Per school and year: 中职生均拨款（万元） computed from its appropriation beside the value
    the indicators hold (一致 / 不一致 / 尚无)."""
    indicator = per_student_indicator(plan)
    records = list(
        Appropriation.objects.filter(plan=plan)
        .select_related("school")
        .order_by("year", "school__code")
    )
    stored = {}
    if indicator is not None:
        stored = {
            (unit, period): value
            for unit, period, value in DataValue.objects.filter(
                indicator=indicator, disaggregation="", org_unit__in={r.school_id for r in records}
            ).values_list("org_unit_id", "period", "value")
        }
    counted = counted_students(plan, records)
    rows = []
    for r in records:
        count = counted[r.pk]
        computed = rules.per_student_wan(r.actual, count.students or 0)
        working = str(
            _("{actual} 元 ÷ {students} 人（{origin}） ÷ 10000 = {value} 万元").format(
                actual=f"{r.actual:,}",
                students="—" if count.students is None else f"{count.students:,}",
                origin=count.origin,
                value="—" if computed is None else number(computed),
            )
        )
        rows.append(
            FeedRow(
                r.school.name,
                r.school_id,
                r.year,
                computed,
                stored.get((r.school_id, str(r.year))),
                working,
            )
        )
    return rows


def overview(plan: Plan, as_of: date) -> Overview:
    versions = all_rules()
    found = Overview(
        plan=plan, as_of=as_of, rules_now=rules_in_force(plan, as_of, versions), versions=versions
    )
    found.surcharges, uncovered = surcharge_results(plan, versions)
    found.appropriations, more = appropriation_results(plan, versions)
    found.uncovered_years = sorted(set(uncovered + more))
    found.table, found.table_years = funding_table(plan)
    found.debts, found.schools_debt = debt_results(plan, as_of, found.rules_now)
    found.feed = feed_rows(plan)
    found.plan_checks = plan_checks(plan, found.rules_now)
    return found
