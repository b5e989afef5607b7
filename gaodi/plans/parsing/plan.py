"""Assemble a PlanDraft from a document's blocks."""

from __future__ import annotations

import re
from collections import Counter

from gaodi.i18n import _

from .departments import Registry, body_of_position, level_prefix, split_names
from .draft import DocumentInfo, Member, ParseWarning, PlanDraft, Table, Task, TaskListItem
from .front import addressees, read_document_info
from .indicators import is_indicator_grid, read_indicators
from .leading_group import read_leading_group
from .linking import gram_index, restated_tasks, trigrams
from .numbering import numbering
from .outline import Item, Region, split_regions
from .paragraphs import Paragraph, join_lines
from .readers import Block
from .responsibility import FIRST_LEADS, find_tags
from .tables import Grid, merge_tables
from .task_list import ListRow, columns_of, read_rows, reference_of
from .tasks import build_task, read_commitments, task_items, title_of
from .text import fold

_LEVEL_IN_NAME = re.compile(
    r"(自治县|自治州|自治区|县|区|市|旗|盟|州)(?:人民政府|委员会|政府|职业|教育|关于)"
)


def build_draft(blocks: list[Block], source_format: str) -> PlanDraft:
    joined = join_lines(blocks)
    paragraphs = [b for b in joined if isinstance(b, Paragraph)]
    warnings: list[ParseWarning] = []
    info = read_document_info(paragraphs)
    regions = split_regions(joined)
    first_leads = any(FIRST_LEADS.search(p.folded) for p in paragraphs)
    grids = [(region, grid) for region in regions for grid in merge_tables(region.blocks)]
    list_rows = [(grid, read_rows(grid, cols)) for _, grid in grids if (cols := columns_of(grid))]
    tasks = _tasks(regions, list_rows, first_leads, warnings)
    numbers = [t.number for t in tasks]
    if len(set(numbers)) < len(numbers):
        warnings.append(
            ParseWarning(
                "numbering-restart",
                _(
                    "任务编号在不同部分重新开始（同一编号出现多次），引用任务时请连同所在部分一起注明"
                ),
            )
        )
    task_list = _task_list(list_rows, tasks, warnings)
    members, office = _leading_group(regions)
    indicators = []
    for region, grid in grids:
        if is_indicator_grid(grid):
            for indicator in read_indicators(grid):
                indicator.attachment = _attachment_of(region)
                indicators.append(indicator)
    tables = [
        Table(
            title=g.title,
            columns=g.columns,
            rows=g.rows,
            line=g.line,
            notes=g.notes,
            attachment=_attachment_of(r),
        )
        for r, g in grids
        if g.header
    ]
    registry = Registry(_level(tasks, task_list, info))
    registry.add(addressees(paragraphs), collective=True)
    for task in tasks:
        registry.add(task.lead_units + task.coop_units, task.line)
    for member in members:
        registry.add(_bodies_in_position(member.position))
    if office and office.get("department"):
        registry.add([office["department"]])
    for row in task_list:
        registry.add(row.units, row.line)
    for paragraph in paragraphs:
        registry.add_mentions(paragraph.text)
    resolution = registry.resolve()
    warnings.extend(resolution.warnings)
    if not tasks:
        warnings.append(ParseWarning("no-tasks", _("没有识别到带牵头单位或责任单位的编号任务")))
    return PlanDraft(
        document=info,
        tasks=tasks,
        task_list=task_list,
        leading_group=members,
        tables=tables,
        indicators=indicators,
        units=resolution.departments,
        warnings=warnings,
        leading_group_office=office,
        source_format=source_format,
    )


def _tasks(
    regions: list[Region],
    list_rows: list[tuple[Grid, list[ListRow]]],
    first_leads: bool,
    warnings: list[ParseWarning],
) -> list[Task]:
    for region in regions:
        items = task_items(region, first_leads, last_region=region is regions[-1])
        if items:
            return _region_tasks(region, items, first_leads, warnings, regions)
    for region in regions:
        carried = _division_table(region, list_rows)
        if carried:
            depth, by_item = carried
            items = [item for item in region.items if item.depth == depth]
            tasks = _region_tasks(region, items, first_leads, warnings, regions, quiet=True)
            for item, task in zip(items, tasks, strict=True):
                row = by_item.get(item.index)
                if row is not None:
                    _carry(row, task, warnings)
            return tasks
    return []


def _carry(row: ListRow, task: Task, warnings: list[ParseWarning]) -> None:
    """A 分工表 row's departments and due date, carried onto the task it cites."""
    task.lead_units = row.lead if row.lead is not None else row.units
    task.coop_units = row.coop or []
    if row.due:
        deadlines, _targets = read_commitments(row.due, [], warnings, task.line)
        task.deadlines += [d for d in deadlines if d not in task.deadlines]


