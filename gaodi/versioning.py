"""The stored shape of every versioned parameter set (rule sets, forecast parameters,
evaluation weights, pay and conversion parameters...): a code, a version number, the day it
takes effect, a name and its source (a document and article, or 示例). A stored version is never
edited: a change is a new version with its own effective date, so results computed before that
day stay as they were. The pure side (choosing the version in force, checks) is
`gaodi.achievements.versions`; `gaodi.specialties.services.refuse_earlier` keeps versions in
order of time."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.achievements.versions import V, select_version

if TYPE_CHECKING:
    from gaodi.orgs.models import OrgUnit


class VersionedParameters(models.Model):
    """Abstract: subclasses add their payload (a JSONField) and, where places may set their
    own, an `owner` place; each names its own unique (code, version) constraint."""

    code = models.CharField(_("参数集编号"), max_length=60)
    version = models.PositiveIntegerField(_("版本"))
    effective_from = models.DateField(_("施行日期"))
    name = models.CharField(_("名称"), max_length=200)
    source = models.TextField(_("依据"))

    class Meta:
        abstract = True
        ordering = ["code", "version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


def nearest_version(
    versions: Iterable[V],
    day: date,
    place: OrgUnit | None,
    code_of: Callable[[OrgUnit], str],
    preset: str,
) -> V | None:
    """The version in force on `day` of the nearest place's own set (the place's, else its
    parent's, up to the province: code_of(place) names a place's set), else of the preset.
    One place never uses a neighbour's set."""
    versions = list(versions)
    while place is not None:
        found = select_version(versions, day, code_of(place))
        if found is not None:
            return found
        place = place.parent
    return select_version(versions, day, preset)
