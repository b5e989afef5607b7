"""专业目录 upload (issue 7 §1, the catalogue with its codes and the old-to-new mapping): the
rows of the ministry's list as the district copies them into the template, checked, pure.

The codes Gaodi ships are placeholders (catalogue.py: 示例01..., 待核实) because the catalogue's
own code list was not available; this file is how the real ones come in. Columns:

    专业代码 | 专业名称 | 层次 | 原专业代码 | 原专业名称 | 专业类别

专业代码, 专业名称 and 层次 are required; 原专业代码/原专业名称 give the old catalogue's
specialty it replaces (会计电算化 → 会计事务); 专业类别 (涉农, 艺术...) feeds the exemptions of
the warning rules. Every problem is reported with its cell, and one problem refuses the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gaodi.files.tables import Table
from gaodi.i18n import _

CODE_COLUMN, NAME_COLUMN, LEVEL_COLUMN = "专业代码", "专业名称", "层次"
OLD_CODE_COLUMN, OLD_NAME_COLUMN, CLASS_COLUMN = "原专业代码", "原专业名称", "专业类别"
REQUIRED = (CODE_COLUMN, NAME_COLUMN, LEVEL_COLUMN)
COLUMNS = (*REQUIRED, OLD_CODE_COLUMN, OLD_NAME_COLUMN, CLASS_COLUMN)

# The catalogues' codes are digits: 6 in the 2021 catalogue (e.g. 大类 2 + 类 2 + 专业 2).
CODE_PATTERN = re.compile(r"^\d{4,8}$")
LEVELS = {
    "中职": "中职",
    "中等职业教育": "中职",
    "高职": "高职",
    "高职专科": "高职",
    "高等职业教育专科": "高职",
}
MAX_NAME = 60
MAX_CLASS = 20


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    level: str
    old_code: str = ""
    old_name: str = ""
    specialty_class: str = ""
    place: str = ""  # where the row is in the file, for the messages


@dataclass(frozen=True)
class Problem:
    place: str
    value: str
    message: str

    @property
    def reason(self) -> str:
        """The message under the name the shared problems table reads."""
        return self.message

    def __str__(self) -> str:
        return _("{place}“{value}”：{message}").format(
            place=self.place, value=self.value, message=self.message
        )


def check_catalogue(table: Table) -> tuple[list[Entry], list[Problem]]:
    """The rows of the file as entries, and every problem (an empty list: the file is good)."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen_codes: dict[str, str] = {}
    seen_names: dict[tuple[str, str], str] = {}
    for row in table.rows:
        cells = row.cells
        code = cells.get(CODE_COLUMN, "")
        name = cells.get(NAME_COLUMN, "")
        level_text = cells.get(LEVEL_COLUMN, "")
        old_code = cells.get(OLD_CODE_COLUMN, "")
        here = table.place(row, CODE_COLUMN)
        found: list[Problem] = []
        if not CODE_PATTERN.match(code):
            found.append(Problem(here, code, _("专业代码应为 4–8 位数字")))
        elif code in seen_codes:
            found.append(
                Problem(here, code, _("与{other}的专业代码重复").format(other=seen_codes[code]))
            )
        if not name or len(name) > MAX_NAME:
            found.append(
                Problem(
                    table.place(row, NAME_COLUMN),
                    name,
                    _("专业名称不能为空，且不超过 {n} 个字").format(n=MAX_NAME),
                )
            )
        level = LEVELS.get(level_text)
        if level is None:
            found.append(
                Problem(
                    table.place(row, LEVEL_COLUMN),
                    level_text,
                    _("层次应为：{levels}").format(levels="、".join(LEVELS)),
                )
            )
        elif (level, name) in seen_names:
            found.append(
                Problem(
                    table.place(row, NAME_COLUMN),
                    name,
                    _("与{other}的专业重复").format(other=seen_names[(level, name)]),
                )
            )
        if old_code and not CODE_PATTERN.match(old_code):
            found.append(
                Problem(table.place(row, OLD_CODE_COLUMN), old_code, _("原专业代码应为 4–8 位数字"))
            )
        if old_code and not cells.get(OLD_NAME_COLUMN, ""):
            found.append(
                Problem(
                    table.place(row, OLD_NAME_COLUMN), "", _("填了原专业代码，须同时填原专业名称")
                )
            )
        for column, limit in ((OLD_NAME_COLUMN, MAX_NAME), (CLASS_COLUMN, MAX_CLASS)):
            text = cells.get(column, "")
            if len(text) > limit:
                found.append(
                    Problem(table.place(row, column), text, _("不能超过 {n} 个字").format(n=limit))
                )
        if found or level is None:
            problems.extend(found)
            continue
        seen_codes[code] = here
        seen_names[(level, name)] = here
        entries.append(
            Entry(
                code=code,
                name=name,
                level=level,
                old_code=old_code,
                old_name=cells.get(OLD_NAME_COLUMN, ""),
                specialty_class=cells.get(CLASS_COLUMN, ""),
                place=here,
            )
        )
    if not table.rows:
        problems.append(Problem(table.sheet or _("文件"), "", _("表头下没有任何专业")))
    return entries, problems
