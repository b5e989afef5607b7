"""The department registry: every spelling in a document resolved to one department.

Rules are data (data/departments.json): level prefixes (区/县/市), abbreviations
(教体 = 教育和体育, 发改 = 发展和改革, 人社 = 人力资源和社会保障 …), party organs that sit under
the party committee (编办 -> 区委编办), equivalent suffixes (发展和改革局 = 发展和改革委员会),
collective words (各…, …有关部门) and position titles (局长, 副主任 …). Nothing here knows
Chiping: the same rules resolve another county's names.

Resolution, in order: the same key (prefix + expanded core without 和 + suffix class);
a core that is one part of exactly one compound core (区教育局 -> 区教育和体育局);
a near-miss (区农业农业农村局 -> 区农业农村局), which is resolved *with a warning*.
Distinct bodies are never merged: 区委办公室 and 区政府办公室 differ in their prefix.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from gaodi.i18n import _

from .draft import Department, ParseWarning
from .text import fold

_SEPARATORS_FIXED = r"[、，,；;/／]+|\s{2,}"
_TRAILING = re.compile(r"(?:等(?:部门|单位)?|按职责分工负责|分别负责|负责|牵头|配合|参与)$")
_HAN = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"\s+")
_HE = re.compile("[和与及]")


@cache
def level_pattern() -> str:
    """自治县|区|县|市 …: the level prefixes of data/departments.json, as a regex alternation."""
    return "|".join(map(re.escape, rules()["level_prefixes"]))


@cache
def _separators() -> re.Pattern[str]:
    """、，; and a space before the next name (区财政局 区人社局)."""
    return re.compile(_SEPARATORS_FIXED + r"|\s+(?=(?:团|" + level_pattern() + "))")


@cache
def _mention() -> re.Pattern[str]:
    return re.compile(
        r"(?:团)?(?:" + level_pattern() + r")(?:委|政府)?[\u4e00-\u9fff]{1,12}?"
        r"(?:委员会|办公室|局|委|办|部|室|中心|联)"
    )


@cache
def rules() -> dict[str, Any]:
    text = (
        resources.files("gaodi.plans.parsing").joinpath("data/departments.json").read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def split_names(text: str) -> list[str]:
    """区财政局、区发改局，区教体局 -> three names (verbatim, spaces inside removed)."""
    folded = fold(text)
    names, start = [], 0
    nested = _inside_brackets(folded)
    separators = [m for m in _separators().finditer(folded) if not nested[m.start()]]
    for sep in [*separators, None]:
        end = sep.start() if sep else len(folded)
        piece, piece_folded = text[start:end], folded[start:end]
        start = sep.end() if sep else end
        trailing = _TRAILING.search(piece_folded.rstrip(" 。.:：()[]"))
        if trailing:
            piece = piece[: trailing.start()]
        name = _balanced(_SPACE.sub("", piece).strip("。.:："))
        if name and _HAN.search(name):
            names.append(name)
    return names


def split_top_level(text: str) -> list[str]:
    """张三（县教育局局长）、李四（县财政局局长） -> two pieces; 、 inside brackets stays."""
    folded = fold(text)
    nested = _inside_brackets(folded)
    pieces, start = [], 0
    for i, ch in enumerate(folded):
        if ch in "、;" and not nested[i]:
            pieces.append(text[start:i])
            start = i + 1
    pieces.append(text[start:])
    return pieces


def _balanced(name: str) -> str:
    """Strip brackets left over at the ends, keep a name's own: 各乡镇人民政府（街道办事处）."""
    folded = fold(name)
    while (
        folded
        and folded[-1] in ")]"
        and folded.count("(") + folded.count("[") < folded.count(")") + folded.count("]")
    ):
        name, folded = name[:-1], folded[:-1]
    while (
        folded
        and folded[0] in "(["
        and folded.count("(") + folded.count("[") > folded.count(")") + folded.count("]")
    ):
        name, folded = name[1:], folded[1:]
    if folded.startswith(("(", "[")) and folded.endswith((")", "]")):
        name = name[1:-1]
    return name


def _inside_brackets(folded: str) -> list[bool]:
    """Per character: inside a bracket pair? (各县（市、区）人民政府 is one name.)"""
    inside = [False] * len(folded)
    if "(" not in folded and "[" not in folded:
        return inside
    depth = 0
    for i, ch in enumerate(folded):
        if ch in "([":
            depth += 1
        inside[i] = depth > 0
        if ch in ")]" and depth:
            depth -= 1
    return inside


def looks_complete(name: str) -> bool:
    """A name that ends like a body does (局, 委, 办 …) — used on truncated documents."""
    folded = fold(name)
    return (
        folded.endswith(tuple(rules()["suffixes"]))
        or is_collective(folded)
        or (folded.startswith("团") and folded.endswith("委"))
    )


def is_collective(name: str) -> bool:
    folded = fold(name)
    return folded.startswith("各") or any(m in folded for m in rules()["collective_markers"][1:])


