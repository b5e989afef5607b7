"""Timelines of the change record: per user. (Per object: embedded in each object's page.)"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from gaodi.accounts.gate import Action, unit_ids
from gaodi.accounts.models import Membership

from .queries import history_by


def _in_my_places(viewer: object, person: object) -> bool:
    """The person works in a place where the viewer may read history (his own or below)."""
    places = unit_ids(viewer, Action.VIEW_HISTORY)  # type: ignore[arg-type]
    if not places:
        return False
    if -1 in places:
        return True
    theirs = Membership.objects.filter(user=person).filter(
        Q(org_unit_id__in=places) | Q(department__org_unit_id__in=places)
    )
    return theirs.exists()


@require_safe  # the trail is read here, never written: no form, no POST, PUT or DELETE
@login_required
def by_user(request: HttpRequest, user_pk: int) -> HttpResponse:
    """What one user changed. Yours always; others' only for the work team, leaders, inspectors."""
    person = get_object_or_404(get_user_model(), pk=user_pk)
    if person.pk != request.user.pk and not _in_my_places(request.user, person):
        raise Http404
    return render(
        request, "audit/by_user.html", {"person": person, "records": history_by(person.pk)[:200]}
    )
