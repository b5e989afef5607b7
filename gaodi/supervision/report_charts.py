"""督导报告: what the report shows, as plain rows, and its charts drawn as SVG (pure: no Django).

`sections` lays out the report once (numbered headings, the text, each table's columns and
rows, which chart goes where), so that the Word, PDF and Excel renderings say the same thing
in the same order. The three charts are series of stacked bars (`Chart`): `svg` draws one for
the PDF; Word has no charts through python-docx, so report_docx prints the same bars as rows
of █ characters. Everything is drawn from the report's own figures: no JavaScript, no fetch.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from html import escape

from gaodi.i18n import _

from .report_data import AMBER, GREEN, GREY, RED, AttainmentRow, DepartmentRow, SupervisionReport

# The 督查督办 colours (红黄绿灯, /work/shared/SOURCES.md "督查督办 conventions": monthly
# 绿/红/黄 in 温州瓯海 2020, 黄/红 督办单 in 宿迁): the hues of the web pages (gaodi.css), bars in
# the `.light-*` fills, labels with white text in the darker `.tl-*` shades (contrast >= 4.5:1).
FILL = {GREEN: "#1d6b34", AMBER: "#d29b00", RED: "#a4000f", GREY: "#8c959f"}
LABEL = {GREEN: "#1d6b34", AMBER: "#855600", RED: "#a4000f", GREY: "#595959"}
TRACK = "#e6e9ed"  # the pale track up to the target
LIGHTS = (GREEN, AMBER, RED, GREY)
PROGRESS, LIGHT_COUNTS, ATTAINMENT = "progress", "lights", "attainment"
Cell = str | int


def light_name(colour: str) -> str:
    """绿灯 / 黄灯 / 红灯 / 未开始, in the configured language."""
    names = {GREEN: _("绿灯"), AMBER: _("黄灯"), RED: _("红灯"), GREY: _("未开始")}
    return names.get(colour, colour)


# Tables ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A numbered part of the report: text, a table (the annex's sheet) and maybe a chart."""

    heading: str  # 三、各部门推进情况 (the bare title until `sections` numbers it)
    sheet: str = ""  # the annex's sheet name; "" when the section has no table
    text: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)  # relative column widths (weights)
    colour_column: int | None = None  # a column whose cells are light colours (RED, AMBER...)
    chart: str = ""  # PROGRESS / LIGHT_COUNTS / ATTAINMENT


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 23 -> 二十三 (for 一、二、三、 headings), up to 99."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if tens == 0:
        return digits[ones]
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")


def _yes_no(value: bool) -> str:
    return _("是") if value else _("否")


def _attained(value: bool | None) -> str:
    return {True: _("达成"), False: _("未达成"), None: "—"}[value]


def sections(report: SupervisionReport) -> list[Section]:
    """The report's parts in order, numbered 一、二、三、; the notes last, when there are some."""
    parts = [
        Section(_("总体情况"), text=[_intro(report), report.summary]),
        _headlines(report),
        _departments(report),
        _flagged(report),
        _overdue(report),
        _returned(report),
        _findings(report),
        _ranking(report),
        _attainment(report),
    ]
    if report.notes:
        parts.append(Section(_("说明"), text=list(report.notes)))
    return [
        replace(
            part,
            heading=_("{number}、{title}").format(number=chinese_number(i), title=part.heading),
        )
        for i, part in enumerate(parts, start=1)
    ]


def _intro(report: SupervisionReport) -> str:
    return _(
        "根据《{plan}》（{doc_number}），现将{period}职业教育创新发展高地建设工作推进情况"
        "通报如下（数据统计截至{as_of}）。"
    ).format(
        plan=report.plan_title,
        doc_number=report.plan_doc_number or "—",
        period=report.period_label,
        as_of=report.as_of,
    )


def _headlines(report: SupervisionReport) -> Section:
    rows: list[list[Cell]] = [[h.label, h.value, h.note] for h in report.headlines]
    columns = [_("项目"), _("数值"), _("说明")]
    return Section(_("主要数据"), "", [], columns, rows, [3, 2, 4], chart=LIGHT_COUNTS)


def _departments(report: SupervisionReport) -> Section:
    columns = [_("部门"), _("牵头任务"), _("绿灯"), _("黄灯"), _("红灯"), _("已完成")]
    columns += [_("应报"), _("按时报送"), _("按时报送率"), _("平均进度")]
    rows: list[list[Cell]] = [
        [
            d.department,
            d.tasks,
            d.green,
            d.amber,
            d.red,
            d.done,
            d.reports_due,
            d.reports_on_time,
            d.on_time_rate,
            "—" if d.percent is None else f"{d.percent}%",
        ]  # fmt: skip
        for d in report.departments
    ]
    title = _("各部门推进情况")
    widths = [32, 14, 11, 11, 11, 13, 11, 14, 19, 20]  # mm of the 156 mm 版心
    return Section(title, title, [], columns, rows, widths, chart=PROGRESS)


