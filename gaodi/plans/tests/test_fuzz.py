"""Property tests: whatever bytes a user uploads, the parser answers with a valid PlanDraft or
a one-line Chinese ParseError, and the audit of any draft it returns meets its contract.

Examples per property come from a settings profile: `gaodi-fuzz` by default (quick, for the
edit loop), `HYPOTHESIS_PROFILE=ci` for a longer run.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, reject, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from gaodi.plans.consistency import audit_plan
from gaodi.plans.parsing import ParseError, PlanDraft, example_plan_path, parse_bytes

from .docx_files import docx_bytes, with_document_xml

settings.register_profile(
    "gaodi-fuzz",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    parent=settings.get_profile("gaodi-fuzz"),
    max_examples=250,
    print_blob=True,
)
FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "gaodi-fuzz"))

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts"
PLAN_VALIDATOR = Draft202012Validator(
    json.loads((CONTRACTS / "plan-draft.schema.json").read_text(encoding="utf-8")),
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)
AUDIT_VALIDATOR = Draft202012Validator(
    json.loads((CONTRACTS / "audit.schema.json").read_text(encoding="utf-8")),
    format_checker=Draft202012Validator.FORMAT_CHECKER,
)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
REFERENCE_BYTES = example_plan_path().read_bytes()
REFERENCE_LINES = REFERENCE_BYTES.decode("utf-8").splitlines(keepends=True)


# The tag of 任务（二十三） runs over two lines, "…区人力资源" / "和社会保障局…": cut between.
CUT_INSIDE_THE_LAST_TAG = next(
    number for number, line in enumerate(REFERENCE_LINES) if line.startswith("和社会保障局")
)


def reference_bytes() -> bytes:
    return REFERENCE_BYTES


def assert_valid_draft_or_chinese_refusal(data: bytes) -> PlanDraft | None:
    """The parser's whole promise for one input; returns the draft when there is one."""
    try:
        draft = parse_bytes(data)
    except ParseError as exc:
        message = str(exc)
        assert message.strip(), "a refusal must say why"
        assert "\n" not in message and "\r" not in message, f"not one line: {message!r}"
        assert CHINESE.search(message), f"not Chinese: {message!r}"
        event("refused")
        return None
    event("parsed, with tasks" if draft.tasks else "parsed, no tasks")
    # What `gaodi parse --json` prints: strict JSON (no NaN/Infinity) that meets the contract.
    plan = json.loads(json.dumps(draft.to_dict(), ensure_ascii=False, allow_nan=False))
    PLAN_VALIDATOR.validate(plan)
    report = {"findings": [finding.to_dict() for finding in audit_plan(draft)]}
    AUDIT_VALIDATOR.validate(json.loads(json.dumps(report, ensure_ascii=False, allow_nan=False)))
    return draft


# --- strategies -----------------------------------------------------------------------

CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
FULL_WIDTH = st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E)
CJK_PUNCTUATION = st.characters(min_codepoint=0x3000, max_codepoint=0x303F)
LAYOUT = st.sampled_from(["\t", "\n", "\r", " ", "\u3000", "\f", "\v"])
ANY_TEXT = st.text(
    alphabet=st.one_of(CJK, FULL_WIDTH, CJK_PUNCTUATION, LAYOUT, st.characters()),
    max_size=1500,
)
PLAN_TEXT = st.text(
    alphabet=st.one_of(
        CJK, FULL_WIDTH, CJK_PUNCTUATION, LAYOUT, st.characters(exclude_categories=["Cs"])
    ),
    max_size=1500,
)

DIGITS = "零一二三四五六七八九"


def can_encode(character: str, encoding: str) -> bool:
    try:
        character.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 23 -> 二十三 (as plans number their tasks, up to 99)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


