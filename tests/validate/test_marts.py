"""The marts the report reads: broken effects, verdicts, keys or members block the report."""

from __future__ import annotations

import pytest

from tests.validate.quality_warehouse import Warehouse


@pytest.mark.parametrize(
    "suite",
    [
        "marts_fct_agreement_effects",
        "marts_fct_agreement_verdicts",
        "marts_fct_member_costs",
        "marts_fct_agreement_kpi_values",
    ],
)
def test_sound_marts_pass(warehouse: Warehouse, suite: str) -> None:
    outcome = warehouse.validate(suite)
    assert outcome.passed, outcome.summary()
    assert set(warehouse.results(suite)) == {rule.name for rule in outcome.suite.all_rules}


@pytest.mark.parametrize(
    ("breakage", "rules"),
    [
        ("effect = 'infinity'", ["numbers_finite", "effect_le_ci_high"]),
        ("ci_low = 'nan'", ["numbers_finite"]),
        ("ci_low = -12.0", ["ci_low_le_effect"]),  # effect is -12.5
        ("ci_high = -13.0", ["effect_le_ci_high"]),
        ("p_value = 1.5", ["p_value_in_unit_interval"]),
    ],
)
def test_broken_effects_block(warehouse: Warehouse, breakage: str, rules: list[str]) -> None:
    warehouse.execute(f"update marts.fct_agreement_effects set {breakage} where municipality_id = '0682'")
    outcome = warehouse.validate("marts_fct_agreement_effects")
    assert [r.rule.name for r in outcome.blocking_failures] == rules
    assert warehouse.results("marts_fct_agreement_effects")[rules[0]][:2] == ("blocking", False)


@pytest.mark.parametrize("verdict", ["okänt", None])
def test_a_verdict_outside_the_allowed_set_blocks(warehouse: Warehouse, verdict: str | None) -> None:
    warehouse.execute(
        "update marts.fct_agreement_verdicts set verdict = ? where dimension = 'kostnad'", [verdict]
    )
    outcome = warehouse.validate("marts_fct_agreement_verdicts")
    expected = "verdict_allowed" if verdict else "verdict_not_null"
    assert [r.rule.name for r in outcome.blocking_failures] == [expected]


def test_cost_keys_not_summing_to_100_block(warehouse: Warehouse) -> None:
    warehouse.execute(
        "update marts.fct_member_costs set share_pct = 50 where agreement_id = 'raddning'"
        " and municipality_id = '0685' and year = 2021"
    )
    outcome = warehouse.validate("marts_fct_member_costs")
    (failure,) = outcome.blocking_failures
    assert failure.rule.name == "key_shares_sum_to_100" and failure.unexpected_count == 1
    assert "110" in (failure.details or "")


def test_years_outside_membership_do_not_count_towards_the_key(warehouse: Warehouse) -> None:
    warehouse.execute(
        "insert into marts.fct_member_costs values ('raddning', '0604', 2021, false, 25.0, null)"
    )
    assert warehouse.validate("marts_fct_member_costs").passed


@pytest.mark.parametrize(
    ("suite", "fact"),
    [
        ("marts_fct_member_costs", "marts.fct_member_costs"),
        ("marts_fct_agreement_kpi_values", "marts.fct_agreement_kpi_values"),
    ],
)
def test_a_registry_member_missing_from_the_facts_blocks(warehouse: Warehouse, suite: str, fact: str) -> None:
    warehouse.execute(f"delete from {fact} where agreement_id = 'formyndare' and municipality_id = '0685'")
    outcome = warehouse.validate(suite)
    # (without 0685 the förmyndare key no longer sums to 100 either)
    (missing,) = [r for r in outcome.blocking_failures if r.rule.name == "registry_members_present"]
    assert missing.unexpected_count == 1


def test_a_missing_mart_blocks_with_its_name(warehouse: Warehouse) -> None:
    warehouse.execute("drop table marts.fct_agreement_verdicts")
    outcome = warehouse.validate("marts_fct_agreement_verdicts")
    assert outcome.blocked
    assert "fct_agreement_verdicts" in warehouse.results("marts_fct_agreement_verdicts")["suite_ran"][3]
