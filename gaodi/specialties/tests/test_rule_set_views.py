"""The district defines its own rule set on the demo: the form, new versions, who may, and
what a saved set changes (only what is computed with it afterwards)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from gaodi.audit.models import ChangeRecord
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.plans.models import Plan
from gaodi.specialties.models import RuleSetVersion, WarningResult
from gaodi.specialties.services import save_rule_set
from gaodi.specialties.warning import RuleSet
from tests.helpers import client_of

pytestmark = pytest.mark.django_db


def form_data(code: str = "chiping-2021", **rule: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": code,
        "name": "茌平区中职专业预警（区定）",
        "effective_from": "2021-09-01",
        "source": "茌平区教育和体育局 2021 年通知（测试）",
        "note": "",
        "rules-TOTAL_FORMS": "2",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "20",
        "rules-0-code": "enrol-20",
        "rules-0-name": "招生不足20人",
        "rules-0-level": "中职",
        "rules-0-match": "all",
        "rules-0-consecutive_years": "2",
        "rules-0-consequence": "warn",
        "rules-0-metric1": "enrolment",
        "rules-0-comparator1": "<",
        "rules-0-threshold1": "20",
        "rules-0-missing_breaks_run": "on",
        # the second row is the blank one the form offers: left empty, it is ignored
    }
    data.update({f"rules-0-{key}": value for key, value in rule.items()})
    return data


def new_url(plan: Plan) -> str:
    return reverse("specialties:rule_set_new", args=[plan.pk])


def test_the_list_shows_every_set_in_words_with_its_basis_and_example_label(plan: Plan) -> None:
    html = client_of("zhuanban").get(reverse("specialties:rule_sets", args=[plan.pk])).content
    text = html.decode()
    assert "中职专业招生 &lt; 30 人，连续 3 年 → 调减" in text
    assert "福建省教育厅" in text and "示例" in text
    assert "以此为底稿新建本地规则集" in text  # the work team may copy a preset


def test_a_preset_copied_into_the_form_keeps_its_rules_but_not_its_code(plan: Plan) -> None:
    response = client_of("zhuanban").get(new_url(plan) + "?from=chiping-example")
    form = response.context["form"]
    assert form.initial["code"] == ""  # a preset is never continued under its own code
    rows = response.context["formset"].initial
    assert [r["code"] for r in rows] == [
        r.code
        for r in RuleSet.from_json(RuleSetVersion.objects.get(code="chiping-example").rules).rules
    ]


def test_the_work_team_saves_a_set_then_a_new_version_each_with_a_record(plan: Plan) -> None:
    client = client_of("zhuanban")
    before = ChangeRecord.objects.count()
    response = client.post(new_url(plan), form_data())
    assert response.status_code == 302
    first = RuleSetVersion.objects.get(code="chiping-2021")
    assert (first.version, first.owner_id) == (1, plan.org_unit_id)
    assert ChangeRecord.objects.count() == before + 1
    # the saved set is offered on the warnings page and continues under its code
    form = client.get(new_url(plan) + "?from=chiping-2021").context["form"]
    assert form.initial["code"] == "chiping-2021"
    client.post(new_url(plan), form_data(**{"threshold1": "25"}))
    second = RuleSetVersion.objects.get(code="chiping-2021", version=2)
    assert RuleSet.from_json(second.rules).rules[0].conditions[0].threshold == 25
    page = client.get(reverse("specialties:warnings", args=[plan.pk])).content.decode()
    assert "chiping-2021" in page and "第 2 版" in page


def test_a_saved_set_judges_only_when_recomputed_and_results_keep_their_version(
    plan: Plan,
) -> None:
    client = client_of("zhuanban")
    client.post(new_url(plan), form_data())
    recompute = reverse("specialties:recompute", args=[plan.pk])
    client.post(recompute, {"rule_set": "chiping-2021", "year": "2021"})
    results = WarningResult.objects.filter(plan=plan, rule_set_code="chiping-2021", as_of_year=2021)
    assert {r.rule_set_version for r in results} == {1}
    flagged = {r.specialty.name: r.consequence for r in results if r.consequence}
    assert flagged == {"旅游服务与管理": "warn"}  # enrolment 18 and 12 (< 20) two years running
    # a stricter version effective in 2022 leaves the 2021 results as they were
    client.post(
        new_url(plan), form_data(**{"threshold1": "200"}) | {"effective_from": "2022-01-01"}
    )
    client.post(recompute, {"rule_set": "chiping-2021", "year": "2021"})
    again = WarningResult.objects.filter(plan=plan, rule_set_code="chiping-2021", as_of_year=2021)
    assert {r.rule_set_version for r in again} == {1}
    assert {r.specialty.name for r in again if r.consequence} == {"旅游服务与管理"}


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (form_data(code="chiping-example"), "已被预置规则集使用"),
        (form_data(**{"threshold1": ""}), "阈值"),
        (form_data(code="Bad Code!"), "编号只能用小写字母"),
        (form_data(**{"consecutive_years": "0"}), "确保该值大于或等于1"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(
    plan: Plan, data: dict[str, Any], problem: str
) -> None:
    before = (RuleSetVersion.objects.count(), ChangeRecord.objects.count())
    response = client_of("zhuanban").post(new_url(plan), data, follow=True)
    assert problem in response.content.decode()
    assert (RuleSetVersion.objects.count(), ChangeRecord.objects.count()) == before


@pytest.mark.parametrize("username", ["lingdao", "ducha", "xuexiao", "jiaoti"])
def test_only_the_work_team_may_open_or_post_the_form(plan: Plan, username: str) -> None:
    client = client_of(username)
    assert client.get(new_url(plan)).status_code == 404
    assert client.post(new_url(plan), form_data()).status_code == 404
    assert not RuleSetVersion.objects.filter(code="chiping-2021").exists()


def test_another_countys_set_is_neither_offered_nor_usable_here(plan: Plan) -> None:
    other = ensure_org_unit("371502", "东昌府区", OrgKind.COUNTY, plan.org_unit.parent, actor=None)
    foreign = RuleSet.from_json(RuleSetVersion.objects.get(code="chiping-example").rules)
    save_rule_set(
        RuleSet.from_json({**foreign.to_json(), "code": "dongchangfu-2021"}),
        actor=None,
        owner=other,
    )
    client = client_of("zhuanban")
    assert (
        "dongchangfu-2021"
        not in client.get(reverse("specialties:rule_sets", args=[plan.pk])).content.decode()
    )
    client.post(
        reverse("specialties:recompute", args=[plan.pk]),
        {"rule_set": "dongchangfu-2021", "year": "2021"},
    )
    assert not WarningResult.objects.filter(rule_set_code="dongchangfu-2021").exists()
    # and its code cannot be taken over by this county
    response = client.post(new_url(plan), form_data(code="dongchangfu-2021"), follow=True)
    assert "已被其他地方使用" in response.content.decode()


def test_the_api_lists_every_version_with_its_rules_in_words_and_owner(plan: Plan) -> None:
    client = client_of("zhuanban")
    client.post(new_url(plan), form_data())
    found = client.get(f"/api/v1/plans/{plan.pk}/specialty-rule-sets").json()
    ours = next(r for r in found if r["code"] == "chiping-2021")
    assert (ours["version"], ours["owner"], ours["example"]) == (1, "茌平区", False)
    assert ours["rules"][0]["text"] == "中职专业招生 < 20 人，连续 2 年 → 预警；缺报年份中断连续"
    example = next(r for r in found if r["code"] == "chiping-example")
    assert example["example"] is True and example["owner"] is None


def test_a_new_version_may_not_take_effect_before_the_latest(plan: Plan) -> None:
    client = client_of("zhuanban")
    client.post(new_url(plan), form_data())  # 2021-09-01
    response = client.post(
        new_url(plan), form_data() | {"effective_from": "2021-01-01"}, follow=True
    )
    assert "施行日期不能早于第 1 版的施行日期 2021-09-01" in response.content.decode()
    assert RuleSetVersion.objects.filter(code="chiping-2021").count() == 1
