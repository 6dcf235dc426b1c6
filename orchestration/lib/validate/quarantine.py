"""Move rows that break a row-level rule out of the table that flows on, into quality.quarantine."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from expectations.spec import GUARD_COLUMN, ROW_ID, Suite
from orchestration.lib.validate.gx_run import RuleResult
from orchestration.lib.validate.store import QUARANTINE


def failing_rows(results: Sequence[RuleResult]) -> dict[int, list[RuleResult]]:
    """Row id -> the row-level results it failed."""
    failed: dict[int, list[RuleResult]] = {}
    for result in results:
        for row_id in result.unexpected_row_ids:
            failed.setdefault(row_id, []).append(result)
    return failed


def guard_frame(rows: pd.DataFrame, failed: dict[int, list[RuleResult]]) -> pd.DataFrame:
    """One row per row of the guarded table: does it pass every row-level rule?"""
    ids = rows[ROW_ID]
    return pd.DataFrame({ROW_ID: ids, GUARD_COLUMN: [int(i) not in failed for i in ids]})


def move(
    con: duckdb.DuckDBPyConnection,
    suite: Suite,
    rows: pd.DataFrame,
    failed: dict[int, list[RuleResult]],
    run_id: str,
    quarantined_at: datetime,
) -> int:
    """Copy the failing rows, with rule and reason, to the quarantine and delete them; within the
    caller's transaction, so both happen or neither."""
    if not failed:
        return 0
    batch = pd.DataFrame(_entries(rows, failed))
    con.register("_quarantine_batch", batch)
    try:
        con.execute(_insert_sql(suite), [run_id, suite.name, suite.table, quarantined_at])
        con.execute(f"delete from {suite.table} where rowid in (select row_id from _quarantine_batch)")
    finally:
        con.unregister("_quarantine_batch")
    return len(batch)


def _entries(rows: pd.DataFrame, failed: dict[int, list[RuleResult]]) -> list[dict[str, Any]]:
    by_id = rows.set_index(ROW_ID, drop=False)
    entries = []
    for row_id, results in sorted(failed.items()):
        row = {k: _readable(v) for k, v in by_id.loc[row_id].to_dict().items()}
        entries.append(
            {
                "row_id": row_id,
                "rules": ",".join(r.rule.name for r in results),
                "reason": "; ".join(_reason(r, row) for r in results),
            }
        )
    return entries


def _reason(result: RuleResult, row: dict[str, Any]) -> str:
    template = result.rule.quarantine_reason or result.rule.description
    return template.format(**row)


def _readable(value: Any) -> Any:
    # pandas turns SQL nulls into NaN/NA; a reason should say None, not nan or <NA>
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    return value.item() if hasattr(value, "item") else value


def _insert_sql(suite: Suite) -> str:
    key = ", ".join(f"'{c}': source.{c}" for c in suite.key_columns)
    return f"""
        insert into {QUARANTINE}
            (run_id, suite, rules, reason, table_name, row_key, row_json, quarantined_at)
        select ?, ?, batch.rules, batch.reason, ?, cast(to_json({{{key}}}) as varchar),
            cast(to_json(source) as varchar), ?
        from {suite.table} as source
        inner join _quarantine_batch as batch on batch.row_id = source.rowid
    """
