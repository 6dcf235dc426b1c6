"""Kolada v3 into raw.kolada_*: metadata and the registry's KPIs for every kommun, incrementally."""

from collections.abc import Iterator

import dagster as dg

from orchestration.lib.ops.resources import Warehouse

TABLES = {
    "kolada_values": "Koladas värden per nyckeltal, kommun, år och kön (T/K/M), med svaret de kom i.",
    "kolada_kpis": "Koladas nyckeltal (metadata), okända fält bevarade i extra.",
    "kolada_municipalities": "Koladas kommuner, regioner och Riket.",
    "kolada_municipality_groups": "Koladas kommungrupper med medlemmar.",
}
SPECS = [
    dg.AssetSpec(["raw", table], group_name="extract", description=text, kinds={"duckdb"})
    for table, text in TABLES.items()
]


def table_rows(warehouse: Warehouse, tables: list[str]) -> dict[str, int]:
    """Rows per raw table now (after the run's commit)."""
    with warehouse.connect(read_only=True) as con:
        return {t: int(con.execute(f"select count(*) from raw.{t}").fetchall()[0][0]) for t in tables}


@dg.multi_asset(specs=SPECS, name="kolada")
def kolada_tables(context: dg.AssetExecutionContext, warehouse: Warehouse) -> Iterator[dg.MaterializeResult]:
    """Pull Kolada (metadata, then values: in full for new KPIs, changes since the last pull for the rest)."""
    from orchestration.lib.extract.http import source_access
    from orchestration.lib.extract.kolada.extract import kolada_scope, run_kolada
    from orchestration.lib.extract.provenance import check_source
    from orchestration.lib.extract.registry import load_registry
    from orchestration.lib.ops.settings import load_settings

    settings = load_settings()
    check_source(warehouse.file(), settings.source)  # refuse before writing anything
    registry = load_registry(settings.registry)
    report = run_kolada(
        warehouse.file(), source_access(settings), kolada_scope(registry), say=context.log.info
    )
    context.log.info(
        f"Kolada: {report.requests} anrop, {report.rows} värden, {report.deleted} borttagna, "
        f"från {report.from_date or 'början'}"
    )
    if report.quarantined:
        context.log.warning(
            f"Kolada: {report.quarantined} värden var inte tal; de ligger i quality.quarantine "
            "med adress och fält"
        )
    for kind, ids in (("nyckeltal", report.unknown_kpis), ("kommuner", report.unknown_municipalities)):
        if ids:
            context.log.warning(f"Kolada känner inte till {kind}: {', '.join(ids)}")
    rows = table_rows(warehouse, list(TABLES))
    # The run's own figures; "rows" is then each table's size after the run.
    summary = {
        k: dg.MetadataValue.json(v) if isinstance(v, list) else v for k, v in report.as_metadata().items()
    }
    for table in TABLES:
        yield dg.MaterializeResult(
            asset_key=dg.AssetKey(["raw", table]), metadata={**summary, "rows": rows[table]}
        )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[kolada_tables])
