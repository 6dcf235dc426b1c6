"""quality.freshness: how current each source is, for the report's Datakvalitet page."""

import dagster as dg

from orchestration.lib.ops.reads import asset_keys, module_reads
from orchestration.lib.ops.resources import Warehouse
from orchestration.lib.ops.settings import load_settings
from orchestration.lib.validate import update_freshness
from orchestration.lib.validate.freshness import as_of

FRESHNESS_KEY = dg.AssetKey(["quality", "freshness"])
# What update_freshness reads: its own queries and the publication dates of the followed KPIs.
READS = asset_keys(
    module_reads("orchestration.lib.validate.freshness", "orchestration.lib.validate.publications")
)


@dg.asset(key=FRESHNESS_KEY, group_name="validate", deps=READS, kinds={"duckdb"})
def quality_freshness(warehouse: Warehouse) -> dg.MaterializeResult:
    """Latest year per KPI and SCB measure against what the publication dates say should be out."""
    settings = load_settings()
    day = as_of(settings)
    with warehouse.connect() as con:
        rows = update_freshness(con, today=day)
        stale = con.execute("select count(*) from quality.freshness where not is_fresh").fetchone()
    return dg.MaterializeResult(
        metadata={"rows": rows, "stale": int(stale[0]) if stale else 0, "as_of": day.isoformat()}
    )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[quality_freshness])
