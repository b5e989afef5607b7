"""A list of training records uploaded (.xlsx or CSV, read by gaodi.files.tables.read_table
behind the shared upload defences), checked row by row with the same checks as the form
(services.training_problems), and stored all or nothing: one problem anywhere and nothing is
stored, every problem named by its cell or row.

Columns: 学校代码, 培训项目, 开始日期, 结束日期, 人次, 人日, 培训对象 (names separated by 、 or
，; blank for none), 补贴性 (是/否), 到款额（元） (blank: not reported), 来源说明 (optional)."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook

from gaodi.audit.services import record_change
from gaodi.files import exports
from gaodi.files.tables import Table, TableRow
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan

from . import conversion
from .services import TrainingInput, record_training, training_problems

SCHOOL, PROGRAMME, START, END = "学校代码", "培训项目", "开始日期", "结束日期"
TIMES, DAYS, GROUPS, SUBSIDISED = "人次", "人日", "培训对象", "补贴性"
INCOME, SOURCE = "到款额（元）", "来源说明"
COLUMNS = (SCHOOL, PROGRAMME, START, END, TIMES, DAYS, GROUPS, SUBSIDISED, INCOME, SOURCE)
REQUIRED = (SCHOOL, PROGRAMME, START, END, TIMES, DAYS, SUBSIDISED)
FILE_SOURCE = "学校填报（上传）"


@dataclass(frozen=True)
class CellProblem:
    place: str
    value: str
    reason: str


def _groups(text: str) -> tuple[tuple[str, ...], list[str]]:
    by_label = {str(label): code for code, label in conversion.TARGET_GROUP_LABELS.items()}
    by_label[_("其他")] = conversion.OTHER
    names = [n.strip() for n in text.replace("，", "、").replace(",", "、").split("、")]
    names = [n for n in names if n]
    return tuple(by_label[n] for n in names if n in by_label), [
        n for n in names if n not in by_label
    ]


def check_rows(
    table: Table, schools: list[OrgUnit]
) -> tuple[list[tuple[OrgUnit, TrainingInput]], list[CellProblem]]:
    """Each row as (school, input), and every problem (an empty list: the file may be stored)."""
    by_code = {school.code: school for school in schools}
    entries: list[tuple[OrgUnit, TrainingInput]] = []
    problems: list[CellProblem] = []
    for row in table.rows:
        cells = row.cells
        found: list[CellProblem] = []

        def bad(
            column: str, reason: str, row: TableRow = row, found: list[CellProblem] = found
        ) -> None:
            found.append(CellProblem(table.place(row, column), row.cells.get(column, ""), reason))

        school = by_code.get(cells.get(SCHOOL, ""))
        if school is None:
            bad(SCHOOL, _("不是您可填报的学校代码"))
        days: dict[str, date | None] = {}
        for column in (START, END):
            try:
                days[column] = date.fromisoformat(cells.get(column, ""))
            except ValueError:
                days[column] = None
                bad(column, _("日期须为 YYYY-MM-DD"))
        times = cells.get(TIMES, "")
        if not times.isdigit():
            bad(TIMES, _("人次须为非负整数"))
        try:
            person_days: Decimal | None = Decimal(cells.get(DAYS, ""))
        except InvalidOperation:
            person_days = None
        if person_days is None or not person_days.is_finite():
            person_days = None
            bad(DAYS, _("人日须为数字"))
        groups, unknown = _groups(cells.get(GROUPS, ""))
        if unknown:
            bad(GROUPS, _("没有名为“{names}”的培训对象").format(names="、".join(unknown)))
        subsidised = cells.get(SUBSIDISED, "")
        if subsidised not in ("是", "否"):
            bad(SUBSIDISED, _("请填“是”或“否”"))
        income_text = cells.get(INCOME, "").replace(",", "")
        if income_text and not income_text.isdigit():
            bad(INCOME, _("到款额须为非负整数（元），未知留空"))
        if found:
            problems.extend(found)
            continue
        given = TrainingInput(
            programme=cells.get(PROGRAMME, ""),
            start=days[START],
            end=days[END],
            participants=int(times),
            person_days=person_days,
            target_groups=groups,
            subsidised=subsidised == "是",
            income=int(income_text) if income_text else None,
            source=cells.get(SOURCE, "") or FILE_SOURCE,
        )
        rest = training_problems(given)
        if rest:
            where = _("第{n}行").format(n=row.number)
            problems.extend(CellProblem(where, "", reason) for reason in rest)
            continue
        assert school is not None
        entries.append((school, given))
    if not table.rows:
        problems.append(CellProblem("", "", _("文件中没有培训记录")))
    return entries, problems


@dataclass(frozen=True)
class Imported:
    rows: int


@transaction.atomic
def import_training(
    plan: Plan,
    entries: list[tuple[OrgUnit, TrainingInput]],
    *,
    name: str,
    content: bytes,
    actor: Actor,
) -> Imported:
    """Every row recorded (each with its change record, the years recomputed), and one record
    on the plan naming the file, its SHA-256 and the count."""
    for school, given in entries:
        record_training(plan, school, given, actor=actor)
    record_change(
        plan,
        actor=actor,
        action="import_training",
        after={
            "file": name,
            "sha256": hashlib.sha256(content).hexdigest(),
            "rows": len(entries),
        },
        summary="社会培训记录上传",
    )
    return Imported(len(entries))


def template(schools: list[OrgUnit]) -> bytes:
    """The list to fill in: the header, and one example row per school with its code."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("社会培训记录")
    exports.append(sheet, COLUMNS)
    labels = "、".join(str(label) for label in conversion.TARGET_GROUP_LABELS.values())
    for school in schools:
        exports.append(sheet, [school.code, "", "", "", "", "", "", "否", "", ""])
    notes = workbook.create_sheet(_("填写说明"))
    for line in (
        _("日期填 YYYY-MM-DD；培训按结束日期所在年度计入。"),
        _("人次、到款额（元）填非负整数；人日可有一位小数；到款额未知留空。"),
        _("培训对象可多选，用“、”分隔，可填：{labels}；不是重点人群的培训留空。").format(
            labels=labels
        ),
        _("补贴性填“是”或“否”。整个文件一起保存：有一处不合格，全部不保存。"),
    ):
        exports.append(notes, [line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
