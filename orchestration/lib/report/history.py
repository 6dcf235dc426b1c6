"""What each built report said, kept so that the next report can tell what changed since.

history.report_verdicts is created by dbt (macro ensure_history_tables, a pre-hook of the change mart
that reads it); this module only appends. It outlives every rebuild: nothing else writes the schema.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

# A report is named by the built_at of the dim_report_meta it was built from: recording the same report
# twice replaces its rows instead of adding a second, identical "previous report".
RECORD_SQL = """
insert into history.report_verdicts by name
select
    meta.built_at as report_built_at,
    meta.data_source,
    meta.latest_data_year,
    $run_id as run_id,
    current_timestamp as recorded_at,
    verdicts.agreement_id,
    verdicts.dimension,
    verdicts.verdict,
    verdicts.rule,
    verdicts.reasons
from marts.fct_agreement_verdicts as verdicts
cross join marts.dim_report_meta as meta
"""
FORGET_SQL = """
delete from history.report_verdicts as history
using marts.dim_report_meta as meta
where history.report_built_at = meta.built_at and history.data_source = meta.data_source
"""


class HistoryError(RuntimeError):
    """The history cannot be written; the message says why, in Swedish."""


@dataclass(frozen=True)
class RecordedReport:
    built_at: str
    data_source: str
    verdicts: int
    reports_kept: int


def record_report(con: duckdb.DuckDBPyConnection, run_id: str) -> RecordedReport:
    """Append the verdicts of the report built from the current marts, in one transaction."""
    _require_tables(con)
    con.execute("begin transaction")
    try:
        con.execute(FORGET_SQL)
        con.execute(RECORD_SQL, {"run_id": run_id})
        con.execute("commit")
    except duckdb.Error:
        con.execute("rollback")
        raise
    return _summary(con)


def _require_tables(con: duckdb.DuckDBPyConnection) -> None:
    found = {
        f"{schema}.{table}"
        for schema, table in con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
    }
    for table in ("history.report_verdicts", "marts.fct_agreement_verdicts", "marts.dim_report_meta"):
        if table not in found:
            raise HistoryError(f"{table} saknas i lagret: kör dbt-modellerna (dbt_effect_marts) först")
    if con.execute("select count(*) from marts.dim_report_meta").fetchone()[0] != 1:
        raise HistoryError("marts.dim_report_meta ska ha exakt en rad: rapporten går inte att namnge")


def _summary(con: duckdb.DuckDBPyConnection) -> RecordedReport:
    built_at, source, verdicts = con.execute(
        """
        select cast(meta.built_at as varchar), meta.data_source, count(history.agreement_id)
        from marts.dim_report_meta as meta
        left join history.report_verdicts as history
            on history.report_built_at = meta.built_at and history.data_source = meta.data_source
        group by all
        """
    ).fetchone()
    kept = con.execute(
        "select count(distinct report_built_at) from history.report_verdicts where data_source = ?", [source]
    ).fetchone()[0]
    return RecordedReport(built_at, source, verdicts, kept)
