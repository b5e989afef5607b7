"""会议与批示 (issue 5, Meetings and instructions): the records of the leading group's meetings
and of the joint meetings of government, enterprises and schools (（八）联席会), and the items
that a meeting's decision (会议交办) or a leader's written instruction (领导批示) hands to a
department.

A tracked item is followed like any task because it *is* a task of the plan: a Task in the
section 会议交办和领导批示 (made on demand, after the plan's own sections), with its lead and
cooperating departments (Assignment) and its deadline (Deadline). Reports, lights, 催办,
handovers and scores all read tasks, so they follow it without code of their own.

Its number continues the plan's numbering (the reference plan numbers 保障措施 on from 重点任务:
（二十一）…（二十三）), so the first item is 会议交办和领导批示（二十四）. Numbering inside the
section from （一） would read shorter but would give two tasks of one plan the same number,
and several lookups key a plan's tasks by number (the review page's findings, the demo).

Who writes: the work team of the plan's place and the leaders (领导小组). Every write is one
transaction with its change record; the 待办 it causes is sent once the write has committed.
Bad input is refused with every problem named, in Chinese, and nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gaodi.accounts.choices import Role
from gaodi.accounts.gate import Action, User, can, memberships
from gaodi.audit.services import record_change
from gaodi.orgs.models import Department, OrgUnit
from gaodi.orgs.services import Actor
from gaodi.orgs.tree import descendant_ids
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Assignment, Deadline, Plan, Section, Task
from gaodi.today import today

from .handover import Refused, liaisons_of
from .models import Meeting, TrackedItem
from .notify import notify

__all__ = ["SECTION_TITLE", "Refused", "may_direct", "record_meeting", "track_item"]

# The section's title is data of the plan, like 重点任务 and 保障措施: stored once, in Chinese.
SECTION_TITLE = "会议交办和领导批示"
DEFAULT_NUMBERING = "cn_paren"  # （二十四）, when the plan's own style is not known


def _user(actor: Actor) -> AbstractBaseUser | None:
    return actor if isinstance(actor, AbstractBaseUser) else None


def _leads_here(user: User, plan: Plan) -> bool:
    """A leader (领导小组) of the plan's place or of a place above it."""
    for membership in memberships(user):
        if membership.role != Role.LEADER or membership.org_unit_id is None:
            continue
        if plan.org_unit_id in descendant_ids(OrgUnit(pk=membership.org_unit_id)):
            return True
    return False


def may_direct(user: User | None, plan: Plan) -> bool:
    """The work team of the plan's place, or a leader: they record meetings and hand items."""
    if user is None or not user.is_authenticated:
        return False
    return can(user, Action.REVIEW, plan.org_unit_id) or _leads_here(user, plan)


# 会议 ------------------------------------------------------------------------------------


def record_meeting(
    plan: Plan,
    *,
    kind: str,
    title: str,
    held_on: dt.date | None,
    attendees: str,
    decisions: str,
    actor: Actor,
) -> Meeting:
    """Record a meeting of the leading group, a 联席会 or another meeting: date, attendees and
    what it decided."""
    if not may_direct(_user(actor), plan):
        raise Refused(_("只有工作专班或领导小组可以记录会议"))
    title, attendees, decisions = title.strip(), attendees.strip(), decisions.strip()
    problems = []
    if kind not in Meeting.Kind.values:
        problems.append(_("请选择会议类型"))
    if not title:
        problems.append(_("请填写会议名称"))
    elif len(title) > 200:
        problems.append(_("会议名称不能超过 200 字"))
    problems += _date_problems(held_on, _("会议日期"))
    if not attendees:
        problems.append(_("请填写参会人员"))
    if not decisions:
        problems.append(_("请填写议定事项"))
    if problems:
        raise Refused("；".join(problems))
    assert held_on is not None
    same = Meeting.objects.filter(plan=plan, kind=kind, title=title, held_on=held_on)
    try:
        with transaction.atomic():
            if (earlier := same.first()) is not None:
                return _recorded_already(earlier, attendees, decisions)
            return _create_meeting(plan, kind, title, held_on, attendees, decisions, actor)
    except IntegrityError:  # the same form sent twice at once: the other one was stored
        earlier = same.first()
        if earlier is None:
            raise
        return _recorded_already(earlier, attendees, decisions)


