"""Every write of the achievements app, each in one transaction with its change records
(gaodi.audit): the preset parameter sets (idempotent) and new versions, an achievement, a
school's evaluation scores, a competition award, and the composites of a year.

Bad input raises Refused with a Chinese message and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change, record_changes
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan
from gaodi.specialties.models import Offering, Specialty
from gaodi.specialties.services import Change, Refused, refuse_earlier, schools_of, snapshot
from gaodi.today import now, today

from . import competitions, evaluation
from .achievements import KindSet, plan_kinds
from .models import (
    Achievement,
    CompetitionAward,
    EvaluationResult,
    ParameterSetVersion,
    SchoolEvaluation,
)
from .versions import ParameterError, select_version

DEFAULT_WEIGHTS = "evaluation-example"
DEFAULT_KINDS = "plan-achievements"
DEFAULT_POINTS = "competition-points-example"
Kind = ParameterSetVersion.Kind
ParameterSet = evaluation.WeightSet | KindSet | competitions.PointsTable


def _kind_of(parameters: ParameterSet) -> str:
    if isinstance(parameters, evaluation.WeightSet):
        return Kind.WEIGHTS
    if isinstance(parameters, KindSet):
        return Kind.ACHIEVEMENT_KINDS
    return Kind.POINTS


def _store(parameters: ParameterSet) -> ParameterSetVersion:
    return ParameterSetVersion.objects.create(
        kind=_kind_of(parameters),
        code=parameters.code,
        version=parameters.version,
        effective_from=parameters.effective_from,
        name=parameters.name,
        source=parameters.source,
        data=parameters.to_json(),
    )


@transaction.atomic
def seed_parameters(*, actor: Actor) -> int:
    """The 示例 weights, the plan's achievement kinds and the 示例 points table, once each."""
    changes: list[Change] = []
    for preset in (evaluation.example_weights(), plan_kinds(), competitions.example_points()):
        if not ParameterSetVersion.objects.filter(code=preset.code, version=preset.version):
            stored = _store(preset)
            changes.append((stored, "create", None, snapshot(stored), "预置参数集"))
    record_changes(changes, actor=actor)
    return len(changes)


@transaction.atomic
def save_parameter_set(parameters: ParameterSet, *, actor: Actor) -> ParameterSetVersion:
    """A new version of a parameter set; an existing code+version is never overwritten."""
    if ParameterSetVersion.objects.filter(
        code=parameters.code, version=parameters.version
    ).exists():
        raise Refused(
            _("参数集“{code}”第 {version} 版已存在，请另存新版本").format(
                code=parameters.code, version=parameters.version
            )
        )
    stored = _store(parameters)
    record_change(stored, actor=actor, action="create", after=snapshot(stored), summary="参数集")
    return stored


def place_weights_code(plan: Plan) -> str:
    """The weight set of the plan's place (a county's own weights): its code."""
    return f"evaluation-{plan.org_unit.code}"


def weights_in_force(plan: Plan, day: date) -> evaluation.WeightSet | None:
    """The nearest place's own weight set in force on `day` (the county's, else its city's,
    else its province's), else the 示例 set's — as for rule sets and forecast parameters."""
    sets = weight_sets()
    place: OrgUnit | None = plan.org_unit
    while place is not None:
        found = select_version(sets, day, f"evaluation-{place.code}")
        if found is not None:
            return found
        place = place.parent
    return select_version(sets, day, DEFAULT_WEIGHTS)


@transaction.atomic
def new_weight_version(
    plan: Plan,
    weights: dict[str, Decimal],
    *,
    missing: str,
    effective_from: date,
    source: str,
    actor: Actor,
) -> ParameterSetVersion:
    """The next version of the weight set of the plan's place (its own code: another place's
    weights are never touched), weights checked by evaluation.WeightSet, in force from
    `effective_from`, which may not precede the latest version's. Results already computed are
    left as they were; a recomputation of a year whose 31 December falls on or after that day
    uses it. Until a place has its own version in force, the 示例 set applies."""
    code = place_weights_code(plan)
    name = _("{place}职业院校评价综合得分权重").format(place=plan.org_unit.name)
    if not source.strip():
        raise Refused(_("请填写新权重的依据（文件或会议）"))
    latest = refuse_earlier(
        ParameterSetVersion.objects.filter(kind=Kind.WEIGHTS, code=code), effective_from
    )
    try:
        chosen = evaluation.WeightSet(
            code=code,
            name=name,
            version=(latest.version + 1) if latest else 1,
            effective_from=effective_from,
            weights=weights,
            missing=missing,
            source=source.strip(),
        )
    except ParameterError as error:
        raise Refused(str(error)) from None
    return save_parameter_set(chosen, actor=actor)


