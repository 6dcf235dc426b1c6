"""quality.freshness: how current each source is, for the report's Datakvalitet page."""

from datetime import date

import dagster as dg

from orchestration.lib.ops.reads import asset_keys, module_reads
from orchestration.lib.ops.resources import Warehouse
from orchestration.lib.ops.settings import Settings, load_settings
from orchestration.lib.validate import update_freshness

FRESHNESS_KEY = dg.AssetKey(["quality", "freshness"])
# What update_freshness reads: its own queries and the publication dates of the followed KPIs.
READS = asset_keys(
    module_reads("orchestration.lib.validate.freshness", "orchestration.lib.validate.publications")
)


def as_of(settings: Settings) -> date:
    """The day the data should be current for: today, or for demo data the day its snapshot shows."""
    if not settings.is_demo:
        return date.today()
    from orchestration.lib.extract.recorded import Snapshot

    return Snapshot.open(settings.demo_snapshot).as_of


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
