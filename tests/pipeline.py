"""The whole pipeline as a user runs it: `uppsikt run` in a subprocess, in a folder of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from orchestration.lib.ops.settings import PROJECT_ROOT

# A fresh run takes about four minutes alone; on a busy shared machine over 25 minutes.
TIMEOUT_S = 3300


@dataclass(frozen=True)
class Run:
    env: dict[str, str]
    warehouse: Path
    reports: Path
    outbox: Path
    result: subprocess.CompletedProcess[str]


def uppsikt(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """`uppsikt <args>` in a subprocess from the project root, with exactly `env`."""
    command = [sys.executable, "-m", "orchestration.cli", *args]
    return subprocess.run(
        command, env=env, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=TIMEOUT_S
    )


def pipeline_env(root: Path, reports: Path) -> dict[str, str]:
    """Settings for a run whose warehouse, report, outbox and Dagster home all live under `root`."""
    env = {
        **os.environ,
        "UPPSIKT_SOURCE": "demo",
        "UPPSIKT_WAREHOUSE": str(root / "warehouse" / "uppsikt.duckdb"),
        "UPPSIKT_REPORTS": str(reports),
        "UPPSIKT_OUTBOX": str(root / "outbox"),
        # Set, so that a developer's .env (read by the CLI, variables already set win) cannot mail anyone.
        "UPPSIKT_SMTP_HOST": "",
        "UPPSIKT_ADMIN_EMAIL": "",
        "UPPSIKT_RECIPIENTS": str(root / "no-recipients.yaml"),
        "DAGSTER_HOME": str(root / "dagster"),
    }
    env.pop("UPPSIKT_WAREHOUSE_PATH", None)
    return env


def run_pipeline(root: Path) -> Run:
    """Stage the report project under `root` and run the whole pipeline there once."""
    from orchestration.lib.report.evidence import install, stage_project

    install(PROJECT_ROOT / "reports")
    reports = stage_project(PROJECT_ROOT / "reports", root / "reports")
    env = pipeline_env(root, reports)
    result = uppsikt(env, "run")
    return Run(env, root / "warehouse" / "uppsikt.duckdb", reports, root / "outbox", result)
