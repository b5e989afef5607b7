"""督导报告 (issue 5): what a supervision report says, as plain data (pure: no Django).

`report_build.build_report` fills a `SupervisionReport` from the database; the renderers
(report_docx, report_pdf, report_xlsx) turn it into bytes; publishing stores its JSON
(`to_json`) so that a published report is shown and re-rendered exactly as it was issued.
Every figure is a string or an int already formatted for print, so that every rendering says
the same thing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

GREEN = "green"
AMBER = "amber"
RED = "red"
GREY = "grey"
COLOUR_NAMES = {GREEN: "绿灯", AMBER: "黄灯", RED: "红灯", GREY: "未开始"}


@dataclass(frozen=True)
class Headline:
    """A headline figure: 任务总数 23, 按时报送率 87.5% ..."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class DepartmentRow:
    """Progress by department: the lead tasks and their lights, the reports due and on time."""

    department: str
    tasks: int
    green: int
    amber: int
    red: int
    done: int  # lead tasks reported 已完成 and accepted
    reports_due: int
    reports_on_time: int
    on_time_rate: str  # "87.5%" or "—"
    percent: int | None = None  # mean reported percent of its lead tasks, for the chart


@dataclass(frozen=True)
class LightRow:
    """A task whose light is red or amber, with its reasons (the 三色督办 list)."""

    task: str  # 重点任务（十四）
    title: str
    colour: str  # GREEN / AMBER / RED / GREY
    reasons: str
    lead: str


@dataclass(frozen=True)
class OverdueRow:
    """Something late as of the report's day: a progress report, a deadline, a rectification."""

    kind: str  # 进展报告 / 任务时限 / 督查整改
    task: str
    department: str
    due_on: str  # 2021-04-10
    days: int  # days late
    note: str = ""


@dataclass(frozen=True)
class ReturnedRow:
    """A report the inspector returned in the period, and whether it was resubmitted."""

    task: str
    department: str
    period: str
    comment: str
    resubmitted: bool


@dataclass(frozen=True)
class FindingRow:
    """An inspection finding and its rectification."""

    held_on: str
    task: str
    department: str
    problem: str
    deadline: str
    status: str  # 整改中 / 已报整改 / 已销号
    closed_on: str = ""
    overdue: bool = False


@dataclass(frozen=True)
class RankRow:
    """A department's place in the scorecard ranking for the period."""

    rank: int | None
    department: str
    total: str  # "92.5" or "—"
    parts: str  # 进展报告按时报送 100.0（4/4）；...


@dataclass(frozen=True)
class AttainmentRow:
    """An indicator of the plan against its target for the report's year."""

    indicator: str
    unit: str
    target: str
    actual: str
    attained: bool | None  # None: not reported or no target
    synthetic: bool = False


@dataclass(frozen=True)
class SupervisionReport:
    """A supervision report for one period (2021Q1, 202103B or 2021) of one plan."""

    number: str  # 茌平职教督〔2021〕3号 (or 草稿 before publishing)
    title: str
    issuer: str  # 茌平区人民政府教育督导室
    plan_title: str
    plan_doc_number: str
    period: str  # 2021Q1
    period_label: str  # 2021年第一季度
    as_of: str  # 2021-03-31: the day the figures are counted on
    issued_on: str  # 2021年6月30日
    summary: str  # the opening paragraph, with the figures
    headlines: list[Headline] = field(default_factory=list)
    lights: dict[str, int] = field(default_factory=dict)  # colour -> number of tasks
    departments: list[DepartmentRow] = field(default_factory=list)
    flagged: list[LightRow] = field(default_factory=list)
    overdue: list[OverdueRow] = field(default_factory=list)
    returned: list[ReturnedRow] = field(default_factory=list)
    findings: list[FindingRow] = field(default_factory=list)
    ranking: list[RankRow] = field(default_factory=list)
    attainment: list[AttainmentRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # 【演示数据】, 合成数据, rules used

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SupervisionReport:
        rows = {
            "headlines": Headline,
            "departments": DepartmentRow,
            "flagged": LightRow,
            "overdue": OverdueRow,
            "returned": ReturnedRow,
            "findings": FindingRow,
            "ranking": RankRow,
            "attainment": AttainmentRow,
        }
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for name, row in rows.items():
            values[name] = [row(**item) for item in values.get(name, [])]
        values["lights"] = dict(values.get("lights", {}))
        values["notes"] = list(values.get("notes", []))
        return cls(**values)

    def with_number(self, number: str, issued_on: str) -> SupervisionReport:
        data = self.to_json()
        data.update(number=number, issued_on=issued_on)
        return SupervisionReport.from_json(data)


def sample_report() -> SupervisionReport:
    """A small hand-made report (示例) for the renderers' tests and previews."""
    return SupervisionReport(
        number="茌平职教督〔2021〕2号",
        title="关于2021年第一季度职业教育创新发展高地建设工作推进情况的督导报告",
        issuer="茌平区人民政府教育督导室",
        plan_title="茌平区职业教育创新发展高地建设实施方案",
        plan_doc_number="聊茌政发〔2020〕19号",
        period="2021Q1",
        period_label="2021年第一季度",
        as_of="2021-03-31",
        issued_on="2021年4月15日",
        summary="截至2021年3月31日，23项任务中绿灯15项、黄灯5项、红灯3项；应报进展报告40份，按时报送35份，按时报送率87.5%。",
        headlines=[
            Headline("任务总数", "23"),
            Headline("按时报送率", "87.5%", "35/40"),
            Headline("逾期事项", "4"),
        ],
        lights={GREEN: 15, AMBER: 5, RED: 3, GREY: 0},
        departments=[
            DepartmentRow("区教体局", 12, 8, 3, 1, 2, 24, 22, "91.7%", 55),
            DepartmentRow("区人社局", 4, 2, 1, 1, 0, 8, 6, "75.0%", 30),
            DepartmentRow("区财政局", 3, 3, 0, 0, 1, 6, 6, "100.0%", 70),
        ],
        flagged=[
            LightRow(
                "重点任务（七）", "大力开展社会培训", RED, "进展报告逾期未报（2021Q1）", "区人社局"
            ),
            LightRow("重点任务（十四）", "加强“双师型”教师队伍建设", AMBER, "临近时限", "区教体局"),
        ],
        overdue=[
            OverdueRow("进展报告", "重点任务（七）", "区人社局", "2021-03-10", 21),
            OverdueRow("督查整改", "重点任务（三）", "区教体局", "2021-03-20", 11, "=SUM(A1)"),
        ],
        returned=[
            ReturnedRow("重点任务（九）", "区教体局", "202101B", "佐证材料不全，请补充", True),
        ],
        findings=[
            FindingRow(
                "2021-03-05",
                "重点任务（三）",
                "区教体局",
                "实训基地建设进度滞后",
                "2021-03-20",
                "整改中",
                "",
                True,
            ),
        ],
        ranking=[
            RankRow(1, "区财政局", "100.0", "进展报告按时报送 100.0（6/6）"),
            RankRow(2, "区教体局", "91.7", "进展报告按时报送 91.7（22/24）"),
            RankRow(3, "区人社局", "75.0", "进展报告按时报送 75.0（6/8）"),
        ],
        attainment=[
            AttainmentRow("“双师型”教师占比", "%", "≥70", "65.20", False),
            AttainmentRow("社会培训", "人次", "≥5000", "5200", True, True),
        ],
        notes=["【示例】此报告为渲染器测试用的示例数据。"],
    )
