"""Chinese deadline phrases -> the last day they allow.

2020年6月底前 -> 2020-06-30, 到2022年 -> 2022-12-31, 2020年12月底前 -> 2020-12-31,
2022年前 -> 2021-12-31 (usage varies: some drafters mean "by the end of 2022"; the caller
is told so it can warn), 2021年上半年 -> 2021-06-30, 2021年第三季度 -> 2021-09-30.
A year that starts a clause (2022年全区……达到70%) is read as the end of that year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PREFIX = r"(?P<prefix>到|至|于|在|截至|截止到?)?\s*"
_YEAR = r"(?P<year>\d{4})\s*年"
_TAIL = (
    r"(?:(?:\d{1,2}\s*[-~至到]\s*)?(?P<month>\d{1,2})\s*月"
    r"(?:(?P<day>\d{1,2})\s*日|(?P<month_end>底|末|份)|(?P<xun>上旬|中旬|下旬))?"
    r"|(?P<half>上半年|下半年)|(?:第?(?P<quarter>[一二三四1-4])\s*季度)|年?(?P<year_end>底|末))?"
)
# Not a deadline: a start (起, 以来, 以后), a base year (基础上, 水平), an edition (版, 度).
_SUFFIX = (
    r"\s*(?P<before>之前|以前|前)?"
    r"(?!\s*(?:起|以来|以后|之后|前后|后|开始|至今|度|的|版|级|基础|水平|同期|相比|相比较))"
)
DEADLINE = re.compile(_PREFIX + _YEAR + _TAIL + _SUFFIX)
_CLAUSE_START = set("。；;，,：:、（(") | {"\n"}
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class FoundDeadline:
    date: dt.date
    phrase: str
    start: int
    end: int
    ambiguous: bool = False


def find_deadlines(folded: str) -> list[FoundDeadline]:
    """Every deadline phrase in a (folded) text, in order."""
    found: list[FoundDeadline] = []
    if "年" not in folded:
        return found
    for match in DEADLINE.finditer(folded):
        result = _read(match, folded)
        if result is not None:
            found.append(result)
    return found


def _read(m: re.Match[str], text: str) -> FoundDeadline | None:
    year = int(m["year"])
    if not 1949 <= year <= 2100 or _inside_title(text, m.start()) or _is_start(text, m):
        return None
    has_tail = any(m[g] for g in ("month", "half", "quarter", "year_end"))
    if not (m["prefix"] or m["before"] or has_tail or _starts_clause(text, m.start())):
        return None
    try:
        date, ambiguous = _last_day(m, year)
    except ValueError:
        return None
    year_end = text.index("年", m.end("year")) + 1
    end = m.end("before") if m["before"] else m.end() if has_tail else year_end
    return FoundDeadline(
        date=date,
        phrase=text[m.start() : end].strip(),
        start=m.start(),
        end=end,
        ambiguous=ambiguous,
    )


def _last_day(m: re.Match[str], year: int) -> tuple[dt.date, bool]:
    before = bool(m["before"])
    if m["month"]:
        month = int(m["month"])
        if m["day"]:
            return dt.date(year, month, int(m["day"])), False
        if m["xun"]:
            last = {"上旬": 10, "中旬": 20}.get(m["xun"], calendar.monthrange(year, month)[1])
            return dt.date(year, month, last), False
        if before and not m["month_end"]:
            # 2021年6月前: before June begins.
            return dt.date(year, month, 1) - dt.timedelta(days=1), True
        return dt.date(year, month, calendar.monthrange(year, month)[1]), False
    if m["half"]:
        return (dt.date(year, 6, 30) if m["half"] == "上半年" else dt.date(year, 12, 31)), False
    if m["quarter"]:
        month = _QUARTERS[m["quarter"]] * 3
        return dt.date(year, month, calendar.monthrange(year, month)[1]), False
    if before and not m["year_end"]:
        # 2022年前: before 2022 begins (usage varies; warn).
        return dt.date(year - 1, 12, 31), True
    return dt.date(year, 12, 31), False


def _is_start(text: str, m: re.Match[str]) -> bool:
    """自2019年1月1日起 / 2019年以来: a start, not a deadline."""
    before = text[max(0, m.start() - 1) : m.start()]
    after = re.match(r"\s*(?:\d{1,2}\s*日)?\s*(起|以来|开始|至今)", text[m.end() :])
    return before in {"自", "从"} or after is not None


_COMMITS = ("力争", "争取", "确保", "计划", "预计", "拟", "要在", "并于", "须于", "应于")


def _starts_clause(text: str, start: int) -> bool:
    """A year opening a clause, or right after 力争/确保 …, is when the clause is due."""
    before = text[:start].rstrip(" ")
    return not before or before[-1] in _CLAUSE_START or before.endswith(_COMMITS)


def _inside_title(text: str, start: int) -> bool:
    """Years inside 《…》 or a document number 〔2020〕 are not deadlines."""
    head = text[:start]
    return head.count("《") > head.count("》") or head.rstrip().endswith(("[", "〔"))
