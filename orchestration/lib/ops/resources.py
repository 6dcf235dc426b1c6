"""The warehouse as a Dagster resource: every asset and sensor opens the DuckDB file through it."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from orchestration.lib.ops.warehouse import connect

WAREHOUSE = "warehouse"


class Warehouse(dg.ConfigurableResource):  # type: ignore[type-arg]
    """The one DuckDB file; by default the settings model's UPPSIKT_WAREHOUSE, read when a step runs."""

    # Empty: the settings model decides (read at run time, not when the definitions load).
    path: str = ""

    def file(self) -> Path:
        from orchestration.lib.ops.settings import load_settings

        return Path(self.path) if self.path else load_settings().warehouse

    def connect(self, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
        return connect(self.file(), read_only=read_only)


def resources() -> dict[str, Warehouse]:
    """The resources every definition expects, keyed as the assets name them."""
    return {WAREHOUSE: Warehouse()}
