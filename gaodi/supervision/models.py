"""Supervision: the schedules the plan sets (每两个月调度, 每季度督查), the cycles they open, and
the personal 待办 inbox that reminders land in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gaodi.accounts.choices import InspectorScope
from gaodi.orgs.roots import Rooted


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


class Handover(models.Model):
    """交办 and 签收: the work team hands a department its tasks of a plan; the department
    acknowledges. Unacknowledged handovers are chased."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="handovers")
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("交办时间"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        constraints = [models.UniqueConstraint(fields=["plan", "department"], name="handover_once")]

    def __str__(self) -> str:
        return f"{self.department} · {self.plan}"


class Chase(models.Model):
    """催办: a formal chase of an overdue item (a task of a department, optionally in a cycle),
    recorded and shown on the item; answered when the department responds."""

    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="chases")
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    cycle = models.ForeignKey(
        Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="chases"
    )
    message = models.TextField(_("催办内容"))
    chased_on = models.DateField(_("催办日期"))
    chased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_on = models.DateField(_("回复日期"), null=True, blank=True)
    answer = models.TextField(_("回复"), blank=True)

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["-chased_on", "-pk"]
        # A double click or a replayed POST cannot chase the same item twice in a day while
        # the first chase is unanswered (two constraints: NULL cycles are never equal).
        constraints = [
            models.UniqueConstraint(
                fields=["task", "department", "cycle", "chased_on"],
                condition=models.Q(answered_on__isnull=True, cycle__isnull=False),
                name="chase_once_a_day_in_cycle",
            ),
            models.UniqueConstraint(
                fields=["task", "department", "chased_on"],
                condition=models.Q(answered_on__isnull=True, cycle__isnull=True),
                name="chase_once_a_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.department} · {self.chased_on}"


class Request(models.Model):
    """A department's request to the work team: 延期申请 (move a deadline, with a reason) or
    职责异议 (dispute an assignment). The work team approves or refuses; the old and the new
    stay visible."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", _("延期申请")
        DISPUTE = "dispute", _("职责异议")

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")

    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    task = models.ForeignKey("plans.Task", on_delete=models.CASCADE, related_name="requests")
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("提出部门"), on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.ForeignKey(
        "plans.Deadline", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_date = models.DateField(_("原时限"), null=True, blank=True)
    new_date = models.DateField(_("申请的新时限"), null=True, blank=True)
    reason = models.TextField(_("理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decision = models.TextField(_("处理意见"), blank=True)
    requested_at = models.DateTimeField(_("提出时间"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("申请")
        verbose_name_plural = _("申请")
        ordering = ["-requested_at", "-pk"]
        # One pending request of a kind at a time: a double submission files one.
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"],
                condition=models.Q(kind="extension", status="pending"),
                name="one_pending_extension",
            ),
            models.UniqueConstraint(
                fields=["task", "department"],
                condition=models.Q(kind="dispute", status="pending"),
                name="one_pending_dispute",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.task} · {self.department}"


class ProgressReport(Rooted):
    """A department's progress on a task in a cycle. Cooperating departments report their part
    to the lead (tier `part`); the lead consolidates (tier `lead`) and submits to the inspector,
    who accepts or returns it. Submitted versions are never overwritten: a correction is a new
    version."""

    ROOT_FROM = "department__org_unit"

    class Tier(models.TextChoices):
        PART = "part", _("配合单位报送")
        LEAD = "lead", _("牵头单位汇总")

    class Status(models.TextChoices):
        DRAFT = "draft", _("填写中")
        SUBMITTED = "submitted", _("已报送")
        ACCEPTED = "accepted", _("已通过")
        RETURNED = "returned", _("已退回")

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", _("未启动")
        ONGOING = "ongoing", _("推进中")
        DONE = "done", _("已完成")
        LAGGING = "lagging", _("滞后")

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="reports")
    task = models.ForeignKey("plans.Task", on_delete=models.PROTECT, related_name="reports")
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("部门"), on_delete=models.PROTECT, related_name="+"
    )
    tier = models.CharField(_("层级"), max_length=4, choices=Tier.choices)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    # Optimistic lock: +1 on every write of the row; a form carries the revision it was
    # opened on, and a save from a form opened before someone else's save is refused.
    revision = models.PositiveIntegerField(_("修订号"), default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    progress = models.CharField(_("进展"), max_length=12, choices=Progress.choices)
    percent = models.PositiveSmallIntegerField(_("完成百分比"), null=True, blank=True)
    narrative = models.TextField(_("进展情况"))
    problems = models.TextField(_("存在问题"), blank=True)
    needs = models.TextField(_("需协调事项"), blank=True)
    checklist = models.JSONField(
        _("任务清单逐项"),
        default=dict,
        blank=True,
        help_text=_("任务清单条目编号 -> 是否完成及说明"),
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_comment = models.TextField(_("审阅意见"), blank=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["cycle", "task", "department", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "task", "department", "version", "root"],
                name="report_version_once",
            ),
            # One draft at a time and one accepted version per (cycle, task, department): two
            # people (or a double click) cannot start two drafts or get two versions accepted.
            models.UniqueConstraint(
                fields=["cycle", "task", "department", "root"],
                condition=models.Q(status="draft"),
                name="report_one_draft",
            ),
            models.UniqueConstraint(
                fields=["cycle", "task", "department", "root"],
                condition=models.Q(status="accepted"),
                name="report_accepted_once",
            ),
            models.CheckConstraint(
                condition=models.Q(percent__isnull=True) | models.Q(percent__lte=100),
                name="report_percent_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} · {self.department} · {self.cycle.period} · v{self.version}"


class Evidence(models.Model):
    """A file attached to a progress report: stored under the data folder with a random name,
    type sniffed from its bytes, size limited, hash kept."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="evidence")
    stored_name = models.CharField(_("存储名"), max_length=100, unique=True)
    original_name = models.CharField(_("原文件名"), max_length=200)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name


class Inspection(models.Model):
    """One 督查 held by 区委督查室 (quarterly, in a 督查 round, or 专项 / 随机抽查 at any time):
    its findings are rectified by the responsible departments and closed (整改销号)."""

    class Method(models.TextChoices):
        REGULAR = "regular", _("定期")
        SPECIAL = "special", _("专项")
        SPOT_CHECK = "spot_check", _("随机抽查")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="inspections"
    )
    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("督查轮次"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspections",
    )
    method = models.CharField(_("督查方式"), max_length=12, choices=Method.choices)
    held_on = models.DateField(_("督查日期"))
    summary = models.TextField(_("督查情况"), blank=True)
    created_at = models.DateTimeField(_("记录时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_method_display()}督查 {self.held_on}"


class InspectionFinding(models.Model):
    """A problem an inspection found on a task, the department answering for it and the
    deadline (整改时限); the department reports its rectification, the inspector closes it
    (整改销号) or sends it back."""

    class Status(models.TextChoices):
        OPEN = "open", _("整改中")
        REPORTED = "reported", _("已报整改")
        CLOSED = "closed", _("已销号")

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    task = models.ForeignKey("plans.Task", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "orgs.Department", verbose_name=_("责任部门"), on_delete=models.PROTECT, related_name="+"
    )
    problem = models.TextField(_("发现的问题"))
    deadline = models.DateField(_("整改时限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    rectification = models.TextField(_("整改情况"), blank=True)
    evidence = models.TextField(_("佐证材料（清单）"), blank=True)
    rectified_on = models.DateField(_("报送整改日期"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    close_note = models.TextField(_("销号或退回意见"), blank=True)

    class Meta:
        verbose_name = _("督查发现的问题")
        verbose_name_plural = _("督查发现的问题")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.task} · {self.department} · {self.deadline}"


class Meeting(models.Model):
    """A meeting of the leading group or a joint meeting of government, enterprises and
    schools (（八）联席会): when, who attended, what was decided. A decision can become a
    tracked item (会议交办)."""

    class Kind(models.TextChoices):
        LEADING_GROUP = "leading_group", _("领导小组会议")
        JOINT = "joint", _("政府、企业、学校联席会议")
        OTHER = "other", _("其他专题会议")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(_("会议类型"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("会议日期"))
    attendees = models.TextField(_("参会人员"), blank=True)
    decisions = models.TextField(_("议定事项"), blank=True)
    created_at = models.DateTimeField(_("记录时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-pk"]
        constraints = [  # the same meeting is recorded once, however often the form is sent
            models.UniqueConstraint(
                fields=["plan", "kind", "title", "held_on"], name="meeting_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.held_on}）"


class TrackedItem(models.Model):
    """A meeting decision (会议交办) or a leader's written instruction (领导批示) turned into a
    task of the plan, with a lead department and a deadline, and followed like any task
    (reports, lights, chases, scores)."""

    class Source(models.TextChoices):
        MEETING = "meeting", _("会议交办")
        INSTRUCTION = "instruction", _("领导批示")

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="tracked_items"
    )
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices)
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("会议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
    )
    leader = models.CharField(_("批示领导"), max_length=50, blank=True)
    issued_on = models.DateField(_("交办或批示日期"))
    wording = models.TextField(_("决定或批示原文"))
    task = models.OneToOneField(
        "plans.Task", verbose_name=_("任务"), on_delete=models.PROTECT, related_name="tracked_item"
    )
    created_at = models.DateTimeField(_("记录时间"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} · {self.task}"


class ScoreWeight(models.Model):
    """The work team's weight of one scorecard component for a plan (scoring.DEFAULT_WEIGHTS
    when none is set)."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("方案"), on_delete=models.CASCADE, related_name="score_weights"
    )
    component = models.CharField(_("评分项"), max_length=30)
    weight = models.PositiveSmallIntegerField(_("权重"))

    class Meta:
        verbose_name = _("评分权重")
        verbose_name_plural = _("评分权重")
        constraints = [
            models.UniqueConstraint(fields=["plan", "component"], name="one_weight_per_component")
        ]

    def __str__(self) -> str:
        return f"{self.component}={self.weight}"


class PublishedReport(models.Model):
    """A supervision report (督导报告) as published: numbered like 茌平职教督〔2021〕3号, frozen
    as rendered (the files and the data they were made from), and shown on the public portal
    without login."""

    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("方案"),
        on_delete=models.PROTECT,
        related_name="published_reports",
    )
    period = models.CharField(_("期间"), max_length=10)
    year = models.PositiveSmallIntegerField(_("年度"))
    sequence = models.PositiveSmallIntegerField(_("序号"))
    number = models.CharField(_("文号"), max_length=60, unique=True)
    title = models.CharField(_("标题"), max_length=300)
    content = models.JSONField(_("报告数据"))
    files = models.JSONField(_("文件"), default=dict)  # format -> {stored_name, sha256, size}
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("已发布的督导报告")
        verbose_name_plural = _("已发布的督导报告")
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year", "sequence"], name="one_report_number"),
        ]

    def __str__(self) -> str:
        return self.number
