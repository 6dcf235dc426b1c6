"""The Evidence site: the Swedish report pages, built from the marts into reports/build."""

import dagster as dg

# The marts the site's source queries read (dbt models in schema `marts`).
REPORT_MARTS = (
    "dim_report_meta",
    "dim_agreements",
    "dim_municipalities",
    "dim_kpis",
    "fct_agreement_kpi_values",
)


@dg.asset(group_name="report", deps=[dg.AssetKey(["marts", name]) for name in REPORT_MARTS])
def evidence_site(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Static Swedish report site built with Evidence from the marts into reports/build."""
    from orchestration.lib.evidence import build, install
    from orchestration.lib.settings import load_settings

    settings = load_settings()
    if install(settings.reports_dir):
        context.log.info("npm install kördes (node_modules saknades eller låsfilen ändrades)")
    index = build(settings.reports_dir, settings.warehouse)
    pages = sorted(path.parent for path in index.parent.rglob("index.html"))
    context.log.info(f"Rapporten byggd: {index} ({len(pages)} sidor)")
    return dg.MaterializeResult(
        metadata={
            "index": dg.MetadataValue.path(str(index)),
            "pages": len(pages),
            "data_source": settings.source,
        }
    )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[evidence_site])