def level_prefix(name: str) -> str:
    """区 of 区财政局, 自治县 of 自治县教育局, "" of 教育局."""
    folded = fold(name)
    return next((p for p in rules()["level_prefixes"] if folded.startswith(p)), "")


def body_of_position(position: str) -> str | None:
    """区教育体育局局长 -> 区教育体育局; 区委书记（副厅级） -> 区委; 编办主任 -> 编办."""
    text = re.sub(r"[（(][^）)]*[）)]", "", position).strip()
    for title in rules()["position_titles"]:
        if text.endswith(title) and len(text) > len(title):
            return text[: -len(title)]
    return None


@dataclass
class NameKey:
    prefix: str
    core: str  # expanded, 和 kept
    suffix: str

    @property
    def key(self) -> str:
        return f"{self.prefix}|{_without_he(self.core)}|{_suffix_class(self.suffix)}"

    @property
    def label(self) -> str:
        return self.prefix + self.core + self.suffix


def _without_he(core: str) -> str:
    return _HE.sub("", core)


def _suffix_class(suffix: str) -> str:
    for group in rules()["equivalent_suffixes"]:
        if suffix in group:
            return str(group[0])
    return suffix


def analyse(name: str, level: str) -> NameKey:
    """Split a (folded) name into level prefix, expanded core and suffix."""
    r = rules()
    name = fold(name).replace(" ", "")
    if re.fullmatch(r"团.{1,3}委", name):
        return NameKey(prefix="", core=name, suffix="")
    prefix, rest = "", name
    for candidate in r["level_prefixes"]:
        if name.startswith(candidate):
            prefix, rest = candidate, name[len(candidate) :]
            break
    if prefix and rest.startswith("委") and not rest.startswith("委员会"):
        prefix, rest = prefix + "委", rest[1:]
    elif prefix and rest.startswith("政府"):
        prefix, rest = prefix + "政府", rest[2:]
    rest = _expand(rest)
    if not prefix:
        prefix = level
    if level and prefix == level and rest in r["party_organs"]:
        prefix = level + "委"
    suffix = next((s for s in r["suffixes"] if rest.endswith(s) and len(rest) >= len(s)), "")
    return NameKey(prefix=prefix, core=rest[: len(rest) - len(suffix)], suffix=suffix)


def _expand(rest: str) -> str:
    r = rules()
    if rest in r["whole_abbreviations"]:
        return str(r["whole_abbreviations"][rest])
    for short, full in sorted(r["abbreviations"].items(), key=lambda kv: -len(kv[0])):
        if rest.startswith(short) and not rest.startswith(full):
            rest = full + rest[len(short) :]
            break
    for short, full in r["whole_abbreviations"].items():
        if rest.endswith(short) and not rest.endswith(full):
            return str(rest[: -len(short)] + full)
    return str(rest)


@dataclass
class _Body:
    key: NameKey
    spellings: list[str] = field(default_factory=list)
    collective: bool = False
    inferred_prefix: bool = False


@dataclass
class Resolution:
    departments: list[Department]
    canonical: dict[str, str]
    warnings: list[ParseWarning]
    near_misses: dict[str, str]


