"""The plan audit on the reference plan, and on mutated copies: findings follow the text."""

from __future__ import annotations

from functools import cache

from gaodi.plans.consistency import Finding, audit_plan
from gaodi.plans.parsing import example_plan_path, parse_bytes

REFERENCE = example_plan_path().read_text("utf-8")


@cache
def audit(text: str = REFERENCE) -> tuple[Finding, ...]:
    return tuple(audit_plan(parse_bytes(text.encode("utf-8"))))


def codes(findings: tuple[Finding, ...], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def mutated(*replacements: tuple[str, str, int]) -> str:
    text = REFERENCE
    for old, new, count in replacements:
        assert old in text, old
        text = text.replace(old, new, count)
    return text


def test_it_finds_the_dual_qualified_target_stated_three_ways() -> None:
    [conflict] = codes(audit(), "target-conflict")
    assert conflict.where[:2] == [{"task": 14}, {"row": 29}]
    assert conflict.where[2]["table"] == "三、师资队伍" and conflict.where[2]["year"] == 2022
    assert [e["value"] for e in conflict.evidence] == ["70%", "80%", "95.4%（210/220）"]
    assert "70%" in conflict.message and "80%" in conflict.message and "95.4%" in conflict.message


def test_it_finds_deadlines_before_the_issue_date() -> None:
    found = codes(audit(), "deadline-before-issue")
    assert [f.where[0] for f in found] == [
        {"task": 3},
        {"task": 15},
        {"task": 16},
        {"row": 6},
        {"row": 31},
        {"row": 34},
    ]
    assert all("2020-06-30" in f.message and "2020-07-02" in f.message for f in found)


def test_it_finds_the_enrolment_that_differs_between_two_tables() -> None:
    found = codes(audit(), "cross-table-mismatch")
    first = next(f for f in found if f.where[0]["year"] == 2019)
    assert "2182" in first.message and "2193" in first.message
    assert "全市平均数" in first.message  # the 备注 that may explain it
    assert {f.where[0]["year"] for f in found} == {2019, 2020, 2021}  # 2022: 6000 in both


def test_it_recomputes_per_student_workstations_and_flags_only_2019() -> None:
    [wrong] = codes(audit(), "table-arithmetic")
    assert wrong.where == [
        {"table": "四、实训基地", "indicator": "校内实训基地生均工位数", "year": 2019}
    ]
    assert "0.04" in wrong.message and "0.023" in wrong.message


def test_it_raises_no_alarm_for_rounding_truncation_or_subset_rows() -> None:
    # 11:1 for 2193/202, 1.6 for 8000/4800, 95.4% for 210/220 and the 其中 rows all pass.
    flagged = {
        (w.get("indicator"), w.get("year"))
        for f in codes(audit(), "table-arithmetic")
        for w in f.where
    }
    assert flagged == {("校内实训基地生均工位数", 2019)}


def test_it_finds_the_training_volume_measured_in_two_units() -> None:
    [mismatch] = codes(audit(), "unit-mismatch")
    assert {"task": 7} in mismatch.where and {"row": 16} in mismatch.where
    assert "人次" in mismatch.message and "人日" in mismatch.message


def test_it_finds_the_misspelt_department() -> None:
    [unknown] = codes(audit(), "unknown-unit")
    assert unknown.where == [{"row": 13}]
    assert "区农业农业农村局" in unknown.message and "区农业农村局" in unknown.message


def test_it_finds_a_department_named_twice_in_one_row() -> None:
    [twice] = codes(audit(), "duplicate-unit")
    assert twice.where == [{"row": 35}] and "区财政局" in twice.message


def test_it_finds_rows_that_copy_another_rows_cells() -> None:
    found = codes(audit(), "duplicate-row")
    copies = {
        (f.where[0]["indicator"], f.where[1]["indicator"]) for f in found if f.severity == "warning"
    }
    assert copies == {("其他重点产业1", "新一代信息技术"), ("其他重点产业2", "高端装备")}


def test_it_finds_task_list_rows_that_omit_the_lead_department() -> None:
    found = codes(audit(), "list-lead-missing")
    assert [f.where for f in found] == [
        [{"row": 13}, {"task": 5}],
        [{"row": 35}, {"task": 17}],
        [{"row": 41}, {"task": 23}],
    ]


def test_moving_the_deadlines_makes_their_findings_follow() -> None:
    text = mutated(("2020年6月底前", "2020年9月底前", -1), ("2022年前争取", "2020年5月底前争取", 1))
    found = codes(audit(text), "deadline-before-issue")
    assert [f.where for f in found] == [[{"task": 1}]]
    assert "2020-05-31" in found[0].message


def test_changing_a_stated_ratio_makes_the_arithmetic_finding_follow() -> None:
    fixed = mutated(("\t0.04\t", "\t0.02\t", 1))
    assert codes(audit(fixed), "table-arithmetic") == []
    broken = mutated(("91.3%（126/138）\t91.3%", "95.3%（126/138）\t91.3%", 1))
    flagged = [f.where[0] for f in codes(audit(broken), "table-arithmetic")]
    assert {
        "table": "三、师资队伍",
        "indicator": "中职学校“双师型”教师比例",
        "year": 2019,
    } in flagged
    assert len(flagged) == 2  # the new one, and 生均工位数 2019 still


def test_changing_a_scale_figure_removes_its_cross_table_finding() -> None:
    text = mutated(("\t2182\t", "\t2193\t", 1))
    years = {f.where[0]["year"] for f in codes(audit(text), "cross-table-mismatch")}
    assert years == {2020, 2021}


def test_changing_the_task_list_target_makes_the_conflict_follow() -> None:
    same = mutated(("教师比例达到80%以上", "教师比例达到70%以上", 1))
    [conflict] = codes(audit(same), "target-conflict")
    assert [e["value"] for e in conflict.evidence] == ["70%", "70%", "95.4%（210/220）"]
    agreed = mutated(
        ("教师比例达到80%以上", "教师比例达到95.4%以上", 1),
        ("教师比例达到70%以上", "教师比例达到95.4%以上", 1),
    )
    assert codes(audit(agreed), "target-conflict") == []
    stricter = mutated(("教师比例达到80%以上", "教师比例达到85%以上", 1))
    [moved] = codes(audit(stricter), "target-conflict")
    assert "85%" in moved.message and "80%" not in moved.message


def test_fixing_departments_removes_their_findings() -> None:
    text = mutated(
        ("区农业农业农村局", "区农业农村局", 1),
        ("区财政局、区人社局、区财政局、区教体局", "区委组织部、区财政局、区人社局、区教体局", 1),
        (
            "争创职业教育改革成效明显区\t区教体局",
            "争创职业教育改革成效明显区\t区委组织部、区教体局",
            1,
        ),
    )
    findings = audit(text)
    assert codes(findings, "unknown-unit") == []
    assert codes(findings, "duplicate-unit") == []
    assert [f.where[0] for f in codes(findings, "list-lead-missing")] == [{"row": 13}]


def test_measuring_training_in_person_days_everywhere_removes_the_unit_mismatch() -> None:
    text = mutated(("5千人次", "5千人日", -1))
    assert codes(audit(text), "unit-mismatch") == []
