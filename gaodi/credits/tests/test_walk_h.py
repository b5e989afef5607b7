"""The credit bank fixes from the user walk (issue 9, items 2, 3, 7, 9, 10, 11, 14, 15): merging
only the same person, the import template's example row, counts of recognised certificates, the
learner's 我的凭证 link and landing, the holder's token, gone share links, one course once and
local times."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localtime

from gaodi.audit.models import ChangeRecord
from gaodi.credits import bulk, recognition
from gaodi.credits.demo import demo_id_number
from gaodi.credits.models import IssuedCredential, Learner, LearningOutcome, LedgerEntry, ShareLink
from gaodi.credits.queries import counts, key_label, verify_token
from gaodi.credits.services import (
    Refused,
    create_share_link,
    merge_learners,
    record_course_taken,
    register_learner,
    withdraw_share_link,
)
from gaodi.credits.sittings import SittingInput, pass_rates_of, record_sitting
from gaodi.credits.views import local_moment
from gaodi.demo import DEMO_PASSWORD
from gaodi.files.tables import Table, TableRow
from gaodi.orgs.models import OrgUnit
from gaodi.plans.models import Plan
from tests.helpers import client_of, zhang

pytestmark = pytest.mark.django_db


# --- 2. merging: only the same person, and the form asks for a choice ----------------------


def test_two_different_people_are_not_merged(plan: Plan) -> None:
    keep, other = zhang(), Learner.objects.get(name="【演示数据】李静")
    assert keep.id_fingerprint != other.id_fingerprint
    records = ChangeRecord.objects.count()
    held = LearningOutcome.objects.filter(learner=other).count()
    with pytest.raises(Refused, match="姓名和身份证号都不同，不是同一人的重复身份"):
        merge_learners(keep, other, reason="误选", actor=None)
    other.refresh_from_db()
    assert other.merged_into is None
    assert LearningOutcome.objects.filter(learner=other).count() == held
    assert ChangeRecord.objects.count() == records


def test_the_same_name_with_a_mistyped_id_number_merges(plan: Plan) -> None:
    keep = zhang()
    twin = register_learner(
        keep.school, keep.name, demo_id_number("20040316", 12), source="t", actor=None
    )
    assert twin.id_fingerprint != keep.id_fingerprint
    merge_learners(keep, twin, reason="身份证号录错", actor=None)
    twin.refresh_from_db()
    assert twin.merged_into == keep


def test_the_merge_page_refuses_different_people_and_asks_for_a_choice(plan: Plan) -> None:
    keep, other = zhang(), Learner.objects.get(name="【演示数据】李静")
    team = client_of("zhuanban")
    page = team.get(reverse("credits:learner", args=[plan.pk, keep.pk])).content.decode()
    assert '<select id="m_dup" name="duplicate" required><option value="" selected>请选择' in page
    url = reverse("credits:merge", args=[plan.pk, keep.pk])
    done = team.post(url, {"duplicate": other.pk, "reason": "误选"}, follow=True)
    assert "不是同一人的重复身份" in done.content.decode()
    other.refresh_from_db()
    assert other.merged_into is None
    empty = team.post(url, {"duplicate": "", "reason": "x"}, follow=True)
    assert "请选择要并入的重复学习者" in empty.content.decode()


# --- 3. the import template's example row ------------------------------------------------


def _row(number: int, **cells: str) -> TableRow:
    return TableRow(number, {column: cells.get(column, "") for column in bulk.COLUMNS})


def test_the_example_row_is_refused_by_cell_and_nothing_stored(plan: Plan) -> None:
    school = zhang().school
    good = {
        "学校代码": school.code,
        "姓名": "新学员",
        "身份证号": demo_id_number("20050202", 21),
        "证书体系": "x-cert",
        "认证单元": "web-front-end",
        "等级": "初级",
        "证书编号": "W-2021-900",
        "发证机构": "某机构",
        "发证日期": "2021-06-01",
    }
    example = good | {"姓名": "【示例】张三", "证书编号": "【示例】请删除此行"}
    table = Table("证书导入", bulk.COLUMNS, (_row(2, **example), _row(3, **good)))
    rows, problems = bulk.check_rows(table, [school])
    assert [(p.place, p.message) for p in problems] == [("证书导入 B2", "示例行，请删除后再导入")]
    assert len(rows) == 1 and rows[0].name == "新学员"  # the real row is fine; the view stores none


def test_the_template_keeps_its_example_row() -> None:
    sheet = bulk.template_workbook("S1", "x-cert", "web-front-end", "初级").active
    example = [cell.value for cell in sheet[2]]
    assert example[1].startswith(bulk.EXAMPLE) and example[6].startswith(bulk.EXAMPLE)


# --- 7. counts: recognised certificates only ---------------------------------------------


def test_certificates_by_scheme_and_level_count_the_recognised_ones(plan: Plan) -> None:
    schools = list(OrgUnit.objects.filter(pk__in=Learner.objects.values("school")))
    found = counts(schools, dt.date(2021, 6, 30))
    outcomes = LearningOutcome.objects.filter(
        learner__merged_into__isnull=True, issued_on__lte=dt.date(2021, 6, 30)
    ).select_related("scheme", "case")
    states = Counter(o.case.state for o in outcomes)
    assert states[recognition.RECOGNISED] and len(states) > 1  # the demo has refused ones too
    assert sum(n for _s, _lv, n in found.by_scheme_level) == states[recognition.RECOGNISED]
    page = client_of("zhuanban").get(reverse("credits:learners", args=[plan.pk])).content.decode()
    assert "证书按体系和等级（只计认定通过的证书）" in page


def test_the_pass_rate_comparison_counts_recognised_certificates(plan: Plan) -> None:
    learner = zhang()
    recognised = LearningOutcome.objects.filter(
        learner=learner, case__state=recognition.RECOGNISED
    ).select_related("scheme", "unit")
    outcome = recognised.first()
    assert outcome is not None
    # a second, unrecognised certificate of the same scheme and level the same year
    LearningOutcome.objects.filter(learner__school=learner.school).exclude(
        case__state=recognition.RECOGNISED
    ).update(scheme=outcome.scheme, unit=outcome.unit, level=outcome.level)
    record_sitting(
        SittingInput(outcome.unit, outcome.level, learner.school, outcome.issued_on, 10, 10),
        source="录入",
        actor=None,
    )
    start = dt.date(outcome.issued_on.year, 1, 1)
    end = dt.date(outcome.issued_on.year, 12, 31)
    found = pass_rates_of([learner.school], start, end)
    held = LearningOutcome.objects.filter(
        learner__school=learner.school,
        learner__merged_into__isnull=True,
        scheme=outcome.scheme,
        level=outcome.level,
        issued_on__range=(start, end),
    )
    want = held.filter(case__state=recognition.RECOGNISED).count()
    assert want < held.count()
    assert any(f"学分银行认定通过证书 {want} 张" in note for note in found.notes)


# --- 9. the learner's 我的凭证 link and landing -------------------------------------------


def test_a_learner_sees_my_credentials_in_the_nav_and_lands_there(plan: Plan) -> None:
    link = f'<a href="{reverse("credits:mine")}">我的凭证</a>'
    assert link in client_of("xuesheng").get(reverse("plans:home")).content.decode()
    assert link not in client_of("xuexiao").get(reverse("plans:home")).content.decode()
    login = reverse("accounts:login")
    learner = Client().post(login, {"username": "xuesheng", "password": DEMO_PASSWORD})
    assert learner.status_code == 302 and learner["Location"] == reverse("credits:mine")
    staff = Client().post(login, {"username": "xuexiao", "password": DEMO_PASSWORD})
    assert staff.status_code == 302 and staff["Location"] == reverse("plans:home")
    # an explicit next still wins
    nexted = Client().post(
        login + "?next=/plans/", {"username": "xuesheng", "password": DEMO_PASSWORD}
    )
    assert nexted["Location"] == "/plans/"


# --- 10. the holder's token, the share page's textarea, an empty paste --------------------


def test_the_holder_downloads_his_token_and_nobody_else(plan: Plan) -> None:
    stored = IssuedCredential.objects.get(kind="achievement")
    url = reverse("credits:my_token", args=[stored.uid])
    mine = client_of("xuesheng").get(reverse("credits:mine")).content.decode()
    assert url in mine
    got = client_of("xuesheng").get(url)
    assert got.status_code == 200 and got["Content-Type"] == "application/vc+jwt"
    assert got.content.decode() == stored.token
    assert got["Content-Disposition"] == f'attachment; filename="credential-{stored.uid}.jwt"'
    assert client_of("xuexiao").get(url).status_code == 404
    assert client_of("zhuanban").get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_the_share_page_shows_the_token_to_copy(plan: Plan) -> None:
    stored = IssuedCredential.objects.get(kind="achievement")
    link = create_share_link(stored, days=7, actor=None)
    page = Client().get(reverse("credits:shared", args=[link.token])).content.decode()
    assert "readonly>" + stored.token + "</textarea>" in page
    public = Client().get(reverse("credits:credential", args=[stored.uid])).content.decode()
    assert "readonly>" not in public


def test_an_empty_paste_says_paste_a_credential(plan: Plan) -> None:
    page = Client().post(reverse("credits:verify"), {"token": "  "}).content.decode()
    assert "请粘贴凭证" in page and "验证通过" not in page
    assert "请粘贴凭证" not in Client().get(reverse("credits:verify")).content.decode()


# --- 11. a withdrawn or expired share link: 410, said so ---------------------------------


def test_a_withdrawn_or_expired_share_link_is_gone(plan: Plan, settings: Any) -> None:
    stored = IssuedCredential.objects.get(kind="achievement")
    withdrawn = create_share_link(stored, days=7, actor=None)
    withdraw_share_link(withdrawn, actor=None)
    expiring = create_share_link(stored, days=1, actor=None)
    for link in (withdrawn, expiring):
        if link is expiring:
            settings.GAODI_TODAY = dt.date(2021, 7, 30)
        gone = Client().get(reverse("credits:shared", args=[link.token]))
        assert gone.status_code == 410
        assert "该分享链接已被持有人收回或已过期" in gone.content.decode()
        assert stored.token not in gone.content.decode()
    assert Client().get(reverse("credits:shared", args=["never-was"])).status_code == 404
    assert ShareLink.objects.filter(token="never-was").count() == 0


# --- 14. the same course twice --------------------------------------------------------------


def test_the_same_course_on_the_same_day_is_refused_once_recorded(plan: Plan) -> None:
    learner = zhang()
    day = dt.date(2021, 6, 1)
    record_course_taken(
        learner, "C901", "职业素养", "2", earned_on=day, expires_on=None, actor=None
    )
    rows, records = LedgerEntry.objects.count(), ChangeRecord.objects.count()
    with pytest.raises(Refused, match="已登记课程 C901（取得日期 2021-06-01），不能重复登记"):
        record_course_taken(
            learner, " C901 ", "职业素养", "2", earned_on=day, expires_on=None, actor=None
        )
    assert (LedgerEntry.objects.count(), ChangeRecord.objects.count()) == (rows, records)
    # another day, or another learner, is another row
    again = record_course_taken(
        learner, "C901", "职业素养", "2", earned_on=dt.date(2021, 6, 2), expires_on=None, actor=None
    )
    assert again.credits == Decimal(2)
    url = reverse("credits:course", args=[plan.pk, learner.pk])
    done = client_of("zhuanban").post(
        url,
        {"course": "C901", "course_name": "职业素养", "credits": "2", "earned_on": "2021-06-01"},
        follow=True,
    )
    assert "不能重复登记" in done.content.decode()
    assert LedgerEntry.objects.count() == rows + 1


# --- 15. local times ------------------------------------------------------------------------


def test_moments_are_shown_in_the_site_s_local_time(plan: Plan) -> None:
    assert local_moment("2021-06-30T01:39:00+08:00") == "2021-06-30 01:39"
    assert local_moment("2021-06-29T17:39:00Z") == "2021-06-30 01:39"
    assert local_moment("") == "" and local_moment(None) == ""
    stored = IssuedCredential.objects.get(kind="achievement")
    assert key_label(stored.key).endswith(
        localtime(stored.key.active_from).date().isoformat() + " 启用"
    )
    valid_from = verify_token(stored.token).credential["validFrom"]
    page = Client().get(reverse("credits:credential", args=[stored.uid])).content.decode()
    shown = page.split("生效时间</dt><dd>")[1].split("</dd>")[0]
    assert shown == local_moment(valid_from) and "T" not in shown and len(shown) == 16
