"""供求预测参数: the district saves its own version; the nearest place's set in force wins, and a
version takes effect on its date only."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from django.urls import reverse

from gaodi.audit.models import ChangeRecord
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.services import ensure_org_unit
from gaodi.plans.models import Plan
from gaodi.specialties.models import SupplyDemandParameters
from gaodi.specialties.supply_demand import AVERAGE_CHANGE, LINEAR
from gaodi.specialties.supply_demand_queries import parameters_in_force
from tests.helpers import client_of

pytestmark = pytest.mark.django_db


def url(plan: Plan) -> str:
    return reverse("specialties:supply_parameters", args=[plan.pk])


def data(**changes: str) -> dict[str, Any]:
    return {
        "name": "茌平区供求预测参数",
        "effective_from": "2022-01-01",
        "method": AVERAGE_CHANGE,
        "window": "4",
        "min_history": "2",
        "horizon": "1",
        "programme_years": "3",
        "bulletin_prefix": "茌平职教供求",
        "source": "茌平区教育和体育局（测试）",
        **changes,
    }


def test_the_page_shows_the_built_in_example_set_in_force(plan: Plan) -> None:
    text = client_of("lingdao").get(url(plan)).content.decode()
    assert "今日施行：茌平区供求预测参数（示例）" in text and "示例" in text
    assert "保存新版本" not in text  # the leader reads only


def test_a_new_version_applies_from_its_date_only_and_to_its_place(plan: Plan) -> None:
    before = ChangeRecord.objects.count()
    response = client_of("zhuanban").post(url(plan), data(), follow=True)
    assert "已保存供求预测参数“茌平区供求预测参数”第 1 版，2022-01-01 起施行" in (
        response.content.decode()
    )
    saved = SupplyDemandParameters.objects.get(owner=plan.org_unit)
    assert (saved.code, saved.version) == ("supply-demand-371503", 1)
    assert ChangeRecord.objects.count() == before + 1
    county = plan.org_unit
    assert parameters_in_force(dt.date(2021, 12, 31), county).method == LINEAR  # type: ignore[union-attr]
    later = parameters_in_force(dt.date(2022, 1, 1), county)
    assert later is not None and (later.method, later.window) == (AVERAGE_CHANGE, 4)
    other = ensure_org_unit("371502", "东昌府区", OrgKind.COUNTY, county.parent, actor=None)
    assert parameters_in_force(dt.date(2022, 1, 1), other).method == LINEAR  # type: ignore[union-attr]
    client_of("zhuanban").post(url(plan), data(window="5"))
    assert SupplyDemandParameters.objects.get(owner=county, version=2).parameters["window"] == 5


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"min_history": "4", "window": "3"}, "最少历史年数须在 1 与所用年数之间"),
        ({"window": "0"}, "确保该值大于或等于1"),
    ],
)
def test_bad_parameters_are_refused_and_nothing_is_saved(
    plan: Plan, changes: dict[str, str], problem: str
) -> None:
    before = SupplyDemandParameters.objects.count(), ChangeRecord.objects.count()
    text = client_of("zhuanban").post(url(plan), data(**changes), follow=True).content.decode()
    assert problem in text
    assert (SupplyDemandParameters.objects.count(), ChangeRecord.objects.count()) == before


@pytest.mark.parametrize("username", ["lingdao", "ducha", "xuexiao"])
def test_only_the_work_team_saves_a_version(plan: Plan, username: str) -> None:
    assert client_of(username).post(url(plan), data()).status_code == 404
    assert not SupplyDemandParameters.objects.filter(owner__isnull=False).exists()


def test_with_the_built_in_set_each_place_numbers_bulletins_under_its_own_name() -> None:
    from gaodi.orgs.models import OrgUnit
    from gaodi.specialties.supply_demand import example_parameters
    from gaodi.specialties.supply_demand_services import bulletin_prefix

    built_in = example_parameters()
    assert bulletin_prefix(built_in, OrgUnit(name="茌平区")) == "茌平职教供求"
    assert bulletin_prefix(built_in, OrgUnit(name="东昌府区")) == "东昌府职教供求"
    assert bulletin_prefix(built_in, OrgUnit(name="莘县")) == "莘县职教供求"  # two characters kept
    own = replace(built_in, code="supply-demand-371502", bulletin_prefix="东昌府区供求")
    assert bulletin_prefix(own, OrgUnit(name="东昌府区")) == "东昌府区供求"


def test_a_new_version_may_not_take_effect_before_the_latest(plan: Plan) -> None:
    client_of("zhuanban").post(url(plan), data())  # 2022-01-01
    text = client_of("zhuanban").post(url(plan), data(effective_from="2021-07-01"), follow=True)
    assert "施行日期不能早于第 1 版的施行日期 2022-01-01" in text.content.decode()
    assert SupplyDemandParameters.objects.filter(owner=plan.org_unit).count() == 1
