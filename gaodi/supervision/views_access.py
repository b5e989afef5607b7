"""What the 交办, 催办 and 申请 pages share: who sees a plan's supervision, and its lookups.

Who sees what (one gate, gaodi.accounts.gate): the work team and the inspectors of the plan's
place see everything (Action.INSPECT); a liaison sees its own department's handover, chases and
requests; only the work team issues, chases handovers and decides (Action.REVIEW); only the
department's liaison signs, answers and asks. Anything else is the same 404 as a missing page.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest

from gaodi.accounts.gate import Action, can, department_of, get_for_user
from gaodi.orgs.models import Department
from gaodi.plans.models import Plan, Task

PLAN = Plan.objects.select_related("org_unit")


def get_plan(request: HttpRequest, pk: int) -> Plan:
    return get_for_user(PLAN, request.user, Action.VIEW, place="org_unit", pk=pk)


def is_overseer(request: HttpRequest, plan: Plan) -> bool:
    """The work team or an inspector of the plan's place."""
    return can(request.user, Action.INSPECT, plan.org_unit_id)


def is_manager(request: HttpRequest, plan: Plan) -> bool:
    """The work team of the plan's place."""
    return can(request.user, Action.REVIEW, plan.org_unit_id)


def is_own(request: HttpRequest, department_id: int) -> bool:
    return department_of(request.user) == department_id


def get_task(plan: Plan, task_pk: int) -> Task:
    found = plan.tasks.select_related("section", "plan").filter(pk=task_pk).first()
    if found is None:
        raise Http404
    return found


def user_department(request: HttpRequest, plan: Plan) -> Department | None:
    department_id = department_of(request.user)
    if department_id is None:
        return None
    return Department.objects.filter(pk=department_id, org_unit=plan.org_unit).first()


def page_context(plan: Plan, **extra: object) -> dict[str, object]:
    return {"plan": plan, "nav_plan": plan, **extra}