DEPARTMENTS = st.sampled_from(
    [
        "区财政局",
        "区教体局",
        "区教育和体育局",
        "区发展和改革委员会",
        "区发改局",
        "区人社局",
        "区人力资源和社会保障局",
        "区委编办",
        "区残联",
        "区委组织部",
        "区税务局",
        "团区委",
        "区政府有关部门",
        "各乡镇人民政府、街道办事处",
        "区财政局局",
        "区发展和改革局",
        "市教育局",
    ]
)
UNIT_LIST = st.lists(DEPARTMENTS, min_size=1, max_size=5).flatmap(
    lambda units: st.sampled_from(["、", "，", ",", "；"]).map(lambda sep: sep.join(units))
)
TAG = st.one_of(
    st.tuples(UNIT_LIST, UNIT_LIST).map(lambda p: f"（牵头单位：{p[0]}；配合单位：{p[1]}）"),
    st.tuples(UNIT_LIST, UNIT_LIST).map(lambda p: f"(牵头单位:{p[0]};配合单位:{p[1]})"),
    UNIT_LIST.map(lambda units: f"（牵头单位：{units}）"),
    UNIT_LIST.map(lambda units: f"（责任单位：{units}）"),
    UNIT_LIST.map(lambda units: f"（牵头单位：{units}；配合单位："),
)
NUMBERING = st.one_of(
    st.integers(1, 45).map(lambda n: f"（{chinese_number(n)}）"),
    st.integers(1, 45).map(lambda n: f"({chinese_number(n)}) "),
    st.integers(1, 12).map(lambda n: f"{chinese_number(n)}、"),
    st.integers(1, 45).map(lambda n: f"{n}."),
    st.integers(1, 45).map(lambda n: f"{n}、"),
)
DEADLINE = st.builds(
    lambda template, y, m, d: template.format(y=y, m=m, d=d),
    st.sampled_from(
        [
            "{y}年{m}月底前",
            "{y}年{m}月{d}日前",
            "到{y}年",
            "{y}年前",
            "{y}年底前",
            "到{y}年{m}月底前",
            "{y}年{m}月{d}日",
            "{y}年{m}月",
            "{y}年上半年",
        ]
    ),
    st.integers(1990, 2040),
    st.integers(0, 14),
    st.integers(0, 35),
)
NUMBER = st.one_of(
    st.integers(0, 100_000).map(str),
    st.decimals(0, 1000, places=2, allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["5千", "1.5万", "8.3亿", "0", "00", "1e999", "９５", "三"]),
)
QUANTITY = st.builds(
    lambda prefix, number, unit: f"{prefix}{number}{unit}",
    st.sampled_from(["", "达到", "不低于", "提高到", "年培训量达", "按", "比例达", "控制在"]),
    NUMBER,
    st.sampled_from(
        [
            "%以上",
            "％",
            "%左右",
            "%以下",
            "%",
            "千人次以上",
            "万元",
            "亿元",
            "人日",
            "个",
            "所",
            "人",
            "倍",
            "%比例折算",
            "",
        ]
    ),
)
SENTENCE = st.one_of(
    st.sampled_from(
        [
            "完善经费长效稳定保障机制。",
            "持续加大职业教育投入，确保新增财政性教育经费投入向职业教育倾斜。",
            "加大“双师型”教师培养力度。",
            "建设一所中高职结合的高标准职业学校",
            "区政府出台具体文件，",
            "职业院校“双师型”教师比例达到",
            "，",
            "。",
            "；",
            "",
        ]
    ),
    st.text(alphabet=st.one_of(CJK, CJK_PUNCTUATION), min_size=1, max_size=30),
)
RUNNING_LINE = st.lists(
    st.one_of(NUMBERING, SENTENCE, TAG, DEADLINE, QUANTITY),
    min_size=1,
    max_size=7,
).map("".join)
CELL = st.one_of(
    st.sampled_from(
        [
            "指 标",
            "现有基础（2019年）",
            "2020年",
            "2021年",
            "2022年",
            "序号",
            "政策内容",
            "责任部门",
            "2: 8",
            "4. 5: 5. 5",
            "0.04",
            "91.3%（126/138）",
            "11:1（2193/202）",
            "",
            "其中，特色中职学校数量 (所)",
            "培训规模（人日）",
            "校内实训基地生均工位数（个）",
        ]
    ),
    NUMBER,
    UNIT_LIST,
    SENTENCE,
    QUANTITY,
)
TABLE_ROW = st.lists(CELL, min_size=2, max_size=8).map("\t".join)
HEADING = st.one_of(
    st.integers(0, 12).map(lambda n: f"附件{n}"),
    st.integers(0, 12).map(lambda n: f"附件{n}:"),
    st.integers(1, 9).map(lambda n: f"{chinese_number(n)}、重点任务"),
    st.sampled_from(
        [
            "二、重点任务",
            "三、保障措施",
            "一、规模与布局",
            "四、实训基地",
            "六、社会培训",
            "- 附件： 1. 聊城市茌平区职业教育工作推进领导小组人员名单",
            "茌平区工作任务清单",
            "备注：中职学校生师比为全市平均数。",
            "- 备注:** 1. 附表1—6职业院校为各市所举办职业院校。",
            "聊茌政发〔2020〕19号",
            "聊城市茌平区人民政府",
            "2020年7月2日",
            "（此件公开发布）",
            "**聊城市茌平区建设职业教育创新发展高地实施方案**",
            "聊城市茌平区职业教育工作领导小组人员名单",
            "组 长：\t郭 飞\t区委书记（副厅级）",
            "成 员：\t张 明\t区财政局局长",
            "\t宋 静\t区政府副区长",
            "领导小组下设办公室，办公室设在区教育和体育局。",
            "齐春英 区残联理事长",
        ]
    ),
)
TASK_LINE = st.builds(
    lambda number, title, body, tag: f"{number}{title}。{''.join(body)}{tag}",
    NUMBERING,
    SENTENCE,
    st.lists(st.one_of(SENTENCE, DEADLINE, QUANTITY), max_size=5),
    st.one_of(TAG, st.just("")),
)
PLAN_LINE = st.one_of(
    TASK_LINE,
    RUNNING_LINE,
    TABLE_ROW,
    HEADING,
    st.sampled_from(REFERENCE_LINES),
)
ENCODING = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])


