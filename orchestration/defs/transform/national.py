"""The national estimates as a Dagster asset: analysis.national_effects and national_peer_estimates."""

from collections.abc import Iterator

import dagster as dg

from orchestration.lib.ops.reads import asset_keys, module_reads, table_specs
from orchestration.lib.ops.resources import Warehouse
from orchestration.lib.transform.effects.national_run import run_national
from orchestration.lib.transform.effects.national_store import (
    CANDIDATE_MEMBERS,
    CANDIDATES,
    read_national_inputs,
    write_national,
)

GROUP = "transform"
TABLES = {
    "national_effects": "Nationell effekt per område × form × nyckeltal × år sedan start och totalt.",
    "national_peer_estimates": (
        "Varje samverkans egen skattning bredvid den nationella, och den krympta skattningen."
    ),
}
# What read_national_inputs reads: its queries, and the discovered candidates (a query built from the
# columns present, so named by their constants).
UPSTREAM = asset_keys(
    module_reads("orchestration.lib.transform.effects.national_store") | {CANDIDATE_MEMBERS, CANDIDATES}
)
SPECS = table_specs("analysis", TABLES, UPSTREAM, GROUP)


@dg.multi_asset(specs=SPECS, name="national_estimates")
def national_estimates(
    context: dg.AssetExecutionContext, warehouse: Warehouse
) -> Iterator[dg.MaterializeResult]:
    """Estimate each kind of cooperation's average effect over all of Sweden and each one among its peers."""
    con = warehouse.connect()
    try:
        inputs = read_national_inputs(con)
        tables = run_national(inputs)
        counts = write_national(con, tables)
    finally:
        con.close()
    sources = inputs.cooperations.groupby("source")["cooperation_id"].nunique().to_dict()
    context.log.info(f"nationella skattningar: {counts}, samverkan per källa {sources}")
    for name, rows in counts.items():
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["analysis", name]), metadata={"rows": rows})


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[national_estimates])
