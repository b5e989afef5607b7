"""Unit tests of the pure parsing pieces: dates, quantities, cells, names, paragraphs."""

from __future__ import annotations

import pytest

from gaodi.plans.parsing.deadlines import find_deadlines
from gaodi.plans.parsing.departments import Registry, body_of_position, split_names
from gaodi.plans.parsing.indicators import parse_cell, split_label
from gaodi.plans.parsing.paragraphs import continues
from gaodi.plans.parsing.quantities import find_quantities
from gaodi.plans.parsing.text import arabise_dates, cn_to_int, fold, int_to_cn


@pytest.mark.parametrize(
    ("text", "date", "phrase"),
    [
        ("2020年6月底前，区政府出台文件", "2020-06-30", "2020年6月底前"),
        ("到2022年，将学校建成示范校", "2022-12-31", "到2022年"),
        ("争取2020年12月底前化解债务", "2020-12-31", "2020年12月底前"),
        ("2022年前争取达到省示范校标准", "2021-12-31", "2022年前"),
        ("2021年底前完成", "2021-12-31", "2021年底前"),
        ("2021年上半年完成", "2021-06-30", "2021年上半年"),
        ("2021年第三季度完成", "2021-09-30", "2021年第三季度"),
        ("于2021年9月15日前完成", "2021-09-15", "于2021年9月15日前"),
        ("2024年2月底前完成", "2024-02-29", "2024年2月底前"),
        ("二〇二一年十二月底前完成", "2021-12-31", "二〇二一年十二月底前"),
        ("2021年9月中旬前完成", "2021-09-20", "2021年9月中旬前"),
        ("2021年1-6月完成", "2021-06-30", "2021年1-6月"),
        ("力争2023年完成", "2023-12-31", "2023年"),
        ("2021年年底前完成", "2021-12-31", "2021年年底前"),
        ("2022年6月前完成", "2022-05-31", "2022年6月前"),
    ],
)
def test_a_deadline_phrase_gives_the_last_day_it_allows(text: str, date: str, phrase: str) -> None:
    folded = arabise_dates(fold(text))
    [found] = find_deadlines(folded)
    assert found.date.isoformat() == date
    assert text[found.start : found.end] == phrase


@pytest.mark.parametrize(
    "text",
    [
        "自2019年1月1日起实施",
        "落实《中国教育现代化2035》",
        "聊茌政发〔2020〕19号",
        "2019年以来成效明显",
        "在2020年基础上提高10%",
        "2021年以后实施",
        "2025年前后完成",
    ],
)
def test_a_start_date_a_title_or_a_document_number_is_not_a_deadline(text: str) -> None:
    assert find_deadlines(arabise_dates(fold(text))) == []


def test_before_a_year_is_flagged_as_ambiguous() -> None:
    [found] = find_deadlines("2022年前争取")
    assert found.ambiguous


@pytest.mark.parametrize(
    ("text", "value", "unit", "comparator", "kind"),
    [
        ("年培训量达5千人次以上", 5000, "人次", ">=", "target"),
        ("教师比例达到70%以上", 70, "%", ">=", "target"),
        ("均不低于30%用于职业教育", 30, "%", ">=", "target"),
        ("一期建设拟投资8.3亿元", 8.3, "亿元", "=", "target"),
        ("占地300亩", 300, "亩", "=", "target"),
        ("最终建成占地近千亩", 1000, "亩", "~", "target"),
        ("学生规模达万人", 10000, "人", ">=", "target"),
        ("年培训1.5万人次", 15000, "人次", "=", "target"),
        ("培训量按25%比例折算成全日制学生培养工作量", 25, "%", "=", "parameter"),
        ("可按投资额的30%比例，抵免", 30, "%", "=", "parameter"),
        ("最高可达到基准线的5倍", 5, "倍", "<=", "parameter"),
        ("可提取50%以上用于教师劳动报酬", 50, "%", ">=", "parameter"),
        ("学校20%编制员额内自主招聘", 20, "%", "=", "parameter"),
        ("应具有3年以上企业工作经历", 3, "年", ">=", "parameter"),
        ("专项经费不超过200万元", 200, "万元", "<=", "target"),
        ("培训量达到5万人日", 50000, "人日", ">=", "target"),
        ("建设3至5个实训基地", 3, "个", ">=", "target"),
        ("培训1000余人", 1000, "人", ">=", "target"),
        ("比上年提高5个百分点", 5, "%", "=", "change"),
    ],
)
def test_a_quantity_has_value_unit_comparator_and_kind(
    text: str, value: float, unit: str, comparator: str, kind: str
) -> None:
    [q] = find_quantities(fold(text))
    assert (q.value, q.unit, q.comparator, q.kind) == (value, unit, comparator, kind)