@st.composite
def plan_like_text(draw: st.DrawFn) -> str:
    """Plan fragments in any order, separated as documents separate them, cut off anywhere."""
    lines = draw(st.lists(PLAN_LINE, min_size=1, max_size=40))
    breaks = draw(
        st.lists(
            st.sampled_from(["\n", "\n\n", "\r\n", "", "\t"]),
            min_size=len(lines),
            max_size=len(lines),
        )
    )
    text = "".join(line.rstrip("\r\n") + end for line, end in zip(lines, breaks, strict=True))
    return text[: draw(st.one_of(st.just(len(text)), st.integers(0, len(text))))]


@st.composite
def mutated(draw: st.DrawFn, original: Callable[[], bytes]) -> bytes:
    """The original with a few byte flips, cuts, deletions, insertions or duplicated spans."""
    data = bytearray(original())
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        operation = draw(st.sampled_from(["flip", "truncate", "delete", "insert", "duplicate"]))
        if operation == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif operation == "truncate":
            del data[at:]
        elif operation == "delete":
            del data[at : at + draw(st.integers(1, 64))]
        elif operation == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        else:
            end = min(len(data), at + draw(st.integers(1, 256)))
            data[end:end] = data[at:end]
    return bytes(data)


@st.composite
def mutated_reference_text(draw: st.DrawFn) -> str:
    """The reference plan with lines dropped, repeated or swapped, characters cut or inserted."""
    lines = list(REFERENCE_LINES)
    for _ in range(draw(st.integers(1, 5))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        operation = draw(st.sampled_from(["drop", "repeat", "swap", "cut", "insert"]))
        if operation == "drop":
            del lines[at]
        elif operation == "repeat":
            lines.insert(at, lines[at])
        elif operation == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif operation == "cut":
            line = lines[at]
            start = draw(st.integers(0, len(line)))
            lines[at] = line[:start] + line[start + draw(st.integers(1, 20)) :]
        else:
            line = lines[at]
            start = draw(st.integers(0, len(line)))
            lines[at] = line[:start] + draw(st.one_of(PLAN_LINE, PLAN_TEXT)) + line[start:]
    return "".join(lines)


@functools.cache
def small_docx() -> bytes:
    return docx_bytes(
        [
            "聊茌政发〔2020〕19号",
            "聊城市茌平区建设职业教育创新发展高地实施方案",
            "二、重点任务",
            "（一）完善经费长效稳定保障机制。2022年前化解债务，投入增长30%以上。"
            "（牵头单位：区财政局；配合单位：区发展和改革委员会、区教育和体育局）",
            "（二）加大“双师型”教师培养力度。到2022年“双师型”教师比例达到70%以上。"
            "（牵头单位：区教育和体育局；配合单位：区人力资源和社会保障局、区财政局）",
            "聊城市茌平区人民政府",
            "2020年7月2日",
            "附件3",
            "茌平区工作任务清单",
        ],
        tables=[
            [
                ["序号", "政策内容", "责任部门"],
                ["1", "持续加大职业教育投入，2020年12月底前化解债务。", "区财政局、区教体局"],
                ["2", "“双师型”教师比例达到80%。", "区教体局、区人社局"],
            ]
        ],
    )


def small_docx_document_xml() -> bytes:
    return zipfile.ZipFile(io.BytesIO(small_docx())).read("word/document.xml")


@functools.cache
def reference_tasks() -> dict[int, tuple[list[str], list[str]]]:
    draft = parse_bytes(REFERENCE_BYTES)
    return {task.number: (task.lead_units, task.coop_units) for task in draft.tasks}


# --- properties -----------------------------------------------------------------------


@pytest.mark.fuzz
@FUZZ
@given(st.binary(max_size=4096))
def test_it_answers_arbitrary_bytes_with_a_valid_draft_or_a_chinese_refusal(data: bytes) -> None:
    assert_valid_draft_or_chinese_refusal(data)


@pytest.mark.fuzz
@FUZZ
@given(
    st.sampled_from(
        [
            b"PK\x03\x04",
            b"%PDF-",
            b"%PDF-1.7\n",
            b"\xd0\xcf\x11\xe0",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"\xfe\xff",
        ]
    ),
    st.binary(max_size=4096),
)
def test_it_answers_bytes_that_only_look_like_a_known_format_with_a_draft_or_a_refusal(
    magic: bytes, rest: bytes
) -> None:
    assert_valid_draft_or_chinese_refusal(magic + rest)


@pytest.mark.fuzz
@FUZZ
@given(ANY_TEXT, st.sampled_from(["utf-8", "gb18030"]))
def test_it_answers_arbitrary_text_with_a_valid_draft_or_a_chinese_refusal(
    text: str, encoding: str
) -> None:
    # A file cannot hold what its encoding cannot write (for both: lone surrogates); skip it.
    encodable = "".join(ch for ch in text if can_encode(ch, encoding))
    assert_valid_draft_or_chinese_refusal(encodable.encode(encoding))


@pytest.mark.fuzz
@FUZZ
@example("", "utf-8-sig")
@given(st.text(alphabet=" \t\r\n\u3000", max_size=40), ENCODING)
def test_it_refuses_a_file_of_nothing_but_blank_space_in_any_encoding_as_empty(
    text: str, encoding: str
) -> None:
    # Notepad saves an empty file as UTF-8 with a BOM: three bytes, still an empty plan.
    data = text.encode(encoding)
    with pytest.raises(ParseError, match="空"):
        parse_bytes(data)


@pytest.mark.fuzz
@FUZZ
@example("（一）完善机制。（牵头单位：区财政局；配合单位：区发改局、区教体局）\n", "utf-8")
@example("（一）完善机制。2020年2月30日前完成。（牵头单位：区财政局）\n", "gb18030")
@given(plan_like_text(), ENCODING)
def test_it_answers_plan_like_text_with_a_valid_draft_or_a_chinese_refusal(
    text: str, encoding: str
) -> None:
    assert_valid_draft_or_chinese_refusal(text.encode(encoding))


@pytest.mark.fuzz
@FUZZ
@given(mutated(reference_bytes))
def test_it_survives_byte_damage_to_the_reference_plan(data: bytes) -> None:
    assert_valid_draft_or_chinese_refusal(data)


@pytest.mark.fuzz
@FUZZ
@given(mutated_reference_text(), ENCODING)
def test_it_survives_lines_of_the_reference_plan_being_dropped_moved_or_cut(
    text: str, encoding: str
) -> None:
    assert_valid_draft_or_chinese_refusal(text.encode(encoding))


@pytest.mark.fuzz
@FUZZ
@given(mutated(small_docx))
def test_it_survives_byte_damage_to_a_docx(data: bytes) -> None:
    assert_valid_draft_or_chinese_refusal(data)


@pytest.mark.fuzz
@FUZZ
@given(mutated(small_docx_document_xml))
def test_it_survives_damage_to_the_xml_inside_a_docx(damaged: bytes) -> None:
    assert_valid_draft_or_chinese_refusal(with_document_xml(small_docx(), damaged))


@pytest.mark.fuzz
@FUZZ
@example(cut=len(REFERENCE_LINES))
@example(cut=CUT_INSIDE_THE_LAST_TAG)
@given(cut=st.integers(0, len(REFERENCE_LINES)))
def test_it_never_invents_a_department_when_the_reference_plan_is_cut_at_a_line(cut: int) -> None:
    draft = assert_valid_draft_or_chinese_refusal("".join(REFERENCE_LINES[:cut]).encode("utf-8"))
    if draft is None:  # cut before any text: refused, nothing to compare
        reject()
    complete = reference_tasks()
    for task in draft.tasks:
        assert task.number in complete, f"task {task.number} is not in the whole plan"
        leads, coops = complete[task.number]
        assert set(task.lead_units) <= set(leads), (task.number, task.lead_units, leads)
        assert set(task.coop_units) <= set(coops), (task.number, task.coop_units, coops)
