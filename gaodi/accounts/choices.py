from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("工作专班")
    LEADER = "leader", _("领导小组")
    DEPARTMENT = "department", _("部门联络员")
    INSPECTOR = "inspector", _("督查督导")
    SCHOOL = "school", _("学校填报员")
    ENTERPRISE = "enterprise", _("企业")
    LEARNER = "learner", _("学习者")


class InspectorScope(models.TextChoices):
    INSPECTION = "inspection", _("督查（区委督查室，每季度）")
    DISPATCH = "dispatch", _("调度（区政府教育督导室，每两个月）")
