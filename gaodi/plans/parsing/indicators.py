"""Indicator tables (附件2): rows -> indicators with a value per year.

Columns are found by role, not by position: the label column by its head (指标名称, 项目,
名称, 指标, 产业; else the first column that is not 序号, 单位 or a year), the unit column by
单位 / 计量单位, the year columns by 2020年. A 序号 column never becomes a name.

Cells: 2182 -> 2182; 5,387.35 and 1，000 -> 5387.35 and 1000 (thousands separators);
1.2万 -> 12000; 11:1（2193/202） -> 2193/202 at full precision, parts 2193 and 202;
91.3%（126/138） -> 91.3 (points), parts 126 and 138; a bare ratio 2: 8 -> 0.25 (2/8);
4. 5: 5. 5 -> 4.5/5.5 (spaces inside numbers are print artefacts); ≥70%, 70%以上, 不低于70%
-> 70 (>=), 约100 -> 100 (~). The printed text is kept in `raw`.

Limitation: a cell's comparator (>=, <=, ~) is read into `Cell.comparator` but Indicator has no
field for it, so an indicator keeps only the value; a cell that cannot be read keeps `None`
with its text in `raw` (no warning channel here).

Labels: 中职学校数量 (所) -> name 中职学校数量, unit 所; a label without a unit takes the unit
column's; a label whose brackets hold a formula (在校生数/专任教师数) has no unit and a
`formula`; 其中, … rows (or a 序号 cell 其中) are subsets of the row above and are marked so
(never summed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .draft import Indicator
from .tables import YEAR_CELL, Grid, is_unit_head, norm_cell
from .text import fold

_NUMBER = r"\d+(?:\.\d+)?"
_RATIO_WITH_PARTS = re.compile(
    rf"^(?P<a>{_NUMBER}):(?P<b>{_NUMBER})\((?P<n>{_NUMBER})/(?P<d>{_NUMBER})\)$"
)
_PERCENT = re.compile(rf"^(?P<p>{_NUMBER})%(?:\((?P<n>{_NUMBER})/(?P<d>{_NUMBER})\))?$")
_RATIO = re.compile(rf"^(?P<a>{_NUMBER}):(?P<b>{_NUMBER})$")
_PLAIN = re.compile(rf"^-?{_NUMBER}$")
_SCALED = re.compile(rf"^(?P<n>{_NUMBER})(?P<mult>[千万亿])$")
_MULT = {"千": 1_000, "万": 10_000, "亿": 100_000_000}
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_EMPTY = {"-", "/", "—", "无", "--"}
# Longest first, so that 不低于 is read before 低于.
_PREFIXES = (
    ("不低于", ">="),
    ("不少于", ">="),
    ("不小于", ">="),
    ("不高于", "<="),
    ("不超过", "<="),
    ("不大于", "<="),
    ("至少", ">="),
    ("达到", ">="),
    ("超过", ">="),
    ("高于", ">="),
    ("低于", "<="),
    ("最高", "<="),
    (">=", ">="),
    ("<=", "<="),
    ("≥", ">="),
    ("≧", ">="),
    ("≤", "<="),
    ("≦", "<="),
    (">", ">="),
    ("<", "<="),
    ("约", "~"),
    ("近", "~"),
    ("≈", "~"),
    ("~", "~"),
)
_SUFFIXES = (
    ("及以上", ">="),
    ("以上", ">="),
    ("以下", "<="),
    ("以内", "<="),
    ("左右", "~"),
)
_LABEL = re.compile(r"^(?P<name>.*?)\s*\((?P<inner>[^()]*)\)\s*$")
_SUBSET = re.compile(r"^\s*其中\s*[,，、:：]?\s*")
_BASELINE_WORDS = ("现有基础", "基础", "基期", "基线", "现状")
_MULTI_MEASURES = ("开设专业", "专业点数", "学生数")
# Heads of the label column, most specific first.
_LABEL_HEADS = ("指标名称", "项目名称", "名称", "指标", "项目", "产业", "内容")
_SEQ_HEADS = {"序号", "编号"}
_NOT_A_NAME = re.compile(r"[\d.。…·、,，()（）\s]*")


@dataclass
class Cell:
    """A printed cell read: its value, its parts, and the comparator it was printed with."""

    value: float | None
    parts: dict[str, float] | None = None
    kind: str = "number"
    comparator: str = "="


def clean_cell(raw: str) -> str:
    """The matching form of a cell: folded, without spaces and thousands separators."""
    return _THOUSANDS.sub("", re.sub(r"\s+", "", fold(raw)))


def parse_cell(raw: str) -> Cell:
    """One printed cell -> its value (see the module docstring)."""
    text = clean_cell(raw)
    if not text or text in _EMPTY:
        return Cell(None)
    text, comparator = _without_comparator(text)
    cell = _read_value(text)
    cell.comparator = comparator if cell.value is not None else "="
    return cell


def _without_comparator(text: str) -> tuple[str, str]:
    """≥70% -> (70%, >=); 70%以上 -> (70%, >=); 约100 -> (100, ~)."""
    comparator = "="
    for word, meaning in _PREFIXES:
        if text.startswith(word) and len(text) > len(word):
            text, comparator = text[len(word) :], meaning
            break
    for word, meaning in _SUFFIXES:
        if text.endswith(word) and len(text) > len(word):
            text, comparator = text[: -len(word)], meaning
            break
    return text, comparator


def _read_value(text: str) -> Cell:
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
    if m := _SCALED.match(text):
        return Cell(float(m["n"]) * _MULT[m["mult"]])
    return Cell(None)


def cell_precision(raw: str) -> float:
    """One unit in the last printed digit, in the cell's value: 0.04 -> 0.01, 1.2万 -> 1000."""
    text = clean_cell(raw)
    m = re.search(rf"(?P<n>{_NUMBER})(?P<mult>[千万亿]?)", text)
    if not m:
        return 1.0
    decimals = len(m["n"].split(".")[1]) if "." in m["n"] else 0
    return float(10**-decimals) * _MULT.get(m["mult"], 1)


