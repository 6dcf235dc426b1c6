"""One run at a time, in one state folder: the run lock, Dagster's home, and runs a killed process left."""

from __future__ import annotations

import fcntl
import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import dagster as dg

from orchestration.lib.ops.settings import PROJECT_ROOT, load_settings

LOCK_FILE = "run.lock"
DAGSTER_YAML = PROJECT_ROOT / "config" / "dagster.yaml"
PID_TAG = "uppsikt/pid"
HOST_TAG = "uppsikt/host"
UNFINISHED = [dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.CANCELING]


class RunLocked(RuntimeError):
    """Another run holds the lock; the message names its pid, in Swedish."""


_held: set[int] = set()


@contextmanager
def run_lock() -> Iterator[None]:
    """Hold the state folder's run lock for the block, or raise RunLocked naming the holder.

    Reentrant within a process: `uppsikt run` holds it, and the run's executor asks again.
    """
    if os.getpid() in _held:
        yield
        return
    state = load_settings().state_dir
    state.mkdir(parents=True, exist_ok=True)
    path = state / LOCK_FILE
    with path.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "okänd"
            raise RunLocked(
                f"En annan körning pågår redan ({holder}); lagret tillåter en i taget. "
                "Vänta tills den är klar och kör sedan igen."
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()}, startad {datetime.now().isoformat(timespec='seconds')}")
        lock.flush()
        _held.add(os.getpid())
        try:
            yield
        finally:
            _held.discard(os.getpid())
            lock.truncate(0)
            fcntl.flock(lock, fcntl.LOCK_UN)


def dagster_home() -> Path:
    """Dagster's home in the state folder (DAGSTER_HOME wins), with the shipped dagster.yaml in it."""
    home = Path(os.environ.get("DAGSTER_HOME") or load_settings().dagster_home)
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    # The shipped file is the instance's configuration; an upgrade brings its changes along.
    if not target.is_file() or target.read_bytes() != DAGSTER_YAML.read_bytes():
        shutil.copyfile(DAGSTER_YAML, target)
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def run_tags() -> dict[str, str]:
    """Tags that let the next start tell whether this run's process is still alive."""
    return {PID_TAG: str(os.getpid()), HOST_TAG: socket.gethostname()}


def fail_abandoned_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark failed every run started here whose process is gone (killed, machine restarted); their ids."""
    failed = []
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=UNFINISHED)):
        run = record.dagster_run
        if run.tags.get(HOST_TAG) != socket.gethostname() or _alive(run.tags.get(PID_TAG)):
            continue
        instance.report_run_failed(
            run,
            f"Processen ({run.tags.get(PID_TAG)}) som körde den finns inte längre: markerad som misslyckad",
        )
        failed.append(run.run_id)
    return failed


def _alive(pid: str | None) -> bool:
    if not pid or not pid.isdigit():
        return True  # not ours to judge (e.g. a run the daemon's run monitoring looks after)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class LockedExecutor(dg.Executor):
    """Dagster's in-process executor, holding the run lock for the whole run, whoever started it."""

    def __init__(self, inner: dg.Executor) -> None:
        self._inner = inner

    @property
    def retries(self) -> object:  # type: ignore[override]
        return self._inner.retries

    @property
    def step_dependency_config(self) -> object:  # type: ignore[override]
        return self._inner.step_dependency_config

    def execute(self, plan_context: object, execution_plan: object) -> Iterator[object]:  # type: ignore[override]
        with run_lock():
            yield from self._inner.execute(plan_context, execution_plan)  # type: ignore[arg-type]


@dg.executor(name="in_process_one_at_a_time", config_schema=dg.in_process_executor.config_schema)
def locked_in_process_executor(init_context: dg.InitExecutorContext) -> dg.Executor:
    """Every step in one process (DuckDB allows one writer), and one run at a time across processes."""
    return LockedExecutor(dg.in_process_executor.executor_creation_fn(init_context))  # type: ignore[misc]
