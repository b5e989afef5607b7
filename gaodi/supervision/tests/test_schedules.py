"""Supervision schedules found in the plan's words, and the cycles they open."""

from __future__ import annotations

import dataclasses
import datetime as dt
from functools import cache

import pytest

from gaodi.indicators.periods import parse_period
from gaodi.plans.parsing import PlanDraft, example_plan_path, parse_path
from gaodi.plans.parsing.draft import TaskListItem
from gaodi.supervision.schedules import (
    DEFAULT_DUE_WORKDAYS,
    DISPATCH,
    INSPECTION,
    CycleSpec,
    ScheduleSpec,
    cycles,
    due_cycles,
    schedules_from_plan,
    schedules_from_text,
)

D = dt.date.fromisoformat


@cache
def reference_plan() -> PlanDraft:
    return parse_path(example_plan_path())


def spec(frequency: str, kind: str = INSPECTION, due_workdays: int = 5) -> ScheduleSpec:
    return ScheduleSpec(kind, frequency, kind, "区委督查室", due_workdays, "（二十三）", "")


def found(text: str) -> list[tuple[str, str, str]]:
    return [(s.kind, s.frequency, s.body) for s in schedules_from_text(text)]


# --- The reference plan ---


def test_the_reference_plan_sets_a_quarterly_inspection_and_a_bimonthly_dispatch() -> None:
    assert schedules_from_plan(reference_plan()) == [
        ScheduleSpec(
            kind="inspection",
            frequency="quarterly",
            scope="inspection",
            body="区委督查室",
            due_workdays=DEFAULT_DUE_WORKDAYS,
            clause="（二十三）",
            quote="区委督查室每季度督查一次",
        ),
        ScheduleSpec(
            kind="dispatch",
            frequency="bimonthly",
            scope="dispatch",
            body="区政府教育督导室",
            due_workdays=DEFAULT_DUE_WORKDAYS,
            clause="（二十三）",
            quote="区政府教育督导室每两个月调度一次工作情况",
        ),
    ]


def test_the_default_due_period_is_five_working_days_and_can_be_set() -> None:
    assert DEFAULT_DUE_WORKDAYS == 5
    schedules = schedules_from_plan(reference_plan(), due_workdays=10)
    assert [s.due_workdays for s in schedules] == [10, 10]


def test_the_kinds_are_the_inspector_scopes_of_the_accounts() -> None:
    from gaodi.accounts.choices import InspectorScope

    assert {INSPECTION, DISPATCH} == set(InspectorScope.values)


def test_a_schedule_only_a_task_list_row_states_cites_its_task_or_the_row() -> None:
    draft = reference_plan()
    extra = [
        TaskListItem(seq=90, text="区政府教育督导室每月调度一次", units=[], task_numbers=[5]),
        TaskListItem(seq=91, text="县委督查室每半年督查一次", units=[]),
    ]
    with_rows = dataclasses.replace(draft, task_list=[*draft.task_list, *extra])
    added = schedules_from_plan(with_rows)[2:]
    assert [(s.frequency, s.body, s.clause) for s in added] == [
        ("monthly", "区政府教育督导室", "（五）"),
        ("half_yearly", "县委督查室", "任务清单第91行"),
    ]


# --- Other wordings ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a county plan
            "县委督查室每季度督查一次，县政府教育督导室每两个月调度一次工作情况。",
            [
                ("inspection", "quarterly", "县委督查室"),
                ("dispatch", "bimonthly", "县政府教育督导室"),
            ],
        ),
        (
            "市政府教育督导室每双月调度一次各项任务进展",
            [("dispatch", "bimonthly", "市政府教育督导室")],
        ),
        (
            "由区委督查室按季度对各牵头单位落实情况进行督查",
            [("inspection", "quarterly", "区委督查室")],
        ),
        ("每个季度开展一次检查", [("inspection", "quarterly", "")]),
        ("督查工作每季度开展一次", [("inspection", "quarterly", "")]),
        ("每季度由区委督查室进行督查", [("inspection", "quarterly", "区委督查室")]),
        (
            "区教育督导委员会办公室每月调度一次工作进展",
            [("dispatch", "monthly", "区教育督导委员会办公室")],
        ),
        ("每个月召开一次调度会", [("dispatch", "monthly", "")]),
        ("每三个月调度一次", [("dispatch", "quarterly", "")]),
        (
            "县委督查室每月调度一次，每半年开展一次专项督导",
            [("dispatch", "monthly", "县委督查室"), ("inspection", "half_yearly", "")],
        ),
        (
            "县人民政府教育督导室每年对各部门履行职业教育职责情况进行督导",
            [("inspection", "yearly", "县人民政府教育督导室")],
        ),
        ("开展年度督导评估", [("inspection", "yearly", "")]),
        (
            "建立督导评估制度并由区委区政府督查室每季度督查一次",
            [("inspection", "quarterly", "区委区政府督查室")],
        ),
    ],
)
def test_it_reads_the_usual_wordings(text: str, expected: list[tuple[str, str, str]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "定期发布职业教育工作督导报告",  # no frequency
        "每年发布职业教育督导报告",  # publishing a report is not a cycle
        "区委督查室负责督查",  # no frequency
        "下半年开展一次督查",  # a season, not a frequency
        "2021年度督查",  # a year, not a frequency
        "每季度召开一次联席会议",  # no inspection or dispatch
        "",
    ],
)
def test_it_finds_no_schedule_where_none_is_set(text: str) -> None:
    assert schedules_from_text(text) == []


