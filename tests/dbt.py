"""The one way tests run dbt: real dbt on a test warehouse, never the project's own files.

dbt runs in the test's process, as it does in a run (orchestration/lib/transform/dbt_in_process.py): a
dbt process spent 2-3 s of CPU starting before it read the project, in each of the suite's dbt runs.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
from pathlib import Path
from unittest import mock

from orchestration.defs.transform.dbt import DBT_DIR
from orchestration.lib.transform.dbt_in_process import PARTIAL_PARSE, invoke

# dbt parses the whole project again (about 3 s of CPU, most of a small run) unless its target holds a
# parse made with the same profile, and the profile names the warehouse file. Each test has a warehouse
# of its own, so dbt opens it under this one name, a hard link in a folder of the run's own (relative to
# that folder, where dbt runs), and its target starts from the last parse made in this process.
LINKED = "warehouse.duckdb"
_last_parse: bytes | None = None


def run_dbt(args: list[str], warehouse: Path, work: Path, **env: str) -> subprocess.CompletedProcess:
    """dbt `args` on `warehouse`, with target and logs in `work` so the project's own stay untouched; what
    dbt prints is the result's stdout, and its exit code the returncode (0, 1 a failed node, 2 an error).

    Extra keyword arguments are environment variables for this dbt run (e.g. UPPSIKT_SOURCE="demo").
    """
    folder = work / "dbt-run"
    folder.mkdir(parents=True, exist_ok=True)
    path = _link(warehouse, folder / LINKED)
    target = work / "target"
    _start_from_last_parse(target)
    command = [*args, "--project-dir", str(DBT_DIR), "--profiles-dir", str(DBT_DIR)]
    environ = {
        "UPPSIKT_WAREHOUSE_PATH": path,
        "DBT_LOG_PATH": str(work / "logs"),
        "DBT_TARGET_PATH": str(target),
    }
    printed = io.StringIO()
    try:
        # dbt reads the profile's env_var() and its DBT_* settings from the process's environment: set for
        # the invocation's length (tests run one at a time in a process).
        with (
            mock.patch.dict(os.environ, {**environ, **env}),
            contextlib.chdir(folder),
            contextlib.redirect_stdout(printed),
        ):
            code, error = invoke(command)
    finally:
        _unlink(folder / LINKED, warehouse)
        _keep_parse(target)
    said = printed.getvalue() + (f"\n{error}\n" if error is not None else "")
    return subprocess.CompletedProcess(["dbt", *command], code, said, "")


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
