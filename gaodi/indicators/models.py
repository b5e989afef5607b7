"""The indicator registry (seeded from the plan's 附件2) and the plan's target values."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.orgs.choices import OrgKind
from gaodi.orgs.roots import Rooted, RootedQuerySet, root_field

from .choices import Aggregation, Kind, TimeBasis, ValueType


class Indicator(models.Model):
    """A measured quantity: unit, table, kind, aggregation, and for a ratio its formula."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("所属机构"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("来源方案"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=300)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    category = models.CharField(_("所属表"), max_length=200)
    value_type = models.CharField(
        _("数值类型"), max_length=20, choices=ValueType.choices, default=ValueType.NUMBER
    )
    time_basis = models.CharField(
        _("时间口径"), max_length=20, choices=TimeBasis.choices, default=TimeBasis.NATURAL_YEAR
    )
    kind = models.CharField(_("存量/流量"), max_length=10, choices=Kind.choices, default=Kind.STOCK)
    aggregation = models.CharField(
        _("汇总方式"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    formula = models.CharField(_("公式"), max_length=500, blank=True)
    subset_of = models.ForeignKey(
        "self",
        verbose_name=_("其中（所属指标）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
    )
    source_clause = models.CharField(_("来源条款"), max_length=200, blank=True)
    industry = models.CharField(_("产业（按产业细分的行）"), max_length=100, blank=True)
    order = models.PositiveIntegerField(_("顺序"))
    tasks = models.ManyToManyField(
        "plans.Task", verbose_name=_("衡量的任务"), blank=True, related_name="indicators"
    )

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class TargetValue(models.Model):
    """A year's planned value of an indicator (or its baseline), with the clause it comes from."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveIntegerField(_("年份"))
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=6)
    printed = models.CharField(_("原文"), max_length=100, blank=True)
    baseline = models.BooleanField(_("现有基础"), default=False)
    source_clause = models.CharField(_("来源条款"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("目标值")
        verbose_name_plural = _("目标值")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "year"], name="target_value_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: {self.value}"


class DataValueQuerySet(RootedQuerySet):
    """Deletes, updates and bulk inserts of values that keep the roll-up's live totals
    (``totals.py``) in the same transaction: ``approving`` sets the status with
    ``update()``, as before."""

    def delete(self) -> tuple[int, dict[str, int]]:
        from . import totals

        return totals.delete_values(self)

    def update(self, **kwargs: object) -> int:
        from . import totals

        return totals.update_values(self, kwargs)

    def bulk_create(self, objs, *args, **kwargs):  # type: ignore[no-untyped-def,override]
        from . import totals

        return totals.bulk_create_values(self, objs, *args, **kwargs)


class DataValue(Rooted):
    """What an org unit reported for an indicator in a period (实际值). Ratios are never
    stored here: they are computed from their parts (最多报一次)."""

    ROOT_FROM = "org_unit"

    class Status(models.TextChoices):
        DRAFT = "draft", _("填报中")
        SUBMITTED = "submitted", _("已提交")
        APPROVED = "approved", _("已审核")

    # No index of its own: the unique constraint below starts with indicator (one index less to
    # keep up on a 60,000-value import).
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="data_values", db_index=False
    )
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("机构"), on_delete=models.PROTECT, related_name="data_values"
    )
    period = models.CharField(_("期间"), max_length=10)
    disaggregation = models.CharField(_("细分"), max_length=100, blank=True, default="")
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=6)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    entered_by = models.ForeignKey(
        "auth.User",
        verbose_name=_("填报人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # who entered what is read from the change records
    )
    entered_at = models.DateTimeField(_("填报时间"))
    source = models.CharField(_("来源"), max_length=100, blank=True)
    root = root_field(indexed=False)  # in the unique index (one index less on an import)

    objects = DataValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("实际值")
        verbose_name_plural = _("实际值")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "period", "disaggregation", "root"],
                name="data_value_once",
            )
        ]
        indexes = [
            # The roll-up's: a period's values of the indicators asked for in one range, with
            # every column the roll-up reads (no lookup in the table). rollup._ONE_PERIOD.
            models.Index(
                fields=["period", "indicator", "disaggregation", "org_unit", "value", "status"],
                name="data_value_rollup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.org_unit} {self.period}: {self.value}"

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        """Deleted with the roll-up's totals taken back (``totals.delete_values``)."""
        deleted = type(self).objects.filter(pk=self.pk).delete()
        self.pk = None
        return deleted


class UnitTotal(Rooted):
    """Live pre-aggregation for the roll-up (``totals.py``): for an org unit, an indicator and
    a period, the sum and number of the values (disaggregation '') reported by every unit
    BELOW it — its own values are not in it (they are one index lookup away in DataValue, and
    leaving them out spares a copy of every school's values). Kept up to date in the same
    transaction as every write of a DataValue, by deltas; sums are exact, in millionths
    (the value's 6 decimal places) as 64-bit integers: exact up to 9.2 × 10^12. Its root is
    its unit's (the nation's totals: the nation's own)."""

    ROOT_FROM = "unit"

    unit = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("机构"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the unique index starts with unit
    )
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("指标"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    period = models.CharField(_("期间"), max_length=10)
    total_millionths = models.BigIntegerField(_("合计（百万分之一）"), default=0)
    count = models.BigIntegerField(_("值的个数"), default=0)
    approved_total_millionths = models.BigIntegerField(_("已审核合计（百万分之一）"), default=0)
    approved_count = models.BigIntegerField(_("已审核值的个数"), default=0)
    root = root_field(indexed=False)  # in the unique index

    class Meta:
        verbose_name = _("下级合计")
        verbose_name_plural = _("下级合计")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "indicator", "period", "root"], name="unit_total_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.indicator_id} {self.period}: {self.total_millionths}"


class DataSet(models.Model):
    """A reporting form (DHIS2's data set): indicators of one 附件2 table, a period type,
    the kind of org unit that reports it and the levels that approve it."""

    class PeriodType(models.TextChoices):
        YEARLY = "yearly", _("年度")
        QUARTERLY = "quarterly", _("季度")
        BIMONTHLY = "bimonthly", _("双月")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("来源方案"), on_delete=models.PROTECT, related_name="data_sets"
    )
    code = models.CharField(_("代码"), max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    period_type = models.CharField(
        _("期间类型"), max_length=10, choices=PeriodType.choices, default=PeriodType.YEARLY
    )
    indicators = models.ManyToManyField(Indicator, verbose_name=_("指标"), related_name="data_sets")
    reporter_kind = models.CharField(
        _("填报单位类型"), max_length=20, choices=OrgKind.choices, default=OrgKind.SCHOOL
    )
    approval_kinds = models.JSONField(
        _("逐级审核"),
        default=list,
        help_text=_("自下而上逐级审核的机构类型，如区县、市"),
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("数据集（填报表）")
        verbose_name_plural = _("数据集（填报表）")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="data_set_unique_code")
        ]

    def __str__(self) -> str:
        return self.name


class ReportingWindow(models.Model):
    """When a data set may be filled in for one period (开放填报 … 截止)."""

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="windows")
    period = models.CharField(_("期间"), max_length=10)
    opens_on = models.DateField(_("开始填报"))
    closes_on = models.DateField(_("截止日期"))

    class Meta:
        verbose_name = _("填报期")
        verbose_name_plural = _("填报期")
        ordering = ["data_set", "period"]
        constraints = [
            models.UniqueConstraint(fields=["data_set", "period"], name="window_once"),
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")), name="window_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.data_set} {self.period}"


class ValidationRule(models.Model):
    """A check on a data set's values (DHIS2's validation rule): `left operator right`
    over indicator codes, or a year-on-year outlier test of one indicator."""

    class Severity(models.TextChoices):
        BLOCKING = "blocking", _("阻止提交")
        WARNING = "warning", _("提示")

    class Kind(models.TextChoices):
        COMPARE = "compare", _("比较")
        OUTLIER = "outlier", _("异常波动")

    data_set = models.ForeignKey(DataSet, on_delete=models.CASCADE, related_name="rules")
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.COMPARE)
    left = models.CharField(_("左侧"), max_length=300)
    operator = models.CharField(_("关系"), max_length=2, blank=True)
    right = models.CharField(_("右侧"), max_length=300, blank=True)
    severity = models.CharField(
        _("级别"), max_length=10, choices=Severity.choices, default=Severity.BLOCKING
    )
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    source = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("校验规则")
        verbose_name_plural = _("校验规则")
        ordering = ["data_set", "pk"]

    def __str__(self) -> str:
        return self.name


class Submission(Rooted):
    """The approval state of one data set for one org unit and period: a school submits,
    the county approves or returns, the city approves. Approved data is locked."""

    ROOT_FROM = "org_unit"

    class Status(models.TextChoices):
        DRAFT = "draft", _("填报中")
        SUBMITTED = "submitted", _("已提交，待审核")
        RETURNED = "returned", _("已退回修改")
        APPROVED = "approved", _("已审核")

    data_set = models.ForeignKey(DataSet, on_delete=models.PROTECT, related_name="submissions")
    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("填报单位"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期间"), max_length=10)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    approved_levels = models.PositiveSmallIntegerField(_("已通过审核级数"), default=0)
    comment = models.TextField(_("意见"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"))
    updated_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("填报审核")
        verbose_name_plural = _("填报审核")
        constraints = [
            models.UniqueConstraint(
                fields=["data_set", "org_unit", "period", "root"], name="submission_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.data_set} {self.org_unit} {self.period}"
