"""The rule-set form: the district defines its own 专业预警 rule set, or a new version of it.

One form for the set (编号, 名称, 施行日期, 依据) and a formset of rules, one row each
(rule_sets.fields_of_rule / rule_from_fields turn a row into a warning.Rule and back)."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .rule_sets import MAX_CONDITIONS
from .supply_demand import METHOD_LABELS
from .warning import (
    CONSEQUENCE_LABELS,
    CONSEQUENCES,
    DEFAULT_MIN_PEERS,
    METRIC_LABELS,
    METRICS,
)

CODE = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{1,58}$", _("编号只能用小写字母、数字和连字符，2–59 个字符")
)
LEVEL_CHOICES = [("中职", _("中职")), ("高职", _("高职")), ("", _("各层次"))]
COMPARATOR_CHOICES = [("", "—"), ("<", "<"), ("<=", "≤"), ("==", "="), (">", ">"), (">=", "≥")]
METRIC_CHOICES = [("", _("（不用）")), *((m, METRIC_LABELS[m]) for m in METRICS)]
CONSEQUENCE_CHOICES = [(c, CONSEQUENCE_LABELS[c]) for c in CONSEQUENCES]
MATCH_CHOICES = [("all", _("各条件同时成立")), ("any", _("任一条件成立"))]
TIES_CHOICES = [("best", _("并列取较好位次")), ("worst", _("并列取较差位次"))]


class RuleSetForm(forms.Form):
    code = forms.CharField(
        label=_("规则集编号"),
        max_length=59,
        validators=[CODE],
        help_text=_("如 chiping-2021；修订本地规则集时沿用原编号，保存为新版本"),
    )
    name = forms.CharField(label=_("名称"), max_length=200)
    effective_from = forms.DateField(
        label=_("施行日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("按评估年份 12 月 31 日施行中的最高版本计算；已算出的结果保留原版本号"),
    )
    source = forms.CharField(
        label=_("依据（文件名称、文号和条款）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("不填则标为“示例”"),
    )
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class RuleForm(forms.Form):
    code = forms.CharField(label=_("规则编号"), max_length=60)
    name = forms.CharField(label=_("规则名称"), max_length=200)
    level = forms.ChoiceField(label=_("层次"), choices=LEVEL_CHOICES, required=False)
    match = forms.ChoiceField(label=_("条件组合"), choices=MATCH_CHOICES, initial="all")
    consecutive_years = forms.IntegerField(
        label=_("连续年数"), min_value=1, max_value=10, initial=1
    )
    consequence = forms.ChoiceField(label=_("处理结果"), choices=CONSEQUENCE_CHOICES)
    min_peers = forms.IntegerField(
        label=_("位次：最少同类专业数"),
        min_value=1,
        max_value=1000,
        initial=DEFAULT_MIN_PEERS,
        required=False,
    )
    ties = forms.ChoiceField(
        label=_("位次：并列处理"), choices=TIES_CHOICES, initial="best", required=False
    )
    exempt_classes = forms.CharField(
        label=_("豁免专业类别（用顿号分隔）"), max_length=200, required=False
    )
    protect_new_years = forms.IntegerField(
        label=_("新设专业保护年数"), min_value=0, max_value=10, initial=0, required=False
    )
    missing_breaks_run = forms.BooleanField(
        label=_("缺报年份中断连续"), required=False, initial=True
    )
    source = forms.CharField(
        label=_("本条依据"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    consequence_text = forms.CharField(label=_("原文处理措辞"), max_length=200, required=False)
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    examples = forms.CharField(widget=forms.HiddenInput, required=False)

    def has_changed(self) -> bool:
        """The blank row the form offers counts as filled in only when it is given a code, a
        name or a condition: its preset choices (条件组合, 连续年数...) alone are ignored."""
        keys = ("code", "name", "metric1", "threshold1", "metric2", "threshold2")
        return any(str(self.data.get(self.add_prefix(key), "")).strip() for key in keys)


def _condition_fields(ordinal: str) -> dict[str, forms.Field]:
    return {
        "metric": forms.ChoiceField(
            label=format_lazy(_("条件{n}：指标"), n=ordinal), choices=METRIC_CHOICES, required=False
        ),
        "comparator": forms.ChoiceField(
            label=format_lazy(_("条件{n}：比较"), n=ordinal),
            choices=COMPARATOR_CHOICES,
            required=False,
        ),
        "threshold": forms.DecimalField(
            label=format_lazy(_("条件{n}：阈值"), n=ordinal),
            max_digits=10,
            decimal_places=2,
            required=False,
        ),
    }


# metric1, comparator1, threshold1, metric2, ... (rule_sets.MAX_CONDITIONS of them)
for _index, _ordinal in enumerate(("一", "二"), start=1):
    for _name, _field in _condition_fields(_ordinal).items():
        RuleForm.base_fields[f"{_name}{_index}"] = _field
assert _index == MAX_CONDITIONS
# What the rule tests first, then how it runs, then exemptions and the source.
RuleForm.field_order = [
    "code",
    "name",
    "level",
    "consequence",
    "metric1",
    "comparator1",
    "threshold1",
    "match",
    "metric2",
    "comparator2",
    "threshold2",
    "consecutive_years",
    "min_peers",
    "ties",
    "missing_breaks_run",
    "exempt_classes",
    "protect_new_years",
    "consequence_text",
    "source",
    "note",
]

RuleFormSet = forms.formset_factory(
    RuleForm, extra=1, can_delete=True, max_num=20, validate_max=True
)


class SupplyParametersForm(forms.Form):
    """A new version of the place's 供求预测 parameter set (supply_demand.Parameters)."""

    name = forms.CharField(label=_("名称"), max_length=200)
    effective_from = forms.DateField(
        label=_("施行日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("此日起的计算和发布用新版本；已发布的供求信息保留原版本"),
    )
    method = forms.ChoiceField(label=_("预测方法"), choices=list(METHOD_LABELS.items()))
    window = forms.IntegerField(label=_("预测所用年数"), min_value=1, max_value=10)
    min_history = forms.IntegerField(label=_("最少历史年数"), min_value=1, max_value=10)
    horizon = forms.IntegerField(label=_("预测提前年数"), min_value=1, max_value=5)
    programme_years = forms.IntegerField(
        label=_("学制年数（推算毕业生）"), min_value=1, max_value=6
    )
    bulletin_prefix = forms.CharField(label=_("发布文号前缀"), max_length=30)
    source = forms.CharField(
        label=_("依据（文件名称、文号和条款）"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("不填则标为“示例”"),
    )
