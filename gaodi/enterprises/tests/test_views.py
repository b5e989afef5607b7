"""The 产教融合型企业 pages and API on the demo: who sees what, the ledger with its working and
the 估算 statement, the forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gaodi.accounts.choices import Role
from gaodi.accounts.services import create_member
from gaodi.demo import DEMO_PASSWORD
from gaodi.enterprises.credit import preset
from gaodi.enterprises.credit_code import check_digit
from gaodi.enterprises.demo import HUAXIN, LUXI
from gaodi.enterprises.models import (
    CertificationStep,
    Cooperation,
    IntegrationEnterprise,
    InvestmentDeclaration,
)
from gaodi.enterprises.queries import ledger_of
from gaodi.enterprises.services import EnterpriseInput, register_enterprise
from gaodi.enterprises.templatetags.enterprise_display import cents
from gaodi.plans.models import Plan
from gaodi.plans.templatetags.plan_display import grouped
from tests.helpers import client_of

pytestmark = pytest.mark.django_db
ESTIMATE = "估算，以税务机关认定为准"


def money(value: Decimal) -> str:
    """As the pages show a credit amount: to the 分, grouped (1,200,000)."""
    return str(grouped(cents(value)))


def profile(name: str = LUXI) -> IntegrationEnterprise:
    return IntegrationEnterprise.objects.get(enterprise__name=name)


def detail_url(plan: Plan, name: str = LUXI, action: str = "detail") -> str:
    return reverse(f"enterprises:{action}", args=[plan.pk, profile(name).pk])


def test_the_register_lists_status_and_cooperation_and_filters(plan: Plan) -> None:
    url = reverse("enterprises:register", args=[plan.pk])
    page = client_of("lingdao").get(url).content.decode()
    assert LUXI in page and "省级培育" in page and "订单班" in page and ESTIMATE in page
    filtered = client_of("lingdao").get(url + "?status=审核").content.decode()
    assert HUAXIN in filtered and LUXI not in filtered
    assert "登记企业" not in page  # the leader reads only
    assert "登记企业" in client_of("zhuanban").get(url).content.decode()


def test_the_enterprise_page_shows_the_ledger_its_working_and_the_statement(plan: Plan) -> None:
    page = client_of("caizheng").get(detail_url(plan)).content.decode()
    found = ledger_of(profile()).ledger
    assert ESTIMATE in page and "计算过程和依据" in page
    assert "财税〔2019〕46号" in page and "示例" in page
    assert f"合计减少附加收入 {money(found.revenue_forgone)} 元" in page
    for row in found.rows:
        assert row.working[1] in page
        assert f'<td class="num">{money(row.closing_carry)}</td>' in page
    assert f"{preset().name} 第 1 版" in page  # the name and 第 N 版, not the code alone
    assert "integration-enterprise-credit v1" not in page
    assert "省级培育（纳入建设培育范围）" in page  # labels, not the keys 省/培育
    assert "createuser" not in page and "--role" not in page


def test_the_work_team_is_told_in_plain_words_who_makes_the_enterprise_logins(plan: Plan) -> None:
    page = client_of("zhuanban").get(detail_url(plan, HUAXIN)).content.decode()
    assert "开通企业账号所属机构" in page and "系统管理员" in page and "createuser" not in page
    opened = client_of("zhuanban").post(detail_url(plan, HUAXIN, "account"), follow=True)
    text = opened.content.decode()
    assert "已开通" in text and "系统管理员" in text and "createuser" not in text


def test_a_school_clerk_and_another_place_get_404(plan: Plan) -> None:
    assert client_of("xuexiao").get(detail_url(plan)).status_code == 404
    url = reverse("enterprises:register", args=[plan.pk])
    assert client_of("xuexiao").get(url).status_code == 404


def test_the_work_team_adds_an_enterprise_through_the_form(plan: Plan) -> None:
    response = client_of("zhuanban").post(
        reverse("enterprises:add", args=[plan.pk]),
        {"name": "丁公司", "credit_code": "91350100M000100Y43", "sector": "纺织", "size": "小型"},
    )
    added = IntegrationEnterprise.objects.get(enterprise__name="丁公司")
    assert response.status_code == 302 and response["Location"].endswith(f"/{added.pk}/")


def test_a_bad_form_is_shown_with_every_problem_and_writes_nothing(plan: Plan) -> None:
    count = IntegrationEnterprise.objects.count()
    response = client_of("zhuanban").post(
        reverse("enterprises:add", args=[plan.pk]),
        {"name": "", "credit_code": "123", "sector": "", "size": "小型"},
        follow=True,
    )
    text = response.content.decode()
    assert "请填写企业名称" in text and "18 位" in text and "请填写所属行业" in text
    assert IntegrationEnterprise.objects.count() == count


def test_the_work_team_moves_steps_records_cooperation_and_investment(plan: Plan) -> None:
    team = client_of("zhuanban")
    team.post(
        detail_url(plan, HUAXIN, "step"),
        {"state": "培育", "on": "2021-06-01", "level": "市", "source": "聊城市培育名单"},
    )
    assert CertificationStep.objects.filter(profile=profile(HUAXIN), state="培育").exists()
    school = Cooperation.objects.filter(profile=profile()).first().school
    team.post(
        detail_url(plan, HUAXIN, "cooperation"),
        {"school": school.pk, "form": "订单班", "start_year": "2021"},
    )
    assert profile(HUAXIN).cooperations.filter(form="订单班").exists()
    team.post(
        detail_url(plan, HUAXIN, "investment"),
        {
            "year": "2021",
            "amount": "50000",
            "purpose": "实训设备",
            "eligible": "yes",
            "eligibility_reason": "办学投入",
        },
    )
    assert InvestmentDeclaration.objects.filter(profile=profile(HUAXIN), amount=50000).exists()


def test_only_the_work_team_writes(plan: Plan) -> None:
    count = CertificationStep.objects.count()
    response = client_of("lingdao").post(
        detail_url(plan, HUAXIN, "step"), {"state": "培育", "on": "2021-06-01"}
    )
    assert response.status_code == 404 and CertificationStep.objects.count() == count


def test_the_api_gives_the_register_and_the_ledger_with_working(plan: Plan) -> None:
    leader = client_of("lingdao")
    register = leader.get(f"/api/v1/plans/{plan.pk}/enterprises").json()
    luxi = next(e for e in register if e["name"] == LUXI)
    assert luxi["status"] == "培育" and luxi["level"] == "省"
    assert {c["form"] for c in luxi["cooperation"]} >= {"订单班", "实训基地"}
    credits = leader.get(f"/api/v1/plans/{plan.pk}/enterprise-credits").json()
    ledger = next(e for e in credits["enterprises"] if e["name"] == LUXI)
    assert ledger["statement"] == ESTIMATE and credits["statement"] == ESTIMATE
    assert ledger["rows"][0]["parameters_version"] == 1 and ledger["rows"][0]["working"]
    assert ledger["rows"][0]["parameters_name"] == preset().name
    assert client_of("xuexiao").get(f"/api/v1/plans/{plan.pk}/enterprises").status_code == 404


def test_an_enterprise_member_reads_his_own_page_only_and_declares_investment(plan: Plan) -> None:
    team = client_of("zhuanban")
    team.post(detail_url(plan, HUAXIN, "account"))
    unit = profile(HUAXIN).org_unit
    assert unit is not None and unit.kind == "enterprise" and unit.parent == plan.org_unit
    create_member("qiye", DEMO_PASSWORD, role=Role.ENTERPRISE, actor=None, org_unit=unit)
    member = client_of("qiye")
    page = member.get(detail_url(plan, HUAXIN)).content.decode()
    assert "登记投资申报" in page and "记录下一环节" not in page and "录入应缴附加" not in page
    assert member.get(detail_url(plan, LUXI)).status_code == 404
    assert member.get(reverse("enterprises:register", args=[plan.pk])).status_code == 404
    member.post(
        detail_url(plan, HUAXIN, "investment"),
        {
            "year": "2021",
            "amount": "80000",
            "purpose": "订单班教学设备",
            "eligible": "yes",
            "eligibility_reason": "订单班办学投入",
        },
    )
    declared = InvestmentDeclaration.objects.get(profile=profile(HUAXIN), amount=80000)
    assert declared.source == "企业申报" and declared.declared_by is not None
    before = CertificationStep.objects.count()
    response = member.post(detail_url(plan, HUAXIN, "step"), {"state": "培育", "on": "2021-06-01"})
    assert response.status_code == 404 and CertificationStep.objects.count() == before
    assert member.post(detail_url(plan, LUXI, "investment"), {"year": "2021"}).status_code == 404


def test_the_register_and_its_api_do_not_query_per_enterprise(plan: Plan) -> None:
    leader = client_of("lingdao")
    urls = [
        reverse("enterprises:register", args=[plan.pk]),
        f"/api/v1/plans/{plan.pk}/enterprises",
        f"/api/v1/plans/{plan.pk}/enterprise-credits",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert leader.get(url).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    for serial in range(2):
        first17 = f"91371503MA3DW0{serial:03d}"
        given = EnterpriseInput(f"查询数测试{serial}", first17 + check_digit(first17), "x", "小型")
        register_enterprise(plan, given, source="录入", actor=None)
    assert counts() == before


def test_the_register_shows_the_parameters_with_sources_and_the_team_saves_a_version(
    plan: Plan,
) -> None:
    url = reverse("enterprises:register", args=[plan.pk])
    page = client_of("lingdao").get(url).content.decode()
    assert f"{preset().name}（第 1 版" in page and "<strong>示例</strong>" in page
    assert "另存新版本" not in page
    response = client_of("zhuanban").post(
        reverse("enterprises:parameters", args=[plan.pk]),
        {
            "rate": "30",
            "carry_forward": "yes",
            "carry_years": "5",
            "qualifying_day": "year_end",
            "effective_from": "2021-01-01",
            "source": "区政府常务会议纪要（测试）",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "第 1 版，2021-01-01 起施行" in text and "结转以后 5 年" in text


def test_the_register_and_the_api_sum_revenue_forgone_per_year_over_the_enterprises(
    plan: Plan,
) -> None:
    """减少的附加收入（估算） of the place: per year, the credit used by each enterprise —
    recomputed here from the rule (30 % of eligible investment, at most the year's two
    surcharges) for a second enterprise, and from the demo enterprise's own ledger."""
    team = client_of("zhuanban")
    huaxin = detail_url(plan, HUAXIN, "step")
    team.post(huaxin, {"state": "培育", "on": "2021-06-01", "level": "市", "source": "市培育名单"})
    investment, education, local = 50_000, 6_000, 4_000
    team.post(
        detail_url(plan, HUAXIN, "investment"),
        {
            "year": "2021",
            "amount": str(investment),
            "purpose": "实训设备",
            "eligible": "yes",
            "eligibility_reason": "办学投入",
        },
    )
    team.post(
        detail_url(plan, HUAXIN, "surcharge"),
        {
            "year": "2021",
            "education_surcharge": str(education),
            "local_education_surcharge": str(local),
            "source": "区税务局提供",
        },
    )
    huaxin_used = min(investment * preset().rate, Decimal(education + local))
    assert huaxin_used > 0
    expected: dict[int, tuple[Decimal, int]] = {}
    for row in ledger_of(profile()).ledger.rows:
        expected[row.year] = (row.credit_used, 1 if row.credit_used else 0)
    total, count = expected.get(2021, (Decimal(0), 0))
    expected[2021] = (total + huaxin_used, count + 1)
    overall = sum((v for v, _n in expected.values()), Decimal(0))

    credits = client_of("caizheng").get(f"/api/v1/plans/{plan.pk}/enterprise-credits").json()
    assert {
        y["year"]: (Decimal(y["revenue_forgone"]), y["enterprises"]) for y in credits["years"]
    } == (expected)
    assert Decimal(credits["revenue_forgone"]) == overall
    assert credits["enterprises_contributing"] == 2 and credits["statement"] == ESTIMATE

    page = client_of("caizheng").get(reverse("enterprises:register", args=[plan.pk]))
    text = page.content.decode()
    assert "减少的附加收入（估算）" in text and ESTIMATE in text
    assert f"共减少附加收入 {money(overall)} 元，2 家企业有抵免" in text
    for year, (value, n) in expected.items():
        cells = f'<th scope="row">{year}</th><td class="num">{money(value)}</td>'
        assert f'{cells}<td class="num">{n}</td>' in text
    filtered = client_of("caizheng").get(
        reverse("enterprises:register", args=[plan.pk]) + "?status=审核"
    )
    assert f"共减少附加收入 {money(overall)} 元" in filtered.content.decode()  # not filtered
