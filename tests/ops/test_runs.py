"""One run at a time, runs a killed process left STARTED, and `make clean` keeping the history."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.lib.ops.runs import dagster_home, fail_abandoned_runs, locked_in_process_executor

ROOT = Path(__file__).resolve().parents[2]

HOLD_LOCK = """
import sys, time
from orchestration.lib.ops.runs import run_lock
with run_lock():
    print("held", flush=True)
    time.sleep(120)
"""

# A run of a small job in this process, tagged as `uppsikt run` tags its runs; killed while it sleeps.
SLOW_RUN = """
import time
import dagster as dg
from orchestration.lib.ops.runs import dagster_home, run_tags

@dg.op
def slow() -> None:
    print("started", flush=True)
    time.sleep(120)

@dg.job
def uppsikt_pipeline() -> None:
    slow()

dagster_home()
with dg.DagsterInstance.get() as instance:
    uppsikt_pipeline.execute_in_process(instance=instance, tags=run_tags())
"""


@pytest.fixture
def state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UPPSIKT_STATE", str(tmp_path / "state"))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "state" / "dagster"))
    return tmp_path / "state"


def _start(script: str) -> subprocess.Popen[str]:
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stdout is not None
    assert process.stdout.readline().strip() in {"held", "started"}
    return process


def test_a_second_run_refuses_with_one_swedish_line(state: Path) -> None:
    holder = _start(HOLD_LOCK)
    try:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "orchestration.cli", "run"], capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 1
        assert done.stderr.strip().splitlines() == [
            f"En annan körning pågår redan (pid {holder.pid}, startad "
            + done.stderr.split("startad ", 1)[1].split(")")[0]
            + "); lagret tillåter en i taget. Vänta tills den är klar och kör sedan igen."
        ]
        assert "Traceback" not in done.stderr and time.monotonic() - started < 60
    finally:
        holder.kill()
        holder.wait()


def test_the_lock_is_free_again_when_its_holder_is_killed(state: Path) -> None:
    from orchestration.lib.ops.runs import run_lock

    holder = _start(HOLD_LOCK)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with run_lock():
        assert "pid" in (state / "run.lock").read_text()


def test_a_run_killed_with_kill_9_is_marked_failed_at_the_next_start(state: Path) -> None:
    runner = _start(SLOW_RUN)
    runner.send_signal(signal.SIGKILL)
    runner.wait()
    dagster_home()
    with dg.DagsterInstance.get() as instance:
        (record,) = instance.get_run_records()
        assert record.dagster_run.status == dg.DagsterRunStatus.STARTED  # what Dagster is left with

        assert fail_abandoned_runs(instance) == [record.dagster_run.run_id]

        run = instance.get_run_by_id(record.dagster_run.run_id)
        assert run is not None and run.status == dg.DagsterRunStatus.FAILURE
        assert fail_abandoned_runs(instance) == []


def test_a_live_run_is_not_marked_failed(state: Path) -> None:
    runner = _start(SLOW_RUN)
    try:
        dagster_home()
        with dg.DagsterInstance.get() as instance:
            assert fail_abandoned_runs(instance) == []
            (record,) = instance.get_run_records()
            assert record.dagster_run.status == dg.DagsterRunStatus.STARTED
    finally:
        runner.kill()
        runner.wait()


def test_make_clean_never_removes_history_state_or_outbox(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    keep = ["warehouse/demo.duckdb", "warehouse/live.duckdb", "state/dagster/runs.db", "outbox/latest.txt"]
    gone = ["reports/build/index.html", "reports/.build-staging/x", "dbt/target/manifest.json"]
    for name in keep + gone:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    subprocess.run(["make", "-s", "clean"], cwd=tmp_path, check=True, timeout=60, env=dict(os.environ))
    assert all((tmp_path / name).is_file() for name in keep)
    assert not any((tmp_path / name).exists() for name in gone)


@dg.op
def _touch() -> None:
    pass


@dg.job(executor_def=locked_in_process_executor)
def locked_job() -> None:
    _touch()


def test_a_run_launched_by_the_daemon_or_ui_also_takes_the_lock(state: Path) -> None:
    holder = _start(HOLD_LOCK)
    try:
        dagster_home()
        with dg.DagsterInstance.get() as instance:
            refused = dg.execute_job(dg.reconstructable(locked_job), instance, raise_on_error=False)
            assert not refused.success
            error = refused.get_run_failure_event().event_specific_data.error  # type: ignore[union-attr]
            assert "En annan körning pågår redan" in error.message
    finally:
        holder.kill()
        holder.wait()
    with dg.DagsterInstance.get() as instance:
        assert dg.execute_job(dg.reconstructable(locked_job), instance).success