@pytest.mark.parametrize(
    "text",
    ["“1+X”证书", "党的十九大", "五位一体", "2020年", "比例为2:8", "3个月内完成", "60天内办结"],
)
def test_numbers_without_a_measure_are_not_quantities(text: str) -> None:
    assert find_quantities(fold(text)) == []


@pytest.mark.parametrize(
    ("raw", "value", "parts"),
    [
        ("11:1（2193/202）", 2193 / 202, {"numerator": 2193, "denominator": 202}),
        ("91.3%（126/138）", 91.3, {"numerator": 126, "denominator": 138}),
        ("2: 8", 0.25, {"numerator": 2, "denominator": 8}),
        ("4. 5: 5. 5", 4.5 / 5.5, {"numerator": 4.5, "denominator": 5.5}),
        ("5387.35", 5387.35, None),
        ("", None, None),
        ("计算机应用", None, None),
    ],
)
def test_an_indicator_cell_keeps_its_value_and_parts(
    raw: str, value: float | None, parts: dict | None
) -> None:  # type: ignore[type-arg]
    cell = parse_cell(raw)
    assert cell.value == (pytest.approx(value) if value is not None else None)
    assert cell.parts == parts


def test_a_label_gives_name_and_measure_or_formula() -> None:
    assert split_label("中职学校数量 (所)") == ("中职学校数量", "所", None)
    assert split_label("其中, 特色中职学校数量 (所)") == ("特色中职学校数量", "所", None)
    assert split_label("中职学校生师比（在校生数/专任教师数）") == (
        "中职学校生师比",
        None,
        {"numerator": "在校生数", "denominator": "专任教师数"},
    )
    assert split_label("培训规模与全日制在校生比例") == ("培训规模与全日制在校生比例", None, None)


def test_names_are_split_verbatim_with_repeats_kept() -> None:
    assert split_names("区财政局、区人社局、区财政局、区教体局") == [
        "区财政局",
        "区人社局",
        "区财政局",
        "区教体局",
    ]
    assert split_names("区人力资源 和社会保障局，区财政局等") == [
        "区人力资源和社会保障局",
        "区财政局",
    ]


def test_a_position_names_its_body() -> None:
    assert body_of_position("区教育体育局局长") == "区教育体育局"
    assert body_of_position("区委书记（副厅级）") == "区委"
    assert body_of_position("编办主任") == "编办"
    assert body_of_position("郭飞") is None


def _resolve(level: str, *names: str) -> dict[str, str]:
    registry = Registry(level)
    registry.add(names)
    return registry.resolve().canonical


def test_another_countys_names_resolve_by_the_same_rules() -> None:
    canonical = _resolve(
        "县",
        "县教育和体育局",
        "县教体局",
        "县发展和改革局",
        "县发改委",
        "县人社局",
        "县人力资源和社会保障局",
        "县编办",
        "县委编办",
        "县住建局",
        "县委办公室",
        "县政府办公室",
    )
    assert canonical["县教体局"] == "县教育和体育局"
    assert canonical["县发改委"] == "县发展和改革局"
    assert canonical["县人社局"] == "县人力资源和社会保障局"
    assert canonical["县编办"] == "县委编办"
    assert canonical["县住建局"] == "县住建局"
    assert canonical["县委办公室"] != canonical["县政府办公室"]


