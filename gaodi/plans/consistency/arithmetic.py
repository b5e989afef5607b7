"""Numbers of the indicator tables checked against their parts.

table-arithmetic: a stated ratio or percentage against its own (numerator/denominator);
生均X against X / 在校生数 of the scale table, in the units each row states (生均X in 元 from X
in 万元); “X与Y比例” against X / Y; a 其中 row larger than the row it belongs to; the numerator
of 生师比 against 在校生数 of the same table. A printed value passes when it is within one unit
of its last printed digit of the computed one (1.6 for 1.667 and 95.4 for 95.45 pass, 0.04 for
0.023 fails), so rounding and truncation never raise an alarm. 其中 rows are never summed.
cross-table-mismatch: 在校生数 in the scale table vs the numerator of 生师比 in another table.
duplicate-row: a row whose cells repeat another row's apart from its label.
"""

from __future__ import annotations

import re

from gaodi.i18n import _
from gaodi.plans.parsing.draft import Indicator, PlanDraft, Table
from gaodi.plans.parsing.indicators import (
    cell_precision,
    clean_cell,
    label_columns,
    parse_cell,
    split_label,
)
from gaodi.plans.parsing.text import fold

from .concepts import Students, convert, core, level_of, students
from .finding import ERROR, INFO, WARNING, Finding, number_text, quoted, table_label


def within(printed_value: float, computed: float, printed: str, comparator: str = "=") -> bool:
    """Equal up to one unit in the last printed digit: 0.04 -> 0.01, 1.6 -> 0.1, 11 -> 1.

    A figure printed as a bound holds on its side: ≥90% for 91.3% passes, ≥95% fails.
    """
    slack = cell_precision(printed) + 1e-9
    if comparator == ">=":
        return computed >= printed_value - slack
    if comparator == "<=":
        return computed <= printed_value + slack
    return abs(printed_value - computed) <= slack


def stated_ratios(draft: PlanDraft) -> list[Finding]:
    """11:1（2193/202） and 91.3%（126/138）: the printed figure against its own parts."""
    findings = []
    for indicator in draft.indicators:
        for year, parts in indicator.parts.items():
            raw = clean_cell(indicator.raw.get(year, ""))
            if "(" not in raw or not parts["denominator"]:
                continue
            head = raw.split("(")[0]  # ≥91.3% or 11:1, the figure printed before its parts
            printed = parse_cell(head)
            if printed.value is None:
                continue
            computed = parts["numerator"] / parts["denominator"]
            if printed.kind == "percentage":
                printed_value, computed = printed.value, computed * 100
            elif printed.kind == "ratio" and printed.parts:
                a, b = printed.parts["numerator"], printed.parts["denominator"]
                printed_value, computed = a, computed * b
            else:
                continue
            if not within(printed_value, computed, head, printed.comparator):
                findings.append(
                    _arithmetic(
                        indicator,
                        year,
                        head,
                        computed,
                        f"（{number_text(parts['numerator'])}/{number_text(parts['denominator'])}）",
                    )
                )
    return findings


def per_student(draft: PlanDraft) -> list[Finding]:
    """生均X = X / 在校生数, and X与Y比例 = X / Y, as the scale table gives 在校生数."""
    findings = []
    for indicator in draft.indicators:
        name = fold(indicator.name)
        if indicator.industry or indicator.formula:
            continue
        if "生均" in name:
            base = base_of_per_student(indicator, draft)
        elif "与" in name and "在校生" in name and name.endswith("比例"):
            base = _base_of_ratio(indicator, draft)
        else:
            continue
        enrolment = _enrolment_for(indicator, draft)
        if base is None or enrolment is None:
            continue
        findings += _check_per_student(indicator, base, enrolment)
    return findings


def base_of_per_student(indicator: Indicator, draft: PlanDraft) -> Indicator | None:
    wanted = _without_total(fold(indicator.name).replace("生均", ""))
    for other in draft.indicators:
        if (
            other is not indicator
            and not other.industry
            and _without_total(fold(other.name)) == wanted
        ):
            return other
    return None


def _without_total(name: str) -> str:
    return name.replace("总值", "值").replace("总额", "额").replace("总数", "数")


def _base_of_ratio(indicator: Indicator, draft: PlanDraft) -> Indicator | None:
    numerator = fold(indicator.name).split("与")[0]
    for other in draft.indicators:
        if other is not indicator and fold(other.name) == numerator:
            return other
    return None


def _enrolment_for(indicator: Indicator, draft: PlanDraft) -> Students | None:
    return students(draft, level_of(indicator.name))


