"""The plan audit on other counties' plans: units that convert, parts and wholes, 生均 in 元
from totals in 万元, one table contradicting itself, places named as the plan names them.

Also the audit-* fixtures (fixtures/plan_forms/audit-*.txt): their findings are exactly the
codes listed under "exact_findings" in the .expected.json, in the audit's order.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gaodi.plans.consistency import Finding, audit_plan
from gaodi.plans.consistency.finding import task_label
from gaodi.plans.parsing import parse_bytes, parse_path
from gaodi.plans.parsing.draft import PlanDraft, Task

FORMS = Path(__file__).parent / "fixtures" / "plan_forms"
AUDIT_FORMS = sorted(p.name.removesuffix(".txt") for p in FORMS.glob("audit-*.txt"))

HEAD = """青禾区人民政府关于印发青禾区职业教育行动计划的通知

青禾区人民政府
2024年5月8日

青禾区职业教育行动计划

一、重点任务
"""


def draft_of(tasks: str, *table: str, attachment: str = "附件2") -> PlanDraft:
    text = HEAD + tasks
    if table:
        text += f"\n{attachment}\n\n青禾区职业教育主要指标\n\n" + "\n".join(table) + "\n"
    return parse_bytes(text.encode("utf-8"))


def audit(tasks: str, *table: str, attachment: str = "附件2") -> list[Finding]:
    return audit_plan(draft_of(tasks, *table, attachment=attachment))


def codes(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def funding_task(amount: str) -> str:
    sentence = "到2025年，全区财政性职业教育经费投入达到" + amount + "。"
    return "（一）加大投入。" + sentence + "\n牵头单位：区财政局\n"


MONEY_TABLE = (
    "序号\t指标\t单位\t2024年\t2025年",
    "1\t财政性职业教育经费投入\t亿元\t0.4\t0.5",
)


def test_a_money_target_in_万元_agrees_with_the_same_figure_in_亿元() -> None:
    tasks = funding_task("5000万元")
    draft = draft_of(tasks, *MONEY_TABLE)
    [funding] = draft.indicators
    assert (funding.unit, funding.values["2025"]) == ("亿元", 0.5)
    assert codes(audit_plan(draft), "target-conflict") == []


def test_a_money_target_that_differs_after_conversion_is_a_conflict_with_units_shown() -> None:
    tasks = funding_task("6000万元")
    [conflict] = codes(audit(tasks, *MONEY_TABLE), "target-conflict")
    assert [e["value"] for e in conflict.evidence] == ["6000万元", "0.5亿元"]
    assert "6000万元" in conflict.message and "0.5亿元" in conflict.message


def test_a_part_stated_with_其中_is_not_compared_with_its_whole() -> None:
    tasks = (
        "（一）扩大社会培训。到2025年，全区社会培训规模达到2万人次，"
        "其中退役军人社会培训规模达到5000人次。\n牵头单位：区人社局\n"
    )
    assert codes(audit(tasks), "target-conflict") == []


def test_a_part_is_compared_with_its_own_row_of_the_table() -> None:
    tasks = (
        "（一）扩大社会培训。到2025年，全区社会培训规模达到2万人次，"
        "其中退役军人培训规模达到5000人次。\n牵头单位：区人社局\n"
    )
    table = (
        "序号\t指标\t单位\t2024年\t2025年",
        "1\t社会培训规模\t人次\t1.5万\t20,000",
        "2\t其中：退役军人培训规模\t人次\t4000\t6000",
    )
    [conflict] = codes(audit(tasks, *table), "target-conflict")
    assert [e["value"] for e in conflict.evidence] == ["5000人次", "6000人次"]


def test_two_figures_of_one_task_are_never_compared_with_each_other() -> None:
    tasks = (
        "（一）扩大社会培训。到2025年，社会培训规模达到2万人次；"
        "到2025年底，社会培训规模力争达到2.5万人次。\n牵头单位：区人社局\n"
    )
    assert codes(audit(tasks), "target-conflict") == []


PER_STUDENT = (
    "指标\t2024年\t2025年",
    "中职学校在校生数（人）\t3000\t3000",
    "中职财政拨款（万元）\t900\t990",
)
TASK = "（一）保障办学经费。区财政足额安排生均拨款。\n牵头单位：区财政局\n"


def test_per_student_funding_in_元_is_computed_from_a_total_in_万元() -> None:
    findings = audit(TASK, *PER_STUDENT, "中职生均财政拨款（元）\t3000\t3300")
    assert codes(findings, "table-arithmetic") == []


def test_per_student_funding_that_does_not_match_its_total_is_flagged() -> None:
    findings = audit(TASK, *PER_STUDENT, "中职生均财政拨款（元）\t3000\t2000")
    [wrong] = codes(findings, "table-arithmetic")
    assert wrong.where == [
        {"table": "青禾区职业教育主要指标", "indicator": "中职生均财政拨款", "year": 2025}
    ]
    assert "3300" in wrong.message and "990万元" in wrong.message


def test_per_student_funding_is_computed_from_a_total_enrolment_without_a_level() -> None:
    findings = audit(
        TASK,
        "项目\t2024年\t2025年",
        "在校生数（人）\t3000\t3000",
        "财政拨款（万元）\t900\t990",
        "生均财政拨款（元）\t3000\t2000",
    )
    [wrong] = codes(findings, "table-arithmetic")
    assert wrong.where[0]["year"] == 2025 and "在校生取自在校生数" in wrong.message


def test_a_ratio_printed_with_a_comparator_is_still_checked_against_its_parts() -> None:
    findings = audit(
        TASK,
        "项目\t2024年\t2025年",
        "中职学校“双师型”教师比例（“双师型”教师数/专业课教师总数）\t≥90%（126/138）\t≥95%（126/138）",
    )
    [wrong] = codes(findings, "table-arithmetic")
    assert wrong.where[0]["year"] == 2025 and "≥95%" in wrong.message


def test_a_student_teacher_ratio_that_contradicts_its_own_table_is_reported() -> None:
    findings = audit(
        TASK,
        "项目\t2024年\t2025年",
        "中职学校在校生数（人）\t3000\t3200",
        "中职学校生师比（在校生数/专任教师数）\t15:1（3000/200）\t16:1（3400/212）",
    )
    [wrong] = codes(findings, "table-arithmetic")
    assert codes(findings, "cross-table-mismatch") == []
    assert [w["indicator"] for w in wrong.where] == ["中职学校在校生数", "中职学校生师比"]
    assert wrong.where[0]["year"] == 2025
    assert "同一张表" in wrong.message and "3200" in wrong.message and "3400" in wrong.message


def test_a_copied_row_of_a_table_with_serial_and_unit_columns_is_named_by_its_label() -> None:
    findings = audit(
        TASK,
        "序号\t指标\t单位\t2024年\t2025年",
        "1\t校内实训基地工位数\t个\t300\t1000",
        "2\t共享性实训基地工位数\t个\t300\t1000",
    )
    [copy] = codes(findings, "duplicate-row")
    assert [w["indicator"] for w in copy.where] == ["共享性实训基地工位数", "校内实训基地工位数"]
    assert copy.severity == "info"  # equal figures only, no copied text


def test_a_table_is_named_after_the_attachment_it_stands_in() -> None:
    tasks = funding_task("6000万元")
    [conflict] = codes(audit(tasks, *MONEY_TABLE, attachment="附件1"), "target-conflict")
    assert conflict.evidence[1]["source"].startswith("附件1 青禾区职业教育主要指标")


def test_a_task_is_named_in_the_plans_own_numbering() -> None:
    tasks = "1. 出台实施办法。2024年3月底前出台实施办法。\n牵头单位：区教育局\n"
    [late] = codes(audit(tasks), "deadline-before-issue")
    assert late.message.startswith("重点任务第1项要求")


@pytest.mark.parametrize(
    ("numbering", "label"),
    [
        ("cn_paren", "重点任务（十四）"),
        ("cn_dun", "重点任务第十四项"),
        ("ar_dot", "重点任务第14项"),
        ("ar_paren", "重点任务（14）"),
        ("circled", "重点任务⑭"),
        ("di", "重点任务第十四条"),
        ("", "重点任务（十四）"),
    ],
)
def test_every_numbering_style_prints_as_the_plan_prints_it(numbering: str, label: str) -> None:
    task = Task(14, "", "重点任务", "", [], [], numbering=numbering)
    assert task_label(task) == label


@pytest.mark.parametrize("name", AUDIT_FORMS)
def test_an_audit_fixture_gives_exactly_its_expected_findings(name: str) -> None:
    expected = json.loads((FORMS / f"{name}.expected.json").read_text("utf-8"))
    findings = audit_plan(parse_path(FORMS / f"{name}.txt"))
    assert [f.code for f in findings] == expected["exact_findings"]


def test_there_are_audit_fixtures() -> None:
    assert len(AUDIT_FORMS) >= 2
