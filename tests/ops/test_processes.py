"""Children (dbt, npm/Evidence) die with the run that started them, even when it is killed with kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.lib.report.evidence import STAGING_DIR, _prepare_staging

# The parent: starts a child that leaves a grandchild behind (as npm -> node -> vite does), prints
# both pids, then waits; the test kills it with SIGKILL.
PARENT = """
import sys, threading
from pathlib import Path
from orchestration.lib.report.evidence import _run
pids = Path(sys.argv[1])
command = ["bash", "-c", f"sleep 300 & echo $! > {pids}.grandchild; echo $$ > {pids}.child; wait"]
threading.Timer(0, lambda: None).start()
_run(command, Path.cwd(), 600)
"""


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


def _wait_for(path: Path, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and path.read_text().strip():
            return int(path.read_text())
        time.sleep(0.1)
    raise AssertionError(f"{path} kom aldrig")


def _gone(pids: list[int], timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def test_kill_9_of_the_run_ends_the_build_and_its_grandchildren(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(pids)], cwd=tmp_path)
    try:
        child, grandchild = _wait_for(Path(f"{pids}.child")), _wait_for(Path(f"{pids}.grandchild"))
        assert _alive(child) and _alive(grandchild)
        # Its own process group: a Ctrl-C or kill aimed at the run's group does not reach it by accident.
        assert os.getpgid(child) != os.getpgid(parent.pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert _gone([child, grandchild]), "the build outlived the run that started it"
    finally:
        parent.kill()
        for name in ("child", "grandchild"):
            path = Path(f"{pids}.{name}")
            if path.is_file() and _alive(int(path.read_text())):
                os.kill(int(path.read_text()), signal.SIGKILL)


def test_a_guarded_command_keeps_its_exit_code_and_output(tmp_path: Path) -> None:
    from orchestration.lib.ops.processes import guarded

    done = subprocess.run(
        guarded(["bash", "-c", "echo hej; exit 3"]), capture_output=True, text=True, timeout=30
    )
    assert (done.returncode, done.stdout) == (3, "hej\n")


def test_what_a_killed_build_left_is_removed_before_the_next(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    (reports / "node_modules").mkdir(parents=True)
    (reports / "package.json").write_text("{}")
    stale = reports / STAGING_DIR / ".evidence" / "template"
    for folder in (".evidence-queries/cache/abc", "build/samverkan", "src"):
        (stale / folder).mkdir(parents=True)
        (stale / folder / "x").write_text("kvar från en dödad körning")
    (reports / STAGING_DIR / "build").mkdir()

    staging = _prepare_staging(reports)

    assert not (staging / ".evidence" / "template" / ".evidence-queries").exists()
    assert not (staging / ".evidence" / "template" / "build").exists()
    assert not (staging / "build").exists()
    assert (staging / ".evidence" / "template" / "src" / "x").is_file()  # the template itself is reused


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="Linux only")
@pytest.mark.parametrize("hangup", [signal.SIG_DFL, signal.SIG_IGN], ids=["vanligt", "under-nohup"])
def test_a_guard_whose_parent_is_already_gone_exits(tmp_path: Path, hangup: signal.Handlers) -> None:
    # The parent dies before the guard asks for its death signal: the guard must not run on alone, also
    # when started under nohup (SIGHUP ignored, and inherited so by the guard).
    marker = tmp_path / "ran"
    script = (
        "import os, subprocess, sys\n"
        "from orchestration.lib.ops.processes import guarded\n"
        f"subprocess.Popen(guarded(['bash', '-c', 'sleep 2; touch {marker}']), start_new_session=True)\n"
        "os._exit(0)\n"
    )
    subprocess.run(
        [sys.executable, "-c", script],
        timeout=30,
        check=True,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, hangup),
    )
    time.sleep(4)
    assert not marker.exists()


BROWSER = """
import asyncio
from playwright.async_api import async_playwright
from orchestration.lib.report.pdf import CHROMIUM_ARGS, chromium_path

async def main():
    async with async_playwright() as playwright:
        await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        print("up", flush=True)
        await asyncio.sleep(300)

asyncio.run(main())
"""


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat[stat.rindex(")") + 2 :].split()[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def test_kill_9_of_the_run_ends_the_pdf_browser(tmp_path: Path) -> None:
    # Playwright's driver sees its pipe close and takes Chromium with it: nothing of ours is needed,
    # but a kill -9 must still leave no browser behind.
    parent = subprocess.Popen([sys.executable, "-c", BROWSER], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None and parent.stdout.readline().strip() == "up"
        browser = _descendants(parent.pid)
        assert any("chrom" in Path(f"/proc/{pid}/comm").read_text() for pid in browser if _alive(pid))
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        assert _gone(browser, timeout=20), "Chromium outlived the run"
    finally:
        parent.kill()
