"""合成数据 at national shape (``gaodi synth --scale nation``): a made-up nation of 31
province-level units, 333 cities, 2,850 counties and 11,400 vocational schools, with four
years of every base indicator of the reference plan for every school — about 2.9 million
values, written in bulk. Nothing in it is real.

Codes (GB/T 2260 style, six digits ``PPCCDD``, a school its county's code and three digits):

- the nation's root is ``000000`` 示例国（合成数据） (no GB/T 2260 code starts with 00);
- a province takes a two-digit prefix that GB/T 2260 does not assign: the 31 numbers from
  60 to 98 other than 61–65, 71, 81 and 82 (the real prefixes are 11–15, 21–23, 31–37,
  41–46, 50–54, 61–65, 71, 81, 82; 99 stays the one-province synthetic set's, ``synth.py``),
  so ``600000`` 示例甲省, ``660000`` 示例乙省 … ``980000``;
- cities ``PPCC00`` and counties ``PPCCDD`` count from 01 as GB/T 2260 does; schools
  ``PPCCDDnnn``. Names start with 示例 and carry the province's stem (甲, 乙, … 子, 丑, …).

The root is stored with kind ``nation`` (全国); it only holds the plan and the tree. Roll up
the nation by its children (``rollup.data_set_by_children``). Every row written carries its
province as ``root`` (orgs.roots, docs/scaling.md).

The plan: the reference plan is imported once, at the root (title starting 合成数据, as in
``synth.py``), and every school reports on that copy, so that a county, a province and the
nation roll up the same indicators. ``province_plans=True`` also imports a copy at every
province (the plan-copy approach of ``synth.synthetic_plan``), as a province would hold its
own plan document; no values are reported on those copies.

Values: each school's are ``synth.school_values`` (the same per-school model and seed rule:
``random.Random(f"{seed}/{code}")``), checked against every validation rule of its data
set with the years before it as history (a blocking violation stops the run, nothing is
written), then written as ``store_values`` would write them, in bulk, in one transaction:

- ``DataValue`` rows: status 填报中 (draft), source 合成数据, entered_by the actor, one
  entered_at for the run; SQLite gets whole numbers as INTEGER and fractions as text with six
  places (``value_writes._db_number``), PostgreSQL gets NUMERIC through COPY;
- one ``Submission`` (填报中, no level approved) per school, data set and year;
- one ``ChangeRecord`` per submission, with the same action, object, after (every value as
  text plus ``source``) and summary (“… 合成数据填报 n 项”) as ``store_values`` records;
- one ``ChangeRecord`` per org unit created, as ``ensure_org_unit`` records;
- the roll-up's live totals (``UnitTotal``, ``totals.py``) rebuilt once at the end of the bulk
  load, level by level (``totals.rebuild``); later writes keep them by deltas.

SQLite: ``executemany`` of plain tuples, rows in the unique index's order; PostgreSQL: COPY.
Not idempotent: the nation is generated once into a database that does not have it yet (a
second run is refused with a Chinese message; delete the database to start again). Use
``synth.synthesize`` for the small, idempotent district and province sets.

Rate (the command's last line prints it), measured 2026-11-29 on the 2-core development
machine while other helpers' test suites and benchmarks ran (load 4–9, this process getting
20–30 % of a core): the whole nation, 2,872,800 values with 273,600 submissions and change
records, took 260–300 s on SQLite (9,500–11,000 values/s; 70 s of CPU: about 41,000
values/s of CPU) and 377 s on PostgreSQL 15 (7,600 values/s, COPY); a quarter of the nation
(718,200 values) took 34 s on PostgreSQL with the machine quieter (21,000 values/s). The
command with the 1 % extras: 370 s on SQLite (83 s of CPU). Where the time goes: the
validation rules' outlier statistics (Fractions: why the warning rules run on every 20th
school only; the blocking rules run on every school), the per-school model, the inserts.
"""

from __future__ import annotations

import dataclasses
import json
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection, transaction
from django.utils import timezone

from gaodi.audit.context import current_request_id
from gaodi.audit.models import ChangeRecord
from gaodi.audit.services import record_changes
from gaodi.i18n import _
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan

