"""The one DuckDB warehouse file: every connection is opened here."""

from __future__ import annotations

from pathlib import Path

import duckdb

# Evidence reads the file with Node DuckDB 1.4; the storage format is fixed when the file is
# created, so every place that may create it must ask for the 1.4 format.
STORAGE_COMPATIBILITY = "v1.4.0"
CONNECT_CONFIG = {"storage_compatibility_version": STORAGE_COMPATIBILITY}


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and if need be create) the warehouse in the format every reader understands."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    return duckdb.connect(str(path), config=CONNECT_CONFIG)
