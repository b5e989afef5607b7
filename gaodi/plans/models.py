"""The plan as stored: versioned, with its tasks, rows, departments, deadlines and targets.

Everything is written by `services.import_plan` (and later fixes), never by save() logic.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import AssignmentRole, Comparator, QuantityKind, Severity


class Plan(models.Model):
    """One version of an implementation plan (实施方案). Re-importing makes the next version."""

    org_unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("所属机构"), on_delete=models.PROTECT, related_name="plans"
    )
    series = models.CharField(_("方案标识"), max_length=200, db_index=True)
    version = models.PositiveIntegerField(_("版本"))
    previous = models.OneToOneField(
        "self",
        verbose_name=_("上一版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    title = models.CharField(_("标题"), max_length=300)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=200, blank=True)
    issue_date = models.DateField(_("印发日期"), null=True, blank=True)
    public = models.BooleanField(_("公开发布"), default=False)
    source_format = models.CharField(_("文件格式"), max_length=10)
    source_sha256 = models.CharField(_("文件指纹"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("导入时间"))
    changes = models.JSONField(_("与上一版本的差异"), default=dict, blank=True)
    office_department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("领导小组办公室"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    office_director = models.CharField(_("办公室主任"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("实施方案")
        verbose_name_plural = _("实施方案")
        ordering = ["series", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["org_unit", "series", "version"], name="plan_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class Section(models.Model):
    """A part of the plan: 重点任务, 保障措施."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(_("顺序"))
    title = models.CharField(_("标题"), max_length=200)

    class Meta:
        verbose_name = _("部分")
        verbose_name_plural = _("部分")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """A numbered task of the plan, e.g. 重点任务（十四）."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section,
        verbose_name=_("部分"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    order = models.PositiveIntegerField(_("顺序"))
    number = models.PositiveIntegerField(_("编号"))
    numbering = models.CharField(_("编号样式"), max_length=20, blank=True)
    title = models.CharField(_("标题"), max_length=500)
    text = models.TextField(_("全文"))
    line = models.PositiveIntegerField(_("原文行号"), null=True, blank=True)

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    @property
    def label(self) -> str:
        """重点任务（十四）: the task cited as the plan numbers it."""
        from gaodi.plans.consistency.finding import cite_task

        return cite_task(self.section.title if self.section else "", self.number, self.numbering)


class TaskListItem(models.Model):
    """A row of the task list (工作任务清单), linked to the body tasks it restates."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="task_list")
    seq = models.PositiveIntegerField(_("序号"))
    text = models.TextField(_("政策内容"))
    units = models.JSONField(_("责任部门（原文）"), default=list)
    tasks = models.ManyToManyField(
        Task, verbose_name=_("对应任务"), blank=True, related_name="list_items"
    )
    line = models.PositiveIntegerField(_("原文行号"), null=True, blank=True)

    class Meta:
        verbose_name = _("任务清单条目")
        verbose_name_plural = _("任务清单条目")
        ordering = ["plan", "seq"]

    def __str__(self) -> str:
        return f"{self.seq}. {self.text[:30]}"


class Assignment(models.Model):
    """A department's responsibility for a task (lead / coop) or a list row (responsible)."""

    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    list_item = models.ForeignKey(
        TaskListItem, null=True, blank=True, on_delete=models.CASCADE, related_name="assignments"
    )
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("部门"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("职责"), max_length=20, choices=AssignmentRole.choices)
    order = models.PositiveIntegerField(_("顺序"))
    spelling = models.CharField(_("原文写法"), max_length=100)

    class Meta:
        verbose_name = _("分工")
        verbose_name_plural = _("分工")
        ordering = ["role", "order"]

    def __str__(self) -> str:
        return f"{self.department} · {self.get_role_display()}"


class Deadline(models.Model):
    """A date by which a task (or a list row) is due: the last day its phrase allows."""

    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines"
    )
    list_item = models.ForeignKey(
        TaskListItem, null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines"
    )
    date = models.DateField(_("日期"))
    phrase = models.CharField(_("原文"), max_length=100)

    class Meta:
        verbose_name = _("时限")
        verbose_name_plural = _("时限")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.phrase}（{self.date:%Y-%m-%d}）"


class Quantity(models.Model):
    """A number the plan states; Target and Parameter share this shape."""

    task = models.ForeignKey(
        Task, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    list_item = models.ForeignKey(
        TaskListItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    phrase = models.CharField(_("原文"), max_length=300)
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=6)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True)
    comparator = models.CharField(_("比较"), max_length=2, choices=Comparator.choices)
    year = models.PositiveIntegerField(_("年份"), null=True, blank=True)
    subject = models.CharField(_("指标对象"), max_length=200, blank=True)
    clause = models.CharField(_("条款"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.phrase


class Target(Quantity):
    """A target (目标) with the clause it comes from: 70%以上 in 重点任务（十四）."""

    kind = models.CharField(
        _("类别"), max_length=20, choices=QuantityKind.choices, default=QuantityKind.TARGET
    )

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")


class Parameter(Quantity):
    """A rule parameter the plan sets: 培训量按25%折算, 30%抵免, 5倍."""

    class Meta:
        verbose_name = _("参数")
        verbose_name_plural = _("参数")


class LeadingGroupMember(models.Model):
    """A member of the leading group (领导小组), in the order the plan lists them."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="leading_group")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("职务（小组内）"), max_length=20)
    order = models.PositiveIntegerField(_("顺序"))

    class Meta:
        verbose_name = _("领导小组成员")
        verbose_name_plural = _("领导小组成员")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.role} {self.person}"


class PlanTable(models.Model):
    """A table of the plan as printed (附件2 indicator tables, the task list)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tables")
    order = models.PositiveIntegerField(_("顺序"))
    title = models.CharField(_("标题"), max_length=200)
    attachment = models.CharField(_("附件"), max_length=20, blank=True)
    columns = models.JSONField(_("列"), default=list)
    rows = models.JSONField(_("行"), default=list)
    notes = models.JSONField(_("备注"), default=list, blank=True)

    class Meta:
        verbose_name = _("方案表格")
        verbose_name_plural = _("方案表格")
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.title


class Finding(models.Model):
    """A parse warning or an audit finding about the plan, with where it points."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="findings")
    source = models.CharField(
        _("来源"), max_length=10, choices=[("parse", _("解析")), ("audit", _("核查"))]
    )
    code = models.CharField(_("类别"), max_length=40)
    severity = models.CharField(_("级别"), max_length=10, choices=Severity.choices)
    message = models.TextField(_("说明"))
    where = models.JSONField(_("位置"), default=list, blank=True)
    evidence = models.JSONField(_("依据"), default=list, blank=True)
    line = models.PositiveIntegerField(_("原文行号"), null=True, blank=True)
    resolution = models.JSONField(_("处理结果"), default=dict, blank=True)

    class Meta:
        verbose_name = _("核查发现")
        verbose_name_plural = _("核查发现")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.message[:60]
