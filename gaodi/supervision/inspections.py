"""督查 and 整改 (issue 5): 区委督查室 records a quarterly (定期), 专项 or 随机抽查 inspection with
its findings; the responsible department reports its rectification with the materials that
prove it; the inspector closes the finding (整改销号) or sends it back with a note.

Who records and closes: the work team of the plan's place, or an inspector whose scope is 督查
(区委督查室; 区政府教育督导室 runs the 调度 rounds). Every write is one transaction with its
change record; the 待办 it causes is sent once the write has committed. The light of a finding
is pure and lives in inspection_light.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from gaodi.accounts.choices import InspectorScope, Role
from gaodi.accounts.gate import Action, User, can, department_of, memberships
from gaodi.accounts.models import Membership
from gaodi.audit.models import ChangeRecord
from gaodi.audit.queries import last_change, who_and_when
from gaodi.audit.services import record_change
from gaodi.orgs.models import Department
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan, Task
from gaodi.today import now, today

from .handover import Refused, is_assigned, liaisons_of, tell
from .inspection_light import NEAR_DAYS, FindingFacts, finding_light
from .models import Cycle, Inspection, InspectionFinding, Schedule

__all__ = ["NEAR_DAYS", "FindingFacts", "Refused", "finding_light"]  # re-exported for callers

Status = InspectionFinding.Status


@dataclass(frozen=True)
class FindingSpec:
    """One problem found, as the inspector writes it down."""

    task: Task
    department: Department
    problem: str
    deadline: dt.date


def may_inspect(user: User | None, plan: Plan) -> bool:
    """The work team of the place, or an inspector of the 督查 scope (区委督查室)."""
    if user is None or not can(user, Action.INSPECT, plan.org_unit_id):
        return False
    if can(user, Action.REVIEW, plan.org_unit_id):
        return True
    return any(
        m.role == Role.INSPECTOR and m.inspector_scope == InspectorScope.INSPECTION
        for m in memberships(user)
    )


def facts_of(finding: InspectionFinding) -> FindingFacts:
    return FindingFacts(
        status=finding.status, deadline=finding.deadline, closed_on=finding.closed_on
    )


def _user(actor: Actor) -> AbstractBaseUser | None:
    return actor if isinstance(actor, AbstractBaseUser) else None


def _check_finding(plan: Plan, spec: FindingSpec, held_on: dt.date) -> None:
    if not spec.problem.strip():
        raise Refused(_("请填写发现的问题"))
    if spec.task.plan_id != plan.pk:
        raise Refused(_("任务不属于该方案"))
    if not is_assigned(spec.task, spec.department):
        raise Refused(
            _("{department}不承担任务{task}").format(
                department=spec.department.name, task=spec.task.label
            )
        )
    if spec.deadline < held_on:
        raise Refused(_("整改时限不能早于督查日期"))


def _check_cycle(plan: Plan, cycle: Cycle | None) -> None:
    if cycle is None:
        return
    schedule = cycle.schedule
    if schedule.plan_id != plan.pk or schedule.kind != Schedule.Kind.INSPECTION:
        raise Refused(_("所选轮次不是该方案的督查轮次"))


def record_inspection(
    plan: Plan,
    *,
    method: str,
    held_on: dt.date,
    findings: Sequence[FindingSpec],
    actor: Actor,
    summary: str = "",
    cycle: Cycle | None = None,
) -> Inspection:
    """督查: record an inspection and its findings; each responsible department is told."""
    if not may_inspect(_user(actor), plan):
        raise Refused(_("只有督查室或工作专班可以记录督查"))
    if method not in Inspection.Method.values:
        raise Refused(_("请选择督查方式"))
    _check_cycle(plan, cycle)
    for spec in findings:
        _check_finding(plan, spec, held_on)
    with transaction.atomic():
        inspection = Inspection.objects.create(
            plan=plan,
            cycle=cycle,
            method=method,
            held_on=held_on,
            summary=summary.strip(),
            created_at=now(),
            created_by=_user(actor),
        )
        record_change(
            inspection,
            actor=actor,
            action="create",
            after={"method": method, "held_on": held_on.isoformat(), "findings": len(findings)},
            summary=_("记录督查（{method}），发现问题 {n} 个").format(
                method=inspection.get_method_display(), n=len(findings)
            ),
        )
        made = [_create_finding(inspection, spec, actor) for spec in findings]
    for finding in made:
        tell(
            liaisons_of(finding.department),
            f"inspection-finding:{finding.pk}",
            _("督查整改：{task}").format(task=finding.task.label),
            body=_("{problem}\n整改时限：{deadline}").format(
                problem=finding.problem, deadline=finding.deadline.isoformat()
            ),
            url=_finding_url(finding),
        )
    return inspection


def _create_finding(inspection: Inspection, spec: FindingSpec, actor: Actor) -> InspectionFinding:
    finding = InspectionFinding.objects.create(
        inspection=inspection,
        task=spec.task,
        department=spec.department,
        problem=spec.problem.strip(),
        deadline=spec.deadline,
    )
    record_change(
        finding,
        actor=actor,
        action="create",
        after={
            "task": spec.task.label,
            "department": spec.department.name,
            "problem": finding.problem,
            "deadline": spec.deadline.isoformat(),
        },
        summary=_("督查发现问题，责任部门{department}：{task}").format(
            department=spec.department.name, task=spec.task.label
        ),
    )
    return finding


def report_rectification(
    finding: InspectionFinding, *, rectification: str, evidence: str = "", actor: Actor
) -> InspectionFinding:
    """The responsible department reports what it fixed, with a list of its materials."""
    rectification = rectification.strip()
    user = _user(actor)
    if user is None or department_of(user) != finding.department_id:
        raise Refused(_("只有责任部门可以报送整改情况"))
    if not rectification:
        raise Refused(_("请填写整改情况"))
    with transaction.atomic():
        _lock(finding)
        if finding.status != Status.OPEN:
            raise Refused(_stale(finding, _("该问题已报送整改或已销号")))
        finding.status = Status.REPORTED
        finding.rectification = rectification
        finding.evidence = evidence.strip()
        finding.rectified_on = today()
        finding.save(update_fields=["status", "rectification", "evidence", "rectified_on"])
        record_change(
            finding,
            actor=actor,
            action="rectify",
            before={"status": Status.OPEN},
            after={"status": Status.REPORTED, "rectification": rectification},
            summary=_("{department}报送整改情况：{task}").format(
                department=finding.department.name, task=finding.task.label
            ),
        )
    tell(
        inspectors_of(finding.inspection),
        f"inspection-rectified:{finding.pk}:{_count(finding, 'rectify')}",
        _("{department}已报送整改，请销号：{task}").format(
            department=finding.department.name, task=finding.task.label
        ),
        body=rectification,
        url=_finding_url(finding),
    )
    return finding


def close_finding(finding: InspectionFinding, *, note: str = "", actor: Actor) -> InspectionFinding:
    """整改销号: the inspector accepts the reported rectification."""
    return _decide(finding, close=True, note=note, actor=actor)


def return_finding(finding: InspectionFinding, *, note: str, actor: Actor) -> InspectionFinding:
    """The inspector sends the rectification back: the finding is open again, with why."""
    if not note.strip():
        raise Refused(_("退回时请填写意见"))
    return _decide(finding, close=False, note=note, actor=actor)


def _decide(
    finding: InspectionFinding, *, close: bool, note: str, actor: Actor
) -> InspectionFinding:
    if not may_inspect(_user(actor), finding.inspection.plan):
        raise Refused(_("只有督查室或工作专班可以销号或退回"))
    action = "close" if close else "return"
    with transaction.atomic():
        _lock(finding)
        if finding.status != Status.REPORTED:
            raise Refused(_stale(finding, _("该问题尚未报送整改，或已销号")))
        finding.status = Status.CLOSED if close else Status.OPEN
        finding.closed_on = today() if close else None
        finding.closed_by = _user(actor) if close else None
        finding.close_note = note.strip()
        finding.save(update_fields=["status", "closed_on", "closed_by", "close_note"])
        record_change(
            finding,
            actor=actor,
            action=action,
            before={"status": Status.REPORTED},
            after={"status": finding.status, "note": finding.close_note},
            summary=(_("整改销号：{task}") if close else _("退回整改：{task}")).format(
                task=finding.task.label
            ),
        )
    title = _("已整改销号：{task}") if close else _("整改被退回：{task}")
    tell(
        liaisons_of(finding.department),
        f"inspection-{action}:{finding.pk}:{_count(finding, action)}",
        title.format(task=finding.task.label),
        body=finding.close_note,
        url=_finding_url(finding),
    )
    return finding


def _lock(finding: InspectionFinding) -> None:
    """Lock the finding and read it again: of two people sending the same step at once (two
    liaisons, two inspectors, a double click) the second sees the first one's result."""
    InspectionFinding.objects.select_for_update().filter(pk=finding.pk).first()
    finding.refresh_from_db()


def _stale(finding: InspectionFinding, why: str) -> str:
    """Why a step is refused, with who changed the finding last and when."""
    who, when = who_and_when(last_change(finding))
    if not who:
        return why
    return _("{why}（{who}于 {when}{status}），请刷新后查看").format(
        why=why, who=who, when=when, status=finding.get_status_display()
    )


def inspectors_of(inspection: Inspection) -> list[AbstractBaseUser]:
    """Who closes the findings: the inspector who recorded it, else the place's 督查室."""
    if inspection.created_by is not None:
        return [inspection.created_by]
    members = Membership.objects.filter(
        org_unit=inspection.plan.org_unit_id,
        role=Role.INSPECTOR,
        inspector_scope=InspectorScope.INSPECTION,
    ).select_related("user")
    return [m.user for m in members]


def _count(finding: InspectionFinding, action: str) -> int:
    """How many times this happened to the finding: a repeated step is a new 待办."""
    return ChangeRecord.objects.filter(
        object_type=finding._meta.label_lower, object_id=str(finding.pk), action=action
    ).count()


def _finding_url(finding: InspectionFinding) -> str:
    return reverse("supervision:inspection", args=[finding.inspection_id]) + f"#f{finding.pk}"
