"""raw.scb_rs_values: Riket must be the sum of the kommuner, brutto − intäkt must be netto."""

from __future__ import annotations

from tests.validate.quality_warehouse import Warehouse

SUITE = "raw_scb_rs_values"
RIKET_ROW = "region = '00' and verksamhet = '270' and contents_code = '0000005X' and year = 2021"


def test_consistent_figures_pass(warehouse: Warehouse) -> None:
    outcome = warehouse.validate(SUITE)
    assert outcome.passed, outcome.summary()
    assert set(warehouse.results(SUITE)) == {rule.name for rule in outcome.suite.all_rules}


def test_riket_off_by_more_than_rounding_blocks(warehouse: Warehouse) -> None:
    warehouse.execute(f"update raw.scb_rs_values set value_tkr = value_tkr + 500 where {RIKET_ROW}")
    outcome = warehouse.validate(SUITE)
    assert [r.rule.name for r in outcome.blocking_failures] == ["riket_equals_sum_of_kommuner"]
    assert warehouse.results(SUITE)["riket_equals_sum_of_kommuner"][:3] == ("blocking", False, 1)


def test_riket_within_rounding_passes(warehouse: Warehouse) -> None:
    # three kommuner allow 3 tkr; Riket's own brutto − intäkt = netto allows 2 tkr
    warehouse.execute(f"update raw.scb_rs_values set value_tkr = value_tkr + 1.5 where {RIKET_ROW}")
    assert warehouse.validate(SUITE).passed


def test_a_missing_kommun_makes_riket_disagree(warehouse: Warehouse) -> None:
    warehouse.execute("delete from raw.scb_rs_values where region = '0604' and year = 2022")
    outcome = warehouse.validate(SUITE)
    assert [r.rule.name for r in outcome.blocking_failures] == ["riket_equals_sum_of_kommuner"]
    # 2 verksamheter x 3 measures in 2022
    assert outcome.blocking_failures[0].unexpected_count == 6


def test_netto_not_brutto_minus_income_warns_and_flows_on(warehouse: Warehouse) -> None:
    for region in ("0682", "00"):  # keep Riket = sum, so only the netto rule fails
        warehouse.execute(
            "update raw.scb_rs_values set value_tkr = value_tkr + 40 where region = ? and verksamhet = '100'"
            " and contents_code = '0000005X' and year = 2023",
            [region],
        )
    outcome = warehouse.validate(SUITE)
    assert not outcome.blocked
    assert [r.rule.name for r in outcome.warnings] == ["netto_equals_brutto_minus_income"]
    assert warehouse.results(SUITE)["netto_equals_brutto_minus_income"][:3] == ("warning", False, 2)


def test_a_non_numeric_amount_is_quarantined(warehouse: Warehouse) -> None:
    warehouse.execute(
        "update raw.scb_rs_values set value_tkr = 'nan' where region = '0685' and verksamhet = '270'"
        " and contents_code = '0000005Y' and year = 2020"
    )
    outcome = warehouse.validate(SUITE)
    assert outcome.quarantined == 1
    assert warehouse.rows("select rules, reason from quality.quarantine") == [
        ("value_numeric", "Beloppet NaN är inte ett ändligt tal")
    ]
    # The quarantined amount is missing from the kommuner's sum, so Riket no longer adds up: an
    # incomplete SCB delivery stops the chain rather than reporting a partial sum.
    assert [r.rule.name for r in outcome.blocking_failures] == ["riket_equals_sum_of_kommuner"]


def test_duplicate_keys_block(warehouse: Warehouse) -> None:
    warehouse.execute(
        "insert into raw.scb_rs_values select * from raw.scb_rs_values where region = '0682' limit 1"
    )
    outcome = warehouse.validate(SUITE)
    assert "key_unique" in [r.rule.name for r in outcome.blocking_failures]
