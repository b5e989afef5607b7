"""Supervision schedules as the plan words them, and the cycles they open.

"区委督查室每季度督查一次，区政府教育督导室每两个月调度一次工作情况" — 保障措施（二十三） of the
reference plan — gives two schedules: a quarterly inspection (督查) by 区委督查室 and a
bimonthly dispatch (调度) by 区政府教育督导室. Each period of a schedule is one cycle, named
by its DHIS2 period id, with reports due a few working days after it ends.

Pure: text and dates in, dataclasses out; no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from gaodi.i18n import _
from gaodi.plans.consistency.finding import row_label
from gaodi.plans.parsing.draft import PlanDraft, Task, TaskListItem
from gaodi.plans.parsing.text import fold, int_to_cn

from .workdays import add_workdays

# The kinds, which are also the inspector scopes that run them (accounts.choices.InspectorScope).
INSPECTION, DISPATCH = "inspection", "dispatch"
# Months in one period of each frequency.
FREQUENCY_MONTHS = {"monthly": 1, "bimonthly": 2, "quarterly": 3, "half_yearly": 6, "yearly": 12}
# 示例 (example): Gaodi's default, not the plan's; the district sets its own per schedule.
DEFAULT_DUE_WORKDAYS = 5


@dataclass(frozen=True)
class ScheduleSpec:
    """A recurring inspection (督查) or dispatch (调度) the plan sets: 区委督查室每季度督查一次.

    due_workdays: reports are due this many working days after a period ends; the parser
    gives DEFAULT_DUE_WORKDAYS (5, 示例: Gaodi's example, not a rule of the plan).
    """

    kind: str
    frequency: str
    scope: str
    body: str
    due_workdays: int
    clause: str
    quote: str

    def __post_init__(self) -> None:
        if self.kind not in (INSPECTION, DISPATCH) or self.scope not in (INSPECTION, DISPATCH):
            raise ValueError(_("督查督办类型不对：{kind}").format(kind=self.kind))
        if self.frequency not in FREQUENCY_MONTHS:
            raise ValueError(_("频次不对：{frequency}").format(frequency=self.frequency))
        if self.due_workdays < 0:
            raise ValueError(
                _("报送期限的工作日数不能为负数：{days}").format(days=self.due_workdays)
            )


# --- Finding schedules in the text (matched on fold(text): same indices, simplified) ---

_FREQUENCY = re.compile(
    r"(?P<bimonthly>每(?:两|二|2)个?月|每?双月|每隔一个月|隔月)"
    r"|(?P<half_yearly>每半年度?|每(?:六|6)个月|按半年|(?<![上下前后])半年度?)"
    r"|(?P<quarterly>每一?个?季度?|每(?:三|3)个月|按季度?|逐季度?)"
    r"|(?P<monthly>每一?个?月|按月|逐月|月度)"
    r"|(?P<yearly>每一?年度?|按年度?|(?<![本上下当今明去前后第\d〇零一二三四五六七八九])年度)"
)
_VERB = re.compile(r"(?P<inspection>督查|检查|督导)(?!报告)|(?P<dispatch>调度)")
_BODY = re.compile(r"[\u4e00-\u9fff]*?(?P<suffix>督查室|督导室|督导委员会办公室)")
# What ends a lead-in rather than begins a body: 并由|区委督查室, 每季度督查一次|区政府督导室.
_BEFORE_BODY = re.compile(
    "|".join(
        [
            "由|并|和|与|及|会同|联合|同时|负责|牵头|组织|要|将|请|一次",
            _FREQUENCY.pattern,
            _VERB.pattern,
        ]
    )
)
_PART = re.compile(r"[^,，;；。!！?？\n\r]+")
# How far after the frequency its verb may stand: 每季度对重点任务推进情况开展一次督查.
_MAX_GAP = 20


def schedules_from_text(
    text: str, clause: str = "", *, due_workdays: int = DEFAULT_DUE_WORKDAYS
) -> list[ScheduleSpec]:
    """The schedules one text sets, in order, each (kind, frequency, body) once."""
    folded = fold(text)
    found = [
        spec
        for part in _PART.finditer(folded)
        for spec in _in_part(text, folded, part, clause, due_workdays)
    ]
    return _unique(found)


def schedules_from_plan(
    draft: PlanDraft, *, due_workdays: int = DEFAULT_DUE_WORKDAYS
) -> list[ScheduleSpec]:
    """The schedules in the tasks' text, then in the task list's rows, each once.

    A row repeating a task's sentence (工作任务清单第40行 repeats （二十三）) adds nothing;
    a schedule only a row states is cited by the task the row belongs to, or by the row.
    """
    tasks = {task.number: task for task in draft.tasks}
    texts = [(task.text, task_marker(task)) for task in draft.tasks]
    texts += [(row.text, _row_clause(row, tasks)) for row in draft.task_list]
    found = [
        spec
        for text, clause in texts
        for spec in schedules_from_text(text, clause, due_workdays=due_workdays)
    ]
    return _unique(found)


_MARKERS = {
    "cn_paren": "（{cn}）",
    "cn_dun": "{cn}、",
    "ar_dot": "{n}.",
    "ar_paren": "（{n}）",
    "di": "第{cn}条",
}


def task_marker(task: Task) -> str:
    """The task's number as the plan writes it: （二十三）, 二十三、, 23., （23）, 第二十三条."""
    marker = _MARKERS.get(task.numbering, _MARKERS["cn_paren"])
    return marker.format(cn=int_to_cn(task.number), n=task.number)


def _row_clause(row: TaskListItem, tasks: dict[int, Task]) -> str:
    cited = [tasks[number] for number in row.task_numbers if number in tasks]
    return task_marker(cited[0]) if cited else row_label(row)


def _in_part(
    text: str, folded: str, part: re.Match[str], clause: str, due_workdays: int
) -> Iterator[ScheduleSpec]:
    """Each frequency in one sentence part with its verb and, if named, its body."""
    start, end = part.span()
    bodies = _bodies(folded, start, end)
    masked = _mask(folded, bodies)
    frequencies = list(_FREQUENCY.finditer(folded, start, end))
    previous = start
    for i, frequency in enumerate(frequencies):
        after = frequencies[i + 1].start() if i + 1 < len(frequencies) else end
        verb = _verb(masked, previous, frequency, after)
        if verb is None:
            continue
        kind, freq = verb.lastgroup or INSPECTION, frequency.lastgroup or "yearly"
        stop = max(verb.end(), frequency.end())
        named = [text[b:e] for b, e in bodies if previous <= b and e <= stop]
        body = named[-1] if named else ""
        quote = text[start:end].strip()
        yield ScheduleSpec(kind, freq, kind, body, due_workdays, clause, quote)
        previous = stop


def _bodies(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where each 督查室/督导室 is named, without the words that lead into it.

    并由区委督查室 -> 区委督查室; 每季度督查一次区政府教育督导室 -> 区政府教育督导室.
    """
    spans = []
    for m in _BODY.finditer(folded, start, end):
        prefix = folded[m.start() : m.start("suffix")]
        cuts = [c.end() for c in _BEFORE_BODY.finditer(prefix)]
        spans.append((m.start() + max(cuts, default=0), m.end()))
    return spans


def _mask(folded: str, bodies: list[tuple[int, int]]) -> str:
    """The text with each body blanked out, so that 督查室 is not read as the verb 督查."""
    for start, end in bodies:
        folded = folded[:start] + "#" * (end - start) + folded[end:]
    return folded


def _verb(masked: str, previous: int, frequency: re.Match[str], after: int) -> re.Match[str] | None:
    """督查/调度 just after the frequency (每季度督查), else before it (督查工作每季度开展一次)."""
    behind = _VERB.search(masked, frequency.end(), min(after, frequency.end() + _MAX_GAP))
    if behind:
        return behind
    ahead = list(_VERB.finditer(masked, previous, frequency.start()))
    return ahead[-1] if ahead else None


def _unique(specs: list[ScheduleSpec]) -> list[ScheduleSpec]:
    seen: dict[tuple[str, str, str], ScheduleSpec] = {}
    for spec in specs:
        seen.setdefault((spec.kind, spec.frequency, spec.body), spec)
    return list(seen.values())


# --- Cycles: one per period of the schedule's frequency ---


@dataclass(frozen=True)
class CycleSpec:
    """One period of a schedule and the day its reports are due.

    period is the DHIS2 id: 202106 (month), 202103B (May–June), 2021Q3, 2021S1, 2021.
    """

    period: str
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date


def cycles(spec: ScheduleSpec, start: dt.date, end: dt.date) -> list[CycleSpec]:
    """Every period of the schedule's frequency that overlaps [start, end], in order."""
    months = FREQUENCY_MONTHS[spec.frequency]
    index = _period_index(start, months)
    found = []
    while start <= end and (first_day := _first_day(index, months)) <= end:
        found.append(_cycle(spec, index, first_day, months))
        index += 1
    return found


def due_cycles(spec: ScheduleSpec, start: dt.date, today: dt.date) -> list[CycleSpec]:
    """The cycles from `start` whose period has begun by `today`: what `gaodi cycles` opens."""
    return cycles(spec, start, today)


def _period_index(day: dt.date, months: int) -> int:
    """Periods counted from January of year 0: the one `day` falls in."""
    return (day.year * 12 + day.month - 1) // months


def _first_day(index: int, months: int) -> dt.date:
    year, month = divmod(index * months, 12)
    return dt.date(year, month + 1, 1)


def _cycle(spec: ScheduleSpec, index: int, first_day: dt.date, months: int) -> CycleSpec:
    last_day = _first_day(index + 1, months) - dt.timedelta(days=1)
    due_on = add_workdays(last_day, spec.due_workdays)
    return CycleSpec(period_id(first_day, spec.frequency), first_day, last_day, due_on)


_PERIOD_IDS = {
    "monthly": "{year}{number:02d}",
    "bimonthly": "{year}{number:02d}B",
    "quarterly": "{year}Q{number}",
    "half_yearly": "{year}S{number}",
    "yearly": "{year}",
}


def period_id(day: dt.date, frequency: str) -> str:
    """The DHIS2 id of the period `day` falls in: 2021-06-30 -> 202106, 202103B, 2021Q2, 2021S1."""
    number = (day.month - 1) // FREQUENCY_MONTHS[frequency] + 1
    return _PERIOD_IDS[frequency].format(year=day.year, number=number)