def _flagged(report: SupervisionReport) -> Section:
    columns = [_("任务"), _("名称"), _("灯色"), _("原因"), _("牵头单位")]
    rows: list[list[Cell]] = [
        [r.task, r.title, r.colour, r.reasons, r.lead] for r in report.flagged
    ]
    title = _("红黄灯任务")
    return Section(title, title, [], columns, rows, [4, 6, 2, 6, 3], colour_column=2)


def _overdue(report: SupervisionReport) -> Section:
    columns = [_("类别"), _("任务"), _("责任单位"), _("应完成日期"), _("逾期天数"), _("备注")]
    rows: list[list[Cell]] = [
        [r.kind, r.task, r.department, r.due_on, r.days, r.note] for r in report.overdue
    ]
    title = _("逾期事项")
    return Section(title, title, [], columns, rows, [3, 4, 3, 3, 2, 4])


def _returned(report: SupervisionReport) -> Section:
    columns = [_("任务"), _("部门"), _("报告期"), _("退回意见"), _("已重报")]
    rows: list[list[Cell]] = [
        [r.task, r.department, r.period, r.comment, _yes_no(r.resubmitted)] for r in report.returned
    ]
    title = _("退回重报")
    return Section(title, title, [], columns, rows, [4, 3, 2, 7, 2])


def _findings(report: SupervisionReport) -> Section:
    columns = [_("督查日期"), _("任务"), _("部门"), _("发现问题"), _("整改时限")]
    columns += [_("状态"), _("销号日期"), _("逾期")]
    rows: list[list[Cell]] = [
        [
            f.held_on,
            f.task,
            f.department,
            f.problem,
            f.deadline,
            f.status,
            f.closed_on or "—",
            _yes_no(f.overdue),
        ]  # fmt: skip
        for f in report.findings
    ]
    widths = [4, 4, 3, 6, 4, 2, 4, 2]  # a date needs four
    return Section(_("督查发现问题及整改"), _("督查整改"), [], columns, rows, widths)


def _ranking(report: SupervisionReport) -> Section:
    columns = [_("名次"), _("部门"), _("总分"), _("得分构成")]
    rows: list[list[Cell]] = [
        ["—" if r.rank is None else r.rank, r.department, r.total, r.parts] for r in report.ranking
    ]
    return Section(_("部门评分排名"), _("评分排名"), [], columns, rows, [2, 4, 2, 10])


def _attainment(report: SupervisionReport) -> Section:
    columns = [_("指标"), _("计量单位"), _("目标值"), _("实际值"), _("达成情况"), _("合成数据")]
    rows: list[list[Cell]] = [
        [a.indicator, a.unit, a.target, a.actual, _attained(a.attained), _yes_no(a.synthetic)]
        for a in report.attainment
    ]
    widths = [7, 2, 3, 3, 3, 2]
    return Section(_("指标达成情况"), _("指标达成"), [], columns, rows, widths, chart=ATTAINMENT)


# Charts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One bar: its label, coloured segments laid end to end, and the figures printed after it."""

    label: str
    segments: list[tuple[str, float]]  # (colour, length)
    note: str
    target: float | None = None  # drawn as a pale track and a line (attainment only)


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart; `maximum` is the length of a full bar."""

    title: str
    bars: list[Bar]
    maximum: float
    legend: list[tuple[str, str]] = field(default_factory=list)  # (colour, name)


def chart(report: SupervisionReport, kind: str) -> Chart | None:
    """The chart of a section (PROGRESS, LIGHT_COUNTS or ATTAINMENT), or None with no data."""
    drawn = {
        PROGRESS: lambda: progress_chart(report.departments),
        LIGHT_COUNTS: lambda: lights_chart(report.lights),
        ATTAINMENT: lambda: attainment_chart(report.attainment),
    }[kind]()
    return drawn if drawn.bars and drawn.maximum > 0 else None


def progress_chart(departments: list[DepartmentRow]) -> Chart:
    """Each department's lead tasks by light, stacked green / amber / red / not started."""
    bars = []
    for row in departments:
        rest = max(0, row.tasks - row.green - row.amber - row.red)
        counts = [(GREEN, row.green), (AMBER, row.amber), (RED, row.red), (GREY, rest)]
        note = _("{tasks}项：绿{green} 黄{amber} 红{red}").format(
            tasks=row.tasks, green=row.green, amber=row.amber, red=row.red
        )
        bars.append(Bar(row.department, [(c, float(n)) for c, n in counts if n > 0], note))
    maximum = max((max(r.tasks, r.green + r.amber + r.red) for r in departments), default=0)
    shown = [GREEN, AMBER, RED] + ([GREY] if any(len(b.segments) > 3 for b in bars) else [])
    legend = [(c, light_name(c)) for c in shown] if any(b.segments for b in bars) else []
    return Chart(_("各部门牵头任务红黄绿灯分布"), bars, float(maximum), legend)


def lights_chart(lights: dict[str, int]) -> Chart:
    """How many tasks have each light (未开始 only when there are some)."""
    bars = [
        Bar(
            light_name(colour), [(colour, float(lights.get(colour, 0)))], str(lights.get(colour, 0))
        )
        for colour in LIGHTS
        if colour != GREY or lights.get(GREY, 0) > 0
    ]
    return Chart(_("任务红黄绿灯分布"), bars, float(max(lights.values(), default=0)))


