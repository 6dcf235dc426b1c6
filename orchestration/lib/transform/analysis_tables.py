"""The tables the estimators write (schema analysis), declared once: in the dbt macros that also create
them empty before an estimator has ever run (dbt/macros/effects, dbt/macros/national).

The writers render the same macro with Jinja, so the columns cannot drift between dbt and Python.
"""

from __future__ import annotations

from functools import cache

import duckdb
import jinja2
import pandas as pd

from orchestration.lib.ops.settings import PROJECT_ROOT

MACROS = PROJECT_ROOT / "dbt" / "macros"


def render_macro(macro: str, *args: str) -> str:
    """dbt macro `macro` (a file `<macro>.sql` under dbt/macros) called with `args`, rendered as plain
    Jinja: for the macros that need no live dbt context."""
    path = next(MACROS.rglob(f"{macro}.sql"))
    template = jinja2.Environment(autoescape=False).from_string(path.read_text(encoding="utf-8"))
    return str(getattr(template.module, macro)(*args))


@cache
def table_ddl(macro: str) -> str:
    """The DDL of the dbt macro `macro` that declares analysis tables."""
    return render_macro(macro)


def replace_tables(con: duckdb.DuckDBPyConnection, macro: str, frames: dict[str, pd.DataFrame]) -> None:
    """Replace analysis.<name> by each frame in one transaction; on any error the old tables stay."""
    con.execute("begin transaction")
    try:
        for name in frames:
            con.execute(f"drop table if exists analysis.{name}")
        con.execute(table_ddl(macro))
        for name, frame in frames.items():
            _insert(con, f"analysis.{name}", _nulls(frame))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.register("analysis_frame", frame)
    try:
        columns = ", ".join(frame.columns)
        con.execute(f"insert into {table} ({columns}) select {columns} from analysis_frame")
    finally:
        con.unregister("analysis_frame")


def _nulls(frame: pd.DataFrame) -> pd.DataFrame:
    # NaN means "not estimated" here: store it as NULL, which the marts and the report understand.
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].astype("Float64")
    return out
