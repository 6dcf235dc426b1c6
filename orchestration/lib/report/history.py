"""What each built report said, kept so that the next report can tell what changed since.

history.report_verdicts is created by dbt (macro ensure_history_tables, a pre-hook of the change mart
that reads it); this module only appends. It outlives every rebuild: nothing else writes the schema.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


# Where a built site keeps its report_meta query's result (Evidence writes each source query as parquet).
PUBLISHED_META = "data/uppsikt/report_meta/*/report_meta.parquet"


class HistoryError(RuntimeError):
    """The history cannot be written; the message says why, in Swedish."""


@dataclass(frozen=True)
class RecordedReport:
    built_at: str
    data_source: str
    verdicts: int
    reports_kept: int


def published_report_id(build_dir: Path) -> int:
    """The identity (epoch µs of dim_report_meta.built_at) of the report published in build_dir."""
    files = sorted(build_dir.glob(PUBLISHED_META))
    if not files:
        raise HistoryError(
            f"Ingen publicerad rapport i {build_dir}: historiken skrivs bara för en byggd rapport"
        )
    ids = {
        row[0]
        for row in duckdb.sql(f"select report_id from read_parquet({[str(f) for f in files]})").fetchall()
    }
    if len(ids) != 1 or None in ids:
        raise HistoryError(
            f"Den publicerade rapporten i {build_dir} har inget entydigt rapport-id ({len(ids)} st)"
        )
    return int(ids.pop())


def record_report(con: duckdb.DuckDBPyConnection, run_id: str, published_id: int) -> RecordedReport:
    """Append the verdicts of the published report, in one transaction, if the marts still describe it.

    Another run may have rebuilt the marts while this one built its site (the run lock prevents it; this
    is the direct check): then the verdicts in the marts are not the published report's, and nothing is
    written rather than an entry that belongs to another report.
    """
    require_tables(con)
    con.execute("begin transaction")
    try:
        _require_published(con, published_id)
        con.execute(FORGET_SQL)
        con.execute(RECORD_SQL, {"run_id": run_id})
        con.execute("commit")
    except duckdb.Error:
        con.execute("rollback")
        raise
    return _summary(con)


def _require_published(con: duckdb.DuckDBPyConnection, published_id: int) -> None:
    current, shown = con.execute(
        "select epoch_us(built_at), cast(built_at as varchar) from marts.dim_report_meta"
    ).fetchone()
    if current != published_id:
        published = con.execute("select cast(make_timestamp(?) as varchar)", [published_id]).fetchone()[0]
        raise HistoryError(
            f"Den publicerade rapporten (byggd {published} UTC) är inte den som lagret nu beskriver "
            f"(byggd {shown}): en annan körning har byggt om lagret medan rapporten byggdes. Historiken "
            "skrivs inte, så att den aldrig hör till fel rapport. Kör igen."
        )


def require_tables(con: duckdb.DuckDBPyConnection) -> None:
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
