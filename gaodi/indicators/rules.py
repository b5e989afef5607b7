"""The indicator registry a plan implies (pure: PlanDraft in, specifications out).

Every row of the indicator tables (附件2) becomes an indicator. A ratio is never typed in
(最多报一次): it becomes a formula over base indicators — 生师比 = 在校生数 / 专任教师数 with the
parts the table prints (2193/202) as the base indicators' values; 生均X = X / 在校生数 of the
scale table; X与在校生比例 = X / 在校生数; 职普比 = 中职招生数 / 普通高中招生数. Defaults that
the plan does not state (stock or flow, how to roll up) are named here and editable later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from gaodi.i18n import _
from gaodi.plans.consistency.arithmetic import base_of_per_student
from gaodi.plans.consistency.concepts import (
    Students,
    level_of,
    matching_indicators,
    school_count,
    students,
)
from gaodi.plans.parsing.draft import Indicator, PlanDraft
from gaodi.plans.parsing.text import fold

_FLOW_UNITS = {"万元", "亿元", "元", "人日", "人次"}
_FLOW_WORDS = ("招生", "投入", "培训", "招聘", "到款", "接收")


@dataclass
class Spec:
    """One indicator of the registry, ready to store."""

    code: str
    name: str
    unit: str
    category: str
    value_type: str = "number"
    kind: str = "stock"
    aggregation: str = "sum"
    formula: str = ""
    subset_of: str | None = None
    clause: str = ""
    values: dict[int, tuple[Decimal, str]] = field(default_factory=dict)
    baseline_year: int | None = None
    tasks: list[int] = field(default_factory=list)
    industry: str = ""


def registry(draft: PlanDraft) -> list[Spec]:
    """The registry of a plan, in table order, base parts next to the ratios they make."""
    specs: list[Spec] = []
    by_name: dict[tuple[str, str], Spec] = {}
    codes: dict[int, str] = {}
    for number, indicator in enumerate(draft.indicators, start=1):
        spec = _spec(indicator, f"i{number:03d}")
        codes[id(indicator)] = spec.code
        by_name[(indicator.table, indicator.name)] = spec
        if indicator.subset_of and (indicator.table, indicator.subset_of) in by_name:
            spec.subset_of = by_name[(indicator.table, indicator.subset_of)].code
        specs += _parts(indicator, spec)
        specs.append(spec)
    _derive(draft, specs, codes)
    _link_tasks(draft, specs, codes)
    return specs


def _spec(indicator: Indicator, code: str) -> Spec:
    clause = " ".join(filter(None, [indicator.attachment, indicator.table]))
    kind = (
        "flow"
        if (indicator.unit in _FLOW_UNITS or any(w in indicator.name for w in _FLOW_WORDS))
        and "总值" not in indicator.name  # 设备仪器总值: what is held at the end of the year
        else "stock"
    )
    ratio = (
        indicator.value_kind in {"ratio", "percentage"}
        or "校均" in indicator.name
        or "生均" in indicator.name
    )
    values = {
        int(y): (Decimal(str(v)), indicator.raw.get(y, ""))
        for y, v in indicator.values.items()
        if v is not None
    }
    return Spec(
        code=code,
        name=indicator.name,
        unit=indicator.unit or ("%" if indicator.value_kind == "percentage" else ""),
        category=indicator.table,
        clause=clause,
        kind=kind,
        value_type=indicator.value_kind
        if indicator.value_kind in {"ratio", "percentage"}
        else "number",
        aggregation="none" if ratio else "sum",
        values=values,
        baseline_year=indicator.baseline_year,
        industry=indicator.industry or "",
    )


def _parts(indicator: Indicator, spec: Spec) -> list[Spec]:
    """生师比 11:1（2193/202）: the numerator and denominator as indicators of their own."""
    if not indicator.formula:
        return []
    made = []
    for role, suffix in (("numerator", "n"), ("denominator", "d")):
        label = indicator.formula[role]
        values = {
            int(y): (Decimal(str(p[role])), _plain(p[role])) for y, p in indicator.parts.items()
        }
        made.append(
            Spec(
                code=spec.code + suffix,
                name=f"{label}（{indicator.name}）",
                unit="人",
                category=spec.category,
                clause=spec.clause,
                values=values,
                baseline_year=spec.baseline_year,
            )
        )
    factor = " * 100" if indicator.value_kind == "percentage" else ""
    spec.formula = f"{spec.code}n / {spec.code}d{factor}"
    spec.aggregation = "formula"
    return made


def _derive(draft: PlanDraft, specs: list[Spec], codes: dict[int, str]) -> None:
    """生均X, X与在校生比例, 校均在校生规模 and 职普比 as formulas over what they divide.

    The enrolment they divide by is the 在校生数 reported once, as the part of the level's
    生师比 (i037n), when the tables have one: it adds up over schools. Otherwise the scale
    table's enrolment as printed (校均在校生规模 × 学校数量), which does not.
    """
    enrolment = {level: students(draft, level) for level in ("中职", "高职")}
    counted = _enrolment_parts(draft, codes)
    for indicator in draft.indicators:
        spec = next(s for s in specs if s.code == codes[id(indicator)])
        if spec.formula or indicator.industry:
            continue
        name = fold(indicator.name)
        level = level_of(indicator.name) or "中职"
        total = enrolment.get(level)
        students_code = counted.get(level) or (
            _students_formula(total, draft, level, codes) if total else None
        )
        if "生均" in name and students_code:
            base = base_of_per_student(indicator, draft)
            if base is not None:
                spec.formula, spec.aggregation = f"{codes[id(base)]} / ({students_code})", "formula"
        elif "与" in name and "在校生" in name and students_code:
            base = next((i for i in draft.indicators if fold(i.name) == name.split("与")[0]), None)
            if base is not None:
                spec.formula, spec.aggregation = f"{codes[id(base)]} / ({students_code})", "formula"
        elif "校均" in name and "在校生" in name and level in counted:
            schools = school_count(draft, level)
            if schools is not None:
                spec.formula = f"{counted[level]} / {codes[id(schools)]}"
                spec.aggregation = "formula"
        elif "职普比" in name:
            _vocational_general(spec, specs)


def _enrolment_parts(draft: PlanDraft, codes: dict[int, str]) -> dict[str, str]:
    """Level -> the code of the 在校生数 that is the numerator of the level's 生师比."""
    found = {}
    for indicator in draft.indicators:
        level = level_of(indicator.name)
        if (
            indicator.formula
            and level
            and "生师比" in fold(indicator.name)
            and "在校生" in fold(indicator.formula["numerator"])
        ):
            found.setdefault(level, codes[id(indicator)] + "n")
    return found


