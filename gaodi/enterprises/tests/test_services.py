"""The register's services on the demo: one enterprise table, checked credit codes, refusals
that list every problem and write nothing, change records, the demo ledger."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

import pytest

from gaodi.audit.models import ChangeRecord
from gaodi.enterprises import certification as c
from gaodi.enterprises.credit import preset
from gaodi.enterprises.credit_code import check_digit
from gaodi.enterprises.demo import DEMO_INVESTMENTS, DEMO_SURCHARGES, LUXI
from gaodi.enterprises.models import (
    CertificationStep,
    CreditParameterVersion,
    IntegrationEnterprise,
    InvestmentDeclaration,
    SurchargePayable,
)
from gaodi.enterprises.queries import ledger_of, register_of, status_of
from gaodi.enterprises.services import (
    EnterpriseInput,
    InvestmentInput,
    Refused,
    declare_investment,
    new_parameter_version,
    place_code,
    record_step,
    record_surcharge,
    register_enterprise,
    save_parameters,
)
from gaodi.plans.models import Plan
from gaodi.specialties.models import Enterprise

pytestmark = pytest.mark.django_db


def code(serial: str) -> str:
    first17 = f"91371503MA3DX{serial:0>4}"
    return first17 + check_digit(first17)


def luxi() -> IntegrationEnterprise:
    return IntegrationEnterprise.objects.get(enterprise__name=LUXI)


def test_the_demo_enterprises_are_the_supply_and_demand_ones_not_a_second_list(plan: Plan) -> None:
    profiles = register_of(plan)
    assert len(profiles) == 4
    for profile in profiles:
        assert profile.enterprise.declarations.exists()  # the same row 供求信息 uses
        assert profile.enterprise.credit_code and profile.source == "【演示数据】"
    assert Enterprise.objects.filter(name=LUXI).count() == 1
    assert {status_of(p) for p in profiles} == {c.CULTIVATING, c.REVIEW, c.APPLIED, c.REJECTED}


def test_the_demo_ledger_carries_credit_forward_across_2020_to_2022(plan: Plan) -> None:
    found = ledger_of(luxi()).ledger
    eligible = {}
    for year, amount, _purpose, ok, _reason in DEMO_INVESTMENTS:
        eligible[year] = eligible.get(year, 0) + (amount if ok else 0)
    carry = Decimal(0)
    for row, (year, education, local) in zip(found.rows, DEMO_SURCHARGES, strict=True):
        new = eligible[year] * Decimal("0.3")
        used = min(carry + new, education + local)
        carry += new - used
        assert (row.year, row.credit_used, row.closing_carry) == (year, used, carry)
    assert found.rows[0].closing_carry > 0  # a carry-forward is shown


def test_registering_fills_the_code_of_an_existing_enterprise_and_records_it(plan: Plan) -> None:
    existing = Enterprise.objects.create(name="甲公司", source="录入")
    given = EnterpriseInput("甲公司", code("1"), "纺织服装", "中型")
    profile = register_enterprise(plan, given, source="录入", actor=None)
    existing.refresh_from_db()
    assert profile.enterprise == existing and existing.credit_code == code("1")
    assert ChangeRecord.objects.filter(
        object_type="specialties.enterprise", object_id=str(existing.pk), action="update"
    ).exists()
    assert ChangeRecord.objects.filter(
        object_type="enterprises.integrationenterprise", object_id=str(profile.pk)
    ).exists()


def test_a_bad_registration_lists_every_problem_and_writes_nothing(plan: Plan) -> None:
    before = (Enterprise.objects.count(), IntegrationEnterprise.objects.count())
    bad = EnterpriseInput("乙" * 101, code("2")[:17] + "0", "", "巨型")
    with pytest.raises(Refused) as refused:
        register_enterprise(plan, bad, source="录入", actor=None)
    message = str(refused.value)
    for part in ("100 个字", "校验位", "所属行业", "大型、中型、小型或微型"):
        assert part in message
    assert (Enterprise.objects.count(), IntegrationEnterprise.objects.count()) == before


def test_the_same_code_for_another_name_and_a_second_profile_are_refused(plan: Plan) -> None:
    taken = luxi().enterprise.credit_code
    with pytest.raises(Refused, match="另一家企业"):
        register_enterprise(
            plan, EnterpriseInput("丙公司", taken, "x", "小型"), source="录入", actor=None
        )
    with pytest.raises(Refused, match="已在产教融合型企业名录中"):
        register_enterprise(
            plan, EnterpriseInput(LUXI, taken, "x", "小型"), source="录入", actor=None
        )


def test_a_step_must_follow_the_workflow_and_not_be_in_the_future(plan: Plan) -> None:
    profile = luxi()
    count = CertificationStep.objects.count()
    with pytest.raises(Refused) as refused:
        record_step(profile, c.Step(c.APPLIED, dt.date(2021, 7, 1)), actor=None)
    assert "不能转为" in str(refused.value) and "晚于今天" in str(refused.value)
    assert CertificationStep.objects.count() == count
    record_step(profile, c.Step(c.CERTIFIED, dt.date(2021, 6, 1), c.PROVINCE, "名单"), actor=None)
    assert status_of(profile) == c.CERTIFIED


def test_surcharges_are_corrected_with_the_old_figures_kept(plan: Plan) -> None:
    profile = luxi()
    stored = record_surcharge(profile, 2020, 1, 2, source="区税务局", actor=None)
    assert SurchargePayable.objects.filter(profile=profile, year=2020).count() == 1
    last = ChangeRecord.objects.filter(
        object_id=str(stored.pk), object_type="enterprises.surchargepayable"
    ).latest("pk")
    assert last.action == "update" and last.before["education_surcharge"] == DEMO_SURCHARGES[0][1]
    with pytest.raises(Refused, match="应缴教育费附加"):
        record_surcharge(profile, 2020, -1, 2, source="x", actor=None)


def test_an_investment_needs_its_purpose_reason_and_a_whole_amount(plan: Plan) -> None:
    count = InvestmentDeclaration.objects.count()
    with pytest.raises(Refused) as refused:
        declare_investment(
            luxi(), InvestmentInput(1999, None, "", True, ""), source="录入", actor=None
        )
    for part in ("年份", "投资额", "投资用途", "认定理由"):
        assert part in str(refused.value)
    assert InvestmentDeclaration.objects.count() == count


def test_a_new_parameter_version_changes_only_later_years_of_the_stored_ledger(plan: Plan) -> None:
    before = ledger_of(luxi()).ledger
    lower = replace(preset(), version=2, effective_from=dt.date(2022, 1, 1), rate=Decimal("0.2"))
    save_parameters(lower, actor=None)
    after = ledger_of(luxi()).ledger
    assert after.rows[:2] == before.rows[:2]
    assert after.rows[2].parameters_version == 2 and after.rows[2] != before.rows[2]
    with pytest.raises(Refused, match="已存在"):
        save_parameters(lower, actor=None)


def test_a_place_version_replaces_the_preset_from_its_effective_date_only(plan: Plan) -> None:
    before = ledger_of(luxi()).ledger
    stored = new_parameter_version(
        plan,
        rate=Decimal("0.30"),
        carry_forward=False,
        carry_years=None,
        qualifying_day="any_day",
        effective_from=dt.date(2021, 1, 1),
        source="某区财政局文件（测试）",
        actor=None,
    )
    assert stored.code == place_code(plan.org_unit) and stored.version == 1
    after = ledger_of(luxi()).ledger
    assert after.rows[0] == before.rows[0]
    assert after.rows[1].parameters_code == stored.code
    assert after.rows[1].lapsed == before.rows[1].closing_carry  # no carry-forward from 2021
    assert after.rows[2].opening_carry == 0
    with pytest.raises(Refused) as refused:
        new_parameter_version(
            plan,
            rate=Decimal("1.5"),
            carry_forward=True,
            carry_years=None,
            qualifying_day="any_day",
            effective_from=dt.date(2020, 1, 1),
            source="",
            actor=None,
        )
    for part in ("依据", "早于第 1 版", "抵免比例"):
        assert part in str(refused.value)


def test_the_refusal_is_the_shared_one() -> None:
    from gaodi.specialties import services as shared

    assert Refused is shared.Refused


def test_migration_0002_gives_stored_versions_the_sources_of_their_parameters(plan: Plan) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("gaodi.enterprises.migrations.0002_versioned_parameters")
    stored = CreditParameterVersion.objects.get(code=preset().code, version=1)
    stored.source = ""
    stored.save(update_fields=["source"])
    migration.fill_source(apps, None)
    stored.refresh_from_db()
    assert stored.source == preset().source_summary() and stored.data == preset().to_json()
    assert str(stored) == f"{preset().name} v1"
