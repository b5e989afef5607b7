"""红黄绿灯 for tasks: one worked example per rule, with frozen dates passed in."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from gaodi.supervision.lights import (
    DEFAULT_THRESHOLDS,
    Light,
    Reason,
    TaskFacts,
    TaskFinding,
    Thresholds,
    expected_percent,
    supervision_sheet_rows,
    task_light,
)

D = Decimal
TODAY = date(2021, 6, 30)  # the demo day
# A task counted from 2021-01-01 with its deadline at the end of 2021: nothing flagged.
QUIET = TaskFacts(
    started_on=date(2021, 1, 1),
    deadlines=(date(2021, 12, 31),),
    done_on=None,
    percent=None,
    reports_due=(),
    chases=(),
)


def light(today: date = TODAY, thresholds: Thresholds = DEFAULT_THRESHOLDS, **facts: Any) -> Light:
    return task_light(replace(QUIET, **facts), today, thresholds)


def codes(found: Light) -> list[tuple[str, str]]:
    return [(reason.code, reason.colour) for reason in found.reasons]


# 序时进度


def test_expected_progress_is_zero_until_the_start() -> None:
    start, deadline = date(2021, 1, 1), date(2021, 1, 11)
    assert expected_percent(start, deadline, date(2020, 12, 1)) == 0
    assert expected_percent(start, deadline, start) == 0


def test_expected_progress_is_a_hundred_from_the_deadline_on() -> None:
    start, deadline = date(2021, 1, 1), date(2021, 1, 11)
    assert expected_percent(start, deadline, deadline) == 100
    assert expected_percent(start, deadline, date(2022, 1, 1)) == 100


def test_expected_progress_is_linear_in_days() -> None:
    start, deadline = date(2021, 1, 1), date(2021, 1, 11)  # 10 days
    assert expected_percent(start, deadline, date(2021, 1, 6)) == D(50)
    assert expected_percent(start, deadline, date(2021, 1, 2)) == D(10)
    assert expected_percent(date(2021, 1, 1), date(2021, 1, 4), date(2021, 1, 2)) == D(100) / 3


def test_a_deadline_before_the_start_counts_as_all_time_passed_once_reached() -> None:
    assert expected_percent(date(2021, 6, 1), date(2021, 5, 1), date(2021, 5, 2)) == 100
    assert expected_percent(date(2021, 6, 1), date(2021, 5, 1), date(2021, 4, 30)) == 0


# green


def test_a_task_done_by_its_deadline_is_green_done() -> None:
    found = light(done_on=date(2021, 6, 1), deadlines=(date(2021, 6, 1),))
    assert (found.colour, found.code) == ("green", "done")
    assert found.reasons == (Reason("done", "green", "已于 2021-06-01 完成"),)
    assert found.label == "绿灯"


def test_a_task_done_late_stays_green_and_shows_it_was_late() -> None:
    found = light(done_on=date(2021, 6, 20), deadlines=(date(2021, 6, 15),))
    assert found.colour == "green"
    assert codes(found) == [("done", "green"), ("caught_up_late", "green")]
    assert found.reasons[1].text == "完成但逾期：时限 2021-06-15，2021-06-20 完成，逾期 5 天"


def test_a_done_task_is_not_flagged_for_late_reports_or_chases() -> None:
    found = light(
        done_on=date(2021, 6, 1),
        reports_due=(("2021-04", date(2021, 5, 10), None),),
        chases=((date(2021, 5, 1), None),),
    )
    assert codes(found) == [("done", "green")]


def test_a_task_with_nothing_due_and_nothing_reported_is_on_track() -> None:
    found = light()
    assert (found.colour, found.code) == ("green", "on_track")
    assert found.reasons[0].text == "截至 2021-06-30 进度正常，下一时限 2021-12-31"


def test_a_task_without_a_deadline_is_green_no_deadline() -> None:
    found = light(deadlines=())
    assert (found.colour, found.code) == ("green", "no_deadline")
    assert found.reasons[0].text == "未设时限；截至 2021-06-30 无迟报、无未答复的催办"


def test_a_task_that_has_not_started_is_grey() -> None:
    found = light(started_on=date(2022, 1, 1), deadlines=(date(2022, 12, 31),))
    assert (found.colour, found.code, found.label) == ("grey", "not_started", "灰灯")
    assert found.reasons[0].text == "2022-01-01 起计，尚未开始"


# red


def test_a_task_past_its_deadline_and_not_done_is_red_overdue() -> None:
    found = light(deadlines=(date(2021, 6, 25),))
    assert (found.colour, found.code) == ("red", "overdue")
    assert found.reasons[0].text == "时限 2021-06-25 已过 5 天，尚未完成"


def test_any_passed_deadline_counts_not_only_the_final_one() -> None:
    found = light(deadlines=(date(2021, 12, 31), date(2020, 12, 31)))
    assert found.colour == "red"
    assert found.reasons[0].text == "时限 2020-12-31 已过 181 天，尚未完成"


def test_a_report_missing_after_its_due_date_is_red() -> None:
    found = light(reports_due=(("2021-04", date(2021, 6, 10), None),))
    assert (found.colour, found.code) == ("red", "report_late")
    assert found.reasons[0].text == "2021-04 期报告应于 2021-06-10 报送，已迟 20 天未报"


def test_a_report_due_today_is_not_late_yet() -> None:
    assert light(reports_due=(("2021-05", TODAY, None),)).colour == "green"


@pytest.mark.parametrize(("days_waiting", "colour"), [(5, "green"), (6, "red")])
def test_a_chase_turns_red_once_unanswered_past_the_window(days_waiting: int, colour: str) -> None:
    chased = date.fromordinal(TODAY.toordinal() - days_waiting)
    assert light(chases=((chased, None),)).colour == colour


def test_the_unanswered_chase_names_its_date_and_the_window() -> None:
    found = light(chases=((date(2021, 6, 20), None),))
    assert found.code == "chase_unanswered"
    assert found.reasons[0].text == "2021-06-20 催办，已 10 天未答复（答复时限 5 天）"


# amber


@pytest.mark.parametrize(
    ("deadline", "colour"), [(date(2021, 7, 15), "amber"), (date(2021, 7, 16), "green")]
)
def test_a_deadline_within_the_window_is_amber(deadline: date, colour: str) -> None:
    assert light(deadlines=(deadline,)).colour == colour


def test_the_near_deadline_names_the_days_left() -> None:
    found = light(deadlines=(date(2021, 7, 10),))
    assert (found.colour, found.code) == ("amber", "deadline_near")
    assert found.reasons[0].text == "时限 2021-07-10 还剩 10 天，尚未完成"


def test_a_deadline_today_is_near_not_overdue() -> None:
    found = light(deadlines=(TODAY,))
    assert (found.colour, found.code) == ("amber", "deadline_near")
    assert found.reasons[0].text == "时限 2021-06-30 就是今天，尚未完成"


def test_progress_trailing_the_schedule_by_more_than_the_allowance_is_amber() -> None:
    # 2021-01-01 .. 2021-01-11, as of 2021-01-06: 序时进度 50 %.
    found = light(
        today=date(2021, 1, 6),
        deadlines=(date(2021, 1, 11),),
        percent=D("39.5"),
    )
    assert codes(found)[0] == ("behind_schedule", "amber")
    assert found.reasons[0].text == (
        "已报进度 39.5%，序时进度 50%，落后 10.5 个百分点（落后超过 10 个百分点为黄灯）"
    )


@pytest.mark.parametrize(("percent", "code"), [(D(15), "on_track"), (D("14.9"), "behind_schedule")])
def test_progress_exactly_at_the_allowance_is_not_behind(percent: Decimal, code: str) -> None:
    # 2021-01-01 .. 2021-05-01 (120 days), as of 2021-01-31: 序时进度 25 %.
    found = light(today=date(2021, 1, 31), deadlines=(date(2021, 5, 1),), percent=percent)
    assert found.code == code


def test_no_progress_reported_is_not_judged_behind() -> None:
    as_of = date(2021, 11, 1)  # 序时进度 about 83 %
    assert light(today=as_of, percent=None).code == "on_track"
    assert light(today=as_of, percent=D(0)).code == "behind_schedule"


# made-up lags: red turns amber, then history


def test_a_late_report_made_up_turns_the_light_amber() -> None:
    found = light(reports_due=(("2021-04", date(2021, 6, 10), date(2021, 6, 15)),))
    assert (found.colour, found.code) == ("amber", "caught_up_late")
    assert found.reasons[0].text == "2021-04 期报告应于 2021-06-10 报送，2021-06-15 补报，迟 5 天"


def test_the_next_cycle_reported_on_time_clears_the_made_up_report() -> None:
    reports = (
        ("2021-02", date(2021, 4, 10), date(2021, 4, 20)),
        ("2021-04", date(2021, 6, 10), date(2021, 6, 9)),
    )
    assert light(reports_due=reports).code == "on_track"


def test_a_cycle_on_time_before_the_make_up_does_not_clear_it() -> None:
    reports = (
        ("2021-02", date(2021, 4, 10), date(2021, 6, 20)),  # made up after the next cycle
        ("2021-04", date(2021, 6, 10), date(2021, 6, 9)),
    )
    assert light(reports_due=reports).code == "caught_up_late"


def test_a_chase_answered_late_is_amber_until_the_next_cycle_on_time() -> None:
    chases = ((date(2021, 5, 1), date(2021, 5, 20)),)
    found = light(chases=chases)
    assert (found.colour, found.code) == ("amber", "caught_up_late")
    assert found.reasons[0].text == "2021-05-01 催办，2021-05-20 才答复，超过答复时限 5 天"
    on_time = (("2021-04", date(2021, 6, 10), date(2021, 6, 10)),)
    assert light(chases=chases, reports_due=on_time).code == "on_track"


def test_a_red_code_kept_by_the_caller_stays_visible_as_amber() -> None:
    # 逾期 until a 延期申请 moved the deadline to 2021-12-31.
    found = light(was_red=("overdue",))
    assert codes(found) == [("caught_up_late", "amber")]
    assert found.reasons[0].text == "曾因逾期未完成亮红灯，现已消除"


def test_a_red_code_kept_by_the_caller_is_not_repeated_when_the_records_show_it() -> None:
    still_late = light(deadlines=(date(2021, 6, 1),), was_red=("overdue",))
    assert codes(still_late) == [("overdue", "red")]
    made_up = (("2021-04", date(2021, 6, 10), date(2021, 6, 15)),)
    assert len(light(reports_due=made_up, was_red=("report_late",)).reasons) == 1


def test_a_done_task_keeps_its_red_history_visible_in_green() -> None:
    found = light(done_on=date(2021, 6, 1), was_red=("chase_unanswered", "chase_unanswered"))
    assert codes(found) == [("done", "green"), ("caught_up_late", "green")]
    assert found.reasons[1].text == "曾因催办未答复亮红灯，现已消除"


# as of today, worst colour, thresholds


def test_records_dated_after_today_have_not_happened_yet() -> None:
    found = light(
        deadlines=(date(2021, 6, 1),),
        done_on=date(2021, 7, 1),
        reports_due=(("2021-04", date(2021, 6, 10), date(2021, 7, 2)),),
        chases=((date(2021, 6, 1), date(2021, 7, 3)),),
    )
    assert codes(found) == [
        ("overdue", "red"),
        ("report_late", "red"),
        ("chase_unanswered", "red"),
    ]


def test_the_light_takes_the_worst_colour_and_keeps_every_reason_most_severe_first() -> None:
    found = light(
        deadlines=(date(2021, 7, 10),),
        percent=D(20),  # 序时进度 about 95 %
        chases=((date(2021, 5, 1), date(2021, 5, 20)),),
        reports_due=(("2021-04", date(2021, 6, 10), None),),
    )
    assert found.colour == "red"
    assert codes(found) == [
        ("report_late", "red"),
        ("caught_up_late", "amber"),
        ("behind_schedule", "amber"),
        ("deadline_near", "amber"),
    ]


def test_the_default_thresholds_are_the_documented_examples() -> None:
    assert Thresholds(15, D(10), 5, 7) == DEFAULT_THRESHOLDS


def test_thresholds_are_parameters() -> None:
    strict = Thresholds(near_deadline_days=30, behind_points=D(0), chase_answer_days=1)
    facts = replace(QUIET, deadlines=(date(2021, 7, 20),), chases=((date(2021, 6, 28), None),))
    assert task_light(facts, TODAY).code == "on_track"
    assert codes(task_light(facts, TODAY, strict)) == [
        ("chase_unanswered", "red"),
        ("deadline_near", "amber"),
    ]
    found = light(thresholds=strict, percent=D(40))  # 序时进度 about 49.5 %
    assert found.code == "behind_schedule"
    assert found.reasons[0].text.endswith("（落后超过 0 个百分点为黄灯）")


# 三色督办单


def test_the_supervision_sheet_lists_red_then_amber_items_only() -> None:
    lights = [
        ("（一）近期到期", light(deadlines=(date(2021, 7, 10),))),
        ("（二）进度正常", light()),
        ("（三）逾期", light(deadlines=(date(2021, 6, 25),), was_red=("report_late",))),
        ("（四）未开始", light(started_on=date(2022, 1, 1))),
    ]
    rows = supervision_sheet_rows(lights)
    assert rows == [
        {
            "task": "（三）逾期",
            "colour": "red",
            "colour_label": "红灯",
            "code": "overdue",
            "reasons": "时限 2021-06-25 已过 5 天，尚未完成；曾因报告迟报亮红灯，现已消除",
        },
        {
            "task": "（一）近期到期",
            "colour": "amber",
            "colour_label": "黄灯",
            "code": "deadline_near",
            "reasons": "时限 2021-07-10 还剩 10 天，尚未完成",
        },
    ]


# 督查 findings


def finding(**changes: Any) -> TaskFinding:
    """A finding of the 2021-04-15 inspection on 区财政局, 整改时限 2021-06-20, still open."""
    found = TaskFinding("区财政局", date(2021, 4, 15), date(2021, 6, 20))
    return replace(found, **changes)


def test_an_open_finding_past_its_deadline_turns_the_task_red_with_its_own_reason() -> None:
    found = light(findings=(finding(),))
    assert (found.colour, found.code) == ("red", "finding_overdue")
    assert found.reasons[0].text == (
        "2021-04-15 督查发现的问题（责任部门：区财政局）整改时限 2021-06-20 已过 10 天，尚未销号"
    )


def test_a_reported_finding_not_closed_past_its_deadline_is_still_red_and_says_it_waits() -> None:
    found = light(findings=(finding(status="reported", reported_on=date(2021, 6, 18)),))
    assert codes(found) == [("finding_overdue", "red")]
    assert found.reasons[0].text.endswith("尚未销号（2021-06-18 已报整改，待督查室销号）")


def test_a_finding_sent_back_is_open_again() -> None:
    returned = finding(status="open", reported_on=date(2021, 6, 18))
    assert light(findings=(returned,)).reasons[0].text.endswith("尚未销号")


def test_each_overdue_finding_is_one_reason() -> None:
    two = (finding(), finding(department="区教育和体育局", deadline=date(2021, 5, 31)))
    found = light(findings=two)
    assert codes(found) == [("finding_overdue", "red"), ("finding_overdue", "red")]
    assert "区教育和体育局" in found.reasons[1].text


@pytest.mark.parametrize(
    ("deadline", "colour"),
    [(date(2021, 7, 7), "amber"), (TODAY, "amber"), (date(2021, 7, 8), "green")],
)
def test_an_open_finding_near_its_deadline_is_amber_and_with_time_to_spare_green(
    deadline: date, colour: str
) -> None:
    found = light(findings=(finding(deadline=deadline),))
    assert found.colour == colour
    if colour == "green":
        assert found.code == "on_track"  # being inspected is not being late
    else:
        assert found.code == "finding_deadline_near"


def test_the_near_finding_names_the_days_left_and_today() -> None:
    week = light(findings=(finding(deadline=date(2021, 7, 7)),))
    assert week.reasons[0].text.endswith("整改时限 2021-07-07 还剩 7 天，尚未销号")
    due = light(findings=(finding(deadline=TODAY),))
    assert due.reasons[0].text.endswith("整改时限 2021-06-30 就是今天，尚未销号")


def test_a_finding_closed_on_time_leaves_the_task_green() -> None:
    closed = finding(status="closed", reported_on=date(2021, 6, 10), closed_on=date(2021, 6, 20))
    assert light(findings=(closed,)).code == "on_track"


def test_a_finding_closed_late_stays_visible_as_amber_until_a_cycle_on_time() -> None:
    closed = finding(status="closed", reported_on=date(2021, 6, 22), closed_on=date(2021, 6, 25))
    found = light(findings=(closed,))
    assert codes(found) == [("caught_up_late", "amber")]
    assert found.reasons[0].text == (
        "2021-04-15 督查发现的问题（责任部门：区财政局）整改时限 2021-06-20，"
        "2021-06-25 才销号，逾期 5 天"
    )
    on_time = (("2021-05", date(2021, 6, 28), date(2021, 6, 27)),)
    assert light(findings=(closed,), reports_due=on_time).code == "on_track"
    assert light(findings=(closed,), was_red=("finding_overdue",)).reasons == found.reasons


def test_a_finding_kept_as_red_history_reads_in_chinese() -> None:
    found = light(was_red=("finding_overdue",))
    assert found.reasons[0].text == "曾因督查问题逾期未整改销号亮红灯，现已消除"


def test_findings_and_their_steps_after_today_have_not_happened_yet() -> None:
    later = finding(found_on=date(2021, 7, 5), deadline=date(2021, 6, 1))
    assert light(findings=(later,)).code == "on_track"
    closed_later = finding(status="closed", closed_on=date(2021, 7, 2))
    assert codes(light(findings=(closed_later,))) == [("finding_overdue", "red")]
    reported_later = finding(status="reported", reported_on=date(2021, 7, 1))
    assert light(findings=(reported_later,)).reasons[0].text.endswith("尚未销号")


def test_a_done_task_is_red_while_a_finding_on_it_is_overdue() -> None:
    found = light(done_on=date(2021, 6, 1), findings=(finding(),))
    assert codes(found) == [("finding_overdue", "red"), ("done", "green")]
    near = light(done_on=date(2021, 6, 1), findings=(finding(deadline=date(2021, 7, 3)),))
    assert codes(near) == [("finding_deadline_near", "amber"), ("done", "green")]


def test_a_done_task_keeps_a_finding_closed_late_as_green_history() -> None:
    closed = finding(status="closed", closed_on=date(2021, 6, 25))
    found = light(done_on=date(2021, 6, 1), findings=(closed,), was_red=("finding_overdue",))
    assert codes(found) == [("done", "green"), ("caught_up_late", "green")]
    assert "逾期 5 天" in found.reasons[1].text


def test_the_finding_window_is_a_threshold() -> None:
    strict = replace(DEFAULT_THRESHOLDS, finding_near_days=30)
    assert light(thresholds=strict, findings=(finding(deadline=date(2021, 7, 30)),)).colour == (
        "amber"
    )


def test_the_sheet_lists_a_task_red_for_a_finding() -> None:
    rows = supervision_sheet_rows([("（五）督查", light(findings=(finding(),)))])
    assert rows[0]["code"] == "finding_overdue" and "区财政局" in rows[0]["reasons"]