class Registry:
    """Collects spellings in document order, then resolves them all at once."""

    def __init__(self, level: str) -> None:
        self.level = fold(level)
        self.spellings: list[tuple[str, int | None]] = []
        self._collective: set[str] = set()
        self._mentions: list[str] = []

    def add(self, names: Iterable[str], line: int | None = None, collective: bool = False) -> None:
        for name in names:
            if name:
                self.spellings.append((name, line))
                if collective:
                    self._collective.add(name)

    def add_mentions(self, text: str) -> None:
        """Names in running text (报县编办备案): kept as aliases of bodies the plan names
        elsewhere, never as new departments (区职教中心 is a school, not a department)."""
        folded = fold(text)
        for m in _mention().finditer(folded):
            self._mentions.append(text[m.start() : m.end()])

    def resolve(self) -> Resolution:
        bodies: dict[str, _Body] = {}
        order: list[str] = []
        spelling_key: dict[str, str] = {}
        lines: dict[str, int | None] = {}
        for spelling, line in self.spellings:
            if spelling in spelling_key:
                continue
            lines[spelling] = line
            collective = spelling in self._collective or is_collective(spelling)
            key = NameKey("", fold(spelling), "") if collective else analyse(spelling, self.level)
            k = "collective|" + key.core if collective else key.key
            spelling_key[spelling] = k
            if k not in bodies:
                bodies[k] = _Body(key=key, collective=collective)
                order.append(k)
            bodies[k].spellings.append(spelling)
        merged, near = self._merge(bodies, order)
        self._attach_mentions(bodies, order, spelling_key)
        return self._result(bodies, order, merged, near, spelling_key, lines)

    def _attach_mentions(
        self, bodies: dict[str, _Body], order: list[str], spelling_key: dict[str, str]
    ) -> None:
        for mention in self._mentions:
            if mention in spelling_key:
                continue
            key = analyse(mention, self.level).key
            if key in bodies and not bodies[key].collective:
                bodies[key].spellings.append(mention)
                spelling_key[mention] = key

    def _merge(self, bodies: dict[str, _Body], order: list[str]) -> tuple[dict[str, str], set[str]]:
        """Map each body key to the key it is the same body as (subsumption, near-miss)."""
        target: dict[str, str] = {}
        near: set[str] = set()
        known = [k for k in order if not bodies[k].collective]
        standard = set(rules()["standard_cores"])
        standard_keys = {_without_he(s) for s in standard}
        parts = _compound_index(bodies, known)
        same_class = {
            (
                bodies[o].key.prefix,
                _suffix_class(bodies[o].key.suffix),
                _without_he(bodies[o].key.core),
            ): o
            for o in known
        }
        candidates = [bodies[o].key for o in known if bodies[o].key.core in standard]
        for k in known:
            body = bodies[k].key
            compound = [o for o in parts.get(_slot(body, body.core), []) if o != k]
            if len(compound) == 1:
                target[k] = compound[0]
                continue
            if (
                _without_he(body.core + body.suffix) in standard_keys
                or _without_he(body.core) in standard_keys
            ):
                continue
            collapsed = _REPEAT.sub(r"\1", body.core)
            repeat_of = same_class.get(_slot(body, _without_he(collapsed)))
            if collapsed != body.core and repeat_of is not None:
                target[k] = repeat_of
                near.add(k)
                continue
            miss = _near_miss(body, [c for c in candidates if c.key != k])
            if miss is not None:
                target[k] = miss.key
                near.add(k)
        return target, near

    def _result(
        self,
        bodies: dict[str, _Body],
        order: list[str],
        merged: dict[str, str],
        near: set[str],
        spelling_key: dict[str, str],
        lines: dict[str, int | None],
    ) -> Resolution:
        groups: dict[str, list[str]] = {}
        for k in order:
            root = k
            while root in merged:
                root = merged[root]
            groups.setdefault(root, []).extend(bodies[k].spellings)
        departments, canonical, warnings, misses = [], {}, [], {}
        for root in [k for k in order if k in groups]:
            spellings = groups[root]
            good = [s for s in spellings if spelling_key[s] not in near]
            name = _preferred(good or spellings, bodies[root], self.level)
            departments.append(
                Department(
                    name=name,
                    aliases=[s for s in dict.fromkeys(spellings) if s != name],
                    collective=bodies[root].collective,
                    near_misses=[s for s in dict.fromkeys(spellings) if spelling_key[s] in near],
                )
            )
            for spelling in spellings:
                canonical[spelling] = name
                if spelling_key[spelling] in near:
                    misses[spelling] = name
                    warnings.append(
                        ParseWarning(
                            code="unknown-unit",
                            message=_(
                                "部门名称“{spelling}”不在已知部门中，按近似名称归为“{name}”，请核对原文"
                            ).format(spelling=spelling, name=name),
                            line=lines.get(spelling),
                        )
                    )
        return Resolution(
            departments=departments, canonical=canonical, warnings=warnings, near_misses=misses
        )


_REPEAT = re.compile(r"(.{2,}?)\1")


def _slot(body: NameKey, core: str) -> tuple[str, str, str]:
    return body.prefix, _suffix_class(body.suffix), core


def _compound_index(
    bodies: dict[str, _Body], known: list[str]
) -> dict[tuple[str, str, str], list[str]]:
    """区教育和体育局 is filed under 教育 and under 体育: what a 区教育局 may be part of."""
    index: dict[tuple[str, str, str], list[str]] = {}
    for k in known:
        body = bodies[k].key
        pieces = _HE.split(body.core)
        if len(pieces) > 1:
            for piece in pieces:
                index.setdefault(_slot(body, piece), []).append(k)
    return index


def _near_miss(body: NameKey, candidates: list[NameKey]) -> NameKey | None:
    """The standard body whose name is within a typo of this one, if any."""
    best, best_ratio = None, 0.0
    for other in candidates:
        if _slot(other, "") != _slot(body, ""):
            continue
        ratio = difflib.SequenceMatcher(None, body.core, other.core).ratio()
        if ratio > best_ratio:
            best, best_ratio = other, ratio
    return best if best_ratio >= 0.85 else None


def _preferred(spellings: list[str], body: _Body, level: str) -> str:
    """The fullest spelling the document itself uses; a bare 宣传部 gets its 区委 prefix."""
    unique = list(dict.fromkeys(spellings))
    prefixed = [s for s in unique if level_prefix(s) or fold(s).startswith("团") or body.collective]
    pool = prefixed or unique
    best = max(pool, key=lambda s: (_fullness(s), len(s)))
    if not prefixed and not body.collective:
        return body.key.prefix + best
    return best


def _fullness(spelling: str) -> int:
    """How little of a spelling is abbreviated: its own expansion adds nothing."""
    folded = fold(spelling)
    for short in rules()["abbreviations"]:
        if short in folded and rules()["abbreviations"][short] not in folded:
            return 0
    return 1
