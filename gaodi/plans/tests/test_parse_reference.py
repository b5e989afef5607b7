"""The reference plan, parsed from each of its forms, must come out exactly as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaodi.plans.parsing import PlanDraft, example_plan_path, parse_path
from gaodi.plans.parsing.text import fold

from . import reference as ref

FORMS = Path(__file__).parent / "fixtures" / "forms"
PATHS = {
    "txt": example_plan_path(),
    "gb18030": FORMS / "chiping-2020-19.gb18030.txt",
    "docx": FORMS / "chiping-2020-19.docx",
    "pdf": FORMS / "chiping-2020-19.pdf",
}
_cache: dict[str, PlanDraft] = {}


def draft_of(form: str) -> PlanDraft:
    if form not in _cache:
        _cache[form] = parse_path(PATHS[form])
    return _cache[form]


@pytest.fixture(params=list(PATHS))
def draft(request: pytest.FixtureRequest) -> PlanDraft:
    return draft_of(request.param)


def test_it_reads_the_document_header(draft: PlanDraft) -> None:
    assert draft.document.title == "聊城市茌平区建设职业教育创新发展高地实施方案"
    assert draft.document.doc_number == "聊茌政发〔2020〕19号"
    assert draft.document.issuer == "聊城市茌平区人民政府"
    assert draft.document.issue_date == "2020-07-02"


def test_it_finds_the_23_tasks_with_their_first_sentence_as_title(draft: PlanDraft) -> None:
    assert [t.number for t in draft.tasks] == list(range(1, 24))
    assert {t.number: t.title for t in draft.tasks} == ref.TITLES
    assert {t.number: t.section for t in draft.tasks} == ref.SECTIONS


def test_it_keeps_lead_and_cooperating_departments_verbatim_in_order(draft: PlanDraft) -> None:
    assert {t.number: (t.lead_units, t.coop_units) for t in draft.tasks} == ref.PAIRS


def test_it_joins_the_nine_page_breaks_that_fall_mid_sentence(draft: PlanDraft) -> None:
    text = {t.number: t.text for t in draft.tasks}
    joined = {
        3: "的具体文件，以适应",
        5: "优化职业学校布局结构，提升",
        7: "“百万工匠”后备人才",
        8: "参加的职业教育联席会",
        14: "遴选我区行业领先企业",
        17: "遴选推荐工作，依法依规",
        20: "引进国际一流的教育教学理念",
        21: "学校工会、共青团等群团组织",
        23: "区人力资源和社会保障局、区财政局",
    }
    for number, fragment in joined.items():
        assert fragment in text[number], number


def test_it_keeps_the_real_paragraph_breaks_before_two_responsibility_clauses(
    draft: PlanDraft,
) -> None:
    text = {t.number: t.text for t in draft.tasks}
    assert "地方教育附加。\n(牵头单位" in text[12]
    assert "大赛新机制。\n（牵头单位" in text[18]
    assert [n for n, t in text.items() if "\n" in t] == [12, 18]


def test_it_reads_deadlines_as_the_last_day_the_phrase_allows(draft: PlanDraft) -> None:
    dates = {
        t.number: [(d.phrase, d.date) for d in t.deadlines] for t in draft.tasks if t.deadlines
    }
    assert dates[1] == [("2022年前", "2021-12-31")]
    assert dates[3] == [("2020年6月底前", "2020-06-30")]
    assert dates[5] == [("到2022年", "2022-12-31")]
    assert dates[15] == [("到2020年6月底前", "2020-06-30")]
    assert dates[16] == [("2020年6月底前", "2020-06-30")]
    rows = {r.seq: [d.date for d in r.deadlines] for r in draft.task_list if r.deadlines}
    assert rows[3] == ["2020-12-31"]
    assert rows[4] == ["2021-12-31"]
    assert any(w.code == "ambiguous-deadline" and "2022年前" in w.message for w in draft.warnings)


def _targets(draft: PlanDraft, number: int) -> list[tuple[float, str | None, str, str]]:
    task = next(t for t in draft.tasks if t.number == number)
    return [(q.value, q.unit, q.comparator, q.kind) for q in task.targets]


def test_it_reads_targets_with_value_unit_and_comparator(draft: PlanDraft) -> None:
    assert (5000, "人次", ">=", "target") in _targets(draft, 7)
    assert (70, "%", ">=", "target") in _targets(draft, 14)
    assert (30, "%", ">=", "target") in _targets(draft, 1)
    assert (8.3, "亿元", "=", "target") in _targets(draft, 2)
    assert (300, "亩", "=", "target") in _targets(draft, 2)
    assert (5, "门", ">=", "target") in _targets(draft, 9)
    assert (5, "项", ">=", "target") in _targets(draft, 10)
    seventy = next(q for t in draft.tasks if t.number == 14 for q in t.targets)
    assert seventy.year == 2022


def test_it_keeps_rule_numbers_as_parameters_not_targets(draft: PlanDraft) -> None:
    assert (25, "%", "=", "parameter") in _targets(draft, 7)
    assert (30, "%", "=", "parameter") in _targets(draft, 12)
    assert (5, "倍", "<=", "parameter") in _targets(draft, 16)
    assert (50, "%", ">=", "parameter") in _targets(draft, 16)
    assert (20, "%", "=", "parameter") in _targets(draft, 15)
    assert (3, "年", ">=", "parameter") in _targets(draft, 15)


def test_it_reads_the_41_task_list_rows_with_repeats_kept(draft: PlanDraft) -> None:
    assert [r.seq for r in draft.task_list] == list(range(1, 42))
    assert {r.seq: r.units for r in draft.task_list} == ref.ROW_UNITS


def test_it_links_each_row_to_the_tasks_it_restates(draft: PlanDraft) -> None:
    assert {r.seq: r.task_numbers for r in draft.task_list} == ref.ROW_TASKS


def test_it_reads_the_leading_group_and_its_office(draft: PlanDraft) -> None:
    assert [(m.name, m.role, m.position) for m in draft.leading_group] == ref.LEADING_GROUP
    assert draft.leading_group_office is not None
    assert draft.leading_group_office["department"] == "区教育和体育局"
    assert draft.leading_group_office["director"] == "高廷泽"


def test_it_resolves_every_spelling_to_one_department(draft: PlanDraft) -> None:
    for spelling, canonical in ref.CANONICAL.items():
        assert draft.canonical(spelling) == canonical, spelling
    names = [u.name for u in draft.units]
    assert len(names) == len(set(names))
    assert "区委办公室" in names and "区政府办公室" in names
    collective = {u.name for u in draft.units if u.collective}
    assert "区政府有关部门" in collective
    assert "区教育体育局" in next(u for u in draft.units if u.name == "区教育和体育局").aliases
    assert any(w.code == "unknown-unit" and "区农业农业农村局" in w.message for w in draft.warnings)


def test_it_reads_the_six_indicator_tables(draft: PlanDraft) -> None:
    tables = [t.title for t in draft.tables]
    for title in (
        "一、规模与布局",
        "二、专业布局",
        "三、师资队伍",
        "四、实训基地",
        "五、经费投入",
        "六、社会培训",
    ):
        assert title in tables
    by_name = {i.name: i for i in draft.indicators}
    ratio = by_name["中职学校生师比"]
    assert ratio.values["2019"] == pytest.approx(2193 / 202)
    assert ratio.parts["2019"] == {"numerator": 2193, "denominator": 202}
    assert ratio.formula == {"numerator": "在校生数", "denominator": "专任教师数"}
    assert ratio.unit is None
    dual = by_name["中职学校“双师型”教师比例"]
    assert dual.values["2022"] == 95.4 and dual.raw["2022"] == "95.4%（210/220）"
    assert by_name["高中阶段招生职普比"].values["2019"] == 0.25
    assert by_name["高中阶段招生职普比"].values["2022"] == pytest.approx(4.5 / 5.5)
    assert by_name["培训规模"].unit == "人日" and by_name["培训规模"].values["2022"] == 17000
    assert by_name["校内实训基地生均工位数"].values["2019"] == 0.04
    assert by_name["综合性中职学校数量"].subset_of == "中职学校数量"
    assert by_name["中职学校校均在校生规模"].values == {
        "2019": 2182,
        "2020": 3400,
        "2021": 4800,
        "2022": 6000,
    }


def test_it_reads_the_specialty_table_as_one_table_by_industry(draft: PlanDraft) -> None:
    table = next(t for t in draft.tables if t.title == "二、专业布局")
    industries = [row[0] for row in table.rows]
    assert industries[:2] == ["新一代信息技术", "高端装备"]
    assert "精品旅游" in industries and "其他重点产业2" in industries
    assert "产业" not in industries
    by_name = {i.name: i for i in draft.indicators}
    assert by_name["新一代信息技术学生数"].values == {
        "2019": 564,
        "2020": 664,
        "2021": 750,
        "2022": 750,
    }
    assert by_name["现代金融服务专业点数"].values["2019"] == 2
    assert fold(by_name["高端装备学生数"].specialties["2019"][1]) == "数控技术应用"  # type: ignore[index]


def _comparable(draft: PlanDraft) -> dict[str, object]:
    data = draft.to_dict()
    drop_line = lambda items: [{k: v for k, v in i.items() if k != "line"} for i in items]  # noqa: E731
    return {
        "tasks": drop_line(data["tasks"]),
        "task_list": drop_line(data["task_list"]),
        "units": data["units"],
        "leading_group": data["leading_group"],
        "office": data["leading_group_office"],
        "document": data["document"],
    }


@pytest.mark.parametrize("form", ["gb18030", "docx", "pdf"])
def test_every_form_gives_the_same_tasks_rows_and_registry_as_the_text(form: str) -> None:
    assert _comparable(draft_of(form)) == _comparable(draft_of("txt"))


@pytest.mark.parametrize("form", ["docx", "pdf"])
def test_every_form_gives_the_same_audit_findings(form: str) -> None:
    from gaodi.plans.consistency import audit_plan

    def findings(d: PlanDraft) -> list[tuple[str, object]]:
        return [(f.code, f.where) for f in audit_plan(d)]

    assert findings(draft_of(form)) == findings(draft_of("txt"))
