"""师资队伍 checks (issue 8 §5), pure, no Django.

聊茌政发〔2020〕19号:
- 重点任务（十五）: "职业院校新进教师原则上应具有3年以上企业工作经历和相关专业技术资格" and
  "严格落实学校20%编制员额内自主招聘兼职教师政策" (also 附件3 工作任务清单第32行);
- 重点任务（十四）: "不断提高“双师型”教师比例，2022年全区职业院校“双师型”教师比例达到70%以上";
  附件3 第29行 repeats the sentence with **80%**; 附件2 三、师资队伍 gives 中职学校“双师型”教师比例
  91.3%（126/138） 2019–2020, 92.2%（166/180） 2021, 95.4%（210/220） 2022. Three figures for one
  target: the plan contradicts itself (the plan audit's target-conflict). The 70 % is not a
  different ratio: it is the body text's own figure for the same 2022 双师型 share;
- 附件2 三、师资队伍: 中职学校生师比（在校生数/专任教师数） 11:1（2193/202）, 17:1（3456/202）,
  19:1（4888/252）, 20:1（6000/302）; 备注: 中职学校生师比为全市平均数;
- 重点任务（十四）（十七）: 名师工作室、专业带头人、教学名师; 技术技能大师、首席技师.

Gaodi defaults (parameters of a versioned, effective-dated `TeacherRules`, each labelled with
its source or 示例):

- the 3-year rule applies to new 专业课 teachers (示例: the plan says 新进教师 "原则上"; culture
  teachers are left out by default, `hire_scope` = all applies it to every new teacher); the
  exemptions accepted are a parameter (示例: 高层次人才、高技能人才直接考察招聘, the plan's
  "鼓励业界优秀人才或高层次、高技能人才加入职教队伍");
- part-time teachers are counted by head (示例), active on the count day, against 20 % of the
  school's 编制员额 of that year;
- the 双师型 share counts full-time 专业课 teachers (示例); a teacher is 双师型 from the day of
  certification; the verdict uses the strictest of the plan's figures for the year (示例:
  就高; `dual_target_reading` may choose the body, the task list or the table instead), and
  every figure is shown with its clause;
- （十五）'s "和相关专业技术资格" is listed for every new teacher but is not a condition of the
  verdict (示例 `require_qualification` off: 附件2 itself plans 10 of 50 hires with one);
- the 生师比 target is read as a ceiling (示例: the ratio should not exceed it), compared after
  rounding to whole students per teacher as the plan prints it (4888/252 = 19.40 is its 19:1).

A year is counted as at its 31 December, or as at today while that day is still to come
(the current year; a later year is then a look at today's roster against its target).
The parameters live in parameters.py, the honours and the indicator parts in counts.py.
Every result records the parameter version that produced it; the version used is the one in
force on the count day, so a new version changes only years counted on or after its day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from gaodi.achievements.versions import EXAMPLE, ParameterError, number, record, select_version
from gaodi.i18n import _

from .parameters import (
    ALL,
    BODY,
    DUAL_CLAUSE,
    HIRE_CLAUSE,
    HIRE_SCOPES,
    HONOUR_CLAUSE,
    HUNDRED,
    HUNDREDTH,
    PARAMETER_LABELS,
    PART_TIME_CLAUSE,
    PLAN,
    RATIO_CLAUSE,
    READINGS,
    SOURCE_KINDS,
    SPECIALTY,
    STRICTEST,
    TABLE,
    TASK_LIST,
    TeacherRules,
    parameter_rows,
    plan_rules,
)

__all__ = [
    "ALL",
    "BODY",
    "EXAMPLE",
    "HONOUR_CLAUSE",
    "PARAMETER_LABELS",
    "SPECIALTY",
    "STRICTEST",
    "TABLE",
    "TASK_LIST",
    "ParameterError",
    "TeacherRules",
    "number",
    "parameter_rows",
    "plan_rules",
    "select_version",
]

MET, NOT_MET, UNCOMPUTABLE, NO_TARGET, NONE = "met", "not_met", "uncomputable", "no_target", "none"
STATUS_LABELS = {
    MET: _("符合"),
    NOT_MET: _("不符合"),
    UNCOMPUTABLE: _("无法计算"),
    NO_TARGET: _("计划未设目标"),
    NONE: _("本年无新进教师"),
}


def percent(value: Decimal) -> str:
    """95.45%: two places, ROUND_HALF_UP."""
    return f"{value.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)}%"


@dataclass(frozen=True)
class TeacherFact:
    """One teacher as the checks see him; `left_on` None = still there."""

    name: str
    full_time: bool
    specialty_course: bool
    hired_on: date
    enterprise_years: Decimal | None = None
    dual_qualified: bool = False
    certified_on: date | None = None
    left_on: date | None = None
    exemption: str = ""
    has_qualification: bool = False

    def active_on(self, day: date) -> bool:
        return self.hired_on <= day and (self.left_on is None or self.left_on > day)

    def dual_on(self, day: date) -> bool:
        return self.dual_qualified and self.certified_on is not None and self.certified_on <= day


@dataclass(frozen=True)
class Check:
    """One check of a school and year, with the working and the parameter version."""

    code: str
    title: str
    clause: str
    school: str
    year: int
    as_of: date
    status: str
    value: str
    steps: tuple[str, ...]
    failing: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    rules_code: str = ""
    rules_name: str = ""
    rules_version: int = 0
    rules_effective_from: date | None = None

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def to_json(self) -> dict[str, Any]:
        return record(self)


def as_of_for(year: int, today: date) -> date:
    """The count day of a year: its 31 December, or today while the year is not over."""
    return min(date(year, 12, 31), today)


def _check(code: str, title: str, clause: str, rules: TeacherRules, **rest: Any) -> Check:
    steps = [str(s) for s in rest.pop("steps")]
    steps.append(
        str(
            _("依据：{plan} {clause}；{label}").format(
                plan=PLAN, clause=clause, label=rules.label()
            )
        )
    )
    return Check(
        code=code,
        title=str(title),
        clause=clause,
        steps=tuple(steps),
        rules_code=rules.code,
        rules_name=rules.name,
        rules_version=rules.version,
        rules_effective_from=rules.effective_from,
        **rest,
    )


def check_new_hires(
    school: str, year: int, teachers: Iterable[TeacherFact], rules: TeacherRules, as_of: date
) -> Check:
    """新进教师须有3年以上企业工作经历 — 重点任务（十五）. Lists who fails."""
    scope = rules.hire_scope
    hired = [
        t
        for t in teachers
        if t.hired_on.year == year and t.hired_on <= as_of and (scope == ALL or t.specialty_course)
    ]
    minimum = number(rules.min_enterprise_years)
    steps = [
        _(
            "要求：{scope}企业工作经历不少于 {n} 年（{basis}）；适用范围：{scope}（{scope_basis}）"
        ).format(
            scope=HIRE_SCOPES[scope],
            n=minimum,
            basis=rules.basis_of("min_enterprise_years"),
            scope_basis=rules.basis_of("hire_scope"),
        ),
        _("可豁免情形：{items}（{basis}）").format(
            items="、".join(rules.exemptions) or _("无"), basis=rules.basis_of("exemptions")
        ),
    ]
    steps.append(
        _("相关专业技术资格作为判定条件：{yes}（{basis}）").format(
            yes=_("是") if rules.require_qualification else _("否，只列出"),
            basis=rules.basis_of("require_qualification"),
        )
    )
    failing = []
    for t in hired:
        verdict = _hire_verdict(t, rules)
        if verdict.startswith(str(_("不符合"))):
            failing.append(t.name)
        years = t.enterprise_years
        steps.append(
            _("{name}：{day}入职，企业工作经历 {years}，{qualification}：{verdict}").format(
                name=t.name,
                day=t.hired_on.isoformat(),
                years=_("未填") if years is None else _("{n} 年").format(n=number(years)),
                qualification=_("有相关专业技术资格")
                if t.has_qualification
                else _("未登记相关专业技术资格"),
                verdict=verdict,
            )
        )
    if not hired:
        status = NONE
        steps.append(
            _("{year} 年截至 {day} 无{scope}").format(
                year=year, day=as_of.isoformat(), scope=HIRE_SCOPES[scope]
            )
        )
    else:
        status = NOT_MET if failing else MET
        steps.append(
            _("共 {n} 人，不符合 {bad} 人；登记有相关专业技术资格 {q} 人").format(
                n=len(hired), bad=len(failing), q=sum(1 for t in hired if t.has_qualification)
            )
        )
    return _check(
        "new_hires",
        _("新进教师企业工作经历"),
        HIRE_CLAUSE,
        rules,
        school=school,
        year=year,
        as_of=as_of,
        status=status,
        value=f"{len(hired) - len(failing)}/{len(hired)}",
        steps=steps,
        failing=tuple(failing),
    )


def _hire_verdict(t: TeacherFact, rules: TeacherRules) -> str:
    """符合 / 豁免（…） / 不符合（…） for one new teacher."""
    if t.exemption and t.exemption in rules.exemptions:
        return str(_("豁免（{why}）").format(why=t.exemption))
    reasons = []
    if t.enterprise_years is None or t.enterprise_years < rules.min_enterprise_years:
        reasons.append(_("企业工作经历不足 {n} 年").format(n=number(rules.min_enterprise_years)))
    if rules.require_qualification and not t.has_qualification:
        reasons.append(_("无相关专业技术资格"))
    if t.exemption and reasons:
        reasons.append(_("所报豁免“{why}”不在参数所列情形内").format(why=t.exemption))
    if not reasons:
        return str(_("符合"))
    return str(_("不符合（{why}）").format(why="；".join(str(r) for r in reasons)))


def check_part_time(
    school: str,
    year: int,
    teachers: Iterable[TeacherFact],
    quota: int | None,
    rules: TeacherRules,
    as_of: date,
    quota_source: str = "",
) -> Check:
    """兼职教师不超过编制员额的20% — 重点任务（十五）、附件3 第32行."""
    part_time = [t for t in teachers if not t.full_time and t.active_on(as_of)]
    cap = rules.part_time_cap * HUNDRED
    steps = [
        _("截至 {day} 在岗兼职教师 {n} 人（按人数计，{basis}）").format(
            day=as_of.isoformat(), n=len(part_time), basis=EXAMPLE
        )
    ]
    status, value = UNCOMPUTABLE, "—"
    if quota is None:
        steps.append(_("{year} 年未登记编制员额：无法计算").format(year=year))
    elif quota <= 0:
        steps.append(_("{year} 年编制员额为 0：无法计算").format(year=year))
    else:
        allowed = rules.part_time_cap * quota
        share = Decimal(len(part_time)) * HUNDRED / quota
        value = percent(share)
        holds = len(part_time) <= allowed
        status = MET if holds else NOT_MET
        steps += [
            _(
                "{year} 年编制员额 {quota} 人{source}；上限 {quota} × {cap}% = {allowed} 人"
                "（{basis}）"
            ).format(
                source=_("（{s}）").format(s=quota_source) if quota_source else "",
                year=year,
                quota=quota,
                cap=number(cap),
                allowed=number(allowed),
                basis=rules.basis_of("part_time_cap"),
            ),
            _("{n} ÷ {quota} = {share}，{relation} {cap}%：{status}").format(
                n=len(part_time),
                quota=quota,
                share=value,
                relation="≤" if holds else ">",
                cap=number(cap),
                status=STATUS_LABELS[status],
            ),
        ]
    return _check(
        "part_time",
        _("兼职教师占编制员额比例"),
        PART_TIME_CLAUSE,
        rules,
        school=school,
        year=year,
        as_of=as_of,
        status=status,
        value=value,
        steps=steps,
    )


@dataclass(frozen=True)
class SourceFigure:
    """A figure the plan gives for the 双师型 share: where (kind, clause), the year, the
    percentage and the text as printed."""

    kind: str
    clause: str
    year: int
    value: Decimal
    printed: str


def figures_of(figures: Iterable[SourceFigure], year: int) -> list[SourceFigure]:
    return [f for f in figures if f.year == year]


def contradiction(figures: Iterable[SourceFigure], year: int) -> str:
    """方案前后不一致: the year's figures when they differ, else ''."""
    found = figures_of(figures, year)
    if len({f.value for f in found}) < 2:
        return ""
    listed = "；".join(
        str(
            _("{where}（{clause}）为“{printed}”").format(
                where=SOURCE_KINDS[f.kind], clause=f.clause, printed=f.printed
            )
        )
        for f in found
    )
    return str(
        _("方案前后不一致：{year} 年“双师型”教师比例目标 {listed}。").format(
            year=year, listed=listed
        )
    )


