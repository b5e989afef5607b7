"""Plans, their tasks and their findings; every read goes through the access gate.

A plan, a task or a plan's findings that the caller may not see answer 404, the same 404 as
for one that does not exist.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Literal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, IntegerField, Model, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gaodi.accounts.gate import Action, get_for_user, restrict
from gaodi.plans.models import (
    Assignment,
    Finding,
    LeadingGroupMember,
    Parameter,
    Plan,
    Target,
    Task,
    TaskListItem,
)

from .schemas import (
    MAX_ID,
    NOT_FOUND,
    SIGNED_IN,
    FindingOut,
    Invalid,
    Pages,
    PlanDetail,
    PlanSummary,
    TaskDetail,
    TaskOut,
)

router = Router(tags=["方案"])
public_router = Router(tags=["公开"], auth=None)


class TaskFilters(Schema):
    department: int | None = Field(
        None, ge=1, le=MAX_ID, description="只列出该部门（编号）承担的任务"
    )
    role: Literal["lead", "coop"] | None = Field(
        None, description="与 department 合用：lead 牵头，coop 配合；单独使用时按职责筛选"
    )
    section: int | None = Field(None, ge=1, le=MAX_ID, description="只列出该部分（编号）的任务")
    due_before: dt.date | None = Field(
        None, description="只列出有时限不晚于该日（含当日）的任务，格式 YYYY-MM-DD"
    )


def _count(model: type[Model], field: str) -> Coalesce:
    """A per-plan row count as a subquery, so that two counts do not multiply each other."""
    rows = (
        model._default_manager.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def counted_plans() -> QuerySet[Plan]:
    """Plans with what the summary shows, in one query (not yet scoped)."""
    return Plan.objects.select_related("org_unit").annotate(
        task_count=_count(Task, "plan"), task_list_count=_count(TaskListItem, "plan")
    )


def plan_detail(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    members = LeadingGroupMember.objects.select_related("person")
    return plans.select_related("office_department").prefetch_related(
        "sections", Prefetch("leading_group", queryset=members)
    )


def tasks_with_parts(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Tasks with their section, departments and deadlines fetched in three more queries."""
    assignments = Assignment.objects.select_related("department").order_by("role", "order")
    return tasks.select_related("section").prefetch_related(
        Prefetch("assignments", queryset=assignments), "deadlines"
    )


def with_quantities(tasks: Iterable[Task], *, parameters: bool = False) -> list[Task]:
    """Attach each task's targets (and parameters) in one query each.

    Target and Parameter have no reverse accessor on Task (related_name="+"), so
    prefetch_related cannot reach them; they are grouped here instead.
    """
    found = list(tasks)
    kinds: list[tuple[type[Model], str]] = [(Target, "stated_targets")]
    if parameters:
        kinds.append((Parameter, "stated_parameters"))
    for model, attribute in kinds:
        by_task: defaultdict[int, list[Model]] = defaultdict(list)
        for quantity in model._default_manager.filter(task__in=found).order_by("pk"):
            by_task[quantity.task_id].append(quantity)
        for task in found:
            setattr(task, attribute, by_task[task.pk])
    return found


def filtered(tasks: QuerySet[Task], filters: TaskFilters) -> QuerySet[Task]:
    if filters.section is not None:
        tasks = tasks.filter(section_id=filters.section)
    if filters.due_before is not None:
        tasks = tasks.filter(pk__in=Task.objects.filter(deadlines__date__lte=filters.due_before))
    assigned: dict[str, object] = {}
    if filters.department is not None:
        assigned["department_id"] = filters.department
    if filters.role is not None:
        assigned["role"] = filters.role
    if assigned:  # one subquery, so department and role hold for the same assignment
        tasks = tasks.filter(pk__in=Assignment.objects.filter(**assigned).values("task_id"))
    return tasks


@router.get("/plans", response={200: list[PlanSummary], **SIGNED_IN}, summary="方案列表")
@paginate(Pages)
def list_plans(request: HttpRequest) -> QuerySet[Plan]:
    """本人所辖范围内的全部方案（各版本），以及公开发布的方案。"""
    return restrict(counted_plans(), request.auth, Action.VIEW, place="org_unit")


@router.get(
    "/plans/{plan_id}",
    response={200: PlanDetail, **SIGNED_IN, **NOT_FOUND},
    summary="方案详情",
)
def get_plan(request: HttpRequest, plan_id: int) -> Plan:
    """方案及其各部分、领导小组和领导小组办公室。"""
    plans = plan_detail(counted_plans())
    return get_for_user(plans, request.auth, Action.VIEW, place="org_unit", pk=plan_id)


@router.get(
    "/plans/{plan_id}/tasks",
    response={200: list[TaskOut], **SIGNED_IN, **NOT_FOUND},
    summary="方案的任务",
)
@paginate(Pages)
def list_plan_tasks(request: HttpRequest, plan_id: int, filters: Query[TaskFilters]) -> list[Task]:
    """方案的任务，含牵头/配合单位、时限和目标；可按部门、职责、部分、时限筛选。"""
    plan: Plan = get_for_user(
        Plan.objects.all(), request.auth, Action.VIEW, place="org_unit", pk=plan_id
    )
    tasks = filtered(tasks_with_parts(plan.tasks.defer("text")), filters)
    # A plan has tens of tasks, not thousands: load them whole so targets join in one query.
    return with_quantities(tasks)


@router.get(
    "/tasks/{task_id}", response={200: TaskDetail, **SIGNED_IN, **NOT_FOUND}, summary="任务详情"
)
def get_task(request: HttpRequest, task_id: int) -> Task:
    """任务全文、对应的工作任务清单条目、目标和参数。"""
    tasks = tasks_with_parts(Task.objects.prefetch_related("list_items"))
    task: Task = get_for_user(tasks, request.auth, Action.VIEW, place="plan__org_unit", pk=task_id)
    return with_quantities([task], parameters=True)[0]


@router.get(
    "/plans/{plan_id}/findings",
    response={200: list[FindingOut], **SIGNED_IN, **NOT_FOUND},
    summary="方案的核查发现",
)
@paginate(Pages)
def list_plan_findings(request: HttpRequest, plan_id: int) -> QuerySet[Finding]:
    """解析警告和核查发现：仅工作专班、领导小组和督查督导可见，其他人得到 404。"""
    plan: Plan = get_for_user(
        Plan.objects.all(), request.auth, Action.VIEW_FINDINGS, place="org_unit", pk=plan_id
    )
    return plan.findings.order_by("pk")


@public_router.get(
    "/public/plans", response={200: list[PlanSummary], 422: Invalid}, summary="公开发布的方案"
)
@paginate(Pages)
def list_public_plans(request: HttpRequest) -> QuerySet[Plan]:
    """无需登录：公开发布的方案。登录用户在此也只看到公开的方案。"""
    # Asked as nobody in particular, the gate answers with the plans marked 公开发布.
    return restrict(counted_plans(), AnonymousUser(), Action.VIEW, place="org_unit")


@public_router.get(
    "/public/plans/{plan_id}",
    response={200: PlanDetail, 422: Invalid, **NOT_FOUND},
    summary="公开方案详情",
)
def get_public_plan(request: HttpRequest, plan_id: int) -> Plan:
    """无需登录：一份公开发布的方案；未公开或不存在均为 404。"""
    plans = plan_detail(counted_plans())
    return get_for_user(plans, AnonymousUser(), Action.VIEW, place="org_unit", pk=plan_id)
