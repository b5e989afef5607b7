"""The 附件2 六、社会培训 values of a plan's schools for a year, computed from their training
records and stored through the indicators app (store_values), school by school — so they are
not typed twice (最多报一次).

Rows fed: 培训规模（人日）, 承担补贴性培训规模（人日）, the target-group
row (退役军人、下岗失业人员、去产能分流职工、农民工、建档立卡贫困劳动力、
残疾人等培训规模（人日）) and 培训到款额（万元）. Records hold integer 元,
the row is 万元, so 元 ÷ 10,000 exactly (Decimal). 培训到款额 is left
out (the stored value kept) when a record of the year has no income
reported: a partial sum would pass for the whole. The ratio row
(培训规模与全日制在校生比例) is computed by the indicators app."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.achievements.versions import number
from gaodi.indicators.feeding import (
    AGREE,
    DISAGREE,
    NONE_YET,
    held_values,
    lock_schools,
    store_school,
)
from gaodi.indicators.models import DataSet, Indicator
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan
from gaodi.specialties.services import schools_of

from . import conversion
from .models import TrainingRecord
from .services import Refused, pure_record

CATEGORY = "六、社会培训"
FED_SOURCE = "由社会培训记录计算"
PERSON_DAYS, SUBSIDISED, GROUPS, INCOME = "person_days", "subsidised", "groups", "income"
# what each fed row is called in 附件2 (the indicator's name, unit aside)
ROW_NAMES = {
    PERSON_DAYS: "培训规模",
    SUBSIDISED: "承担补贴性培训规模",
    GROUPS: "退役军人、下岗失业人员、去产能分流职工、农民工、建档立卡贫困劳动力、残疾人等培训规模",
    INCOME: "培训到款额",
}


def social_training_indicators(plan: Plan) -> dict[str, Indicator]:
    """The plan's 社会培训 indicators the records feed, by row (a row the plan lacks: left
    out)."""
    found = Indicator.objects.filter(plan=plan, category=CATEGORY, formula="")
    by_name = {indicator.name: indicator for indicator in found}
    return {row: by_name[name] for row, name in ROW_NAMES.items() if name in by_name}


def data_set_of(plan: Plan, indicators: dict[str, Indicator]) -> DataSet:
    data_set = (
        DataSet.objects.filter(plan=plan, indicators__in=list(indicators.values()))
        .distinct()
        .first()
    )
    if data_set is None or not indicators:
        raise Refused(_("方案没有“六、社会培训”指标，无法写入"))
    return data_set


@dataclass(frozen=True)
class FedValue:
    row: str
    code: str
    name: str
    measure: str
    value: Decimal | None  # None: not computable (income not all reported)
    working: str


def values_for(
    records: list[TrainingRecord], year: int, indicators: dict[str, Indicator]
) -> list[FedValue]:
    """What the records of a school say for each fed row of the year, with the working."""
    counted = [pure_record(r) for r in records if r.end.year == year]
    days = sum((r.person_days for r in counted), Decimal(0))
    subsidised = sum((r.person_days for r in counted if r.subsidised), Decimal(0))
    groups = sum((r.person_days for r in counted if r.target_groups), Decimal(0))
    unreported = sum(1 for r in counted if r.income is None)
    income = sum((r.income for r in counted if r.income is not None), Decimal(0))
    n = len(counted)
    computed = {
        PERSON_DAYS: (
            days,
            _("{year} 年结束的 {n} 项培训人日之和 {days}").format(
                year=year, n=n, days=number(days)
            ),
        ),
        SUBSIDISED: (
            subsidised,
            _("其中标为补贴性培训的人日之和 {days}").format(days=number(subsidised)),
        ),
        GROUPS: (
            groups,
            _(
                "其中培训对象含重点人群（含“其他重点人群”，按方案“等”字计入）的人日之和 {days}"
            ).format(days=number(groups)),
        ),
        INCOME: (
            None if unreported else conversion.income_in_wan(income),
            _("{count} 项培训未填报到款额，到款额无法汇总，不写入").format(count=unreported)
            if unreported
            else _("到款额合计 {yuan} 元 ÷ 10000 = {wan} 万元").format(
                yuan=number(income), wan=number(conversion.income_in_wan(income))
            ),
        ),
    }
    return [
        FedValue(row, ind.code, ind.name, ind.unit, computed[row][0], computed[row][1])
        for row, ind in indicators.items()
    ]


@dataclass
class SchoolFed:
    school: OrgUnit
    values: list[FedValue]
    stored: bool = False
    refused: list[str] = field(default_factory=list)


@transaction.atomic
def feed_training(plan: Plan, year: int, *, actor: Actor) -> list[SchoolFed]:
    """Each school of the plan with training records ending that year: its 社会培训 values
    stored as its own (one store per school, all or nothing for that school), or the reason
    they were not (its data submitted or approved, and so locked)."""
    indicators = social_training_indicators(plan)
    data_set = data_set_of(plan, indicators)
    results = []
    schools = schools_of(plan)
    lock_schools(schools)
    for school in schools:
        records = list(TrainingRecord.objects.filter(plan=plan, school=school, end__year=year))
        if not records:
            continue
        fed = values_for(records, year, indicators)
        result = SchoolFed(school, fed)
        results.append(result)
        values = {v.code: v.value for v in fed if v.value is not None}
        result.refused = store_school(
            data_set, str(year), school.pk, values, actor=actor, source=FED_SOURCE
        )
        result.stored = not result.refused
    return results


@dataclass(frozen=True)
class PreviewRow:
    school: str
    name: str
    measure: str
    computed: Decimal | None
    stored: Decimal | None
    state: str  # 一致 / 不一致 / 尚无
    working: str

    @property
    def computed_text(self) -> str:
        return "—" if self.computed is None else number(self.computed)

    @property
    def stored_text(self) -> str:
        return "—" if self.stored is None else number(self.stored)


def preview(plan: Plan, schools: list[OrgUnit], year: int) -> list[PreviewRow]:
    """What the feed would write for the year beside what the indicators hold now."""
    indicators = social_training_indicators(plan)
    if not indicators:
        return []
    stored = held_values(indicators.values(), schools, str(year))
    records = TrainingRecord.objects.filter(plan=plan, school__in=schools, end__year=year)
    by_school: dict[int, list[TrainingRecord]] = {}
    for found in records:
        by_school.setdefault(found.school_id, []).append(found)
    rows = []
    for school in schools:
        if school.pk not in by_school:
            continue
        for value in values_for(by_school[school.pk], year, indicators):
            held = stored.get((school.pk, value.code))
            if held is None:
                state = NONE_YET
            elif value.value is not None and held == value.value:
                state = AGREE
            else:
                state = DISAGREE
            rows.append(
                PreviewRow(
                    school.name, value.name, value.measure, value.value, held, state, value.working
                )
            )
    return rows
