"""Importing enterprises' demand declarations (供求信息, 重点任务（八）) from an Excel workbook or a
CSV file: all or nothing, every problem named by its cell, in Chinese.

The file passes the upload defences first (gaodi.files.uploads.sniff: real .xlsx, no zip or
XML bomb, no disguised binary, CSV decoded as UTF-8 or GB18030). Its first sheet (or the CSV)
holds one header row, exactly `COLUMNS`, then one declaration a row; blank rows are skipped.
A formula anywhere on the sheet is refused (its cached value could be anything). Nothing is
written unless every row is right; then every row is stored in one transaction and ONE change
record on the plan (action ``import_declarations``) says what the import did (rows, created,
corrected with the old numbers, file name and SHA-256), as DESIGN.md asks of a bulk import; a
new enterprise, a register entry of its own, gets its own record.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from gaodi.audit.services import record_change, record_changes
from gaodi.files import uploads
from gaodi.files.exports import append
from gaodi.indicators.excel.cells import CellProblem, FileRefused
from gaodi.indicators.excel.reading import sheet_formulas
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan
from gaodi.today import now

from .catalogue import CATALOGUE_2021
from .models import DemandDeclaration, Enterprise, Industry, Specialty
from .services import snapshot
from .supply_demand_services import CREDIT_CODE, MAX_HEADCOUNT

COLUMNS = ("企业名称", "统一社会信用代码", "专业", "产业", "需求年份", "需求人数")
SHEET = "企业用人需求"
UPLOADED = "Excel/CSV导入"
IMPORT_ACTION = "import_declarations"


@dataclass(frozen=True)
class Row:
    """One declaration as read and checked, with the row it came from."""

    line: int
    enterprise: str
    credit_code: str
    specialty: Specialty
    industry: Industry
    year: int
    headcount: int


@dataclass(frozen=True)
class Imported:
    rows: int
    created: int
    updated: int
    enterprises: int


def template() -> bytes:
    """An empty workbook with the header row and the names the columns accept."""
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    append(sheet, list(COLUMNS))
    names = book.create_sheet(_("可填名称"))
    append(names, [_("专业（填名称）"), _("产业（填名称）")])
    specialties = _specialty_names()
    industries = sorted(set(Industry.objects.values_list("name", flat=True)))
    for index in range(max(len(specialties), len(industries))):
        append(
            names,
            [
                specialties[index] if index < len(specialties) else None,
                industries[index] if index < len(industries) else None,
            ],
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _specialty_names() -> list[str]:
    return sorted(set(Specialty.objects.values_list("name", flat=True)))


def import_declarations(plan: Plan, content: bytes, *, name: str, actor: Actor) -> Imported:
    """Read, check and store a file of declarations, or FileRefused with every problem."""
    try:
        sniffed = uploads.sniff(content, name)
    except uploads.UploadRefused as exc:
        raise FileRefused([CellProblem("", "", name[:60], str(exc))]) from exc
    if sniffed.kind == uploads.XLSX:
        sheet, grid = _xlsx_grid(content)
    else:
        sheet, grid = "CSV", list(csv.reader(io.StringIO(sniffed.text)))
    rows = read_rows(sheet, grid)
    return _store(plan, rows, name=name, digest=hashlib.sha256(content).hexdigest(), actor=actor)


def _xlsx_grid(content: bytes) -> tuple[str, list[list[Any]]]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = workbook.sheet_names[0]
        grid = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except (CalamineError, IndexError) as exc:
        raise FileRefused([CellProblem("", "", "", _("Excel 文件无法读取"))]) from exc
    try:
        formulas = sheet_formulas(content, sheet)
    except (ElementTree.ParseError, zipfile.BadZipFile, KeyError) as exc:
        raise FileRefused([CellProblem("", "", "", _("Excel 文件已损坏，无法读取"))]) from exc
    if formulas:
        problems = [
            CellProblem(sheet, cell, "=" + formula, _("不接受公式，请复制后“粘贴为数值”"))
            for cell, formula in sorted(formulas.items())
        ]
        raise FileRefused(problems)
    return sheet, grid


def read_rows(sheet: str, grid: list[list[Any]]) -> list[Row]:
    """The checked rows of a grid (header first), or FileRefused naming each bad cell."""
    header = [_text(cell) for cell in (grid[0] if grid else [])][: len(COLUMNS)]
    if tuple(header) != COLUMNS:
        reason = _("第一行须为表头：{columns}").format(columns="、".join(COLUMNS))
        raise FileRefused([CellProblem(sheet, "A1", "、".join(header), reason)])
    specialties = _specialties()
    industries = _industries()
    codes = dict(Enterprise.objects.exclude(credit_code="").values_list("name", "credit_code"))
    rows: list[Row] = []
    problems: list[CellProblem] = []
    seen: dict[tuple[str, int, int], int] = {}
    for index, cells in enumerate(grid[1:], start=2):
        values = [*cells, *[None] * len(COLUMNS)][: len(COLUMNS)]
        if all(_text(v) == "" for v in values):
            continue
        row, found = _row(sheet, index, values, specialties, industries)
        problems.extend(found)
        if row is None:
            continue
        known = codes.get(row.enterprise)
        if row.credit_code and known and known != row.credit_code:
            reason = _("该企业已登记的统一社会信用代码与所填不符，请核对")
            problems.append(CellProblem(sheet, f"B{index}", row.credit_code, reason))
            continue
        key = (row.enterprise, row.specialty.pk, row.year)
        if key in seen:
            reason = _("与第 {n} 行重复（同一企业、专业、年份只能申报一次）").format(n=seen[key])
            problems.append(CellProblem(sheet, f"A{index}", row.enterprise, reason))
            continue
        seen[key] = index
        rows.append(row)
    if problems:
        raise FileRefused(problems)
    if not rows:
        raise FileRefused([CellProblem(sheet, "A2", "", _("文件中没有任何申报"))])
    return rows


def _row(
    sheet: str,
    index: int,
    values: list[Any],
    specialties: dict[str, Specialty],
    industries: dict[str, Industry],
) -> tuple[Row | None, list[CellProblem]]:
    name, code, specialty_name, industry_name = (_text(v) for v in values[:4])
    problems = []

    def problem(column: int, reason: str) -> None:
        cell = f"{get_column_letter(column)}{index}"
        problems.append(CellProblem(sheet, cell, _text(values[column - 1]), reason))

    if not name or len(name) > 100:
        problem(1, _("企业名称不能为空，且不超过 100 个字"))
    code = code.upper()
    if code and not CREDIT_CODE.match(code):
        problem(2, _("统一社会信用代码须为 18 位数字或大写字母（不含 I、O、Z、S、V），可不填"))
    specialty = specialties.get(specialty_name)
    if specialty is None:
        problem(3, _("没有这个专业（名称见模板“可填名称”表）"))
    industry = industries.get(industry_name)
    if industry is None:
        problem(4, _("没有这个产业（名称见模板“可填名称”表）"))
    year = _whole(values[4], 2000, 2100)
    if year is None:
        problem(5, _("需求年份须为 2000–2100 之间的四位年份"))
    headcount = _whole(values[5], 0, MAX_HEADCOUNT)
    if headcount is None:
        problem(6, _("需求人数须为 0–{most} 之间的整数").format(most=MAX_HEADCOUNT))
    if problems or specialty is None or industry is None or year is None or headcount is None:
        return None, problems
    return Row(index, name, code, specialty, industry, year, headcount), []


def _specialties() -> dict[str, Specialty]:
    """Name -> specialty, the 2021 catalogue's where a name is in both catalogues."""
    found: dict[str, Specialty] = {}
    for specialty in Specialty.objects.order_by("pk"):
        if specialty.name not in found or specialty.catalogue == CATALOGUE_2021:
            found[specialty.name] = specialty
    return found


