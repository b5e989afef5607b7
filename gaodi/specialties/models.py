"""专业 (specialties, 重点任务（八）): the catalogue, the industries it serves, each school's
offerings year by year, the rule sets of 专业预警和退出 as stored versions, and the warnings
computed with them. Every write goes through services.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.orgs.models import OrgUnit
from gaodi.orgs.roots import Rooted
from gaodi.plans.models import Plan
from gaodi.versioning import VersionedParameters


class IndustryGroup(models.TextChoices):
    """How 重点任务（八） and 附件2 二、专业布局 group the industries."""

    TOP_TEN = "十强产业", _("十强产业")
    EMERGING = "新兴产业", _("新兴产业")
    TRADITIONAL = "传统产业", _("传统产业")
    SHORTAGE = "紧缺", _("紧缺专业")


class Industry(models.Model):
    """An industry the plan names (新材料, 高端装备制造...), with the clause that names it."""

    name = models.CharField(_("产业"), max_length=60)
    group = models.CharField(_("类别"), max_length=10, choices=IndustryGroup.choices)
    source = models.CharField(_("出处"), max_length=300)

    class Meta:
        verbose_name = _("产业")
        verbose_name_plural = _("产业")
        ordering = ["group", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["name", "group"], name="industry_name_group_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.group}）"


class Specialty(models.Model):
    """A specialty of a catalogue. `code_status` says whether the code was checked against the
    catalogue itself (已核实) or is a placeholder to be checked (待核实); never shown as real."""

    class CodeStatus(models.TextChoices):
        VERIFIED = "已核实", _("已核实")
        UNVERIFIED = "待核实", _("待核实")

    code = models.CharField(_("专业代码"), max_length=20)
    code_status = models.CharField(
        _("代码核实"), max_length=10, choices=CodeStatus.choices, default=CodeStatus.UNVERIFIED
    )
    name = models.CharField(_("专业名称"), max_length=60)
    level = models.CharField(
        _("层次"), max_length=10, choices=[("中职", _("中职")), ("高职", _("高职"))]
    )
    specialty_class = models.CharField(_("专业类别（豁免用）"), max_length=20, default="其他")
    catalogue = models.CharField(_("专业目录"), max_length=60)
    source = models.CharField(_("出处"), max_length=300)

    class Meta:
        verbose_name = _("专业")
        verbose_name_plural = _("专业")
        ordering = ["catalogue", "level", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalogue", "level", "name"], name="specialty_catalogue_name_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.level}，{self.catalogue}）"


class SpecialtyCodeChange(models.Model):
    """An old catalogue's specialty and its successor in the new one (会计电算化 -> 会计事务)."""

    old = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="successors")
    new = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="predecessors")
    source = models.CharField(_("出处"), max_length=300)

    class Meta:
        verbose_name = _("专业目录对照")
        verbose_name_plural = _("专业目录对照")
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="code_change_unique")]

    def __str__(self) -> str:
        return f"{self.old.name} → {self.new.name}"


