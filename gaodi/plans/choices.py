from django.db import models
from django.utils.translation import gettext_lazy as _


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("牵头")
    COOP = "coop", _("配合")
    RESPONSIBLE = "responsible", _("责任部门")


class Comparator(models.TextChoices):
    AT_LEAST = ">=", _("不低于")
    AT_MOST = "<=", _("不高于")
    EQUAL = "=", _("等于")
    ABOUT = "~", _("约")


class QuantityKind(models.TextChoices):
    TARGET = "target", _("目标")
    PARAMETER = "parameter", _("参数")
    CHANGE = "change", _("增减")


class Severity(models.TextChoices):
    ERROR = "error", _("错误")
    WARNING = "warning", _("警告")
    INFO = "info", _("提示")
