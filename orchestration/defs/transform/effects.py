"""The effect estimators as Dagster assets: the analysis tables of estimates, series, verdicts and weights."""

from collections.abc import Iterator

import dagster as dg

from orchestration.lib.effects.config import load_config
from orchestration.lib.effects.model import run_models
from orchestration.lib.effects.store import read_inputs, write_tables
from orchestration.lib.settings import load_settings
from orchestration.lib.warehouse import connect

GROUP = "transform"
# The dbt models the estimators read, keyed [schema, name] like the dbt assets.
UPSTREAM = (
    [dg.AssetKey(["marts", "fct_agreement_members"])]
    + [
        dg.AssetKey(["staging", name])
        for name in (
            "stg_kolada__values",
            "stg_kolada__municipalities",
            "stg_kolada__municipality_groups",
            "stg_registry__agreements",
            "stg_registry__members",
            "stg_registry__area_kpis",
            "stg_registry__areas",
            "stg_registry__kommuner",
        )
    ]
    + [dg.AssetKey(["intermediate", "int_area_excluded_controls"])]
)
SPECS = [
    dg.AssetSpec(
        ["analysis", "effect_estimates"],
        deps=UPSTREAM,
        group_name=GROUP,
        description="Effekt per samverkan × medlem (eller helhet) × nyckeltal × metod, intervall, flaggor.",
    ),
    dg.AssetSpec(
        ["analysis", "effect_series"],
        deps=UPSTREAM,
        group_name=GROUP,
        description="Observerad serie och kontrollserie per samverkan × medlem × nyckeltal × metod × år.",
    ),
    dg.AssetSpec(
        ["analysis", "effect_verdicts"],
        deps=UPSTREAM,
        group_name=GROUP,
        description="Dom per samverkan × dimension och samlat, med regel och skäl.",
    ),
    dg.AssetSpec(
        ["analysis", "member_verdicts"],
        deps=UPSTREAM,
        group_name=GROUP,
        description="Dom per samverkan × medlem (och övriga medlemmar tillsammans) × dimension och samlat.",
    ),
    dg.AssetSpec(
        ["analysis", "donor_weights"],
        deps=UPSTREAM,
        group_name=GROUP,
        description="Givarkommunernas vikter per samverkan × medlem × nyckeltal × metod.",
    ),
]


@dg.multi_asset(specs=SPECS, name="effect_models")
def effect_models(context: dg.AssetExecutionContext) -> Iterator[dg.MaterializeResult]:
    """Estimate every cooperation's effects and verdicts from staging and store the analysis tables."""
    cfg = load_config()
    con = connect(load_settings().warehouse)
    try:
        tables = run_models(read_inputs(con, cfg.estimation.population_kpi), cfg)
        counts = write_tables(con, tables)
    finally:
        con.close()
    verdicts = tables.verdicts[tables.verdicts["dimension"] == "samlat"]["verdict"].value_counts().to_dict()
    context.log.info(f"effektmodeller: {counts}, samlade domar {verdicts}")
    for name, rows in counts.items():
        meta = {"rows": rows, **({"samlat": str(verdicts)} if name == "effect_verdicts" else {})}
        yield dg.MaterializeResult(asset_key=dg.AssetKey(["analysis", name]), metadata=meta)


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[effect_models])
