"""What the API answers with. Field descriptions are the OpenAPI document's Chinese text.

Numbers the plan states come out as strings of their exact decimal value ("70", "0.25"),
never as floats.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Task


def exact(value: Decimal) -> str:
    """70.000000 -> "70", 0.250000 -> "0.25": the stored value without padding or exponent."""
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", "0"} else text


def departments_in(task: Task, role: str) -> list[Any]:
    """The task's departments with this role, in the plan's order (assignments prefetched)."""
    return [a.department for a in task.assignments.all() if a.role == role]


class Message(Schema):
    detail: str = Field(..., description="说明（中文）")


class Invalid(Schema):
    """django-ninja's answer to a parameter or body of the wrong type or out of range (422)."""

    detail: list[dict[str, Any]] = Field(
        ..., description="逐项说明：loc 参数位置，msg 原因，type 错误类型"
    )


# The answers every signed-in operation may give besides its own: 401 without a valid token or
# session, 422 for a parameter of the wrong type or out of range. (Found by the schemathesis
# run of tests/fuzz: neither was in the OpenAPI document.)
SIGNED_IN: dict[int, Any] = {401: Message, 422: Invalid}
NOT_FOUND: dict[int, Any] = {404: Message}
# The largest id the database can hold: a larger filter value would fail in SQL (a 500), not
# match nothing; the API refuses it with 422 instead.
MAX_ID = 2**63 - 1


