"""Broken deliveries through the real path: the stand-in Kolada/SCB server on 127.0.0.1, the real extract
and registry assets, the suites' asset checks and a stand-in report downstream (wired as the real
evidence_site is: tests/validate/report_wiring.py), in one Dagster run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from orchestration.defs.extract import kolada, registry, scb
from orchestration.defs.validate import raw
from orchestration.lib.demo.standin.app import StandinApp
from orchestration.lib.demo.standin.server import serve
from orchestration.lib.demo.standin.synthetic import synthetic_world
from orchestration.lib.demo.world import DemoWorld
from orchestration.lib.extract.kolada.extract import kolada_scope
from orchestration.lib.extract.registry import load_registry
from orchestration.lib.extract.scb.extract import scb_scope
from orchestration.lib.ops.settings import load_settings
from orchestration.lib.validate.dagster import blocked_checks
from tests.validate.quality_warehouse import Warehouse
from tests.validate.report_wiring import report_deps

KOLADA = dg.AssetKey(["raw", "kolada_values"])
SCB = dg.AssetKey(["raw", "scb_rs_values"])
REPORT = dg.AssetKey(["report", "build"])


def _world() -> DemoWorld:
    """A small world for the project's registry, with SCB figures that add up as SCB's do."""
    reg = load_registry(load_settings().registry)
    world = synthetic_world(
        kpis=kolada_scope(reg).kpis,
        kommuner=sorted(reg.kommuner)[:40],
        years=range(2012, 2015),
        verksamheter=scb_scope(reg).verksamheter,
    )
    cells = ["region", "verksamhet", "year"]
    wide = world.scb_values[world.scb_values["region"] != "00"].pivot_table(
        index=cells, columns="contents_code", values="value_tkr"
    )
    wide["0000005X"] = wide["0000005Z"] - wide["0000005Y"]
    kommuner = wide.reset_index().melt(id_vars=cells, var_name="contents_code", value_name="value_tkr")
    keys = ["verksamhet", "contents_code", "year"]
    riket = kommuner.groupby(keys, as_index=False)["value_tkr"].sum().assign(region="00")
    world.scb_values = pd.concat([kommuner, riket[kommuner.columns]], ignore_index=True)
    return world


@pytest.fixture
def serve_world(
    monkeypatch: pytest.MonkeyPatch, warehouse_path: Path
) -> Iterator[Callable[[DemoWorld], None]]:
    """Serve a world on 127.0.0.1 and point the live settings at it, as a real deployment would be."""
    with ExitStack() as servers:

        def start(world: DemoWorld) -> None:
            running = servers.enter_context(serve(StandinApp(world, max_per_page=2000)))
            monkeypatch.setenv("UPPSIKT_SOURCE", "live")
            monkeypatch.setenv("KOLADA_BASE_URL", running.kolada_base_url)
            monkeypatch.setenv("SCB_BASE_URL", running.scb_base_url)
            monkeypatch.setenv("UPPSIKT_KOLADA_RATE", "500")

        yield start


def _run(site: Path) -> dg.ExecuteInProcessResult:
    @dg.asset(key=REPORT, deps=report_deps(KOLADA, SCB))
    def report_build() -> None:
        """Stand-in report build: marks that it ran."""
        (site / "index.html").write_text("ny rapport", encoding="utf-8")

    definitions = dg.Definitions.merge(
        kolada.defs(),
        scb.defs(),
        registry.defs(),
        raw.defs(),
        dg.Definitions(
            assets=[report_build],
            jobs=[dg.define_asset_job("through_standin", selection=dg.AssetSelection.all())],
            executor=dg.in_process_executor,
        ),
    )
    job = definitions.resolve_job_def("through_standin")
    return job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)


def _evaluation(result: dg.ExecuteInProcessResult, key: dg.AssetKey) -> dg.AssetCheckEvaluation:
    (evaluation,) = [e for e in result.get_asset_check_evaluations() if e.asset_key == key]
    return evaluation


def test_bad_kolada_values_are_quarantined_and_the_rest_flows_on(
    serve_world: Callable[[DemoWorld], None], warehouse_path: Path, tmp_path: Path
) -> None:
    world = _world()
    values = world.kolada_values
    values.loc[0, "gender"] = "X"
    values.loc[1, "municipality"] = "9999"  # a kommunkod nobody knows
    serve_world(world)

    result = _run(tmp_path)

    assert result.success, blocked_checks(result)
    assert (tmp_path / "index.html").exists()
    assert _evaluation(result, KOLADA).severity == dg.AssetCheckSeverity.WARN
    assert _evaluation(result, SCB).passed
    wh = Warehouse(warehouse_path)
    assert wh.rows("select rules from quality.quarantine order by rules") == [
        ("gender_allowed",),
        ("municipality_known",),
    ]
    broken = "select count(*) from raw.kolada_values where gender = 'X' or municipality = '9999'"
    assert wh.scalar(broken) == 0
    assert wh.scalar("select count(*) from raw.kolada_values") == len(values) - 2


def test_impossible_values_are_quarantined_and_one_absurd_value_blocks_nobody(
    serve_world: Callable[[DemoWorld], None], warehouse_path: Path, tmp_path: Path
) -> None:
    world = _world()
    values = world.kolada_values
    cost = values.index[(values["kpi"] == "U37009") & (values["gender"] == "T")][0]
    absurd = values.index[(values["kpi"] == "N07041") & (values["gender"] == "T")][0]
    values.loc[cost, "value"] = -50_000.0  # a cost per ställföreträdarskap below zero
    values.loc[absurd, "value"] = 1e308
    serve_world(world)

    result = _run(tmp_path)

    assert result.success, blocked_checks(result)
    assert (tmp_path / "index.html").exists()
    assert _evaluation(result, KOLADA).severity == dg.AssetCheckSeverity.WARN
    wh = Warehouse(warehouse_path)
    stored = dict(wh.rows("select json_extract_string(row_key, '$.kpi'), rules from quality.quarantine"))
    assert stored["U37009"].startswith("cost_not_negative")
    assert "value_in_range" in stored["N07041"]
    assert wh.scalar("select count(*) from raw.kolada_values where value < -1000 or value > 1e12") == 0
    assert wh.scalar("select count(*) from raw.kolada_values") == len(values) - 2


def test_an_scb_delivery_where_riket_does_not_add_up_stops_the_report(
    serve_world: Callable[[DemoWorld], None], warehouse_path: Path, tmp_path: Path
) -> None:
    world = _world()
    riket = world.scb_values.index[world.scb_values["region"] == "00"][0]
    world.scb_values.loc[riket, "value_tkr"] += 10_000
    serve_world(world)

    result = _run(tmp_path)

    assert not result.success
    assert not (tmp_path / "index.html").exists()
    assert REPORT not in {e.asset_key for e in result.get_asset_materialization_events()}
    assert _evaluation(result, KOLADA).passed
    assert blocked_checks(result) == [
        "raw/scb_rs_values: raw.scb_rs_values: blockerande fel (riket_equals_sum_of_kommuner); "
        "efterföljande steg körs inte."
    ]
    stored = Warehouse(warehouse_path).rows(
        "select unexpected_count from quality.validation_results"
        " where run_id = ? and expectation = 'riket_equals_sum_of_kommuner'",
        [result.run_id],
    )
    assert stored == [(1,)]
