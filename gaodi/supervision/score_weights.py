"""部门评分的权重 (issue 5): the work team sets, for its plan, how much each scorecard component
weighs; until it does, the 示例 defaults of scoring.DEFAULT_WEIGHTS apply.

One ScoreWeight row per component set. `set_weights` checks the whole set first (whole numbers
0–100, at least one above 0: scoring.check_weights) and writes nothing when anything is wrong;
otherwise every row and one change record on the plan, with the weights before and after, in
one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from gaodi.accounts.gate import Action, can
from gaodi.audit.models import ChangeRecord
from gaodi.audit.queries import who_and_when
from gaodi.audit.services import record_change
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan

from . import scoring
from .handover import Refused
from .models import ScoreWeight

SET_WEIGHTS = "set_score_weights"  # the change record's action, on the plan


def weights_of(plan: Plan) -> dict[str, int]:
    """The weights the plan's scorecards use: the work team's, else the 示例 defaults."""
    stored = dict(ScoreWeight.objects.filter(plan=plan).values_list("component", "weight"))
    return {name: stored.get(name, default) for name, default in scoring.DEFAULT_WEIGHTS.items()}


def is_custom(plan: Plan) -> bool:
    """Whether the work team has set the plan's weights (else they are the 示例 defaults)."""
    return bool(ScoreWeight.objects.filter(plan=plan).exists())


def may_set_weights(actor: Actor, plan: Plan) -> bool:
    """The work team of the plan's place (Action.REVIEW); a command run without a user too."""
    if actor is None:
        return True
    return isinstance(actor, AbstractBaseUser) and can(actor, Action.REVIEW, plan.org_unit_id)


def weights_token(plan: Plan) -> str:
    """What the weights form carries of the weights it showed (optimistic locking)."""
    custom = "custom" if is_custom(plan) else "default"
    return ",".join([custom, *(f"{name}={w}" for name, w in weights_of(plan).items())])


def set_weights(
    plan: Plan, weights: Mapping[str, object], actor: Actor, *, seen: str | None = None
) -> dict[str, int]:
    """Set the plan's scorecard weights. `weights` may name some components only (the others
    keep theirs); values are whole numbers 0–100 or their digits ("25"). Raises Refused, with
    every problem in Chinese, and changes nothing, when the actor is not the work team or a
    weight is bad, or — `seen` being the `weights_token` the form showed — when someone else
    has set the weights since. Returns the weights now in force."""
    if not may_set_weights(actor, plan):
        raise Refused(_("只有工作专班可以调整评分权重"))
    with transaction.atomic():
        Plan.objects.select_for_update().filter(pk=plan.pk).first()  # one setter at a time
        if seen is not None and seen != weights_token(plan) and not _already(plan, weights):
            raise Refused(_changed_since(plan))
        return _set(plan, weights, actor)


def _already(plan: Plan, weights: Mapping[str, object]) -> bool:
    """The weights asked for are in force already (the same form sent twice)."""
    current = weights_of(plan)
    try:
        return is_custom(plan) and scoring.check_weights({**current, **weights}) == current
    except scoring.WeightError:
        return False


def _changed_since(plan: Plan) -> str:
    last = ChangeRecord.objects.filter(
        object_type=plan._meta.label_lower, object_id=str(plan.pk), action=SET_WEIGHTS
    ).first()
    who, when = who_and_when(last)
    if not who:
        return _("评分权重已被修改，请刷新后再改")
    return _("评分权重已被他人修改（{who}于 {when}），请刷新后再改").format(who=who, when=when)


def _set(plan: Plan, weights: Mapping[str, object], actor: Actor) -> dict[str, int]:
    before = weights_of(plan)
    try:
        after = scoring.check_weights({**before, **weights})
    except scoring.WeightError as exc:
        raise Refused(str(exc)) from exc
    if after == before and is_custom(plan):
        return after
    for name, weight in after.items():
        ScoreWeight.objects.update_or_create(plan=plan, component=name, defaults={"weight": weight})
    record_change(
        plan,
        actor=actor,
        action=SET_WEIGHTS,
        before=before,
        after=after,
        summary=_("调整部门评分权重：{weights}").format(
            weights="，".join(f"{scoring.LABELS[name]} {weight}" for name, weight in after.items())
        ),
    )
    return after
