"""The tables the estimators write (schema analysis), declared once: in the dbt macros that also create
them empty before an estimator has ever run (dbt/macros/effects, dbt/macros/national).

The writers render the same macro with Jinja, so the columns cannot drift between dbt and Python.
"""

from __future__ import annotations

from functools import cache

import duckdb
import jinja2
import pandas as pd

from orchestration.lib.settings import PROJECT_ROOT

MACROS = PROJECT_ROOT / "dbt" / "macros"


@cache
def table_ddl(macro: str) -> str:
    """The DDL of dbt macro `macro` (a file `<macro>.sql` under dbt/macros), rendered as dbt renders it."""
    path = next(MACROS.rglob(f"{macro}.sql"))
    template = jinja2.Environment(autoescape=False).from_string(path.read_text(encoding="utf-8"))
    return str(getattr(template.module, macro)())


def replace_tables(con: duckdb.DuckDBPyConnection, macro: str, frames: dict[str, pd.DataFrame]) -> None:
    """Replace analysis.<name> by each frame in one transaction; on any error the old tables stay."""
    con.execute("begin transaction")
    try:
        for name in frames:
            con.execute(f"drop table if exists analysis.{name}")
        con.execute(table_ddl(macro))
        for name, frame in frames.items():
            con.register("analysis_frame", _nulls(frame))
            columns = ", ".join(frame.columns)
            con.execute(f"insert into analysis.{name} ({columns}) select {columns} from analysis_frame")
            con.unregister("analysis_frame")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _nulls(frame: pd.DataFrame) -> pd.DataFrame:
    # NaN means "not estimated" here: store it as NULL, which the marts and the report understand.
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].astype("Float64")
    return out
