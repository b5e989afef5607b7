"""The document's own data: title, 文号, issuer, issue date, addressees, 公开 status."""

from __future__ import annotations

import datetime as dt
import re

from .departments import split_names
from .draft import DocumentInfo
from .numbering import NUMBERING
from .paragraphs import Paragraph
from .text import arabise_dates

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[\[(]\s*\d{4}\s*[\])]\s*\d{1,4}\s*号")
_DATE_LINE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_NOTICE = re.compile(
    r"^(?P<issuer>.*?)关于(?:印发|转发|下发)?(?P<subject>.+?)的(?:通知|意见|决定)$"
)
_ORG_END = ("人民政府", "政府", "办公室", "委员会", "厅", "局", "党委", "区委", "县委", "市委")
_PLAN_WORDS = ("方案", "计划", "规划", "意见", "办法", "措施", "纲要", "细则", "要点", "清单")
_HEAD_LIMIT = 40


def read_document_info(paragraphs: list[Paragraph]) -> DocumentInfo:
    head = paragraphs[:_HEAD_LIMIT]
    doc_number = _doc_number(head)
    issuer, subject = _notice(head)
    date = _issue_date(head)
    title = _title(head, subject)
    if issuer is None:
        issuer = _signature(head)
    public = any("公开发布" in p.folded or "主动公开" in p.folded for p in head)
    return DocumentInfo(
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        issue_date=date.isoformat() if date else None,
        public=public,
    )


def _doc_number(head: list[Paragraph]) -> str | None:
    """The plan's own 文号: a line of its own, else one that is not a citation
    (（鲁政发〔2020〕3号） after a 《title》 is another document's)."""
    for p in head:
        m = _DOC_NUMBER.fullmatch(p.folded.strip())
        if m:
            return p.text.strip().replace(" ", "")
    for p in head:
        for m in _DOC_NUMBER.finditer(p.folded):
            before = p.folded[: m.start()]
            cited = before.rstrip().endswith("》") or before.count("(") > before.count(")")
            if not cited:
                return p.text[m.start() : m.end()].replace(" ", "")
    return None


def _notice(head: list[Paragraph]) -> tuple[str | None, str | None]:
    """聊城市茌平区人民政府 关于印发《X》的通知 -> (issuer, X)."""
    for i, p in enumerate(head):
        m = _NOTICE.match(p.folded.strip())
        if not m or len(p.folded) > 120:
            continue
        issuer = p.text[m.start("issuer") : m.end("issuer")].strip() or None
        if issuer is None and i > 0 and head[i - 1].folded.strip().endswith(_ORG_END):
            issuer = head[i - 1].text.strip()
        subject = p.text[m.start("subject") : m.end("subject")].strip().strip("《》")
        return issuer, subject
    return None, None


def _issue_date(head: list[Paragraph]) -> dt.date | None:
    for p in head:
        m = _DATE_LINE.match(arabise_dates(p.folded))
        if m:
            try:
                return dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
    return None


def _title(head: list[Paragraph], subject: str | None) -> str:
    """The plan's own title: a short line naming a 方案/计划, else the notice's subject."""
    for p in head:
        folded = p.folded.strip().strip("《》")
        if (
            len(folded) <= 60
            and folded.endswith(_PLAN_WORDS)
            and not _NOTICE.match(folded)
            and not NUMBERING.match(folded)
            and not re.search(r"[,。;:]", folded)
        ):
            return p.text.strip().strip("《》")
    if subject:
        return subject
    first = next(
        (p.text.strip() for p in head if p.text.strip() and not NUMBERING.match(p.folded)), ""
    )
    return first[:60]


def _signature(head: list[Paragraph]) -> str | None:
    """The line just above the date that names an organisation."""
    for i, p in enumerate(head):
        if _DATE_LINE.match(arabise_dates(p.folded)) and i > 0:
            above = head[i - 1].text.strip()
            if above.endswith(_ORG_END) and len(above) <= 30:
                return above
    return None


def addressees(head: list[Paragraph]) -> list[str]:
    """各乡镇人民政府、街道办事处，区政府有关部门： -> the listed groups (all collective)."""
    for p in head[:12]:
        folded = p.folded.strip()
        if folded.endswith(":") and len(folded) <= 80 and ("各" in folded or "有关" in folded):
            return split_names(p.text.strip()[:-1])
    return []