_NUMBER = re.compile(r"^[≥≤><=＞＜约\s]*(-?\d+(?:\.\d+)?)\s*%?$")


def number(text: str) -> float | None:
    """The number in a printed figure: "≥70" -> 70.0, "1,200" -> 1200.0, "5:5" -> None."""
    found = _NUMBER.match(text.replace(",", "").replace("，", "").strip())
    return float(found.group(1)) if found else None


def attainment_chart(rows: list[AttainmentRow]) -> Chart:
    """Actual against target for the indicators with numbers in both, as a share of the
    target (units differ: 人次 and % share one axis only that way), capped at 150 %."""
    bars = []
    for row in rows:
        target, actual = number(row.target), number(row.actual)
        if target is None or actual is None or target <= 0:
            continue
        colour = {True: GREEN, False: RED, None: GREY}[row.attained]
        share = min(max(actual / target, 0.0), 1.5)
        note = _("{actual}／{target}{unit}（{share}%）").format(
            actual=row.actual, target=row.target, unit=row.unit, share=round(100 * actual / target)
        )
        bars.append(Bar(row.indicator, [(colour, share)], note, target=1.0))
    maximum = max([1.0] + [b.segments[0][1] for b in bars])
    legend = [(GREEN, _("达成")), (RED, _("未达成")), (TRACK, _("目标值"))] if bars else []
    return Chart(_("指标实际值与目标值之比"), bars, maximum, legend)


# SVG -------------------------------------------------------------------------------------

# No spaces or quotes: WeasyPrint 70 splits an SVG font-family on commas and strips only quotes.
SANS = "SimHei,Noto Sans CJK SC,sans-serif"
FONT_SIZE = 11
ROW_HEIGHT = 20
BAR_HEIGHT = 12


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced grid: Chinese characters count two, and so do
    the ambiguous ones (“ ” ≥ …) that a Chinese font draws full width."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


def clip(text: str, columns: int) -> str:
    """The text cut to `columns` display columns, with … when cut."""
    if display_width(text) <= columns:
        return text
    kept = ""
    for ch in text:
        if display_width(kept + ch) > columns - 2:
            break
        kept += ch
    return kept + "…"


def svg(drawn: Chart, width: int = 590) -> str:
    """The chart as an inline <svg> (all text escaped), `width` px wide (590 px = 156 mm)."""
    half = FONT_SIZE / 2  # px per display column
    label_cols = min(max((display_width(b.label) for b in drawn.bars), default=0), 36)
    label_w = label_cols * half + 8
    note_w = min(max((display_width(b.note) for b in drawn.bars), default=0), 40) * half + 8
    bar_w = width - label_w - note_w
    top = ROW_HEIGHT if drawn.legend else 4
    height = top + ROW_HEIGHT * len(drawn.bars) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{escape(SANS)}" font-size="{FONT_SIZE}">'
    ]
    parts += _legend(drawn.legend, label_w)
    for i, bar in enumerate(drawn.bars):
        y = top + i * ROW_HEIGHT
        parts += _bar(bar, y, label_w, bar_w, drawn.maximum, label_cols)
    parts.append("</svg>")
    return "".join(parts)


def _legend(legend: list[tuple[str, str]], x: float) -> list[str]:
    parts = []
    for colour, name in legend:
        fill = FILL.get(colour, colour)
        parts.append(f'<rect x="{x:.1f}" y="3" width="10" height="10" fill="{fill}"/>')
        parts.append(f'<text x="{x + 13:.1f}" y="12">{escape(name)}</text>')
        x += 13 + display_width(name) * FONT_SIZE / 2 + 12
    return parts


def _bar(bar: Bar, y: float, label_w: float, bar_w: float, maximum: float, cols: int) -> list[str]:
    mid = y + ROW_HEIGHT / 2 + FONT_SIZE / 2 - 1
    parts = [f'<text x="{label_w - 6:.1f}" y="{mid:.1f}" text-anchor="end">']
    parts.append(f"{escape(clip(bar.label, cols))}</text>")
    top = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
    if bar.target is not None:
        track = bar_w * bar.target / maximum
        parts.append(
            f'<rect x="{label_w:.1f}" y="{top:.1f}" width="{track:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{TRACK}"/>'
        )
    x = label_w
    for colour, length in bar.segments:
        w = bar_w * length / maximum
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{w:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{FILL.get(colour, FILL[GREY])}"/>'
        )
        x += w
    if bar.target is not None:
        line = label_w + bar_w * bar.target / maximum
        parts.append(
            f'<line x1="{line:.1f}" y1="{top - 2:.1f}" x2="{line:.1f}" '
            f'y2="{top + BAR_HEIGHT + 2:.1f}" stroke="#333" stroke-width="1.2"/>'
        )
    parts.append(f'<text x="{label_w + bar_w + 6:.1f}" y="{mid:.1f}">{escape(bar.note)}</text>')
    return parts
