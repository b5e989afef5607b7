"""专业布局 indicators fed from the offerings, so that nothing is typed twice (issue 7: "results
feed indicators and targets where they match").

附件2 二、专业布局 asks each year, per industry row, for 专业点数 and 学生数; the indicators app
holds them as "{row}专业点数" and "{row}学生数" of the plan's 专业布局 data set. A school's
offerings already say which specialties it runs and how many students each has, and each
specialty's industries are known (SpecialtyIndustry), so the numbers follow:

- 专业点数 of a row = the school's offerings that year of specialties serving the row's
  industry (an offering record is a 专业点 that year); none -> 0;
- 学生数 of a row = the sum of their 在校生; none serving -> 0; one of them without its 在校生
  -> the school is not written at all until it is reported (unknown is not 0, and a partial
  sum would pass for the whole).

A specialty serving two industries counts in both, as the plan's own table does. The values
are written through the indicators app's own service (indicators.collection.store_values: its
value rules, validation rules, locks and change records), as the school's values of that
year. A school whose 专业布局 data is already submitted or approved is not touched: it is
reported, and the approver returns it if the new numbers should go in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from gaodi.i18n import _

POINTS_SUFFIX = "专业点数"
STUDENTS_SUFFIX = "学生数"
FED_SOURCE = "专业点年度数据（自动计算）"


@dataclass(frozen=True)
class OfferingFact:
    """What the feed needs of an offering: the specialty's name, its industries' row labels,
    its 在校生 (None = not reported)."""

    specialty: str
    rows: tuple[str, ...]
    students: int | None


@dataclass(frozen=True)
class FedValue:
    code: str
    name: str
    value: Decimal
    working: str


@dataclass
class Fed:
    values: list[FedValue] = field(default_factory=list)
    # 在校生 not reported by some offering serving a row: the school's values are not written
    # (a partial sum stored as the school's 学生数 would pass for the whole)
    missing_students: list[str] = field(default_factory=list)


def layout_values(facts: Iterable[OfferingFact], indicators: Mapping[str, tuple[str, str]]) -> Fed:
    """The 专业布局 values of one school and year, each with its working.

    `indicators` maps an indicator name ("新一代信息技术专业点数") to (code, row label). The
    offerings are the school's whole list of 专业点 that year, so a row none of them serves is
    0 专业点 and 0 学生 — written as 0, which also replaces a value typed earlier. A row with a
    specialty whose 在校生 is not reported gets no 学生数 and is named in `missing_students`:
    the feed refuses the school until it is reported."""
    facts = list(facts)
    fed = Fed()
    for row in dict.fromkeys(row for _code, row in indicators.values()):  # in the table's order
        serving = [fact for fact in facts if row in fact.rows]
        names = "、".join(fact.specialty for fact in serving)
        points = indicators.get(row + POINTS_SUFFIX)
        if points:
            working = (
                _("对接“{row}”的专业点 {n} 个：{names}").format(
                    row=row, n=len(serving), names=names
                )
                if serving
                else _("没有对接“{row}”的专业点：0 个").format(row=row)
            )
            fed.values.append(
                FedValue(points[0], row + POINTS_SUFFIX, Decimal(len(serving)), working)
            )
        students = indicators.get(row + STUDENTS_SUFFIX)
        if not students:
            continue
        missing = [fact.specialty for fact in serving if fact.students is None]
        if missing:
            fed.missing_students.extend(missing)
            continue
        total = sum(fact.students or 0 for fact in serving)
        parts = " + ".join(f"{fact.specialty} {fact.students}" for fact in serving)
        working = (
            _("在校生 {parts} = {total} 人").format(parts=parts, total=total)
            if serving
            else _("没有对接“{row}”的专业点：0 人").format(row=row)
        )
        fed.values.append(FedValue(students[0], row + STUDENTS_SUFFIX, Decimal(total), working))
    fed.missing_students = list(dict.fromkeys(fed.missing_students))
    return fed
