"""技能大赛 (skills competitions, issue 7 §2), pure, no Django.

聊茌政发〔2020〕19号 重点任务（六）: "积极开展技能大赛活动，完善“以赛促教、以赛促学”工作机制";
重点任务（十四）: "积极开展教师技能大赛和教学能力大赛"; 重点任务（十八）: "支持职业院校承办国家、
省、市技能大赛，建立全员参与的校赛制度，努力提高职业院校技能大赛水平".

The plan counts no awards and sets no points. `summarise` counts each school's awards of a
year by level (国家/省/市/区/校), grade (一/二/三等奖/优秀奖) and category (学生/教师); an
optional `PointsTable` (versioned, effective-dated; the default is 示例) turns them into
points, with the working. An award whose level and grade the table does not list scores 0 and
says so.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from gaodi.i18n import _

from .versions import EXAMPLE, ParameterError, check_version, decimal, number, record

LEVELS = ("国家", "省", "市", "区", "校")
GRADES = ("一等奖", "二等奖", "三等奖", "优秀奖")
CATEGORIES = ("学生", "教师")
PLAN = "聊茌政发〔2020〕19号"  # the reference plan; a page passes its own plan's number
CLAUSES = "重点任务（六）（十四）（十八）"


@dataclass(frozen=True)
class Award:
    """One award: `participants` is the number of students or teachers named on it."""

    school: str
    year: int
    name: str
    level: str
    grade: str
    category: str
    participants: int = 1

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ParameterError(_("级别须为国家、省、市、区或校"))
        if self.grade not in GRADES:
            raise ParameterError(_("奖项须为一等奖、二等奖、三等奖或优秀奖"))
        if self.category not in CATEGORIES:
            raise ParameterError(_("类别须为学生或教师"))
        if self.participants < 1:
            raise ParameterError(_("获奖人数须至少为 1"))


@dataclass(frozen=True)
class PointsTable:
    """Points per level and grade, versioned and effective-dated."""

    code: str
    name: str
    version: int
    effective_from: date
    points: Mapping[str, Mapping[str, Decimal]]
    source: str = EXAMPLE
    note: str = ""

    def __post_init__(self) -> None:
        check_version(self.code, self.version)
        for level, grades in self.points.items():
            if level not in LEVELS or set(grades) - set(GRADES):
                raise ParameterError(
                    _("积分表只能列国家、省、市、区、校各级的一、二、三等奖和优秀奖")
                )
            if any(value < 0 for value in grades.values()):
                raise ParameterError(_("积分不能为负数"))

    def score(self, level: str, grade: str) -> Decimal | None:
        return self.points.get(level, {}).get(grade)

    @property
    def is_example(self) -> bool:
        return EXAMPLE in self.source

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PointsTable:
        points = {
            level: {grade: decimal(v, _("积分")) for grade, v in grades.items()}
            for level, grades in data["points"].items()
        }
        return cls(
            **{
                **data,
                "points": points,
                "effective_from": date.fromisoformat(data["effective_from"]),
            }
        )


def example_points() -> PointsTable:
    """示例: 国家 30/20/10/5, 省 15/10/6/3, 市 8/5/3/1, 区 4/2/1/0, 校 2/1/0/0."""
    rows = {
        "国家": (30, 20, 10, 5),
        "省": (15, 10, 6, 3),
        "市": (8, 5, 3, 1),
        "区": (4, 2, 1, 0),
        "校": (2, 1, 0, 0),
    }
    return PointsTable(
        code="competition-points-example",
        name="技能大赛获奖积分（示例）",
        version=1,
        effective_from=date(2019, 1, 1),  # from the plan's 现有基础 year
        points={
            level: {grade: Decimal(v) for grade, v in zip(GRADES, values, strict=True)}
            for level, values in rows.items()
        },
        source=EXAMPLE,
        note="方案未规定获奖积分，本表仅用于比较各校获奖情况，可另存新版本。",
    )


@dataclass(frozen=True)
class Summary:
    """One school's awards of a year, counted, with the points (None without a table)."""

    school: str
    year: int
    awards: int
    participants: int
    by_level: tuple[tuple[str, int], ...]
    by_grade: tuple[tuple[str, int], ...]
    by_category: tuple[tuple[str, int], ...]
    points: Decimal | None
    table_code: str
    table_version: int | None
    steps: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return record(self)


def summarise(awards: Sequence[Award], table: PointsTable | None = None) -> list[Summary]:
    """Per school and year (school order as given, years ascending): counts and points."""
    schools = list(dict.fromkeys(award.school for award in awards))
    keys = sorted(
        {(award.school, award.year) for award in awards},
        key=lambda key: (schools.index(key[0]), key[1]),
    )
    return [_summary(school, year, awards, table) for school, year in keys]


def _summary(school: str, year: int, awards: Sequence[Award], table: PointsTable | None) -> Summary:
    mine = [a for a in awards if a.school == school and a.year == year]
    steps: list[str] = []
    total = Decimal(0)
    for award in mine:
        line = _("{level}级{grade}（{category}）“{name}”，{n} 人").format(
            level=award.level,
            grade=award.grade,
            category=award.category,
            name=award.name,
            n=award.participants,
        )
        if table is not None:
            points = table.score(award.level, award.grade)
            if points is None:
                line = _("{line}：积分表未列，计 0 分").format(line=line)
            else:
                total += points
                line = _("{line}：{points} 分").format(line=line, points=number(points))
        steps.append(str(line))
    if table is not None:
        steps.append(
            str(
                _("合计 {total} 分（积分表 {code} 第 {version} 版，{day} 起施行）").format(
                    total=number(total),
                    code=table.code,
                    version=table.version,
                    day=table.effective_from.isoformat(),
                )
            )
        )

    def count(attribute: str, values: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
        return tuple(
            (value, sum(1 for a in mine if getattr(a, attribute) == value)) for value in values
        )

    return Summary(
        school=school,
        year=year,
        awards=len(mine),
        participants=sum(a.participants for a in mine),
        by_level=count("level", LEVELS),
        by_grade=count("grade", GRADES),
        by_category=count("category", CATEGORIES),
        points=total if table is not None else None,
        table_code=table.code if table else "",
        table_version=table.version if table else None,
        steps=tuple(steps),
    )


def explain(found: Summary, plan: str = PLAN) -> list[str]:
    counts = "，".join(
        _("{level}级 {n} 项").format(level=level, n=n) for level, n in found.by_level if n
    )
    people = "，".join(
        _("{category} {n} 项").format(category=category, n=n)
        for category, n in found.by_category
        if n
    )
    head = _(
        "{year}年{school}获奖 {awards} 项（{counts}；{people}），获奖 {participants} 人次"
    ).format(
        year=found.year,
        school=found.school,
        awards=found.awards,
        counts=counts or "—",
        people=people or "—",
        participants=found.participants,
    )
    basis = _("依据：{plan} {clauses}").format(plan=plan, clauses=CLAUSES)
    return [str(head), *found.steps, basis]
