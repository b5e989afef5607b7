"""部门评分: the arithmetic (pure), every point recomputed from the ids it stored, the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from gaodi.demo import DEMO_PASSWORD, set_up_demo
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Assignment, Deadline
from gaodi.supervision import scoring
from gaodi.supervision.board import plan_lights
from gaodi.supervision.models import Cycle, InspectionFinding, ProgressReport
from gaodi.supervision.scorecards import scorecards
from gaodi.supervision.scoring import Component, department_score

DAY = dt.date(2021, 6, 30)

# The arithmetic (pure) ------------------------------------------------------------------


def test_a_component_scores_the_share_passed_and_none_when_nothing_counted() -> None:
    assert Component("a", 1, (1, 2, 3), (1, 2)).score == Decimal("66.7")
    assert Component("a", 1, (), ()).score is None


def test_the_total_is_the_weighted_mean_of_the_components_that_counted_something() -> None:
    components = [
        Component("a", 30, (1, 2), (1, 2)),  # 100
        Component("b", 10, (1, 2), ()),  # 0
        Component("c", 60, (), ()),  # nothing counted: left out
    ]
    total, rows = department_score(components)
    assert total == Decimal("75.0")
    assert [r.used for r in rows] == [True, True, False]
    total, _rows = department_score(components, {"a": 10, "b": 30})
    assert total == Decimal("25.0")


def test_no_total_when_nothing_counted_or_every_weight_is_zero() -> None:
    assert department_score([Component("a", 30, (), ())])[0] is None
    assert department_score([Component("a", 0, (1,), (1,))])[0] is None


def test_the_default_weights_are_the_documented_examples() -> None:
    assert scoring.DEFAULT_WEIGHTS[scoring.REPORTS_ON_TIME] == 30
    assert scoring.DEFAULT_WEIGHTS[scoring.TASKS_ON_SCHEDULE] == 30
    assert scoring.DEFAULT_WEIGHTS[scoring.DEADLINES_MET] == 20
    assert scoring.DEFAULT_WEIGHTS[scoring.FINDINGS_RECTIFIED] == 20
    assert "点击" in (scoring.__doc__ or "") and "登录" in (scoring.__doc__ or "")


# On the demo: every point explained ---------------------------------------------------


@pytest.fixture
def demo(settings):  # type: ignore[no-untyped-def]
    settings.GAODI_TODAY = DAY
    plan, _logins = set_up_demo()
    return plan


def _day(report: ProgressReport) -> dt.date | None:
    return timezone.localdate(report.submitted_at) if report.submitted_at else None


def _recompute(plan, department_id: int, name: str, ids, period_start, as_of) -> tuple[int, ...]:  # type: ignore[no-untyped-def]
    """The ids of `ids` that pass, from the records queried again."""
    leads = set(
        Assignment.objects.filter(
            task__plan=plan, department_id=department_id, role=AssignmentRole.LEAD
        ).values_list("task_id", flat=True)
    )
    passed = []
    if name == scoring.REPORTS_ON_TIME:
        for key in ids:
            if key < 0:  # a pair with no report: never passes
                cycle = Cycle.objects.get(pk=-key)
                assert period_start <= cycle.due_on <= as_of
                continue
            report = ProgressReport.objects.select_related("cycle").get(pk=key)
            assert report.department_id == department_id and report.tier == "lead"
            assert report.task_id in leads
            assert period_start <= report.cycle.due_on <= as_of
            day = _day(report)
            if day is not None and day <= report.cycle.due_on:
                passed.append(key)
    elif name == scoring.TASKS_ON_SCHEDULE:
        assert set(ids) == leads
        red = {r.task.pk for r in plan_lights(plan, as_of) if r.light.colour == "red"}
        passed = [t for t in ids if t not in red]
    elif name == scoring.DEADLINES_MET:
        for deadline in Deadline.objects.filter(pk__in=ids):
            assert deadline.task_id in leads and period_start <= deadline.date <= as_of
            done = ProgressReport.objects.filter(
                task_id=deadline.task_id,
                department_id=department_id,
                tier="lead",
                status="accepted",
                progress="done",
            )
            if any((d := _day(r)) and d <= deadline.date for r in done):
                passed.append(deadline.pk)
    elif name == scoring.FINDINGS_RECTIFIED:
        for finding in InspectionFinding.objects.filter(pk__in=ids):
            assert finding.department_id == department_id
            assert period_start <= finding.deadline <= as_of
            if finding.status == "closed" and finding.closed_on <= finding.deadline:
                passed.append(finding.pk)
    return tuple(passed)


@pytest.mark.django_db
@pytest.mark.parametrize("period_id", ["2021Q2", "2021", "2020"])
def test_every_score_is_recomputed_from_the_ids_it_stored(demo, period_id) -> None:  # type: ignore[no-untyped-def]
    period, as_of, cards = scorecards(demo, period_id, DAY)
    assert cards
    assert any(c.total is not None for c in cards) or period_id == "2020"
    for card in cards:
        weighted, weight_sum = Decimal(0), 0
        for row in card.rows:
            c = row.component
            again = _recompute(demo, card.department.pk, c.name, c.counted_ids, period.start, as_of)
            assert sorted(again) == sorted(c.passed_ids), (card.department.name, c.name)
            if c.counted_ids and row.weight:
                weighted += Decimal(100 * len(again)) / len(c.counted_ids) * row.weight
                weight_sum += row.weight
        if weight_sum:
            assert abs(card.total - weighted / weight_sum) < Decimal("0.1")
        else:
            assert card.total is None
        missing = [k for k in card.rows[0].component.counted_ids if k < 0]
        assert len(missing) == len(card.missing)


@pytest.mark.django_db
def test_the_ranking_is_by_total_then_name(demo) -> None:  # type: ignore[no-untyped-def]
    _period, _as_of, cards = scorecards(demo, "2021Q2", DAY)
    scored = [c for c in cards if c.total is not None]
    assert [c.rank for c in scored] == list(range(1, len(scored) + 1))
    keys = [(-c.total, c.department.name) for c in scored]
    assert keys == sorted(keys)
    education = next(c for c in cards if c.department.name == "区教育和体育局")
    reports = education.rows[0].component
    assert reports.name == scoring.REPORTS_ON_TIME and reports.counted > 0


# The page -------------------------------------------------------------------------------


def _get(username: str, plan, query: str = "?period=2021Q2"):  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client.get(f"/supervision/plans/{plan.pk}/scores/{query}")


@pytest.mark.django_db
def test_the_work_team_sees_every_department_ranked(demo) -> None:  # type: ignore[no-untyped-def]
    page = _get("zhuanban", demo)
    assert page.status_code == 200
    html = page.content.decode()
    assert "部门评分" in html and "示例" in html and "区教育和体育局" in html
    assert "进展报告按时报送" in html
    for username in ("lingdao", "ducha"):
        assert _get(username, demo).status_code == 200


@pytest.mark.django_db
def test_a_liaison_sees_its_own_row_only_and_others_get_404(demo) -> None:  # type: ignore[no-untyped-def]
    _period, _as_of, cards = scorecards(demo, "2021Q2", DAY)
    names = [c.department.name for c in cards]
    html = _get("jiaoti", demo).content.decode()
    assert "区教育和体育局" in html
    others = [n for n in names if n != "区教育和体育局" and n not in "区教育和体育局"]
    assert all(f'<th scope="row">{n}</th>' not in html for n in others)
    assert _get("xuexiao", demo).status_code == 404


@pytest.mark.django_db
def test_a_bad_period_says_so(demo) -> None:  # type: ignore[no-untyped-def]
    html = _get("zhuanban", demo, "?period=2021Q5").content.decode()
    assert "写法不对" in html
