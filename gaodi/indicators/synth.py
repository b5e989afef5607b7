"""合成数据: a made-up province with years of realistic values for every base indicator of
the reference plan, for demos, tests and benchmarks (``gaodi synth``). Nothing in it is real.

It says so everywhere: codes start with 99 (no GB/T 2260 province has that prefix), names
start with 示例, the province is called 示例省（合成数据）, the plan's title starts with
（合成数据） and every value's source is 合成数据.

Where the indicators come from: the reference plan (聊茌政发〔2020〕19号) is imported once
more, at the synthetic province. Its copy brings indicators, data sets and validation rules of
its own, so synthetic values never mix with 茌平区's real plan: everything synthetic hangs
under the synthetic province and its plan copy. A second run reuses that copy and the org units
(idempotent: the same seed writes the same values again, and nothing is recorded as changed);
units of an earlier, bigger run that the new shape does not have keep their values.

How a school is made up (deterministic: the school's own random generator is seeded with the
seed and the school's code, so a school's values do not depend on how many others there are):

- every 10th school is a 高职院校, the others are 中职学校; enrolment is 1,200–5,000 (中职)
  or 5,000–15,000 (高职); teachers are enrolment ÷ 15–19 at first (a little more later: a
  school gains students by the dozen, teachers one at a time); 专业课教师 are 55–75 % of them
  and 双师型 60–92 % of those; every other quantity is a share or a multiple of one of these;
- every quantity is a line ``start + steps × step`` where ``step`` is the school's growth rate
  (0.4–2 % per step) of ``start``, rounded down, and ``steps`` counts the school's growth
  steps so far (1–5 a year, 0 in the first year). A part's start is rounded down from its
  whole's, and so is its step, so a part never exceeds its whole in any year (其中 ≤ 总数,
  双师型 ≤ 专业课教师 ≤ 专任教师);
- from the third year on, a year's steps lie between the fewest and the most of the last four
  years, so no year-on-year change is an outlier (the z-score of a change among at most four
  earlier ones whose range it lies in stays below 2) and no year leaves the earlier range by
  more than 10 %.

Simplifications, said plainly: every school fills in every base indicator of every data set
(0 where it does not apply: a 中职学校 reports 0 高职 students); 普通高中招生数 is the 普通高中
intake of the school's catchment (1.2–2 times its own intake), so that 职普比 means something
at every level; all of a school's quantities grow in step.
"""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from itertools import accumulate

from django.db import connection, transaction

from gaodi.i18n import _
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor, ensure_org_unit
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

from .collection import store_values
from .models import DataSet, DataValue

PROVINCE_CODE = "990000"
PROVINCE_NAME = "示例省（合成数据）"
LABEL = "（合成数据）"
SOURCE = "合成数据"
UNITS_PER_CALL = 50  # schools per store_values call: its checks grow with units × values
HIGHER_EVERY = 10  # every 10th school (the 5th, 15th, …) is a 高职院校

CITY_STEMS = "东岳 西河 南湖 北原 青山 临川 安平 宁远 长丰 泰和 永昌 新安 广济 崇文 兴隆 清源"
NUMERALS = "一二三四五六七八九十"


class SynthError(ValueError):
    """The generator and the plan's indicators do not match; the message is Chinese."""


@dataclass(frozen=True)
class Shape:
    """How big the synthetic province is."""

    cities: int
    counties: int
    schools: int


SCALES = {"district": Shape(1, 1, 5), "province": Shape(16, 136, 450)}


@dataclass(frozen=True)
class Place:
    """One org unit of the synthetic tree; ``higher`` marks a 高职院校."""

    code: str
    name: str
    kind: str
    parent_code: str | None
    higher: bool = False


def parse_years(text: str) -> list[int]:
    """``2019-2022`` -> [2019, 2020, 2021, 2022]; ``2021`` -> [2021]."""
    first, _sep, last = text.replace("—", "-").partition("-")
    try:
        start, end = int(first), int(last or first)
    except ValueError:
        raise ValueError(_("年份“{text}”写法不对，应形如 2019-2022").format(text=text)) from None
    if not 1990 <= start <= end <= 2100:
        raise ValueError(_("年份“{text}”不在 1990—2100 之间或先后颠倒").format(text=text))
    return list(range(start, end + 1))