def _region_tasks(
    region: Region,
    items: list[Item],
    first_leads: bool,
    warnings: list[ParseWarning],
    regions: list[Region],
    quiet: bool = False,
) -> list[Task]:
    last_region = region is regions[-1]
    tasks = []
    for item in items:
        at_end = last_region and item is region.items[-1]
        scratch: list[ParseWarning] = []
        tasks.append(
            build_task(region, item, first_leads=first_leads, at_end=at_end, warnings=scratch)
        )
        warnings.extend(w for w in scratch if not (quiet and w.code == "missing-responsibility"))
    return tasks


def _division_table(
    region: Region, list_rows: list[tuple[Grid, list[ListRow]]]
) -> tuple[int, dict[int, ListRow]] | None:
    """A 分工表 whose rows cite this region's items: (task depth, rows by item position)."""
    for _grid, rows in list_rows:
        by_item: dict[int, ListRow] = {}
        depth = None
        for row in rows:
            item = _cited_item(region, row)
            if item is not None:
                depth = item.depth
                by_item[item.index] = row
        if depth is not None and len(by_item) >= max(2, len(rows) // 2):
            return depth, by_item
    return None


def _cited_item(region: Region, row: ListRow) -> Item | None:
    """The body item a row cites: （一） by its style and number; a bare 1 by number and title."""
    ref = reference_of(row)
    if not ref:
        return None
    found = numbering(fold(ref))
    if ref.isdigit():
        candidates = [i for i in region.items if i.number == int(ref)]
    elif found:
        candidates = [i for i in region.items if i.style == found[0] and i.number == found[1]]
    else:
        return None
    if ref.isdigit() or found and found[0] in {"ar_dot", "ar_paren"} or len(candidates) > 1:
        candidates = [i for i in candidates if _same_title(region, i, row)]
    return candidates[0] if len(candidates) == 1 else None


def _same_title(region: Region, item: Item, row: ListRow) -> bool:
    """The row names the item: most of the item's title (first sentence) is in the row."""
    block = region.blocks[item.index]
    assert isinstance(block, Paragraph)
    head = trigrams(fold(title_of(block.text[item.marker_end :])))
    mine = trigrams(fold(row.text))
    return bool(head) and len(head & mine) / len(head) >= 0.5


def _task_list(
    list_rows: list[tuple[Grid, list[ListRow]]], tasks: list[Task], warnings: list[ParseWarning]
) -> list[TaskListItem]:
    index = gram_index({t.number: trigrams(fold(_without_tags(t.text))) for t in tasks})
    items = []
    for _grid, rows in list_rows:
        for row in rows:
            scratch: list[ParseWarning] = []
            deadlines, targets = read_commitments(
                row.text + ("。" + row.due if row.due else ""), [], scratch, row.line
            )
            warnings.extend(scratch)
            ref = reference_of(row)
            numbers = restated_tasks(fold(row.text), index)
            if ref and (found := numbering(fold(ref))) and any(t.number == found[1] for t in tasks):
                numbers = [found[1]]
            items.append(
                TaskListItem(
                    seq=row.seq,
                    text=row.text,
                    units=row.units,
                    task_numbers=numbers,
                    lead_units=row.lead,
                    coop_units=row.coop if row.lead is not None else None,
                    deadlines=deadlines,
                    targets=targets,
                    line=row.line,
                )
            )
    return items


def _without_tags(text: str) -> str:
    folded = list(text)
    for tag in find_tags(text):
        folded[tag.start : tag.end] = " " * (tag.end - tag.start)
    return "".join(folded)


def _leading_group(regions: list[Region]) -> tuple[list[Member], dict[str, str] | None]:
    for region in regions:
        members, office = read_leading_group(region.blocks)
        if members:
            return members, office
    return [], None


def _attachment_of(region: Region) -> str | None:
    """附件2 for a table of the second attachment; None in the body."""
    return None if region.is_body else region.label


def _bodies_in_position(position: str) -> list[str]:
    bodies = []
    for piece in split_names(position):
        body = body_of_position(piece)
        if body:
            bodies.append(body)
    return bodies


def _level(tasks: list[Task], rows: list[TaskListItem], info: DocumentInfo) -> str:
    """The administrative level the plan's departments carry (区, 县, 自治县 …), or ""."""
    names = [n for t in tasks for n in t.lead_units + t.coop_units] + [
        n for r in rows for n in r.units
    ]
    counts = Counter(level for n in names if (level := level_prefix(n)))
    if counts:
        return counts.most_common(1)[0][0]
    for text in (info.issuer or "", info.title):
        m = _LEVEL_IN_NAME.search(fold(text))
        if m:
            return m.group(1)
    return ""
