"""The cooperation registry loaded into the warehouse's raw.registry_* tables."""

from collections.abc import Iterator

import dagster as dg

from orchestration.lib.extract.registry.tables import TABLES
from orchestration.lib.ops.resources import Warehouse

DESCRIPTIONS = {
    "registry_kommuner": "Sveriges kommuner med kommunkod, namn och län.",
    "registry_agreements": "En rad per samverkan i registret.",
    "registry_members": "Medlemmar per samverkan med in- och utträde.",
    "registry_cost_keys": "Kostnadsnycklar per samverkan, år och medlem.",
    "registry_targets": "Mål per samverkan.",
    "registry_ledger": "Reskontra: vad varje medlem betalade och värdkommunens kostnad per år.",
    "registry_area_kpis": "Nyckeltal per område, med dimension och riktning.",
    "registry_area_scb": "SCB-verksamhetskoder per område.",
    "registry_areas": "Områden med rubrik och Koladas jämförelsegrupp.",
    "registry_derived_measures": "Härledda mått som mål kan ställas på (från RS eller reskontran).",
    "registry_signature_kpis": "Signaturnyckeltal som avslöjar samverkan i Koladas värden.",
}
SPECS = [
    dg.AssetSpec(["raw", table], group_name="extract", description=DESCRIPTIONS[table], kinds={"duckdb"})
    for table in TABLES
]


@dg.multi_asset(specs=SPECS, name="registry")
def registry_tables(
    context: dg.AssetExecutionContext, warehouse: Warehouse
) -> Iterator[dg.MaterializeResult]:
    """Validate the registry and replace the raw.registry_* tables in one transaction."""
    from orchestration.lib.extract.provenance import check_source
    from orchestration.lib.extract.registry.load import load_registry
    from orchestration.lib.extract.registry.tables import write_tables
    from orchestration.lib.ops.settings import load_settings

    settings = load_settings()
    check_source(warehouse.file(), settings.source)  # refuse before writing anything
    registry = load_registry(settings.registry)  # raises before the warehouse is opened
    with warehouse.connect() as con:
        counts = write_tables(con, registry)
    context.log.info(f"{len(registry.agreements)} samverkan från {settings.registry}")
    for warning in registry.warnings:
        context.log.warning(str(warning))
    for table, rows in counts.items():
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["raw", table]), metadata={"rows": rows})


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[registry_tables])
