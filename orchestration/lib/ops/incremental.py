"""Whether a run has anything new to build: one content hash of everything the steps after the pull read.

After the pull, the steps read the raw tables (the pulled data and the registry) and the project's own code
and configuration (Python, dbt, the suites, the report project). When the hash of all of that equals the
one stored by the last complete run, rebuilding would give the same marts, site and PDFs, so the run stops
there. Timestamps of when a row was fetched or loaded, and the log of pulls, are left out: a pull that
brings nothing new changes only those.

The day enters the hash only where a rule compares a date with it: dbt's current_date with the registry's
dates (a cooperation that has ended, a member that has joined: dim_agreements, fct_agreement_members) and
quality.freshness's day with Kolada's publication dates and SCB's due date. The hash takes which of those
dates have passed, not the day itself, so a later day with nothing new and no such date passed still stops
after the pull, and the day a cooperation ends, its report says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb

# The files whose content decides what the steps after the pull make (reports/static is generated).
CODE_PATHS = (
    "orchestration",
    "dbt/models",
    "dbt/macros",
    "dbt/dbt_project.yml",
    "dbt/profiles.yml",
    "expectations",
    "uv.lock",
    "reports/pages",
    "reports/partials",
    "reports/components",
    "reports/sources",
    "reports/patches",
    "reports/package-lock.json",
    "reports/evidence.config.yaml",
    "reports/evidence.settings.json",
)
SKIPPED_SUFFIXES = (".pyc",)
VOLATILE_COLUMNS = {"loaded_at", "fetched_at", "recorded_at"}
VOLATILE_TABLES = {"extract_runs"}
RAW = "database_name = current_database() and schema_name = 'raw'"
TABLES_SQL = f"select table_name from duckdb_tables() where {RAW}"
COLUMNS_SQL = f"select column_name from duckdb_columns() where {RAW} and table_name = ? order by column_index"
REGISTRY_DATES_SQL = (
    f"select table_name, column_name from duckdb_columns() where {RAW} and data_type = 'DATE'"
    " and starts_with(table_name, 'registry_') order by table_name, column_name"
)
LAST_SQL = "select fingerprint from history.run_inputs order by recorded_at desc limit 1"


def code_digest(root: Path, registry: Path | None = None) -> str:
    """Hash of every file under CODE_PATHS and the registry folder (names and bytes), in a fixed order."""
    digest = hashlib.sha256()
    for base in [*(root / entry for entry in CODE_PATHS), registry or root / "registry"]:
        add_files(digest, base, base.parent, _generated)
    return digest.hexdigest()


def add_files(
    digest: hashlib._Hash, base: Path, names_from: Path, skip: Callable[[Path], bool] = lambda _: False
) -> None:
    """Feed `digest` each file under `base` (or `base`, a file), in a fixed order: its name relative to
    `names_from`, then its bytes. Files `skip` picks out, and a `base` that does not exist, add nothing."""
    files = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
    for path in files:
        if path.is_file() and not skip(path):
            digest.update(str(path.relative_to(names_from)).encode() + b"\0" + path.read_bytes() + b"\0")


def _generated(path: Path) -> bool:
    return path.name.endswith(SKIPPED_SUFFIXES) or "__pycache__" in path.parts


def raw_digest(con: duckdb.DuckDBPyConnection) -> str:
    """Hash of the raw tables' rows (in any order), leaving out fetch and load times."""
    digest = hashlib.sha256()
    for (table,) in con.execute(TABLES_SQL).fetchall():
        if table in VOLATILE_TABLES:
            continue
        columns = [c for (c,) in con.execute(COLUMNS_SQL, [table]).fetchall() if c not in VOLATILE_COLUMNS]
        quoted = ", ".join(f'"{c}"' for c in columns)
        rows = rows_digest(con, f'select {quoted} from raw."{table}"')
        digest.update(f"{table}:{','.join(columns)}:{rows}\n".encode())
    return digest.hexdigest()


def rows_digest(con: duckdb.DuckDBPyConnection, select: str) -> tuple[int, int | None]:
    """The rows `select` gives, by content and in any order: their count and the sum of their hashes."""
    return con.execute(f"select count(*), sum(hash(f)::hugeint) from ({select}) f").fetchone()


def calendar_state(con: duckdb.DuckDBPyConnection, today: date, data_day: date) -> str:
    """Which of the dates the steps compare with a day have passed: the latest registry date on or
    before `today` (dbt's current_date) and the freshness rules' state on `data_day`."""
    # Here, not at the top: the validate package imports this module's hashing (lib/validate/reuse.py).
    from orchestration.lib.validate.freshness import freshness_state

    columns = con.execute(REGISTRY_DATES_SQL).fetchall()
    dates = " union all ".join(f'select "{c}" as d from raw."{t}"' for t, c in columns)
    row = con.execute(f"select max(d) from ({dates}) where d <= ?", [today]).fetchone() if dates else None
    return f"registry {row[0] if row else None}; {freshness_state(con, data_day)}"


def inputs_digest(
    con: duckdb.DuckDBPyConnection, root: Path, source: str, registry: Path | None, days: tuple[date, date]
) -> str:
    """The one hash of what the steps after the pull read, for this data source and registry folder, on
    these days (today for dbt, the freshness check's day; calendar_state)."""
    read = f"{source}\n{raw_digest(con)}\n{code_digest(root, registry)}\n{calendar_state(con, *days)}"
    return hashlib.sha256(read.encode()).hexdigest()


def last_digest(con: duckdb.DuckDBPyConnection) -> str | None:
    """The hash stored by the last complete run; None before the first (or before dbt made the table)."""
    try:
        row = con.execute(LAST_SQL).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def remember(con: duckdb.DuckDBPyConnection, fingerprint: str, run_id: str) -> None:
    """Store the hash of a complete run's inputs (history.run_inputs, created by dbt)."""
    try:
        con.execute("insert into history.run_inputs values (?, ?, current_timestamp)", [fingerprint, run_id])
    except duckdb.CatalogException:
        return  # a run that did not reach dbt's history tables: the next run builds everything