from . import totals
from .collection import _text, rules_of
from .models import DataSet, DataValue, Submission, UnitTotal
from .synth import HIGHER_EVERY, LABEL, SOURCE, SynthError, _spread, school_values, synthetic_plan
from .validation import BLOCKING, check
from .value_writes import _db_number

ROOT_CODE = "000000"
ROOT_NAME = "示例国（合成数据）"
REAL_PREFIXES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55)]
    + [*range(61, 66), 71, 81, 82]
)
PREFIXES = [p for p in range(60, 99) if p not in REAL_PREFIXES]  # 31 of them
STEMS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥乾坤震巽坎离艮兑元"
CITY_STEMS = "东岳 西河 南湖 北原 青山 临川 安平 宁远 长丰 泰和 永昌 新安 广济 崇文 兴隆 清源"
NUMERALS = "一二三四五六七八九十"
WARNINGS_EVERY = 20  # the warning (outlier) rules run on every 20th school: see below
SCHOOLS_PER_BATCH = 500  # schools whose values are made, checked and written at a time


@dataclass(frozen=True)
class NationShape:
    """How big the synthetic nation is (totals, spread as evenly as possible)."""

    provinces: int = 31
    cities: int = 333
    counties: int = 2850
    schools: int = 11400


NATION = NationShape()


@dataclass(frozen=True)
class Unit:
    """One org unit of the synthetic nation; ``higher`` marks a 高职院校."""

    code: str
    name: str
    kind: str
    parent_code: str | None
    higher: bool = False
    index: int = 0  # a school's place in the nation's list of schools


def nation_places(shape: NationShape) -> list[Unit]:
    """The synthetic nation, parents first (root, provinces, cities, counties, schools)."""
    if not 1 <= shape.provinces <= len(PREFIXES):
        raise ValueError(_("省级单位的数量应为 1—{n}").format(n=len(PREFIXES)))
    if not shape.provinces <= shape.cities <= shape.counties <= shape.schools:
        raise ValueError(_("省、市、县（区）、学校的数量应逐级不减"))
    if shape.cities > shape.provinces * 99 or shape.counties > shape.cities * 99:
        raise ValueError(_("每省最多 99 个市，每市最多 99 个县（区）"))
    if shape.schools > shape.counties * 999:
        raise ValueError(_("每个县（区）最多 999 所学校"))
    root = Unit(ROOT_CODE, ROOT_NAME, OrgKind.NATION, None)
    provinces = [
        Unit(f"{PREFIXES[p]}0000", f"示例{STEMS[p]}省", OrgKind.PROVINCE, ROOT_CODE)
        for p in range(shape.provinces)
    ]
    cities: list[Unit] = []
    for province, n in zip(provinces, _spread(shape.cities, shape.provinces), strict=True):
        stem = province.name[2:-1]
        cities += [
            Unit(
                f"{province.code[:2]}{c + 1:02d}00",
                f"示例{stem}{_city_stem(c)}市",
                OrgKind.CITY,
                province.code,
            )
            for c in range(n)
        ]
    counties: list[Unit] = []
    for city, n in zip(cities, _spread(shape.counties, len(cities)), strict=True):
        counties += [
            Unit(
                f"{city.code[:4]}{k + 1:02d}",
                f"{city.name[:-1]}{_numeral(k)}县",
                "county",
                city.code,
            )
            for k in range(n)
        ]
    schools: list[Unit] = []
    for county, n in zip(counties, _spread(shape.schools, len(counties)), strict=True):
        for k in range(1, n + 1):
            higher = len(schools) % HIGHER_EVERY == HIGHER_EVERY // 2 - 1
            kind_name = f"职业技术学院{k}" if higher else f"第{k}职业中专"
            schools.append(
                Unit(
                    f"{county.code}{k:03d}",
                    county.name + kind_name,
                    "school",
                    county.code,
                    higher,
                    len(schools),
                )
            )
    return [root, *provinces, *cities, *counties, *schools]


def _city_stem(c: int) -> str:
    stems = CITY_STEMS.split()
    return stems[c] if c < len(stems) else f"{stems[c % len(stems)]}{c // len(stems) + 1}"


def _numeral(k: int) -> str:
    return NUMERALS[k] if k < len(NUMERALS) else str(k + 1)


