"""中职生均拨款（万元） (附件2 五、经费投入) fed from the appropriation records (最多报一次): for
each school with an appropriation that year, 实际拨款 ÷ 在校生 (the indicators' count, else the
typed fallback: queries.counted_students) ÷ 10000 stored as the school's
value through the indicators app (store_values), school by school. Submitted or approved data
are never rewritten: store_values refuses them and the reason is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gaodi.indicators.feeding import lock_schools, store_school
from gaodi.indicators.models import DataSet
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan

from .models import Appropriation
from .queries import counted_students, per_student_indicator
from .rules import per_student_wan
from .services import Refused

FED_SOURCE = gettext_lazy("由生均拨款记录计算")


@dataclass
class SchoolFed:
    school: OrgUnit
    value: Decimal | None
    stored: bool = False
    refused: list[str] = field(default_factory=list)


@transaction.atomic
def feed_per_student(plan: Plan, year: int, *, actor: Actor) -> list[SchoolFed]:
    """Each school's 中职生均拨款 of the year from its appropriation; one store per school."""
    indicator = per_student_indicator(plan)
    if indicator is None:
        raise Refused(_("方案没有“中职生均拨款”指标，无法写入"))
    data_set = DataSet.objects.filter(plan=plan, indicators=indicator).first()
    if data_set is None:
        raise Refused(_("“中职生均拨款”不属于任何填报表，无法写入"))
    results = []
    records = list(
        Appropriation.objects.filter(plan=plan, year=year)
        .select_related("school")
        .order_by("school__code")
    )
    counted = counted_students(plan, records)
    lock_schools(record.school_id for record in records)
    for record in records:
        students = counted[record.pk].students
        value = None if students is None else per_student_wan(record.actual, students)
        result = SchoolFed(record.school, value)
        results.append(result)
        if students is None:
            result.refused = [_("指标库尚无在校生数，且未手工填写，无法计算")]
            continue
        if value is None:
            result.refused = [_("在校生为 0，无法计算")]
            continue
        result.refused = store_school(
            data_set,
            str(year),
            record.school_id,
            {indicator.code: value},
            actor=actor,
            source=str(FED_SOURCE),
        )
        result.stored = not result.refused
    return results
