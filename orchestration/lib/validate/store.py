"""The quality schema: every validation result, the quarantine and freshness, kept in the warehouse."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import duckdb
import pandas as pd

from expectations.spec import Suite
from orchestration.lib.validate.gx_run import RuleResult

SCHEMA = "quality"
RESULTS = f"{SCHEMA}.validation_results"
QUARANTINE = f"{SCHEMA}.quarantine"
FRESHNESS = f"{SCHEMA}.freshness"
# What each validation that moved no row read, hashed (reuse.py): a later one with the same hash is the same.
FINGERPRINTS = f"{SCHEMA}.validation_fingerprints"

# JSON is stored as varchar: the report's DuckDB (Node, 1.4) reads it without extensions.
_DDL = (
    f"create schema if not exists {SCHEMA}",
    f"""create table if not exists {RESULTS} (
        run_id varchar not null,
        suite varchar not null,
        table_name varchar not null,
        expectation varchar not null,
        expectation_type varchar not null,
        severity varchar not null,
        row_level boolean not null,
        success boolean not null,
        observed_value varchar,
        element_count bigint,
        unexpected_count bigint,
        unexpected_percent double,
        details varchar,
        description varchar not null,
        checked_at timestamptz not null
    )""",
    f"""create table if not exists {QUARANTINE} (
        run_id varchar not null,
        suite varchar not null,
        rules varchar not null,
        reason varchar not null,
        table_name varchar not null,
        row_key varchar not null,
        row_json varchar not null,
        quarantined_at timestamptz not null
    )""",
    f"""create table if not exists {FRESHNESS} (
        source varchar not null,
        kpi_id varchar not null,
        title varchar,
        latest_year integer,
        expected_latest_year integer,
        is_fresh boolean,
        prel_publication_date date,
        publication_date date,
        checked_at timestamptz not null
    )""",
    f"""create table if not exists {FINGERPRINTS} (
        suite varchar not null,
        run_id varchar not null,
        fingerprint varchar not null,
        checked_at timestamptz not null
    )""",
)


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the quality tables if they are missing (the report reads them even before a check ran)."""
    for statement in _DDL:
        con.execute(statement)


def write_results(
    con: duckdb.DuckDBPyConnection,
    suite: Suite,
    results: Sequence[RuleResult],
    run_id: str,
    checked_at: datetime,
) -> None:
    """Append one row per expectation of this run."""
    rows = pd.DataFrame(
        [
            {
                "run_id": run_id,
                "suite": suite.name,
                "table_name": suite.table,
                "expectation": r.rule.name,
                "expectation_type": r.expectation_type,
                "severity": r.rule.severity.value,
                "row_level": r.rule.row_level,
                "success": r.success,
                "observed_value": r.observed_value,
                "element_count": r.element_count,
                "unexpected_count": r.unexpected_count,
                "unexpected_percent": r.unexpected_percent,
                "details": r.details,
                "description": r.rule.description,
                "checked_at": checked_at,
            }
            for r in results
        ],
        columns=_result_columns(con),
    )
    con.register("_quality_results_batch", rows)
    try:
        con.execute(f"insert into {RESULTS} by name select * from _quality_results_batch")
    finally:
        con.unregister("_quality_results_batch")


def _result_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [row[0] for row in con.execute(f"describe {RESULTS}").fetchall()]


def baseline(con: duckdb.DuckDBPyConnection, suite: Suite) -> float | None:
    """The observed value of the suite's baseline rule in its last passing run, if any."""
    names = [rule.name for rule in suite.rules if rule.keeps_baseline]
    if not names:
        return None
    row = con.execute(
        f"""select try_cast(observed_value as double) from {RESULTS}
            where suite = ? and expectation = ? and success
            order by checked_at desc limit 1""",
        [suite.name, names[0]],
    ).fetchone()
    return None if row is None else row[0]
