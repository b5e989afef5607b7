"""Supervision: the schedules the plan sets (每两个月调度, 每季度督查), the cycles they open, and
the personal 待办 inbox that reminders land in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.accounts.choices import InspectorScope


class Schedule(models.Model):
    """A recurring round the plan orders: who runs it, how often, when reports are due."""

    class Kind(models.TextChoices):
        DISPATCH = "dispatch", _("调度")
        INSPECTION = "inspection", _("督查")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("每月")
        BIMONTHLY = "bimonthly", _("每两个月")
        QUARTERLY = "quarterly", _("每季度")
        HALF_YEARLY = "half_yearly", _("每半年")
        YEARLY = "yearly", _("每年")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="schedules"
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    frequency = models.CharField(_("频次"), max_length=12, choices=Frequency.choices)
    scope = models.CharField(_("负责的督查督导"), max_length=12, choices=InspectorScope.choices)
    body = models.CharField(_("负责机构"), max_length=100, blank=True)
    due_workdays = models.PositiveSmallIntegerField(
        _("期末后几个工作日内报送"), default=5, help_text=_("示例默认值：5 个工作日")
    )
    starts_on = models.DateField(_("起始日期"))
    active = models.BooleanField(_("启用"), default=True)
    clause = models.CharField(_("来源条款"), max_length=50, blank=True)
    quote = models.CharField(_("原文"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("调度督查安排")
        verbose_name_plural = _("调度督查安排")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "scope"], name="schedule_once")
        ]

    def __str__(self) -> str:
        return f"{self.body}{self.get_frequency_display()}{self.get_kind_display()}"


class Cycle(models.Model):
    """One round of a schedule: the period it covers and when reports are due."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="cycles")
    period = models.CharField(_("期间"), max_length=10)
    starts_on = models.DateField(_("开始"))
    ends_on = models.DateField(_("结束"))
    due_on = models.DateField(_("报送截止"))
    opened_at = models.DateTimeField(_("开启时间"))

    class Meta:
        verbose_name = _("轮次")
        verbose_name_plural = _("轮次")
        ordering = ["schedule", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["schedule", "period"], name="cycle_once")]

    def __str__(self) -> str:
        return f"{self.schedule} {self.period}"


class Notification(models.Model):
    """A line in somebody's 待办 inbox. `key` makes sending idempotent: the same reminder
    for the same cycle and person is sent once, however often `gaodi cycles` runs."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(_("去重键"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    due_on = models.DateField(_("截止"), null=True, blank=True)
    created_at = models.DateTimeField(_("时间"))
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待办通知")
        verbose_name_plural = _("待办通知")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]

    def __str__(self) -> str:
        return self.title
