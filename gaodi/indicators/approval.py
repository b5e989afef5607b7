"""Multi-level approval of a data set's values (DHIS2's data approval), pure.

A school fills in and submits; the first level (the county) approves or returns it with a
comment; the next level (the city) approves. Submitted or approved data is locked. Taking
back an approval (unapprove) needs a reason and is done by the level that approved last;
it steps down one level. The state is ``(status, levels)`` where ``levels`` counts the
levels that have approved.

``actor_level`` says who may act: 0 is the reporting unit itself, k the k-th approving
level above it (1 = county, 2 = city for a school).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from gaodi.i18n import _

DRAFT, SUBMITTED, RETURNED, APPROVED = "draft", "submitted", "returned", "approved"
LOCKED = frozenset({SUBMITTED, APPROVED})


class Step(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    UNAPPROVE = "unapprove"


class ApprovalError(ValueError):
    """A step that is not allowed now; the message is Chinese."""


@dataclass(frozen=True)
class State:
    status: str = DRAFT
    levels: int = 0


def actor_level(step: Step, state: State) -> int:
    """Which level acts for this step in this state: 0 the reporter, k the k-th approver."""
    if step == Step.SUBMIT:
        return 0
    if step == Step.APPROVE:
        return state.levels + 1
    if step == Step.RETURN:
        return 1
    return state.levels  # unapprove: the level that approved last


def advance(state: State, step: Step, levels_needed: int, comment: str = "") -> State:
    """The state after a step, or ApprovalError saying why not."""
    if step == Step.SUBMIT:
        if state.status not in (DRAFT, RETURNED):
            raise ApprovalError(_("已提交，不能重复提交"))
        return State(SUBMITTED, 0)
    if step == Step.APPROVE:
        if state.status not in (SUBMITTED, APPROVED):
            raise ApprovalError(_("尚未提交，不能审核"))
        if state.levels >= levels_needed:
            raise ApprovalError(_("已完成全部审核"))
        return State(APPROVED, state.levels + 1)
    if not comment.strip():
        raise ApprovalError(
            _("退回必须写明原因") if step == Step.RETURN else _("撤销审核必须写明原因")
        )
    if step == Step.RETURN:
        if state.status != SUBMITTED:
            raise ApprovalError(
                _("只能退回已提交、尚未审核的数据；已审核的请先撤销审核")
                if state.status == APPROVED
                else _("尚未提交，无需退回")
            )
        return State(RETURNED, 0)
    if state.status != APPROVED or state.levels == 0:
        raise ApprovalError(_("尚未审核，无需撤销"))
    levels = state.levels - 1
    return State(APPROVED if levels else SUBMITTED, levels)


def is_locked(status: str) -> bool:
    """Submitted and approved values cannot be edited until returned or unapproved."""
    return status in LOCKED


def describe(state: State, level_names: list[str]) -> str:
    """状态 in words: 已提交，待区县审核 / 区县已审核，待市级审核 / 已全部审核."""
    if state.status == DRAFT:
        return _("填报中")
    if state.status == RETURNED:
        return _("已退回修改")
    if state.levels < len(level_names):
        waiting = level_names[state.levels]
        if state.levels == 0:
            return _("已提交，待{level}审核").format(level=waiting)
        return _("{done}已审核，待{level}审核").format(
            done=level_names[state.levels - 1], level=waiting
        )
    return _("已全部审核（{level}）").format(level=level_names[-1] if level_names else "")
