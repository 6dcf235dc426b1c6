"""raw.kolada_values: each rule fed a broken pull; row faults are quarantined, table faults block."""

from __future__ import annotations

import json

import pytest

from tests.validate.quality_warehouse import Warehouse

SUITE = "raw_kolada_values"
ROWS = 90  # 3 KPIs x 3 kommuner x 10 years in the fixture
ONE_ROW = "kpi = 'N07041' and municipality = '0682' and year = 2020"


def test_a_clean_pull_passes_and_every_result_is_stored(warehouse: Warehouse) -> None:
    outcome = warehouse.validate(SUITE)
    assert outcome.passed and outcome.quarantined == 0
    stored = warehouse.results(SUITE)
    assert set(stored) == {rule.name for rule in outcome.suite.all_rules}
    assert all(success for _, success, _, _ in stored.values())
    assert stored["volume_vs_previous"][3] == str(ROWS)
    assert warehouse.scalar("select count(*) from raw.kolada_values") == ROWS


@pytest.mark.parametrize(
    ("rule", "breakage", "reason"),
    [
        ("kpi_known", "kpi = 'X99999'", "Nyckeltalet X99999 finns inte i Koladas nyckeltalslista"),
        ("municipality_known", "municipality = '9999'", "Kommunkoden 9999 är okänd"),
        ("year_in_range", "year = 1999", "Året 1999 ligger utanför 2000–innevarande år"),
        ("year_in_range", "year = 2027", "Året 2027 ligger utanför 2000–innevarande år"),
        ("gender_allowed", "gender = 'X'", "Könet 'X' är inte T, K eller M"),
        ("value_numeric", "value = 'nan'", "Värdet NaN är inte ett ändligt tal"),
        ("value_numeric", "value = 'infinity'", "Värdet inf är inte ett ändligt tal"),
        ("count_positive", "count = 0", "Antalet bakom värdet (count) är 0, inte minst 1"),
        ("kpi_not_null", "kpi = null", "Värdet saknar nyckeltals-id"),
        ("gender_not_null", "gender = null", "Värdet saknar kön"),
    ],
)
def test_a_row_breaking_a_row_rule_is_quarantined_and_the_rest_flows_on(
    warehouse: Warehouse, rule: str, breakage: str, reason: str
) -> None:
    warehouse.execute(f"update raw.kolada_values set {breakage} where {ONE_ROW}")
    outcome = warehouse.validate(SUITE)

    assert not outcome.blocked and outcome.quarantined == 1
    assert [r.rule.name for r in outcome.warnings] == [rule]
    assert warehouse.scalar("select count(*) from raw.kolada_values") == ROWS - 1
    assert warehouse.scalar(f"select count(*) from raw.kolada_values where {ONE_ROW}") == 0
    (entry,) = warehouse.rows(
        "select run_id, suite, rules, reason, table_name, row_key, row_json from quality.quarantine"
    )
    assert entry[:5] == ("run-1", SUITE, rule, reason, "raw.kolada_values")
    assert set(json.loads(entry[5])) == {"kpi", "municipality", "year", "gender"}
    assert json.loads(entry[6])["response_id"] == "r1"
    stored = warehouse.results(SUITE)
    assert stored[rule][:3] == ("warning", False, 1)
    assert stored["quarantine_share"][:2] == ("blocking", True)


def test_a_row_breaking_two_rules_is_quarantined_once_with_both_reasons(warehouse: Warehouse) -> None:
    warehouse.execute(f"update raw.kolada_values set gender = 'X', year = 1990 where {ONE_ROW}")
    assert warehouse.validate(SUITE).quarantined == 1
    (rules, reason) = warehouse.rows("select rules, reason from quality.quarantine")[0]
    assert rules == "year_in_range,gender_allowed"
    assert reason == "Året 1990 ligger utanför 2000–innevarande år; Könet 'X' är inte T, K eller M"