class Pages(LimitOffsetPagination):
    """django-ninja's limit/offset, bounded: an offset or a limit the database cannot take
    (past 2^63) was a 500; now it is refused with 422."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000, description="每页条数（1–1000，默认 100）")
        offset: int = Field(0, ge=0, le=10**9, description="跳过前多少条（默认 0）")


class OrgUnitRef(Schema):
    id: int = Field(..., description="机构编号")
    code: str = Field(..., description="行政区划代码（GB/T 2260）或机构代码")
    name: str = Field(..., description="机构名称")


class DepartmentRef(Schema):
    id: int = Field(..., description="部门编号")
    name: str = Field(..., description="部门名称（规范名称）")


class SectionRef(Schema):
    id: int = Field(..., description="部分编号")
    order: int = Field(..., description="在方案中的顺序")
    title: str = Field(..., description="部分标题，如“重点任务”“保障措施”")


class PlanSummary(Schema):
    id: int = Field(..., description="方案编号（每个版本一个）")
    title: str = Field(..., description="方案标题")
    doc_number: str = Field(..., description="文号，如“聊茌政发〔2020〕19号”")
    version: int = Field(..., description="版本号（重新导入即递增）")
    org_unit: OrgUnitRef = Field(..., description="方案所属机构（行政区）")
    issue_date: dt.date | None = Field(None, description="印发日期")
    public: bool = Field(..., description="是否公开发布（此件公开发布）")
    task_count: int = Field(..., description="重点任务等正文任务数")
    task_list_count: int = Field(..., description="工作任务清单行数")


class LeadingGroupMemberOut(Schema):
    order: int = Field(..., description="在名单中的顺序")
    role: str = Field(..., description="小组内职务：组长、副组长、成员")
    name: str = Field(..., description="姓名")
    position: str = Field(..., description="所任职务")

    @staticmethod
    def resolve_name(member: Any) -> str:
        return str(member.person.name)

    @staticmethod
    def resolve_position(member: Any) -> str:
        return str(member.person.position)


class OfficeOut(Schema):
    department: DepartmentRef | None = Field(None, description="领导小组办公室所在部门")
    director: str = Field("", description="办公室主任")


class PlanDetail(PlanSummary):
    issuer: str = Field(..., description="发文机关")
    series: str = Field(..., description="方案标识：各版本共用（文号，无文号时为标题）")
    sections: list[SectionRef] = Field(..., description="方案的各部分")
    leading_group: list[LeadingGroupMemberOut] = Field(..., description="领导小组成员")
    office: OfficeOut = Field(..., description="领导小组办公室")

    @staticmethod
    def resolve_sections(plan: Any) -> list[Any]:
        return list(plan.sections.all())

    @staticmethod
    def resolve_leading_group(plan: Any) -> list[Any]:
        return list(plan.leading_group.all())

    @staticmethod
    def resolve_office(plan: Any) -> dict[str, Any]:
        return {"department": plan.office_department, "director": plan.office_director}


class DeadlineOut(Schema):
    date: dt.date = Field(..., description="时限（原文所允许的最后一天）")
    phrase: str = Field(..., description="原文写法，如“2020年6月底前”")


class QuantityOut(Schema):
    phrase: str = Field(..., description="原文写法，如“70%以上”")
    value: str = Field(..., description="数值，十进制精确值的字符串（不用浮点数）")
    unit: str = Field(..., description="计量单位，如“%”“万元”")
    comparator: str = Field(..., description="比较方式：>= 不低于，<= 不高于，= 等于，~ 约")
    year: int | None = Field(None, description="目标年份")
    clause: str = Field(..., description="出处条款，如“重点任务（十四）”")

    @staticmethod
    def resolve_value(quantity: Any) -> str:
        return exact(quantity.value)


class TaskOut(Schema):
    id: int = Field(..., description="任务编号（库内）")
    plan_id: int = Field(..., description="所属方案编号")
    number: int = Field(..., description="任务序号，如（十四）为 14")
    numbering: str = Field(..., description="编号样式，如 cn_paren 表示“（十四）”")
    section: SectionRef | None = Field(None, description="所属部分")
    title: str = Field(..., description="任务标题")
    lead_departments: list[DepartmentRef] = Field(..., description="牵头单位")
    coop_departments: list[DepartmentRef] = Field(..., description="配合单位")
    deadlines: list[DeadlineOut] = Field(..., description="时限")
    targets: list[QuantityOut] = Field(..., description="目标值")

    @staticmethod
    def resolve_lead_departments(task: Task) -> list[Any]:
        return departments_in(task, AssignmentRole.LEAD)

    @staticmethod
    def resolve_coop_departments(task: Task) -> list[Any]:
        return departments_in(task, AssignmentRole.COOP)

    @staticmethod
    def resolve_deadlines(task: Task) -> list[Any]:
        return list(task.deadlines.all())

    @staticmethod
    def resolve_targets(task: Any) -> list[Any]:
        return list(task.stated_targets)


class TaskListItemOut(Schema):
    id: int = Field(..., description="清单条目编号（库内）")
    seq: int = Field(..., description="工作任务清单序号")
    text: str = Field(..., description="政策内容")
    units: list[str] = Field(..., description="责任部门（原文写法）")


class TaskDetail(TaskOut):
    text: str = Field(..., description="任务全文")
    line: int | None = Field(None, description="原文行号")
    list_items: list[TaskListItemOut] = Field(..., description="对应的工作任务清单条目")
    parameters: list[QuantityOut] = Field(..., description="方案设定的规则参数，如“按25%折算”")

    @staticmethod
    def resolve_list_items(task: Task) -> list[Any]:
        return list(task.list_items.all())

    @staticmethod
    def resolve_parameters(task: Any) -> list[Any]:
        return list(task.stated_parameters)


class TaskRef(Schema):
    id: int = Field(..., description="任务编号（库内）")
    plan_id: int = Field(..., description="所属方案编号")
    plan_version: int = Field(..., description="所属方案版本")
    number: int = Field(..., description="任务序号")
    title: str = Field(..., description="任务标题")

    @staticmethod
    def resolve_plan_version(task: Task) -> int:
        return task.plan.version


class DepartmentOut(Schema):
    id: int = Field(..., description="部门编号")
    name: str = Field(..., description="部门名称（规范名称）")
    aliases: list[str] = Field(..., description="别名，如“区教体局”")
    collective: bool = Field(..., description="是否为集合称谓（如“各镇街”）")
    org_unit: OrgUnitRef = Field(..., description="所属机构")


class DepartmentDetail(DepartmentOut):
    lead_tasks: list[TaskRef] = Field(..., description="牵头的任务")
    coop_tasks: list[TaskRef] = Field(..., description="配合的任务")


class OrgUnitOut(Schema):
    id: int = Field(..., description="机构编号")
    code: str = Field(..., description="行政区划代码（GB/T 2260）或机构代码")
    name: str = Field(..., description="机构名称")
    kind: str = Field(
        ..., description="类型：province 省，city 市，county 县（区），school，enterprise"
    )
    parent: OrgUnitRef | None = Field(None, description="上级机构")


class FindingOut(Schema):
    id: int = Field(..., description="发现编号")
    source: str = Field(..., description="来源：parse 解析，audit 核查")
    code: str = Field(..., description="类别代码")
    severity: str = Field(..., description="级别：error 错误，warning 警告，info 提示")
    message: str = Field(..., description="说明")
    where: list[Any] = Field(..., description="位置（所指的任务、清单行等）")
    evidence: list[Any] = Field(..., description="依据（原文摘录）")
    line: int | None = Field(None, description="原文行号")
