"""Data sets as seeded from the plan, and what the work team may change: windows and the
tasks an indicator measures (each change on the record)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.audit.models import ChangeRecord
from gaodi.indicators.models import DataSet, Indicator, ReportingWindow
from gaodi.orgs.services import ensure_reference_tree
from gaodi.plans.models import Plan
from gaodi.plans.parsing import example_plan_path, parse_path
from gaodi.plans.services import import_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan() -> Plan:
    county = ensure_reference_tree(actor=None)
    imported = import_plan(parse_path(example_plan_path()), actor=None, org_unit=county)
    create_member("admin", "pw", role=Role.ADMIN, actor=None, org_unit=county)
    create_member("leader", "pw", role=Role.LEADER, actor=None, org_unit=county)
    return imported


def client(username: str) -> Client:
    found = Client()
    assert found.login(username=username, password="pw")
    return found


def test_one_data_set_per_table_with_its_rules_and_windows(plan: Plan) -> None:
    names = list(plan.data_sets.values_list("name", flat=True))
    assert names == ["规模与布局", "专业布局", "师资队伍", "实训基地", "经费投入", "社会培训"]
    teachers = DataSet.objects.get(plan=plan, name="师资队伍")
    compare = {(r.left, r.operator, r.right) for r in teachers.rules.filter(kind="compare")}
    assert ("i039n", "<=", "i039d") in compare and ("i039d", "<=", "i037d") in compare
    assert ("i035", "<=", "i034") in compare
    assert teachers.rules.filter(kind="outlier", severity="warning").exists()
    windows = {w.period: (w.opens_on, w.closes_on) for w in teachers.windows.all()}
    assert windows["2021"] == (dt.date(2021, 6, 1), dt.date(2022, 3, 31))
    every = set(plan.indicators.values_list("code", flat=True))
    collected = set(Indicator.objects.filter(data_sets__plan=plan).values_list("code", flat=True))
    assert collected == every  # every indicator is on exactly one form
    page = client("leader").get(f"/indicators/sets/{teachers.pk}/").content.decode()
    assert "〔“双师型”教师数（中职学校“双师型”教师比例）〕 &lt;= " in page
    assert "示例" in page and "保存填报期" not in page


def test_the_work_team_moves_a_window_and_it_is_on_record(plan: Plan) -> None:
    teachers = DataSet.objects.get(plan=plan, name="师资队伍")
    url = f"/indicators/sets/{teachers.pk}/"
    bad = client("admin").post(
        url, {"period": "2020", "opens_on": "2021-07-01", "closes_on": "2021-06-01"}
    )
    assert "截止日期不能早于开始日期" in bad.content.decode()
    assert client("leader").post(url, {"period": "2020"}).status_code == 404
    client("admin").post(
        url, {"period": "2020", "opens_on": "2021-06-01", "closes_on": "2021-07-15"}
    )
    window = ReportingWindow.objects.get(data_set=teachers, period="2020")
    assert window.closes_on == dt.date(2021, 7, 15)
    record = ChangeRecord.objects.filter(object_type="indicators.reportingwindow").get()
    assert record.before == {"opens_on": "2020-06-01", "closes_on": "2021-03-31"}


def test_the_work_team_edits_the_tasks_an_indicator_measures(plan: Plan) -> None:
    dual = Indicator.objects.get(plan=plan, code="i039")
    assert list(dual.tasks.values_list("number", flat=True)) == [14]
    training = plan.tasks.get(number=7)
    url = f"/indicators/{dual.pk}/"
    assert "重点任务（十四）" in client("leader").get(url).content.decode()
    assert client("leader").post(url, {"tasks": [training.pk]}).status_code == 404
    client("admin").post(
        url, {"tasks": [training.pk, plan.tasks.get(number=14).pk], "kind": "stock"}
    )
    assert sorted(dual.tasks.values_list("number", flat=True)) == [7, 14]
    record = ChangeRecord.objects.filter(object_type="indicators.indicator").get()
    assert record.before["tasks"] == [14] and record.after["tasks"] == [7, 14]
