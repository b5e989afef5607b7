"""The 师资队伍 page on the demo: who sees what, the working, the contradiction, the forms and
the feed into the 师资队伍 indicators."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gaodi.achievements.versions import number
from gaodi.audit.models import ChangeRecord
from gaodi.indicators.models import DataValue
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from gaodi.teachers import queries
from gaodi.teachers.models import Honour, StaffingQuota, Teacher
from tests.helpers import client_of

pytestmark = pytest.mark.django_db


def url(plan: Plan, name: str = "overview") -> str:
    return reverse(f"teachers:{name}", args=[plan.pk])


def page(username: str, plan: Plan, query: str = "") -> str:
    response = client_of(username).get(url(plan) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_roster_is_labelled_and_reproduces_the_plans_2020_counts(plan: Plan) -> None:
    teachers = Teacher.objects.all()
    assert set(teachers.values_list("source", flat=True)) == {"【演示数据】"}
    html = page("zhuanban", plan, "?year=2020")
    # 附件2 2020: 126/138 = 91.30 %; 2020 has its own figure 91.3 % in the table
    assert "126 ÷ 138 = 91.30%" in html
    assert "截至 2020-12-31 在岗专任教师 202 人" in html
    assert StaffingQuota.objects.count() == 2 and Honour.objects.count() == 6
    assert html.count("<td>【演示数据】</td>") == teachers.count()


def test_the_page_shows_each_check_with_its_working_and_the_contradiction(plan: Plan) -> None:
    html = page("lingdao", plan)
    assert "2021 年核查结果（截至 2021-06-30）" in html
    assert "方案前后不一致" in html
    assert "2022年全区职业院校“双师型”教师比例达到70%以上" in html
    assert "2022年全区职业院校“双师型”教师比例达到80%以上" in html
    assert "95.4%（210/220）" in html
    # 3-year rule: 演示教师205 has 1.5 years
    assert (
        "演示教师205：2021-03-01入职，企业工作经历 1.5 年，未登记相关专业技术资格："
        "不符合（企业工作经历不足 3 年）" in html
    )
    # part-time: 30 of a quota of 240 = 12.50 %, the cap 240 × 20% = 48
    assert "30 ÷ 240 = 12.50%，≤ 20%：符合" in html
    assert "2021 年编制员额 240 人（【演示数据】区委编办核定编制（示例））" in html
    # 双师型 as at 2021-06-30: 126 of 140 (one left, one certified 2021-05-10, three hired)
    assert "126 ÷ 140 = 90.00%" in html
    assert "依据：聊茌政发〔2020〕19号 重点任务（十五）" in html
    # the parameter set by its Chinese name and version; its code only in a tooltip
    assert "示例" in html and "参数集“师资队伍核查参数”第 1 版（2020-01-01 起施行）" in html
    assert "参数：师资队伍核查参数（第 1 版，2020-01-01 起施行）" in html
    assert "teacher-rules 第" not in html and ">teacher-rules" not in html
    assert "判定采用：取方案各处数值中最高者（就高）（示例：方案三处数值不一致，默认就高）" in html
    assert "名师工作室" in html and "首席技师" in html


def _enrolled(year: int) -> Decimal:
    """The demo's stored 在校生数 of the year (the 生师比's numerator, not this app's data)."""
    return DataValue.objects.get(
        indicator__category="三、师资队伍",
        indicator__name="在校生数（中职学校生师比）",
        period=str(year),
    ).value


def _full_time_on(day: dt.date) -> int:
    """专任教师 on the roster in post on `day` (the 生师比's denominator)."""
    return sum(1 for t in Teacher.objects.filter(full_time=True) if queries.fact(t).active_on(day))


def _ratio(students: Decimal, teachers: int) -> str:
    shown = (students / teachers).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{number(students)} ÷ {teachers} = {shown}:1"


def test_the_student_ratio_is_derived_from_the_stored_enrolment(plan: Plan) -> None:
    html = page("zhuanban", plan, "?year=2020")
    students, teachers = _enrolled(2020), _full_time_on(dt.date(2020, 12, 31))
    assert _ratio(students, teachers) in html
    assert "方案数值：附件2 三、师资队伍“17:1（3456/202）”" in html
    assert "中职学校生师比为全市平均数" in html
    assert "2020 年尚未填报" not in html