def test_it_reads_traditional_and_full_width_text_and_quotes_it_as_written() -> None:
    text = "區委督查室每季度督查一次，區政府教育督導室每２個月調度一次工作情況。"
    schedules = schedules_from_text(text, "（二十三）")
    assert [(s.kind, s.frequency, s.body) for s in schedules] == [
        ("inspection", "quarterly", "區委督查室"),
        ("dispatch", "bimonthly", "區政府教育督導室"),
    ]
    assert schedules[1].quote == "區政府教育督導室每２個月調度一次工作情況"
    assert {s.clause for s in schedules} == {"（二十三）"}


def test_a_schedule_said_twice_is_kept_once() -> None:
    text = "区委督查室每季度督查一次。区委督查室每个季度督查一次。"
    assert found(text) == [("inspection", "quarterly", "区委督查室")]


def test_a_schedule_with_a_wrong_frequency_is_refused() -> None:
    with pytest.raises(ValueError, match="频次"):
        spec("weekly")


# --- Cycles ---


def periods(found: list[CycleSpec]) -> list[tuple[str, str, str]]:
    return [(c.period, c.starts_on.isoformat(), c.ends_on.isoformat()) for c in found]


def test_2021_has_four_quarters() -> None:
    assert periods(cycles(spec("quarterly"), D("2021-01-01"), D("2021-12-31"))) == [
        ("2021Q1", "2021-01-01", "2021-03-31"),
        ("2021Q2", "2021-04-01", "2021-06-30"),
        ("2021Q3", "2021-07-01", "2021-09-30"),
        ("2021Q4", "2021-10-01", "2021-12-31"),
    ]


def test_2021_has_six_bimonths_and_the_third_is_may_to_june() -> None:
    assert periods(cycles(spec("bimonthly"), D("2021-01-01"), D("2021-12-31"))) == [
        ("202101B", "2021-01-01", "2021-02-28"),
        ("202102B", "2021-03-01", "2021-04-30"),
        ("202103B", "2021-05-01", "2021-06-30"),
        ("202104B", "2021-07-01", "2021-08-31"),
        ("202105B", "2021-09-01", "2021-10-31"),
        ("202106B", "2021-11-01", "2021-12-31"),
    ]


def test_months_half_years_and_years_have_their_dhis2_ids() -> None:
    year = (D("2024-01-01"), D("2024-12-31"))
    months = periods(cycles(spec("monthly"), *year))
    assert len(months) == 12
    assert months[1] == ("202402", "2024-02-01", "2024-02-29")
    assert periods(cycles(spec("half_yearly"), *year)) == [
        ("2024S1", "2024-01-01", "2024-06-30"),
        ("2024S2", "2024-07-01", "2024-12-31"),
    ]
    assert periods(cycles(spec("yearly"), *year)) == [("2024", "2024-01-01", "2024-12-31")]


@pytest.mark.parametrize("frequency", ["quarterly", "bimonthly", "yearly"])
def test_cycle_periods_are_the_periods_of_the_indicators(frequency: str) -> None:
    for cycle in cycles(spec(frequency), D("2020-01-01"), D("2022-12-31")):
        period = parse_period(cycle.period)
        assert (period.start, period.end) == (cycle.starts_on, cycle.ends_on)


def test_cycles_include_every_period_that_overlaps_the_range() -> None:
    found = cycles(spec("quarterly"), D("2021-02-15"), D("2021-07-01"))
    assert [c.period for c in found] == ["2021Q1", "2021Q2", "2021Q3"]
    assert cycles(spec("quarterly"), D("2021-07-01"), D("2021-06-30")) == []


def test_reports_for_the_third_quarter_of_2021_are_due_after_national_day() -> None:
    # 9-30 Thu; 10-01..07 off; 10-08 Fri, 10-09 Sat (调休), 10-11, 10-12, 10-13: the fifth.
    third = cycles(spec("quarterly", due_workdays=5), D("2021-07-01"), D("2021-09-30"))
    assert [(c.period, c.due_on) for c in third] == [("2021Q3", D("2021-10-13"))]
    same_day = cycles(spec("quarterly", due_workdays=0), D("2021-07-01"), D("2021-09-30"))
    assert same_day[0].due_on == D("2021-09-30")


def test_a_quarterly_inspection_as_of_june_2021_has_opened_four_quarters() -> None:
    opened = due_cycles(spec("quarterly"), D("2020-07-01"), D("2021-06-30"))
    assert [c.period for c in opened] == ["2020Q3", "2020Q4", "2021Q1", "2021Q2"]


def test_a_bimonthly_dispatch_as_of_june_2021_has_opened_six_bimonths() -> None:
    opened = due_cycles(spec("bimonthly", DISPATCH), D("2020-07-01"), D("2021-06-30"))
    assert [c.period for c in opened] == [
        "202004B",
        "202005B",
        "202006B",
        "202101B",
        "202102B",
        "202103B",
    ]


def test_a_cycle_opens_on_the_first_day_of_its_period() -> None:
    opened = due_cycles(spec("quarterly"), D("2020-07-01"), D("2021-07-01"))
    assert opened[-1].period == "2021Q3"
    assert due_cycles(spec("quarterly"), D("2020-07-01"), D("2020-06-30")) == []


def test_a_schedule_due_a_negative_number_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="工作日"):
        spec("quarterly", due_workdays=-1)
