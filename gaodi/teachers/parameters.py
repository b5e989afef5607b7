"""The parameters of the 师资队伍 checks (issue 8 §5), pure, no Django: versioned and
effective-dated (`TeacherRules`), each with its source — 聊茌政发〔2020〕19号 重点任务（十五）
for the 3 years and the 20 %, 示例 for Gaodi's readings of what the plan leaves open (see
rules.py for each reading and why)."""

from __future__ import annotations

from collections.abc import Mapping
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
)
from gaodi.i18n import _

PLAN = "聊茌政发〔2020〕19号"
HIRE_CLAUSE = "重点任务（十五）"
PART_TIME_CLAUSE = "重点任务（十五）、附件3 第32行"
DUAL_CLAUSE = "重点任务（十四）、附件3 第29行、附件2 三、师资队伍"
RATIO_CLAUSE = "附件2 三、师资队伍"
HONOUR_CLAUSE = "重点任务（十四）（十七）、附件3 第29、35行"
HUNDRED = Decimal(100)
HUNDREDTH = Decimal("0.01")

SPECIALTY, ALL = "specialty", "all"
HIRE_SCOPES = {SPECIALTY: _("新进专业课教师"), ALL: _("全部新进教师")}
BODY, TASK_LIST, TABLE, STRICTEST = "body", "task_list", "table", "strictest"
SOURCE_KINDS = {BODY: _("正文"), TASK_LIST: _("工作任务清单"), TABLE: _("附件2 指标表")}
READINGS = {
    STRICTEST: _("取方案各处数值中最高者（就高）"),
    BODY: _("以正文为准"),
    TASK_LIST: _("以工作任务清单为准"),
    TABLE: _("以附件2 指标表为准"),
}


@dataclass(frozen=True)
class TeacherRules:
    """The parameters of the checks, versioned and effective-dated; `basis` says, parameter
    by parameter, where its value comes from (the plan's clause, or 示例)."""

    code: str
    name: str
    version: int
    effective_from: date
    min_enterprise_years: Decimal = Decimal(3)
    hire_scope: str = SPECIALTY
    exemptions: tuple[str, ...] = ()
    part_time_cap: Decimal = Decimal("0.20")
    dual_target_reading: str = STRICTEST
    dual_counts_part_time: bool = False
    ratio_is_ceiling: bool = True
    require_qualification: bool = False
    basis: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        check_version(self.code, self.version)
        problems = []
        if self.min_enterprise_years < 0:
            problems.append(_("企业工作年限要求不能为负数"))
        if self.hire_scope not in HIRE_SCOPES:
            problems.append(_("新进教师适用范围须为 specialty 或 all"))
        if not 0 < self.part_time_cap <= 1:
            problems.append(_("兼职教师比例上限须大于 0、不超过 100%"))
        if self.dual_target_reading not in READINGS:
            problems.append(_("“双师型”目标取值方式须为 strictest、body、task_list 或 table"))
        if problems:
            raise ParameterError("；".join(str(p) for p in problems))

    def basis_of(self, name: str) -> str:
        return self.basis.get(name, EXAMPLE)

    def label(self) -> str:
        """The set as users read it: its Chinese name, 第 N 版 and 施行日期 (the English code
        is for the API and tooltips only)."""
        return str(
            _("参数集“{name}”第 {version} 版（{day} 起施行）").format(
                name=self.name, version=self.version, day=self.effective_from.isoformat()
            )
        )

    def to_json(self) -> dict[str, Any]:
        return record(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TeacherRules:
        return cls(
            **{
                **data,
                "effective_from": date.fromisoformat(data["effective_from"]),
                "min_enterprise_years": decimal(data["min_enterprise_years"], "企业工作年限"),
                "part_time_cap": decimal(data["part_time_cap"], "兼职教师比例上限"),
                "exemptions": tuple(data["exemptions"]),
            }
        )


PARAMETER_LABELS = {
    "min_enterprise_years": _("新进教师企业工作年限下限（年）"),
    "hire_scope": _("企业经历要求的适用范围"),
    "exemptions": _("可豁免情形"),
    "part_time_cap": _("兼职教师占编制员额上限"),
    "dual_target_reading": _("“双师型”目标取值"),
    "dual_counts_part_time": _("“双师型”比例计入兼职教师"),
    "ratio_is_ceiling": _("生师比目标按上限理解"),
    "require_qualification": _("新进教师须有相关专业技术资格"),
}


def parameter_rows(rules: TeacherRules) -> list[tuple[str, str, str]]:
    """Each parameter as the page shows it: label, value in words, its source or 示例."""
    values = {
        "min_enterprise_years": number(rules.min_enterprise_years),
        "hire_scope": str(HIRE_SCOPES[rules.hire_scope]),
        "exemptions": "、".join(rules.exemptions) or str(_("无")),
        "part_time_cap": f"{number(rules.part_time_cap * HUNDRED)}%",
        "dual_target_reading": str(READINGS[rules.dual_target_reading]),
        "dual_counts_part_time": str(_("是") if rules.dual_counts_part_time else _("否")),
        "ratio_is_ceiling": str(_("是") if rules.ratio_is_ceiling else _("否（按下限）")),
        "require_qualification": str(_("是") if rules.require_qualification else _("否（只列出）")),
    }
    return [
        (str(label), values[name], rules.basis_of(name)) for name, label in PARAMETER_LABELS.items()
    ]


def plan_rules() -> TeacherRules:
    """The reference plan's rules: 3 years and 20 % from the plan, the rest 示例."""
    return TeacherRules(
        code="teacher-rules",
        name=str(_("师资队伍核查参数")),
        version=1,
        effective_from=date(2020, 1, 1),
        exemptions=("高层次人才引进", "高技能人才直接考察招聘"),
        basis={
            "min_enterprise_years": str(
                _("{plan} 重点任务（十五）“3年以上企业工作经历”").format(plan=PLAN)
            ),
            "part_time_cap": str(
                _("{plan} 重点任务（十五）、附件3 第32行“20%编制员额内”").format(plan=PLAN)
            ),
            "hire_scope": str(
                _("{example}：方案为“新进教师原则上”，默认只核对专业课教师").format(example=EXAMPLE)
            ),
            "exemptions": str(
                _("{example}：据重点任务（十五）“鼓励业界优秀人才或高层次、高技能人才加入”").format(
                    example=EXAMPLE
                )
            ),
            "dual_target_reading": str(
                _("{example}：方案三处数值不一致，默认就高").format(example=EXAMPLE)
            ),
            "dual_counts_part_time": str(
                _("{example}：只计专任的专业课教师").format(example=EXAMPLE)
            ),
            "ratio_is_ceiling": str(_("{example}：生师比目标按上限理解").format(example=EXAMPLE)),
            "require_qualification": str(
                _(
                    "{example}：正文要求“和相关专业技术资格”，但附件2 计划2021、2022年各招聘50人中"
                    "仅10人有相关专业技术资格，默认只列出、不作判定条件"
                ).format(example=EXAMPLE)
            ),
        },
        source=str(
            _("{plan} 重点任务（十四）（十五）、附件2 三、师资队伍；其余为{example}").format(
                plan=PLAN, example=EXAMPLE
            )
        ),
    )
