"""学分转换 (credit conversion, issue 9), pure, no Django.

聊茌政发〔2020〕19号 重点任务（十）: "……探索建立职业教育个人学习账号，实现学习成果可追溯、可查询、
可转换……通过省学分银行对学历证书和职业技能等级证书所体现的学习成果进行登记和认定，实现学习成果的
认定、积累和转换。" (the provincial credit bank recognises, accumulates and converts learning
outcomes of academic education and of skill certificates).

Nothing here knows "1+X": since 人社厅函〔2025〕154号 the X certificates move to 人社, so a
certificate scheme (legacy X, 人社 skill levels, courses, training certificates, awards) and its
level scale are data (`Scheme`), and conversion rules are versioned data (`RuleSet`).

Sourced patterns (../shared/SOURCES.md, a college's X-certificate rules, hnmeida.com.cn):
- one course converts from one certificate only (a course already credited is not credited
  again from another certificate);
- at most 8 credits per certificate;
- 初级 -> 必修专业基础课, 中级 -> 必修专业核心课, 高级 -> both (expressed as rules whose
  `levels` name the levels they accept).
Gaodi defaults, labelled 示例: the cap per learner (none), the rule that a rule's own credits
are the most a course can give, and that an outcome past its validity converts nothing.

The same outcome is never converted twice: `already` holds the outcomes converted before, and
a conversion run skips them with the reason. A "what if" simulation is the same function on
outcomes that are not stored (`simulate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from gaodi.achievements.versions import (
    EXAMPLE,
    ParameterError,
    check_version,
    decimal,
    number,
    record,
    select_version,
)
from gaodi.i18n import _

CLAUSE = "聊茌政发〔2020〕19号 重点任务（十）"
COLLEGE_RULES = (
    "某高职院校X证书学分转换办法（每门课程只能由一个证书转换、每证不超过8学分、"
    "初级对基础课、中级对核心课、高级对两者）"
)
# The sourced “one course, one certificate” rule, stated the way the source states it: a course
# is replaced by one certificate only; one certificate may still give several courses (高级).
ONE_COURSE_ONE_CERTIFICATE = _("每门课程只能由一个证书转换（多个证书不重复替换同一门课程）")
HALF = Decimal("0.5")


@dataclass(frozen=True)
class Scheme:
    """A certificate scheme and its level scale, lowest first (初级, 中级, 高级; or 五级 … 一级),
    with its issuer list (the organisations whose certificates count), its validity window
    (certificates issued outside it are not recognised) and the day it retires."""

    code: str
    name: str
    levels: tuple[str, ...]
    issuers: tuple[str, ...]
    valid_from: date
    retired_on: date | None = None
    source: str = EXAMPLE

    def rank(self, level: str) -> int:
        """0 for the lowest level; ParameterError for a level the scheme does not have."""
        if level not in self.levels:
            raise ParameterError(
                _("证书体系“{scheme}”没有“{level}”这一等级（可用：{levels}）").format(
                    scheme=self.name, level=level, levels="、".join(self.levels)
                )
            )
        return self.levels.index(level)

    def recognises(self, issued_on: date) -> bool:
        return self.valid_from <= issued_on and (
            self.retired_on is None or issued_on <= self.retired_on
        )


@dataclass(frozen=True)
class Outcome:
    """A learning outcome held by a learner: a certificate (scheme, unit = the 认证单元 code,
    level, number), dated, valid until a day or for good. `key` is scheme + number + holder:
    unique, so the same certificate is one outcome however often it is uploaded."""

    key: str
    scheme: str
    unit: str
    level: str
    issued_on: date
    valid_until: date | None = None
    name: str = ""


@dataclass(frozen=True)
class Rule:
    """Outcome `unit` of `scheme` at one of `levels` -> `credits` of `course` (a course of
    `specialty`, or of any specialty when blank). `kind` says what the course is (专业基础课 /
    专业核心课 …), shown in the working."""

    scheme: str
    unit: str
    levels: tuple[str, ...]
    course: str
    course_name: str
    credits: Decimal
    specialty: str = ""
    kind: str = ""

    def matches(self, outcome: Outcome, specialty: str) -> bool:
        return (
            self.scheme == outcome.scheme
            and self.unit == outcome.unit
            and outcome.level in self.levels
            and self.specialty in ("", specialty)
        )


@dataclass(frozen=True)
class RuleSet:
    """A versioned, effective-dated set of conversion rules and their caps. `per_certificate`
    (8, sourced) and `per_learner` (None = no cap, 示例) are the most credits one outcome and
    one learner may receive by conversion; `one_course_one_certificate` (sourced) keeps a course
    credited from one certificate only."""

    code: str
    version: int
    effective_from: date
    name: str
    rules: tuple[Rule, ...]
    per_certificate: Decimal | None = Decimal(8)
    per_learner: Decimal | None = None
    one_course_one_certificate: bool = True
    source: str = "；".join((COLLEGE_RULES, EXAMPLE))

    def __post_init__(self) -> None:
        check_version(self.code, self.version)
        for cap, what in ((self.per_certificate, _("每证上限")), (self.per_learner, _("每人上限"))):
            if cap is not None and cap <= 0:
                raise ParameterError(_("{what}须大于 0").format(what=what))
        for rule in self.rules:
            if rule.credits <= 0 or rule.credits % HALF:
                raise ParameterError(
                    _("“{course}”的学分须为 0.5 的正整数倍（现为 {credits}）").format(
                        course=rule.course_name, credits=number(rule.credits)
                    )
                )
            if not rule.levels:
                raise ParameterError(
                    _("“{course}”的规则须写明适用的等级").format(course=rule.course_name)
                )

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RuleSet:
        rules = tuple(
            Rule(
                scheme=r["scheme"],
                unit=r["unit"],
                levels=tuple(r["levels"]),
                course=r["course"],
                course_name=r["course_name"],
                credits=decimal(r["credits"], _("学分")),
                specialty=r.get("specialty", ""),
                kind=r.get("kind", ""),
            )
            for r in data["rules"]
        )
        caps = {
            name: None if data.get(name) is None else decimal(data[name], name)
            for name in ("per_certificate", "per_learner")
        }
        return cls(
            code=data["code"],
            version=int(data["version"]),
            effective_from=date.fromisoformat(data["effective_from"]),
            name=data["name"],
            rules=rules,
            one_course_one_certificate=bool(data.get("one_course_one_certificate", True)),
            source=data.get("source", EXAMPLE),
            **caps,
        )


@dataclass(frozen=True)
class Granted:
    outcome: str
    course: str
    course_name: str
    credits: Decimal
    asked: Decimal  # what the rule gives before the caps
    note: str = ""  # why less than asked, if so


@dataclass(frozen=True)
class Skipped:
    outcome: str
    reason: str


@dataclass(frozen=True)
class Conversion:
    """What a run converted: credits granted per outcome and course, what was skipped and why,
    the rule-set version used, the working in sentences."""

    rule_set: str
    version: int
    as_of: date
    granted: tuple[Granted, ...]
    skipped: tuple[Skipped, ...]
    steps: tuple[str, ...]
    total: Decimal = field(default=Decimal(0))


def convert(
    outcomes: Iterable[Outcome],
    versions: Sequence[RuleSet],
    *,
    schemes: dict[str, Scheme],
    specialty: str,
    as_of: date,
    already: dict[str, Decimal] | None = None,
    credited_courses: Iterable[str] = (),
    code: str | None = None,
) -> Conversion:
    """Convert a learner's outcomes into course credits as of `as_of`, with the rule-set
    version in force that day.

    `already` maps the outcomes converted before to the credits they gave (they are skipped,
    and count toward the per-learner cap); `credited_courses` are courses the learner already
    has credit for (from a conversion or by taking them), never credited again. Outcomes are
    taken oldest first, so the result does not depend on the order they were stored in.
    """
    chosen = select_version(versions, as_of, code)
    if chosen is None:
        raise ParameterError(_("{day} 没有施行中的学分转换规则").format(day=as_of.isoformat()))
    before = dict(already or {})
    credited = set(credited_courses)
    learner_total = sum(before.values(), Decimal(0))
    granted: list[Granted] = []
    skipped: list[Skipped] = []
    steps = [
        _("转换规则：{name}（{code} 第 {version} 版，{day} 起施行；依据：{source}）").format(
            name=chosen.name,
            code=chosen.code,
            version=chosen.version,
            day=chosen.effective_from.isoformat(),
            source=chosen.source,
        ),
        _("上限：每证 {cert}，每人 {learner}；{once}").format(
            cert=_cap(chosen.per_certificate),
            learner=_cap(chosen.per_learner),
            once=ONE_COURSE_ONE_CERTIFICATE
            if chosen.one_course_one_certificate
            else _("同一课程可由多个证书转换"),
        ),
    ]
    if before:
        steps.append(
            _("此前已转换 {n} 项成果，共 {credits} 学分").format(
                n=len(before), credits=number(learner_total)
            )
        )
    for outcome in sorted(outcomes, key=lambda o: (o.issued_on, o.key)):
        reason = _refusal(outcome, schemes, as_of, before)
        if reason:
            skipped.append(Skipped(outcome.key, reason))
            steps.append(_("{name}：不转换，{reason}").format(name=_label(outcome), reason=reason))
            continue
        rules = sorted(
            (r for r in chosen.rules if r.matches(outcome, specialty)), key=lambda r: r.course
        )
        if not rules:
            reason = _("转换规则中没有该证书该等级对应本专业的课程")
            skipped.append(Skipped(outcome.key, reason))
            steps.append(_("{name}：不转换，{reason}").format(name=_label(outcome), reason=reason))
            continue
        from_this = Decimal(0)
        for rule in rules:
            if chosen.one_course_one_certificate and rule.course in credited:
                steps.append(
                    _("{name} → {course}：该课程已有学分，一门课程只由一个证书转换").format(
                        name=_label(outcome), course=rule.course_name
                    )
                )
                continue
            room = [rule.credits]
            notes = []
            if chosen.per_certificate is not None:
                room.append(chosen.per_certificate - from_this)
                if chosen.per_certificate - from_this < rule.credits:
                    notes.append(
                        _("每证上限 {cap} 学分").format(cap=number(chosen.per_certificate))
                    )
            if chosen.per_learner is not None:
                room.append(chosen.per_learner - learner_total)
                if chosen.per_learner - learner_total < rule.credits:
                    notes.append(_("每人上限 {cap} 学分").format(cap=number(chosen.per_learner)))
            given = max(Decimal(0), min(room))
            if given == 0:
                steps.append(
                    _("{name} → {course}：已达上限（{notes}），不再转换").format(
                        name=_label(outcome), course=rule.course_name, notes="、".join(notes)
                    )
                )
                continue
            note = "、".join(notes) if given < rule.credits else ""
            granted.append(
                Granted(outcome.key, rule.course, rule.course_name, given, rule.credits, note)
            )
            credited.add(rule.course)
            from_this += given
            learner_total += given
            steps.append(
                _("{name} → {course}（{kind}）：规则 {asked} 学分，计 {given} 学分{note}").format(
                    name=_label(outcome),
                    course=rule.course_name,
                    kind=rule.kind or _("课程"),
                    asked=number(rule.credits),
                    given=number(given),
                    note=_("（受{notes}限制）").format(notes=note) if note else "",
                )
            )
    total = sum((g.credits for g in granted), Decimal(0))
    steps.append(
        _("本次共转换 {credits} 学分。依据：{clause}").format(credits=number(total), clause=CLAUSE)
    )
    return Conversion(
        rule_set=chosen.code,
        version=chosen.version,
        as_of=as_of,
        granted=tuple(granted),
        skipped=tuple(skipped),
        steps=tuple(steps),
        total=total,
    )


def simulate(
    outcomes: Iterable[Outcome],
    versions: Sequence[RuleSet],
    **kwargs: Any,
) -> Conversion:
    """“What if”: the conversion these (possibly hypothetical) outcomes would get; the same
    function as a real run, nothing stored."""
    return convert(outcomes, versions, **kwargs)


def _refusal(
    outcome: Outcome, schemes: dict[str, Scheme], as_of: date, before: dict[str, Decimal]
) -> str:
    if outcome.key in before:
        return _("该成果已转换过（{credits} 学分），同一成果不重复转换").format(
            credits=number(before[outcome.key])
        )
    scheme = schemes.get(outcome.scheme)
    if scheme is None:
        return _("证书体系“{scheme}”不在认可的体系之中").format(scheme=outcome.scheme)
    if outcome.level not in scheme.levels:
        return _("证书体系“{scheme}”没有“{level}”这一等级").format(
            scheme=scheme.name, level=outcome.level
        )
    if not scheme.recognises(outcome.issued_on):
        return _("发证日期 {day} 不在该证书体系的认可期内").format(
            day=outcome.issued_on.isoformat()
        )
    if outcome.issued_on > as_of:
        return _("发证日期 {day} 晚于转换日期").format(day=outcome.issued_on.isoformat())
    if outcome.valid_until is not None and outcome.valid_until < as_of:
        return _("证书已于 {day} 过期").format(day=outcome.valid_until.isoformat())
    return ""


def _label(outcome: Outcome) -> str:
    return _("{unit}（{level}）").format(unit=outcome.name or outcome.unit, level=outcome.level)


def _cap(value: Decimal | None) -> str:
    return _("不限") if value is None else _("{n} 学分").format(n=number(value))


@dataclass(frozen=True)
class Conflict:
    """Two rules of one set that would count the same learning twice, or a rule the caps
    can never honour. A `blocking` conflict keeps the version from being saved; the others
    (a certificate level whose rules together exceed the per-certificate cap, as the sourced
    高级 -> 基础课 + 核心课 may) are reported for the work team to see what the cap cuts."""

    kind: str
    message: str
    rules: tuple[int, ...]  # positions in the set, from 0
    blocking: bool = True


def conflicts(rule_set: RuleSet, schemes: dict[str, Scheme]) -> list[Conflict]:
    """The rule set's double counts and dead rules, checked before a version is saved:

    - the same certificate level gives the same course twice (two rules, one course);
    - with one course from one certificate switched off, two certificates give the same course
      (the learner holding both would be credited twice for one course);
    - a rule gives more than the per-certificate cap (it can never be granted whole);
    - a rule names a scheme or a level that does not exist;
    - reported, not blocking: the rules one certificate level gives (for one specialty, rules
      of any specialty included) add up to more than the per-certificate cap, so that
      certificate can never convert in full (the cap cuts the later courses).
    """
    found: list[Conflict] = []
    seen: dict[tuple[str, str, str, str, str], int] = {}
    by_course: dict[tuple[str, str], list[int]] = {}
    for index, rule in enumerate(rule_set.rules):
        scheme = schemes.get(rule.scheme)
        if scheme is None:
            found.append(
                Conflict(
                    "unknown_scheme",
                    _("第 {n} 条规则的证书体系“{scheme}”不存在").format(
                        n=index + 1, scheme=rule.scheme
                    ),
                    (index,),
                )
            )
            continue
        unknown = [level for level in rule.levels if level not in scheme.levels]
        if unknown:
            found.append(
                Conflict(
                    "unknown_level",
                    _("第 {n} 条规则的等级“{levels}”不是“{scheme}”的等级").format(
                        n=index + 1, levels="、".join(unknown), scheme=scheme.name
                    ),
                    (index,),
                )
            )
        for level in rule.levels:
            key = (rule.scheme, rule.unit, level, rule.course, rule.specialty)
            if key in seen:
                found.append(
                    Conflict(
                        "double_count",
                        _(
                            "第 {a} 条与第 {b} 条规则都把“{unit}”{level}转换为“{course}”，"
                            "同一学习成果会被计算两次"
                        ).format(
                            a=seen[key] + 1,
                            b=index + 1,
                            unit=rule.unit,
                            level=level,
                            course=rule.course_name,
                        ),
                        (seen[key], index),
                    )
                )
            else:
                seen[key] = index
        by_course.setdefault((rule.course, rule.specialty), []).append(index)
        if rule_set.per_certificate is not None and rule.credits > rule_set.per_certificate:
            found.append(
                Conflict(
                    "over_cap",
                    _(
                        "第 {n} 条规则给 {credits} 学分，超过每证上限 {cap} 学分，永远不能全额转换"
                    ).format(
                        n=index + 1,
                        credits=number(rule.credits),
                        cap=number(rule_set.per_certificate),
                    ),
                    (index,),
                )
            )
    found.extend(_over_cap_sums(rule_set, schemes))
    if not rule_set.one_course_one_certificate:
        for (course, _specialty), indexes in by_course.items():
            units = {(rule_set.rules[i].scheme, rule_set.rules[i].unit) for i in indexes}
            if len(units) > 1:
                name = rule_set.rules[indexes[0]].course_name
                found.append(
                    Conflict(
                        "course_twice",
                        _(
                            "课程“{course}”可由 {n} 种证书转换，且未限定"
                            "“一门课程只由一个证书转换”：同时持有这些证书的学习者会重复获得该课程学分"
                        ).format(course=name or course, n=len(units)),
                        tuple(indexes),
                    )
                )
    return found


def _over_cap_sums(rule_set: RuleSet, schemes: dict[str, Scheme]) -> list[Conflict]:
    """Certificate levels whose rules add up to more than the per-certificate cap (one report
    per set of rules, naming the levels it covers; a single rule over the cap is `over_cap`)."""
    cap = rule_set.per_certificate
    if cap is None:
        return []
    by_level: dict[tuple[str, str, str], list[int]] = {}
    for index, rule in enumerate(rule_set.rules):
        scheme = schemes.get(rule.scheme)
        if scheme is None:
            continue
        for level in rule.levels:
            if level in scheme.levels:
                by_level.setdefault((rule.scheme, rule.unit, level), []).append(index)
    reported: dict[tuple[int, ...], tuple[str, str, list[str], str, Decimal]] = {}
    for (scheme_code, unit, level), indexes in by_level.items():
        general = [i for i in indexes if not rule_set.rules[i].specialty]
        specialties = sorted({rule_set.rules[i].specialty for i in indexes} - {""})
        groups = [("", general)]
        groups += [
            (name, general + [i for i in indexes if rule_set.rules[i].specialty == name])
            for name in specialties
        ]
        for specialty, chosen in groups:
            total = sum((rule_set.rules[i].credits for i in chosen), Decimal(0))
            if len(chosen) < 2 or total <= cap:
                continue
            key = tuple(sorted(chosen))
            if key in reported:
                reported[key][2].append(level)
            else:
                reported[key] = (scheme_code, unit, [level], specialty, total)
    found = []
    for key, (scheme_code, unit, levels, specialty, total) in reported.items():
        scheme = schemes[scheme_code]
        found.append(
            Conflict(
                "over_cap_sum",
                _(
                    "“{unit}”{levels}{specialty}的第 {rules} 条规则合计 {total} 学分，"
                    "超过每证上限 {cap} 学分：持该证书者永远不能全额转换，"
                    "最多计 {cap} 学分（后转换的课程被削减）"
                ).format(
                    unit=unit,
                    levels="、".join(sorted(levels, key=scheme.levels.index)),
                    specialty=_("（{name}专业）").format(name=specialty) if specialty else "",
                    rules="、".join(str(i + 1) for i in key),
                    total=number(total),
                    cap=number(cap),
                ),
                key,
                blocking=False,
            )
        )
    return found
