"""The report history: what each built report said, for the next report's "what changed since"."""

import dagster as dg

from orchestration.defs.report.evidence import EVIDENCE_SITE
from orchestration.lib.ops.resources import Warehouse


@dg.asset(group_name="report", deps=[EVIDENCE_SITE])
def report_history(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """Verdicts of the report just built, appended to history.report_verdicts for the next report."""
    from orchestration.lib.ops.settings import load_settings
    from orchestration.lib.report.evidence import BUILD_DIR
    from orchestration.lib.report.history import published_report_id, record_report, require_tables

    # Downstream of the site build only: a run that fails before the report is published records nothing,
    # so "the previous report" is always one that was built; and the entry is the published report's.
    settings = load_settings()
    with warehouse.connect() as con:
        require_tables(con)
        published = _published_in_this_run(context)
        if published is None:  # recorded on its own: the report in the published folder
            published = published_report_id(settings.reports_dir / BUILD_DIR)
        recorded = record_report(con, context.run.run_id, published)
    context.log.info(
        f"Rapporten från {recorded.built_at} ({recorded.data_source}) sparad: {recorded.verdicts} domar"
    )
    return dg.MaterializeResult(
        metadata={
            "report_built_at": recorded.built_at,
            "report_id": published,
            "data_source": recorded.data_source,
            "verdicts": recorded.verdicts,
            "reports_kept": recorded.reports_kept,
        }
    )


def _published_in_this_run(context: dg.AssetExecutionContext) -> int | None:
    """The report id this run's evidence_site published (another run may have published since)."""
    events = context.instance.all_logs(context.run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    for event in events:
        materialization = event.asset_materialization
        if materialization is not None and materialization.asset_key == EVIDENCE_SITE:
            value = materialization.metadata.get("report_id")
            return None if value is None or value.value is None else int(value.value)
    return None


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[report_history])
