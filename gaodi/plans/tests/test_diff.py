"""The version diff, on plain snapshots (no database)."""

from __future__ import annotations

from gaodi.plans.diff import diff_snapshots, draft_snapshot, is_empty
from gaodi.plans.parsing import example_plan_path, parse_path


def test_the_same_plan_has_no_differences() -> None:
    snapshot = draft_snapshot(parse_path(example_plan_path()))
    assert is_empty(diff_snapshots(snapshot, snapshot))


def test_tasks_and_departments_added_removed_and_changed_are_listed() -> None:
    old = {
        "tasks": {
            "重点任务:1": {
                "title": "甲",
                "lead": ["区财政局"],
                "coop": [],
                "deadlines": [],
                "targets": [],
            },
            "重点任务:2": {
                "title": "乙",
                "lead": ["区教育局"],
                "coop": [],
                "deadlines": [],
                "targets": [],
            },
        },
        "departments": ["区财政局", "区教育局"],
    }
    new = {
        "tasks": {
            "重点任务:1": {
                "title": "甲",
                "lead": ["区人社局"],
                "coop": [],
                "deadlines": ["2021-06-30"],
                "targets": [],
            },
            "保障措施:1": {
                "title": "丙",
                "lead": ["区财政局"],
                "coop": [],
                "deadlines": [],
                "targets": [],
            },
        },
        "departments": ["区人社局", "区财政局"],
    }
    diff = diff_snapshots(old, new)
    assert diff["tasks_added"] == ["保障措施:1"]
    assert diff["tasks_removed"] == ["重点任务:2"]
    assert diff["tasks_changed"] == {
        "重点任务:1": {
            "lead": {"before": ["区财政局"], "after": ["区人社局"]},
            "deadlines": {"before": [], "after": ["2021-06-30"]},
        }
    }
    assert (diff["departments_added"], diff["departments_removed"]) == (["区人社局"], ["区教育局"])


def test_the_reference_snapshot_names_departments_by_their_canonical_names() -> None:
    snapshot = draft_snapshot(parse_path(example_plan_path()))
    assert snapshot["tasks"]["重点任务:14"]["lead"] == ["区教育和体育局"]
    assert snapshot["tasks"]["重点任务:14"]["targets"] == [">=70%@2022"]
    assert "区教体局" not in snapshot["departments"] and "区教育和体育局" in snapshot["departments"]
