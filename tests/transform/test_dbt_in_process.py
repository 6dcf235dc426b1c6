"""dbt in the run's process: the events a dbt process prints, the warehouse free after, errors reported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from dagster_dbt import DbtCliInvocation

from orchestration.lib.transform.dbt_in_process import InProcessDbtCli, keep_parse, start_from_last_parse
from tests.transform import fixtures as fx

MODEL = "stg_registry__areas"


@pytest.fixture(scope="module")
def dbt() -> InProcessDbtCli:
    """The resource as the definitions make it."""
    from orchestration.defs.transform.dbt import defs

    return defs().resources["dbt"]


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The module's folder for warehouses and the parse kept between tests: the warehouse path is in dbt's
    vars, so tests that build at the same path parse the project once between them."""
    return tmp_path_factory.mktemp("dbt-in-process")


@pytest.fixture
def warehouse(place: Path) -> Path:
    """The module's one warehouse path, holding a fresh raw warehouse for each test."""
    path = place / "uppsikt.duckdb"
    path.unlink(missing_ok=True)
    return fx.make_raw_warehouse(path)


def _build(dbt: InProcessDbtCli, warehouse: Path, target: Path, *extra: str) -> DbtCliInvocation:
    # The parse is kept beside the warehouse, as a run keeps it in the project's target.
    start_from_last_parse(warehouse.parent, target)
    dbt_vars = json.dumps({"warehouse_path": str(warehouse)})
    args = ["build", "--select", MODEL, "--vars", dbt_vars, *extra]
    invocation = dbt.cli(args, target_path=target, raise_on_error=False)
    invocation.process.wait()
    keep_parse(target, warehouse.parent)
    return invocation


def _opened_by_another_process(warehouse: Path) -> None:
    # DuckDB locks the file for the process that has it open for writing: this fails while dbt holds it.
    script = f"import duckdb; duckdb.connect({str(warehouse)!r}).execute('checkpoint').close()"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_dbt_runs_in_this_process_with_the_events_of_a_dbt_process(dbt, tmp_path, warehouse):
    invocation = _build(dbt, warehouse, tmp_path / "target")
    events = [e.raw_event for e in invocation.stream_raw_events()]

    assert invocation.is_successful(), [e["info"]["msg"] for e in events]
    assert {e["info"]["pid"] for e in events} == {os.getpid()}  # no dbt process was started
    results = [e for e in events if e["info"]["name"] == "LogModelResult"]  # what Dagster materialises
    assert [e["data"]["node_info"]["unique_id"] for e in results] == [f"model.uppsikt.{MODEL}"]
    assert {e["info"]["level"] for e in events} <= {"info", "warn", "error"}  # as dbt prints by default
    assert (tmp_path / "target" / "run_results.json").is_file()
    assert (tmp_path / "target" / "dbt.log").is_file()
    _opened_by_another_process(warehouse)  # dbt let go of the file


def test_the_next_invocation_builds_on_another_warehouse(dbt, tmp_path, warehouse):
    # dbt-duckdb keeps its database in the process between invocations; each must open its own file.
    other = fx.make_raw_warehouse(tmp_path / "other.duckdb")
    for path, target in ((warehouse, "a"), (other, "b"), (warehouse, "c")):
        assert _build(dbt, path, tmp_path / target).is_successful()
        with duckdb.connect(str(path), read_only=True) as con:
            assert con.execute(f"select count(*) from staging.{MODEL}").fetchone()[0] > 0


def test_an_error_that_stops_dbt_is_reported_and_the_warehouse_stays_free(dbt, tmp_path, warehouse):
    invocation = _build(dbt, warehouse, tmp_path / "target", "--ingen-sadan-flagga")
    list(invocation.stream_raw_events())

    assert not invocation.is_successful()
    assert invocation.process.returncode == 2
    assert "ingen-sadan-flagga" in str(invocation.get_error())
    _opened_by_another_process(warehouse)


def test_a_failing_model_fails_the_invocation_and_names_the_node(dbt, tmp_path, warehouse):
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table raw.registry_areas")
    invocation = _build(dbt, warehouse, tmp_path / "target")
    events = [e.raw_event["info"] for e in invocation.stream_raw_events()]
    errors = [info["msg"] for info in events if info["level"] == "error"]

    assert not invocation.is_successful()
    assert invocation.process.returncode == 1
    assert any(MODEL in message for message in errors), errors
    _opened_by_another_process(warehouse)