def contradictions(figures: Sequence[SourceFigure]) -> str:
    """方案前后不一致 for every year whose figures differ (the reference plan: 2022 only)."""
    years = sorted({f.year for f in figures})
    return "".join(contradiction(figures, year) for year in years)


def chosen_target(figures: Sequence[SourceFigure], year: int, reading: str) -> SourceFigure | None:
    found = figures_of(figures, year)
    if reading != STRICTEST:
        found = [f for f in found if f.kind == reading]
    return max(found, key=lambda f: f.value, default=None)


def check_dual_share(
    school: str,
    year: int,
    teachers: Iterable[TeacherFact],
    figures: Sequence[SourceFigure],
    rules: TeacherRules,
    as_of: date,
) -> Check:
    """“双师型”教师比例 = “双师型”教师数 / 专业课教师总数 — 重点任务（十四）、附件3 第29行、
    附件2 三、师资队伍; a teacher counts as 双师型 from the certification date."""
    specialty = [
        t
        for t in teachers
        if t.specialty_course
        and t.active_on(as_of)
        and (t.full_time or rules.dual_counts_part_time)
    ]
    dual = [t for t in specialty if t.dual_on(as_of)]
    later = [t for t in specialty if t.dual_qualified and not t.dual_on(as_of)]
    steps = [
        _("截至 {day} 在岗{who}专业课教师 {n} 人（{basis}）").format(
            day=as_of.isoformat(),
            who="" if rules.dual_counts_part_time else _("专任"),
            n=len(specialty),
            basis=rules.basis_of("dual_counts_part_time"),
        ),
        _("其中已认定“双师型” {n} 人（自认定日期起计）").format(n=len(dual)),
    ]
    steps += [
        _("不计入：{name}，认定日期{day}晚于统计日或未填").format(
            name=t.name, day=t.certified_on.isoformat() if t.certified_on else ""
        )
        for t in later
    ]
    for f in figures_of(figures, year):
        steps.append(
            _("方案数值：{where}（{clause}）“{printed}”").format(
                where=SOURCE_KINDS[f.kind], clause=f.clause, printed=f.printed
            )
        )
    warning = contradiction(figures, year)
    status, value = UNCOMPUTABLE, "—"
    if not specialty:
        steps.append(_("专业课教师为 0：无法计算"))
    else:
        share = Decimal(len(dual)) * HUNDRED / len(specialty)
        value = percent(share)
        steps.append(_("{a} ÷ {b} = {share}").format(a=len(dual), b=len(specialty), share=value))
        for f in figures_of(figures, year):
            steps.append(
                _("对照{where} {target}%：{verdict}").format(
                    where=SOURCE_KINDS[f.kind],
                    target=number(f.value),
                    verdict=_("达到") if share >= f.value else _("未达到"),
                )
            )
        target = chosen_target(figures, year, rules.dual_target_reading)
        if target is None:
            status = NO_TARGET
            steps.append(_("{year} 年方案未设该项目标").format(year=year))
        else:
            status = MET if share >= target.value else NOT_MET
            steps.append(
                _(
                    "判定目标：{reading}（{basis}），即 {target}%（{clause}）："
                    "{share} {rel} {target}%，{status}"
                ).format(
                    reading=READINGS[rules.dual_target_reading],
                    basis=rules.basis_of("dual_target_reading"),
                    target=number(target.value),
                    clause=target.clause,
                    share=value,
                    rel="≥" if status == MET else "<",
                    status=STATUS_LABELS[status],
                )
            )
    return _check(
        "dual_share",
        _("“双师型”教师比例"),
        DUAL_CLAUSE,
        rules,
        school=school,
        year=year,
        as_of=as_of,
        status=status,
        value=value,
        steps=steps,
        warnings=(warning,) if warning else (),
    )


