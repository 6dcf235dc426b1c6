"""Child processes (npm/Evidence, Dagster's daemon) that die with the process that started them.

Every child runs under a small guard: the guard leads a process group of its own, asks the kernel for a
signal when its parent dies (prctl PR_SET_PDEATHSIG, which also fires on kill -9), and then kills the
whole group, grandchildren included (npm -> node -> vite). Linux only, like the rest of the stack.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

PR_SET_PDEATHSIG = 1
PARENT_DIED = signal.SIGHUP
GRACE_S = 3.0


def guarded(command: Sequence[str]) -> list[str]:
    """The command run under the guard (use with start_new_session=True, or via spawn())."""
    # The parent's pid goes along: if it has died before the guard starts, the guard must not run.
    return [sys.executable, "-m", "orchestration.lib.ops.processes", str(os.getpid()), *command]


def spawn(command: Sequence[str], **popen: object) -> subprocess.Popen[str]:
    """Popen of the command under the guard, in a session of its own (killpg(process.pid) ends all)."""
    return subprocess.Popen(guarded(command), start_new_session=True, **popen)  # type: ignore[call-overload]


def kill_group(process: subprocess.Popen[str], sig: signal.Signals = signal.SIGKILL) -> None:
    """Signal the child's whole process group; quiet if it is already gone."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _die_with_parent(parent: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, int(PARENT_DIED), 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG)")
    if os.getppid() != parent:  # the parent died before the request took effect
        # Exit at once: the command has not started, so there is no group to end.
        os._exit(128 + PARENT_DIED)


def _others_in_group() -> list[int]:
    group, me, pids = os.getpgrp(), os.getpid(), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == group and fields[0] != "Z":
            pids.append(int(entry.name))
    return pids


def _signal_group(sig: int) -> None:
    for pid in _others_in_group():
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def _end_group(first: int) -> None:
    # The children get `first` (SIGINT lets dbt stop cleanly), then SIGKILL for whatever still runs.
    _signal_group(first)
    deadline = time.monotonic() + GRACE_S
    while _others_in_group() and time.monotonic() < deadline:
        time.sleep(0.1)
    _signal_group(signal.SIGKILL)


def guard(command: list[str], parent: int | None = None) -> int:
    """Run command in this process group; end the group when it ends, when asked, or when the parent dies."""
    parent = os.getppid() if parent is None else parent
    if os.getpgrp() != os.getpid():
        os.setpgid(0, 0)

    def stop(signum: int, _frame: object) -> None:
        _end_group(signal.SIGINT if signum == signal.SIGINT else signal.SIGTERM)
        os._exit(128 + signum)

    # The handlers first: a parent's death signal must stop the guard even if SIGHUP came in ignored (nohup).
    for sig in (PARENT_DIED, signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, stop)
    _die_with_parent(parent)
    code = subprocess.call(command)
    _end_group(signal.SIGTERM)  # leftovers such as a build server the command left behind
    return code


if __name__ == "__main__":
    raise SystemExit(guard(sys.argv[2:], int(sys.argv[1])))
