"""Timelines of the change record: per user. (Per object: embedded in each object's page.)"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gaodi.accounts.gate import Action, unit_ids

from .queries import history_by


@login_required
def by_user(request: HttpRequest, user_pk: int) -> HttpResponse:
    """What one user changed. Yours always; others' only for the work team, leaders, inspectors."""
    person = get_object_or_404(get_user_model(), pk=user_pk)
    if person.pk != request.user.pk and not unit_ids(request.user, Action.VIEW_HISTORY):
        raise Http404
    return render(
        request, "audit/by_user.html", {"person": person, "records": history_by(person.pk)[:200]}
    )
