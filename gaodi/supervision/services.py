"""Writes of the supervision app: schedules from the plan, cycles opened as they fall due,
reminders to the people who must report. Every write leaves a change record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from gaodi.accounts.choices import Role
from gaodi.accounts.models import Membership
from gaodi.audit.services import record_change
from gaodi.orgs.services import Actor
from gaodi.plans.models import Assignment, Plan
from gaodi.plans.parsing.draft import PlanDraft
from gaodi.today import now

from .models import Cycle, Schedule
from .notify import notify
from .schedules import CycleSpec, ScheduleSpec, due_cycles, schedules_from_plan

REMIND_DAYS = 3  # a reminder goes out this many days before a cycle's due date (示例)


def seed_schedules(plan: Plan, draft: PlanDraft) -> int:
    """The schedules the plan's own words set (inside import_plan's transaction)."""
    starts_on = plan.issue_date or dt.date(plan.imported_at.year, 1, 1)
    made = 0
    for spec in schedules_from_plan(draft):
        _schedule, created = Schedule.objects.get_or_create(
            plan=plan,
            kind=spec.kind,
            scope=spec.scope,
            defaults={
                "frequency": spec.frequency,
                "body": spec.body[:100],
                "due_workdays": spec.due_workdays,
                "starts_on": starts_on,
                "clause": spec.clause[:50],
                "quote": spec.quote[:300],
            },
        )
        made += int(created)
    return made


def spec_of(schedule: Schedule) -> ScheduleSpec:
    return ScheduleSpec(
        kind=schedule.kind,
        frequency=schedule.frequency,
        scope=schedule.scope,
        body=schedule.body,
        due_workdays=schedule.due_workdays,
        clause=schedule.clause,
        quote=schedule.quote,
    )


@dataclass
class Round:
    """What one run of `gaodi cycles` did."""

    opened: list[Cycle] = field(default_factory=list)
    notified: int = 0
    reminded: int = 0


def run_cycles(today: dt.date, *, actor: Actor = None) -> Round:
    """Open every cycle that has begun by `today`, tell the people concerned, and remind them
    as the due date nears. Idempotent: a second run the same day does nothing."""
    done = Round()
    schedules = Schedule.objects.filter(active=True, plan__next_version__isnull=True)
    for schedule in schedules.select_related("plan"):
        for spec in due_cycles(spec_of(schedule), schedule.starts_on, today):
            cycle, created = _open(schedule, spec, actor)
            if created:
                done.opened.append(cycle)
            if cycle.ends_on >= today - dt.timedelta(days=31):  # not for long-past rounds
                done.notified += _tell(cycle, opened=True)
            if 0 <= (cycle.due_on - today).days <= REMIND_DAYS:
                done.reminded += _tell(cycle, opened=False)
    return done


def _open(schedule: Schedule, spec: CycleSpec, actor: Actor) -> tuple[Cycle, bool]:
    with transaction.atomic():
        cycle, created = Cycle.objects.get_or_create(
            schedule=schedule,
            period=spec.period,
            defaults={
                "starts_on": spec.starts_on,
                "ends_on": spec.ends_on,
                "due_on": spec.due_on,
                "opened_at": now(),
            },
        )
        if created:
            record_change(
                cycle,
                actor=actor,
                action="open",
                after={"period": cycle.period, "due_on": cycle.due_on.isoformat()},
                summary=_("开启{cycle}，报送截止 {due}").format(
                    cycle=cycle, due=cycle.due_on.isoformat()
                ),
            )
    return cycle, created


def people_to_tell(schedule: Schedule) -> list[AbstractBaseUser]:
    """The liaisons of every department with a task in the plan, the work team, and the
    inspectors who run this schedule."""
    plan = schedule.plan
    departments = Assignment.objects.filter(task__plan=plan).values("department_id")
    members = Membership.objects.filter(
        department_id__in=departments, role=Role.DEPARTMENT
    ) | Membership.objects.filter(org_unit=plan.org_unit, role=Role.ADMIN)
    members = members | Membership.objects.filter(
        org_unit=plan.org_unit, role=Role.INSPECTOR, inspector_scope=schedule.scope
    )
    seen: dict[int, AbstractBaseUser] = {}
    for membership in members.select_related("user"):
        seen.setdefault(membership.user_id, membership.user)
    return list(seen.values())


def _tell(cycle: Cycle, *, opened: bool) -> int:
    schedule = cycle.schedule
    url = reverse("supervision:schedules", args=[schedule.plan_id])
    if opened:
        key = f"cycle-open:{cycle.pk}"
        title = _("{body}{kind}（{period}）已开始").format(
            body=schedule.body, kind=schedule.get_kind_display(), period=cycle.period
        )
    else:
        key = f"cycle-due:{cycle.pk}"
        title = _("{body}{kind}（{period}）将于 {due} 截止报送").format(
            body=schedule.body,
            kind=schedule.get_kind_display(),
            period=cycle.period,
            due=cycle.due_on.isoformat(),
        )
    body = _("请于 {due} 前报送本期工作进展（{quote}）。").format(
        due=cycle.due_on.isoformat(), quote=schedule.quote or schedule.clause
    )
    sent = 0
    for user in people_to_tell(schedule):
        if notify(user, key, title, body=body, url=url, due_on=cycle.due_on):
            sent += 1
    return sent


def update_schedule(
    schedule: Schedule,
    *,
    frequency: str,
    due_workdays: int,
    active: bool,
    actor: Actor,
) -> Schedule:
    """The work team changes how often, how many working days, or stops a schedule."""
    if frequency not in Schedule.Frequency.values:
        raise ValueError(_("频次不对"))
    if not 0 <= due_workdays <= 60:
        raise ValueError(_("报送期限应为 0 到 60 个工作日"))
    before = {
        "frequency": schedule.frequency,
        "due_workdays": schedule.due_workdays,
        "active": schedule.active,
    }
    after = {"frequency": frequency, "due_workdays": due_workdays, "active": active}
    if before == after:
        return schedule
    with transaction.atomic():
        Schedule.objects.filter(pk=schedule.pk).update(**after)
        schedule.refresh_from_db()
        record_change(
            schedule,
            actor=actor,
            action="update",
            before=before,
            after=after,
            summary=_("修改{schedule}").format(schedule=schedule),
        )
    return schedule
