"""Org units and departments in the caller's places, through the access gate."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from gaodi.accounts.gate import Action, User, get_for_user, restrict
from gaodi.orgs.models import Department, OrgUnit
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Task

from .schemas import (
    MAX_ID,
    NOT_FOUND,
    SIGNED_IN,
    DepartmentDetail,
    DepartmentOut,
    OrgUnitOut,
    Pages,
)

router = Router(tags=["机构与部门"])


class DepartmentFilters(Schema):
    org_unit: int | None = Field(None, ge=1, le=MAX_ID, description="只列出该机构（编号）的部门")


@router.get("/departments", response={200: list[DepartmentOut], **SIGNED_IN}, summary="部门列表")
@paginate(Pages)
def list_departments(
    request: HttpRequest, filters: Query[DepartmentFilters]
) -> QuerySet[Department]:
    """本人所辖范围内各机构的部门；可按机构筛选。"""
    departments = Department.objects.select_related("org_unit")
    if filters.org_unit is not None:
        departments = departments.filter(org_unit_id=filters.org_unit)
    return restrict(departments, request.auth, Action.VIEW, place="org_unit")


def tasks_of(department: Department, role: str, user: User) -> list[Task]:
    """The tasks the department leads or supports, in plans the user may read."""
    tasks = Task.objects.filter(
        pk__in=department.assignments.filter(role=role).values("task_id")
    ).select_related("plan")
    scoped = restrict(tasks, user, Action.VIEW, place="plan__org_unit")
    return list(scoped.order_by("plan_id", "order"))


@router.get(
    "/departments/{department_id}",
    response={200: DepartmentDetail, **SIGNED_IN, **NOT_FOUND},
    summary="部门详情",
)
def get_department(request: HttpRequest, department_id: int) -> dict[str, object]:
    """部门及其牵头、配合的任务（各方案版本）。"""
    department: Department = get_for_user(
        Department.objects.select_related("org_unit"),
        request.auth,
        Action.VIEW,
        place="org_unit",
        pk=department_id,
    )
    return {
        **DepartmentOut.from_orm(department).dict(),
        "lead_tasks": tasks_of(department, AssignmentRole.LEAD, request.auth),
        "coop_tasks": tasks_of(department, AssignmentRole.COOP, request.auth),
    }


@router.get("/org-units", response={200: list[OrgUnitOut], **SIGNED_IN}, summary="机构列表")
@paginate(Pages)
def list_org_units(request: HttpRequest) -> QuerySet[OrgUnit]:
    """本人所辖范围内的机构（本级及下级），含上级机构。"""
    units = OrgUnit.objects.select_related("parent")
    return restrict(units, request.auth, Action.VIEW, place="pk")
