"""The 社会培训 and 绩效工资 pages and API on the demo: result and working shown, writes by role,
refusals in Chinese with nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from gaodi.achievements.versions import number
from gaodi.indicators.models import DataValue, Indicator, TargetValue
from gaodi.plans.models import Plan
from gaodi.specialties.services import schools_of
from gaodi.training import conversion, pay
from gaodi.training.models import ParameterVersion, PayInput, TrainingRecord, YearResult


@pytest.fixture
def plan(demo_once: Plan, db: Any) -> Plan:
    return demo_once


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_records_page_shows_volume_conversion_working_and_feed(plan: Plan) -> None:
    school = schools_of(plan)[0]
    url = reverse("training:records", args=[plan.pk]) + "?year=2020"
    text = client_for("zhuanban").get(url).content.decode()
    result = YearResult.objects.get(plan=plan, school=school, year=2020)
    found = conversion.Conversion.from_json(result.conversion)
    for sentence in found.steps:
        assert sentence in text
    assert "年培训量（（七）“年培训量达5千人次以上”）" in text
    people = sum(r.participants for r in TrainingRecord.objects.filter(end__year=2020))
    assert f"{people} 人次" in text
    assert "13500 人日" in text  # the 附件2 row of 2020
    assert "按人日÷每生每年培养天数折算" in text  # the basis chosen
    assert "示例" in text
    assert "不一致" in text  # the approved 2020 values differ from the records
    assert "登记培训" in text  # the form
    assert f"{found.pay_increment:,f} 元" in text  # grouped
    conversion_set = ParameterVersion.objects.get(code=result.conversion_code, version=1)
    assert f"折算参数：{conversion_set.name} 第 1 版" in text
    assert ">training-conversion" not in text
    # the 对照 and 操作 columns stay on one line (a class of the app's stylesheet, CSP-safe)
    assert '<th scope="col" class="nowrap">对照</th>' in text
    assert '<th scope="col" class="nowrap">操作</th>' in text
    assert "training/training.css" in text


def _ratio_row(text: str) -> str:
    start = text.index("附件2 六、社会培训 培训规模与全日制在校生比例</th>")
    return text[start : text.index("</tr>", start)]


def test_ratio_row_divides_the_records_by_the_enrolment_the_indicators_hold(plan: Plan) -> None:
    ratio = Indicator.objects.get(plan=plan, name="培训规模与全日制在校生比例")
    divisor = ratio.formula.split("/", 1)[1].strip(" ()")  # i058 / (i037n) -> i037n
    schools = schools_of(plan)
    held = DataValue.objects.filter(
        indicator__plan=plan, indicator__code=divisor, org_unit__in=schools, period="2020"
    )
    assert held.count() == len(schools)  # the demo's schools reported 2020
    students = sum(v.value for v in held)
    days = sum(r.person_days for r in TrainingRecord.objects.filter(plan=plan, end__year=2020))
    target = TargetValue.objects.get(indicator=ratio, year=2020, baseline=False).value
    url = reverse("training:records", args=[plan.pk]) + "?year=2020"
    text = client_for("zhuanban").get(url).content.decode()
    row = _ratio_row(text)
    shown = (days / students).quantize(Decimal("0.01"))
    assert f"{number(shown)}:1" in row
    assert f"{number(target)}:1" in row
    assert ("已达到" if days / students >= target else "未达到") in row
    assert f"{number(days)} 人日 ÷ {number(students)} 人" in row
    assert f"“{held[0].indicator.name}”（{divisor}）" in text  # where the enrolment came from


def test_ratio_row_without_the_enrolment_says_it_cannot_be_computed(plan: Plan) -> None:
    ratio = Indicator.objects.get(plan=plan, name="培训规模与全日制在校生比例")
    divisor = ratio.formula.split("/", 1)[1].strip(" ()")
    assert not DataValue.objects.filter(indicator__code=divisor, period="2021").exists()
    url = reverse("training:records", args=[plan.pk]) + "?year=2021"
    row = _ratio_row(client_for("zhuanban").get(url).content.decode())
    assert "无法计算" in row
    assert "2021 年尚未填报" in row and divisor in row


def test_school_clerk_records_a_training_others_get_404(plan: Plan) -> None:
    url = reverse("training:record", args=[plan.pk])
    school = schools_of(plan)[0]
    data = {
        "school": school.pk,
        "programme": "表单测试培训",
        "start": "2021-06-01",
        "end": "2021-06-05",
        "participants": "40",
        "person_days": "200",
        "target_groups": ["veterans", "disabled"],
        "subsidised": "yes",
        "income": "8000",
    }
    assert client_for("caizheng").post(url, data).status_code == 404
    assert client_for("lingdao").post(url, data).status_code == 404
    assert not TrainingRecord.objects.filter(programme="表单测试培训").exists()
    response = client_for("xuexiao").post(url, data, follow=True)
    assert "已登记培训“表单测试培训”" in response.content.decode()
    found = TrainingRecord.objects.get(programme="表单测试培训")
    assert found.target_groups == ["veterans", "disabled"]
    assert found.subsidised and found.income == 8000


def test_bad_form_lists_every_problem(plan: Plan) -> None:
    url = reverse("training:record", args=[plan.pk])
    school = schools_of(plan)[0]
    data = {"school": school.pk, "programme": "", "start": "2021-13-01", "end": "",
            "participants": "x", "person_days": "", "income": "1.5"}  # fmt: skip
    count = TrainingRecord.objects.count()
    text = client_for("zhuanban").post(url, data, follow=True).content.decode()
    for words in ("开始日期须为", "人次“x”须为整数", "到款额“1.5”须为整数"):
        assert words in text, words
    assert TrainingRecord.objects.count() == count


def test_pay_page_shows_total_lines_limits_and_working(plan: Plan) -> None:
    text = client_for("lingdao").get(reverse("training:pay", args=[plan.pk])).content.decode()
    for result in YearResult.objects.filter(plan=plan):
        found = pay.PayResult.from_json(result.pay)
        assert f"绩效工资总量 {int(found.total):,} 元" in text  # 43,263,250: grouped
        for line in found.lines:
            assert f'<td class="num">{int(line.amount):,}</td>' in text
        name = ParameterVersion.objects.get(code=result.pay_code, version=result.pay_version).name
        assert f"绩效工资参数：{name} 第 {result.pay_version} 版" in text
        for sentence in pay.explain(found, plan.doc_number, name):
            assert sentence in text
    assert ">performance-pay" not in text and "参数集 performance-pay" not in text
    assert "起约束作用的限制：" in text
    assert str(pay.LIMIT_LABELS[pay.CAP]) in text
    assert "保存并核定" not in text  # the leader reads, the work team writes


def test_work_team_saves_pay_inputs_and_a_pay_parameter_version(plan: Plan) -> None:
    school = schools_of(plan)[0]
    data = {
        "school": school.pk, "year": "2022", "benchmark_per_head": "30000", "headcount": "100",
        "tech_service_balance": "-5", "tech_share": "55", "talent_name": ["甲", ""],
        "talent_kind": ["project", "annual"], "talent_amount": ["1000", ""],
    }  # fmt: skip
    url = reverse("training:pay_inputs", args=[plan.pk])
    assert client_for("xuexiao").post(url, data).status_code == 404
    client_for("zhuanban").post(url, data)
    given = PayInput.objects.get(plan=plan, year=2022)
    assert str(given.tech_share) == "0.5500"
    assert given.talents == [{"name": "甲", "kind": "project", "amount": 1000}]
    result = YearResult.objects.get(plan=plan, year=2022)
    assert result.pay is not None
    assert pay.PayResult.from_json(result.pay).cap == 30000 * 5 * 100

    params = {
        "kind": "pay", "cap_multiple": "3", "tech_share_floor": "50", "tech_share_ceiling": "80",
        "training_within_cap": "no", "talent_within_cap": "yes", "effective_from": "2021-01-01",
        "source": "区政府 测试文件",
    }  # fmt: skip
    client_for("zhuanban").post(reverse("training:parameters", args=[plan.pk]), params)
    stored = ParameterVersion.objects.get(code=f"performance-pay-{plan.org_unit.code}")
    assert stored.data["cap_multiple"] == "3"
    assert YearResult.objects.get(plan=plan, year=2021).pay_code == stored.code
    assert YearResult.objects.get(plan=plan, year=2020).pay_code == "performance-pay"


def test_feed_is_the_work_teams(plan: Plan) -> None:
    url = reverse("training:feed", args=[plan.pk])
    assert client_for("xuexiao").post(url, {"year": "2021"}).status_code == 404
    text = client_for("zhuanban").post(url, {"year": "2021"}, follow=True).content.decode()
    assert "已写入聊城市茌平区职业教育中心学校 2021 年的社会培训指标" in text
    assert "一致" in text


def test_api_returns_records_volume_and_pay_with_versions(plan: Plan) -> None:
    client = client_for("ducha")
    api = f"/api/v1/plans/{plan.pk}"
    records = client.get(f"{api}/social-training").json()
    assert len(records) == TrainingRecord.objects.filter(plan=plan).count()
    volume = client.get(f"{api}/training-volume?year=2020").json()
    result = YearResult.objects.get(plan=plan, year=2020)
    [school] = volume["conversions"]
    assert school["pay_increment"] == result.conversion["pay_increment"]
    assert school["parameters_version"] == 1
    assert school["basis"] == "student_years"
    assert volume["rows"][1]["target"] == "13500"
    assert any("依据" in line for line in school["working"])
    found = client.get(f"{api}/performance-pay").json()
    assert {row["year"] for row in found} == {2020, 2021}
    for row in found:
        stored = pay.PayResult.from_json(YearResult.objects.get(plan=plan, year=row["year"]).pay)
        assert row["total"] == str(stored.total)
        assert row["parameters_code"] == "performance-pay"
    assert client_for("caizheng").get(f"{api}/performance-pay").status_code == 404


def test_a_record_is_corrected_through_the_form(plan: Plan) -> None:
    found = TrainingRecord.objects.filter(plan=plan, income__isnull=True).first()
    assert found is not None
    count = TrainingRecord.objects.filter(plan=plan).count()
    clerk = client_for("xuexiao")
    url = reverse("training:records", args=[plan.pk]) + f"?edit={found.pk}"
    assert f'name="record" value="{found.pk}"' in clerk.get(url).content.decode()
    data = {
        "record": found.pk,
        "school": found.school_id,
        "programme": found.programme,
        "start": found.start.isoformat(),
        "end": found.end.isoformat(),
        "participants": str(found.participants),
        "person_days": str(found.person_days),
        "target_groups": found.target_groups,
        "subsidised": "yes" if found.subsidised else "no",
        "income": "45000",
    }
    text = clerk.post(reverse("training:record", args=[plan.pk]), data, follow=True)
    assert "已更正培训" in text.content.decode()
    found.refresh_from_db()
    assert found.income == 45000
    assert TrainingRecord.objects.filter(plan=plan).count() == count  # corrected, not added
    missing = {**data, "record": "999999"}
    assert clerk.post(reverse("training:record", args=[plan.pk]), missing).status_code == 404


def test_pages_and_api_take_as_many_queries_whatever_the_number_of_records(plan: Plan) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gaodi.training.services import TrainingInput, record_training

    client = client_for("zhuanban")
    urls = [
        reverse("training:records", args=[plan.pk]) + "?year=2021",
        reverse("training:pay", args=[plan.pk]),
        f"/api/v1/plans/{plan.pk}/social-training",
        f"/api/v1/plans/{plan.pk}/performance-pay",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured.captured_queries))
        return found

    before = counts()
    school = schools_of(plan)[0]
    for n in range(5):
        given = TrainingInput(
            programme=f"加测培训{n}",
            start=date(2021, 2, 1),
            end=date(2021, 2, 2),
            participants=5,
            person_days=Decimal(10),
        )
        record_training(plan, school, given, actor=None)
    assert counts() == before
