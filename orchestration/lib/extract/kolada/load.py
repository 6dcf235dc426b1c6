"""Loading Kolada pages into raw, page by page, inside the run's transaction."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb
import numpy as np

from orchestration.lib.extract.http import Fetched
from orchestration.lib.extract.kolada import values, wire
from orchestration.lib.extract.landing import column_types, insert_columns, land_response, object_array
from orchestration.lib.extract.parse_errors import quarantine

SOURCE = "kolada"
KEY = ("kpi", "municipality", "year", "gender")


@contextmanager
def without_gc() -> Iterator[None]:
    # A page is tens of thousands of small objects that all live until the page is loaded; the cycle
    # collector would scan them again and again for nothing.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class ValueLoader:
    """Upserts each page of values; rows flagged isdeleted are removed instead."""

    con: duckdb.DuckDBPyConnection
    # False when the KPIs' stored rows were cleared first (a full pull): inserting is then enough.
    upsert: bool = True
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    rows: int = 0
    deleted: int = 0
    pages: int = 0
    quarantined: int = 0
    seen_kpis: set[str] = field(default_factory=set)

    def __call__(self, fetched: Fetched) -> wire.PageLink:
        with without_gc():
            page = wire.read_page(fetched)
            parsed = values.value_columns(page)
        self.pages += 1
        response_id = land_response(self.con, SOURCE, fetched)
        if len(parsed.columns["kpi"]):
            self._upsert(parsed.columns, response_id)
        if parsed.problems:
            problems = parsed.problems
            self.quarantined += quarantine(self.con, SOURCE, "raw.kolada_values", problems, self.loaded_at)
        return page.link()

    def _upsert(self, columns: dict[str, np.ndarray], response_id: str) -> None:
        self.con.register("_page", columns)
        try:
            if self.upsert:
                match = " and ".join(f"v.{k} = p.{k}" for k in KEY)
                self.con.execute(f"delete from raw.kolada_values as v using _page as p where {match}")
            self.con.execute(
                "insert into raw.kolada_values (kpi, municipality, year, gender, value, count, status, "
                "is_deleted, response_id, loaded_at, value_text) select kpi, municipality, year, gender, "
                "value, case when count < 0 then null else count end, status, false, ?, ?, value_text "
                "from _page where not is_deleted",
                [response_id, self.loaded_at],
            )
        finally:
            self.con.unregister("_page")
        deleted = int(columns["is_deleted"].sum())
        self.rows += len(columns["kpi"]) - deleted
        self.deleted += deleted
        self.seen_kpis.update(set(columns["kpi"]))

    def merge(self, other: ValueLoader) -> ValueLoader:
        """The counts of two loaders of one run, as one."""
        self.rows += other.rows
        self.deleted += other.deleted
        self.pages += other.pages
        self.quarantined += other.quarantined
        self.seen_kpis |= other.seen_kpis
        return self


@dataclass
class MetadataLoader:
    """Collects one metadata entity over its pages, then replaces its table in one statement set."""

    con: duckdb.DuckDBPyConnection
    table: str
    parse: Any  # wire.kpi_rows, wire.municipality_rows or wire.group_rows
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    pages: int = 0

    def __call__(self, fetched: Fetched) -> wire.PageLink:
        page = wire.read_page(fetched)
        self.pages += 1
        parsed = self.parse(page)
        response_id = land_response(self.con, SOURCE, fetched)
        self.rows.extend((*row, response_id) for row in parsed)
        return page.link()

    def replace(self) -> int:
        """The table now holds exactly this run's rows."""
        self.con.execute(f"delete from raw.{self.table}")
        if self.rows:
            names = [f"c{i}" for i in range(len(self.rows[0]))]
            columns = {n: object_array([r[i] for r in self.rows]) for i, n in enumerate(names)}
            types = column_types(self.table)
            select = ", ".join(f"cast({n} as {t})" for n, t in zip(names, types, strict=True))
            insert_columns(self.con, f"raw.{self.table}", columns, select)
        return len(self.rows)

    def ids(self, position: int = 0) -> set[str]:
        return {str(r[position]) for r in self.rows}