def is_indicator_grid(grid: Grid) -> bool:
    return _has_years(grid.columns)


def _has_years(columns: list[str]) -> bool:
    return sum(1 for c in columns if YEAR_CELL.search(c)) >= 2


def label_columns(columns: list[str]) -> tuple[int, list[int]]:
    """An indicator table's label column and the columns that hold no values (序号, 单位);
    (0, []) for any other table."""
    if not _has_years(columns):
        return 0, []
    layout = _layout(columns)
    return layout.label, layout.seq + ([layout.unit] if layout.unit is not None else [])


@dataclass
class _Layout:
    """Which column holds what: the label, the unit, 序号 and the years."""

    label: int
    unit: int | None
    seq: list[int]
    years: dict[int, str]


def _layout(columns: list[str]) -> _Layout:
    heads = [norm_cell(c) for c in columns]
    years = {k: m.group(1) for k, c in enumerate(columns) if (m := YEAR_CELL.search(c))}
    unit = next((k for k, c in enumerate(columns) if k not in years and is_unit_head(c)), None)
    others = [k for k in range(len(columns)) if k not in years and k != unit]
    seq = [k for k in others if heads[k] in _SEQ_HEADS]
    label = next(
        (k for word in _LABEL_HEADS for k in others if k not in seq and word in heads[k]), None
    )
    if label is None:
        label = next((k for k in others if k not in seq), others[0] if others else 0)
    return _Layout(label=label, unit=unit, seq=seq, years=years)


def _at(row: list[str], k: int | None) -> str:
    return row[k].strip() if k is not None and k < len(row) else ""


def read_indicators(grid: Grid) -> list[Indicator]:
    columns = grid.columns
    layout = _layout(columns)
    if any(m in norm_cell(c) for c in columns for m in _MULTI_MEASURES[1:]):
        return _by_industry(grid, layout)
    baseline = _baseline_year(columns)
    indicators: list[Indicator] = []
    parent: str | None = None
    for row in grid.rows:
        label = _at(row, layout.label)
        if _NOT_A_NAME.fullmatch(fold(label)):
            continue  # empty, ….., or a bare number: never an indicator's name
        indicator = _indicator(row, layout, grid.title, baseline)
        if _SUBSET.match(fold(label)) or any(
            fold(_at(row, k)).startswith("其中") for k in layout.seq
        ):
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


def _indicator(row: list[str], layout: _Layout, table: str, baseline: int | None) -> Indicator:
    label = _at(row, layout.label)
    name, unit, formula = split_label(label)
    if unit is None and formula is None:
        unit = _unit_cell(_at(row, layout.unit))
    values: dict[str, float | None] = {}
    raw: dict[str, str] = {}
    parts: dict[str, dict[str, float]] = {}
    kinds = set()
    for k, year in layout.years.items():
        printed = _at(row, k)
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


def _unit_cell(cell: str) -> str | None:
    unit = re.sub(r"\s+", "", cell)
    return unit if unit and unit not in _EMPTY else None


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


def _by_industry(grid: Grid, layout: _Layout) -> list[Indicator]:
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
        industry = _at(row, layout.label)
        if _NOT_A_NAME.fullmatch(fold(industry)):
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
