"""The one system package script: a no-op when all is there, a clear stop when it cannot install."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.lib.ops.system_packages import wait_for_system_packages

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "install-system-packages.sh"
ABSENT = "uppsikt-test-absent-package"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

debian = pytest.mark.skipif(
    shutil.which("dpkg-query") is None or shutil.which("apt-get") is None, reason="no Debian package tools"
)
as_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch to an unprivileged user")


def _recording_apt(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """PATH with an apt-get first that only records its arguments, so no test changes the machine."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "apt-calls"
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {calls}\n')
    (bin_dir / "apt-get").chmod(0o755)
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}, calls


@debian
def test_does_nothing_when_every_package_is_installed(tmp_path: Path) -> None:
    env, calls = _recording_apt(tmp_path)
    started = time.monotonic()
    done = subprocess.run(["bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert not calls.exists(), "apt-get ran although every package is installed"
    assert done.stdout == "" and done.stderr == ""
    assert elapsed < 5


@pytest.fixture
def script_for_anyone() -> Iterator[Path]:
    """The scripts folder copied where an unprivileged user can read it: a clone may sit in a folder only
    its owner can enter (`mktemp -d` makes one), and so may pytest's tmp_path."""
    folder = Path(tempfile.mkdtemp(prefix="uppsikt-scripts-"))
    try:
        folder.chmod(0o755)
        shutil.copytree(SCRIPT.parent, folder / "scripts")
        yield folder / "scripts" / SCRIPT.name
    finally:
        shutil.rmtree(folder)


@debian
@as_root
def test_unprivileged_user_is_told_the_exact_command(tmp_path: Path, script_for_anyone: Path) -> None:
    env, calls = _recording_apt(tmp_path)
    done = subprocess.run(
        [*NOBODY, "bash", str(script_for_anyone), "chromium", ABSENT],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"systempaket saknas: {ABSENT}." in lines[0]
    assert f"apt-get update && apt-get install -y --no-install-recommends {ABSENT}" in lines[0]
    assert not calls.exists()


@debian
@as_root
def test_make_run_stops_before_any_pipeline_work(tmp_path: Path) -> None:
    done = subprocess.run(
        [*NOBODY, "make", "--no-print-directory", "run", f"SYSTEM_PACKAGES={ABSENT}"],
        cwd=ROOT,
        env={**os.environ, "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert f"apt-get install -y --no-install-recommends {ABSENT}" in done.stderr
    # Nothing after the check ran: no uv sync, no npm install, no pipeline.
    assert done.stdout == ""
    assert "uppsikt run" not in done.stderr and "npm" not in done.stderr


@debian
@as_root
def test_root_installs_what_is_missing_with_apt_get(tmp_path: Path) -> None:
    env, calls = _recording_apt(tmp_path)
    done = subprocess.run(
        ["bash", str(SCRIPT), "chromium", ABSENT], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert calls.read_text().splitlines() == [
        "update -qq",
        f"install -y -qq --no-install-recommends {ABSENT}",
    ]


def _slow_recording_apt(tmp_path: Path, seconds: float) -> tuple[dict[str, str], Path]:
    """As _recording_apt, but each apt-get call takes `seconds`, as a real download would."""
    env, calls = _recording_apt(tmp_path)
    apt = tmp_path / "bin" / "apt-get"
    apt.write_text(f'#!/bin/sh\nsleep {seconds}\necho "$@" >> {calls}\n')
    return env, calls


@debian
@as_root
def test_beside_installs_what_only_printing_needs_in_the_background(
    tmp_path: Path, script_for_anyone: Path
) -> None:
    env, calls = _slow_recording_apt(tmp_path, 1.5)
    started = time.monotonic()
    done = subprocess.run(
        ["bash", str(script_for_anyone), "--beside", ABSENT],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    returned = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert "vid sidan av kedjan" in done.stdout
    # It returned while apt-get still worked, and the lock is held until apt-get is done.
    assert returned < 1.5 and not calls.exists()
    lock = script_for_anyone.parent.parent / ".system-packages.lock"
    assert wait_for_system_packages(lock) is True
    assert time.monotonic() - started >= 3.0
    assert calls.read_text().splitlines() == [
        "update -qq",
        f"install -y -qq --no-install-recommends {ABSENT}",
    ]
    assert wait_for_system_packages(lock) is False


@debian
@as_root
def test_beside_installs_at_once_what_more_than_printing_needs(
    tmp_path: Path, script_for_anyone: Path
) -> None:
    (script_for_anyone.parent / "system-packages.txt").write_text(f"chromium utskrift\n{ABSENT}\n")
    env, calls = _slow_recording_apt(tmp_path, 0.5)
    done = subprocess.run(
        ["bash", str(script_for_anyone), "--beside"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "vid sidan av kedjan" not in done.stdout
    assert calls.read_text().splitlines()[-1] == f"install -y -qq --no-install-recommends {ABSENT}"


def test_ci_only_calls_make_test() -> None:
    commands = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert commands[-1] == "exec make test"
    assert not any("apt" in line for line in commands)


def test_the_container_image_installs_with_the_same_script() -> None:
    containerfile = (ROOT / "Containerfile").read_text()
    assert "RUN bash scripts/install-system-packages.sh" in containerfile
    assert "chromium" not in containerfile.split("install-system-packages.sh")[0].split("apt-get install")[-1]
