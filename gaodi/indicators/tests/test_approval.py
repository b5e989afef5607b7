"""Approval: the school submits, the county approves or returns, the city approves; approved
data is locked; taking an approval back needs a reason; every step is on the record."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.indicators import approval
from gaodi.indicators.approval import ApprovalError, State, Step, advance
from gaodi.indicators.collection import ValuesRefused, store_values
from gaodi.indicators.models import DataSet, DataValue, Indicator, Submission
from gaodi.orgs.choices import OrgKind
from gaodi.orgs.models import OrgUnit
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

PASSWORD = "pw-123456"


# The state machine, without a database ---------------------------------------------------


def test_the_happy_path_takes_two_levels() -> None:
    state = advance(State(), Step.SUBMIT, 2)
    assert state == State("submitted", 0)
    state = advance(state, Step.APPROVE, 2)
    assert state == State("approved", 1)
    state = advance(state, Step.APPROVE, 2)
    assert state == State("approved", 2)
    with pytest.raises(ApprovalError, match="已完成全部审核"):
        advance(state, Step.APPROVE, 2)


def test_returning_and_unapproving_need_a_reason_and_the_right_state() -> None:
    submitted = State("submitted", 0)
    with pytest.raises(ApprovalError, match="退回必须写明原因"):
        advance(submitted, Step.RETURN, 2, "  ")
    assert advance(submitted, Step.RETURN, 2, "在校生数与学籍系统不符") == State("returned", 0)
    assert advance(State("returned", 0), Step.SUBMIT, 2) == submitted
    with pytest.raises(ApprovalError, match="已审核的请先撤销审核"):
        advance(State("approved", 1), Step.RETURN, 2, "理由")
    with pytest.raises(ApprovalError, match="撤销审核必须写明原因"):
        advance(State("approved", 2), Step.UNAPPROVE, 2)
    assert advance(State("approved", 2), Step.UNAPPROVE, 2, "市里发现错误") == State("approved", 1)
    assert advance(State("approved", 1), Step.UNAPPROVE, 2, "理由") == submitted
    with pytest.raises(ApprovalError, match="尚未提交"):
        advance(State(), Step.APPROVE, 2)
    with pytest.raises(ApprovalError, match="不能重复提交"):
        advance(submitted, Step.SUBMIT, 2)


def test_who_acts_at_each_step() -> None:
    assert approval.actor_level(Step.SUBMIT, State()) == 0
    assert approval.actor_level(Step.APPROVE, State("submitted", 0)) == 1
    assert approval.actor_level(Step.APPROVE, State("approved", 1)) == 2
    assert approval.actor_level(Step.RETURN, State("submitted", 0)) == 1
    assert approval.actor_level(Step.UNAPPROVE, State("approved", 2)) == 2
    names = ["茌平区", "聊城市"]
    assert approval.describe(State("submitted", 0), names) == "已提交，待茌平区审核"
    assert approval.describe(State("approved", 1), names) == "茌平区已审核，待聊城市审核"
    assert approval.describe(State("approved", 2), names) == "已全部审核（聊城市）"
    assert approval.is_locked("submitted") and not approval.is_locked("returned")


# The flow through the pages, by role -----------------------------------------------------


@pytest.fixture
def setup(db) -> tuple[Plan, OrgUnit, DataSet]:  # type: ignore[no-untyped-def]
    county = ensure_reference_tree(actor=None)
    plan = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    school = OrgUnit.objects.create(
        code="371503-S01", name="职教中心", kind=OrgKind.SCHOOL, parent=county
    )
    create_member("clerk", PASSWORD, role=Role.SCHOOL, actor=None, org_unit=school)
    create_member("county", PASSWORD, role=Role.ADMIN, actor=None, org_unit=county)
    create_member("city", PASSWORD, role=Role.ADMIN, actor=None, org_unit=county.parent)
    create_member("leader", PASSWORD, role=Role.LEADER, actor=None, org_unit=county)
    data_set = DataSet.objects.get(plan=plan, name="师资队伍")
    code = Indicator.objects.get(plan=plan, name="在校生数（中职学校生师比）").code
    store_values(data_set, "2021", {school.pk: {code: Decimal(4888)}}, actor=None, source="测试")
    return plan, school, data_set


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def step(who: str, data_set: DataSet, school: OrgUnit, name: str, comment: str = "") -> str:
    url = f"/indicators/sets/{data_set.pk}/{school.pk}/2021/step/"
    response = signed_in(who).post(url, {"step": name, "comment": comment}, follow=True)
    return response.content.decode()


def status(data_set: DataSet, school: OrgUnit) -> tuple[str, int]:
    found = Submission.objects.get(data_set=data_set, org_unit=school, period="2021")
    return found.status, found.approved_levels


def test_school_submits_county_returns_then_approves_and_city_approves(setup) -> None:  # type: ignore[no-untyped-def]
    plan, school, data_set = setup
    assert "已提交，待茌平区审核" in step("clerk", data_set, school, "submit")
    # Submitted data is locked for the school.
    with pytest.raises(ValuesRefused, match="已锁定"):
        store_values(data_set, "2021", {school.pk: {"i037d": Decimal(1)}}, actor=None, source="x")
    # The city cannot approve in the county's place, the school cannot approve itself.
    assert "您不能进行这一步操作" in step("city", data_set, school, "approve")
    assert "您不能进行这一步操作" in step("clerk", data_set, school, "approve")
    assert status(data_set, school) == ("submitted", 0)
    queue = signed_in("county").get(f"/indicators/plans/{plan.pk}/approvals/").content.decode()
    assert "职教中心" in queue and "待茌平区审核" in queue
    assert "退回必须写明原因" in step("county", data_set, school, "return")
    assert "已退回修改" in step("county", data_set, school, "return", "专任教师数未填")
    store_values(data_set, "2021", {school.pk: {"i037d": Decimal(252)}}, actor=None, source="x")
    step("clerk", data_set, school, "submit")
    assert "茌平区已审核，待聊城市审核" in step("county", data_set, school, "approve")
    assert "已全部审核（聊城市）" in step("city", data_set, school, "approve")
    assert status(data_set, school) == ("approved", 2)
    assert set(DataValue.objects.filter(org_unit=school).values_list("status", flat=True)) == {
        "approved"
    }
    # Only the city may take its approval back, with a reason.
    assert "您不能进行这一步操作" in step("county", data_set, school, "unapprove", "理由")
    assert "撤销审核必须写明原因" in step("city", data_set, school, "unapprove")
    step("city", data_set, school, "unapprove", "复核发现错误")
    assert status(data_set, school) == ("approved", 1)
    steps = (
        ChangeRecord.objects.filter(object_type="indicators.submission")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert [s for s in steps if s != "update" and s != "create"] == [
        "submit",
        "return",
        "submit",
        "approve",
        "approve",
        "unapprove",
    ]


def test_nothing_to_submit_and_a_failing_rule_block_submission(setup) -> None:  # type: ignore[no-untyped-def]
    plan, school, data_set = setup
    other = DataSet.objects.get(plan=plan, name="经费投入")
    url = f"/indicators/sets/{other.pk}/{school.pk}/2021/step/"
    page = signed_in("clerk").post(url, {"step": "submit"}, follow=True).content.decode()
    assert "尚未填报任何数据，不能提交" in page
    assert not Submission.objects.filter(data_set=other, status="submitted").exists()


def test_a_leader_reads_but_cannot_act(setup) -> None:  # type: ignore[no-untyped-def]
    plan, school, data_set = setup
    url = f"/indicators/sets/{data_set.pk}/{school.pk}/2021/"
    assert signed_in("leader").get(url).status_code == 404
    assert signed_in("county").get(url).status_code == 200
