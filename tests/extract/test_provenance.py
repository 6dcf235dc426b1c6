"""Demo and live never share a warehouse: the first extract records its source, a different one is refused."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from orchestration.definitions import defs
from orchestration.defs.extract.kolada import kolada_tables
from orchestration.defs.extract.registry import registry_tables
from orchestration.defs.extract.scb import extract_log, scb_rs_values
from orchestration.defs.pipeline import PIPELINE_JOB
from orchestration.lib.demo.record import record_snapshot
from orchestration.lib.demo.standin.app import StandinApp
from orchestration.lib.demo.standin.server import serve
from orchestration.lib.demo.standin.synthetic import synthetic_world
from orchestration.lib.extract.http import SourceAccess
from orchestration.lib.extract.kolada.extract import KoladaScope, kolada_scope, run_kolada
from orchestration.lib.extract.provenance import SourceMismatchError
from orchestration.lib.extract.registry import load_registry
from orchestration.lib.extract.scb.extract import scb_scope
from orchestration.lib.ops.pipeline import run_pipeline
from orchestration.lib.ops.resources import resources
from orchestration.lib.ops.settings import load_settings
from orchestration.lib.ops.warehouse import connect
from tests.extract.conftest import AS_OF, FAST, KPIS, contents

EXTRACT = [registry_tables, kolada_tables, scb_rs_values, extract_log]


def held(path: Path) -> list[tuple]:
    with connect(path, read_only=True) as con:
        return con.execute("select source from raw.warehouse_source").fetchall()


@pytest.fixture
def demo_world():
    registry = load_registry(load_settings().registry)
    return registry, synthetic_world(
        kpis=kolada_scope(registry).kpis,
        kommuner=sorted(registry.kommuner)[:30],
        years=range(2010, 2015),
        verksamheter=scb_scope(registry).verksamheter,
    )


def test_a_live_run_after_a_demo_run_is_refused_and_the_demo_data_stays(
    demo_world, tmp_path, warehouse_path, monkeypatch, capsys
):
    registry, world = demo_world
    snapshot = record_snapshot(world, registry, tmp_path / "snapshot", as_of=date(2014, 12, 31))
    monkeypatch.setenv("UPPSIKT_SOURCE", "demo")
    monkeypatch.setenv("UPPSIKT_DEMO_SNAPSHOT", str(snapshot))
    assert dg.materialize(EXTRACT, resources=resources()).success
    assert held(warehouse_path) == [("demo",)]
    demo = contents(warehouse_path)

    # The same world served live, in Kolada's real format, on 127.0.0.1.
    with serve(StandinApp(world)) as standin:
        monkeypatch.setenv("UPPSIKT_SOURCE", "live")
        monkeypatch.setenv("KOLADA_BASE_URL", standin.kolada_base_url)
        monkeypatch.setenv("SCB_BASE_URL", standin.scb_base_url)
        assert run_pipeline(defs, PIPELINE_JOB) == 1
        message = capsys.readouterr().err
        result = dg.materialize(EXTRACT, raise_on_error=False, resources=resources())
        served = standin.requests
    assert str(warehouse_path) in message and "demodata" in message and "livedata" in message
    assert "inget har skrivits" in message
    assert not result.success
    failures = [e.step_failure_data.error for e in result.get_step_failure_events()]
    assert failures and all(f and f.cause and f.cause.cls_name == "SourceMismatchError" for f in failures)
    assert served == 0  # refused before a single request
    assert contents(warehouse_path) == demo and held(warehouse_path) == [("demo",)]


def test_the_pull_itself_refuses_another_source_inside_its_transaction(standin, warehouse, world):
    live = SourceAccess(standin.kolada_base_url, standin.scb_base_url, 200.0, AS_OF, True)
    run_kolada(warehouse, live, KoladaScope(KPIS[:2]), **FAST)
    before, requests = contents(warehouse), standin.requests
    as_demo = SourceAccess(standin.kolada_base_url, standin.scb_base_url, 200.0, AS_OF, False, None, "demo")
    with pytest.raises(SourceMismatchError, match="livedata"):
        run_kolada(warehouse, as_demo, KoladaScope(KPIS[:2]), **FAST)
    assert contents(warehouse) == before and standin.requests == requests
    assert held(warehouse) == [("live",)]


def test_a_warehouse_from_before_the_record_is_not_taken_for_live(standin, warehouse):
    with connect(warehouse) as con:
        con.execute("create schema raw")
        con.execute("create table raw.extract_runs (source varchar, status varchar)")
        con.execute("insert into raw.extract_runs values ('kolada', 'success')")
    live = SourceAccess(standin.kolada_base_url, standin.scb_base_url, 200.0, AS_OF, True)
    with pytest.raises(SourceMismatchError, match="okänd källa"):
        run_kolada(warehouse, live, KoladaScope(KPIS[:2]), **FAST)
    assert standin.requests == 0