def _students_formula(
    total: Students, draft: PlanDraft, level: str, codes: dict[int, str]
) -> str | None:
    """在校生数 as the scale table gives it: 校均在校生规模 × 学校数量, or a count as printed."""
    code = codes[id(total.source)]
    if "校均" not in fold(total.source.name):
        return code
    schools = school_count(draft, level)
    return f"{code} * {codes[id(schools)]}" if schools is not None else None


def _vocational_general(spec: Spec, specs: list[Spec]) -> None:
    """职普比 from the two enrolments (not printed in the plan: to be collected)."""
    vocational, general = (
        Spec(
            code=spec.code + suffix,
            name=name,
            unit="人",
            category=spec.category,
            clause=spec.clause,
            kind="flow",
            baseline_year=spec.baseline_year,
        )
        for suffix, name in (("v", "中职学校招生数"), ("g", "普通高中招生数"))
    )
    specs[specs.index(spec) : specs.index(spec)] = [vocational, general]
    spec.formula, spec.aggregation = f"{vocational.code} / {general.code}", "formula"


def _link_tasks(draft: PlanDraft, specs: list[Spec], codes: dict[int, str]) -> None:
    """Indicators a task's targets measure (双师型比例 -> （十四）, 培训规模 -> （七）)."""
    by_code = {s.code: s for s in specs}
    for task in draft.tasks:
        for target in task.targets:
            if target.kind != "target" or not target.subject:
                continue
            for indicator in matching_indicators(target.subject, draft):
                spec = by_code[codes[id(indicator)]]
                if task.number not in spec.tasks:
                    spec.tasks.append(task.number)


def _plain(value: float) -> str:
    return re.sub(r"\.0$", "", str(value))


def value_problems(*, unit: str, value_type: str, formula: str, value: Decimal) -> list[str]:
    """Why a reported value cannot be stored (Chinese), or nothing.

    A derived indicator is never typed in; nothing is negative; a percentage part
    cannot exceed 100.
    """
    problems = []
    if formula:
        problems.append(_("该指标由组成部分计算，不直接填报（最多报一次）"))
    if value < 0:
        # Nothing in an indicator table of this shape can be negative (counts, money, days).
        problems.append(_("数量不能为负数") if unit in _COUNT_UNITS else _("该指标不能为负数"))
    if value_type == "percentage" and value > 100:
        problems.append(_("百分比不能超过100"))
    return problems


_COUNT_UNITS = {
    "人",
    "所",
    "个",
    "门",
    "项",
    "名",
    "家",
    "人次",
    "人日",
    "万元",
    "元",
    "亿元",
    "亩",
}
