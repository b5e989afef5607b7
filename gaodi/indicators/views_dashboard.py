"""Analysis pages of a plan: the indicator dashboard (指标看板) and the data table (数据表),
with its Excel export. Both read live values as of today()."""

from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from openpyxl import Workbook

from gaodi.accounts.gate import Action, get_for_user
from gaodi.files import exports
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.today import today

from .attainment import DEFAULT_THRESHOLDS, HUNDRED, chinese_date, number
from .dashboard import (
    TableRow,
    children_chart,
    default_indicator,
    indicator_groups,
    plan_years,
    readable_units,
    synthetic_periods,
    table,
    trend,
    trend_chart,
)
from .forecast import method_name
from .models import Indicator

MAX_YEARS = 30  # a table wider than this is a typo in the years, not a wish


def _place(request: HttpRequest, pk: int) -> tuple[Plan, list[tuple[OrgUnit, int]], OrgUnit]:
    """The plan (readable by the gate), the units whose data the user may read, and the chosen
    one (`?unit=`, else the highest readable). Data of a place is for its own people: a plan's
    being public does not publish what schools reported (DESIGN: a school its own data)."""
    plan: Plan = get_for_user(
        Plan.objects.select_related("org_unit"), request.user, Action.VIEW, place="org_unit", pk=pk
    )
    units = readable_units(plan, request.user)
    if not units:
        raise Http404
    wanted = request.GET.get("unit")
    if not wanted:
        return plan, units, units[0][0]
    for unit, _depth in units:
        if str(unit.pk) == wanted:
            return plan, units, unit
    raise Http404


def _unit_options(units: list[tuple[OrgUnit, int]]) -> list[tuple[OrgUnit, str]]:
    """Each unit indented by its depth (full-width spaces), for the unit picker."""
    return [(unit, "\u3000" * depth + unit.name) for unit, depth in units]


def _year(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) == 4 else None


@login_required
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    plan, units, unit = _place(request, pk)
    code = request.GET.get("indicator")
    indicator = (
        Indicator.objects.filter(plan=plan, code=code).first() if code else default_indicator(plan)
    )
    if code and indicator is None:
        raise Http404
    as_of = today()
    context: dict[str, Any] = {
        "plan": plan,
        "nav_plan": plan,
        "groups": indicator_groups(plan),
        "unit_options": _unit_options(units),
        "unit": unit,
        "indicator": indicator,
        "as_of": as_of,
        "method": method_name(),
        "amber_gap": number(DEFAULT_THRESHOLDS.amber_gap * HUNDRED),
        "red_gap": number(DEFAULT_THRESHOLDS.red_gap * HUNDRED),
        "synthetic": synthetic_periods(plan, unit),
    }
    if indicator is not None:
        found = trend(plan, indicator, unit, as_of, _year(request.GET.get("year")))
        context.update(
            trend=found, trend_chart=trend_chart(found), children_chart=children_chart(found)
        )
    return render(request, "indicators/dashboard.html", context)


@login_required
def data_table(request: HttpRequest, pk: int) -> HttpResponse:
    plan, units, unit = _place(request, pk)
    indicators = _indicators(plan, request.GET.getlist("indicator"))
    all_years = plan_years(plan, today().year)
    years = _years(request.GET.get("years", ""), all_years)
    rows = table(plan, indicators, unit, years)
    if request.GET.get("format") == "xlsx":
        return _xlsx_response(plan, unit, years, rows)
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "indicators/table.html",
        {
            "plan": plan,
            "nav_plan": plan,
            "groups": indicator_groups(plan),
            "chosen": {i.code for i in indicators},
            "unit_options": _unit_options(units),
            "unit": unit,
            "years": years,
            "years_text": request.GET.get("years") or f"{all_years[0]}-{all_years[-1]}",
            "rows": rows,
            "xlsx_query": query.urlencode(),
            "synthetic": synthetic_periods(plan, unit),
            "as_of": today(),
        },
    )


def _indicators(plan: Plan, wanted: list[str]) -> list[Indicator]:
    """The indicators asked for, in registry order; by default the first 附件2 table's."""
    chosen = list(Indicator.objects.filter(plan=plan, code__in=wanted).order_by("order"))
    if chosen:
        return chosen
    first = default_indicator(plan)
    if first is None:
        return []
    return list(Indicator.objects.filter(plan=plan, category=first.category).order_by("order"))


def _years(text: str, default: list[int]) -> list[int]:
    """`2020-2022`, `2020,2022` or `2021`; anything else (or too wide) gives the plan's years."""
    found: set[int] = set()
    for part in text.replace("，", ",").replace("—", "-").split(","):
        ends = [_year(end.strip()) for end in part.split("-")]
        if not part.strip():
            continue
        if None in ends or len(ends) > 2:
            return default
        first, last = ends[0], ends[-1]
        assert first is not None and last is not None
        found.update(range(min(first, last), max(first, last) + 1))
    if not found or len(found) > MAX_YEARS:
        return default
    return sorted(found)


# ---- Excel ----------------------------------------------------------------------------------


def _xlsx_response(
    plan: Plan, unit: OrgUnit, years: list[int], rows: list[TableRow]
) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("数据表")
    header = [_("指标代码"), _("指标"), _("计量单位"), _("机构")]
    for year in years:
        header += [
            _("{year}年目标值").format(year=year),
            _("{year}年实际值").format(year=year),
            _("{year}年完成进度").format(year=year),
        ]
    exports.append(sheet, header)
    for row in rows:
        line: list[exports.Value] = [row.indicator.code, row.indicator.name, row.indicator.unit]
        line.append(row.unit.name)
        for cell in row.cells:
            line += [cell.target.value if cell.target else None, cell.actual, cell.progress]
        exports.append(sheet, line)  # text never becomes a formula; numbers stay numbers
    for index in range(len(years)):
        progress_column = 7 + 3 * index
        for (cell,) in sheet.iter_rows(min_row=2, min_col=progress_column, max_col=progress_column):
            cell.number_format = "0.0%"
    _about(book, plan, unit)
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="gaodi-plan{plan.pk}-unit{unit.pk}-{today():%Y%m%d}.xlsx"'
    )
    return response


def _about(book: Workbook, plan: Plan, unit: OrgUnit) -> None:
    sheet = book.create_sheet(_("说明"))
    lines: list[tuple[str, exports.Value]] = [
        (_("方案"), plan.title),
        (_("文号"), plan.doc_number),
        (_("机构"), unit.name),
        (_("截至"), chinese_date(today())),
        (
            _("口径"),
            _(
                "实际值为本机构填报值，未填报时为下级机构之和；比值由汇总后的组成部分重算。"
                "完成进度 =（实际值 − 基础值）÷（目标值 − 基础值），无基础值时为实际值 ÷ 目标值。"
            ),
        ),
    ]
    for label, value in lines:
        exports.append(sheet, [label, value])
