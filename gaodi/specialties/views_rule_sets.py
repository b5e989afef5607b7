"""专业预警规则集 pages: the rule sets a plan's place may judge by, every version with its rules in
words and its 依据, and the form on which the district defines its own set or a new version of
it (issue 7 §1: "let the district define its own").

Who: the list is read by whoever reads the 专业预警 page (queries.visible_schools: the work
team, leaders and inspectors of the place, a school's clerk; anyone else 404). The form is the
work team's of the place (Action.REVIEW); anyone else gets the same 404. A preset is never
changed: copying it needs a new 编号; the place's own set gets a new version under its 编号.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gaodi.accounts.gate import Action, can

from .forms import RuleFormSet, RuleSetForm
from .models import RuleSetVersion
from .queries import is_example, latest_rule_sets, rule_set_history, visible_schools
from .rule_sets import build_rule_set, describe, fields_of_rule, next_version
from .services import Refused, save_rule_set
from .views import visible_plan
from .warning import RuleError, RuleSet


@login_required
def rule_sets(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    visible_schools(request.user, plan)  # the same readers as the 专业预警 page
    entries = []
    for version in rule_set_history(plan):
        rule_set = RuleSet.from_json(version.rules)
        entries.append(
            {
                "version": version,
                "example": is_example(version),
                "rules": [(rule, describe(rule)) for rule in rule_set.rules],
                "note": rule_set.note,
            }
        )
    return render(
        request,
        "specialties/rule_sets.html",
        {
            "plan": plan,
            "entries": entries,
            "may_define": can(request.user, Action.REVIEW, plan.org_unit_id),
        },
    )


@login_required
def rule_set_new(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the form, filled from `?from=<编号>` (the latest version of a usable set) or
    empty. POST: the new set or version, saved whole (services.save_rule_set) or not at all,
    every problem listed."""
    plan = visible_plan(request, pk)
    if not can(request.user, Action.REVIEW, plan.org_unit_id):
        raise Http404
    usable = {version.code: version for version in latest_rule_sets(plan)}
    if request.method == "POST":
        form = RuleSetForm(request.POST)
        formset = RuleFormSet(request.POST, prefix="rules")
        if form.is_valid() and formset.is_valid():
            saved = _save(request, plan, form.cleaned_data, formset)
            if saved is not None:
                messages.success(
                    request,
                    _(
                        "已保存规则集“{name}”（{code} 第 {version} 版，{date} 起施行）。"
                        "到专业预警页选择它并点“重新计算”即按新版本计算，已算出的结果不变。"
                    ).format(
                        name=saved.name,
                        code=saved.code,
                        version=saved.version,
                        date=saved.effective_from.isoformat(),
                    ),
                )
                return redirect("specialties:rule_sets", pk)
    else:
        source = usable.get(request.GET.get("from", ""))
        form, formset = _initial(plan, source)
    return render(
        request,
        "specialties/rule_set_form.html",
        {"plan": plan, "form": form, "formset": formset},
    )


def _initial(plan: Any, source: RuleSetVersion | None) -> tuple[RuleSetForm, Any]:
    if source is None:
        return RuleSetForm(), RuleFormSet(prefix="rules")
    rule_set = RuleSet.from_json(source.rules)
    own = source.owner_id == plan.org_unit_id
    header = {
        # the place's own set continues under its code; a preset or a set from above is copied
        "code": source.code if own else "",
        "name": rule_set.name
        if own
        else _("{name}（{place}修订）").format(name=rule_set.name, place=plan.org_unit.name),
        "source": rule_set.source if own else "",
        "note": rule_set.note,
    }
    rows = [fields_of_rule(rule) for rule in rule_set.rules]
    return RuleSetForm(initial=header), RuleFormSet(prefix="rules", initial=rows)


def _save(
    request: HttpRequest, plan: Any, header: dict[str, Any], formset: Any
) -> RuleSetVersion | None:
    rows = [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]
    versions = list(
        RuleSetVersion.objects.filter(code=header["code"]).values_list("version", flat=True)
    )
    try:
        rule_set = build_rule_set(
            code=header["code"],
            name=header["name"],
            version=next_version(versions),
            effective_from=header["effective_from"],
            source=header["source"],
            note=header["note"],
            rows=rows,
        )
        return save_rule_set(rule_set, actor=request.user, owner=plan.org_unit)
    except (RuleError, Refused) as problem:
        messages.error(request, _("未保存：{problem}").format(problem=problem))
        return None