def weight_sets() -> list[evaluation.WeightSet]:
    stored = ParameterSetVersion.objects.filter(kind=Kind.WEIGHTS)
    return [evaluation.WeightSet.from_json(v.data) for v in stored]


def kind_sets() -> list[KindSet]:
    stored = ParameterSetVersion.objects.filter(kind=Kind.ACHIEVEMENT_KINDS)
    return [KindSet.from_json(v.data) for v in stored]


def points_tables() -> list[competitions.PointsTable]:
    stored = ParameterSetVersion.objects.filter(kind=Kind.POINTS)
    return [competitions.PointsTable.from_json(v.data) for v in stored]


def kinds_in_force(day: date, code: str = DEFAULT_KINDS) -> KindSet | None:
    return select_version(kind_sets(), day, code)


def _school_of(plan: Plan, school: OrgUnit) -> None:
    if school.pk not in {found.pk for found in schools_of(plan)}:
        raise Refused(_("“{school}”不是本方案所辖的学校").format(school=school.name))


def _year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise Refused(_("年份须在 2000–2100 之间"))


@dataclass(frozen=True)
class AchievementInput:
    kind: str
    name: str
    approved_on: date | None
    doc_number: str = ""
    evidence: str = ""
    level: str = ""
    specialty: Specialty | None = None


@transaction.atomic
def record_achievement(
    plan: Plan, school: OrgUnit, given: AchievementInput, *, actor: Actor
) -> Achievement:
    """One achievement of a school, with its change record."""
    _school_of(plan, school)
    kinds = kinds_in_force(today())
    if kinds is None or kinds.kind(given.kind) is None:
        raise Refused(_("没有名为“{kind}”的成果类别").format(kind=given.kind))
    if kinds.kind(given.kind).from_credit_bank:  # type: ignore[union-attr]
        raise Refused(
            _("“{kind}”取自学分银行（已认定的学习成果），不另行录入").format(
                kind=kinds.kind(given.kind).name  # type: ignore[union-attr]
            )
        )
    name = _within("成果名称", given.name, 200)
    level = _within("级别", given.level, 20)
    doc_number = _within("文号", given.doc_number, 100)
    evidence = _within("佐证说明", given.evidence, 300)
    if not name:
        raise Refused(_("请填写成果名称"))
    if Achievement.objects.filter(plan=plan, school=school, kind=given.kind, name=name).exists():
        raise Refused(
            _("{school}已登记过“{name}”，同一成果只登记一次").format(school=school.name, name=name)
        )
    if given.approved_on is not None and given.approved_on > today():
        raise Refused(_("批准（立项）日期不能晚于今天"))
    if (
        given.specialty is not None
        and not Offering.objects.filter(school=school, specialty=given.specialty).exists()
    ):
        raise Refused(
            _("“{specialty}”不是{school}开设的专业").format(
                specialty=given.specialty.name, school=school.name
            )
        )
    achievement = Achievement.objects.create(
        plan=plan,
        school=school,
        kind=given.kind,
        name=name,
        specialty=given.specialty,
        level=level,
        approved_on=given.approved_on,
        doc_number=doc_number,
        evidence=evidence,
    )
    record_change(
        achievement, actor=actor, action="create", after=snapshot(achievement), summary="标志性成果"
    )
    return achievement


def _within(label: str, text: str, limit: int) -> str:
    """Text as it will be stored, or Refused when longer than its column (PostgreSQL would
    refuse it with an error; SQLite would keep it)."""
    text = text.strip()
    if len(text) > limit:
        raise Refused(
            _("{label}不能超过 {limit} 个字（现为 {length} 个字）").format(
                label=label, limit=limit, length=len(text)
            )
        )
    return text


def _scores(values: dict[str, Decimal | None]) -> None:
    for component, value in values.items():
        if value is not None and not (0 <= value <= 100):
            label = evaluation.COMPONENT_LABELS[component]
            raise Refused(_("{label}须在 0 到 100 之间").format(label=label))
        if value is not None and value != value.quantize(Decimal("0.1")):
            label = evaluation.COMPONENT_LABELS[component]
            raise Refused(_("{label}最多保留一位小数").format(label=label))