class SpecialtyIndustry(models.Model):
    """A specialty serving an industry, as the plan's 附件2 二、专业布局 lays it out."""

    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="industries")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="specialties")
    source = models.CharField(_("出处"), max_length=300)

    class Meta:
        verbose_name = _("专业对接产业")
        verbose_name_plural = _("专业对接产业")
        constraints = [
            models.UniqueConstraint(
                fields=["specialty", "industry"], name="specialty_industry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.specialty.name} → {self.industry.name}"


class Offering(Rooted):
    """A school's 专业点 in one year: what it reported (None = not reported; 0 = none)."""

    ROOT_FROM = "school"

    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="offerings")
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="offerings")
    year = models.PositiveIntegerField(_("年份"))
    planned_enrolment = models.PositiveIntegerField(_("招生计划"), null=True, blank=True)
    enrolment = models.PositiveIntegerField(_("实际招生"), null=True, blank=True)
    students = models.PositiveIntegerField(_("在校生"), null=True, blank=True)
    graduates = models.PositiveIntegerField(_("毕业生"), null=True, blank=True)
    employment_rate = models.DecimalField(
        _("就业率（%）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    counterpart_rate = models.DecimalField(
        _("对口就业率（%）"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    source = models.CharField(_("来源"), max_length=100)  # 附件2 / 录入 / 【演示数据】

    class Meta:
        verbose_name = _("专业点年度数据")
        verbose_name_plural = _("专业点年度数据")
        ordering = ["school", "specialty", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "specialty", "year", "root"], name="offering_school_year_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.specialty.name} {self.year}"


class LayoutTarget(models.Model):
    """One cell group of 附件2 二、专业布局: an industry's specialties, 专业点数 and 学生数 in a
    year (2019 = 现有基础), as the plan prints them."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="layout_targets")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="targets")
    row_label = models.CharField(_("表中行名"), max_length=60)
    year = models.PositiveIntegerField(_("年份"))
    specialties = models.CharField(_("开设专业（原文）"), max_length=200, blank=True)
    points = models.PositiveIntegerField(_("专业点数"), null=True, blank=True)
    students = models.PositiveIntegerField(_("学生数"), null=True, blank=True)
    source = models.CharField(_("出处"), max_length=100)

    class Meta:
        verbose_name = _("专业布局目标")
        verbose_name_plural = _("专业布局目标")
        ordering = ["plan", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "row_label", "year"], name="layout_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.row_label} {self.year}"


class RuleSetVersion(VersionedParameters):
    """A stored version of a rule set (warning.RuleSet.to_json() in `rules`): never edited,
    a change is a new version with its own effective date."""

    code = models.CharField(_("规则集编号"), max_length=60)
    rules = models.JSONField(_("规则（JSON）"))
    # None = a preset shipped with Gaodi (read-only); else the place that defined it: only its
    # work team adds versions, and it is offered to that place and the places under it.
    owner = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("制定单位"),
    )

    class Meta:
        verbose_name = _("预警规则集版本")
        verbose_name_plural = _("预警规则集版本")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="rule_set_version_unique")
        ]


class WarningResult(models.Model):
    """A school's specialty judged as of a year by one rule set version: the deciding finding
    (None = 正常) and every finding, as warning.Finding.to_json() wrote them."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="specialty_warnings")
    school = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="+")
    as_of_year = models.PositiveIntegerField(_("评估年份"))
    rule_set_code = models.CharField(_("规则集编号"), max_length=60)
    rule_set_version = models.PositiveIntegerField(_("规则集版本"))
    consequence = models.CharField(_("结论"), max_length=10, blank=True)  # "" = 正常
    decision = models.JSONField(_("决定性判断"), null=True, blank=True)
    findings = models.JSONField(_("全部判断"), default=list)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("专业预警结果")
        verbose_name_plural = _("专业预警结果")
        ordering = ["plan", "as_of_year", "school", "specialty"]

    def __str__(self) -> str:
        return f"{self.school.name} {self.specialty.name} {self.as_of_year}"


class Enterprise(models.Model):
    """An enterprise that declares demand for graduates (供求信息, 重点任务（八）). Kept small:
    no 产教融合型企业 register exists yet; the name is the key, the credit code optional."""

    name = models.CharField(_("企业名称"), max_length=100, unique=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    industry = models.ForeignKey(
        Industry, on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises"
    )
    source = models.CharField(_("来源"), max_length=100)  # 录入 / 【演示数据】

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DemandDeclaration(models.Model):
    """An enterprise's declared demand for graduates of a specialty in a year (人力资源统计,
    重点任务（八））. One per enterprise, specialty and year: a new declaration corrects it,
    the change record keeps the old numbers."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="demand_declarations")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="declarations"
    )
    specialty = models.ForeignKey(Specialty, on_delete=models.PROTECT, related_name="+")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField(_("需求年份"))
    headcount = models.PositiveIntegerField(_("需求人数"))
    declared_at = models.DateTimeField(_("申报时间"))
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=100)  # 录入 / 【演示数据】

    class Meta:
        verbose_name = _("企业用人需求申报")
        verbose_name_plural = _("企业用人需求申报")
        ordering = ["plan", "year", "enterprise", "specialty"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "enterprise", "specialty", "year"],
                name="demand_declaration_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.name} {self.specialty.name} {self.year}：{self.headcount} 人"


class SupplyDemandParameters(VersionedParameters):
    """A stored version of the 供求 parameter set (supply_demand.Parameters.to_json() in
    `parameters`): never edited, a change is a new version with its own effective date."""

    parameters = models.JSONField(_("参数（JSON）"))
    # None = the built-in 示例 set; else the place that set it (its own and its places below
    # use it, the nearest place's set winning).
    owner = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("制定单位"),
    )

    class Meta:
        verbose_name = _("供求预测参数版本")
        verbose_name_plural = _("供求预测参数版本")
        ordering = ["code", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"], name="supply_demand_parameters_unique"
            )
        ]


class SupplyDemandBulletin(models.Model):
    """A published 供求信息 bulletin (供求信息发布, 重点任务（八）): the figures of a year frozen
    as computed (supply_demand.SupplyDemand.to_json(), the parameter set included). Never
    edited: a new bulletin gets the next number."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="supply_bulletins")
    year = models.PositiveIntegerField(_("数据年份"))
    number = models.CharField(_("文号"), max_length=60)
    serial = models.PositiveIntegerField(_("序号"))
    snapshot = models.JSONField(_("供求数据（发布时冻结）"))
    parameters_code = models.CharField(_("参数集编号"), max_length=60)
    parameters_version = models.PositiveIntegerField(_("参数集版本"))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("来源"), max_length=100, default="录入")

    class Meta:
        verbose_name = _("供求信息公报")
        verbose_name_plural = _("供求信息公报")
        ordering = ["plan", "-published_at", "-serial"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="supply_bulletin_number_unique")
        ]

    def __str__(self) -> str:
        return self.number
