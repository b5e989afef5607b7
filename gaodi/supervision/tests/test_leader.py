"""领导驾驶舱: who sees it, and every figure on it equal to the query it comes from."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.test import Client
from django.utils import timezone

from gaodi.demo import DEMO_PASSWORD, set_up_demo
from gaodi.indicators.models import TargetValue
from gaodi.orgs.models import Department
from gaodi.plans.models import Plan
from gaodi.supervision import inspections
from gaodi.supervision.board import plan_lights
from gaodi.supervision.models import InspectionFinding, PublishedReport
from gaodi.supervision.overview import Timeliness, plan_overview, previous_quarter
from gaodi.supervision.scorecards import scorecards

pytestmark = pytest.mark.django_db
DAY = dt.date(2021, 6, 30)


@pytest.fixture
def demo(settings) -> Plan:  # type: ignore[no-untyped-def]
    """The demo as of 2021-06-30, with a 督查 of 2021-04-15: one finding past its 整改时限, one
    within it, one closed."""
    settings.GAODI_TODAY = DAY
    plan, _logins = set_up_demo()
    education = Department.objects.get(org_unit=plan.org_unit, name="区教育和体育局")
    tasks = {t.number: t for t in plan.tasks.all()}
    specs = [
        inspections.FindingSpec(tasks[14], education, "双师型教师认定滞后", dt.date(2021, 6, 20)),
        inspections.FindingSpec(tasks[2], education, "实训基地建设滞后", dt.date(2021, 9, 30)),
        inspections.FindingSpec(tasks[3], education, "台账不全", dt.date(2021, 5, 31)),
    ]
    admin = get_user_model().objects.get(username="zhuanban")
    found = inspections.record_inspection(
        plan, method="regular", held_on=dt.date(2021, 4, 15), findings=specs, actor=admin
    )
    InspectionFinding.objects.filter(inspection=found, problem="台账不全").update(
        status="closed", closed_on=dt.date(2021, 5, 30)
    )
    return plan


def _get(username: str, plan: Plan):  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client.get(f"/supervision/plans/{plan.pk}/overview/")


def _text(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', html)
    assert found, element_id
    return found.group(1).strip()


# Who sees it ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["lingdao", "zhuanban", "ducha", "dudao"])
def test_the_leaders_the_work_team_and_the_inspectors_see_it(demo: Plan, username: str) -> None:
    page = _get(username, demo)
    assert page.status_code == 200
    html = page.content.decode()
    content = html.split("<h2>", 1)[1]
    assert content.startswith("领导驾驶舱") and "<form" not in content  # read-only


@pytest.mark.parametrize("username", ["jiaoti", "caizheng", "xuexiao"])
def test_departments_and_schools_get_404(demo: Plan, username: str) -> None:
    assert _get(username, demo).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(demo: Plan) -> None:
    assert Client().get(f"/supervision/plans/{demo.pk}/overview/").status_code == 302


def test_the_plan_header_and_the_supervision_menu_link_to_it(demo: Plan) -> None:
    client = Client()
    assert client.login(username="lingdao", password=DEMO_PASSWORD)
    overview = f'href="/supervision/plans/{demo.pk}/overview/"'
    for url in (f"/plans/{demo.pk}/", f"/supervision/plans/{demo.pk}/lights/"):
        assert client.get(url).content.decode().count(overview) >= 1, url


# The figures are the queries' -------------------------------------------------------------


def test_the_task_counts_and_the_red_items_are_the_lights(demo: Plan) -> None:
    html = _get("lingdao", demo).content.decode()
    lights = plan_lights(demo, DAY)
    counts = Counter(str(row.light.colour) for row in lights)
    for colour in ("red", "amber", "green"):
        assert _text(html, f"count-{colour}") == str(counts[colour])
    assert f'/supervision/plans/{demo.pk}/lights/?colour=red"' in html
    red = [row for row in lights if row.light.colour == "red"]
    assert html.count('class="red-task"') == len(red)
    for row in red:
        assert row.task.label in html and row.light.reasons[0].text in html
    # The finding past its 整改时限 is among the red reasons of task 14.
    fourteen = next(row for row in red if row.task.number == 14)
    assert any(r.code == "finding_overdue" for r in fourteen.light.reasons)


def test_the_on_time_rates_are_the_scorecards_pairs(demo: Plan) -> None:
    html = _get("lingdao", demo).content.decode()
    found = plan_overview(demo, DAY)
    assert [t.period.id for t in found.timeliness] == ["2021Q2", "2021Q1"]
    for timeliness in found.timeliness:
        _period, _as_of, cards = scorecards(demo, timeliness.period.id, DAY)
        due = sum(card.rows[0].component.counted for card in cards)
        on_time = sum(card.rows[0].component.passed for card in cards)
        assert (timeliness.due, timeliness.on_time) == (due, on_time)
    current = found.timeliness[0]
    assert current.due > 0
    expected = (Decimal(100 * current.on_time) / current.due).quantize(Decimal("0.1"))
    assert _text(html, "rate-current") == f"{expected}%"


def test_a_quarter_with_nothing_due_has_no_rate() -> None:
    nothing = Timeliness(None, DAY, 0, 0)  # type: ignore[arg-type]
    assert nothing.rate is None
    assert previous_quarter(dt.date(2021, 1, 5)) == "2020Q4"


def test_the_ranking_shows_the_scorecards_top_and_bottom(demo: Plan) -> None:
    html = _get("lingdao", demo).content.decode()
    _period, _as_of, cards = scorecards(demo, "2021Q2", DAY)
    scored = [c for c in cards if c.total is not None]
    assert len(scored) > 3
    top = re.findall(r'class="rank-top"><td>(\d+)</td><th scope="row">([^<]+)</th>', html)
    assert top == [(str(c.rank), c.department.name) for c in scored[:3]]
    bottom = re.findall(r'class="rank-bottom"><td>(\d+)</td><th scope="row">([^<]+)</th>', html)
    assert bottom == [(str(c.rank), c.department.name) for c in scored[max(3, len(scored) - 3) :]]
    assert f"/supervision/plans/{demo.pk}/scores/?period=2021Q2" in html


def test_the_findings_are_those_not_closed_and_those_past_their_deadline(demo: Plan) -> None:
    html = _get("lingdao", demo).content.decode()
    open_ = InspectionFinding.objects.filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=DAY) | ~Q(status="closed"),
        inspection__plan=demo,
        inspection__held_on__lte=DAY,
    )
    overdue = open_.filter(deadline__lt=DAY)
    assert open_.count() >= 2 and overdue.count() >= 1  # the fixture's, and the demo's if any
    assert _text(html, "findings-open") == str(open_.count())
    assert _text(html, "findings-overdue") == str(overdue.count())
    assert html.count('class="overdue-finding"') == overdue.count() and "2021-06-20" in html


def test_the_indicator_summary_counts_the_targets_of_the_year(demo: Plan) -> None:
    html = _get("lingdao", demo).content.decode()
    found = plan_overview(demo, DAY)
    for row in found.attainment:
        targets = TargetValue.objects.filter(
            indicator__plan=demo, org_unit=demo.org_unit, year=row.year, baseline=False
        )
        assert row.with_target == targets.count()
        cells = re.search(rf'id="attainment-{row.year}">(.*?)</tr>', html, re.S)
        assert cells, row.year
        numbers = re.findall(r'<td class="num">(\d+)</td>', cells.group(1))
        assert numbers == [str(row.with_target), str(row.reported), str(row.met), str(row.missed)]
    this_year, last_year = found.attainment
    assert (this_year.year, this_year.reported) == (2021, 0)  # 2021 values come in 2022
    assert last_year.reported > 0 and last_year.met + last_year.missed == last_year.reported
    assert f'href="/indicators/plans/{demo.pk}/dashboard/"' in html


def test_the_latest_published_report_is_named(demo: Plan) -> None:
    assert "尚未发布督导报告" in _get("lingdao", demo).content.decode()
    for sequence in (1, 2):
        PublishedReport.objects.create(
            plan=demo,
            period=f"2021Q{sequence}",
            year=2021,
            sequence=sequence,
            number=f"茌平职教督〔2021〕{sequence}号",
            title=f"第{sequence}期督导报告",
            content={},
            published_at=timezone.now(),
        )
    html = _get("lingdao", demo).content.decode()
    assert "茌平职教督〔2021〕2号" in html and "第2期督导报告" in html
    assert "〔2021〕1号" not in html


def test_the_charts_take_their_data_from_json_and_no_inline_script(demo: Plan) -> None:
    html = _get("lingdao", demo).content.decode()
    for name in ("lights-data", "ranking-data", "attainment-data"):
        assert f'<script id="{name}" type="application/json">' in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert all('src="' in tag or 'type="application/json"' in tag for tag in scripts), scripts
    assert "/static/supervision/leader.js" in html and "echarts-5.6.0.min.js" in html


def test_the_page_takes_a_bounded_number_of_queries(
    demo: Plan, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username="lingdao", password=DEMO_PASSWORD)
    url = f"/supervision/plans/{demo.pk}/overview/"
    client.get(url)  # the session and the user's memberships, once
    with django_assert_max_num_queries(51):  # 60 before the lights were shared (issue 10)
        assert client.get(url).status_code == 200
    # More inspections and findings do not add queries.
    education = Department.objects.get(org_unit=demo.org_unit, name="区教育和体育局")
    task = demo.tasks.get(number=14)
    inspections.record_inspection(
        demo,
        method="special",
        held_on=dt.date(2021, 6, 1),
        findings=[
            inspections.FindingSpec(task, education, f"问题 {n}", dt.date(2021, 6, 10 + n))
            for n in range(5)
        ],
        actor=get_user_model().objects.get(username="zhuanban"),
    )
    with django_assert_max_num_queries(51):  # 60 before the lights were shared (issue 10)
        assert client.get(url).status_code == 200
