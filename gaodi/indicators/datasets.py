"""The reporting forms a plan implies (pure: registry specifications in, data sets out).

One data set per 附件2 table (附表): its indicators, reported yearly by the schools, approved
by the county and then the city. Its validation rules come from the tables themselves:

- every 其中 row is at most its whole (招聘有3年以上企业工作经历的人数 ≤ 职业院校招聘教师数);
- the teacher chain of the ratios' parts, per level:
  “双师型”教师数 ≤ 专业课教师总数 ≤ 专任教师数;
- a year-on-year outlier warning on every base count (z-score above 3 of the changes so far,
  or outside the earlier range widened by 50 %): thresholds are a default of Gaodi's (示例),
  editable per rule.

Default reporting windows (also 示例, editable by the work team): the data of year Y are
filled in from 1 June of Y to 31 March of Y+1 (school-year statistics are taken in autumn,
the year's money and training are known by the spring).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from gaodi.i18n import _
from gaodi.plans.consistency.concepts import level_of
from gaodi.plans.parsing.text import fold

from .rules import _COUNT_UNITS, Spec
from .validation import BLOCKING, WARNING, Rule

APPROVAL_KINDS = ["county", "city"]
OUTLIER_DEFAULTS = {"z": 3, "band": 0.5}


@dataclass
class DataSetSpec:
    code: str
    name: str
    indicators: list[str]
    rules: list[tuple[Rule, str]] = field(default_factory=list)  # (rule, source)


def data_sets(specs: list[Spec]) -> list[DataSetSpec]:
    """One data set per table, in table order, with the rules over its indicators."""
    tables: dict[str, list[Spec]] = {}
    for spec in specs:
        tables.setdefault(spec.category, []).append(spec)
    made = []
    for number, (table, members) in enumerate(tables.items(), start=1):
        inside = {s.code for s in members}
        made.append(
            DataSetSpec(
                code=f"ds{number}",
                name=_table_name(table),
                indicators=[s.code for s in members],
                rules=[
                    (rule, source) for rule, source in _rules(specs) if _codes_of(rule) <= inside
                ],
            )
        )
    return made


def window(year: int) -> tuple[dt.date, dt.date]:
    """The default reporting window of a year's data (示例)."""
    return dt.date(year, 6, 1), dt.date(year + 1, 3, 31)


def _table_name(table: str) -> str:
    """一、规模与布局 -> 规模与布局（附表）."""
    name = table.split("、", 1)[-1].strip() or table
    return name[:200]


def _codes_of(rule: Rule) -> set[str]:
    from .formula import codes

    found = set(codes(rule.left))
    if rule.right:
        found |= set(codes(rule.right))
    return found


def _rules(specs: list[Spec]) -> list[tuple[Rule, str]]:
    by_code = {s.code: s for s in specs}
    found: list[tuple[Rule, str]] = []
    for spec in specs:
        if spec.subset_of and spec.subset_of in by_code:
            whole = by_code[spec.subset_of]
            found.append(
                (
                    Rule(
                        name=_("“其中”不超过总数：{part}").format(part=spec.name),
                        left=spec.code,
                        operator="<=",
                        right=whole.code,
                        severity=BLOCKING,
                    ),
                    _("附件2 {table}：“其中”行").format(table=spec.category),
                )
            )
    found += _teacher_chain(specs)
    for spec in specs:
        if not spec.formula and spec.unit in _COUNT_UNITS:
            found.append(
                (
                    Rule(
                        name=_("同比异常波动：{name}").format(name=spec.name),
                        left=spec.code,
                        kind="outlier",
                        operator="",
                        severity=WARNING,
                        parameters=dict(OUTLIER_DEFAULTS),
                    ),
                    _("示例：高地默认阈值（z 值 3，往年范围放宽 50%），可修改"),
                )
            )
    return found


def _teacher_chain(specs: list[Spec]) -> list[tuple[Rule, str]]:
    """“双师型”教师数 ≤ 专业课教师总数 ≤ 专任教师数, for each level the tables give."""
    labels = {"双师型教师数": "dual", "专业课教师总数": "specialty", "专任教师数": "full_time"}
    by_level: dict[str, dict[str, Spec]] = {}
    for spec in specs:
        label, _sep, context = fold(spec.name).partition("(")
        role = labels.get(label.replace("“", "").replace("”", "").replace('"', ""))
        level = level_of(context) if context else None
        if role and level and not spec.formula:
            by_level.setdefault(level, {})[role] = spec
    found = []
    for level, roles in by_level.items():
        for low, high in (("dual", "specialty"), ("specialty", "full_time")):
            if low in roles and high in roles:
                found.append(
                    (
                        Rule(
                            name=_("{level}：{low}不超过{high}").format(
                                level=level,
                                low=roles[low].name.partition("（")[0],
                                high=roles[high].name.partition("（")[0],
                            ),
                            left=roles[low].code,
                            operator="<=",
                            right=roles[high].code,
                            severity=BLOCKING,
                        ),
                        _("教师队伍口径：“双师型”教师属于专业课教师，专业课教师属于专任教师"),
                    )
                )
    return found
