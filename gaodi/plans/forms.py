"""Forms of the plan pages: the task filters and the fixes of the review screen."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gaodi.orgs.models import Department

from .choices import AssignmentRole
from .models import Plan, Section, Task


class TaskFilterForm(forms.Form):
    """Filter tasks by department, its role, part of the plan, deadline and words."""

    department = forms.ModelChoiceField(
        label=_("部门"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("全部部门"),
    )
    role = forms.ChoiceField(
        label=_("职责"),
        required=False,
        choices=[
            ("", _("牵头或配合")),
            (AssignmentRole.LEAD, _("牵头")),
            (AssignmentRole.COOP, _("配合")),
        ],
    )
    section = forms.ModelChoiceField(
        label=_("部分"), queryset=Section.objects.none(), required=False, empty_label=_("全部")
    )
    due_before = forms.DateField(
        label=_("时限不晚于"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        named = Department.objects.filter(assignments__task__plan=plan).distinct().order_by("name")
        self.fields["department"].queryset = named  # type: ignore[attr-defined]
        self.fields["section"].queryset = plan.sections.all()  # type: ignore[attr-defined]


class DeadlineFixForm(forms.Form):
    """A corrected deadline, with the reason (kept in the change record)."""

    date = forms.DateField(
        label=_("正确的时限"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("请填写日期"), "invalid": _("日期格式应为 2021-06-30")},
    )
    reason = forms.CharField(
        label=_("修改理由"), max_length=200, error_messages={"required": _("请写明修改理由")}
    )


class RowLinkForm(forms.Form):
    """The body tasks a task-list row restates."""

    tasks = forms.ModelMultipleChoiceField(
        label=_("对应任务"),
        queryset=Task.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("修改理由"), max_length=200, error_messages={"required": _("请写明修改理由")}
    )

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].queryset = plan.tasks.select_related("section")  # type: ignore[attr-defined]


class TargetFixForm(forms.Form):
    """The governing value of a target."""

    value = forms.DecimalField(
        label=_("正确的数值"),
        max_digits=20,
        decimal_places=6,
        error_messages={"required": _("请填写数值"), "invalid": _("请填写数字")},
    )
    reason = forms.CharField(
        label=_("修改理由"), max_length=200, error_messages={"required": _("请写明修改理由")}
    )


class DepartmentsForm(forms.Form):
    """A task's lead and cooperating departments, chosen among the plan's departments."""

    lead = forms.ModelMultipleChoiceField(
        label=_("牵头单位"),
        queryset=Department.objects.none(),
        error_messages={"required": _("至少选择一个牵头单位")},
    )
    coop = forms.ModelMultipleChoiceField(
        label=_("配合单位"), queryset=Department.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("修改理由"), max_length=200, error_messages={"required": _("请写明修改理由")}
    )

    def __init__(self, plan: Plan, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = Department.objects.filter(org_unit=plan.org_unit).order_by("collective", "name")
        self.fields["lead"].queryset = choices  # type: ignore[attr-defined]
        self.fields["coop"].queryset = choices  # type: ignore[attr-defined]


class GoverningValueForm(forms.Form):
    """Which of the places stating one target governs."""

    choice = forms.IntegerField(
        label=_("以哪一处为准"), min_value=0, error_messages={"required": _("请选择以哪一处为准")}
    )
    reason = forms.CharField(
        label=_("理由"), max_length=200, error_messages={"required": _("请写明理由")}
    )
