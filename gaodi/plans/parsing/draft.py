"""PlanDraft: what the parser makes of a plan document (contracts/plan-draft.schema.json)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Deadline:
    """A date by which something is due; the last day the phrase allows."""

    date: str
    phrase: str


@dataclass
class Quantity:
    """A number the plan states: a target (目标) or a rule parameter (参数).

    kind is "target" for what must be reached (70%以上, 5千人次) and "parameter" for what a
    rule uses (培训量按25%折算, 30%抵免, 5倍).
    """

    phrase: str
    value: float
    unit: str | None
    comparator: str
    year: int | None = None
    kind: str = "target"
    subject: str = ""


@dataclass
class Task:
    """A numbered task of the body, e.g. 重点任务（十四）."""

    number: int
    title: str
    section: str
    text: str
    lead_units: list[str]
    coop_units: list[str]
    deadlines: list[Deadline] = field(default_factory=list)
    targets: list[Quantity] = field(default_factory=list)
    numbering: str = ""
    line: int | None = None


@dataclass
class TaskListItem:
    """A row of the task list (工作任务清单): 序号 | 政策内容 | 责任部门."""

    seq: int
    text: str
    units: list[str]
    task_numbers: list[int] = field(default_factory=list)
    lead_units: list[str] | None = None
    coop_units: list[str] | None = None
    deadlines: list[Deadline] = field(default_factory=list)
    targets: list[Quantity] = field(default_factory=list)
    line: int | None = None


@dataclass
class Member:
    """A member of the leading group (领导小组)."""

    name: str
    role: str
    position: str


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    line: int | None = None
    notes: list[str] = field(default_factory=list)
    attachment: str | None = None


@dataclass
class Indicator:
    """One row of an indicator table (附件2)."""

    name: str
    table: str
    unit: str | None
    values: dict[str, float | None]
    raw: dict[str, str]
    parts: dict[str, dict[str, float]] = field(default_factory=dict)
    formula: dict[str, str] | None = None
    label: str = ""
    subset_of: str | None = None
    value_kind: str = "number"
    baseline_year: int | None = None
    industry: str | None = None
    specialties: dict[str, list[str]] | None = None
    attachment: str | None = None


@dataclass
class Department:
    """A department of the registry: one canonical name, every spelling seen."""

    name: str
    aliases: list[str]
    collective: bool = False
    near_misses: list[str] = field(default_factory=list)


@dataclass
class ParseWarning:
    code: str
    message: str
    line: int | None = None


@dataclass
class DocumentInfo:
    title: str
    doc_number: str | None
    issuer: str | None
    issue_date: str | None
    public: bool = False


@dataclass
class PlanDraft:
    document: DocumentInfo
    tasks: list[Task]
    task_list: list[TaskListItem]
    leading_group: list[Member]
    tables: list[Table]
    indicators: list[Indicator]
    units: list[Department]
    warnings: list[ParseWarning]
    leading_group_office: dict[str, str] | None = None
    source_format: str = "txt"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for item in data["task_list"]:
            if item["lead_units"] is None:
                del item["lead_units"]
                del item["coop_units"]
        return data

    def canonical(self, name: str) -> str:
        """The registry name a verbatim department spelling resolves to."""
        return self.canonical_names().get(name, name)

    def canonical_names(self) -> dict[str, str]:
        """Every spelling (and every canonical name) -> its canonical name."""
        names = {}
        for department in self.units:
            names[department.name] = department.name
            names.update(dict.fromkeys(department.aliases, department.name))
        return names
