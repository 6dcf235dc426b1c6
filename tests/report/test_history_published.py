"""A run's history entry belongs to the report that run published, with two runs and real Evidence builds.

The run lock keeps a second `uppsikt run` out; this is the direct check beneath it. Two Dagster runs of the
report steps, each a process of its own: the second starts (its transform rebuilds the marts: a new report)
while the first run's Evidence build is under way, then waits for the build lock and publishes its own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.lib.ops.settings import PROJECT_ROOT
from orchestration.lib.report.evidence import PAGES_PHASE, install, stage_project
from orchestration.lib.report.history import published_report_id
from tests.dbt import run_dbt
from tests.shared import copy_warehouse

RUN = """
import json
import dagster as dg
from orchestration.defs.report.evidence import evidence_site
from orchestration.defs.report.history import report_history
from orchestration.defs.report.workbooks import revisor_workbooks
from orchestration.lib.ops.resources import resources

# The report steps of a run: the Excel files the site links to, the site, its history entry.
result = dg.materialize(
    [revisor_workbooks, evidence_site, report_history], raise_on_error=False, resources=resources()
)
site = result.asset_materializations_for_node("evidence_site")
failure = result.failure_data_for_node("report_history") or result.failure_data_for_node("evidence_site")
print(json.dumps({
    "run_id": result.run_id,
    "success": result.success,
    "published": site[0].metadata["report_id"].value if site else None,
    "error": str(failure.error) if failure else None,
}))
"""
# The run log's line when the source queries are done and the pages are being built (compiled or not).
BUILDING = f"{PAGES_PHASE}: "
TIMEOUT_S = 2400
# Two real Evidence builds: not for the quick inner loop (make test-fast), and started early in make test.
pytestmark = pytest.mark.slow


def _start(env: dict[str, str], log: Path) -> subprocess.Popen:
    # Output to a file: Dagster's log would fill a pipe nobody reads until the end.
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-c", RUN], cwd=PROJECT_ROOT, env=env, stdout=out, stderr=out
        )


def _finish(run: subprocess.Popen, log: Path) -> dict:
    run.wait(timeout=TIMEOUT_S)
    text = log.read_text(encoding="utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.startswith('{"run_id"')]
    assert lines, text[-4000:]
    return json.loads(lines[-1])


def _wait_for(log: Path, line: str, run: subprocess.Popen) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while line not in log.read_text(encoding="utf-8", errors="replace"):
        assert run.poll() is None, "the first run ended before its build read the marts"
        assert time.monotonic() < deadline
        time.sleep(0.5)


def _new_report(warehouse: Path) -> None:
    """What the second run's dbt does to dim_report_meta: a newer report (the sources step may still
    hold the file; wait for it)."""
    for _ in range(600):
        try:
            with duckdb.connect(str(warehouse)) as con:
                con.execute("update marts.dim_report_meta set built_at = built_at + interval 1 minute")
            return
        except duckdb.IOException:
            time.sleep(0.5)
    pytest.fail("lagret blev aldrig skrivbart")


@pytest.mark.timeout(2 * TIMEOUT_S)
def test_each_run_records_the_report_it_published(tmp_path: Path, shared_report_warehouse: Path) -> None:
    warehouse = copy_warehouse(shared_report_warehouse, tmp_path / "warehouse")
    # The history table as dbt creates it (the macro's own SQL, rendered by dbt).
    made = run_dbt(["--quiet", "compile", "--inline", "{{ ensure_history_tables() }}"], warehouse, tmp_path)
    assert made.returncode == 0, made.stdout[-4000:]
    with duckdb.connect(str(warehouse)) as con:
        con.execute(made.stdout)
    install(PROJECT_ROOT / "reports")
    project = stage_project(PROJECT_ROOT / "reports", tmp_path / "reports")
    env = {**os.environ, "UPPSIKT_WAREHOUSE": str(warehouse), "UPPSIKT_REPORTS": str(project),
           "UPPSIKT_SOURCE": "demo"}  # fmt: skip

    logs = tmp_path / "first.log", tmp_path / "second.log"
    first = _start(env, logs[0])
    _wait_for(logs[0], BUILDING, first)  # the first build has read the marts and builds its pages
    _new_report(warehouse)
    second = _start(env, logs[1])
    one, two = _finish(first, logs[0]), _finish(second, logs[1])

    with duckdb.connect(str(warehouse), read_only=True) as con:
        history = con.execute(
            "select distinct run_id, epoch_us(report_built_at) from history.report_verdicts"
        )
        entries = history.fetchall()
    for run in (one, two):
        mine = {report for run_id, report in entries if run_id == run["run_id"]}
        if run["success"]:
            assert mine == {run["published"]}, run
        else:
            assert mine == set(), run
            assert "en annan körning har byggt om lagret medan rapporten byggdes" in run["error"]
    # The first build read the marts before they changed: its history would be the second's report.
    assert not one["success"]
    assert two["success"] and two["published"] == published_report_id(project / "build")
    assert {report for _, report in entries} == {two["published"]}
