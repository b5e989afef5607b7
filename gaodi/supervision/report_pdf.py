"""督导报告 as PDF: SupervisionReport in, PDF bytes out, through WeasyPrint (pure: no Django
settings needed; `django.utils.html` escapes every figure and name).

The page follows GB/T 9704 like the Word rendering: A4, margins 37/35/28/26 mm, the red
发文机关标志 and separator, title in a 小标宋 face, body in 仿宋 三号, headings in 黑体, page
numbers "— 1 —" outside the 版心 (odd pages right, even pages left). The fonts are named
Windows first (仿宋 / SimSun / SimHei) and Debian's Noto CJK after, all local: no @font-face,
and a URL fetcher that refuses everything, so a render never touches the network. Charts are
inline SVG from report_charts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, NoReturn

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from gaodi.i18n import _

from .gongwen import signature_indent
from .report_charts import LABEL, Chart, Section, chart, light_name, sections, svg
from .report_data import GREY, SupervisionReport

SERIF = "FangSong, 仿宋, 'FangSong_GB2312', 'Noto Serif CJK SC', serif"
SONG = "'FZXiaoBiaoSong-B05S', 方正小标宋简体, SimSun, 宋体, 'Noto Serif CJK SC', serif"
SANS = "SimHei, 黑体, 'Noto Sans CJK SC', sans-serif"
ISSUER_RED = "#e60012"
CHART_ROWS = 30  # bars in one SVG: 30 x 20 px is 159 mm, well inside the 225 mm 版心

CSS = f"""
@page {{
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
}}
@page :right {{
  @bottom-right {{ content: "— " counter(page) " —"; font: 14pt {SONG};
    vertical-align: top; padding-top: 7mm; padding-right: 14pt; }}
}}
@page :left {{
  @bottom-left {{ content: "— " counter(page) " —"; font: 14pt {SONG};
    vertical-align: top; padding-top: 7mm; padding-left: 14pt; }}
}}
html {{ font-family: {SERIF}; font-size: 16pt; line-height: 28.95pt; color: #000; }}
body {{ margin: 0; }}
p {{ margin: 0; text-indent: 2em; text-align: justify; }}
.issuer {{ font-family: {SONG}; font-weight: bold; color: {ISSUER_RED}; text-align: center;
  font-size: 30pt; line-height: 1.2; letter-spacing: 0.05em; margin: 0 0 57.9pt; text-indent: 0; }}
.issuer.long {{ font-size: 24pt; }}
.number {{ text-align: center; text-indent: 0; padding-bottom: 4mm;
  border-bottom: 1.5pt solid {ISSUER_RED}; margin-bottom: 57.9pt; }}
h1 {{ font-family: {SONG}; font-size: 22pt; line-height: 1.5; text-align: center;
  margin: 0 0 1em; }}
h2 {{ font-family: {SANS}; font-size: 16pt; font-weight: normal; margin: 0.5em 0 0;
  text-indent: 2em; break-after: avoid; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0.3em 0 0.6em;
  font-size: 10.5pt; line-height: 1.45; }}
th, td {{ border: 0.75pt solid #000; padding: 1.5pt 3pt; vertical-align: middle;
  overflow-wrap: anywhere; }}
th {{ font-family: {SANS}; font-weight: normal; text-align: center; }}
td.num {{ text-align: center; }}
tr {{ break-inside: avoid; }}
.tl {{ display: inline-block; padding: 0 0.4em; color: #fff; white-space: nowrap; }}
figure {{ margin: 0.3em 0 0.8em; }}
figure svg {{ break-inside: avoid; }}
figcaption {{ break-after: avoid; }}
figcaption {{ font-family: {SANS}; font-size: 10.5pt; line-height: 1.6; text-align: center; }}
figure svg {{ display: block; width: 156mm; height: auto; }}
.signature {{ margin-top: 2em; text-align: right; break-before: avoid; }}
.signature p {{ text-indent: 0; text-align: right; }}
.signature .date {{ padding-right: 4em; }}
"""


def render_pdf(report: SupervisionReport) -> bytes:
    """The report as PDF bytes (A4, 公文 layout, charts as SVG, no network access)."""
    from weasyprint import HTML  # loads Pango: import on demand

    pdf = HTML(string=report_html(report), url_fetcher=refuse_fetch).write_pdf()
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return bytes(pdf)


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    """WeasyPrint's URL fetcher: the report loads nothing (it would only be an injected URL)."""
    raise ValueError(_("督导报告不加载外部资源：{url}").format(url=url))


def report_html(report: SupervisionReport) -> str:
    """The report as one HTML page with its CSS, every value escaped."""
    parts = [_header(report)]
    parts += [_section(report, section) for section in sections(report)]
    parts.append(
        format_html(
            '<div class="signature"><p style="padding-right: {}em">{}</p><p class="date">{}</p>'
            "</div>",
            f"{signature_indent(report.issuer, report.issued_on):.2f}",
            report.issuer,
            report.issued_on,
        )
    )
    page: str = format_html(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{}</title>'
        '<meta name="author" content="{}"><style>{}</style></head><body>{}</body></html>',
        report.title,
        report.issuer,
        mark_safe(CSS),  # safe: our own constant, no user data
        mark_safe("".join(parts)),  # safe: each part built with format_html
    )
    return page


def _header(report: SupervisionReport) -> SafeString:
    return format_html(
        '<div class="issuer{}">{}</div><p class="number">{}</p><h1>{}</h1>',
        " long" if len(report.issuer) > 12 else "",
        report.issuer,
        report.number,
        report.title,
    )


def _section(report: SupervisionReport, section: Section) -> SafeString:
    parts = [format_html("<h2>{}</h2>", section.heading)]
    parts += [format_html("<p>{}</p>", text) for text in section.text]
    if section.columns:
        parts.append(_table(section))
    drawn = chart(report, section.chart) if section.chart else None
    if drawn is not None:
        parts.append(_figure(drawn))
    return mark_safe("".join(parts))  # safe: each part built with format_html


def _figure(drawn: Chart) -> SafeString:
    """The chart under its caption, cut into pieces of CHART_ROWS bars: an SVG is not split
    across pages, and a longer one would run off the page."""
    pieces = [
        replace(drawn, bars=drawn.bars[i : i + CHART_ROWS], legend=drawn.legend if i == 0 else [])
        for i in range(0, len(drawn.bars), CHART_ROWS)
    ]
    return format_html(
        "<figure><figcaption>{}</figcaption>{}</figure>",
        drawn.title,
        mark_safe("".join(svg(piece) for piece in pieces)),  # safe: svg() escapes every label
    )


def _table(section: Section) -> SafeString:
    if not section.rows:
        return format_html("<p>{}</p>", _("无。"))
    total = sum(section.widths)
    columns = format_html_join(
        "", '<col style="width: {}%">', ((f"{w * 100 / total:.2f}",) for w in section.widths)
    )
    header = format_html_join("", "<th>{}</th>", ((c,) for c in section.columns))
    rows = format_html_join("", "<tr>{}</tr>", ((_cells(section, row),) for row in section.rows))
    return format_html(
        "<table><colgroup>{}</colgroup><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        columns,
        header,
        rows,
    )


def _cells(section: Section, row: list[str | int]) -> SafeString:
    cells = []
    for i, value in enumerate(row):
        if i == section.colour_column:
            colour = str(value)
            cells.append(
                format_html(
                    '<td class="num"><span class="tl" style="background: {}">{}</span></td>',
                    LABEL.get(colour, LABEL[GREY]),
                    light_name(colour),
                )
            )
        elif isinstance(value, int):
            cells.append(format_html('<td class="num">{}</td>', value))
        else:
            cells.append(format_html("<td>{}</td>", value))
    return mark_safe("".join(cells))  # safe: each cell built with format_html
