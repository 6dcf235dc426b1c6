"""SCB räkenskapssammandraget (TAB4199) into raw.scb_rs_values, and the landing log both sources write."""

from collections.abc import Iterator

import dagster as dg

from orchestration.defs.extract.kolada import SPECS as KOLADA_SPECS
from orchestration.defs.extract.kolada import table_rows
from orchestration.lib.ops.resources import Warehouse

SCB_SPEC = dg.AssetSpec(
    ["raw", "scb_rs_values"],
    group_name="extract",
    description="SCB TAB4199: kostnader och intäkter (tkr) per kommun och Riket, verksamhet, mått och år.",
    kinds={"duckdb"},
)
LOG_SPECS = [
    dg.AssetSpec(
        ["raw", table],
        group_name="extract",
        description=text,
        kinds={"duckdb"},
        deps=[SCB_SPEC.key, *(s.key for s in KOLADA_SPECS)],
    )
    for table, text in {
        "responses": "Varje hämtat svar (gzip) med adress, tid, HTTP-status och sha256.",
        "extract_runs": "En rad per lyckad hämtning och källa.",
    }.items()
]


@dg.asset(key=SCB_SPEC.key, group_name="extract", description=SCB_SPEC.description, kinds={"duckdb"})
def scb_rs_values(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Pull TAB4199 for the registry's verksamheter, all kommuner and Riket, when SCB has published anew."""
    from orchestration.lib.extract.http import source_access
    from orchestration.lib.extract.provenance import check_source
    from orchestration.lib.extract.registry import load_registry
    from orchestration.lib.extract.scb.extract import run_scb, scb_scope
    from orchestration.lib.ops.settings import load_settings

    settings = load_settings()
    check_source(warehouse.file(), settings.source)  # refuse before writing anything
    scope = scb_scope(load_registry(settings.registry))
    report = run_scb(warehouse.file(), source_access(settings), scope, say=context.log.info)
    state = "oförändrad sedan förra hämtningen" if report.unchanged else f"{report.rows} celler"
    context.log.info(f"SCB TAB4199 (uppdaterad {report.updated}): {state}, {report.requests} anrop")
    for kind, ids in (("verksamheter", report.unknown_verksamheter), ("mått", report.unknown_contents)):
        if ids:
            context.log.warning(f"TAB4199 saknar {kind}: {', '.join(ids)}")
    metadata = {
        k: dg.MetadataValue.json(v) if isinstance(v, list) else v for k, v in report.as_metadata().items()
    }
    return dg.MaterializeResult(
        metadata={**metadata, "rows": table_rows(warehouse, ["scb_rs_values"])["scb_rs_values"]}
    )


@dg.multi_asset(specs=LOG_SPECS, name="extract_log")
def extract_log(warehouse: Warehouse) -> Iterator[dg.MaterializeResult]:
    """The landing log, complete once both sources have run: responses kept and runs recorded."""
    rows = table_rows(warehouse, ["responses", "extract_runs"])
    for table, count in rows.items():
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["raw", table]), metadata={"rows": count})


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[scb_rs_values, extract_log])
