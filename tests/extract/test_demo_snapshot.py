"""The demo snapshot: recorded by the real clients from the stand-in, replayed through the same code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.lib.demo.record import record_snapshot
from orchestration.lib.extract.http import source_access
from orchestration.lib.extract.kolada.extract import kolada_scope, run_kolada
from orchestration.lib.extract.recorded import SnapshotMissError
from orchestration.lib.extract.scb.extract import run_scb, scb_scope
from orchestration.lib.ops.settings import DEFAULT_KOLADA_BASE_URL, DEFAULT_SCB_BASE_URL, load_settings
from orchestration.lib.ops.warehouse import connect
from tests.extract.conftest import AS_OF, KOMMUNER, KPIS, VERKSAMHETER, registry_for, small_world

REGISTRY = registry_for(KPIS[:6], KOMMUNER, VERKSAMHETER)


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    return record_snapshot(small_world(), REGISTRY, tmp_path / "snapshot", as_of=AS_OF)


@pytest.fixture
def demo(snapshot: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UPPSIKT_SOURCE", "demo")
    monkeypatch.setenv("UPPSIKT_DEMO_SNAPSHOT", str(snapshot))
    return snapshot


def test_the_snapshot_is_one_gzip_file_per_request_and_an_index(snapshot):
    index = json.loads((snapshot / "index.json").read_text(encoding="utf-8"))
    assert (
        index["kolada_base_url"] == DEFAULT_KOLADA_BASE_URL and index["scb_base_url"] == DEFAULT_SCB_BASE_URL
    )
    assert index["as_of"] == AS_OF.isoformat()
    files = index["responses"]
    assert all((snapshot / name).is_file() and name.endswith(".json.gz") for name in files.values())
    assert len(set(files.values())) == len(files) == len(list(snapshot.rglob("*.json.gz")))
    assert any(url.startswith(f"{DEFAULT_KOLADA_BASE_URL}/data/kpi/") for url in files)
    assert any(url.startswith(f"{DEFAULT_SCB_BASE_URL}/tables/TAB4199/data?") for url in files)


def test_recording_is_deterministic(snapshot, tmp_path):
    again = record_snapshot(small_world(), REGISTRY, tmp_path / "again", as_of=AS_OF)
    first = {p.relative_to(snapshot): p.read_bytes() for p in snapshot.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first == second


def test_demo_runs_read_the_snapshot_through_the_live_code_path(demo, warehouse_path):
    settings = load_settings()
    access = source_access(settings)
    assert (
        access.rate is None and not access.incremental and access.kolada_base_url == DEFAULT_KOLADA_BASE_URL
    )
    for _ in range(2):  # a second demo run reads the same responses again, never asks for changes
        kolada = run_kolada(warehouse_path, access, kolada_scope(REGISTRY))
        scb = run_scb(warehouse_path, access, scb_scope(REGISTRY))
    with connect(warehouse_path) as con:
        rows = con.execute("select count(*) from raw.kolada_values").fetchall()[0][0]
        urls = con.execute("select url from raw.responses where source = 'kolada'").fetchall()
        runs = con.execute("select from_date from raw.extract_runs where source = 'kolada'").fetchall()
    values = small_world().kolada_values
    assert rows == int(values["kpi"].isin(KPIS[:6]).sum())
    assert all(u[0].startswith(DEFAULT_KOLADA_BASE_URL) for u in urls)
    assert runs == [(None,), (None,)] and kolada.from_date is None
    assert scb.rows == (len(KOMMUNER) + 1) * len(VERKSAMHETER) * 4 * 5


def test_a_request_the_snapshot_lacks_is_a_clear_error(demo, warehouse_path):
    wider = registry_for(KPIS, KOMMUNER, VERKSAMHETER)  # two KPIs the recording never asked for
    with pytest.raises(SnapshotMissError) as missing:
        run_kolada(warehouse_path, source_access(load_settings()), kolada_scope(wider))
    assert (
        missing.value.url.startswith(f"{DEFAULT_KOLADA_BASE_URL}/data/kpi/") and KPIS[7] in missing.value.url
    )
    assert missing.value.url in str(missing.value) and "uppsikt demo generate" in str(missing.value)


def test_a_missing_snapshot_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.setenv("UPPSIKT_SOURCE", "demo")
    monkeypatch.setenv("UPPSIKT_DEMO_SNAPSHOT", str(tmp_path / "nowhere"))
    with pytest.raises(FileNotFoundError, match="uppsikt demo generate"):
        source_access(load_settings())
