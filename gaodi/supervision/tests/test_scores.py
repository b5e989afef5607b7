"""部门评分: the arithmetic (pure), every point recomputed from the ids it stored, the page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from gaodi.audit.models import ChangeRecord
from gaodi.demo import DEMO_PASSWORD, set_up_demo
from gaodi.indicators.attainment import Goal, attainment
from gaodi.indicators.dashboard import unit_value
from gaodi.indicators.models import DataValue, Indicator, TargetValue
from gaodi.plans.choices import AssignmentRole
from gaodi.plans.models import Assignment, Deadline
from gaodi.supervision import scoring
from gaodi.supervision.board import plan_lights
from gaodi.supervision.handover import Refused
from gaodi.supervision.models import Cycle, InspectionFinding, ProgressReport, ScoreWeight
from gaodi.supervision.score_weights import set_weights, weights_of
from gaodi.supervision.scorecards import scorecards
from gaodi.supervision.scoring import Component, WeightError, check_weights, department_score

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
    assert scoring.DEFAULT_WEIGHTS == {
        scoring.REPORTS_ON_TIME: 25,
        scoring.TASKS_ON_SCHEDULE: 25,
        scoring.DEADLINES_MET: 20,
        scoring.FINDINGS_RECTIFIED: 15,
        scoring.INDICATORS_ATTAINED: 15,
    }
    assert all(weight > 0 for weight in scoring.DEFAULT_WEIGHTS.values())
    assert "点击" in (scoring.__doc__ or "") and "登录" in (scoring.__doc__ or "")


def test_weights_are_whole_numbers_from_0_to_100_with_one_above_0() -> None:
    given = {**scoring.DEFAULT_WEIGHTS, scoring.DEADLINES_MET: "40", scoring.FINDINGS_RECTIFIED: 0}
    checked = check_weights(given)
    assert checked[scoring.DEADLINES_MET] == 40 and checked[scoring.FINDINGS_RECTIFIED] == 0
    assert list(checked) == list(scoring.DEFAULT_WEIGHTS)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("101", "“任务时限按期完成”的权重须为 0 到 100 的整数"),
        (-1, "须为 0 到 100 的整数"),
        ("2.5", "须为 0 到 100 的整数"),
        ("", "须为 0 到 100 的整数"),
        ("２０", "须为 0 到 100 的整数"),  # full-width digits: say so rather than guess
        (True, "须为 0 到 100 的整数"),
    ],
)
def test_a_bad_weight_is_refused_in_chinese(bad: object, message: str) -> None:
    with pytest.raises(WeightError, match=message):
        check_weights({**scoring.DEFAULT_WEIGHTS, scoring.DEADLINES_MET: bad})


def test_all_weights_zero_or_an_unknown_component_is_refused() -> None:
    with pytest.raises(WeightError, match="至少要有一项权重大于 0"):
        check_weights(dict.fromkeys(scoring.DEFAULT_WEIGHTS, 0))
    with pytest.raises(WeightError, match="没有名为“clicks”的评分项"):
        check_weights({**scoring.DEFAULT_WEIGHTS, "clicks": 10})


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
    elif name == scoring.INDICATORS_ATTAINED:
        assert len(set(ids)) == len(ids)
        for indicator in Indicator.objects.filter(pk__in=ids):
            if _indicator_met(plan, indicator, leads, period_start.year):
                passed.append(indicator.pk)
    return tuple(passed)


def _indicator_met(plan, indicator: Indicator, leads: set[int], year: int) -> bool:  # type: ignore[no-untyped-def]
    """An indicator counted: it measures a lead task, has a target (not the baseline) for
    the year and a value; whether the value meets the target, from the records again."""
    assert set(indicator.tasks.values_list("pk", flat=True)) & leads
    rows = TargetValue.objects.filter(indicator=indicator, org_unit=plan.org_unit)
    target = rows.get(year=year)
    assert not target.baseline
    base = rows.filter(baseline=True).order_by("year").first()
    goal = Goal(target.value, year, base.value if base else None, base.year if base else None)
    actual = unit_value(indicator, plan.org_unit, year)
    assert actual is not None  # an indicator without a value is not counted
    return attainment(actual, goal) >= 1  # type: ignore[operator]


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
        indicators = next(r.component for r in card.rows if r.name == scoring.INDICATORS_ATTAINED)
        unreported = [c.indicator_id for c in card.indicators if c.actual is None]
        assert not set(unreported) & set(indicators.counted_ids)
        assert sorted(unreported + list(indicators.counted_ids)) == sorted(
            c.indicator_id for c in card.indicators
        )


def _indicators_of(card):  # type: ignore[no-untyped-def]
    return next(r for r in card.rows if r.name == scoring.INDICATORS_ATTAINED)


@pytest.mark.django_db
def test_indicator_attainment_counts_the_lead_tasks_indicators_with_a_value(demo) -> None:  # type: ignore[no-untyped-def]
    # 2020: the demo school's synthetic values, halfway between the baseline and the target.
    _period, _as_of, cards = scorecards(demo, "2020", DAY)
    counted = {i for c in cards for i in _indicators_of(c).component.counted_ids}
    assert counted, "some lead task's indicator has a 2020 value"
    education = next(c for c in cards if c.department.name == "区教育和体育局")
    assert _indicators_of(education).weight == 15 and _indicators_of(education).used
    # 2021: no value yet, so nothing is counted, and every indicator is listed as unreported.
    _period, _as_of, cards = scorecards(demo, "2021Q2", DAY)
    for card in cards:
        assert _indicators_of(card).component.counted_ids == ()
        assert all(check.met is None for check in card.indicators)
    assert any(card.indicators for card in cards)


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "passes"), [("15000", True), ("14999", False)])
def test_a_value_that_meets_the_target_passes_and_one_below_does_not(demo, value, passes) -> None:  # type: ignore[no-untyped-def]
    training = Indicator.objects.get(plan=demo, code="i058")  # 培训规模, 2021 target 15000
    DataValue.objects.create(
        indicator=training,
        org_unit=demo.org_unit,
        period="2021",
        value=Decimal(value),
        entered_at=timezone.now(),
    )
    cards = scorecards(demo, "2021", DAY)[2]
    card = next(c for c in cards if any(i.indicator_id == training.pk for i in c.indicators))
    check = next(i for i in card.indicators if i.indicator_id == training.pk)
    assert (check.target, check.actual, check.met) == (Decimal(15000), Decimal(value), passes)
    component = _indicators_of(card).component
    assert training.pk in component.counted_ids
    assert (training.pk in component.passed_ids) is passes


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


# The weights: the work team sets them, everyone else reads them -------------------------


def _user(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _weight_records(plan) -> list[ChangeRecord]:  # type: ignore[no-untyped-def]
    return list(
        ChangeRecord.objects.filter(
            object_type="plans.plan", object_id=str(plan.pk), action="set_score_weights"
        )
    )


@pytest.mark.django_db
def test_the_work_team_sets_weights_with_a_change_record_and_the_scores_use_them(demo) -> None:  # type: ignore[no-untyped-def]
    assert weights_of(demo) == scoring.DEFAULT_WEIGHTS
    only_reports = dict.fromkeys(scoring.DEFAULT_WEIGHTS, 0) | {scoring.REPORTS_ON_TIME: 100}
    after = set_weights(demo, only_reports, _user("zhuanban"))
    assert after == weights_of(demo) == only_reports
    assert ScoreWeight.objects.filter(plan=demo).count() == len(scoring.DEFAULT_WEIGHTS)
    (record,) = _weight_records(demo)
    assert record.before == scoring.DEFAULT_WEIGHTS and record.after == only_reports
    assert record.actor.username == "zhuanban" and "进展报告按时报送 100" in record.summary
    for card in scorecards(demo, "2021Q2", DAY)[2]:
        reports = card.rows[0]
        assert reports.weight == 100 and all(r.weight == 0 for r in card.rows[1:])
        assert card.total == reports.score  # the total is the reports' score alone
    # A part of the set: the others keep theirs.
    set_weights(demo, {scoring.DEADLINES_MET: "10"}, actor=_user("zhuanban"))
    assert weights_of(demo) == only_reports | {scoring.DEADLINES_MET: 10}


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["lingdao", "ducha", "jiaoti", "xuexiao"])
def test_only_the_work_team_sets_weights(demo, username: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Refused, match="只有工作专班可以调整评分权重"):
        set_weights(demo, {scoring.DEADLINES_MET: 50}, _user(username))
    assert not ScoreWeight.objects.filter(plan=demo).exists() and not _weight_records(demo)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "bad",
    [
        {scoring.DEADLINES_MET: "101"},
        {scoring.DEADLINES_MET: "abc", scoring.REPORTS_ON_TIME: "30"},
        dict.fromkeys(scoring.DEFAULT_WEIGHTS, "0"),
        {"clicks": 5},
    ],
)
def test_bad_weights_are_refused_and_nothing_changes(demo, bad) -> None:  # type: ignore[no-untyped-def]
    set_weights(demo, {scoring.REPORTS_ON_TIME: 40}, _user("zhuanban"))
    before = weights_of(demo)
    with pytest.raises(Refused):
        set_weights(demo, bad, _user("zhuanban"))
    assert weights_of(demo) == before and len(_weight_records(demo)) == 1


def _post(username: str, plan, data: dict[str, str]):  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client.post(f"/supervision/plans/{plan.pk}/scores/", data)


def _form(**changes: str) -> dict[str, str]:
    return {name: str(w) for name, w in scoring.DEFAULT_WEIGHTS.items()} | changes


@pytest.mark.django_db
def test_the_work_team_edits_the_weights_on_the_page(demo) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username="zhuanban", password=DEMO_PASSWORD)
    url = f"/supervision/plans/{demo.pk}/scores/"
    html = client.get(url).content.decode()
    assert 'name="indicators_attained"' in html and "示例" in html and "保存权重" in html
    answer = client.post(url, _form(deadlines_met="5", period="2021Q1"))
    assert answer.status_code == 302 and answer["Location"].endswith("?period=2021Q1")
    assert weights_of(demo)[scoring.DEADLINES_MET] == 5
    html = client.get(answer["Location"]).content.decode()
    assert "已保存评分权重" in html and "权重由工作专班设定" in html
    assert 'id="w-deadlines_met" name="deadlines_met" value="5"' in html


@pytest.mark.django_db
def test_a_bad_weight_on_the_page_says_why_and_keeps_what_was_typed(demo) -> None:  # type: ignore[no-untyped-def]
    answer = _post("zhuanban", demo, _form(deadlines_met="120"))
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "“任务时限按期完成”的权重须为 0 到 100 的整数" in html and 'value="120"' in html
    assert not ScoreWeight.objects.filter(plan=demo).exists() and not _weight_records(demo)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["lingdao", "ducha", "jiaoti"])
def test_others_see_the_weights_read_only_and_cannot_post(demo, username: str) -> None:  # type: ignore[no-untyped-def]
    html = _get(username, demo).content.decode()
    assert "评分权重" in html and "牵头任务指标达到年度目标值：15" in html
    assert 'name="indicators_attained"' not in html and "只有工作专班可以调整权重" in html
    assert _post(username, demo, _form(deadlines_met="5")).status_code == 404
    assert _post("xuexiao", demo, _form(deadlines_met="5")).status_code == 404
    assert not ScoreWeight.objects.filter(plan=demo).exists()