def _recorded_already(earlier: Meeting, attendees: str, decisions: str) -> Meeting:
    """A meeting sent twice (a double click, a replayed form) is stored once; another record
    of the same meeting (same kind, name and day) with other content is refused."""
    if (earlier.attendees, earlier.decisions) == (attendees, decisions):
        return earlier
    raise Refused(
        _("{day}的“{title}”已记录，不能重复记录").format(
            day=earlier.held_on.isoformat(), title=earlier.title
        )
    )


def _create_meeting(
    plan: Plan,
    kind: str,
    title: str,
    held_on: dt.date,
    attendees: str,
    decisions: str,
    actor: Actor,
) -> Meeting:
    meeting = Meeting.objects.create(
        plan=plan,
        kind=kind,
        title=title,
        held_on=held_on,
        attendees=attendees,
        decisions=decisions,
        created_at=timezone.now(),
        created_by=_user(actor),
    )
    record_change(
        meeting,
        actor=actor,
        action="create",
        after={
            "kind": kind,
            "title": title,
            "held_on": held_on.isoformat(),
            "attendees": attendees,
            "decisions": decisions,
        },
        summary=_("记录{kind}：{title}（{day}）").format(
            kind=meeting.get_kind_display(), title=title, day=held_on.isoformat()
        ),
    )
    return meeting


def _date_problems(day: dt.date | None, name: str) -> list[str]:
    if day is None:
        return [_("请填写{name}").format(name=name)]
    if day > today():
        return [_("{name}不能晚于今天").format(name=name)]
    return []


# 会议交办 / 领导批示 ----------------------------------------------------------------------


def track_item(
    plan: Plan,
    *,
    source: str,
    title: str,
    wording: str,
    lead: Department | None,
    deadline: dt.date | None,
    issued_on: dt.date | None,
    actor: Actor,
    meeting: Meeting | None = None,
    leader: str = "",
    cooperating: Sequence[Department] = (),
    deadline_phrase: str = "",
) -> TrackedItem:
    """会议交办 (a meeting's decision) or 领导批示 (a leader's written instruction) becomes a
    task of the plan with a lead department, cooperating departments and a deadline; the
    departments' liaisons get a 待办."""
    if not may_direct(_user(actor), plan):
        raise Refused(_("只有工作专班或领导小组可以交办会议决定或领导批示"))
    title, wording, leader = title.strip(), wording.strip(), leader.strip()
    cooperating = list(dict.fromkeys(cooperating))
    problems = [
        *_source_problems(plan, source, meeting, leader, issued_on),
        *_text_problems(title, wording),
        *_department_problems(plan, lead, cooperating),
        *_deadline_problems(deadline, issued_on),
    ]
    if problems:
        raise Refused("；".join(problems))
    assert lead is not None and deadline is not None and issued_on is not None
    phrase = deadline_phrase.strip()[:100] or _("{y}年{m}月{d}日前办结").format(
        y=deadline.year, m=deadline.month, d=deadline.day
    )
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one number at a time
        task = _create_task(plan, title, wording, actor)
        _assign(task, lead, cooperating)
        Deadline.objects.create(task=task, date=deadline, phrase=phrase)
        item = TrackedItem.objects.create(
            plan=plan,
            source=source,
            meeting=meeting if source == TrackedItem.Source.MEETING else None,
            leader=leader if source == TrackedItem.Source.INSTRUCTION else "",
            issued_on=issued_on,
            wording=wording,
            task=task,
            created_at=timezone.now(),
            created_by=_user(actor),
        )
        after = {
            "source": source,
            "meeting": item.meeting_id,
            "leader": item.leader,
            "issued_on": issued_on.isoformat(),
            "task": task.label,
            "title": title,
            "lead": lead.name,
            "cooperating": [d.name for d in cooperating],
            "deadline": deadline.isoformat(),
        }
        words = {"source": item.get_source_display(), "task": task.label, "title": title}
        record_change(
            item,
            actor=actor,
            action="create",
            after=after,
            summary=_("{source}：{task} {title}，牵头{lead}，时限 {deadline}").format(
                lead=lead.name, deadline=deadline.isoformat(), **words
            ),
        )
        record_change(
            task,
            actor=actor,
            action="create",
            after=after,
            summary=_("由{source}新增任务：{task} {title}").format(**words),
        )
    _tell_departments(item, lead, cooperating)
    return item


