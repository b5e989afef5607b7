"""学习档案 (transcript) as PDF: the signed CLR 2.0 JSON in, PDF bytes out, through WeasyPrint.
The PDF prints the content hash of the JSON (credentials.content_hash), so the paper copy and
the JSON copy can be matched: the same hash means the same content; and the transcript's
verify address, where its signature, its status and each credential in it are checked. The
credentials inside are EnvelopedVerifiableCredentials: each row is read from its VC-JWT.
Every value is escaped; the render loads nothing (supervision.report_pdf.refuse_fetch). No ID
number is in either."""

from __future__ import annotations

from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from gaodi.i18n import _
from gaodi.supervision.report_pdf import SANS, SERIF, refuse_fetch

from .credentials import (
    CredentialRefused,
    content_hash,
    enveloped_tokens,
    holder_name,
    read_unverified,
)

CSS = f"""
@page {{ size: A4; margin: 25mm 22mm; }}
html {{ font-family: {SERIF}; font-size: 11pt; line-height: 1.6; }}
h1 {{ font-family: {SANS}; font-size: 18pt; text-align: center; margin: 0 0 0.5em; }}
table {{ width: 100%; border-collapse: collapse; margin: 0.5em 0; }}
th, td {{ border: 0.75pt solid #000; padding: 2pt 4pt; overflow-wrap: anywhere; }}
th {{ font-family: {SANS}; font-weight: normal; }}
.hash {{ font-family: monospace; font-size: 8pt; overflow-wrap: anywhere; }}
"""


def _parts(clr: dict[str, Any]) -> list[dict[str, Any]]:
    """The credentials a transcript holds, each read from its enveloped VC-JWT (not verified
    here: the verify page does that); an entry that cannot be read is left out."""
    parts: list[dict[str, Any]] = []
    for token in enveloped_tokens(clr):
        try:
            parts.append(read_unverified(token)[1] if token else {})
        except CredentialRefused:
            continue
    return [p for p in parts if isinstance(p.get("credentialSubject"), dict)]


def transcript_html(clr: dict[str, Any], verify_url: str = "") -> str:
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                item.get("name", ""),
                ", ".join(item["credentialSubject"]["achievement"].get("tag", [])),
                item["credentialSubject"]["achievement"].get("creditsAvailable", ""),
                item.get("validFrom", "")[:10],
                item.get("id", ""),
            )
            for item in _parts(clr)
        ),
    )
    body = format_html(
        "<h1>{title}</h1><p>{holder_label}{holder}</p><p>{issuer_label}{issuer}</p>"
        "<p>{date_label}{date}</p>"
        "<table><thead><tr><th>{c1}</th><th>{c2}</th><th>{c3}</th><th>{c4}</th><th>{c5}</th>"
        "</tr></thead><tbody>{rows}</tbody></table>"
        '<p>{hash_label}</p><p class="hash">{hash}</p><p>{note}</p>',
        title=_("学习档案"),
        holder_label=_("持有人："),
        holder=holder_name(clr),
        issuer_label=_("出具单位："),
        issuer=clr["issuer"]["name"],
        date_label=_("出具日期："),
        date=clr.get("validFrom", "")[:10],
        c1=_("学习成果"),
        c2=_("等级"),
        c3=_("转换学分"),
        c4=_("签发日期"),
        c5=_("凭证编号"),
        rows=rows,
        hash_label=_("内容哈希（与 CLR 2.0 JSON 学习档案一致即内容相同）："),
        hash=content_hash(clr),
        note=_(
            "依据：聊茌政发〔2020〕19号 重点任务（十）；"
            "本档案及所含各成果凭证可在本系统 /credits/verify/ 核验。"
        )
        + (_("核验地址：{url}").format(url=verify_url) if verify_url else ""),
    )
    page: str = format_html(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{}</title>'
        "<style>{}</style></head><body>{}</body></html>",
        _("学习档案"),
        mark_safe(CSS),  # safe: our own constant
        body,
    )
    return page


def render_pdf(clr: dict[str, Any], verify_url: str = "") -> bytes:
    from weasyprint import HTML  # loads Pango: import on demand

    pdf = HTML(string=transcript_html(clr, verify_url), url_fetcher=refuse_fetch).write_pdf()
    assert pdf is not None
    return bytes(pdf)
