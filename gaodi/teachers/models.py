"""师资队伍 (issue 8 §5): a school's teachers (personal data kept to what the checks need),
their honours, the staffing quota of a school-year, and the stored parameter versions. Every
write goes through services.py."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.orgs.models import OrgUnit
from gaodi.versioning import VersionedParameters


class RulesVersion(VersionedParameters):
    """A stored version of the check parameters (parameters.TeacherRules.to_json() in `data`):
    never edited; a change is a new version with its own effective date. Code, version,
    施行日期, name and source come from the shared `VersionedParameters`."""

    data = models.JSONField(_("参数（JSON）"))

    class Meta(VersionedParameters.Meta):
        verbose_name = _("师资核查参数版本")
        verbose_name_plural = _("师资核查参数版本")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="teacher_rules_version_unique")
        ]


class Teacher(models.Model):
    """A teacher of a school: full-time (专任) or part-time (兼职), 专业课 or not, years of
    enterprise experience, 双师型 from its certification date; `left_on` when he left."""

    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    full_time = models.BooleanField(_("专任教师"), default=True)
    subject = models.CharField(_("任教学科（专业）"), max_length=100, blank=True)
    specialty_course = models.BooleanField(_("专业课教师"), default=False)
    qualifications = models.CharField(_("专业技术资格"), max_length=200, blank=True)
    enterprise_years = models.DecimalField(
        _("企业工作年限"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    hired_on = models.DateField(_("入职日期"))
    hire_exemption = models.CharField(_("企业经历豁免情形"), max_length=50, blank=True)
    dual_qualified = models.BooleanField(_("“双师型”教师"), default=False)
    certified_on = models.DateField(_("“双师型”认定日期"), null=True, blank=True)
    left_on = models.DateField(_("离岗日期"), null=True, blank=True)
    source = models.CharField(_("来源说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("教师")
        verbose_name_plural = _("教师")
        ordering = ["school", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class Honour(models.Model):
    """A title or honour of a teacher (名师工作室, 技术技能大师, 首席技师, 专业带头人, 教学名师)."""

    class Kind(models.TextChoices):
        STUDIO = "studio", _("名师工作室")
        MASTER = "master", _("技术技能大师")
        CHIEF = "chief", _("首席技师")
        LEADER = "leader", _("专业带头人")
        FAMOUS = "famous", _("教学名师")

    class Level(models.TextChoices):
        NATIONAL = "国家级", _("国家级")
        PROVINCE = "省级", _("省级")
        CITY = "市级", _("市级")
        DISTRICT = "区级", _("区级")
        SCHOOL = "校级", _("校级")

    teacher = models.ForeignKey(Teacher, on_delete=models.CASCADE, related_name="honours")
    kind = models.CharField(_("称号类别"), max_length=10, choices=Kind.choices)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    awarded_on = models.DateField(_("授予日期"))
    source = models.CharField(_("来源（文号）"), max_length=200)

    class Meta:
        verbose_name = _("教师称号")
        verbose_name_plural = _("教师称号")
        ordering = ["teacher", "awarded_on", "pk"]

    def __str__(self) -> str:
        return f"{self.teacher.name} {self.get_kind_display()}"


class StaffingQuota(models.Model):
    """A school's 编制员额 of a year: the base of the 20 % part-time cap."""

    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年份"))
    quota = models.PositiveIntegerField(_("编制员额"))
    source = models.CharField(_("来源（文号）"), max_length=200)

    class Meta:
        verbose_name = _("编制员额")
        verbose_name_plural = _("编制员额")
        ordering = ["school", "year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="staffing_quota_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.year}"
