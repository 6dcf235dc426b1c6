"""The extract assets in a real Dagster run, on a demo snapshot recorded for the project's registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.extract.kolada import kolada_tables
from orchestration.defs.extract.scb import extract_log, scb_rs_values
from orchestration.lib.demo.record import record_snapshot
from orchestration.lib.demo.standin.synthetic import synthetic_world
from orchestration.lib.extract.kolada.extract import kolada_scope
from orchestration.lib.extract.registry import load_registry
from orchestration.lib.extract.scb.extract import scb_scope
from orchestration.lib.ops.resources import resources
from orchestration.lib.ops.settings import load_settings
from orchestration.lib.ops.warehouse import connect


@pytest.fixture
def demo_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warehouse_path: Path) -> Path:
    registry = load_registry(load_settings().registry)
    kpis = kolada_scope(registry).kpis
    # One KPI of the registry is missing from the world, so the run must report it by id.
    world = synthetic_world(
        kpis=kpis[1:],
        kommuner=sorted(registry.kommuner)[:40],
        years=range(2010, 2015),
        verksamheter=scb_scope(registry).verksamheter,
    )
    snapshot = record_snapshot(world, registry, tmp_path / "snapshot", as_of=date(2014, 12, 31))
    monkeypatch.setenv("UPPSIKT_SOURCE", "demo")
    monkeypatch.setenv("UPPSIKT_DEMO_SNAPSHOT", str(snapshot))
    return snapshot


def test_extract_assets_materialise_the_raw_tables(demo_snapshot, warehouse_path):
    result = dg.materialize([kolada_tables, scb_rs_values, extract_log], resources=resources())
    assert result.success
    registry = load_registry(load_settings().registry)
    missing = kolada_scope(registry).kpis[0]
    values = result.asset_materializations_for_node("kolada")
    by_key = {m.asset_key.to_user_string(): m.metadata for m in values}
    assert set(by_key) == {
        "raw/kolada_values",
        "raw/kolada_kpis",
        "raw/kolada_municipalities",
        "raw/kolada_municipality_groups",
    }
    assert by_key["raw/kolada_values"]["unknown_kpis"].value == [missing]
    with connect(warehouse_path, read_only=True) as con:
        counts = {
            t: con.execute(f"select count(*) from raw.{t}").fetchall()[0][0]
            for t in ("kolada_values", "scb_rs_values", "responses", "extract_runs")
        }
    assert by_key["raw/kolada_values"]["rows"].value == counts["kolada_values"] > 0
    with connect(warehouse_path, read_only=True) as con:
        kpis = con.execute("select count(*) from raw.kolada_kpis").fetchall()[0][0]
    assert by_key["raw/kolada_kpis"]["rows"].value == kpis != counts["kolada_values"]
    assert counts["scb_rs_values"] > 0 and counts["extract_runs"] == 2
    assert counts["responses"] == len(list(demo_snapshot.rglob("*.json.gz")))


def test_the_pull_s_progress_is_in_dagster_s_run_log(demo_snapshot, warehouse_path):
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize([kolada_tables, scb_rs_values], instance=instance, resources=resources())
    messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    kolada = [m for m in messages if m.startswith("Kolada: ") and "sidor hämtade" in m]
    scb = [m for m in messages if m.startswith("SCB: ") and "sidor hämtade" in m]
    assert kolada and scb
    done, planned = kolada[-1].removeprefix("Kolada: ").split(" sidor")[0].split(" av ")
    assert done == planned
