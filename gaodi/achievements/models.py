"""评价与成果 (issue 7 §2): schools' evaluation scores and their composites, skills competition
awards, and the plan's countable achievements; the parameter sets (weights, achievement kinds,
points) as stored versions. Every write goes through services.py."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.specialties.models import Specialty
from gaodi.versioning import VersionedParameters

SCORE = [MinValueValidator(0), MaxValueValidator(100)]


class ParameterSetVersion(VersionedParameters):
    """A stored version of a parameter set (the pure dataclass's to_json() in `data`): never
    edited; a change is a new version with its own effective date."""

    class Kind(models.TextChoices):
        WEIGHTS = "weights", _("评价权重")
        ACHIEVEMENT_KINDS = "achievement_kinds", _("成果类别")
        POINTS = "points", _("大赛积分表")

    kind = models.CharField(_("参数类别"), max_length=20, choices=Kind.choices)
    data = models.JSONField(_("参数（JSON）"))

    class Meta:
        verbose_name = _("参数集版本")
        verbose_name_plural = _("参数集版本")
        ordering = ["kind", "code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="parameter_set_version_unique")
        ]


class SchoolEvaluation(models.Model):
    """A school's evaluation scores of a year (重点任务（十八）), 0–100, None = 未评."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="school_evaluations")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年份"))
    customer = models.DecimalField(
        _("客户评价"), max_digits=5, decimal_places=1, null=True, blank=True, validators=SCORE
    )
    peer = models.DecimalField(
        _("同行评价"), max_digits=5, decimal_places=1, null=True, blank=True, validators=SCORE
    )
    third_party = models.DecimalField(
        _("第三方评价"), max_digits=5, decimal_places=1, null=True, blank=True, validators=SCORE
    )
    integration = models.DecimalField(
        _("校企合作、产教融合"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=SCORE,
    )
    source = models.CharField(_("来源说明"), max_length=200)

    class Meta:
        verbose_name = _("学校评价得分")
        verbose_name_plural = _("学校评价得分")
        ordering = ["plan", "year", "school"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "school", "year"], name="school_evaluation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.year}"


class EvaluationResult(models.Model):
    """A school's composite of a year, with the weight set version that produced it and the
    working (evaluation.Composite.to_json())."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluation_results")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年份"))
    composite = models.DecimalField(
        _("综合得分"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    weight_set_code = models.CharField(_("权重集编号"), max_length=60)
    weight_set_version = models.PositiveIntegerField(_("权重集版本"))
    working = models.JSONField(_("计算过程"))
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("学校评价结果")
        verbose_name_plural = _("学校评价结果")
        ordering = ["plan", "year", "rank", "school"]

    def __str__(self) -> str:
        return f"{self.school.name} {self.year}"


class CompetitionAward(models.Model):
    """A skills competition award (技能大赛) of a school's students or teachers."""

    class Level(models.TextChoices):
        NATIONAL = "国家", _("国家级")
        PROVINCE = "省", _("省级")
        CITY = "市", _("市级")
        DISTRICT = "区", _("区级")
        SCHOOL = "校", _("校级")

    class Grade(models.TextChoices):
        FIRST = "一等奖", _("一等奖")
        SECOND = "二等奖", _("二等奖")
        THIRD = "三等奖", _("三等奖")
        MERIT = "优秀奖", _("优秀奖")

    class Category(models.TextChoices):
        STUDENT = "学生", _("学生")
        TEACHER = "教师", _("教师")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="competition_awards")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("年份"))
    name = models.CharField(_("赛项名称"), max_length=200)
    level = models.CharField(_("级别"), max_length=4, choices=Level.choices)
    grade = models.CharField(_("奖项"), max_length=4, choices=Grade.choices)
    category = models.CharField(_("类别"), max_length=4, choices=Category.choices)
    participants = models.PositiveIntegerField(_("获奖人数"), default=1)
    source = models.CharField(_("来源说明"), max_length=200)

    class Meta:
        verbose_name = _("技能大赛获奖")
        verbose_name_plural = _("技能大赛获奖")
        ordering = ["plan", "year", "school", "pk"]

    def __str__(self) -> str:
        return f"{self.school.name} {self.year} {self.name}"


class Achievement(models.Model):
    """A countable achievement of the plan (省级高水平专业群, 市级品牌专业, 省级在线开放精品课程,
    职业技能等级证书试点: the kinds of achievements.plan_kinds), counted from `approved_on`."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="achievements")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("成果类别"), max_length=40)
    name = models.CharField(_("名称"), max_length=200)
    specialty = models.ForeignKey(
        Specialty, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    level = models.CharField(_("级别"), max_length=20, blank=True)
    approved_on = models.DateField(_("批准（立项）日期"), null=True, blank=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    evidence = models.CharField(_("佐证说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("标志性成果")
        verbose_name_plural = _("标志性成果")
        ordering = ["plan", "kind", "approved_on", "pk"]

    def __str__(self) -> str:
        return self.name
