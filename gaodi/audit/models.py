"""The one audit trail: every write made by a service leaves a ChangeRecord."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableQuerySet(models.QuerySet["ChangeRecord"]):
    """Change records are never edited or deleted through the app: every way the ORM offers
    to change or remove stored rows raises; inserting (create, bulk_create) works."""

    def update(self, **kwargs: Any) -> int:
        raise PermissionError(_("变更记录不可修改"))

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> int:
        raise PermissionError(_("变更记录不可修改"))

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[ChangeRecord]:
        # An upsert (update_conflicts, the third argument after objs) would overwrite records.
        if kwargs.get("update_conflicts") or (len(args) > 2 and args[2]):
            raise PermissionError(_("变更记录不可修改"))
        return super().bulk_create(objs, *args, **kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError(_("变更记录不可删除"))

    def _raw_delete(self, using: Any) -> int:  # the deletion collector's fast path
        raise PermissionError(_("变更记录不可删除"))


class ChangeRecord(models.Model):
    """Who changed what, when, from what to what (NetBox's ObjectChange shape)."""

    time = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="change_records",
    )
    actor_name = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=40)
    object_type = models.CharField(_("对象类型"), max_length=80, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=300)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True, db_index=True)
    # The root (province) of the object changed when it carries one (the large tables,
    # docs/scaling.md); none for reference data (catalogues, plans, accounts).
    root = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("所属省级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"  # no plain manager that could update or delete
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        ordering = ["-time", "-id"]

    def __str__(self) -> str:
        return f"{self.time:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError(_("变更记录不可修改"))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(_("变更记录不可删除"))