def _industries() -> dict[str, Industry]:
    """Name -> industry, the 十强产业 row where a name is in two groups (医养健康)."""
    found: dict[str, Industry] = {}
    for industry in Industry.objects.order_by("pk"):
        if industry.name not in found or industry.group == "十强产业":
            found[industry.name] = industry
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _whole(value: Any, least: int, most: int) -> int | None:
    """A whole number in [least, most] from a cell (2021, 2021.0 or "2021"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        number = int(value) if value.is_integer() else None
    elif isinstance(value, int):
        number = value
    else:
        text = _text(value)
        number = int(text) if text.isdigit() else None
    return number if number is not None and least <= number <= most else None


@transaction.atomic
def _store(plan: Plan, rows: list[Row], *, name: str, digest: str, actor: Actor) -> Imported:
    created = updated = 0
    corrected: list[dict[str, Any]] = []
    registered: list[Enterprise] = []
    moment = now()
    by = actor if getattr(actor, "is_authenticated", False) else None
    for row in rows:
        enterprise = Enterprise.objects.filter(name=row.enterprise).first()
        if enterprise is None:
            enterprise = Enterprise.objects.create(
                name=row.enterprise,
                credit_code=row.credit_code,
                industry=row.industry,
                source=UPLOADED,
            )
            registered.append(enterprise)
        old = DemandDeclaration.objects.filter(
            plan=plan, enterprise=enterprise, specialty=row.specialty, year=row.year
        ).first()
        if old is not None:  # the old numbers stay in the change record: nothing lost
            corrected.append(
                {"id": old.pk, "industry": old.industry_id, "headcount": old.headcount}
            )
        _declaration, made = DemandDeclaration.objects.update_or_create(
            plan=plan,
            enterprise=enterprise,
            specialty=row.specialty,
            year=row.year,
            defaults={
                "industry": row.industry,
                "headcount": row.headcount,
                "declared_at": moment,
                "declared_by": by,
                "source": UPLOADED,
            },
        )
        created, updated = (created + 1, updated) if made else (created, updated + 1)
    record_change(
        plan,
        actor=actor,
        action=IMPORT_ACTION,
        before={"corrected": corrected} if corrected else None,
        after={
            "file": name[:200],
            "sha256": digest,
            "rows": len(rows),
            "created": created,
            "updated": updated,
            "enterprises": len(registered),
        },
        summary=_("导入企业用人需求申报 {n} 条").format(n=len(rows)),
    )
    record_changes(
        [(e, "create", None, snapshot(e), _("企业（导入时登记）")) for e in registered],
        actor=actor,
    )
    return Imported(len(rows), created, updated, len(registered))
