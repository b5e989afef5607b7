from django.db import models
from django.utils.translation import gettext_lazy as _


class ValueType(models.TextChoices):
    NUMBER = "number", _("数值")
    RATIO = "ratio", _("比值")
    PERCENTAGE = "percentage", _("百分比")


class TimeBasis(models.TextChoices):
    NATURAL_YEAR = "natural_year", _("自然年")
    SCHOOL_YEAR = "school_year", _("学年")
    POINT = "point", _("时点")


class Kind(models.TextChoices):
    STOCK = "stock", _("存量（取期末值）")
    FLOW = "flow", _("流量（累加）")


class Aggregation(models.TextChoices):
    SUM = "sum", _("求和")
    FORMULA = "formula", _("由组成部分重算")
    NONE = "none", _("不汇总")
