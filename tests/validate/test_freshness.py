"""quality.freshness: the latest year held per KPI against Kolada's publication dates (and SCB's)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.validate.freshness import quality_freshness
from orchestration.lib.ops.resources import resources
from orchestration.lib.ops.settings import load_settings
from orchestration.lib.ops.warehouse import connect
from orchestration.lib.validate import update_freshness
from orchestration.lib.validate.freshness import as_of, scb_expected_year
from tests.validate.quality_warehouse import TODAY, Warehouse


def _freshness(warehouse: Warehouse, today: date = TODAY) -> dict[tuple[str, str], tuple]:
    with connect(warehouse.path) as con:
        update_freshness(con, today=today)
    rows = warehouse.rows(
        "select source, kpi_id, latest_year, expected_latest_year, is_fresh from quality.freshness"
    )
    return {(r[0], r[1]): r[2:] for r in rows}


def test_each_kpi_is_held_against_its_publication(warehouse: Warehouse) -> None:
    fresh = _freshness(warehouse)
    # N07041: 2025 came out preliminarily on 2026-03-31, the warehouse ends at 2024
    assert fresh["kolada", "N07041"] == (2024, 2025, False)
    # N01951: 2026 is due 2027-02-24, so 2025 is the latest out
    assert fresh["kolada", "N01951"] == (2024, 2025, False)
    # SCB's final RS for 2025 was due 2026-09-01
    assert fresh["scb", "0000005X"] == (2023, 2025, False)


def test_a_kpi_is_fresh_once_the_published_year_is_loaded(warehouse: Warehouse) -> None:
    warehouse.execute(
        "insert into raw.kolada_values values ('N07041', '0682', 2025, 'T', 1.0, 1, '', false, 'r', now())"
    )
    assert _freshness(warehouse)["kolada", "N07041"] == (2025, 2025, True)


def test_before_the_preliminary_date_the_year_before_is_enough(warehouse: Warehouse) -> None:
    assert _freshness(warehouse, date(2026, 3, 30))["kolada", "N07041"] == (2024, 2024, True)


def test_deleted_and_empty_values_do_not_count(warehouse: Warehouse) -> None:
    warehouse.execute("update raw.kolada_values set is_deleted = true where kpi = 'U37009' and year = 2024")
    warehouse.execute("update raw.kolada_values set value = null where kpi = 'U37009' and year = 2023")
    assert _freshness(warehouse)["kolada", "U37009"][0] == 2022


def test_kpis_without_values_or_dates(warehouse: Warehouse) -> None:
    warehouse.execute("insert into raw.kolada_kpis (id, title, publ_period) values ('N99999', 't', '2025')")
    warehouse.execute("insert into raw.kolada_kpis (id, title) values ('N88888', 't')")
    fresh = _freshness(warehouse)
    assert fresh["kolada", "N99999"] == (None, 2024, False)
    assert fresh["kolada", "N88888"] == (None, None, None)


def test_the_table_is_replaced_not_appended(warehouse: Warehouse) -> None:
    _freshness(warehouse)
    _freshness(warehouse)
    assert warehouse.scalar("select count(*) from quality.freshness") == 3 + 3


def test_scb_year_due() -> None:
    assert scb_expected_year(date(2026, 8, 31)) == 2024
    assert scb_expected_year(date(2026, 9, 1)) == 2025


def test_demo_data_is_held_against_the_day_of_its_snapshot(
    warehouse: Warehouse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = tmp_path / "snapshot"
    snapshot.mkdir()
    index = {"kolada_base_url": "k", "scb_base_url": "s", "as_of": "2026-03-30", "responses": {}}
    (snapshot / "index.json").write_text(json.dumps(index), encoding="utf-8")
    monkeypatch.setenv("UPPSIKT_SOURCE", "demo")
    monkeypatch.setenv("UPPSIKT_DEMO_SNAPSHOT", str(snapshot))
    assert as_of(load_settings()) == date(2026, 3, 30)
    result = dg.materialize([quality_freshness], resources=resources())
    assert result.success
    fresh = warehouse.rows("select kpi_id, expected_latest_year, is_fresh from quality.freshness")
    assert ("N07041", 2024, True) in fresh  # 2025 was not out before 2026-03-31
    assert ("0000005X", 2024, False) in fresh  # SCB's 2024 was due 2025-09-01; the fixture ends at 2023


def test_live_data_is_held_against_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPPSIKT_SOURCE", "live")
    assert as_of(load_settings()) == date.today()