def places(shape: Shape) -> list[Place]:
    """The synthetic tree, parents first: counties and schools spread as evenly as possible."""
    stems = CITY_STEMS.split()
    if not 1 <= shape.cities <= len(stems) or not shape.cities <= shape.counties:
        raise ValueError("市的数量应为 1—16，且县（区）不少于市")
    if shape.counties > shape.cities * len(NUMERALS) or shape.schools < shape.counties:
        raise ValueError("每市最多 10 个县（区），每个县（区）至少 1 所学校")
    made = [Place(PROVINCE_CODE, PROVINCE_NAME, "province", None)]
    counties: list[Place] = []
    for c, (stem, n_counties) in enumerate(
        zip(stems, _spread(shape.counties, shape.cities), strict=False)
    ):
        city = Place(f"99{c + 1:02d}00", f"示例{stem}市", "city", PROVINCE_CODE)
        made.append(city)
        counties += [
            Place(f"99{c + 1:02d}{k + 1:02d}", f"示例{stem}{NUMERALS[k]}县", "county", city.code)
            for k in range(n_counties)
        ]
    made += counties
    index = 0
    for county, n_schools in zip(counties, _spread(shape.schools, len(counties)), strict=True):
        for k in range(1, n_schools + 1):
            higher = index % HIGHER_EVERY == HIGHER_EVERY // 2 - 1
            kind_name = f"职业技术学院{k}" if higher else f"第{k}职业中专"
            made.append(
                Place(
                    f"{county.code}{k:03d}", county.name + kind_name, "school", county.code, higher
                )
            )
            index += 1
    return made


