"""学分银行 on the demo: the labelled records, the protected ID number, the pages and who sees
them, recognition with four eyes, conversion once, and the credential round trip through the
public pages (issue -> verify OK -> tamper -> fails -> revoke -> revoked -> rotate -> old still
verifies), share links that expire."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gaodi.api.schemas import exact
from gaodi.audit.models import ChangeRecord
from gaodi.credits import credentials, identity, recognition, status_list
from gaodi.credits.demo import DEMO, MORE_LEARNERS, demo_id_number
from gaodi.credits.models import (
    Conversion,
    IssuedCredential,
    Learner,
    LearningOutcome,
    LedgerEntry,
    RecognitionCase,
    ShareLink,
)
from gaodi.credits.queries import counts, verify_token
from gaodi.credits.services import (
    OutcomeInput,
    Refused,
    convert_learner,
    create_share_link,
    decrypt,
    issue_credential,
    merge_learners,
    record_outcome,
    register_learner,
    revoke_credential,
    rotate_key,
    take_step,
)
from gaodi.demo import DEMO_PASSWORD
from gaodi.plans.models import Plan
from gaodi.today import today
from tests.helpers import client_of, zhang

pytestmark = pytest.mark.django_db


def test_the_demo_is_labelled_and_the_id_number_is_stored_encrypted(plan: Plan) -> None:
    learners = list(Learner.objects.all())
    assert len(learners) == 3 + len(MORE_LEARNERS) and all(DEMO in item.name for item in learners)
    number = demo_id_number("20040315", 11)
    assert identity.check_id_number(number) == number
    found = zhang()
    assert number not in found.id_encrypted and decrypt(found.id_encrypted) == number
    assert found.masked_id == identity.mask(number)
    trail = ChangeRecord.objects.filter(object_type="credits.learner")
    assert trail.exists() and not any(number in json.dumps(r.after) for r in trail)


def test_a_duplicate_id_number_is_refused_and_duplicates_merge_with_a_record(plan: Plan) -> None:
    found = zhang()
    with pytest.raises(Refused, match="已登记"):
        register_learner(
            found.school, "张晓明", demo_id_number("20040315", 11), source="t", actor=None
        )
    with pytest.raises(Refused, match="校验位"):
        register_learner(found.school, "某", "371503200403150110", source="t", actor=None)
    stranger = Learner.objects.get(name="【演示数据】李静")
    with pytest.raises(Refused, match="不是同一人的重复身份"):  # walk #2: a different person
        merge_learners(found, stranger, reason="同一人两次登记", actor=None)
    other = register_learner(  # the same name, the ID number mistyped
        found.school, found.name, demo_id_number("20040316", 12), source="t", actor=None
    )
    LearningOutcome.objects.filter(learner=stranger).update(learner=other)
    merge_learners(found, other, reason="同一人两次登记", actor=None)
    other.refresh_from_db()
    assert other.merged_into == found
    assert LearningOutcome.objects.filter(learner=other).count() == 0
    assert ChangeRecord.objects.filter(action="merge", object_id=str(found.pk)).exists()


def test_a_certificate_is_one_outcome_per_holder(plan: Plan) -> None:
    first = LearningOutcome.objects.filter(learner=zhang()).first()
    assert first is not None
    given = OutcomeInput(first.unit, "初级", first.number, first.issuer, first.issued_on)
    with pytest.raises(Refused, match="不重复登记"):
        record_outcome(zhang(), given, source="t", actor=None)


def test_recognition_needs_two_people_and_the_issuer_on_the_list(plan: Plan) -> None:
    states = dict(RecognitionCase.objects.values_list("outcome__learner__name", "state"))
    assert states["【演示数据】张晓明"] == recognition.RECOGNISED
    assert states["【演示数据】李静"] == recognition.CHECKED
    # issuer not listed: the check flagged it, the work team refused it after review, with reason
    assert states["【演示数据】王磊"] == recognition.REFUSED
    wang_steps = RecognitionCase.objects.get(state=recognition.REFUSED).steps.order_by("pk")
    assert [(s.action, s.outcome) for s in wang_steps] == [
        (recognition.CHECK, recognition.FLAGGED),
        (recognition.REVIEW, ""),
        (recognition.DECIDE, recognition.REFUSED),
    ]
    case = RecognitionCase.objects.get(state=recognition.CHECKED)
    clerk = client_of("xuexiao")
    url = reverse("credits:step", args=[plan.pk, case.pk])
    clerk.post(url, {"action": "review", "reason": "核对原件"})
    case.refresh_from_db()
    assert case.state == recognition.REVIEWED
    from django.contrib.auth import get_user_model

    xuexiao = get_user_model().objects.get(username="xuexiao")
    with pytest.raises(Refused, match="审核人不能同时作认定决定"):
        take_step(case, "decide", role="admin", outcome="recognised", reason="可以", actor=xuexiao)
    client_of("zhuanban").post(url, {"action": "decide", "outcome": "recognised", "reason": "可"})
    case.refresh_from_db()
    assert case.state == recognition.RECOGNISED
    assert case.steps.count() == 3


def test_an_outcome_converts_once_with_the_version_recorded(plan: Plan) -> None:
    found = zhang()
    conversion = Conversion.objects.get(learner=found)
    assert (conversion.rule_set_code, conversion.rule_set_version) == ("college-x", 1)
    entry = LedgerEntry.objects.get(conversion=conversion)
    assert (entry.course, entry.credits) == ("C101", 4)
    again = convert_learner(found, today(), actor=None)
    assert again.total == 0 and Conversion.objects.filter(learner=found).count() == 1
    assert any("不重复转换" in s.reason for s in again.skipped)


def test_the_learner_page_shows_masked_id_progress_expiry_and_working(plan: Plan) -> None:
    found = zhang()
    html = client_of("zhuanban").get(reverse("credits:learner", args=[plan.pk, found.pk]))
    text = html.content.decode()
    assert found.masked_id in text and decrypt(found.id_encrypted) not in text
    assert "将于 2021-08-31 过期" in text  # the taken course within the 90-day warning
    assert "网页设计基础" in text and "college-x 第 1 版" in text
    assert "依据：聊茌政发〔2020〕19号 重点任务（十）" in text


@pytest.mark.parametrize(
    ("username", "status"),
    [("zhuanban", 200), ("lingdao", 200), ("xuexiao", 200), ("caizheng", 404), ("jiaoti", 404)],
)
def test_who_sees_the_credit_bank(plan: Plan, username: str, status: int) -> None:
    for name in ("credits:learners", "credits:queue", "credits:rules"):
        response = client_of(username).get(reverse(name, args=[plan.pk]))
        assert response.status_code == status, name


def test_the_rules_page_checks_conflicts_and_simulates(plan: Plan) -> None:
    from gaodi.credits.models import OutcomeUnit

    unit = OutcomeUnit.objects.get(code="web-front-end")
    query = f"?unit={unit.pk}&level=高级&specialty=计算机应用&issued_on=2021-05-01&as_of=2021-06-30"
    text = client_of("lingdao").get(reverse("credits:rules", args=[plan.pk]) + query)
    body = text.content.decode()
    # no blocking conflict; 高级 -> 4 (基础课) + 6 (核心课) = 10 is reported as capped at 8
    assert "提示（不阻止保存，由每证上限削减）" in body and "合计 10 学分" in body
    assert "未发现重复计算" not in body
    assert "模拟结果：可转换 8 学分" in body


def test_credential_round_trip_through_public_pages(plan: Plan) -> None:
    anonymous = Client()
    stored = IssuedCredential.objects.get()
    page = anonymous.get(reverse("credits:credential", args=[stored.uid])).content.decode()
    assert "签名有效，内容未被改动" in page and "未被撤销" in page and "验证通过" in page
    assert decrypt(zhang().id_encrypted) not in page
    keys = anonymous.get(reverse("credits:jwks", args=[stored.school.code])).json()
    assert keys["keys"][0]["kid"] == stored.key.kid
    # tamper one byte of the payload: the signature fails
    head, body, signature = stored.token.split(".")
    payload = bytearray(credentials.unb64(body))
    payload[payload.index(b"\xe5")] ^= 1
    forged = f"{head}.{credentials.b64(bytes(payload))}.{signature}"
    tampered = anonymous.post(reverse("credits:verify"), {"token": forged}).content.decode()
    assert "签名无效" in tampered and "验证通过" not in tampered
    outcome = LearningOutcome.objects.get(pk=stored.outcome_id)
    with pytest.raises(Refused, match="已有有效凭证"):
        issue_credential(outcome, actor=None)
    # rotate: the old credential still verifies; a new one is signed with the new key
    new_key = rotate_key(stored.school, actor=None)
    assert verify_token(stored.token).ok
    assert (
        len(anonymous.get(reverse("credits:jwks", args=[stored.school.code])).json()["keys"]) == 2
    )
    # revoke: the status list bit is set, the verify page says revoked
    revoke_credential(stored, reason="证书被注销", actor=None)
    served = anonymous.get(reverse("credits:status", args=[stored.school.code]))
    assert served["Content-Type"] == "application/vc+jwt"
    header, listed = credentials.read_unverified(served.content.decode())
    assert header["kid"].endswith(f"/jwks.json#{new_key.kid}")  # signed with the active key
    encoded = listed["credentialSubject"]["encodedList"]
    assert status_list.is_set(encoded, stored.status_index)
    page = anonymous.get(reverse("credits:credential", args=[stored.uid])).content.decode()
    assert "已被发证单位撤销" in page and "凭证已撤销" in page
    again = issue_credential(outcome, actor=None)
    assert again.key == new_key and again.status_index != stored.status_index
    assert verify_token(again.token).ok


def test_share_links_expire(plan: Plan, settings: Any) -> None:
    stored = IssuedCredential.objects.get()
    before = ShareLink.objects.count()
    link = create_share_link(stored, days=7, actor=None)
    url = reverse("credits:shared", args=[link.token])
    assert "签名有效" in Client().get(url).content.decode()
    settings.GAODI_TODAY = dt.date(2021, 7, 30)
    gone = Client().get(url)  # expired: 410 saying so (walk #11); never existed: 404
    assert gone.status_code == 410 and "该分享链接已被持有人收回或已过期" in gone.content.decode()
    assert Client().get(reverse("credits:shared", args=["nothing"])).status_code == 404
    assert ShareLink.objects.count() == before + 1


def expected_counts(learners: Any, as_of: dt.date) -> dict[str, Any]:
    """The plan's counts recomputed from the rows the demo stored (not the figures it meant to
    store): pilots — 认证单元 of the pilot kind's certificate schemes with an outcome whose
    recognition was decided (a decide step that recognised it) on or before `as_of` —,
    recognised of decided cases, credits of the stored conversions."""
    from gaodi.achievements.achievements import CERTIFICATE_PILOT
    from gaodi.achievements.services import kinds_in_force
    from gaodi.credits.models import RecognitionStep

    learners = learners.filter(merged_into__isnull=True)
    outcomes = LearningOutcome.objects.filter(learner__in=learners, issued_on__lte=as_of)
    pilot_schemes = kinds_in_force(as_of).kind(CERTIFICATE_PILOT).credit_bank_schemes
    running = set(
        RecognitionStep.objects.filter(
            case__outcome__learner__in=learners,
            case__state=recognition.RECOGNISED,
            case__outcome__scheme__code__in=pilot_schemes,
            outcome=recognition.RECOGNISED,
            on__lte=as_of,
        ).values_list("case__outcome__scheme_id", "case__outcome__unit_id")
    )
    cases = RecognitionCase.objects.filter(outcome__in=outcomes)
    recognised = cases.filter(state=recognition.RECOGNISED).count()
    decided = recognised + cases.filter(state=recognition.REFUSED).count()
    rate = (Decimal(recognised) / decided * 100).quantize(Decimal("0.1")) if decided else None
    converted = sum(
        (
            c.credits
            for c in Conversion.objects.filter(
                learner__school__in=learners.values("school"), as_of__lte=as_of
            )
        ),
        Decimal(0),
    )
    return {
        "pilots": len(running),
        "recognised": recognised,
        "decided": decided,
        "pass_rate": rate,
        "credits": converted,
    }


def test_counts_for_the_plan(plan: Plan) -> None:
    school = zhang().school
    expected = expected_counts(Learner.objects.filter(school=school), today())
    # the demo gives something to count: certificates, a decision each way, converted credits
    assert expected["pilots"] > 0 and expected["credits"] > 0
    assert 0 < expected["recognised"] < expected["decided"]
    found = counts([school], today())
    assert found.pilots == expected["pilots"]
    assert (found.recognised, found.decided) == (expected["recognised"], expected["decided"])
    assert found.pass_rate == expected["pass_rate"]
    assert found.credits_converted == expected["credits"]


def test_the_transcript_api_gives_clr_json_and_its_hash(plan: Plan) -> None:
    found = zhang()
    response = client_of("xuexiao").get(f"/api/v1/learners/{found.pk}/transcript")
    assert response.status_code == 200
    data = response.json()
    assert data["clr"]["type"] == ["VerifiableCredential", "ClrCredential"]
    assert data["content_hash"] == credentials.content_hash(data["clr"])
    achievement = IssuedCredential.objects.get(kind=IssuedCredential.Kind.ACHIEVEMENT)
    assert credentials.enveloped_tokens(data["clr"]) == [achievement.token]
    # the transcript is a signed credential of its own, stored, with its own status bit
    transcript = IssuedCredential.objects.get(kind=IssuedCredential.Kind.TRANSCRIPT)
    assert data["token"] == transcript.token and data["content_hash"] == transcript.content_hash
    assert data["clr"]["id"] == f"urn:uuid:{transcript.uid}"
    assert transcript.status_index != achievement.status_index
    assert verify_token(transcript.token).ok
    assert decrypt(found.id_encrypted) not in response.content.decode()
    assert client_of("jiaoti").get(f"/api/v1/learners/{found.pk}/transcript").status_code == 404


def test_the_counts_api(plan: Plan) -> None:
    data = client_of("lingdao").get(f"/api/v1/plans/{plan.pk}/credit-counts").json()
    # lingdao sees every school: all the demo's learners count
    expected = expected_counts(Learner.objects.all(), today())
    assert expected["decided"] > 0 and expected["credits"] > 0
    assert (data["pilots"], data["recognised"], data["decided"]) == (
        expected["pilots"],
        expected["recognised"],
        expected["decided"],
    )
    assert data["pass_rate"] == exact(expected["pass_rate"])
    assert data["credits_converted"] == exact(expected["credits"])
    # only recognised certificates are counted by scheme and level (walk #7)
    held = LearningOutcome.objects.filter(
        learner__merged_into__isnull=True, issued_on__lte=today()
    ).select_related("scheme", "case")
    recognised = Counter(
        (o.scheme.name, o.level) for o in held if o.case.state == recognition.RECOGNISED
    )
    assert recognised and len(recognised) < len({(o.scheme.name, o.level) for o in held})
    assert sorted((c["scheme"], c["level"], c["count"]) for c in data["certificates"]) == sorted(
        (s, lv, n) for (s, lv), n in recognised.items()
    )


def test_the_transcript_pdf_prints_the_hash_of_the_json(plan: Plan) -> None:
    from gaodi.credits.transcript_pdf import transcript_html

    found = zhang()
    data = client_of("zhuanban").get(f"/api/v1/learners/{found.pk}/transcript").json()
    html = transcript_html(data["clr"])
    assert data["content_hash"] in html and "网页设计基础" not in html  # outcomes, not courses
    assert "Web前端开发（初级）" in html
    pdf = client_of("zhuanban").get(reverse("credits:transcript_pdf", args=[plan.pk, found.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # the printed PDF itself carries the hash (its text extracted, line breaks and spaces out)
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        text = "".join(page.extract_text() or "" for page in document.pages)
    assert data["content_hash"] in "".join(text.split())


def test_the_forms_register_a_learner_record_a_certificate_and_rotate_a_key(plan: Plan) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gaodi.credits.models import IssuerKey, OutcomeUnit

    clerk = client_of("xuexiao")
    school = zhang().school
    number = demo_id_number("20030303", 7)
    clerk.post(
        reverse("credits:register", args=[plan.pk]),
        {"school": school.pk, "name": "赵六", "id_number": number},
    )
    found = Learner.objects.get(name="赵六")
    assert found.masked_id == identity.mask(number) and decrypt(found.id_encrypted) == number
    again = clerk.post(
        reverse("credits:register", args=[plan.pk]),
        {"school": school.pk, "name": "赵六", "id_number": number},
        follow=True,
    )
    assert "已登记为学习者" in again.content.decode()
    assert Learner.objects.filter(name="赵六").count() == 1
    evidence = b"certificate scan"
    clerk.post(
        reverse("credits:record", args=[plan.pk, found.pk]),
        {
            "unit": OutcomeUnit.objects.get(code="web-front-end").pk,
            "level": "初级",
            "number": "X-1",
            "issuer": "【演示数据】某培训评价组织",
            "issued_on": "2021-05-01",
            "evidence": SimpleUploadedFile("scan.pdf", evidence),
        },
    )
    outcome = LearningOutcome.objects.get(learner=found)
    assert outcome.evidence_sha256 == hashlib.sha256(evidence).hexdigest()
    assert outcome.case.state == recognition.SUBMITTED
    old = IssuerKey.objects.get(school=school)
    # the school's clerk may not rotate keys (404); the work team may
    assert (
        clerk.post(reverse("credits:rotate", args=[plan.pk]), {"school": school.pk}).status_code
        == 404
    )
    client_of("zhuanban").post(reverse("credits:rotate", args=[plan.pk]), {"school": school.pk})
    old.refresh_from_db()
    assert old.retired_at is not None and IssuerKey.objects.filter(school=school).count() == 2
    assert verify_token(IssuedCredential.objects.get().token).ok


HEADER = "学校代码,姓名,身份证号,证书体系,认证单元,等级,证书编号,发证机构,发证日期,有效期至\n"


def _upload(plan: Plan, text: str, name: str = "c.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client_of("xuexiao").post(
        reverse("credits:import", args=[plan.pk]),
        {"file": SimpleUploadedFile(name, text.encode(), "text/csv")},
        follow=True,
    )


def test_a_bad_certificate_file_stores_nothing_and_names_each_cell(plan: Plan) -> None:
    good = demo_id_number("20030505", 9)
    text = HEADER + (
        f"371503-S01,钱七,{good},x-cert,web-front-end,初级,B-1,某机构,2021-05-01,\n"
        "371503-S01,孙八,371503200305050091,x-cert,web-front-end,特级,B-2,某机构,2021-13-01,\n"
        f"999,钱七,{good},x-cert,nothing,初级,B-3,某机构,2021-05-01,\n"
    )
    before = (
        Learner.objects.count(),
        LearningOutcome.objects.count(),
        ChangeRecord.objects.count(),
    )
    body = _upload(plan, text).content.decode()
    after = (Learner.objects.count(), LearningOutcome.objects.count(), ChangeRecord.objects.count())
    assert after == before
    for place, reason in (
        ("第3行（身份证号）", "校验位"),
        ("第3行（等级）", "应为：初级、中级、高级"),
        ("第3行（发证日期）", "YYYY-MM-DD"),
        ("第4行（学校代码）", "不是本方案所辖"),
        ("第4行（认证单元）", "认证单元目录中没有"),
    ):
        assert place in body and reason in body, place


def test_a_good_certificate_file_is_stored_once(plan: Plan) -> None:
    number = demo_id_number("20030505", 9)
    holder = zhang()
    text = HEADER + (
        f"371503-S01,钱七,{number},x-cert,web-front-end,初级,B-1,某机构,2021-05-01,2024-04-30\n"
        f"371503-S01,钱七,{number},职业技能等级证书（原1+X）,Web前端开发,中级,B-2,某机构,2021-06-01,\n"
        f"371503-S01,{holder.name},{decrypt(holder.id_encrypted)},hrss,electrician,四级,D-9,"
        "【演示数据】茌平区职业技能鉴定中心,2021-03-01,\n"
    )
    first = _upload(plan, text).content.decode()
    assert "新登记学习者 1 人，新增证书 3 张" in first
    new = Learner.objects.get(name="钱七")
    assert new.outcomes.count() == 2 and holder.outcomes.count() == 2
    again = _upload(plan, text).content.decode()
    assert "新登记学习者 0 人，新增证书 0 张（均已提交认定），已有未变 3 张" in again
    assert LearningOutcome.objects.filter(learner=new).count() == 2


def test_the_learners_page_sets_the_pilots_against_the_plan_target(plan: Plan) -> None:
    body = client_of("lingdao").get(reverse("credits:learners", args=[plan.pk])).content.decode()
    found = counts([zhang().school], today())
    assert "证书试点" in body and f"学分银行记录的证书试点 {found.pilots} 项" in body
    assert "5项以上" in body  # the plan's own target, read from the parsed plan
    assert zhang().masked_id in body


def test_the_holder_downloads_his_own_transcript_pdf_and_no_one_elses(plan: Plan) -> None:
    holder = client_of("xuesheng")
    own = zhang()
    assert own.user is not None and own.user.username == "xuesheng"
    url = reverse("credits:my_transcript_pdf")
    assert f'href="{url}"' in holder.get(reverse("credits:mine")).content.decode()
    response = holder.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="transcript-{own.pk}.pdf"'
    # the school's route still answers 404 to him for any other learner
    for other in Learner.objects.exclude(pk=own.pk):
        address = reverse("credits:transcript_pdf", args=[plan.pk, other.pk])
        assert holder.get(address).status_code == 404
    # someone not linked to a learner gets no transcript from his own route
    assert client_of("xuexiao").get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page


def test_the_holder_makes_and_withdraws_his_own_share_links(plan: Plan) -> None:
    holder = client_of("xuesheng")
    mine = holder.get(reverse("credits:mine"))
    assert mine.status_code == 200 and zhang().masked_id in mine.content.decode()
    stored = IssuedCredential.objects.get()
    before = set(ShareLink.objects.values_list("token", flat=True))
    holder.post(reverse("credits:my_share"), {"credential": stored.uid, "days": "3"})
    (token,) = set(ShareLink.objects.values_list("token", flat=True)) - before
    url = reverse("credits:shared", args=[token])
    assert Client().get(url).status_code == 200
    holder.post(reverse("credits:my_withdraw"), {"token": token})
    assert Client().get(url).status_code == 410  # withdrawn: gone, said so (walk #11)
    # another user's account is not the holder's
    assert client_of("xuexiao").get(reverse("credits:mine")).status_code == 404
    other = client_of("xuexiao").post(reverse("credits:my_withdraw"), {"token": token})
    assert other.status_code == 404


def test_a_new_rule_set_version_is_conflict_checked_and_changes_only_later_conversions(
    plan: Plan,
) -> None:
    from gaodi.credits.models import ConversionRuleSetVersion

    url = reverse("credits:new_rules", args=[plan.pk])
    base = {
        "code": "college-x",
        "name": "X证书学分转换规则（示例课程）",
        "effective_from": "2021-09-01",
        "per_certificate": "8",
        "one_course": "on",
        "source": "示例",
    }
    twice = (
        "x-cert,web-front-end,初级,C101,网页设计基础,4,计算机应用,专业基础课\n"
        "x-cert,web-front-end,初级、中级,C101,网页设计基础,4,计算机应用,专业基础课\n"
        "x-cert,web-front-end,特级,C109,某课,10,,\n"
    )
    refused = client_of("zhuanban").post(url, base | {"rules": twice}, follow=True)
    body = refused.content.decode()
    assert "同一学习成果会被计算两次" in body and "超过每证上限" in body and "特级" in body
    assert ConversionRuleSetVersion.objects.count() == 1
    assert client_of("xuexiao").post(url, base | {"rules": twice}).status_code == 404
    good = "x-cert,web-front-end,初级,C101,网页设计基础,3,计算机应用,专业基础课"
    client_of("zhuanban").post(url, base | {"rules": good})
    stored = ConversionRuleSetVersion.objects.get(code="college-x", version=2)
    assert str(stored.effective_from) == "2021-09-01"
    # Zhang's conversion (version 1, 4 credits) is untouched
    assert Conversion.objects.get(learner=zhang()).rule_set_version == 1
    assert LedgerEntry.objects.get(conversion__learner=zhang()).credits == 4


def test_the_demo_is_idempotent(plan: Plan) -> None:
    from gaodi.credits.demo import seed_demo_credits

    tables = (Learner, LearningOutcome, IssuedCredential, ShareLink, LedgerEntry, ChangeRecord)
    before = [model.objects.count() for model in tables]
    seed_demo_credits(plan, zhang().school)
    assert [model.objects.count() for model in tables] == before


def test_the_holder_appeals_a_refusal_once_and_keys_may_be_p256(plan: Plan) -> None:
    from gaodi.credits.models import IssuerKey

    wang = Learner.objects.get(name="【演示数据】王磊")
    case = RecognitionCase.objects.get(outcome__learner=wang)
    zhang_case = RecognitionCase.objects.get(outcome__learner=zhang())
    # 张晓明's account cannot appeal 王磊's case
    response = client_of("xuesheng").post(
        reverse("credits:my_appeal"), {"case": case.pk, "reason": "机构已备案"}
    )
    assert response.status_code == 404
    # the recognised case of his own cannot be appealed (state machine refuses, nothing written)
    client_of("xuesheng").post(reverse("credits:my_appeal"), {"case": zhang_case.pk, "reason": "x"})
    assert zhang_case.steps.count() == 3
    # the same account, linked to 王磊 instead (as if he were the holder), appeals his refusal
    holder = zhang().user
    Learner.objects.filter(pk=zhang().pk).update(user=None)
    Learner.objects.filter(pk=wang.pk).update(user=holder)
    client_of("xuesheng").post(reverse("credits:my_appeal"), {"case": case.pk, "reason": "已备案"})
    case.refresh_from_db()
    assert case.state == recognition.APPEALED
    school = zhang().school
    client_of("zhuanban").post(
        reverse("credits:rotate", args=[plan.pk]), {"school": school.pk, "algorithm": "ES256"}
    )
    current = IssuerKey.objects.get(school=school, retired_at__isnull=True)
    assert current.algorithm == "ES256"
    stored = IssuedCredential.objects.get()
    revoke_credential(stored, reason="换签", actor=None)
    again = issue_credential(LearningOutcome.objects.get(pk=stored.outcome_id), actor=None)
    assert verify_token(again.token).ok and verify_token(stored.token).revoked


def test_another_schools_clerk_sees_and_touches_nothing_of_these_learners(plan: Plan) -> None:
    from gaodi.accounts.choices import Role
    from gaodi.accounts.services import create_member
    from gaodi.orgs.choices import OrgKind
    from gaodi.orgs.services import ensure_org_unit

    second = ensure_org_unit(
        "371503-S02", "第二职业学校", OrgKind.SCHOOL, plan.org_unit, actor=None
    )
    create_member("clerk2", DEMO_PASSWORD, role=Role.SCHOOL, actor=None, org_unit=second)
    clerk = client_of("clerk2")
    found = zhang()
    listing = clerk.get(reverse("credits:learners", args=[plan.pk])).content.decode()
    assert found.name not in listing and found.masked_id not in listing
    assert clerk.get(reverse("credits:learner", args=[plan.pk, found.pk])).status_code == 404
    assert clerk.get(f"/api/v1/learners/{found.pk}/transcript").status_code == 404
    case = RecognitionCase.objects.get(state=recognition.CHECKED)
    step = clerk.post(
        reverse("credits:step", args=[plan.pk, case.pk]), {"action": "review", "reason": "x"}
    )
    assert step.status_code == 404
    case.refresh_from_db()
    assert case.state == recognition.CHECKED
    counted = clerk.get(f"/api/v1/plans/{plan.pk}/credit-counts").json()
    assert counted["certificates"] == [] and counted["credits_converted"] == "0"


def test_the_qr_code_is_segnos_symbol_for_the_verify_address() -> None:
    """The page's QR code is segno's symbol for the verify address (same size, so the same
    version), drawn as SVG with a Chinese title; the address is not echoed into the markup."""
    import segno

    from gaodi.credits.views import qr_code

    url = "http://localhost:8000/credits/verify/205b5bf0-4d85-4e7e-b6c9-04eef9cf7d92/"
    svg = str(qr_code(url))
    assert svg.startswith("<svg") and "扫码验证此凭证" in svg and url not in svg
    expected = segno.make(url, error="m")
    assert f'width="{(expected.symbol_size(scale=4, border=2))[0]}"' in svg


def _catalogue_state() -> tuple[int, int, int, int]:
    from gaodi.credits.models import OutcomeUnit, Qualification, Scheme

    return (
        Scheme.objects.count(),
        OutcomeUnit.objects.count(),
        Qualification.objects.count(),
        ChangeRecord.objects.count(),
    )


QUALIFICATION_FORM = {
    "code": "mech-zz",
    "name": "机电技术应用专业（中职）毕业学分",
    "units": (
        "M101,电工基础,4,必修\nM102,机械制图,3.5,必修\nM201,PLC 应用,3,选修\nM202,钳工实训,2,选修"
    ),
    "total_credits": "10.5",
    "optional_credits": "3",
    "credit_years": "4",
    "max_converted": "6",
    "source": "",
}


def test_the_catalogue_page_lists_schemes_units_and_qualifications_with_sources(
    plan: Plan,
) -> None:
    from gaodi.credits.models import OutcomeUnit, Qualification, Scheme

    url = reverse("credits:catalogue", args=[plan.pk])
    listing = client_of("zhuanban").get(reverse("credits:learners", args=[plan.pk]))
    assert url in listing.content.decode()
    body = client_of("lingdao").get(url).content.decode()
    for scheme in Scheme.objects.all():
        assert scheme.name in body and "、".join(scheme.levels) in body and scheme.source in body
    for unit in OutcomeUnit.objects.all():
        assert unit.name in body and unit.effective_from.isoformat() in body
    for qualification in Qualification.objects.all():
        assert qualification.name in body
        for unit in qualification.units:
            assert unit["name"] in body
    # leaders read, but the forms are the work team's
    assert "添加资格" not in body
    assert "添加资格" in client_of("zhuanban").get(url).content.decode()


@pytest.mark.parametrize(
    ("username", "status"),
    [("zhuanban", 200), ("lingdao", 200), ("xuexiao", 200), ("caizheng", 404), ("jiaoti", 404)],
)
def test_who_sees_the_catalogue(plan: Plan, username: str, status: int) -> None:
    response = client_of(username).get(reverse("credits:catalogue", args=[plan.pk]))
    assert response.status_code == status


@pytest.mark.parametrize("username", ["xuexiao", "lingdao", "caizheng"])
def test_only_the_work_team_adds_to_the_catalogue(plan: Plan, username: str) -> None:
    from gaodi.credits.models import Scheme

    before = _catalogue_state()
    posts = {
        "credits:add_scheme": {
            "code": "skill-x",
            "name": "某体系",
            "levels": "初级、中级",
            "issuers": "某机构",
            "valid_from": "2021-01-01",
        },
        "credits:add_unit": {
            "scheme": Scheme.objects.get(code="x-cert").pk,
            "code": "u-x",
            "name": "某单元",
            "effective_from": "2021-01-01",
        },
        "credits:add_qualification": QUALIFICATION_FORM,
    }
    for name, data in posts.items():
        response = client_of(username).post(reverse(name, args=[plan.pk]), data)
        assert response.status_code == 404, name
    assert _catalogue_state() == before


def test_the_work_team_adds_a_scheme_a_unit_and_a_qualification(plan: Plan) -> None:
    from decimal import Decimal

    from gaodi.credits.models import OutcomeUnit, Qualification, Scheme

    team = client_of("zhuanban")
    team.post(
        reverse("credits:add_scheme", args=[plan.pk]),
        {
            "code": "skill-x",
            "name": "某行业技能证书",
            "levels": "初级、中级、高级",
            "issuers": "甲机构、乙机构",
            "valid_from": "2021-01-01",
            "retired_on": "2027-12-31",
            "source": "",
        },
    )
    scheme = Scheme.objects.get(code="skill-x")
    assert scheme.levels == ["初级", "中级", "高级"] and scheme.issuers == ["甲机构", "乙机构"]
    team.post(
        reverse("credits:add_unit", args=[plan.pk]),
        {
            "scheme": scheme.pk,
            "code": "welding",
            "name": "焊接",
            "credits": "2.5",
            "effective_from": "2021-03-01",
            "effective_to": "2026-02-28",
            "source": "某文件",
        },
    )
    unit = OutcomeUnit.objects.get(scheme=scheme, code="welding")
    assert unit.credits == Decimal("2.5") and str(unit.effective_to) == "2026-02-28"
    team.post(reverse("credits:add_qualification", args=[plan.pk]), QUALIFICATION_FORM)
    stored = Qualification.objects.get(code="mech-zz")
    assert [u["course"] for u in stored.units] == ["M101", "M102", "M201", "M202"]
    assert [u["mandatory"] for u in stored.units] == [True, True, False, False]
    assert stored.total_credits == Decimal("10.5") and stored.max_converted == 6
    assert stored.credit_years == 4 and stored.optional_credits == 3
    for model in ("credits.scheme", "credits.outcomeunit", "credits.qualification"):
        assert ChangeRecord.objects.filter(object_type=model, action="create").exists(), model
    body = team.get(reverse("credits:catalogue", args=[plan.pk])).content.decode()
    assert (
        "某行业技能证书" in body and "焊接" in body and "机电技术应用专业（中职）毕业学分" in body
    )
    assert "证书转换学分上限：6 学分" in body and "PLC 应用" in body
    assert "示例" in body  # the scheme and the qualification were given no source


def test_a_bad_qualification_lists_every_problem_and_stores_nothing(plan: Plan) -> None:
    before = _catalogue_state()
    bad = QUALIFICATION_FORM | {
        "code": "computing-zz",  # the demo's
        "units": "M101,电工基础,4,必修\nM101,重复,四,必选\nM103,只有三项,2\n",
        "total_credits": "abc",
        "credit_years": "0",
    }
    response = client_of("zhuanban").post(
        reverse("credits:add_qualification", args=[plan.pk]), bad, follow=True
    )
    body = response.content.decode()
    assert "未保存" in body
    assert "第 2 行的学分“四”须为 0.5 的正整数倍" in body
    assert "第 2 行的“必选”应为“必修”或“选修”" in body
    assert "第 2 行的课程代码“M101”与第 1 行重复" in body
    assert "第 3 行应为：课程代码，课程名称，学分，必修/选修（四项均必填）" in body
    assert "总学分“abc”不是数字" in body
    assert _catalogue_state() == before
    # good lines, but the service's own checks: duplicate code, years, optional credits offered
    worse = QUALIFICATION_FORM | {
        "code": "computing-zz",
        "credit_years": "0",
        "optional_credits": "9",
    }
    body = (
        client_of("zhuanban")
        .post(reverse("credits:add_qualification", args=[plan.pk]), worse, follow=True)
        .content.decode()
    )
    assert "资格编号“computing-zz”已存在" in body and "学分保留年限须为 1 至 100 年" in body
    assert "要求选修 9 学分，但选修课程合计只有 5 学分" in body
    assert _catalogue_state() == before


def test_a_bad_scheme_or_unit_lists_every_problem_and_stores_nothing(plan: Plan) -> None:
    before = _catalogue_state()
    team = client_of("zhuanban")
    body = team.post(
        reverse("credits:add_scheme", args=[plan.pk]),
        {"code": "x-cert", "name": "", "levels": "初级、初级", "valid_from": "2021-13-01"},
        follow=True,
    ).content.decode()
    assert "认可起始日须为 YYYY-MM-DD 格式" in body
    body = team.post(
        reverse("credits:add_scheme", args=[plan.pk]),
        {
            "code": "x-cert",
            "name": "",
            "levels": "初级、初级",
            "valid_from": "2021-03-01",
            "retired_on": "2020-01-01",
        },
        follow=True,
    ).content.decode()
    for problem in (
        "请填写体系编号和名称",
        "证书体系编号“x-cert”已存在",
        "等级须至少一个且不重复",
        "请至少填写一个发证机构",
        "停止认可日不能早于认可起始日",
    ):
        assert problem in body, problem
    body = team.post(
        reverse("credits:add_unit", args=[plan.pk]),
        {
            "scheme": "0",
            "code": "u",
            "name": "u",
            "credits": "0.3",
            "effective_from": "x",
        },
        follow=True,
    ).content.decode()
    assert "请选择证书体系" in body and "生效日须为 YYYY-MM-DD 格式" in body
    assert _catalogue_state() == before
