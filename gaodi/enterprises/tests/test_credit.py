"""The estimated 30 % credit ledger (credit.py): worked examples, edge cases, versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from gaodi.achievements.versions import EXAMPLE, ParameterError
from gaodi.enterprises import credit
from gaodi.enterprises.certification import CULTIVATING, Period
from gaodi.enterprises.credit import CreditParameters, YearFigures, ledger, preset

ALWAYS = [Period(date(2019, 12, 20), None, CULTIVATING, "省")]
RATE = Decimal("0.30")


def figures(year: int, investment: int, education: int | None, local: int | None) -> YearFigures:
    return YearFigures(year, investment, 0, education, local)


def test_the_demo_enterprise_carries_unused_credit_forward_and_uses_it_later() -> None:
    years = [
        figures(2020, 1_200_000, 90_000, 60_000),
        figures(2021, 300_000, 105_000, 70_000),
        figures(2022, 100_000, 120_000, 80_000),
    ]
    found = ledger(years, ALWAYS, [preset()])
    carry = Decimal(0)
    for row, given in zip(found.rows, years, strict=True):
        new = given.eligible_investment * RATE
        payable = Decimal(given.payable or 0)
        used = min(carry + new, payable)
        assert (row.opening_carry, row.new_credit, row.credit_used) == (carry, new, used)
        carry = carry + new - used
        assert row.closing_carry == carry
        assert row.revenue_forgone == used
    assert [r.closing_carry for r in found.rows] == [210_000, 125_000, 0]
    assert found.revenue_forgone == 150_000 + 175_000 + 155_000
    assert found.statement == "估算，以税务机关认定为准"


def test_each_row_records_the_version_that_produced_it() -> None:
    found = ledger([figures(2020, 100, 10, 10)], ALWAYS, [preset()])
    assert (found.rows[0].parameters_code, found.rows[0].parameters_version) == (
        preset().code,
        1,
    )
    assert found.parameters == (preset(),)


def test_a_new_version_changes_only_the_years_on_or_after_its_effective_date() -> None:
    years = [figures(y, 1_000_000, 50_000, 50_000) for y in (2020, 2021, 2022)]
    before = ledger(years, ALWAYS, [preset()])
    lower = replace(preset(), version=2, effective_from=date(2022, 1, 1), rate=Decimal("0.20"))
    after = ledger(years, ALWAYS, [preset(), lower])
    assert after.rows[:2] == before.rows[:2]
    assert after.rows[2].parameters_version == 2
    assert after.rows[2].new_credit == 1_000_000 * Decimal("0.20")
    assert after.rows[2] != before.rows[2]
    assert after.parameters == (preset(), lower)


def test_without_carry_forward_unused_credit_lapses_each_year() -> None:
    off = replace(preset(), carry_forward=False)
    found = ledger(
        [figures(2020, 1_000_000, 60_000, 40_000), figures(2021, 0, 60_000, 40_000)], ALWAYS, [off]
    )
    assert found.rows[0].lapsed == 1_000_000 * RATE - 100_000
    assert found.rows[0].closing_carry == 0
    assert found.rows[1].credit_used == 0
    assert found.revenue_forgone == 100_000


def test_a_carry_limit_expires_the_oldest_credit_first() -> None:
    two_years = replace(preset(), carry_years=1)
    years = [
        figures(2020, 1_000_000, 50_000, 50_000),
        figures(2021, 0, 50_000, 50_000),
        figures(2022, 0, 50_000, 50_000),
    ]
    found = ledger(years, ALWAYS, [two_years])
    # 300,000 earned in 2020: 100,000 used in 2020 and 2021, the rest expires at 2022's start
    assert [r.credit_used for r in found.rows] == [100_000, 100_000, 0]
    assert found.rows[2].expired == 100_000
    assert found.closing_carry == 0


def test_a_year_before_listing_earns_nothing_and_carried_credit_waits() -> None:
    listed = [Period(date(2020, 1, 1), date(2020, 12, 31), CULTIVATING, "省")]
    years = [figures(2020, 1_000_000, 50_000, 50_000), figures(2021, 500_000, 50_000, 50_000)]
    found = ledger(years, listed, [preset()])
    assert found.rows[0].qualified and not found.rows[1].qualified
    assert found.rows[1].new_credit == 0 and found.rows[1].credit_used == 0
    assert found.rows[1].closing_carry == found.rows[0].closing_carry == 200_000


def test_year_end_rule_needs_the_listing_on_31_december() -> None:
    ends_midyear = [Period(date(2019, 1, 1), date(2020, 6, 30), CULTIVATING, "省")]
    year = [figures(2020, 100_000, 10_000, 10_000)]
    assert ledger(year, ends_midyear, [preset()]).rows[0].qualified
    strict = replace(preset(), qualifying_day=credit.YEAR_END)
    assert not ledger(year, ends_midyear, [strict]).rows[0].qualified


def test_nothing_counts_before_the_policy_start() -> None:
    early = [Period(date(2017, 1, 1), None, CULTIVATING, "省")]
    old = replace(preset(), effective_from=date(2017, 1, 1))
    found = ledger(
        [figures(2018, 100_000, 1_000, 1_000), figures(2019, 0, 1_000, 1_000)], early, [old]
    )
    assert not found.rows[0].qualified and found.rows[0].new_credit == 0
    assert found.rows[1].qualified


def test_a_year_with_no_parameters_in_force_says_so() -> None:
    found = ledger([figures(2018, 100_000, 1_000, 1_000)], ALWAYS, [preset()])
    assert found.rows[0].parameters_version is None
    assert "尚无施行中的抵免参数" in "".join(found.rows[0].working)


def test_missing_surcharges_use_nothing_and_carry_everything() -> None:
    found = ledger([figures(2020, 100_000, None, None)], ALWAYS, [preset()])
    row = found.rows[0]
    assert row.surcharge_payable is None and row.credit_used == 0
    assert row.closing_carry == 100_000 * RATE
    assert "未录入" in "".join(row.working)


def test_a_missing_year_in_between_is_filled_with_nothing_declared() -> None:
    found = ledger(
        [figures(2020, 100_000, 0, 0), figures(2022, 0, 20_000, 20_000)], ALWAYS, [preset()]
    )
    assert [r.year for r in found.rows] == [2020, 2021, 2022]
    assert found.rows[1].surcharge_payable is None
    assert found.rows[2].credit_used == 30_000


def test_zero_surcharge_and_no_figures() -> None:
    found = ledger([figures(2020, 100_000, 0, 0)], ALWAYS, [preset()])
    assert found.rows[0].credit_used == 0 and found.closing_carry == 30_000
    assert ledger([], ALWAYS, [preset()]).rows == ()


def test_ineligible_investment_is_shown_but_earns_nothing() -> None:
    found = ledger([YearFigures(2020, 0, 150_000, 1_000, 1_000)], ALWAYS, [preset()])
    assert found.rows[0].new_credit == 0
    assert "不符合规定的投资 150,000 元 不计" in found.rows[0].working


def test_the_working_shows_the_sum_and_the_explanation_names_sources_and_examples() -> None:
    found = ledger([figures(2020, 1_200_000, 90_000, 60_000)], ALWAYS, [preset()])
    assert "新增抵免额 = 符合规定的投资 1,200,000 元 × 30% = 360,000 元" in found.rows[0].working
    sentences = credit.explain(found, "甲公司")
    text = "".join(sentences)
    assert "财税〔2019〕46号" in text and "重点任务（十二）" in text
    assert f"结转以后年度，不设年限（{EXAMPLE}" in text
    assert "估算，以税务机关认定为准" in text


def test_parameters_are_checked_and_round_trip() -> None:
    assert CreditParameters.from_json(preset().to_json()) == preset()
    assert preset().is_example  # carry-forward is unverified
    for bad in (
        {"rate": Decimal("1.5")},
        {"carry_years": 0},
        {"qualifying_day": "x"},
        {"version": 0},
    ):
        with pytest.raises(ParameterError):
            replace(preset(), **bad)
    with pytest.raises(ParameterError):
        YearFigures(2020, -1)


def test_the_ledger_is_json_ready() -> None:
    found = ledger([figures(2020, 100_001, 10_000, 10_000)], ALWAYS, [preset()])
    data = found.to_json()
    assert data["rows"][0]["new_credit"] == "30000.30"
    assert data["rows"][0]["revenue_forgone"] == "20000"
    assert data["statement"] == "估算，以税务机关认定为准"


def test_the_district_totals_sum_each_years_credit_used_over_the_enterprises() -> None:
    """Revenue forgone of a place, recomputed from the rule: A invests 100,000 in 2020 against
    20,000 of surcharges (the rest carried), uses the carry against 5,000 in 2021; B invests
    10,000 in 2021 against 50,000; C has surcharges but no investment (contributes nothing)."""
    a = ledger(
        [figures(2020, 100_000, 12_000, 8_000), figures(2021, 0, 3_000, 2_000)], ALWAYS, [preset()]
    )
    b = ledger([figures(2021, 10_000, 30_000, 20_000)], ALWAYS, [preset()])
    c = ledger([figures(2022, 0, 1_000, 1_000)], ALWAYS, [preset()])
    found = credit.district_totals([a, b, c])
    a2020 = min(100_000 * RATE, Decimal(20_000))
    a2021 = min(100_000 * RATE - a2020, Decimal(5_000))
    b2021 = min(10_000 * RATE, Decimal(50_000))
    assert [(y.year, y.revenue_forgone, y.enterprises) for y in found.years] == [
        (2020, a2020, 1),
        (2021, a2021 + b2021, 2),
        (2022, Decimal(0), 0),
    ]
    assert found.revenue_forgone == a2020 + a2021 + b2021 == a.revenue_forgone + b.revenue_forgone
    assert found.enterprises == 2
    assert found.statement == credit.ESTIMATE
    assert (
        credit.district_totals([]).years == () and credit.district_totals([]).revenue_forgone == 0
    )


def test_each_row_names_its_parameters_and_the_working_names_no_bare_code() -> None:
    found = ledger([figures(2020, 100_000, 10_000, 10_000)], ALWAYS, [preset()])
    assert found.rows[0].parameters_name == preset().name
    for sentence in credit.explain(found, "甲公司"):
        assert preset().code not in sentence


def test_the_stored_source_names_each_parameters_source_once() -> None:
    summary = preset().source_summary()
    assert credit.TAX_SOURCE in summary and EXAMPLE in summary
    assert summary.count(EXAMPLE) == 1


def test_amounts_in_the_working_are_grouped_to_the_fen() -> None:
    assert credit.yuan(Decimal(1_200_000)) == "1,200,000 元"
    assert credit.yuan(Decimal("3600.5")) == "3,600.50 元"
    assert credit.yuan(Decimal("0.004")) == "0 元"
