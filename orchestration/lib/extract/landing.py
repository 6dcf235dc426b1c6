"""Landing in schema raw: every response kept (gzip), each run's loads in one transaction."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb
import numpy as np

RAW_TABLES = {
    "responses": "response_id varchar, source varchar, url varchar, fetched_at timestamptz, "
    "http_status integer, sha256 varchar, body_gz blob",
    "kolada_values": "kpi varchar, municipality varchar, year integer, gender varchar, value double, "
    "count integer, status varchar, is_deleted boolean, response_id varchar, loaded_at timestamptz, "
    "value_text varchar",
    "kolada_kpis": "id varchar, title varchar, description varchar, municipality_type varchar, "
    "is_divided_by_gender integer, operating_area varchar, perspective varchar, "
    "prel_publication_date varchar, publication_date varchar, publ_period varchar, "
    "has_ou_data boolean, extra json, response_id varchar",
    "kolada_municipalities": "id varchar, title varchar, type varchar, response_id varchar",
    "kolada_municipality_groups": "group_id varchar, group_title varchar, municipality_id varchar, "
    "response_id varchar",
    "scb_rs_values": "region varchar, verksamhet varchar, contents_code varchar, year integer, "
    "value_tkr double, response_id varchar",
    # which source (demo or live) the warehouse holds: one row, written by the first extract (provenance.py)
    "warehouse_source": "source varchar, recorded_at timestamptz",
    # scope: what the run covered (KPI ids, years, verksamheter), so the next run knows what is new.
    "extract_runs": "source varchar, run_started_at timestamptz, run_finished_at timestamptz, "
    "from_date date, requests integer, rows integer, status varchar, scope json",
}

# value_text: a value's original text when Kolada sent a number as a JSON string (docs/wire-formats.md)
ADDED_COLUMNS = (("kolada_values", "value_text varchar"),)


@dataclass(frozen=True)
class RunRecord:
    source: str
    run_started_at: datetime
    from_date: date | None
    scope: dict[str, Any]


def column_types(table: str) -> list[str]:
    """The SQL types of a raw table's columns, in order (from RAW_TABLES, no catalogue query)."""
    return [column.strip().split(" ", 1)[1] for column in RAW_TABLES[table].split(",")]


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema raw and the extract tables when missing (idempotent)."""
    con.execute("create schema if not exists raw")
    for table, columns in RAW_TABLES.items():
        con.execute(f"create table if not exists raw.{table} ({columns})")
    # Columns added since a warehouse was created; a table made before gets them empty.
    for table, column in ADDED_COLUMNS:
        con.execute(f"alter table raw.{table} add column if not exists {column}")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: any exception rolls every write of the block back."""
    con.execute("begin transaction")
    try:
        yield con
    except BaseException:
        con.execute("rollback")
        raise
    con.execute("commit")


def land_response(con: duckdb.DuckDBPyConnection, source: str, fetched: Any) -> str:
    """Keep one response (gzip) in raw.responses; its sha256 is the id values point to."""
    response_id = fetched.sha256
    # fetchall, not fetchone: DuckDB keeps a half-read result open and refuses the next statement.
    seen = con.execute("select 1 from raw.responses where response_id = ?", [response_id]).fetchall()
    if not seen:
        con.execute(
            "insert into raw.responses values (?, ?, ?, ?, ?, ?, ?)",
            [
                response_id,
                source,
                fetched.url,
                fetched.fetched_at,
                fetched.status,
                fetched.sha256,
                gzip.compress(fetched.body, compresslevel=6, mtime=0),
            ],
        )
    return response_id


def insert_columns(
    con: duckdb.DuckDBPyConnection, table: str, columns: Mapping[str, np.ndarray], select: str = "*"
) -> None:
    """Insert column arrays (one page) into a table; `select` maps them onto the table's columns."""
    con.register("_page", dict(columns))
    try:
        con.execute(f"insert into {table} select {select} from _page")
    finally:
        con.unregister("_page")


def last_success(con: duckdb.DuckDBPyConnection, source: str) -> RunRecord | None:
    """The latest successful run of a source, or None before the first."""
    rows = con.execute(
        "select run_started_at, from_date, scope from raw.extract_runs "
        "where source = ? and status = 'success' order by run_started_at desc limit 1",
        [source],
    ).fetchall()
    if not rows:
        return None
    row = rows[0]
    return RunRecord(source, row[0], row[1], json.loads(row[2]) if row[2] else {})


def record_run(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    started: datetime,
    from_date: date | None,
    requests: int,
    rows: int,
    scope: Mapping[str, Any],
) -> None:
    """Log a finished run (inside the run's transaction, so a failed run leaves no trace)."""
    con.execute(
        "insert into raw.extract_runs values (?, ?, now(), ?, ?, ?, 'success', ?)",
        [source, started, from_date, requests, rows, json.dumps(dict(scope), sort_keys=True)],
    )


def object_array(items: list[Any]) -> np.ndarray:
    """A string (or None) column for DuckDB, without pandas."""
    array = np.empty(len(items), dtype=object)
    array[:] = items
    return array