@transaction.atomic
def record_evaluation(
    plan: Plan,
    school: OrgUnit,
    year: int,
    scores: dict[str, Decimal | None],
    *,
    source: str,
    actor: Actor,
) -> SchoolEvaluation:
    """A school's scores of a year, created or corrected (before and after recorded).
    A score left out is 未评 (None), never 0."""
    _school_of(plan, school)
    _year(year)
    unknown = set(scores) - set(evaluation.COMPONENTS)
    if unknown:
        raise Refused(_("没有名为“{item}”的评价项").format(item=sorted(unknown)[0]))
    _scores(scores)
    if not _within("来源说明", source, 200):
        raise Refused(_("请填写来源说明（评价机构或文件）"))
    found = SchoolEvaluation.objects.filter(plan=plan, school=school, year=year).first()
    before = snapshot(found) if found else None
    if found is None:
        found = SchoolEvaluation(plan=plan, school=school, year=year)
    for component in evaluation.COMPONENTS:
        setattr(found, component, scores.get(component))
    found.source = source.strip()
    found.save()
    record_change(
        found,
        actor=actor,
        action="update" if before else "create",
        before=before,
        after=snapshot(found),
        summary="学校评价得分",
    )
    return found


@dataclass(frozen=True)
class AwardInput:
    year: int
    name: str
    level: str
    grade: str
    category: str
    participants: int = 1


MAX_PARTICIPANTS = 1000  # a team award names its members; a thousand is a typing slip


@transaction.atomic
def record_award(
    plan: Plan, school: OrgUnit, given: AwardInput, *, source: str, actor: Actor
) -> CompetitionAward:
    """One competition award, checked by competitions.Award, with its change record."""
    _school_of(plan, school)
    _year(given.year)
    if not _within("赛项名称", given.name, 200):
        raise Refused(_("请填写赛项名称"))
    source = _within("来源说明", source, 200)
    if not 1 <= given.participants <= MAX_PARTICIPANTS:
        raise Refused(_("获奖人数须在 1 到 {most} 之间").format(most=MAX_PARTICIPANTS))
    try:
        competitions.Award(
            school.name,
            given.year,
            given.name,
            given.level,
            given.grade,
            given.category,
            given.participants,
        )
    except ParameterError as error:
        raise Refused(str(error)) from None
    award = CompetitionAward.objects.create(
        plan=plan,
        school=school,
        year=given.year,
        name=given.name.strip(),
        level=given.level,
        grade=given.grade,
        category=given.category,
        participants=given.participants,
        source=source,
    )
    record_change(
        award, actor=actor, action="create", after=snapshot(award), summary="技能大赛获奖"
    )
    return award


def scores_of(found: SchoolEvaluation) -> evaluation.Scores:
    """The pure module's input, the school named by its code (unique; names need not be)."""
    return evaluation.Scores(
        school=found.school.code,
        year=found.year,
        **{component: getattr(found, component) for component in evaluation.COMPONENTS},
    )


@transaction.atomic
def compute_evaluations(plan: Plan, year: int, *, actor: Actor) -> list[EvaluationResult]:
    """The composites of the plan's schools for a year with the weight set in force on 31
    December of that year (the place's own, else the 示例 set: weights_in_force); they replace
    that year's previous results."""
    _year(year)
    weights = weights_in_force(plan, date(year, 12, 31))
    if weights is None:
        raise Refused(_("{year} 年没有施行中的权重集").format(year=year))
    evaluations = list(
        SchoolEvaluation.objects.filter(plan=plan, year=year)
        .select_related("school")
        .order_by("school__code")
    )
    old = list(EvaluationResult.objects.filter(plan=plan, year=year))
    removed: list[Change] = [(r, "delete", snapshot(r), None, "重新计算，旧结果删除") for r in old]
    record_changes(removed, actor=actor)
    EvaluationResult.objects.filter(pk__in=[r.pk for r in old]).delete()
    composites = evaluation.evaluate([scores_of(e) for e in evaluations], weights)
    schools = {e.school.code: e.school for e in evaluations}
    computed = now()
    results = [
        EvaluationResult.objects.create(
            plan=plan,
            school=schools[found.school],
            year=year,
            composite=found.value,
            rank=found.rank,
            weight_set_code=weights.code,
            weight_set_version=weights.version,
            working=found.to_json(),
            computed_at=computed,
        )
        for found in composites
    ]
    record_changes([(r, "create", None, snapshot(r), "学校评价结果") for r in results], actor=actor)
    return results