@dataclass
class NationGenerated:
    """What one run made: counts, warnings and time taken (values written per second)."""

    root: OrgUnit
    plan: Plan
    shape: NationShape
    higher_schools: int
    years: list[int]
    data_sets: int = 0
    base_indicators: int = 0
    values: int = 0
    submissions: int = 0
    change_records: int = 0
    warnings: int = 0
    province_plans: int = 0
    seconds: float = 0.0
    values_seconds: float = 0.0
    unit_totals: int = 0
    totals_seconds: float = 0.0
    extras: dict[str, int] = dataclasses.field(default_factory=dict)

    @property
    def values_per_second(self) -> float:
        """Values written per second of the whole run (tree, plan, checks, writes)."""
        return self.values / self.seconds if self.seconds else 0.0


def synthesize_nation(
    shape: NationShape = NATION,
    *,
    seed: int,
    years: list[int],
    actor: Actor = None,
    province_plans: bool = False,
    extras: bool = True,
) -> NationGenerated:
    """Generate the synthetic nation in one transaction (all or nothing); see the module
    docstring. ``extras`` adds the ~1 % samples of specialties, training and credits."""
    started = time.perf_counter()
    with transaction.atomic():
        if OrgUnit.objects.filter(code=ROOT_CODE).exists():
            raise SynthError(
                _("合成全国数据（{code}）已存在：全国规模只生成一次，请换一个新数据库").format(
                    code=ROOT_CODE
                )
            )
        tree = nation_places(shape)
        units = _create_units(tree, actor)
        root = units[ROOT_CODE]
        plan = synthetic_plan(root, actor)
        made = NationGenerated(
            root=root,
            plan=plan,
            shape=shape,
            higher_schools=sum(u.higher for u in tree),
            years=years,
        )
        if province_plans:
            for unit in tree:
                if unit.parent_code == ROOT_CODE:
                    synthetic_plan(units[unit.code], actor)
                    made.province_plans += 1
        values_started = time.perf_counter()
        _write_values(made, [u for u in tree if u.kind == "school"], units, seed, actor)
        made.values_seconds = time.perf_counter() - values_started
        # The roll-up's live totals (totals.py), once for the whole bulk load: generation,
        # not a nightly rebuild; every later write keeps them by deltas.
        totals_started = time.perf_counter()
        made.unit_totals = totals.rebuild()
        made.totals_seconds = time.perf_counter() - totals_started
        if extras:
            from .synth_extras import synthesize_extras

            made.extras = synthesize_extras(
                tree, units, plan=plan, seed=seed, years=years, actor=actor
            )
    if connection.vendor == "postgresql":
        # Statistics now, as synth.synthesize does, and the visibility map that lets the
        # roll-up read its covering index alone (an index-only scan: 55 instead of 69 ms for
        # a quarter of the nation), as autovacuum would after so many inserts. VACUUM cannot
        # run inside a transaction: there, ANALYZE only.
        vacuum = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            cursor.execute(
                f"{vacuum} {DataValue._meta.db_table}, {OrgUnit._meta.db_table},"
                f" {UnitTotal._meta.db_table}"
            )
    made.seconds = time.perf_counter() - started
    return made


def _create_units(tree: list[Unit], actor: Actor) -> dict[str, OrgUnit]:
    """Every org unit, level by level (a level's parents have their ids), and one change
    record for each, as ``ensure_org_unit`` records."""
    units: dict[str, OrgUnit] = {}
    for kinds in _levels(tree):
        made = OrgUnit.objects.bulk_create(
            [
                OrgUnit(
                    code=u.code,
                    name=u.name,
                    kind=u.kind,
                    parent=units[u.parent_code] if u.parent_code else None,
                )
                for u in kinds
            ],
            batch_size=2000,
        )
        units.update((unit.code, unit) for unit in made)
    record_changes(
        [
            (units[u.code], "create", None, {"code": u.code, "name": u.name, "kind": u.kind}, "")
            for u in tree
        ],
        actor=actor,
    )
    return units


