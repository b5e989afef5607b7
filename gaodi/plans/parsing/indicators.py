"""Indicator tables (附件2): rows -> indicators with a value per year.

Cells: 2182 -> 2182; 11:1（2193/202） -> 2193/202 at full precision, parts 2193 and 202;
91.3%（126/138） -> 91.3 (points), parts 126 and 138; a bare ratio 2: 8 -> 0.25 (2/8);
4. 5: 5. 5 -> 4.5/5.5 (spaces inside numbers are print artefacts). The printed text is kept
in `raw`. Labels: 中职学校数量 (所) -> name 中职学校数量, unit 所; a label whose brackets hold a
formula (在校生数/专任教师数) has no unit and a `formula`; 其中, … rows are subsets of the row
above and are marked so (never summed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .draft import Indicator
from .tables import YEAR_CELL, Grid, norm_cell
from .text import fold

_NUMBER = r"\d+(?:\.\d+)?"
_RATIO_WITH_PARTS = re.compile(
    rf"^(?P<a>{_NUMBER}):(?P<b>{_NUMBER})\((?P<n>{_NUMBER})/(?P<d>{_NUMBER})\)$"
)
_PERCENT = re.compile(rf"^(?P<p>{_NUMBER})%(?:\((?P<n>{_NUMBER})/(?P<d>{_NUMBER})\))?$")
_RATIO = re.compile(rf"^(?P<a>{_NUMBER}):(?P<b>{_NUMBER})$")
_PLAIN = re.compile(rf"^-?{_NUMBER}$")
_LABEL = re.compile(r"^(?P<name>.*?)\s*\((?P<inner>[^()]*)\)\s*$")
_SUBSET = re.compile(r"^\s*其中\s*[,，、:：]?\s*")
_BASELINE_WORDS = ("现有基础", "基础", "基期", "基线", "现状")
_MULTI_MEASURES = ("开设专业", "专业点数", "学生数")


@dataclass
class Cell:
    value: float | None
    parts: dict[str, float] | None = None
    kind: str = "number"


def parse_cell(raw: str) -> Cell:
    """One printed cell -> its value (see the module docstring)."""
    text = re.sub(r"\s+", "", fold(raw))
    if not text or text in {"-", "/", "—", "无"}:
        return Cell(None)
    if m := _RATIO_WITH_PARTS.match(text):
        n, d = float(m["n"]), float(m["d"])
        return Cell(n / d if d else None, {"numerator": n, "denominator": d}, "ratio")
    if m := _PERCENT.match(text):
        parts = {"numerator": float(m["n"]), "denominator": float(m["d"])} if m["n"] else None
        return Cell(float(m["p"]), parts, "percentage")
    if m := _RATIO.match(text):
        a, b = float(m["a"]), float(m["b"])
        return Cell(a / b if b else None, {"numerator": a, "denominator": b}, "ratio")
    if _PLAIN.match(text):
        return Cell(float(text))
    return Cell(None)


def is_indicator_grid(grid: Grid) -> bool:
    return sum(1 for c in grid.columns if YEAR_CELL.search(c)) >= 2


def read_indicators(grid: Grid) -> list[Indicator]:
    columns = grid.columns
    if any(m in norm_cell(c) for c in columns for m in _MULTI_MEASURES[1:]):
        return _by_industry(grid)
    years = {k: YEAR_CELL.search(c).group(1) for k, c in enumerate(columns) if YEAR_CELL.search(c)}  # type: ignore[union-attr]
    baseline = _baseline_year(columns)
    indicators: list[Indicator] = []
    parent: str | None = None
    for row in grid.rows:
        if not row or not row[0].strip() or re.fullmatch(r"[.。…·\s]+", row[0]):
            continue
        indicator = _indicator(row, years, grid.title, baseline)
        if _SUBSET.match(fold(row[0])):
            indicator.subset_of = parent
        else:
            parent = indicator.name
        indicators.append(indicator)
    return indicators


def _baseline_year(columns: list[str]) -> int | None:
    for column in columns:
        m = YEAR_CELL.search(column)
        if m and any(w in column for w in _BASELINE_WORDS):
            return int(m.group(1))
    return None


def _indicator(
    row: list[str], years: dict[int, str], table: str, baseline: int | None
) -> Indicator:
    label = row[0].strip()
    name, unit, formula = split_label(label)
    values: dict[str, float | None] = {}
    raw: dict[str, str] = {}
    parts: dict[str, dict[str, float]] = {}
    kinds = set()
    for k, year in years.items():
        printed = row[k].strip() if k < len(row) else ""
        cell = parse_cell(printed)
        values[year], raw[year] = cell.value, printed
        if cell.parts:
            parts[year] = cell.parts
        if cell.value is not None:
            kinds.add(cell.kind)
    kind = next(iter(kinds)) if len(kinds) == 1 else ("number" if not kinds else "mixed")
    return Indicator(
        name=name,
        table=table,
        unit=unit,
        values=values,
        raw=raw,
        parts=parts,
        formula=formula,
        label=label,
        value_kind=kind,
        baseline_year=baseline,
    )


def split_label(label: str) -> tuple[str, str | None, dict[str, str] | None]:
    """中职学校数量 (所) -> (中职学校数量, 所, None); X（A/B） -> (X, None, {A, B})."""
    folded = fold(label)
    subset = _SUBSET.match(folded)
    offset = subset.end() if subset else 0
    m = _LABEL.match(folded[offset:])
    if not m:
        return label[offset:].strip(), None, None
    name = label[offset : offset + m.end("name")].strip()
    inner = label[offset + m.start("inner") : offset + m.end("inner")].strip()
    if "/" in fold(inner):
        numerator, denominator = (s.strip() for s in re.split("[/／]", inner, maxsplit=1))
        return name, None, {"numerator": numerator, "denominator": denominator}
    return name, inner or None, None


def _by_industry(grid: Grid) -> list[Indicator]:
    """专业布局: a row per industry, three columns per year -> its 专业点数 and 学生数."""
    columns = grid.columns
    slots: dict[str, dict[str, int]] = {}
    for k, column in enumerate(columns):
        found = YEAR_CELL.search(column)
        measure = next((m for m in _MULTI_MEASURES if m in norm_cell(column)), None)
        if found and measure:
            slots.setdefault(found.group(1), {})[measure] = k
    baseline = _baseline_year(columns)
    indicators = []
    for row in grid.rows:
        industry = row[0].strip() if row else ""
        if not industry or re.fullmatch(r"[.。…·\s]+", industry):
            continue
        specialties = {
            y: _specialties(row[s["开设专业"]])
            for y, s in slots.items()
            if "开设专业" in s and s["开设专业"] < len(row)
        }
        for measure, unit in (("专业点数", "个"), ("学生数", "人")):
            values: dict[str, float | None] = {}
            raw: dict[str, str] = {}
            for year, slot in slots.items():
                printed = (
                    row[slot[measure]].strip()
                    if measure in slot and slot[measure] < len(row)
                    else ""
                )
                values[year], raw[year] = parse_cell(printed).value, printed
            indicators.append(
                Indicator(
                    name=f"{industry}{measure}",
                    table=grid.title,
                    unit=unit,
                    values=values,
                    raw=raw,
                    label=industry,
                    baseline_year=baseline,
                    industry=industry,
                    specialties=specialties,
                )
            )
    return indicators


def _specialties(cell: str) -> list[str]:
    """计算机应用 (大数据方向) 机电技术应用 -> [计算机应用 (大数据方向), 机电技术应用]."""
    names: list[str] = []
    for token in cell.split():
        if names and token.startswith(("(", "（")):
            names[-1] = f"{names[-1]} {token}"
        else:
            names.append(token)
    return names
