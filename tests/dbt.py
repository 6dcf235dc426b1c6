"""The one way tests run dbt: a real `dbt` subprocess on a test warehouse, never the project's own files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from orchestration.defs.transform.dbt import DBT_DIR, PARTIAL_PARSE

DBT = str(Path(sys.executable).parent / "dbt")
# A whole `dbt build` takes a minute alone and several when the machine is shared; a hang still ends.
TIMEOUT_S = 900
# dbt parses the whole project again (about 3 s of CPU, most of a small run) unless its target holds a
# parse made with the same profile, and the profile names the warehouse file. Each test has a warehouse
# of its own, so dbt opens it under this one name, a hard link in a folder of the run's own (relative to
# that folder, where dbt runs), and its target starts from the last parse made in this process.
LINKED = "warehouse.duckdb"
_last_parse: bytes | None = None


def run_dbt(args: list[str], warehouse: Path, work: Path, **env: str) -> subprocess.CompletedProcess:
    """dbt `args` on `warehouse`, with target and logs in `work` so the project's own stay untouched.

    Extra keyword arguments are environment variables for this dbt run (e.g. UPPSIKT_SOURCE="demo").
    """
    folder = work / "dbt-run"
    folder.mkdir(parents=True, exist_ok=True)
    path = _link(warehouse, folder / LINKED)
    target = work / "target"
    _start_from_last_parse(target)
    command = [DBT, *args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    environ = {
        **os.environ,
        "UPPSIKT_WAREHOUSE_PATH": path,
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_TARGET_PATH": str(target),
        **env,
    }
    try:
        return subprocess.run(
            command, cwd=folder, env=environ, capture_output=True, text=True, timeout=TIMEOUT_S
        )
    finally:
        _unlink(folder / LINKED, warehouse)
        _keep_parse(target)


def _link(warehouse: Path, link: Path) -> str:
    """The path dbt is given for `warehouse`: LINKED when the file can be linked there (or does not exist
    yet: dbt creates it there), else the warehouse's own path (dbt then parses the whole project)."""
    link.unlink(missing_ok=True)
    if not warehouse.exists():
        return LINKED if warehouse.parent.is_dir() else str(warehouse)
    try:
        os.link(warehouse, link)
    except OSError:  # another file system: no hard link
        return str(warehouse)
    return LINKED


def _unlink(link: Path, warehouse: Path) -> None:
    # A warehouse dbt created under the link's name is moved to where the test expects it (maybe on another
    # file system), with its write-ahead log if dbt left one (it stopped before closing the file).
    if link.exists() and not warehouse.exists():
        shutil.move(link, warehouse)
    link.unlink(missing_ok=True)
    wal = link.with_name(link.name + ".wal")
    if wal.exists():
        shutil.move(wal, warehouse.with_name(warehouse.name + ".wal"))


def _start_from_last_parse(target: Path) -> None:
    parse = target / PARTIAL_PARSE
    if _last_parse is not None and not parse.exists():
        target.mkdir(parents=True, exist_ok=True)
        parse.write_bytes(_last_parse)


def _keep_parse(target: Path) -> None:
    global _last_parse
    parse = target / PARTIAL_PARSE
    if parse.is_file():
        _last_parse = parse.read_bytes()