def test_the_default_year_uses_the_latest_reported_enrolment_and_says_so(plan: Plan) -> None:
    """2021 (today's year, the default) has no 在校生 yet: the 2020 figure stands in, said
    plainly (示例) — the check is not left empty for a first-time visitor."""
    assert not DataValue.objects.filter(
        indicator__name="在校生数（中职学校生师比）", period="2021"
    ).exists()
    html = page("zhuanban", plan)
    students, teachers = _enrolled(2020), _full_time_on(dt.date(2021, 6, 30))
    stand_in = f"2021 年在校生尚未填报，按 2020 年 {number(students)} 人计算（示例）"
    # in the table beside the ratio, as a warning above the working, and as its step
    assert html.count(stand_in) == 3
    assert _ratio(students, teachers) in html
    assert "无法计算" not in html
    # the year's own figure first; never a later year's (2018 has none before it)
    school = Teacher.objects.first().school  # type: ignore[union-attr]
    assert queries.students(plan, [school], 2021) == {school.pk: (2020, students)}
    assert queries.students(plan, [school], 2019) == {school.pk: (2019, _enrolled(2019))}
    assert queries.students(plan, [school], 2018) == {}


def test_computed_and_stored_values_are_shown_side_by_side(plan: Plan) -> None:
    html = page("zhuanban", plan, "?year=2020")
    # 2020: 202, 138, 126 and no hires, as stored (approved) by the demo
    assert html.count("<strong>一致</strong>") == 6 and "<strong>不一致</strong>" not in html
    assert page("zhuanban", plan).count("<strong>尚无</strong>") == 6  # 2021: nothing stored
    # users read the indicators' names, not their codes
    codes = DataValue.objects.filter(period="2020", indicator__category="三、师资队伍")
    for code in codes.values_list("indicator__code", flat=True):
        assert f"（{code}）" not in html


def test_the_roster_is_folded_under_its_count(plan: Plan) -> None:
    html = page("zhuanban", plan)
    count = Teacher.objects.count()
    summary = "教师名册：{n} 人（含已离岗）".format(n=f"{count:,}")
    assert '<details id="roster">' in html and summary in html
    folded = html[html.index('<details id="roster">') :]
    folded = folded[: folded.index("</details>")]
    assert folded.count("<td>【演示数据】</td>") == count


def test_the_feed_writes_2021_and_leaves_the_approved_2020_alone(plan: Plan) -> None:
    admin = client_of("xuexiao")
    response = admin.post(url(plan, "feed"), {"year": "2021"}, follow=True)
    assert "师资队伍指标已按名册写入" in response.content.decode()
    stored = dict(
        DataValue.objects.filter(
            period="2021", indicator__code__in=["i037d", "i039n", "i039d"]
        ).values_list("indicator__code", "value")
    )
    assert stored == {"i037d": Decimal(204), "i039n": Decimal(126), "i039d": Decimal(140)}
    hires = DataValue.objects.get(period="2021", indicator__code="i035")
    assert hires.value == 2  # 3 hired, 演示教师205 without 3 years
    refused = admin.post(url(plan, "feed"), {"year": "2020"}, follow=True).content.decode()
    assert "未写入" in refused and "已锁定" in refused


def test_a_school_clerk_adds_a_teacher_and_bad_input_lists_every_problem(plan: Plan) -> None:
    clerk = client_of("xuexiao")
    school = Teacher.objects.first().school  # type: ignore[union-attr]
    before = ChangeRecord.objects.count()
    bad = clerk.post(
        url(plan, "record"),
        {
            "school": school.pk,
            "name": "",
            "full_time": "1",
            "enterprise_years": "2.25",
            "hired_on": "2030-01-01",
            "dual_qualified": "1",
        },
        follow=True,
    ).content.decode()
    assert "请填写姓名" in bad and "最多保留一位小数" in bad
    assert "入职日期不能晚于今天" in bad and "须填写认定日期" in bad
    assert ChangeRecord.objects.count() == before
    clerk.post(
        url(plan, "record"),
        {
            "school": school.pk,
            "name": "新教师",
            "full_time": "1",
            "specialty_course": "1",
            "enterprise_years": "3.5",
            "hired_on": "2021-06-01",
        },
    )
    added = Teacher.objects.get(name="新教师")
    assert added.enterprise_years == Decimal("3.5") and added.specialty_course
    assert ChangeRecord.objects.filter(object_type="teachers.teacher").count() > 0


