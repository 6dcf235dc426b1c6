"""Which source a warehouse holds (demo or live), recorded by its first extract; the two never mix.

raw.warehouse_source has one row, written in the same transaction as the first extract's data. Every
later run compares its own source with it before writing anything: a live run on a demo warehouse (or
the reverse) is refused, so simulated values can never be published as real statistics. The report's
demo banner is built from this record, not from the setting.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

TABLE = "raw.warehouse_source"  # created with the other raw tables (landing.RAW_TABLES)
NAMES = {"demo": "demodata (simulerade värden)", "live": "livedata (Kolada och SCB)"}
# A warehouse with extract runs but no record predates the record; its source is not known.
UNKNOWN = "okänd"


class SourceMismatchError(RuntimeError):
    """The run's source differs from what the warehouse holds; nothing was written."""

    def __init__(self, warehouse: Path, held: str, wanted: str) -> None:
        self.warehouse, self.held, self.wanted = warehouse, held, wanted
        held_text = NAMES.get(held, "data av okänd källa (skapat före källmärkningen)")
        super().__init__(
            f"Lagret {warehouse} innehåller {held_text}, men körningen är inställd på "
            f"{NAMES.get(wanted, wanted)} (UPPSIKT_SOURCE={wanted}). Demo- och livedata blandas aldrig: "
            f"inget har skrivits. Välj ett eget lager för {wanted} med UPPSIKT_WAREHOUSE, "
            f"eller ta bort {warehouse} för att börja om med {wanted}."
        )


def held_source(con: duckdb.DuckDBPyConnection) -> str | None:
    """The source the warehouse holds; None for a warehouse no extract has written to yet."""
    tables = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    }
    if "warehouse_source" in tables:
        rows = con.execute(f"select source from {TABLE} order by recorded_at limit 1").fetchall()
        if rows:
            return str(rows[0][0])
    if "extract_runs" in tables and con.execute("select count(*) from raw.extract_runs").fetchall()[0][0]:
        return UNKNOWN
    return None


def check_source(warehouse: Path, wanted: str) -> None:
    """Refuse before any work when the warehouse holds another source than this run's."""
    if not warehouse.exists():
        return
    with duckdb.connect(str(warehouse), read_only=True) as con:
        held = held_source(con)
    _judge(warehouse, held, wanted)


def claim_source(con: duckdb.DuckDBPyConnection, warehouse: Path, wanted: str) -> None:
    """Inside an extract's transaction: refuse another source, or record this one if none is recorded."""
    held = held_source(con)
    _judge(warehouse, held, wanted)
    if held in (None, UNKNOWN):
        con.execute(f"delete from {TABLE}")
        con.execute(f"insert into {TABLE} values (?, now())", [wanted])


def _judge(warehouse: Path, held: str | None, wanted: str) -> None:
    # A warehouse of unknown origin may only be overwritten by demo data: a demo run replaces what it
    # pulls and says so in its banner, while a live run would keep old rows as if they were real.
    if held is None or held == wanted or (held == UNKNOWN and wanted == "demo"):
        return
    raise SourceMismatchError(warehouse, held, wanted)
