"""`uppsikt serve`: Dagster's daemon (schedule, sensors, failure notices) and web UI, as one service."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

from orchestration.lib.ops.processes import kill_group, spawn
from orchestration.lib.ops.runs import dagster_home, fail_abandoned_runs
from orchestration.lib.ops.settings import PROJECT_ROOT

LOCATION = ["-m", "orchestration.definitions"]


def _bin(name: str) -> str:
    # The venv's own Dagster, whichever way uppsikt was started.
    return str(Path(sys.executable).with_name(name))


def service_commands(host: str, port: int) -> list[list[str]]:
    """The daemon and the web UI, both on the project's code location."""
    return [
        [_bin("dagster-daemon"), "run", *LOCATION],
        [_bin("dagster-webserver"), *LOCATION, "-h", host, "-p", str(port)],
    ]


def serve(host: str, port: int) -> int:
    """Run the daemon and the web UI until either stops or this process is asked to stop."""
    import dagster as dg

    home = dagster_home()
    with dg.DagsterInstance.get() as instance:
        for run_id in fail_abandoned_runs(instance):
            print(f"Körningen {run_id} avbröts utan att avslutas; markerad som misslyckad.", file=sys.stderr)
    print(f"uppsikt: tjänsten startar (tillstånd i {home}, gränssnitt på http://{host}:{port})", flush=True)
    children = [spawn(command, cwd=PROJECT_ROOT) for command in service_commands(host, port)]
    stopping = {"signal": 0}

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping["signal"] = signum

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    try:
        while not stopping["signal"] and all(child.poll() is None for child in children):
            time.sleep(0.5)
    finally:
        _stop(children)
    ended = [child for child in children if child.returncode not in (None, 0, -signal.SIGTERM)]
    if not stopping["signal"] and ended:
        print(
            f"uppsikt: {ended[0].args[-1]} stannade (kod {ended[0].returncode}); tjänsten stängs",
            file=sys.stderr,
        )
        return 1
    return 0


def _stop(children: list[subprocess.Popen[str]]) -> None:
    for child in children:
        kill_group(child, signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            kill_group(child)
            child.wait()


def dev(host: str, port: int) -> int:
    """`dagster dev` on the same instance and settings as `uppsikt serve` (for development)."""
    dagster_home()
    os.chdir(PROJECT_ROOT)
    os.execv(_bin("dagster"), [_bin("dagster"), "dev", *LOCATION, "-h", host, "-p", str(port)])