def test_readers_who_may_not_write_get_404_on_the_forms(plan: Plan) -> None:
    school = Teacher.objects.first().school  # type: ignore[union-attr]
    data = {"school": school.pk, "name": "不该有", "hired_on": "2021-01-01"}
    assert client_of("lingdao").post(url(plan, "record"), data).status_code == 404
    assert client_of("ducha").post(url(plan, "quota"), data).status_code == 404
    assert client_of("jiaoti").get(url(plan)).status_code == 404
    assert not Teacher.objects.filter(name="不该有").exists()


def test_the_api_gives_each_check_with_its_working_and_no_more_than_names(plan: Plan) -> None:
    body = client_of("ducha").get(f"/api/v1/plans/{plan.pk}/teachers?year=2021").json()
    assert body["as_of"] == "2021-06-30"
    assert "方案前后不一致" in body["contradiction"]
    assert [f["value"] for f in body["dual_figures"] if f["year"] == 2022] == ["70", "80", "95.4"]
    [school] = body["schools"]
    checks = {c["code"]: c for c in school["checks"]}
    assert checks["new_hires"]["failing"] == ["演示教师205"]
    assert checks["dual_share"]["value"] == "90.00%"
    assert checks["dual_share"]["warnings"] == []  # 2021: the table's 92.2 % is the only figure
    later = client_of("ducha").get(f"/api/v1/plans/{plan.pk}/teachers?year=2022").json()
    dual_2022 = next(c for c in later["schools"][0]["checks"] if c["code"] == "dual_share")
    assert "方案前后不一致" in dual_2022["warnings"][0]
    assert checks["part_time"]["rules_version"] == 1
    assert checks["part_time"]["working"][-1].startswith("依据：聊茌政发〔2020〕19号")
    assert "hired_on" not in str(body) and "enterprise_years" not in str(body)
    roster = client_of("xuexiao").get(f"/api/v1/plans/{plan.pk}/teacher-roster").json()
    assert len(roster) == Teacher.objects.count()


def roster_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("roster.csv", text.encode(), "text/csv")


def test_a_roster_upload_is_all_or_nothing_with_problems_cell_by_cell(plan: Plan) -> None:
    clerk = client_of("xuexiao")
    before = Teacher.objects.count()
    header = (
        "学校代码,姓名,专任或兼职,专业课教师,企业工作年限,入职日期,“双师型”教师,“双师型”认定日期\n"
    )
    bad = header + (
        "371503-S01,上传甲,专任,是,3.5,2021-05-01,否,\n"
        "371503-S99,上传乙,外聘,也许,三年,2021-13-01,是,\n"
        "371503-S01,演示教师205,专任,是,2.5,2021-03-01,否,\n"
    )
    html = clerk.post(url(plan, "upload"), {"file": roster_file(bad)}).content.decode()
    assert "未保存：文件中有以下问题" in html
    for reason in ("不是您可以填报的学校代码", "应填“专任”或“兼职”", "应填“是”或“否”"):
        assert reason in html
    assert "应为 0–60 的年数" in html or "应为年数" in html
    assert "第3行（入职日期）" in html and "已在名册中，所填信息与名册不同" in html
    assert Teacher.objects.count() == before
    good = header + "371503-S01,上传甲,专任,是,3.5,2021-05-01,是,2021-06-01\n"
    response = clerk.post(url(plan, "upload"), {"file": roster_file(good)})
    assert response.status_code == 302
    assert Teacher.objects.get(name="上传甲").certified_on == dt.date(2021, 6, 1)
    record = ChangeRecord.objects.filter(action="import_teachers").get()
    assert record.after["created"] == 1 and len(record.after["sha256"]) == 64
    again = clerk.post(url(plan, "upload"), {"file": roster_file(good)}, follow=True)
    assert "新增 0 名，已在名册且信息相同 1 名" in again.content.decode()
    assert Teacher.objects.filter(name="上传甲").count() == 1


