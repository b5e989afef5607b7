"""催办 of a task: the work team or an inspector chases a department, the department answers.

Every write is one transaction with its change record; the 待办 is sent once it has committed.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change
from gaodi.orgs.models import Department
from gaodi.orgs.services import Actor
from gaodi.plans.models import Task
from gaodi.today import today

from .handover import Refused, is_assigned, liaisons_of, tell
from .models import Chase, Cycle


def chase_task(
    task: Task,
    department: Department,
    *,
    message: str,
    actor: Actor,
    cycle: Cycle | None = None,
) -> Chase:
    """催办: the work team or an inspector chases a department on one of its tasks."""
    message = message.strip()
    if not message:
        raise Refused(_("请填写催办内容"))
    if not is_assigned(task, department):
        raise Refused(_("{department}不承担该任务").format(department=department.name))
    same_day = Chase.objects.filter(
        task=task, department=department, cycle=cycle, chased_on=today(), answered_on=None
    )
    try:
        with transaction.atomic():
            if (earlier := same_day.first()) is not None:
                return _chased_already(earlier, message)
            chase = _create_chase(task, department, cycle, message, actor)
    except IntegrityError:  # the same chase sent twice at once: the other one was stored
        earlier = same_day.first()
        if earlier is None:
            raise
        return _chased_already(earlier, message)
    tell(
        liaisons_of(department),
        f"chase:{chase.pk}",
        _("催办：{task}").format(task=task.label),
        body=message,
        url=reverse("supervision:chase", args=[chase.pk]),
    )
    return chase


def _chased_already(earlier: Chase, message: str) -> Chase:
    """A chase sent twice (a double click, a replayed form) is stored once; a different chase
    of the same item on the same day waits for the answer to the first."""
    if earlier.message == message:
        return earlier
    raise Refused(_("今天已催办过该部门的这项任务，尚未回复；请等待回复后再催办"))


def _create_chase(
    task: Task, department: Department, cycle: Cycle | None, message: str, actor: Actor
) -> Chase:
    chase = Chase.objects.create(
        task=task,
        department=department,
        cycle=cycle,
        message=message,
        chased_on=today(),
        chased_by=actor if isinstance(actor, AbstractBaseUser) else None,
    )
    record_change(
        chase,
        actor=actor,
        action="create",
        after={"task": task.label, "department": department.name, "message": message},
        summary=_("催办{department}：{task}").format(department=department.name, task=task.label),
    )
    return chase


def answer_chase(chase: Chase, *, answer: str, actor: Actor) -> Chase:
    """The department answers a chase (once; a later word is a new report, not an edit)."""
    answer = answer.strip()
    if not answer:
        raise Refused(_("请填写回复"))
    with transaction.atomic():
        # Locked and read again: two answers sent at once (a double click) store one.
        Chase.objects.select_for_update().filter(pk=chase.pk).first()
        chase.refresh_from_db(fields=["answer", "answered_on"])
        if chase.answered_on is not None:
            if chase.answer == answer:
                return chase  # the same answer sent twice
            raise Refused(_("该催办已回复"))
        chase.answer = answer
        chase.answered_on = today()
        chase.save(update_fields=["answer", "answered_on"])
        record_change(
            chase,
            actor=actor,
            action="answer",
            before={"answered": False},
            after={"answer": answer},
            summary=_("{department}回复催办：{task}").format(
                department=chase.department.name, task=chase.task.label
            ),
        )
    if chase.chased_by is not None:
        tell(
            [chase.chased_by],
            f"chase-answer:{chase.pk}",
            _("{department}已回复催办：{task}").format(
                department=chase.department.name, task=chase.task.label
            ),
            body=answer,
            url=reverse("supervision:chase", args=[chase.pk]),
        )
    return chase
