"""quality.freshness: how current each source is, for the report's Datakvalitet page."""

import dagster as dg

from orchestration.lib.quality import update_freshness
from orchestration.lib.settings import load_settings
from orchestration.lib.warehouse import connect

FRESHNESS_KEY = dg.AssetKey(["quality", "freshness"])
READS = (["raw", "kolada_values"], ["raw", "kolada_kpis"], ["raw", "scb_rs_values"])


@dg.asset(key=FRESHNESS_KEY, group_name="validate", deps=[dg.AssetKey(k) for k in READS], kinds={"duckdb"})
def quality_freshness() -> dg.MaterializeResult:
    """Latest year per KPI and SCB measure against what the publication dates say should be out."""
    with connect(load_settings().warehouse) as con:
        rows = update_freshness(con)
        stale = con.execute("select count(*) from quality.freshness where not is_fresh").fetchone()
    return dg.MaterializeResult(metadata={"rows": rows, "stale": int(stale[0]) if stale else 0})


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[quality_freshness])
