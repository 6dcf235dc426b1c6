"""`make run` and `make test` timed on a fresh clone of the project, as a new developer or CI starts them.

Each gets a `git clone` of the committed HEAD of its own in a temporary folder (changes not committed are
not in it), with none of the developer's uppsikt settings, and `make test` with CI=true as CI runs it. The
clone installs everything itself (uv sync, npm install, the compile of the report); system packages already
on the machine (Chromium, fonts) are not installed again, which on a new machine they would be, beside the
rest. The output of each goes to a log in the folder, which is removed afterwards; the benchmark always
exits 0. Takes 10-15 minutes. Run: `uv run python benchmarks/bench_fresh.py [--only run|test]`.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

from targets import EXIT_NOTE, print_targets

from orchestration.lib.ops.settings import PROJECT_ROOT

TARGET_NAMES = {"run": "färsk make run", "test": "make test, färsk klon"}
# What a shell inside `uv run` or `make bench` carries that a fresh clone's make must not inherit.
INHERITED = ("VIRTUAL_ENV", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "DAGSTER_HOME")
# pytest's last line, whether the tests passed or not ("3 failed, 840 passed, ..." as well).
SUMMARY = re.compile(r"=+ (\d+ (?:passed|failed|errors?)\b.*?) in [\d.]+s")


def clean_env() -> dict[str, str]:
    """The environment without the developer's uppsikt settings and what the running tools set."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("UPPSIKT_", "UV_")) and key not in INHERITED
    }


def timed_make(target: str, work: Path) -> str:
    """`make <target>` on a fresh clone in `work`: seconds, exit code and for the tests their summary."""
    clone = work / f"klon-{target}"
    subprocess.run(["git", "clone", "--quiet", str(PROJECT_ROOT), str(clone)], check=True)
    env = clean_env() | ({"CI": "true"} if target == "test" else {})
    log = work / f"make-{target}.log"
    started = time.perf_counter()
    with log.open("w") as out:
        done = subprocess.run(["make", target], cwd=clone, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - started
    summary = SUMMARY.findall(log.read_text(encoding="utf-8", errors="replace"))
    status = "lyckades" if done.returncode == 0 else f"MISSLYCKADES (kod {done.returncode})"
    tests = f", {summary[-1]}" if summary else ""
    return f"{seconds:.0f} s ({seconds / 60:.1f} min), {status}{tests}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(TARGET_NAMES), help="bara make run eller bara make test")
    args = parser.parse_args()
    print(EXIT_NOTE)
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(f"färsk klon av {head or 'HEAD'} (det som är incheckat)")
    measured: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bench-fresh-") as tmp:
        for target in [args.only] if args.only else ["run", "test"]:
            measured[TARGET_NAMES[target]] = timed_make(target, Path(tmp))
            print(f"make {target}: {measured[TARGET_NAMES[target]]}", flush=True)
    print_targets(measured)


if __name__ == "__main__":
    main()
