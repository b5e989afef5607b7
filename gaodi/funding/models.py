"""经费保障 (重点任务（一）、附件3 第2–4行): the surcharge revenue of a place and what went to
vocational education, the schools' per-student appropriations and their debts, and the stored
versions of the funding rules. Money in integer 元. Every write goes through services.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.versioning import VersionedParameters


class RulesVersion(VersionedParameters):
    """A stored version of the funding rules (rules.FundingRules.to_json() in `data`): never
    edited; a change is a new version with its own effective date."""

    data = models.JSONField(_("参数（JSON）"))

    class Meta(VersionedParameters.Meta):
        verbose_name = _("经费保障参数版本")
        verbose_name_plural = _("经费保障参数版本")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="funding_rules_version_unique")
        ]


class SurchargeYear(models.Model):
    """A place's 教育费附加 and 地方教育附加 revenue of a year and the amounts of each spent on
    vocational education (元)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="surcharge_years")
    place = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年份"))
    education_revenue = models.BigIntegerField(_("教育费附加收入（元）"))
    education_to_vocational = models.BigIntegerField(_("教育费附加用于职业教育（元）"))
    local_revenue = models.BigIntegerField(_("地方教育附加收入（元）"))
    local_to_vocational = models.BigIntegerField(_("地方教育附加用于职业教育（元）"))
    source = models.CharField(_("来源说明"), max_length=200)

    class Meta:
        verbose_name = _("教育附加收入与使用")
        verbose_name_plural = _("教育附加收入与使用")
        ordering = ["plan", "place", "year"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "place", "year"], name="surcharge_year_once")
        ]

    def __str__(self) -> str:
        return f"{self.place.name} {self.year}"


class Appropriation(models.Model):
    """A public 中职 school's actual appropriation of a year (元). The 在校生 count it is judged
    on is read from the indicators (在校生数 of the count year the rules name, 最多报一次);
    `students` is typed only where the indicators hold no value for that year, as a fallback."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="appropriations")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年份"))
    actual = models.BigIntegerField(_("实际拨款（元）"))
    students = models.PositiveIntegerField(
        _("在校生数（人，指标库无该年数值时手工填写）"), null=True, blank=True
    )
    source = models.CharField(_("来源说明"), max_length=200)

    class Meta:
        verbose_name = _("生均拨款")
        verbose_name_plural = _("生均拨款")
        ordering = ["plan", "year", "school"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "school", "year"], name="appropriation_once")
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.year}"


class Debt(models.Model):
    """A debt of a public vocational school (附件3 第3行): amount, when incurred, and how much
    was resolved by which day (none yet: both empty / 0)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="debts")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("债务说明"), max_length=200)
    amount = models.BigIntegerField(_("金额（元）"))
    incurred_on = models.DateField(_("产生日期"))
    resolved_on = models.DateField(_("化解日期"), null=True, blank=True)
    resolved_amount = models.BigIntegerField(_("已化解金额（元）"), default=0)
    source = models.CharField(_("来源说明"), max_length=200)

    class Meta:
        verbose_name = _("学校债务")
        verbose_name_plural = _("学校债务")
        ordering = ["plan", "school", "incurred_on", "pk"]

    def __str__(self) -> str:
        return f"{self.school.name} {self.description}"
