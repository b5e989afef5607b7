"""社会培训与绩效工资 (issue 8 §1 §2): the schools' training records (重点任务（七）), their pay
inputs of a year (（十六）), the parameter sets (conversion.ConversionParameters,
pay.PayParameters) as stored versions, and the results of a school's year with the parameter
versions that produced them. Every write goes through services.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import Rooted
from gaodi.plans.models import Plan
from gaodi.versioning import VersionedParameters


class ParameterVersion(VersionedParameters):
    """A stored version of a parameter set (the pure dataclass's to_json() in `data`): never
    edited; a change is a new version with its own effective date. Code, version, 施行日期,
    name and source come from the shared `gaodi.versioning.VersionedParameters`. `owner` is
    the place that saved it (None: the built-in 示例 preset); the nearest place's version in
    force wins."""

    class Kind(models.TextChoices):
        CONVERSION = "conversion", _("培训量折算参数")
        PAY = "pay", _("绩效工资参数")

    kind = models.CharField(_("参数类别"), max_length=20, choices=Kind.choices)
    owner = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(_("参数（JSON）"))

    class Meta(VersionedParameters.Meta):
        verbose_name = _("培训与绩效工资参数版本")
        verbose_name_plural = _("培训与绩效工资参数版本")
        ordering = ["kind", "code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="training_parameter_version_unique"
            )
        ]


class TrainingRecord(Rooted):
    """One training programme a school delivered: 人次, 人日, target groups, subsidised or
    not, income (integer 元; None = not reported). Counted in the year it ends."""

    ROOT_FROM = "school"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="training_records")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    programme = models.CharField(_("培训项目"), max_length=200)
    start = models.DateField(_("开始日期"))
    end = models.DateField(_("结束日期"))
    participants = models.PositiveIntegerField(_("人次"))
    person_days = models.DecimalField(_("人日"), max_digits=12, decimal_places=1)
    target_groups = models.JSONField(_("培训对象"), default=list, blank=True)
    subsidised = models.BooleanField(_("补贴性培训"), default=False)
    income = models.BigIntegerField(_("到款额（元）"), null=True, blank=True)
    source = models.CharField(_("来源说明"), max_length=200)

    class Meta:
        verbose_name = _("社会培训记录")
        verbose_name_plural = _("社会培训记录")
        ordering = ["plan", "school", "-end", "pk"]

    def __str__(self) -> str:
        return f"{self.school.name} {self.programme}"


class PayInput(models.Model):
    """A school's performance-pay inputs of a year (重点任务（十六）), money in integer 元;
    None for a line not reported. `talents`: [{"name", "kind", "amount"}]."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="pay_inputs")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年份"))
    benchmark_per_head = models.BigIntegerField(_("区属事业单位绩效工资基准线（元/人）"))
    headcount = models.PositiveIntegerField(_("核定人数"))
    requested_base = models.BigIntegerField(_("申请基础绩效工资（元）"), null=True, blank=True)
    tech_service_balance = models.BigIntegerField(
        _("技术服务收入结余（元）"), null=True, blank=True
    )
    tech_share = models.DecimalField(
        _("提取比例"), max_digits=5, decimal_places=4, null=True, blank=True
    )
    transfer_fees = models.BigIntegerField(_("科技成果转化费（元）"), null=True, blank=True)
    talents = models.JSONField(_("高层次人才单列"), default=list, blank=True)
    source = models.CharField(_("来源说明"), max_length=200)

    class Meta:
        verbose_name = _("绩效工资核定数据")
        verbose_name_plural = _("绩效工资核定数据")
        ordering = ["plan", "year", "school"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "school", "year"], name="pay_input_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.year}"


class YearResult(models.Model):
    """A school's year computed: the training volume and its conversion, and (when the pay
    inputs are there) the allowed performance pay, each with the parameter version that
    produced it (the pure results' to_json() in the JSON fields)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="training_results")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年份"))
    volume = models.JSONField(_("培训量"))
    conversion = models.JSONField(_("折算"))
    conversion_code = models.CharField(_("折算参数集编号"), max_length=80)
    conversion_version = models.PositiveIntegerField(_("折算参数集版本"))
    pay = models.JSONField(_("绩效工资"), null=True, blank=True)
    pay_code = models.CharField(_("绩效工资参数集编号"), max_length=80, blank=True)
    pay_version = models.PositiveIntegerField(_("绩效工资参数集版本"), null=True, blank=True)
    pay_problem = models.CharField(_("无法核定的原因"), max_length=300, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("培训与绩效工资结果")
        verbose_name_plural = _("培训与绩效工资结果")
        ordering = ["plan", "-year", "school"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "school", "year"], name="training_year_result_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.year}"