def _per_student_unit(indicator: Indicator, base: Indicator) -> float | None:
    """What one unit of X per student is in 生均X's unit: 万元 -> 元 is 10000; None if the
    units do not convert. A row without a unit is taken to share the other's."""
    if base.unit is None or indicator.unit is None:
        return 1.0
    return convert(1.0, base.unit, indicator.unit)


def _check_per_student(indicator: Indicator, base: Indicator, enrolment: Students) -> list[Finding]:
    factor = _per_student_unit(indicator, base)
    if factor is None:
        return []
    findings = []
    for year, printed_value in indicator.values.items():
        total, count = base.values.get(year), enrolment.values.get(year)
        if printed_value is None or total is None or not count:
            continue
        computed = total / count * factor
        printed = indicator.raw.get(year, "")
        if not within(printed_value, computed, printed, parse_cell(printed).comparator):
            explanation = _("（{base}{total} ÷ 在校生{count}，在校生取自{source}）").format(
                base=base.name,
                total=number_text(total) + (base.unit if factor != 1 and base.unit else ""),
                count=number_text(count),
                source=enrolment.explanation,
            )
            findings.append(_arithmetic(indicator, year, printed, computed, explanation))
    return findings


def _arithmetic(
    indicator: Indicator, year: str, printed: str, computed: float, how: str
) -> Finding:
    label = table_label(indicator.table, indicator.attachment)
    message = _(
        "{table}{indicator}{year}年填写为{printed}，按其组成部分计算应为{computed}{how}，"
        "超出末位一个单位的误差。"
    ).format(
        table=label,
        indicator=quoted(indicator.name),
        year=year,
        printed=printed,
        computed=number_text(computed),
        how=how,
    )
    return Finding(
        code="table-arithmetic",
        severity=ERROR,
        message=message,
        where=[{"table": indicator.table, "indicator": indicator.name, "year": int(year)}],
        evidence=[
            {
                "source": _("{table}{indicator}{year}年（填写）").format(
                    table=label, indicator=quoted(indicator.name), year=year
                ),
                "value": printed,
            },
            {"source": _("按组成部分计算"), "value": round(computed, 4)},
        ],
    )


def subsets(draft: PlanDraft) -> list[Finding]:
    """A 其中 row cannot exceed the row it is part of (其中 rows are never summed)."""
    by_name = {(i.table, i.name): i for i in draft.indicators}
    findings = []
    for indicator in draft.indicators:
        parent = by_name.get((indicator.table, indicator.subset_of or ""))
        if parent is None:
            continue
        for year, value in indicator.values.items():
            whole = parent.values.get(year)
            if value is not None and whole is not None and value > whole + 1e-9:
                label = table_label(indicator.table, indicator.attachment)
                findings.append(
                    Finding(
                        code="table-arithmetic",
                        severity=ERROR,
                        message=_(
                            "{table}“其中，{indicator}”{year}年为{value}，大于其所属的“{parent}”{whole}。"
                        ).format(
                            table=label,
                            indicator=indicator.name,
                            year=year,
                            value=number_text(value),
                            parent=parent.name,
                            whole=number_text(whole),
                        ),
                        where=[
                            {
                                "table": indicator.table,
                                "indicator": indicator.name,
                                "year": int(year),
                            }
                        ],
                        evidence=[
                            {"source": indicator.name, "value": value},
                            {"source": parent.name, "value": whole},
                        ],
                    )
                )
    return findings


def cross_tables(draft: PlanDraft) -> list[Finding]:
    """在校生数 of the scale table against the 在校生数 numerator of a 生师比: a
    cross-table-mismatch when they stand in two tables, table-arithmetic in one table."""
    findings = []
    for indicator in draft.indicators:
        formula = indicator.formula or {}
        if core(formula.get("numerator", "")) != core("在校生数"):
            continue
        enrolment = students(draft, level_of(indicator.name))
        if enrolment is None:
            continue
        source = enrolment.source
        same_table = (source.table, source.attachment) == (indicator.table, indicator.attachment)
        for year, parts in indicator.parts.items():
            scale = enrolment.values.get(year)
            if scale is None or abs(scale - parts["numerator"]) < 0.5:
                continue
            mismatch = _same_table if same_table else _cross
            findings.append(mismatch(indicator, year, parts["numerator"], enrolment, scale, draft))
    return findings