def test_a_missing_value_may_have_count_zero(warehouse: Warehouse) -> None:
    warehouse.execute(
        f"update raw.kolada_values set value = null, count = 0, status = 'Saknas' where {ONE_ROW}"
    )
    assert warehouse.validate(SUITE).passed


def test_a_kommun_known_only_to_the_registry_is_not_quarantined(warehouse: Warehouse) -> None:
    warehouse.execute(f"update raw.kolada_values set municipality = '0686' where {ONE_ROW}")
    assert warehouse.validate(SUITE).passed


def test_duplicate_keys_block_and_nothing_is_moved(warehouse: Warehouse) -> None:
    warehouse.execute(f"insert into raw.kolada_values select * from raw.kolada_values where {ONE_ROW}")
    outcome = warehouse.validate(SUITE)
    assert outcome.blocked and [r.rule.name for r in outcome.blocking_failures] == ["key_unique"]
    assert warehouse.results(SUITE)["key_unique"][:3] == ("blocking", False, 2)
    assert warehouse.scalar("select count(*) from raw.kolada_values") == ROWS + 1
    assert warehouse.scalar("select count(*) from quality.quarantine") == 0


def test_an_empty_pull_blocks(warehouse: Warehouse) -> None:
    warehouse.execute("delete from raw.kolada_values")
    outcome = warehouse.validate(SUITE)
    assert {r.rule.name for r in outcome.blocking_failures} == {"has_rows", "volume_vs_previous"}


def test_a_pull_far_smaller_than_the_last_good_one_blocks(warehouse: Warehouse) -> None:
    assert warehouse.validate(SUITE, run_id="run-1").passed
    warehouse.execute("delete from raw.kolada_values where year >= 2018")  # 63 of 90 rows gone
    outcome = warehouse.validate(SUITE, run_id="run-2")
    assert [r.rule.name for r in outcome.blocking_failures] == ["volume_vs_previous"]
    assert warehouse.results(SUITE, "run-2")["volume_vs_previous"][3] == "27"
    # A blocked run is no baseline: the next run still compares with the last good one (90 rows).
    outcome = warehouse.validate(SUITE, run_id="run-3")
    assert [r.rule.name for r in outcome.blocking_failures] == ["volume_vs_previous"]


def test_a_small_shrink_is_no_volume_fault(warehouse: Warehouse) -> None:
    assert warehouse.validate(SUITE, run_id="run-1").passed
    warehouse.execute("delete from raw.kolada_values where year = 2015")  # 9 of 90 rows gone
    assert warehouse.validate(SUITE, run_id="run-2").passed


def test_too_many_bad_rows_block_and_nothing_is_moved(warehouse: Warehouse) -> None:
    warehouse.execute("update raw.kolada_values set gender = 'X' where year >= 2022")  # 27 of 90
    outcome = warehouse.validate(SUITE)
    assert [r.rule.name for r in outcome.blocking_failures] == ["quarantine_share"]
    assert outcome.quarantined == 0
    assert warehouse.scalar("select count(*) from raw.kolada_values") == ROWS
    assert warehouse.scalar("select count(*) from quality.quarantine") == 0


def test_an_empty_reference_list_blocks_instead_of_condemning_every_row(warehouse: Warehouse) -> None:
    warehouse.execute("delete from raw.kolada_kpis")
    outcome = warehouse.validate(SUITE)
    assert outcome.blocked and outcome.quarantined == 0
    (severity, success, _, observed) = warehouse.results(SUITE)["suite_ran"]
    assert (severity, success) == ("blocking", False)
    assert "referenslistan 'kpis' är tom" in observed
    assert warehouse.scalar("select count(*) from raw.kolada_values") == ROWS


def test_a_missing_table_blocks_with_its_name(warehouse: Warehouse) -> None:
    warehouse.execute("drop table raw.kolada_values")
    outcome = warehouse.validate(SUITE)
    assert outcome.blocked
    assert "kolada_values" in warehouse.results(SUITE)["suite_ran"][3]
