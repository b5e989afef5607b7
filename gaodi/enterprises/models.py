"""产教融合型企业 (重点任务（十一）（十二）): the register (a profile of the one enterprise table,
specialties.Enterprise, so that an enterprise appears once everywhere), its certification
steps, its cooperation with schools, its investment declarations, the surcharges it owes, and
the stored versions of the credit parameters. Every write goes through services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.orgs.models import OrgUnit
from gaodi.specialties.models import Enterprise, Specialty
from gaodi.versioning import VersionedParameters

from . import certification


class Size(models.TextChoices):
    LARGE = "大型", _("大型")
    MEDIUM = "中型", _("中型")
    SMALL = "小型", _("小型")
    MICRO = "微型", _("微型")


class IntegrationEnterprise(models.Model):
    """An enterprise on a place's 产教融合型企业 register: the place that keeps it, its sector
    and size. Its name and credit code live on specialties.Enterprise (one row per
    enterprise); here the credit code is required and checked (GB 32100)."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.PROTECT, related_name="integration_profile"
    )
    place = models.ForeignKey(
        OrgUnit, verbose_name=_("登记地"), on_delete=models.PROTECT, related_name="+"
    )
    sector = models.CharField(_("所属行业"), max_length=60)
    size = models.CharField(_("企业规模"), max_length=4, choices=Size.choices)
    source = models.CharField(_("来源"), max_length=100)  # 录入 / 【演示数据】
    registered_at = models.DateTimeField(_("登记时间"))
    # The org unit (kind enterprise, under the place) its own people are members of, once the
    # work team has opened it (services.open_enterprise_unit); None until then.
    org_unit = models.OneToOneField(
        OrgUnit,
        verbose_name=_("企业账号所属机构"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("产教融合型企业")
        verbose_name_plural = _("产教融合型企业")
        ordering = ["place", "enterprise__name"]

    def __str__(self) -> str:
        return self.enterprise.name


class CertificationStep(models.Model):
    """One step of the certification workflow (certification.py): the state reached, the date
    of the decision or the published list, the level and the list (培育/认定), the reason
    (不予认定). Steps are only added, never edited."""

    profile = models.ForeignKey(
        IntegrationEnterprise, on_delete=models.CASCADE, related_name="steps"
    )
    state = models.CharField(
        _("环节"),
        max_length=6,
        choices=[(s, certification.STATE_LABELS[s]) for s in certification.STATES],
    )
    on = models.DateField(_("日期"))
    level = models.CharField(
        _("级别"),
        max_length=4,
        blank=True,
        choices=[(v, certification.LEVEL_LABELS[v]) for v in certification.LEVELS],
    )
    source = models.CharField(_("公布名单（文件名称或文号）"), max_length=200, blank=True)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(_("录入时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("认定环节")
        verbose_name_plural = _("认定环节")
        ordering = ["profile", "on", "pk"]

    def __str__(self) -> str:
        return f"{self.profile} {self.state} {self.on}"


class CooperationForm(models.TextChoices):
    """The forms of school-enterprise cooperation 重点任务（十一） names."""

    ORDER_CLASS = "订单班", _("订单班")
    NAMED_CLASS = "冠名班", _("冠名班")
    JOINT_SPECIALTY = "共建专业", _("共建专业")
    TRAINING_BASE = "实训基地", _("实训基地")
    EDUCATION_GROUP = "职教集团", _("职教集团")
    MIXED_OWNERSHIP = "混合所有制", _("混合所有制")


class Cooperation(models.Model):
    """A form of cooperation between an enterprise and a school, from a year (to a year, or
    ongoing), optionally for a specialty."""

    profile = models.ForeignKey(
        IntegrationEnterprise, on_delete=models.CASCADE, related_name="cooperations"
    )
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    form = models.CharField(_("合作形式"), max_length=6, choices=CooperationForm.choices)
    start_year = models.PositiveIntegerField(_("起始年份"))
    end_year = models.PositiveIntegerField(_("结束年份"), null=True, blank=True)
    specialty = models.ForeignKey(
        Specialty, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("校企合作")
        verbose_name_plural = _("校企合作")
        ordering = ["profile", "start_year", "pk"]

    def __str__(self) -> str:
        return f"{self.profile} {self.school} {self.form}"


class InvestmentDeclaration(models.Model):
    """An investment in 兴办职业教育 of a year (integer 元), what it was for, and whether it
    counts for the credit (符合规定) with the reason."""

    profile = models.ForeignKey(
        IntegrationEnterprise, on_delete=models.CASCADE, related_name="investments"
    )
    year = models.PositiveIntegerField(_("年份"))
    amount = models.BigIntegerField(_("投资额（元）"))
    purpose = models.CharField(_("投资用途"), max_length=200)
    eligible = models.BooleanField(_("符合规定"))
    eligibility_reason = models.CharField(_("认定理由"), max_length=300)
    source = models.CharField(_("来源"), max_length=100)
    declared_at = models.DateTimeField(_("申报时间"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("投资申报")
        verbose_name_plural = _("投资申报")
        ordering = ["profile", "year", "pk"]

    def __str__(self) -> str:
        return str(_("{profile} {year} {amount} 元")).format(
            profile=self.profile, year=self.year, amount=self.amount
        )


class SurchargePayable(models.Model):
    """The 教育费附加 and 地方教育附加 an enterprise owes for a year (integer 元), entered by the
    work team from the finance or tax office's figures; one per enterprise and year."""

    profile = models.ForeignKey(
        IntegrationEnterprise, on_delete=models.CASCADE, related_name="surcharges"
    )
    year = models.PositiveIntegerField(_("年份"))
    education_surcharge = models.BigIntegerField(_("应缴教育费附加（元）"))
    local_education_surcharge = models.BigIntegerField(_("应缴地方教育附加（元）"))
    source = models.CharField(_("来源"), max_length=100)

    class Meta:
        verbose_name = _("应缴附加")
        verbose_name_plural = _("应缴附加")
        ordering = ["profile", "year"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "year"], name="surcharge_payable_unique")
        ]

    def __str__(self) -> str:
        return f"{self.profile} {self.year}"


class CreditParameterVersion(VersionedParameters):
    """A stored version of the credit parameters (credit.CreditParameters.to_json() in
    `data`): never edited; a change is a new version with its own effective date. Code,
    version, effective date, name and source: gaodi.versioning.VersionedParameters."""

    data = models.JSONField(_("参数（JSON）"))

    class Meta(VersionedParameters.Meta):
        verbose_name = _("抵免参数版本")
        verbose_name_plural = _("抵免参数版本")
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="credit_parameter_version_unique"
            )
        ]
