"""Values a source sent that are not numbers: row-level data errors, set aside in quality.quarantine.

The row is left out of the raw table, the pull goes on, and the quarantine keeps the URL, the field
within the response and the value as sent, so the error can be traced and reported to the source.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from orchestration.lib.ops.warehouse import insert_rows

RULE = "varde_ar_inte_ett_tal"


@dataclass(frozen=True)
class ParseProblem:
    """A value that could not be read as a number, and where it was."""

    url: str
    field: str  # e.g. values[3].values[0].value
    key: Mapping[str, Any]  # the row's key columns in the raw table
    raw: Any

    @property
    def reason(self) -> str:
        return f"värdet {self.raw!r} i fältet {self.field} är inte ett tal ({self.url})"


def quarantine(
    con: duckdb.DuckDBPyConnection, source: str, table: str, problems: Sequence[ParseProblem], at: datetime
) -> int:
    """Write the problems to quality.quarantine, in the caller's (the pull's) transaction."""
    from orchestration.lib.validate.store import QUARANTINE, ensure_schema

    ensure_schema(con)
    rows = [
        (
            f"{source}-{at.isoformat()}",
            f"{source}_wire",
            RULE,
            p.reason,
            table,
            json.dumps(dict(p.key), ensure_ascii=False),
            json.dumps({"url": p.url, "field": p.field, "value": p.raw}, ensure_ascii=False, default=str),
            at,
        )
        for p in problems
    ]
    insert_rows(con, QUARANTINE, rows)
    return len(rows)
