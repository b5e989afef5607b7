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
from gaodi.audit.services import record_change
from gaodi.orgs.services import Actor
from gaodi.plans.models import Plan

from . import scoring
from .handover import Refused
from .models import ScoreWeight


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


def set_weights(plan: Plan, weights: Mapping[str, object], actor: Actor) -> dict[str, int]:
    """Set the plan's scorecard weights. `weights` may name some components only (the others
    keep theirs); values are whole numbers 0–100 or their digits ("25"). Raises Refused, with
    every problem in Chinese, and changes nothing, when the actor is not the work team or a
    weight is bad. Returns the weights now in force."""
    if not may_set_weights(actor, plan):
        raise Refused(_("只有工作专班可以调整评分权重"))
    before = weights_of(plan)
    try:
        after = scoring.check_weights({**before, **weights})
    except scoring.WeightError as exc:
        raise Refused(str(exc)) from exc
    if after == before and is_custom(plan):
        return after
    with transaction.atomic():
        for name, weight in after.items():
            ScoreWeight.objects.update_or_create(
                plan=plan, component=name, defaults={"weight": weight}
            )
        record_change(
            plan,
            actor=actor,
            action="set_score_weights",
            before=before,
            after=after,
            summary=_("调整部门评分权重：{weights}").format(
                weights="，".join(
                    f"{scoring.LABELS[name]} {weight}" for name, weight in after.items()
                )
            ),
        )
    return after