def _spread(total: int, over: int) -> list[int]:
    """``total`` items over ``over`` bins, the first bins one more: 136 over 16 -> 9×8, 8×8."""
    return [total // over + (1 if k < total % over else 0) for k in range(over)]


# The values of one school ------------------------------------------------------------

COUNT, MONEY = Decimal(1), Decimal("0.01")  # 人/所/个/人日 are whole; 万元 to 0.01


@dataclass(frozen=True)
class Line:
    """A quantity of one school over the years: ``start + steps × step``."""

    start: Decimal
    step: Decimal

    def at(self, steps: int) -> Decimal:
        return self.start + steps * self.step


@dataclass
class _Maker:
    """Lines of one school: its random generator and growth rate, shared by all its lines."""

    rng: random.Random
    growth: Decimal

    def line(self, start: float | Decimal, places: Decimal = COUNT) -> Line:
        begun = Decimal(str(start)).quantize(places, ROUND_DOWN)
        # A line that starts at 0 stays at 0: growing from nothing would be an outlier.
        return Line(begun, (begun * self.growth).quantize(places, ROUND_DOWN))

    def share(self, whole: Line, low: float, high: float, places: Decimal = COUNT) -> Line:
        """A part (low, high <= 1) or a multiple of a whole; start and step rounded down."""
        return self.line(whole.start * self._between(low, high), places)

    def maybe(self, probability: float) -> int:
        return 1 if self.rng.random() < probability else 0

    def _between(self, low: float, high: float) -> Decimal:
        return Decimal(str(round(self.rng.uniform(low, high), 4)))


def growth_steps(rng: random.Random, years: int) -> list[int]:
    """A school's growth steps so far in each year: 0, then 1–5 more a year; from the third
    year on, between the fewest and the most of the last four years (no z-score outlier)."""
    increments: list[int] = []
    for _year in range(years - 1):
        recent = increments[-4:]
        low, high = (min(recent), max(recent)) if len(recent) >= 2 else (1, 5)
        increments.append(rng.randint(low, high))
    return list(accumulate([0, *increments]))


def school_values(
    code: str, *, higher: bool, seed: int, years: list[int]
) -> dict[int, dict[str, Decimal]]:
    """year -> indicator code -> value for one school; the same for the same arguments."""
    rng = random.Random(f"{seed}/{code}")
    make = _Maker(rng, Decimal(rng.randint(4, 20)) / 1000)
    steps = growth_steps(rng, len(years))
    lines = _lines(make, higher)
    return {
        year: {c: line.at(k) for c, line in lines.items()}
        for year, k in zip(years, steps, strict=True)
    }


def _lines(make: _Maker, higher: bool) -> dict[str, Line]:
    students = make.line(make.rng.uniform(5000, 15000) if higher else make.rng.uniform(1200, 5000))
    teachers = make.share(students, 1 / 19, 1 / 15)
    return {
        **_scale(make, students, higher),
        **_majors(make, students),
        **_teachers(make, students, teachers, higher),
        **_training_bases(make, students),
        **_funding(make, students, higher),
        **_training(make, students),
    }


def _scale(make: _Maker, students: Line, higher: bool) -> dict[str, Line]:
    """规模与布局: a 中职学校 counts itself once (of its kind); 校均 (i005) is computed from
    在校生数 and 学校数量, so the value given here is not stored."""
    zero, one = make.line(0), make.line(1)
    if higher:
        return {
            **dict.fromkeys(["i001v", "i001g", "i002", "i003", "i004", "i005", "i006"], zero),
            "i007": one,
            "i008": students,
            "i009": make.share(students, 0.08, 0.15),
        }
    intake = make.share(students, 0.30, 0.38)
    return {
        "i001v": intake,
        "i001g": make.share(intake, 1.2, 2.0),
        "i002": one,
        "i003": make.line(make.maybe(0.5)),
        "i004": make.line(make.maybe(0.3)),
        "i005": students,
        "i006": make.line(make.maybe(0.4)),
        **dict.fromkeys(["i007", "i008", "i009"], zero),
    }


def _majors(make: _Maker, students: Line) -> dict[str, Line]:
    """专业布局: 3–5 of the 12 industries, 70–90 % of the students in their programmes."""
    chosen = make.rng.sample(range(12), make.rng.randint(3, 5))
    weights = [make.rng.uniform(1, 3) for _chosen in chosen]
    covered = make.rng.uniform(0.70, 0.90)
    lines: dict[str, Line] = {}
    for k in range(12):
        points, learners = f"i{10 + 2 * k:03d}", f"i{11 + 2 * k:03d}"
        if k in chosen:
            share = covered * weights[chosen.index(k)] / sum(weights)
            lines[points] = make.line(make.rng.randint(1, 4))
            lines[learners] = make.share(students, share, share)
        else:
            lines[points] = lines[learners] = make.line(0)
    return lines


def _teachers(make: _Maker, students: Line, teachers: Line, higher: bool) -> dict[str, Line]:
    """师资队伍: 双师型 ≤ 专业课教师 ≤ 专任教师, at the school's level; 0 at the other."""
    specialty = make.share(teachers, 0.55, 0.75)
    dual = make.share(specialty, 0.60, 0.92)
    recruits = make.share(teachers, 0.03, 0.08)
    mine = {"n": students, "d": teachers, "dual": dual, "specialty": specialty}
    none = dict.fromkeys(mine, make.line(0))
    secondary, tertiary = (none, mine) if higher else (mine, none)
    return {
        "i034": recruits,
        "i035": make.share(recruits, 0.3, 0.8),
        "i036": make.share(recruits, 0.1, 0.5),
        "i037n": secondary["n"],
        "i037d": secondary["d"],
        "i038n": tertiary["n"],
        "i038d": tertiary["d"],
        "i039n": secondary["dual"],
        "i039d": secondary["specialty"],
        "i040n": tertiary["dual"],
        "i040d": tertiary["specialty"],
        "i041": make.share(teachers, 0.04, 0.12),
    }


def _training_bases(make: _Maker, students: Line) -> dict[str, Line]:
    """实训基地: bases, 0.3–0.6 work places and 0.3–1.2 万元 of equipment per student."""
    return {
        "i042": make.line(make.rng.randint(0, 2)),
        "i043": make.line(make.rng.randint(3, 12)),
        "i044": make.share(students, 0.3, 0.6),
        "i046": make.share(students, 0.3, 1.2, MONEY),
    }


def _funding(make: _Maker, students: Line, higher: bool) -> dict[str, Line]:
    """经费投入 (万元): 0.8–2 万元 per student from the budget, its parts within the total."""
    zero = make.line(0, MONEY)
    own = make.share(students, 1.2, 2.0, MONEY) if higher else make.share(students, 0.8, 1.6, MONEY)
    total = make.share(own, 1.1, 1.3, MONEY)
    social = make.share(students, 0.01, 0.05, MONEY)
    per_student = make.line(
        make.rng.uniform(1.0, 1.5) if higher else make.rng.uniform(0.3, 0.6), MONEY
    )
    return {
        "i048": total,
        "i049": make.share(total, 0.03, 0.10, MONEY),
        "i050": make.share(total, 0.05, 0.20, MONEY),
        "i051": make.share(total, 0.1, 0.3, MONEY) if make.maybe(0.2) else zero,
        "i052": zero if higher else social,
        "i053": social if higher else zero,
        "i054": zero if higher else own,
        "i055": own if higher else zero,
        "i056": zero if higher else per_student,
        "i057": per_student if higher else zero,
    }


def _training(make: _Maker, students: Line) -> dict[str, Line]:
    """社会培训: 1.5–4 人日 per student, 30–70 % of it subsidised, 80–200 元 per 人日."""
    days = make.share(students, 1.5, 4.0)
    subsidised = make.share(days, 0.3, 0.7)
    return {
        "i058": days,
        "i060": subsidised,
        "i061": make.share(days, 0.008, 0.02, MONEY),
        "i062": make.share(subsidised, 0.5, 0.9),
    }


# Writing it ----------------------------------------------------------------------------


@dataclass
class Generated:
    """What one run made: the province, its plan copy, counts, warnings and time taken."""

    province: OrgUnit
    plan: Plan
    shape: Shape
    higher_schools: int
    years: list[int]
    data_sets: int = 0
    base_indicators: int = 0
    values: int = 0
    warnings: int = 0
    seconds: float = 0.0

    @property
    def values_per_second(self) -> float:
        return self.values / self.seconds if self.seconds else 0.0


def synthesize(shape: Shape, *, seed: int, years: list[int], actor: Actor = None) -> Generated:
    """Build (or reuse) the synthetic tree and plan, then write every school's values for
    every year through ``store_values`` (all validation included, windows not checked):
    all or nothing, in one transaction."""
    made = _synthesize(shape, seed=seed, years=years, actor=actor)
    if connection.vendor == "postgresql":
        # A bulk load: give the planner its statistics now, not when autovacuum gets to it
        # (with none, PostgreSQL rolls the new values up by nested loops, ten times slower).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {DataValue._meta.db_table}, {OrgUnit._meta.db_table}")
    return made


def _synthesize(shape: Shape, *, seed: int, years: list[int], actor: Actor) -> Generated:
    with transaction.atomic():
        tree = places(shape)
        units = _ensure_tree(tree, actor)
        plan = synthetic_plan(units[PROVINCE_CODE], actor)
        data_sets = list(DataSet.objects.filter(plan=plan).prefetch_related("indicators"))
        codes = {ds.pk: [i.code for i in ds.indicators.all() if not i.formula] for ds in data_sets}
        schools = [p for p in tree if p.kind == "school"]
        made = Generated(
            province=units[PROVINCE_CODE],
            plan=plan,
            shape=shape,
            higher_schools=sum(p.higher for p in schools),
            years=years,
            data_sets=len(data_sets),
            base_indicators=sum(len(c) for c in codes.values()),
        )
        started = time.perf_counter()
        values = {
            units[p.code].pk: school_values(p.code, higher=p.higher, seed=seed, years=years)
            for p in schools
        }
        _check_codes(values, codes)
        for year in years:  # in order: each year's outlier rules see the years before
            for data_set in data_sets:
                _store(made, data_set, year, values, codes[data_set.pk], actor)
        made.seconds = time.perf_counter() - started
        return made


def _store(
    made: Generated,
    data_set: DataSet,
    year: int,
    values: dict[int, dict[int, dict[str, Decimal]]],
    codes: list[str],
    actor: Actor,
) -> None:
    """One data set's values of one year, a chunk of schools per ``store_values`` call."""
    for chunk in _chunks(list(values), UNITS_PER_CALL):
        stored = store_values(
            data_set,
            str(year),
            {unit: {c: values[unit][year][c] for c in codes} for unit in chunk},
            actor=actor,
            source=SOURCE,
            check_window=False,
        )
        made.values += stored.values
        made.warnings += len(stored.warnings)


def synthetic_plan(province: OrgUnit, actor: Actor) -> Plan:
    """The reference plan's copy at the synthetic province: reused if there, else imported."""
    found = Plan.objects.filter(org_unit=province).order_by("-version").first()
    if found is not None:
        return found
    draft = parse_path(example_plan_path())
    labelled = dataclasses.replace(
        draft, document=dataclasses.replace(draft.document, title=LABEL + draft.document.title)
    )
    return import_plan(labelled, actor=actor, org_unit=province)


def _ensure_tree(tree: list[Place], actor: Actor) -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for place in tree:
        parent = units[place.parent_code] if place.parent_code else None
        units[place.code] = ensure_org_unit(place.code, place.name, place.kind, parent, actor=actor)
    return units


def _check_codes(
    values: dict[int, dict[int, dict[str, Decimal]]], codes: dict[int, list[str]]
) -> None:
    """Fail with a Chinese message if the plan asks for an indicator the model does not make."""
    sample = next(iter(next(iter(values.values())).values()), {})
    missing = sorted({c for cs in codes.values() for c in cs} - set(sample))
    if missing:
        raise SynthError(
            "合成数据生成器不认识这些基础指标（参考方案的指标表变了？）：" + "、".join(missing)
        )


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