def _roots(units: dict[str, OrgUnit]) -> dict[int, int]:
    """Each unit's root (its province; the nation its own), from the tree in memory."""
    by_pk = {u.pk: u for u in units.values()}
    roots: dict[int, int] = {}
    for unit in by_pk.values():
        top = unit
        while top.parent_id is not None and by_pk[top.parent_id].kind != OrgKind.NATION:
            top = by_pk[top.parent_id]
        roots[unit.pk] = top.pk
    return roots


def _levels(tree: list[Unit]) -> Iterator[list[Unit]]:
    depth: dict[str, int] = {}
    levels: dict[int, list[Unit]] = {}
    for unit in tree:
        depth[unit.code] = depth[unit.parent_code] + 1 if unit.parent_code else 0
        levels.setdefault(depth[unit.code], []).append(unit)
    for level in sorted(levels):
        yield levels[level]


def _write_values(
    made: NationGenerated,
    schools: list[Unit],
    units: dict[str, OrgUnit],
    seed: int,
    actor: Actor,
) -> None:
    data_sets = list(DataSet.objects.filter(plan=made.plan).prefetch_related("indicators", "rules"))
    forms = [_Form.of(ds) for ds in data_sets]
    made.data_sets = len(forms)
    made.base_indicators = sum(len(f.codes) for f in forms)
    user = actor if isinstance(actor, AbstractBaseUser) else None
    now = timezone.now()
    writer = _Writer(user, now, {u.pk: u.name for u in units.values()}, _roots(units))
    periods = [str(y) for y in made.years]
    for batch in _batches(schools, SCHOOLS_PER_BATCH):
        values = {
            s.code: school_values(s.code, higher=s.higher, seed=seed, years=made.years)
            for s in batch
        }
        _check_model(values, forms)
        rows: list[tuple[Any, ...]] = []
        submissions: list[tuple[Any, ...]] = []
        afters: dict[tuple[int, int, str], tuple[dict[str, str], str]] = {}
        for form in forms:
            for school in batch:
                unit = units[school.code]
                by_year = values[school.code]
                history: dict[str, list[Decimal]] = {c: [] for c in form.codes}
                for year, period in zip(made.years, periods, strict=True):
                    mine = {c: by_year[year][c] for c in form.codes}
                    rules = form.rules if school.index % WARNINGS_EVERY == 0 else form.blocking
                    for violation in check(rules, mine, history, form.names):
                        if violation.blocking:
                            raise SynthError(
                                _("合成数据未通过阻止性校验（{unit} {period}）：{why}").format(
                                    unit=unit.name, period=period, why=violation.message
                                )
                            )
                        made.warnings += 1
                    for code, value in mine.items():
                        history[code] = [*history[code][-4:], value]
                        rows.append((form.ids[code], unit.pk, period, value))
                    submissions.append((form.data_set.pk, unit.pk, period))
                    afters[(form.data_set.pk, unit.pk, period)] = (
                        {**{c: _text(v) for c, v in mine.items()}, "source": SOURCE},
                        _("{unit} {data_set} {period}：{source}填报 {n} 项").format(
                            unit=unit.name,
                            data_set=form.data_set.name,
                            period=period,
                            source=SOURCE,
                            n=len(mine),
                        ),
                    )
        made.values += writer.values(rows)
        made.submissions += len(submissions)
        made.change_records += writer.submissions(submissions, afters, forms)


@dataclass(frozen=True)
class _Form:
    """A data set as the generator needs it: its base codes, their ids, names and rules."""

    data_set: DataSet
    codes: list[str]
    ids: dict[str, int]
    names: dict[str, str]
    rules: list[Any]
    blocking: list[Any]

    @classmethod
    def of(cls, data_set: DataSet) -> _Form:
        indicators = list(data_set.indicators.all())
        codes = [i.code for i in indicators if not i.formula]
        rules = rules_of(data_set)
        return cls(
            data_set,
            codes,
            {i.code: i.pk for i in indicators},
            {i.code: i.name for i in indicators},
            rules,
            [r for r in rules if r.severity == BLOCKING],
        )


def _check_model(values: dict[str, dict[int, dict[str, Decimal]]], forms: list[_Form]) -> None:
    sample = next(iter(next(iter(values.values())).values()))
    missing = sorted({c for f in forms for c in f.codes} - set(sample))
    if missing:
        raise SynthError(
            _("合成数据生成器不认识这些基础指标（参考方案的指标表变了？）：{codes}").format(
                codes="、".join(missing)
            )
        )


