"""学习成果认定 (recognition workflow, issue 9), pure, no Django.

A learner (or the school's clerk for him) submits an outcome; it is checked against the issuer
list of its scheme; a reviewer reviews it; a decider decides, with a reason; a refused learner
may appeal once, and the appeal is decided by someone who took no part before. Four eyes: the
reviewer never decides the same case, and nobody decides an appeal of a case he handled.

The sourced workflow (SOURCES.md, a college's X-certificate rules) is 学生申请 -> 学院审核 ->
教务审批 -> 培训评价组织审核 -> 学分银行认定; Gaodi's states are its generalisation:

    submitted --check--> checked --review--> reviewed --decide--> recognised | refused
        \\--check (issuer not listed)--> flagged --review--/   refused --appeal--> appealed
    appealed --decide_appeal--> recognised | refused (final)

The check never decides: an issuer not on the list (compared after `normalised`: whitespace
dropped, full-width folded to half-width) FLAGS the case, which still goes to review and to a
reasoned decision by the work team (认定决定由工作专班作出). Cases refused at the check by an
earlier version (a CHECK step with outcome REFUSED) keep that state.

Every step is a `Step` (who, role, when, reason); `apply` returns the new state or raises
`StepRefused` with a Chinese reason, and never changes anything itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from gaodi.i18n import _

SUBMITTED, CHECKED, REVIEWED = "submitted", "checked", "reviewed"
FLAGGED = "flagged"  # checked, the issuer not on the scheme's list: reviewed all the same
RECOGNISED, REFUSED, APPEALED = "recognised", "refused", "appealed"
STATES = {
    SUBMITTED: _("已提交"),
    CHECKED: _("已核验发证机构"),
    FLAGGED: _("已核验（发证机构不在名单中）"),
    REVIEWED: _("已审核"),
    RECOGNISED: _("已认定"),
    REFUSED: _("不予认定"),
    APPEALED: _("申诉中"),
}
CHECK, REVIEW, DECIDE, APPEAL, DECIDE_APPEAL = (
    "check",
    "review",
    "decide",
    "appeal",
    "decide_appeal",
)
ACTIONS = {
    CHECK: _("核验发证机构"),
    REVIEW: _("审核"),
    DECIDE: _("认定决定"),
    APPEAL: _("申诉"),
    DECIDE_APPEAL: _("申诉决定"),
}
# Who may take each step (role codes of gaodi.accounts; "learner" is the holder himself).
ROLES = {
    CHECK: frozenset({"school", "admin"}),
    REVIEW: frozenset({"school", "admin"}),
    DECIDE: frozenset({"admin"}),
    APPEAL: frozenset({"learner", "school"}),
    DECIDE_APPEAL: frozenset({"admin"}),
}
APPEAL_DAYS = 15  # 示例: an appeal within 15 days of the refusal


class StepRefused(ValueError):
    """A step that may not be taken; the message says why, in Chinese."""


@dataclass(frozen=True)
class Step:
    action: str
    actor: str  # a stable id of the person (user id or username)
    role: str
    on: date
    outcome: str = ""  # RECOGNISED / REFUSED for the two decisions
    reason: str = ""


def state_of(history: Sequence[Step]) -> str:
    """The state a case is in after its steps (SUBMITTED with none)."""
    state = SUBMITTED
    for step in history:
        state = _next(state, step)
    return state


def apply(history: Sequence[Step], step: Step) -> str:
    """The state after `step`, or StepRefused. A CHECK step is made by `check_step`, which
    flags the case (with the reason) when the issuer is not on the scheme's list."""
    state = state_of(history)
    if step.action not in ACTIONS:
        raise StepRefused(_("没有“{action}”这一步").format(action=step.action))
    if step.role not in ROLES[step.action]:
        raise StepRefused(_("“{action}”不能由该角色办理").format(action=ACTIONS[step.action]))
    allowed = {
        CHECK: (SUBMITTED,),
        REVIEW: (CHECKED, FLAGGED),
        DECIDE: (REVIEWED,),
        APPEAL: (REFUSED,),
        DECIDE_APPEAL: (APPEALED,),
    }[step.action]
    if state not in allowed:
        raise StepRefused(
            _("当前状态为“{state}”，不能{action}").format(
                state=STATES[state], action=ACTIONS[step.action]
            )
        )
    if step.action in (DECIDE, DECIDE_APPEAL):
        if step.outcome not in (RECOGNISED, REFUSED):
            raise StepRefused(_("请选择“认定”或“不予认定”"))
        if not step.reason.strip():
            raise StepRefused(_("认定决定须写明理由"))
    if step.action == DECIDE:
        reviewer = next(s.actor for s in reversed(history) if s.action == REVIEW)
        if step.actor == reviewer:
            raise StepRefused(_("审核人不能同时作认定决定（两人分办）"))
    if step.action == DECIDE_APPEAL:
        handled = {s.actor for s in history if s.action in (CHECK, REVIEW, DECIDE)}
        if step.actor in handled:
            raise StepRefused(_("申诉须由未经办原案的人员决定"))
    if step.action == APPEAL:
        if any(s.action == APPEAL for s in history):
            raise StepRefused(_("同一案件只能申诉一次"))
        refused_on = next(s.on for s in reversed(history) if s.outcome == REFUSED)
        if step.on > refused_on + timedelta(days=APPEAL_DAYS):
            raise StepRefused(
                _("申诉期已过（不予认定之日起 {days} 天内）").format(days=APPEAL_DAYS)
            )
        if not step.reason.strip():
            raise StepRefused(_("请写明申诉理由"))
    if step.action == CHECK and step.outcome not in ("", FLAGGED):
        raise StepRefused(_("核验只能标明发证机构是否在名单中，不作认定决定"))
    return _next(state, step)


def normalised(name: str) -> str:
    """An issuer name as compared with the list: full-width folded to half-width (NFKC) and
    every whitespace dropped, so “某 培训评价组织” and “某培训评价组织” are the same issuer."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def listed(issuer: str, issuers: Sequence[str]) -> bool:
    """Whether `issuer` is on the list, compared after `normalised`."""
    return normalised(issuer) in {normalised(name) for name in issuers}


def decider_blocked(history: Sequence[Step], actor: str) -> bool:
    """Whether `actor` reviewed this case, so may not take its decision (four eyes)."""
    reviewer = next((s.actor for s in reversed(history) if s.action == REVIEW), None)
    return state_of(history) == REVIEWED and reviewer == actor


def check_step(issuer: str, issuers: Sequence[str], actor: str, role: str, on: date) -> Step:
    """The CHECK step, its reason saying whether the issuer is on the list; an issuer not on
    it flags the case (outcome FLAGGED) for the review and the decision, it refuses nothing."""
    if listed(issuer, issuers):
        return Step(
            CHECK, actor, role, on, reason=_("发证机构“{issuer}”在名单中").format(issuer=issuer)
        )
    return Step(
        CHECK,
        actor,
        role,
        on,
        outcome=FLAGGED,
        reason=_(
            "发证机构“{issuer}”不在该证书体系的发证机构名单中，请审核并由工作专班作出认定决定"
        ).format(issuer=issuer),
    )


def _next(state: str, step: Step) -> str:
    if step.action == CHECK:
        # REFUSED only in steps stored before the check stopped deciding (kept as they were)
        return {FLAGGED: FLAGGED, REFUSED: REFUSED}.get(step.outcome, CHECKED)
    if step.action == REVIEW:
        return REVIEWED
    if step.action in (DECIDE, DECIDE_APPEAL):
        return step.outcome
    if step.action == APPEAL:
        return APPEALED
    return state
