"""Reading and storing for a data set (the ORM side): the template rows of a data set, its
stored values, and the imports, which go through `store_values`, the one write path (all or
nothing, upsert: uploading the same file twice stores the same values)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal

from gaodi.files import uploads
from gaodi.i18n import _
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor

from ..collection import Problem, Stored, ValuesRefused, current_values, store_values
from ..formula import codes
from ..models import DataSet, Indicator
from .cells import CellProblem, FileRefused, Line, TemplateId
from .csvfile import read_csv
from .reading import read_template
from .template import check_kind, template_version, write_template
from .units import UnitsRead, read_units_workbook


def lines_of(data_set: DataSet) -> list[Line]:
    """The template rows of a data set, in registry order (parts next to their ratio)."""
    indicators = list(data_set.indicators.select_related("subset_of").order_by("order"))
    inside = {i.code: i.name for i in indicators}
    return [
        Line(
            code=i.code,
            name=i.name,
            unit=i.unit,
            value_type=i.value_type,
            formula=i.formula,
            note=_note(i, inside),
        )
        for i in indicators
    ]


def _note(indicator: Indicator, inside: Mapping[str, str]) -> str:
    if indicator.formula:
        parts = codes(indicator.formula)
        if not all(code in inside for code in parts):
            return _("由系统根据其他表的数据计算，不需填写")
        text = indicator.formula
        for code in sorted(parts, key=len, reverse=True):
            text = text.replace(code, f"〔{inside[code]}〕")
        return _("自动计算：{formula}").format(formula=text.replace("/", "÷").replace("*", "×"))
    notes = []
    if indicator.subset_of is not None:
        notes.append(_("其中项，不超过“{whole}”").format(whole=indicator.subset_of.name))
    kind = check_kind(Line(indicator.code, "", indicator.unit, indicator.value_type))
    if kind == "percentage":
        notes.append(_("填0到100之间的数"))
    elif kind == "count":
        notes.append(_("不能为负数"))
    return "；".join(notes)


def template_id(data_set: DataSet, unit: OrgUnit, period: str, lines: Sequence[Line]) -> TemplateId:
    return TemplateId(
        data_set.pk, data_set.code, unit.pk, unit.code, period, template_version(lines)
    )


def stored_values(data_set: DataSet, unit: OrgUnit, period: str) -> dict[str, Decimal]:
    return {code: v for (_u, _p, code), v in current_values(data_set, [unit.pk], [period]).items()}


def template_for(data_set: DataSet, unit: OrgUnit, period: str) -> bytes:
    """The template of a data set for one org unit and period, with its stored values."""
    lines = lines_of(data_set)
    heading = _("{data_set}（{unit}，{period}）").format(
        data_set=data_set.name, unit=unit.name, period=period
    )
    return write_template(
        template_id(data_set, unit, period, lines),
        lines,
        stored_values(data_set, unit, period),
        heading=heading,
    )


def template_filename(data_set: DataSet, unit: OrgUnit, period: str, suffix: str = "xlsx") -> str:
    name = f"{unit.code}_{data_set.code}_{period}.{suffix}"
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name)


def import_file(
    data_set: DataSet, unit: OrgUnit, period: str, content: bytes, *, name: str, actor: Actor
) -> Stored:
    """A filled-in template or a CSV for one org unit: checked, read, stored all or nothing."""
    try:
        sniffed = uploads.sniff(content, name)
    except uploads.UploadRefused as exc:
        raise FileRefused([CellProblem("", "", name[:60], str(exc))]) from exc
    lines = lines_of(data_set)
    if sniffed.kind == uploads.XLSX:
        read = read_template(content, template_id(data_set, unit, period, lines), lines)
        source = _("Excel上传")
    else:
        read = read_csv(sniffed.text, lines)
        source = _("CSV上传")
    if not read.values:
        raise FileRefused([CellProblem("", "", "", _("文件中没有填写任何数值"))])
    try:
        return store_values(data_set, period, {unit.pk: read.values}, actor=actor, source=source)
    except ValuesRefused as exc:
        raise FileRefused(
            [_placed(p, read.places.get(p.code), read.shown.get(p.code, "")) for p in exc.problems]
        ) from exc


def _placed(problem: Problem, place: tuple[str, str] | None, value: str) -> CellProblem:
    sheet, cell = place or ("", "")
    return CellProblem(sheet, cell, value, problem.message)


def import_workbook(
    data_set: DataSet,
    period: str,
    content: bytes,
    *,
    units: Mapping[str, int],
    actor: Actor,
    source: str,
    check_window: bool = True,
) -> Stored:
    """A workbook of many org units (one row each, `units` maps the codes the caller may
    report for to their ids), checked and stored with one store_values call."""
    try:
        uploads.check_xlsx(content)
    except uploads.UploadRefused as exc:
        raise FileRefused([CellProblem("", "", "", str(exc))]) from exc
    inputs = [line.code for line in lines_of(data_set) if not line.formula]
    read = read_units_workbook(content, inputs)
    unknown = [
        CellProblem(
            read.sheet, f"A{row}", code, _("单位代码 {code} 不存在或无权填报").format(code=code)
        )
        for code, row in read.rows.items()
        if code not in units
    ]
    if unknown:
        raise FileRefused(unknown)
    by_unit = {units[code]: values for code, values in read.values.items()}
    try:
        return store_values(
            data_set, period, by_unit, actor=actor, source=source, check_window=check_window
        )
    except ValuesRefused as exc:
        raise FileRefused(_placed_in_rows(exc.problems, read, units)) from exc


def _placed_in_rows(
    problems: Sequence[Problem], read: UnitsRead, units: Mapping[str, int]
) -> list[CellProblem]:
    """store_values' problems at the cell of their school's row and indicator's column."""
    rows = {units[code]: row for code, row in read.rows.items()}
    return [
        CellProblem(
            read.sheet if p.unit_id in rows else "",
            f"{read.columns.get(p.code, 'A')}{rows[p.unit_id]}" if p.unit_id in rows else "",
            "",
            p.message,
        )
        for p in problems
    ]
