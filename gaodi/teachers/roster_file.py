"""教师名册 uploaded as a list (.xlsx or CSV, read by gaodi.files.tables.read_table), checked
here cell by cell, pure. The whole file is stored or nothing (services.record_roster).

Columns (the template has them in this order):

    学校代码 | 姓名 | 专任或兼职 | 任教学科（专业） | 专业课教师 | 专业技术资格 | 企业工作年限 |
    入职日期 | 企业经历豁免情形 | “双师型”教师 | “双师型”认定日期 | 离岗日期

学校代码, 姓名, 专任或兼职 and 入职日期 are required. 专任或兼职 is 专任 or 兼职; the yes/no
columns take 是 / 否 (blank = 否); dates are YYYY-MM-DD (an Excel date cell is read as one);
企业工作年限 is a number of years with at most one decimal, blank = 未填 (never 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from gaodi.files.tables import Table, TableRow
from gaodi.i18n import _

SCHOOL, NAME, KIND, SUBJECT, SPECIALTY = (
    "学校代码",
    "姓名",
    "专任或兼职",
    "任教学科（专业）",
    "专业课教师",
)
QUALIFICATIONS, YEARS, HIRED = "专业技术资格", "企业工作年限", "入职日期"
EXEMPTION, DUAL, CERTIFIED, LEFT = (
    "企业经历豁免情形",
    "“双师型”教师",
    "“双师型”认定日期",
    "离岗日期",
)
REQUIRED = (SCHOOL, NAME, KIND, HIRED)
COLUMNS = (
    SCHOOL,
    NAME,
    KIND,
    SUBJECT,
    SPECIALTY,
    QUALIFICATIONS,
    YEARS,
    HIRED,
    EXEMPTION,
    DUAL,
    CERTIFIED,
    LEFT,
)
YES, NO = "是", "否"
FULL_TIME, PART_TIME = "专任", "兼职"


@dataclass(frozen=True)
class RosterProblem:
    """Why the file was refused, at one cell: its place, what it held, the reason."""

    place: str
    value: str
    reason: str


@dataclass(frozen=True)
class RosterEntry:
    """One row, read: the school's code and the teacher's fields (services.TeacherInput's)."""

    school: str
    place: str
    name: str
    full_time: bool
    specialty_course: bool
    hired_on: date
    subject: str = ""
    qualifications: str = ""
    enterprise_years: Decimal | None = None
    hire_exemption: str = ""
    dual_qualified: bool = False
    certified_on: date | None = None
    left_on: date | None = None


def read_day(text: str) -> date | None:
    """'' -> None; '2021-03-01' (or an Excel date shown as '2021-03-01 00:00:00') -> a date."""
    if text == "":
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise ValueError(_("应为日期，如 2021-03-01")) from exc


def read_years(text: str) -> Decimal | None:
    """'' -> None (未填, never 0); '3.5' -> Decimal('3.5'); 0–60, at most one decimal."""
    if text == "":
        return None
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(_("应为年数，如 3.5")) from exc
    if not value.is_finite() or not 0 <= value <= 60 or value != value.quantize(Decimal("0.1")):
        raise ValueError(_("应为 0–60 的年数，最多一位小数"))
    return value


def read_yes(text: str) -> bool:
    if text in ("", NO):
        return False
    if text == YES:
        return True
    raise ValueError(_("应填“是”或“否”"))


def check_roster(
    table: Table, schools: Mapping[str, str]
) -> tuple[list[RosterEntry], list[RosterProblem]]:
    """The rows as entries and every problem; `schools` are the codes (-> names) the uploader
    may enter for."""
    entries: list[RosterEntry] = []
    problems: list[RosterProblem] = []
    for row in table.rows:
        found: list[RosterProblem] = []
        entry = _entry(table, row, schools, found)
        problems += found
        if entry is not None and not found:
            entries.append(entry)
    if not table.rows:
        problems.append(
            RosterProblem(table.sheet or str(_("文件")), "", str(_("表头下没有任何数据")))
        )
    return entries, problems


def _entry(
    table: Table, row: TableRow, schools: Mapping[str, str], found: list[RosterProblem]
) -> RosterEntry | None:
    cells = row.cells

    def problem(column: str, reason: object) -> None:
        found.append(RosterProblem(table.place(row, column), cells.get(column, ""), str(reason)))

    def parse(column: str, reader: object) -> object:
        try:
            return reader(cells.get(column, ""))  # type: ignore[operator]
        except ValueError as error:
            problem(column, error)
            return None

    school = cells.get(SCHOOL, "")
    if school not in schools:
        problem(SCHOOL, _("不是您可以填报的学校代码"))
    if not cells.get(NAME, ""):
        problem(NAME, _("请填写姓名"))
    kind = cells.get(KIND, "")
    if kind not in (FULL_TIME, PART_TIME):
        problem(KIND, _("应填“专任”或“兼职”"))
    hired = parse(HIRED, read_day)
    if hired is None and not any(p.place == table.place(row, HIRED) for p in found):
        problem(HIRED, _("请填写入职日期"))
    values = {
        "specialty_course": parse(SPECIALTY, read_yes),
        "enterprise_years": parse(YEARS, read_years),
        "dual_qualified": parse(DUAL, read_yes),
        "certified_on": parse(CERTIFIED, read_day),
        "left_on": parse(LEFT, read_day),
    }
    if found or not isinstance(hired, date):
        return None
    return RosterEntry(
        school=school,
        place=table.place(row, NAME),
        name=cells.get(NAME, ""),
        full_time=kind == FULL_TIME,
        hired_on=hired,
        subject=cells.get(SUBJECT, ""),
        qualifications=cells.get(QUALIFICATIONS, ""),
        hire_exemption=cells.get(EXEMPTION, ""),
        **values,  # type: ignore[arg-type]
    )