def test_the_roster_template_has_the_columns_and_the_schools_code(plan: Plan) -> None:
    from openpyxl import load_workbook

    response = client_of("xuexiao").get(url(plan, "template"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("学校代码", "姓名", "专任或兼职", "任教学科（专业）")
    assert rows[1][0] == "371503-S01"


def test_the_page_asks_the_same_number_of_queries_whatever_the_roster(plan: Plan) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gaodi.teachers.services import TeacherInput, record_honour, record_teachers

    def queries() -> int:
        client = client_of("zhuanban")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(plan)).status_code == 200
        return len(captured)

    before = queries()
    school = Teacher.objects.first().school  # type: ignore[union-attr]
    more = [
        TeacherInput(
            f"加测{k}",
            True,
            True,
            dt.date(2021, 1, 1),
            dual_qualified=True,
            certified_on=dt.date(2021, 2, 1),
        )
        for k in range(20)
    ]
    record_teachers(school, more, actor=None)
    for teacher in Teacher.objects.filter(name__startswith="加测")[:5]:
        record_honour(teacher, "leader", "校级", dt.date(2021, 3, 1), "测试", actor=None)
    assert queries() == before


def test_a_new_parameter_version_changes_only_years_counted_from_its_day(plan: Plan) -> None:
    form = {
        "min_enterprise_years": "3",
        "hire_scope": "specialty",
        "exemptions": "高层次人才引进",
        "part_time_cap": "10",
        "dual_target_reading": "body",
        "ratio_is_ceiling": "1",
        "effective_from": "2021-06-01",
        "source": "区教体局2021年第3次局务会",
    }
    assert client_of("xuexiao").post(url(plan, "rules"), form).status_code == 404
    done = client_of("zhuanban").post(url(plan, "rules"), form, follow=True).content.decode()
    county = OrgUnit.objects.get(code="371503")
    assert f"已保存参数“{county.name}师资队伍核查参数”第 1 版，2021-06-01 起施行" in done
    this_year = page("zhuanban", plan, "?year=2021")
    assert "30 ÷ 240 = 12.50%，&gt; 10%：不符合" in this_year
    assert "区教体局2021年第3次局务会" in this_year and "以正文为准" in this_year
    last_year = page("zhuanban", plan, "?year=2020")
    assert "30 ÷ 230 = 13.04%，≤ 20%：符合" in last_year
    assert "参数集“师资队伍核查参数”第 1 版" in last_year
    bad = dict(form, part_time_cap="0", source="")
    refused = client_of("zhuanban").post(url(plan, "rules"), bad, follow=True).content.decode()
    assert "请填写新参数的依据" in refused


def test_a_teacher_leaves_and_is_counted_no_more_from_that_day(plan: Plan) -> None:
    teacher = Teacher.objects.get(name="演示教师001")
    edit = reverse("teachers:edit", args=[plan.pk, teacher.pk])
    assert client_of("lingdao").get(edit).status_code == 404
    clerk = client_of("xuexiao")
    assert "更正教师：演示教师001" in clerk.get(edit).content.decode()
    form = {
        "name": teacher.name,
        "full_time": "1",
        "specialty_course": "1",
        "subject": teacher.subject,
        "enterprise_years": str(teacher.enterprise_years),
        "hired_on": "2010-09-01",
        "dual_qualified": "1",
        "certified_on": teacher.certified_on.isoformat(),  # type: ignore[union-attr]
        "left_on": "2021-05-01",
    }
    bad = clerk.post(edit, dict(form, left_on="2001-01-01"), follow=True).content.decode()
    assert "离岗日期须晚于入职日期" in bad
    assert clerk.post(edit, form).status_code == 302
    teacher.refresh_from_db()
    assert teacher.left_on == dt.date(2021, 5, 1)
    record = ChangeRecord.objects.filter(object_type="teachers.teacher", action="update").get()
    assert (record.before["left_on"], record.after["left_on"]) == (None, "2021-05-01")
    html = page("zhuanban", plan)
    assert "125 ÷ 139 = 89.93%" in html  # one 双师型 专业课 teacher fewer than 126/140


def test_the_api_names_the_parameter_set_beside_its_code(plan: Plan) -> None:
    response = client_of("zhuanban").get(f"/api/v1/plans/{plan.pk}/teachers")
    assert response.status_code == 200
    checks = [c for s in response.json()["schools"] for c in s["checks"]]
    assert checks and {(c["rules_code"], c["rules_name"], c["rules_version"]) for c in checks} == {
        ("teacher-rules", "师资队伍核查参数", 1)
    }
    ratio = next(c for c in checks if c["code"] == "student_ratio")
    assert any("2021 年在校生尚未填报，按 2020 年" in w for w in ratio["warnings"])
