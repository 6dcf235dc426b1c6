"""The one way tests run dbt: a real `dbt` subprocess on a test warehouse, never the project's own files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from orchestration.defs.transform.dbt import DBT_DIR

DBT = str(Path(sys.executable).parent / "dbt")
# A whole `dbt build` takes a minute alone and several when the machine is shared; a hang still ends.
TIMEOUT_S = 900


def run_dbt(args: list[str], warehouse: Path, work: Path, **env: str) -> subprocess.CompletedProcess:
    """dbt `args` on `warehouse`, with target and logs in `work` so the project's own stay untouched.

    Extra keyword arguments are environment variables for this dbt run (e.g. UPPSIKT_SOURCE="demo").
    """
    command = [DBT, *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    environ = {
        **os.environ,
        "UPPSIKT_WAREHOUSE_PATH": str(warehouse),
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_TARGET_PATH": str(work / "target"),
        **env,
    }
    return subprocess.run(
        command, cwd=DBT_DIR, env=environ, capture_output=True, text=True, timeout=TIMEOUT_S
    )
