"""Quantities in plan sentences: targets (目标) and rule parameters (参数).

年培训量达5千人次以上 -> >= 5000 人次; 70%以上 -> >= 70 %; 不低于30% -> >= 30 %;
8.3亿元 -> 8.3 亿元 (money keeps the plan's unit); 近千亩 -> ~ 1000 亩;
培训量按25%比例折算 / 30%抵免 / 5倍 / 提取50%以上 / 20%编制 / 3年以上企业工作经历 are parameters.
Numbers without a measure (1+X, 十九大, 五位一体) are not quantities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Longest first: 人次 before 人, 万元 before 元.
MEASURES = (
    "平方米",
    "万人次",
    "人次",
    "人日",
    "人天",
    "亿元",
    "万元",
    "千元",
    "元",
    "万人",
    "个百分点",
    "%",
    "‰",
    "亩",
    "所",
    "个",
    "门",
    "项",
    "倍",
    "名",
    "家",
    "次",
    "人",
    "套",
    "台",
    "本",
    "间",
    "处",
    "类",
    "种",
    "支",
    "批",
    "场",
    "期",
    "届",
    "课时",
    "学时",
    "学分",
    "小时",
    "天",
    "年",
    "篇",
    "部",
    "条",
    "册",
)
_MEASURE = "|".join(re.escape(m) for m in MEASURES)
_MULT = {"千": 1_000, "万": 10_000}
QUANTITY = re.compile(
    r"(?P<approx>近|约|逾|超)?(?:(?P<low>\d+(?:\.\d+)?)\s*(?:至|到|-|~)\s*)?"
    r"(?P<num>\d+(?:\.\d+)?|(?<=[达近约逾超])(?=[千万]))\s*"
    r"(?P<mult>千|万(?!元)(?!人(?![日次天])))?\s*(?P<more>余|多)?\s*(?P<measure>" + _MEASURE + r")"
    r"(?P<after>以上|及以上|以下|以内|左右|上下|之内)?"
)
# 3个月内, 60天内, 5个工作日: a time limit, not a quantity to reach.
_DURATION_AFTER = re.compile(r"\s*(?:月|工作日|内|之内|以内)")
_CHANGE = re.compile(r"(?:提高|增加|增长|提升|降低|减少|下降|压减)$")
_AT_LEAST = ("不低于", "不少于", "至少", "不小于", "超过", "高于", "多于")
_AT_MOST = (
    "不高于",
    "不超过",
    "最高可达到",
    "最高可达",
    "最高",
    "最多",
    "不大于",
    "控制在",
    "低于",
)
_PARAMETER_CUES = (
    "折算",
    "抵免",
    "倍",
    "提取",
    "编制",
    "经历",
    "员额",
    "按投资额",
    "基准线",
    "按比例",
    "计提",
    "比例核",
    "标准",
)
_SUBJECT_STOP = re.compile(r"[，,。；;：:、（(）)]")
_LEADING_VERBS = re.compile(r"^(?:争取|力争|确保)?(?:建成|新建|打造|创建|引进|实现|完成)(?=.{2})")
_VERBS = re.compile(
    r"(?:达到|达|提高到|提升到|增加到|增至|保持在|稳定在|控制在|不低于|不少于|"
    r"不高于|不超过|最高可达到|最高可达|最高|最多|至少|超过|实现|建成|争取|拟|共|"
    r"力争|确保|累计|新增|其中|为|是)$"
)
_YEAR_WORDS = re.compile(
    r"^(?:到|至|在|于)?\s*\d{4}\s*年(?:底|末)?(?:前)?|^全区|^全县|^全市|^全省|^全旗|^每年|^年(?![均度])"
)


_HAS_NUMBER = re.compile(r"\d|[达近约逾超][千万]")


@dataclass
class FoundQuantity:
    phrase: str
    value: float
    unit: str | None
    comparator: str
    kind: str
    subject: str
    start: int
    end: int


def find_quantities(folded: str) -> list[FoundQuantity]:
    """Every quantity in a folded text, in order."""
    found: list[FoundQuantity] = []
    if not _HAS_NUMBER.search(folded):
        return found
    for m in QUANTITY.finditer(folded):
        quantity = _read(m, folded)
        if quantity is not None:
            found.append(quantity)
    return found


def _read(m: re.Match[str], text: str) -> FoundQuantity | None:
    start = m.start()
    if m["num"] and _glued_to_other_number(text, m.start("num"), m.end("num")):
        return None
    if _inside_quotes_or_title(text, start):
        return None
    measure = m["measure"]
    if m["num"] and re.fullmatch(r"\d{4}", m["num"]) and measure == "年":
        return None  # a calendar year, not a duration
    if measure in {"个", "天", "小时"} and _DURATION_AFTER.match(text, m.end("measure")):
        return None
    value = float(m["low"] or m["num"]) if (m["low"] or m["num"]) else 1.0
    if m["mult"]:
        value *= _MULT[m["mult"]]
    measure = measure.replace("万人次", "人次") if measure == "万人次" else measure
    if m["measure"] == "万人次":
        value *= 10_000
    if measure == "万人":
        value, measure = value * 10_000, "人"
    clause_start = _clause_start(text, start)
    before = text[clause_start:start]
    comparator = ">=" if m["low"] or m["more"] else _comparator(before, m["after"], m["approx"])
    phrase = text[clause_start : m.end()].strip()
    kind = "parameter" if _is_parameter(text, clause_start, m.end(), measure) else "target"
    if kind == "target" and _CHANGE.search(before.rstrip()):
        kind = "change"  # 提高5个百分点 is a change, not a level to compare with a table
    unit = "%" if measure in {"%", "个百分点"} else measure
    subject = _subject(before) or _subject_after(text, m.end())
    return FoundQuantity(
        phrase=phrase,
        value=_clean(value),
        unit=unit,
        comparator=comparator,
        kind=kind,
        subject=subject,
        start=clause_start + len(before) - len(before.lstrip()),
        end=m.end(),
    )


def _clean(value: float) -> float:
    return float(round(value, 10))


def _glued_to_other_number(text: str, start: int, end: int) -> bool:
    """1+X, 2: 8, 3/5 and 12.3.4 are not measured quantities."""
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    return before in {"+", "/", ":", "-", "."} or after in {"+", "/", ":"}


def _inside_quotes_or_title(text: str, start: int) -> bool:
    head = text[:start]
    return (
        head.count("《") > head.count("》")
        or head.count("“") > head.count("”")
        or head.count("[") > head.count("]")
    )


_NOT_MORE = ("不超过", "不高于", "不大于", "不多于")
_NOT_LESS = ("不低于", "不少于", "不小于")


def _comparator(before: str, after: str | None, approx: str | None) -> str:
    if any(w in before for w in _NOT_MORE):
        return "<="
    if any(w in before for w in _NOT_LESS):
        return ">="
    if after in {"以上", "及以上"} or any(w in before for w in _AT_LEAST):
        return ">="
    if after in {"以下", "以内", "之内"} or any(w in before for w in _AT_MOST):
        return "<="
    if approx in {"近", "约"} or after in {"左右", "上下"}:
        return "~"
    if approx in {"逾", "超"}:
        return ">="
    if before.rstrip().endswith(("达到", "达")):
        return ">="
    return "="


def _clause_start(text: str, start: int) -> int:
    i = start
    while i > 0 and text[i - 1] not in "。；;，,：:\n":
        i -= 1
    return i


def _subject_after(text: str, end: int) -> str:
    """争取至少1个中职专业入围 -> 中职专业: when nothing stands before the number."""
    m = re.match(r"[^，,。；;：:]{1,20}", text[end:])
    return _VERBS.sub("", m.group(0)).strip() if m else ""


def _is_parameter(text: str, clause_start: int, end: int, measure: str) -> bool:
    if measure == "倍":
        return True
    clause_end = end
    while clause_end < len(text) and text[clause_end] not in "。；;，,\n":
        clause_end += 1
    clause = text[clause_start:clause_end]
    after = text[end:clause_end]
    if measure == "年" and "经历" in clause:
        return True
    if any(cue in clause for cue in _PARAMETER_CUES):
        return True
    return bool(re.match(r"^\s*(?:比例)?(?:折算|抵免|用于教师|编制)", after))


def _subject(before: str) -> str:
    """What the number measures: the words before it in its clause, minus verbs and years."""
    subject = before.strip()
    for _ in range(3):
        subject = _VERBS.sub("", subject).strip()
        subject = _YEAR_WORDS.sub("", subject).strip()
    return _LEADING_VERBS.sub("", subject)
