"""The effect estimators as Dagster assets: the analysis tables of estimates, series, verdicts and weights."""

from collections.abc import Iterator

import dagster as dg

from orchestration.lib.ops.reads import asset_keys, module_reads, table_specs
from orchestration.lib.ops.resources import Warehouse
from orchestration.lib.transform.effects.config import load_config
from orchestration.lib.transform.effects.model import run_models
from orchestration.lib.transform.effects.store import WarehouseBlockCache, read_inputs, write_tables

GROUP = "transform"
TABLES = {
    "effect_estimates": (
        "Effekt per samverkan × medlem (eller helhet) × nyckeltal × metod, intervall, flaggor."
    ),
    "effect_series": "Observerad serie och kontrollserie per samverkan × medlem × nyckeltal × metod × år.",
    "effect_verdicts": "Dom per samverkan × dimension och samlat, med regel och skäl.",
    "member_verdicts": (
        "Dom per samverkan × medlem (och övriga medlemmar tillsammans) × dimension och samlat."
    ),
    "donor_weights": "Givarkommunernas vikter per samverkan × medlem × nyckeltal × metod.",
    "effect_bands": (
        "Osäkerhetsband (placebospridning) kring kontrollen per samverkan × medlem × nyckeltal × metod × år."
    ),
    "effect_kpi_roles": (
        "Nyckeltalets roll i dimensionens dom per samverkan × nyckeltal (primärt, sekundärt, avgör"
        " tillsammans eller ger ingen dom)."
    ),
}
# What the estimators' queries read (orchestration/lib/transform/effects/store.py), keyed like the dbt assets.
UPSTREAM = asset_keys(module_reads("orchestration.lib.transform.effects.store"))
SPECS = table_specs("analysis", TABLES, UPSTREAM, GROUP)


@dg.multi_asset(specs=SPECS, name="effect_models")
def effect_models(context: dg.AssetExecutionContext, warehouse: Warehouse) -> Iterator[dg.MaterializeResult]:
    """Estimate every cooperation's effects (reusing units whose inputs did not change) and verdicts."""
    cfg = load_config()
    con = warehouse.connect()
    try:
        inputs = read_inputs(con, cfg.estimation.population_kpi)
        tables = run_models(inputs, cfg, WarehouseBlockCache(con))
        counts = write_tables(con, tables)
    finally:
        con.close()
    verdicts = tables.verdicts[tables.verdicts["dimension"] == "samlat"]["verdict"].value_counts().to_dict()
    reuse = tables.reuse
    context.log.info(
        f"effektmodeller: {reuse.reused} skattningsenheter återanvända (oförändrade indata), "
        f"{reuse.estimated} skattade; {counts}, samlade domar {verdicts}"
    )
    for name, rows in counts.items():
        meta = {"rows": rows, **({"samlat": str(verdicts)} if name == "effect_verdicts" else {})}
        if name == "effect_estimates":
            meta |= {"units_reused": reuse.reused, "units_estimated": reuse.estimated}
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["analysis", name]), metadata=meta)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[effect_models])
