"""专业点年度数据 (offerings, issue 7 §1): a school's numbers for each specialty and year, typed
on the form or uploaded as a list — checked here, pure, cell by cell.

Columns of the list (the template has them in this order):

    学校代码 | 专业名称 | 年份 | 招生计划 | 实际招生 | 在校生 | 毕业生 | 就业率（%） |
    对口就业率（%）

学校代码, 专业名称 and 年份 are required; a blank number is "not reported" (None) — it is
never read as 0, because the warning rules tell a year without data (缺报) from a year without
enrolment (0). Counts are whole numbers ≥ 0; rates are percentages 0–100 with at most one
decimal. No cross-checks between counts: 实际招生 may exceed 招生计划, and a specialty being
run down may graduate more than it has left at the year's end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from gaodi.files.tables import Table
from gaodi.i18n import _

from .catalogue_file import Problem

SCHOOL, SPECIALTY, YEAR = "学校代码", "专业名称", "年份"
COUNTS = {
    "招生计划": "planned_enrolment",
    "实际招生": "enrolment",
    "在校生": "students",
    "毕业生": "graduates",
}
RATES = {"就业率（%）": "employment_rate", "对口就业率（%）": "counterpart_rate"}
REQUIRED = (SCHOOL, SPECIALTY, YEAR)
COLUMNS = (*REQUIRED, *COUNTS, *RATES)
MAX_COUNT = 100_000
YEARS = range(2000, 2101)


@dataclass(frozen=True)
class OfferingEntry:
    school: str  # the school's code
    specialty: str  # the name in the current catalogue
    year: int
    numbers: dict[str, int | Decimal | None]  # field name -> value (None = not reported)
    place: str = ""


def read_count(text: str) -> int | None:
    """'' -> None; '120' -> 120; anything else ValueError with the reason in Chinese."""
    if text == "":
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("应为整数")) from exc
    if number != number.to_integral_value() or not 0 <= number <= MAX_COUNT:
        raise ValueError(_("应为 0–{max} 的整数").format(max=MAX_COUNT))
    return int(number)


def read_rate(text: str) -> Decimal | None:
    """'' -> None; '95.5' or '95.5%' -> Decimal('95.5'); 0–100, at most one decimal."""
    if text == "":
        return None
    try:
        number = Decimal(text.rstrip("%％").strip())
    except InvalidOperation as exc:
        raise ValueError(_("应为百分数，如 95.5")) from exc
    if not Decimal(0) <= number <= Decimal(100) or number != number.quantize(Decimal("0.1")):
        raise ValueError(_("应为 0–100 的百分数，最多一位小数"))
    return number.quantize(Decimal("0.1"))


def check_offerings(
    table: Table, schools: Mapping[str, str], specialties: Sequence[str]
) -> tuple[list[OfferingEntry], list[Problem]]:
    """The rows as entries and every problem. `schools` are the codes (-> names) the uploader
    may report for; `specialties` the names of the current catalogue."""
    entries: list[OfferingEntry] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str, int], str] = {}
    known = set(specialties)
    for row in table.rows:
        cells = row.cells
        found: list[Problem] = []
        school = cells.get(SCHOOL, "")
        if school not in schools:
            found.append(Problem(table.place(row, SCHOOL), school, _("不是您可以填报的学校代码")))
        specialty = cells.get(SPECIALTY, "")
        if specialty not in known:
            found.append(
                Problem(table.place(row, SPECIALTY), specialty, _("专业目录中没有这个专业名称"))
            )
        year_text = cells.get(YEAR, "")
        year = int(year_text) if year_text.isdigit() and int(year_text) in YEARS else None
        if year is None:
            found.append(Problem(table.place(row, YEAR), year_text, _("年份应为 2000–2100")))
        numbers: dict[str, int | Decimal | None] = {}
        for column, name in COUNTS.items():
            try:
                numbers[name] = read_count(cells.get(column, ""))
            except ValueError as error:
                found.append(Problem(table.place(row, column), cells.get(column, ""), str(error)))
        for column, name in RATES.items():
            try:
                numbers[name] = read_rate(cells.get(column, ""))
            except ValueError as error:
                found.append(Problem(table.place(row, column), cells.get(column, ""), str(error)))
        key = (school, specialty, year or 0)
        if not found and key in seen:
            found.append(
                Problem(
                    table.place(row, SPECIALTY),
                    specialty,
                    _("与{other}重复（同一学校、专业、年份只能一行）").format(other=seen[key]),
                )
            )
        if found or year is None:
            problems.extend(found)
            continue
        seen[key] = table.place(row, SPECIALTY)
        entries.append(OfferingEntry(school, specialty, year, numbers, table.place(row, SCHOOL)))
    if not table.rows:
        problems.append(Problem(table.sheet or _("文件"), "", _("表头下没有任何数据")))
    return entries, problems
