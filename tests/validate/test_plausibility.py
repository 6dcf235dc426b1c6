"""Physically impossible Kolada values are quarantined with a reason; real regime changes are not."""

from __future__ import annotations

import pytest

from tests.validate.quality_warehouse import Warehouse

SUITE = "raw_kolada_values"
ROWS = 90
COST_ROW = "kpi = 'U37009' and municipality = '0682' and year = 2020"  # a gross cost per ställföreträdarskap
NET_ROW = "kpi = 'N07041' and municipality = '0682' and year = 2020"  # a net cost, may be negative


def _quarantined(warehouse: Warehouse) -> list[tuple[str, str]]:
    return warehouse.rows("select rules, reason from quality.quarantine order by rules")


@pytest.mark.parametrize(
    ("row", "value", "rules", "reason_part"),
    [
        (
            COST_ROW,
            -50000,
            "cost_not_negative,value_in_range,value_near_history",
            "Kostnaden -50000.0 för U37009 är negativ",
        ),
        (
            NET_ROW,
            1e308,
            "value_in_range,value_near_history",
            "utanför det rimliga intervallet -100000 till 1e+06",
        ),
        (NET_ROW, 5000, "value_near_history", "långt från kommunens egen serie (median 124)"),
    ],
)
def test_an_impossible_value_is_quarantined_with_its_reason(
    warehouse: Warehouse, row: str, value: float, rules: str, reason_part: str
) -> None:
    warehouse.execute(f"update raw.kolada_values set value = ? where {row}", [value])
    outcome = warehouse.validate(SUITE)

    assert not outcome.blocked and outcome.quarantined == 1
    ((stored_rules, reason),) = _quarantined(warehouse)
    assert stored_rules == rules
    assert reason_part in reason
    assert warehouse.scalar(f"select count(*) from raw.kolada_values where {row}") == 0
    assert warehouse.scalar("select count(*) from raw.kolada_values") == ROWS - 1


def test_a_share_outside_0_100_is_quarantined(warehouse: Warehouse) -> None:
    warehouse.execute("update raw.registry_area_kpis set unit = '%', is_share = true where kpi = 'N07041'")
    warehouse.execute("update raw.kolada_values set value = value - 100 where kpi = 'N07041'")
    warehouse.execute(f"update raw.kolada_values set value = 100.5 where {NET_ROW}")
    assert warehouse.validate(SUITE).quarantined == 1
    assert _quarantined(warehouse) == [
        ("share_within_0_100", "Andelen 100.5 för N07041 ligger utanför 0–100 %")
    ]


def test_an_absurd_value_of_a_kpi_the_registry_does_not_follow_is_caught_too(warehouse: Warehouse) -> None:
    warehouse.execute("delete from raw.registry_area_kpis where kpi = 'N01951'")
    warehouse.execute("update raw.kolada_values set value = 1e308 where kpi = 'N01951' and year = 2018")
    outcome = warehouse.validate(SUITE)
    assert not outcome.blocked and outcome.quarantined == 3
    # One in ten values absurd lifts the KPI's 90th percentile, so the absolute bound is what holds here.
    assert {rules for rules, _ in _quarantined(warehouse)} == {"value_in_range"}


def test_a_negative_net_cost_and_a_real_regime_change_flow_on(warehouse: Warehouse) -> None:
    # A net cost below zero (fees above costs) is possible; a service moved into a company so its cost
    # drops to 0 for half the series is a real change, not an absurd value.
    warehouse.execute(f"update raw.kolada_values set value = -300 where {NET_ROW}")
    warehouse.execute(
        "update raw.kolada_values set value = 0 where kpi = 'U37009' and municipality = '0604'"
        " and year >= 2020"
    )
    outcome = warehouse.validate(SUITE)
    assert outcome.passed and outcome.quarantined == 0


def test_a_short_series_is_not_judged_against_its_history(warehouse: Warehouse) -> None:
    warehouse.execute(
        "delete from raw.kolada_values where municipality = '0685' and kpi = 'N07041' and year < 2021"
    )
    warehouse.execute(
        "update raw.kolada_values set value = 90000 where municipality = '0685' and kpi = 'N07041'"
        " and year = 2022"
    )
    outcome = warehouse.validate(SUITE)
    assert outcome.passed