def test_distinct_bodies_are_never_merged() -> None:
    canonical = _resolve(
        "区", "区委办公室", "区政府办公室", "区委组织部", "区委宣传部", "区科技局", "区财政局"
    )
    assert len(set(canonical.values())) == 6


def test_a_near_miss_resolves_with_a_warning_and_a_collective_stays_apart() -> None:
    registry = Registry("区")
    registry.add(["区农业农村局", "区农业农业农村局", "区政府有关部门"])
    result = registry.resolve()
    assert result.canonical["区农业农业农村局"] == "区农业农村局"
    assert result.near_misses == {"区农业农业农村局": "区农业农村局"}
    assert [w.code for w in result.warnings] == ["unknown-unit"]
    assert next(d for d in result.departments if d.name == "区政府有关部门").collective


def test_traditional_spellings_resolve_like_simplified_ones() -> None:
    canonical = _resolve("區", "區教育和體育局", "區教體局")
    assert canonical["區教體局"] == "區教育和體育局"


@pytest.mark.parametrize(
    ("previous", "following", "joined"),
    [
        ("区政府出台职业院校落实学校五项办学自主权并实行事后备案的具体", "文件，以适应产业", True),
        ("优化职业学校布局结", "构，提升职业院校", False),  # too short to be a cut prose line
        ("依法依规给予相应奖励或津贴，做好遴选推荐工作，", "依法依规给予", True),
        ("…地方教育附加。", "(牵头单位：区教育和体育局)", False),
        ("一、指导思想", "以习近平新时代中国特色社会主义思想为指导", False),
        ("聊城市茌平区建设职业教育创新发展高地实施方案", "为加快推进职业教育高质量发展", False),
        ("关于印发聊城市茌平区建设职业教育创新发展高地实施方案的通知", "各乡镇人民政府：", False),
        ("…积极开展职业教育集团建设，探索各相关方", "（二）下一项", False),
    ],
)
def test_a_cut_line_is_joined_and_a_real_break_is_kept(
    previous: str, following: str, joined: bool
) -> None:
    assert continues(fold(previous), fold(following)) is joined


def test_chinese_numerals_round_trip() -> None:
    for n in (1, 9, 10, 14, 20, 23, 99, 105, 120):
        assert cn_to_int(int_to_cn(n)) == n
    assert cn_to_int("二〇二〇") == 2020


def test_an_autonomous_county_keeps_its_own_prefix() -> None:
    canonical = _resolve("自治县", "自治县教育局", "自治县教体局")
    assert canonical == {"自治县教育局": "自治县教育局", "自治县教体局": "自治县教育局"}


def test_without_a_known_level_no_prefix_is_invented() -> None:
    assert _resolve("", "教育局", "财政局") == {"教育局": "教育局", "财政局": "财政局"}


def test_short_office_names_resolve_to_the_office() -> None:
    canonical = _resolve("县", "县政府办", "县政府办公室", "县委办", "县委办公室")
    assert canonical["县政府办"] == "县政府办公室"
    assert canonical["县委办"] == "县委办公室"
    assert canonical["县委办"] != canonical["县政府办"]


def test_a_name_keeps_its_own_brackets() -> None:
    assert split_names("各乡镇人民政府（街道办事处）、(区财政局)、各县（市、区）人民政府") == [
        "各乡镇人民政府（街道办事处）",
        "区财政局",
        "各县（市、区）人民政府",
    ]


def test_a_cited_document_number_is_not_the_plans_own() -> None:
    from gaodi.plans.parsing import parse_bytes

    cited = "县职业教育实施方案\n为落实《关于…的意见》（鲁政发〔2020〕3号）要求，制定本方案。\n"
    assert parse_bytes(cited.encode()).document.doc_number is None
    own = "某政办发〔2023〕12号\n县职业教育实施方案\n为落实（鲁政发〔2020〕3号）要求。\n"
    assert parse_bytes(own.encode()).document.doc_number == "某政办发〔2023〕12号"