def _source_problems(
    plan: Plan, source: str, meeting: Meeting | None, leader: str, issued_on: dt.date | None
) -> list[str]:
    problems = _date_problems(issued_on, _("交办或批示日期"))
    if source == TrackedItem.Source.MEETING:
        if meeting is None:
            problems.append(_("会议交办请选择会议"))
        elif meeting.plan_id != plan.pk:
            problems.append(_("所选会议不是该方案的会议"))
        elif issued_on is not None and issued_on < meeting.held_on:
            problems.append(_("交办日期不能早于会议日期"))
    elif source == TrackedItem.Source.INSTRUCTION:
        if not leader:
            problems.append(_("领导批示请填写批示领导"))
        elif len(leader) > 50:
            problems.append(_("批示领导不能超过 50 字"))
    else:
        problems.append(_("请选择来源：会议交办或领导批示"))
    return problems


def _text_problems(title: str, wording: str) -> list[str]:
    problems = []
    if not title:
        problems.append(_("请填写事项名称"))
    elif len(title) > 500:
        problems.append(_("事项名称不能超过 500 字"))
    if not wording:
        problems.append(_("请填写决定或批示原文"))
    return problems


def _department_problems(
    plan: Plan, lead: Department | None, cooperating: Sequence[Department]
) -> list[str]:
    problems = []
    if lead is None:
        problems.append(_("请选择牵头单位"))
    for department in [d for d in (lead, *cooperating) if d is not None]:
        if department.org_unit_id != plan.org_unit_id:
            problems.append(_("{name}不是本地的部门").format(name=department.name))
        elif department.collective:
            problems.append(
                _("{name}是统称，没有联络员，不能承担督办事项").format(name=department.name)
            )
    if lead is not None and lead in cooperating:
        problems.append(_("牵头单位不能同时是配合单位"))
    return problems


def _deadline_problems(deadline: dt.date | None, issued_on: dt.date | None) -> list[str]:
    if deadline is None:
        return [_("请填写办结时限")]
    if issued_on is not None and deadline < issued_on:
        return [_("办结时限不能早于交办或批示日期")]
    return []


def tracking_section(plan: Plan, actor: Actor) -> Section:
    """The section 会议交办和领导批示, made the first time an item is tracked."""
    found = plan.sections.filter(title=SECTION_TITLE).first()
    if found is not None:
        return found
    order = (plan.sections.aggregate(last=Max("order"))["last"] or 0) + 1
    section = Section.objects.create(plan=plan, order=order, title=SECTION_TITLE)
    record_change(
        section,
        actor=actor,
        action="create",
        after={"title": SECTION_TITLE, "order": order},
        summary=_("新增部分：{title}").format(title=SECTION_TITLE),
    )
    return section


def _create_task(plan: Plan, title: str, wording: str, actor: Actor) -> Task:
    section = tracking_section(plan, actor)
    last = plan.tasks.order_by("-order").first()
    numbers = plan.tasks.aggregate(last=Max("number"))["last"] or 0
    return Task.objects.create(
        plan=plan,
        section=section,
        order=(last.order if last else 0) + 1,
        number=numbers + 1,
        numbering=(last.numbering if last else "") or DEFAULT_NUMBERING,
        title=title,
        text=wording,
    )


def _assign(task: Task, lead: Department, cooperating: Sequence[Department]) -> None:
    roles = [(lead, AssignmentRole.LEAD), *((d, AssignmentRole.COOP) for d in cooperating)]
    Assignment.objects.bulk_create(
        Assignment(task=task, department=department, role=role, order=n, spelling=department.name)
        for n, (department, role) in enumerate(roles, start=1)
    )


def _tell_departments(
    item: TrackedItem, lead: Department, cooperating: Sequence[Department]
) -> None:
    task = item.task
    url = reverse("plans:task", args=[item.plan_id, task.pk])
    deadline = task.deadlines.first()
    due_on = deadline.date if deadline else None
    body = _("{wording}\n办结时限：{deadline}").format(
        wording=item.wording, deadline=due_on.isoformat() if due_on else "—"
    )
    words = {"source": item.get_source_display(), "task": task.label, "title": task.title}
    told = [
        (lead, "tracked-item", _("{source}：{task} {title}，请牵头办理")),
        *((d, "tracked-item-coop", _("{source}：{task} {title}，请配合办理")) for d in cooperating),
    ]
    for department, key, title in told:
        for user in liaisons_of(department):
            notify(
                user,
                f"{key}:{item.pk}",
                title.format(**words),
                body=body,
                url=url,
                due_on=due_on,
            )
