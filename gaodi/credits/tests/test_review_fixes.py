"""The credit bank after a security review: who sees a credential's holder, who is told whose
an ID number is, what the problems table and the change records keep, and the smaller faults
(a bad form value, the end of a validity day, the labels made with gettext)."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from gaodi.audit.models import ChangeRecord
from gaodi.credits import credentials, identity
from gaodi.credits.demo import demo_id_number
from gaodi.credits.models import IssuedCredential, Learner, LearningOutcome
from gaodi.credits.queries import verify_token
from gaodi.credits.services import (
    Refused,
    create_share_link,
    decrypt,
    issue_credential,
    register_learner,
    revoke_credential,
    withdraw_share_link,
)
from gaodi.credits.views import qr_code
from gaodi.demo import DEMO_PASSWORD
from gaodi.plans.models import Plan
from gaodi.today import today
from tests.helpers import client_of, zhang

pytestmark = pytest.mark.django_db

ELSEWHERE = "该身份证号已在其他学校登记，请联系工作专班"
HEADER = "学校代码,姓名,身份证号,证书体系,认证单元,等级,证书编号,发证机构,发证日期,有效期至\n"


def second_school_clerk(plan: Plan) -> Any:
    from gaodi.accounts.choices import Role
    from gaodi.accounts.services import create_member
    from gaodi.orgs.choices import OrgKind
    from gaodi.orgs.services import ensure_org_unit

    second = ensure_org_unit(
        "371503-S02", "第二职业学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    create_member("clerk2", DEMO_PASSWORD, role=Role.SCHOOL, actor=None, org_unit=second)
    return second, get_user_model().objects.get(username="clerk2")


# --- 1. the public credential page never names the holder ---------------------------------


def test_the_public_credential_page_shows_the_verdict_and_facts_but_not_the_holder(
    plan: Plan,
) -> None:
    stored = IssuedCredential.objects.select_related("outcome__unit", "school").get()
    holder = stored.learner.name
    url = reverse("credits:credential", args=[stored.uid])
    for client in (Client(), client_of("caizheng"), client_of("jiaoti")):
        page = client.get(url).content.decode()
        assert "验证通过" in page and "未被撤销" in page
        assert stored.outcome.unit.name in page and stored.school.name in page
        assert holder not in page and holder.removeprefix("【演示数据】") not in page
        assert "credentialSubject" not in page  # the JSON (with the name) is not shown
    # the work team, the school's clerk and the holder himself see the whole page
    for username in ("zhuanban", "xuexiao", "xuesheng"):
        page = client_of(username).get(url).content.decode()
        assert holder in page and "credentialSubject" in page, username


def test_a_share_page_names_the_holder_and_prints_its_own_address(plan: Plan) -> None:
    stored = IssuedCredential.objects.get()
    link = create_share_link(stored, days=7, actor=None)
    page = Client().get(reverse("credits:shared", args=[link.token])).content.decode()
    assert stored.learner.name in page
    share_url = "http://testserver" + reverse("credits:shared", args=[link.token])
    assert f'href="{share_url}"' in page and str(qr_code(share_url)) in page
    assert reverse("credits:credential", args=[stored.uid]) not in page


# --- 2. a duplicate ID number names the learner only to who may write for his school ------


def test_a_duplicate_id_number_is_named_only_within_the_actors_schools(plan: Plan) -> None:
    found = zhang()
    number = decrypt(found.id_encrypted)
    second, clerk2 = second_school_clerk(plan)
    with pytest.raises(Refused) as refused:
        register_learner(second, "某人", number, source="t", actor=clerk2)
    message = str(refused.value)
    assert ELSEWHERE in message
    assert found.name not in message and found.school.name not in message
    clerk = get_user_model().objects.get(username="xuexiao")
    with pytest.raises(Refused, match=re.escape(found.name)):
        register_learner(found.school, "某人", number, source="t", actor=clerk)


def test_bulk_import_does_not_name_another_schools_learner(plan: Plan) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    found = zhang()
    second_school_clerk(plan)
    text = HEADER + (
        f"371503-S02,某人,{decrypt(found.id_encrypted)},x-cert,web-front-end,初级,Z-1,"
        "某机构,2021-05-01,\n"
    )
    before = LearningOutcome.objects.count()
    body = (
        client_of("clerk2")
        .post(
            reverse("credits:import", args=[plan.pk]),
            {"file": SimpleUploadedFile("c.csv", text.encode(), "text/csv")},
        )
        .content.decode()
    )
    assert ELSEWHERE in body and found.school.name not in body
    assert LearningOutcome.objects.count() == before


# --- 4. a bad outcome id is a 404, not a 500 ----------------------------------------------


def test_issuing_with_a_malformed_outcome_is_not_found(plan: Plan) -> None:
    url = reverse("credits:issue", args=[plan.pk, zhang().pk])
    response = client_of("xuexiao").post(url, {"outcome": "abc"})
    assert response.status_code == 404


# --- 5. ID numbers are not echoed, nor kept in error reports -------------------------------


def _upload(plan: Plan, text: str) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return (
        client_of("xuexiao")
        .post(
            reverse("credits:import", args=[plan.pk]),
            {"file": SimpleUploadedFile("c.csv", text.encode(), "text/csv")},
        )
        .content.decode()
    )


def test_a_refused_id_number_is_shown_masked_in_the_problems_table(plan: Plan) -> None:
    wrong = "371503200305050091"  # the check digit is wrong
    body = _upload(
        plan, HEADER + f"371503-S01,孙八,{wrong},x-cert,web-front-end,初级,B-2,某机构,2021-05-01,\n"
    )
    assert "第2行（身份证号）" in body and "校验位" in body
    assert wrong not in body and identity.mask(wrong) in body


def test_the_register_form_keeps_the_id_number_out_of_error_reports(plan: Plan) -> None:
    response = client_of("xuexiao").post(
        reverse("credits:register", args=[plan.pk]),
        {"school": str(zhang().school_id), "name": "某", "id_number": "371503200305050091"},
    )
    kept = response.wsgi_request.sensitive_post_parameters
    assert list(kept) == ["id_number"]


# --- 6. the change record of a share link does not carry its token -------------------------


def test_the_share_link_change_records_leave_the_token_out(plan: Plan) -> None:
    stored = IssuedCredential.objects.get()
    link = create_share_link(stored, days=7, actor=None)
    withdraw_share_link(link, actor=None)
    records = ChangeRecord.objects.filter(object_type="credits.sharelink", object_id=str(link.pk))
    assert records.count() == 2
    for record in records:
        kept = json.dumps([record.before, record.after], ensure_ascii=False, default=str)
        assert link.token not in kept
        assert record.after["credential"] == stored.pk and record.after["expires_at"]


# --- 7. valid until a day means through that day -------------------------------------------


def test_a_credential_valid_until_today_is_valid_all_day(plan: Plan) -> None:
    stored = IssuedCredential.objects.get()
    outcome = LearningOutcome.objects.get(pk=stored.outcome_id)
    LearningOutcome.objects.filter(pk=outcome.pk).update(valid_until=today())
    revoke_credential(stored, reason="重签", actor=None)
    again = issue_credential(LearningOutcome.objects.get(pk=outcome.pk), actor=None)
    until = dt.datetime.fromisoformat(credentials.read_unverified(again.token)[1]["validUntil"])
    day = today()
    assert until == dt.datetime(
        day.year, day.month, day.day, 23, 59, 59, tzinfo=ZoneInfo("Asia/Shanghai")
    )
    assert verify_token(again.token).ok


# --- 8. re-import with another name under a registered ID number is refused -----------------


def test_a_row_whose_name_differs_from_the_registered_one_is_refused(plan: Plan) -> None:
    found = zhang()
    number = decrypt(found.id_encrypted)
    before = LearningOutcome.objects.filter(learner=found).count()
    body = _upload(
        plan,
        HEADER + f"371503-S01,王五,{number},x-cert,web-front-end,初级,N-1,某机构,2021-05-01,\n",
    )
    assert "第2行（姓名）" in body and "姓名与已登记的不符" in body
    assert LearningOutcome.objects.filter(learner=found).count() == before
    # two rows of one new ID number under two names: refused too
    new = demo_id_number("20030505", 9)
    body = _upload(
        plan,
        HEADER
        + f"371503-S01,钱七,{new},x-cert,web-front-end,初级,N-2,某机构,2021-05-01,\n"
        + f"371503-S01,钱八,{new},x-cert,web-front-end,中级,N-3,某机构,2021-05-01,\n",
    )
    assert "第3行（姓名）" in body and not Learner.objects.filter(name="钱七").exists()


# --- 9. no Chinese f-string outside gettext ---------------------------------------------------


def test_no_chinese_f_string_in_the_services_and_the_conversion_rules() -> None:
    """Text shown to people goes through gettext: _("{unit}（{level}）").format(...)."""
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    found = []
    here = Path(__file__).resolve().parents[1]
    for path in (here / "services.py", here / "conversion.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and any(
                isinstance(part, ast.Constant) and cjk.search(str(part.value))
                for part in node.values
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []
