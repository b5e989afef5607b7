"""Approval steps of a data set's values for one org unit and period: submit, approve,
return, unapprove (the pure rules are in `approval`). Each step locks or unlocks what was
stored and leaves a change record; the caller has asked the gate who may act."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gaodi.audit.services import record_change
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import Actor
from gaodi.orgs.tree import ancestor_ids

from . import approval
from .collection import current_values, rules_of
from .models import DataSet, DataValue, Submission
from .validation import check


class StepRefused(ValueError):
    """An approval step the user may not take now; the message is Chinese."""


def approver_unit(data_set: DataSet, unit: OrgUnit, level: int) -> OrgUnit | None:
    """The org unit that approves at `level` (1-based) for a reporting unit."""
    if level < 1 or level > len(data_set.approval_kinds):
        return None
    kind = data_set.approval_kinds[level - 1]
    return OrgUnit.objects.filter(pk__in=ancestor_ids(unit.pk), kind=kind).first()


def level_names(data_set: DataSet, unit: OrgUnit) -> list[str]:
    return [
        (found.name if (found := approver_unit(data_set, unit, k)) else str(kind))
        for k, kind in enumerate(data_set.approval_kinds, start=1)
    ]


def submission_of(data_set: DataSet, unit: OrgUnit, period: str) -> Submission:
    found = Submission.objects.filter(data_set=data_set, org_unit=unit, period=period).first()
    return found or Submission(
        data_set=data_set, org_unit=unit, period=period, status=approval.DRAFT
    )


def take_step(
    data_set: DataSet,
    unit: OrgUnit,
    period: str,
    step: approval.Step,
    *,
    actor: Actor,
    comment: str = "",
) -> Submission:
    """Submit, approve, return or unapprove; the caller has checked who may (the gate)."""
    with transaction.atomic():
        submission = submission_of(data_set, unit, period)
        if submission.pk:
            submission = Submission.objects.select_for_update().get(pk=submission.pk)
        state = approval.State(submission.status, submission.approved_levels)
        try:
            new = approval.advance(state, step, len(data_set.approval_kinds), comment)
        except approval.ApprovalError as exc:
            raise StepRefused(str(exc)) from exc
        if step == approval.Step.SUBMIT:
            _check_before_submit(data_set, unit, period)
        before = {"status": submission.status, "levels": submission.approved_levels}
        submission.status, submission.approved_levels = new.status, new.levels
        submission.comment = comment
        submission.updated_at = timezone.now()
        submission.updated_by = actor if isinstance(actor, AbstractBaseUser) else None
        submission.save()
        DataValue.objects.filter(
            indicator__data_sets=data_set, org_unit=unit, period=period
        ).update(
            status=DataValue.Status.APPROVED
            if new.status == approval.APPROVED
            else DataValue.Status.SUBMITTED
            if new.status == approval.SUBMITTED
            else DataValue.Status.DRAFT
        )
        record_change(
            submission,
            actor=actor,
            action=str(step),
            before=before,
            after={"status": new.status, "levels": new.levels, "comment": comment},
            summary=_("{unit} {data_set} {period}：{state}").format(
                unit=unit.name,
                data_set=data_set.name,
                period=period,
                state=approval.describe(new, level_names(data_set, unit)),
            ),
        )
        return submission


def _check_before_submit(data_set: DataSet, unit: OrgUnit, period: str) -> None:
    """Nothing to submit, or a blocking rule fails: refused."""
    values = {code: v for (_u, p, code), v in current_values(data_set, [unit.pk], [period]).items()}
    if not values:
        raise StepRefused(_("尚未填报任何数据，不能提交"))
    names = {i.code: i.name for i in data_set.indicators.all()}
    blocking = [v for v in check(rules_of(data_set), values, {}, names) if v.blocking]
    if blocking:
        raise StepRefused(
            _("未通过校验，不能提交：{why}").format(why="；".join(v.message for v in blocking))
        )
