"""The org-unit tree (province > city > county > school / enterprise) and its departments."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import OrgKind


class OrgUnit(models.Model):
    """A place in the administrative tree: 山东省 370000 > 聊城市 371500 > 茌平区 371503."""

    code = models.CharField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            from .roots import refuse_root_change

            refuse_root_change(self)  # the rows of the large tables carry the unit's root
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Department(models.Model):
    """A government body of an org unit (every county has its own 财政局), with its aliases."""

    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField(_("名称"), max_length=100)
    aliases = models.JSONField(_("别名"), default=list, blank=True)
    collective = models.BooleanField(_("集合称谓"), default=False)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("部门")
        ordering = ["org_unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Somebody the plan names, e.g. a member of the leading group."""

    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=200, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="people"
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name