@dataclass(frozen=True)
class RatioTarget:
    """The plan's 生师比 of a year: `value` students per teacher as printed (20 for 20:1)."""

    year: int
    value: Decimal
    printed: str
    clause: str = RATIO_CLAUSE
    note: str = ""


def check_student_ratio(
    school: str,
    year: int,
    students: Decimal | None,
    teachers: Iterable[TeacherFact],
    target: RatioTarget | None,
    rules: TeacherRules,
    as_of: date,
    students_year: int | None = None,
) -> Check:
    """生师比 = 在校生数 / 专任教师数 — 附件2 三、师资队伍 (derived from the parts, never typed).

    `students_year` is the year the 在校生数 was reported for (default: `year`). When it is an
    earlier year — the year's own figure not yet reported — the ratio uses that most recent
    figure and says so in the working and in a warning (示例: Gaodi's stand-in, not the
    plan's), so the current year's check is not left empty; with no figure at all it cannot be
    computed."""
    full_time = [t for t in teachers if t.full_time and t.active_on(as_of)]
    steps = [_("截至 {day} 在岗专任教师 {n} 人").format(day=as_of.isoformat(), n=len(full_time))]
    status, value = UNCOMPUTABLE, "—"
    warning = ""
    if students is None:
        steps.append(_("{year} 年尚未填报在校生数：无法计算").format(year=year))
    elif students_year is not None and students_year != year:
        warning = str(
            _("{year} 年在校生尚未填报，按 {reported} 年 {n} 人计算（{example}）").format(
                year=year, reported=students_year, n=number(students), example=EXAMPLE
            )
        )
        steps.append(warning)
    else:
        steps.append(
            _("{year} 年在校生数 {n} 人（读自指标填报）").format(year=year, n=number(students))
        )
    if target is not None:
        steps.append(
            _("方案数值：{clause}“{printed}”").format(clause=target.clause, printed=target.printed)
        )
        if target.note:
            steps.append(_("方案备注：{note}").format(note=target.note))
    if students is not None and not full_time:
        steps.append(_("专任教师为 0：无法计算"))
    elif students is not None:
        ratio = students / len(full_time)
        value = f"{ratio.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)}:1"
        steps.append(
            _("{s} ÷ {t} = {ratio}").format(s=number(students), t=len(full_time), ratio=value)
        )
        if target is None:
            status = NO_TARGET
            steps.append(_("{year} 年方案未设生师比").format(year=year))
        else:
            whole = ratio.quantize(Decimal(1), rounding=ROUND_HALF_UP)
            holds = whole <= target.value if rules.ratio_is_ceiling else whole >= target.value
            status = MET if holds else NOT_MET
            steps.append(
                _(
                    "按方案写法取整为 {whole}:1；目标 {target}:1 按{how}理解（{basis}）：{status}"
                ).format(
                    whole=whole,
                    target=number(target.value),
                    how=_("上限") if rules.ratio_is_ceiling else _("下限"),
                    basis=rules.basis_of("ratio_is_ceiling"),
                    status=STATUS_LABELS[status],
                )
            )
    return _check(
        "student_ratio",
        _("生师比"),
        RATIO_CLAUSE,
        rules,
        school=school,
        year=year,
        as_of=as_of,
        status=status,
        value=value,
        steps=steps,
        warnings=(warning,) if warning else (),
    )