def _batches(items: Sequence[Unit], size: int) -> Iterator[Sequence[Unit]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Writer:
    """Plain rows into the tables, as fast as each database takes them."""

    def __init__(
        self,
        user: AbstractBaseUser | None,
        now: Any,
        unit_names: dict[int, str],
        roots: dict[int, int],
    ) -> None:
        self.unit_names = unit_names
        self.roots = roots
        self.user_id = user.pk if user else None
        self.actor_name = user.get_username() if user else str(_("系统"))
        self.now = now
        self.postgresql = connection.vendor == "postgresql"
        self.stamp = now if self.postgresql else connection.ops.adapt_datetimefield_value(now)
        self.request_id = current_request_id()

    def values(self, rows: list[tuple[int, int, str, Decimal]]) -> int:
        rows.sort(key=lambda r: (r[0], r[1], r[2]))  # the unique index's order
        draft = DataValue.Status.DRAFT.value
        number = (lambda v: v) if self.postgresql else _db_number
        columns = "indicator_id org_unit_id period disaggregation value status"
        columns += " entered_by_id entered_at source root_id"
        roots = self.roots
        _insert(
            DataValue._meta.db_table,
            columns.split(),
            (
                (i, u, p, "", number(v), draft, self.user_id, self.stamp, SOURCE, roots[u])
                for i, u, p, v in rows
            ),
            self.postgresql,
        )
        return len(rows)

    def submissions(
        self,
        keys: list[tuple[int, int, str]],
        afters: dict[tuple[int, int, str], tuple[dict[str, str], str]],
        forms: list[_Form],
    ) -> int:
        draft = Submission.Status.DRAFT.value
        _insert(
            Submission._meta.db_table,
            [
                "data_set_id",
                "org_unit_id",
                "period",
                "status",
                "approved_levels",
                "comment",
                "updated_at",
                "updated_by_id",
                "root_id",
            ],
            ((d, u, p, draft, 0, "", self.stamp, self.user_id, self.roots[u]) for d, u, p in keys),
            self.postgresql,
        )
        unit_ids = sorted({u for _d, u, _p in keys})
        pks = {
            (d, u, p): pk
            for pk, d, u, p in Submission.objects.filter(
                data_set__in=[f.data_set for f in forms], org_unit_id__in=unit_ids
            ).values_list("pk", "data_set_id", "org_unit_id", "period")
        }
        names = {f.data_set.pk: f.data_set.name for f in forms}
        object_type = Submission._meta.label_lower
        rows = []
        for key in keys:
            after, summary = afters[key]
            d, u, p = key
            name = self.unit_names[u]
            rows.append(
                (
                    self.stamp,
                    self.user_id,
                    self.actor_name,
                    "create",
                    object_type,
                    str(pks[key]),
                    f"{names[d]} {name} {p}"[:300],
                    summary[:500],
                    None,
                    json.dumps(after),
                    self.request_id,
                    self.roots[u],
                )
            )
        _insert(
            ChangeRecord._meta.db_table,
            [
                "time",
                "actor_id",
                "actor_name",
                "action",
                "object_type",
                "object_id",
                "object_repr",
                "summary",
                "before",
                "after",
                "request_id",
                "root_id",
            ],
            rows,
            self.postgresql,
        )
        return len(rows)


def _insert(
    table: str, columns: list[str], rows: Iterable[tuple[Any, ...]], postgresql: bool
) -> None:
    """Rows into a table: COPY on PostgreSQL, one prepared executemany on SQLite."""
    quoted = connection.ops.quote_name(table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if postgresql:
            with cursor.cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {quoted} ({names}) VALUES ({marks})", rows)


def seeded(seed: int, *parts: object) -> random.Random:
    """A random generator for one thing of the synthetic nation, from the seed and its name."""
    return random.Random("/".join([str(seed), *map(str, parts)]))


__all__ = [
    "LABEL",
    "NATION",
    "NationGenerated",
    "NationShape",
    "Unit",
    "nation_places",
    "seeded",
    "synthesize_nation",
]
