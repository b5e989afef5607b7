"""The printable 交办单: data in, .docx bytes out (pure: no Django, no database).

The page, fonts and tables follow GB/T 9704 (党政机关公文格式) through `gongwen`, which the
督导报告 shares.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from gaodi.i18n import _

from . import gongwen


@dataclass(frozen=True)
class SheetTask:
    """One task as the sheet prints it."""

    label: str  # 重点任务（十四）
    title: str
    deadlines: list[str] = field(default_factory=list)  # "2020-06-30（2020年6月底前）"
    targets: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)  # the other role's departments


@dataclass(frozen=True)
class HandoverSheet:
    """What a 交办单 says: who hands what to whom, and the 签收 line."""

    number: str  # 交〔2021〕3号
    plan_title: str
    plan_doc_number: str
    issuer: str
    department: str
    issued_on: str  # 2021年6月30日
    lead: list[SheetTask]
    coop: list[SheetTask]
    acknowledged_by: str = ""
    acknowledged_on: str = ""


def render_handover(sheet: HandoverSheet) -> bytes:
    """The 交办单 as .docx bytes."""
    document = gongwen.new_document()
    gongwen.add_paragraph(document, _("任务交办单"), style="Title", align=WD_ALIGN_PARAGRAPH.CENTER)
    gongwen.add_paragraph(document, sheet.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    gongwen.add_paragraph(document, _("{department}：").format(department=sheet.department))
    gongwen.add_paragraph(
        document,
        _(
            "根据《{plan}》（{doc_number}），现将你单位牵头和配合的任务交办如下，"
            "请认真研究、抓好落实，按时限报送进展，并于收到后及时签收。"
        ).format(plan=sheet.plan_title, doc_number=sheet.plan_doc_number or "—"),
        indent=True,
    )
    _task_table(
        document, _("一、牵头任务（{n}项）").format(n=len(sheet.lead)), sheet.lead, _("配合单位")
    )
    _task_table(
        document, _("二、配合任务（{n}项）").format(n=len(sheet.coop)), sheet.coop, _("牵头单位")
    )
    gongwen.add_paragraph(document, sheet.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    gongwen.add_paragraph(document, sheet.issued_on, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _signature(document, sheet)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _task_table(document: Document, heading: str, tasks: list[SheetTask], partners: str) -> None:
    document.add_paragraph(heading, style="Heading 1")
    if not tasks:
        gongwen.add_paragraph(document, _("无。"))
        return
    columns = [_("任务"), partners, _("时限"), _("目标")]
    rows = [
        [
            f"{task.label} {task.title}",
            "、".join(task.partners) or "—",
            "\n".join(task.deadlines) or "—",
            "\n".join(task.targets) or "—",
        ]
        for task in tasks
    ]
    gongwen.add_table(document, columns, rows)  # 小四 in tables, so that four columns fit


def _signature(document: Document, sheet: HandoverSheet) -> None:
    document.add_paragraph(_("签收回执"), style="Heading 1")
    table = document.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    labels = [_("签收单位"), _("签收人"), _("签收日期")]
    values = [
        sheet.department,
        sheet.acknowledged_by or "",
        sheet.acknowledged_on or _("    年  月  日"),
    ]
    for cell, text in zip(table.rows[0].cells, labels, strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, values, strict=True):
        cell.text = text