def _same_table(
    indicator: Indicator,
    year: str,
    stated: float,
    enrolment: Students,
    scale: float,
    draft: PlanDraft,
) -> Finding:
    label = table_label(indicator.table, indicator.attachment)
    message = _(
        "{table}{year}年在校生数在同一张表内前后不一：{how}为{scale}人，“{indicator}”的分子为"
        "{stated}人。"
    ).format(
        table=label,
        year=year,
        how=enrolment.explanation,
        scale=number_text(scale),
        indicator=indicator.name,
        stated=number_text(stated),
    )
    note = _note_about(indicator, draft)
    if note:
        message += _("该表备注“{note}”，差异可能由此而来，请核实。").format(note=note)
    return Finding(
        code="table-arithmetic",
        severity=ERROR,
        message=message,
        where=[
            {"table": indicator.table, "indicator": enrolment.source.name, "year": int(year)},
            {"table": indicator.table, "indicator": indicator.name, "year": int(year)},
        ],
        evidence=[
            {"source": f"{label}“{enrolment.source.name}”", "value": scale},
            {
                "source": _("{table}“{indicator}”分子").format(
                    table=label, indicator=indicator.name
                ),
                "value": stated,
            },
        ],
    )


def _cross(
    indicator: Indicator,
    year: str,
    stated: float,
    enrolment: Students,
    scale: float,
    draft: PlanDraft,
) -> Finding:
    a = table_label(enrolment.source.table, enrolment.source.attachment)
    b = table_label(indicator.table, indicator.attachment)
    note = _note_about(indicator, draft)
    message = _(
        "{year}年在校生数前后不一：{a}为{scale}人（{how}），{b}“{indicator}”的分子为{stated}人。"
    ).format(
        year=year,
        a=a,
        scale=number_text(scale),
        how=enrolment.explanation,
        b=b,
        indicator=indicator.name,
        stated=number_text(stated),
    )
    if note:
        message += _("该表备注“{note}”，差异可能由此而来，请核实。").format(note=note)
    return Finding(
        code="cross-table-mismatch",
        severity=WARNING,
        message=message,
        where=[
            {
                "table": enrolment.source.table,
                "indicator": enrolment.source.name,
                "year": int(year),
            },
            {"table": indicator.table, "indicator": indicator.name, "year": int(year)},
        ],
        evidence=[
            {"source": f"{a}“{enrolment.source.name}”", "value": scale},
            {
                "source": _("{table}“{indicator}”分子").format(table=b, indicator=indicator.name),
                "value": stated,
            },
        ],
    )


def _note_about(indicator: Indicator, draft: PlanDraft) -> str | None:
    for table in draft.tables:
        if (table.title, table.attachment) != (indicator.table, indicator.attachment):
            continue
        for note in table.notes:
            if fold(indicator.name) in fold(note):
                return re.sub(r"^\s*备\s*注\s*[:：]\s*", "", note).rstrip("。")
    return None


def duplicate_rows(draft: PlanDraft) -> list[Finding]:
    """A row whose values, apart from its label (序号 and 单位 aside), repeat another row's."""
    findings = []
    for table in draft.tables:
        label_at, aside = label_columns(table.columns)
        seen: dict[tuple[str, ...], list[str]] = {}
        for row in table.rows:
            label = row[label_at].strip() if label_at < len(row) else ""
            if len(row) < 3 or not label:
                continue
            cells = tuple(
                re.sub(r"\s+", "", c) for k, c in enumerate(row) if k != label_at and k not in aside
            )
            if _distinctive(cells):
                if cells in seen:
                    findings.append(_duplicate(table, _name(label), seen[cells][0], cells))
                seen.setdefault(cells, []).append(_name(label))
    return findings


def _name(label: str) -> str:
    return split_label(label)[0]


def _distinctive(cells: tuple[str, ...]) -> bool:
    """Equal rows of 1 1 1 1 or 0 0 0 0 are a coincidence; 564, 计算机应用 … is a copy."""
    filled = [c for c in cells if c]
    numbers = {c for c in filled if parse_cell(c).value is not None}
    texts = [c for c in filled if parse_cell(c).value is None]
    return bool(texts) or len({c for c in numbers if parse_cell(c).value}) >= 2


def _duplicate(table: Table, label: str, first: str, cells: tuple[str, ...]) -> Finding:
    has_text = any(c and parse_cell(c).value is None for c in cells)
    where = table_label(table.title, table.attachment)
    message = (
        _("{table}中“{row}”一行除名称外与“{first}”一行完全相同，疑似复制粘贴、重复计算。")
        if has_text
        else _("{table}中“{row}”一行除名称外与“{first}”一行完全相同，请确认两项数据确实相同。")
    ).format(table=where, row=label, first=first)
    return Finding(
        code="duplicate-row",
        severity=WARNING if has_text else INFO,
        message=message,
        where=[
            {"table": table.title, "indicator": label},
            {"table": table.title, "indicator": first},
        ],
        evidence=[
            {"source": label, "value": " | ".join(cells)},
            {"source": first, "value": " | ".join(cells)},
        ],
    )
