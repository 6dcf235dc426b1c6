"""The report history: what each built report said, for the next report's "what changed since"."""

import dagster as dg

from orchestration.defs.report.evidence import EVIDENCE_SITE


@dg.asset(group_name="report", deps=[EVIDENCE_SITE])
def report_history(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Verdicts of the report just built, appended to history.report_verdicts for the next report."""
    from orchestration.lib.ops.settings import load_settings
    from orchestration.lib.ops.warehouse import connect
    from orchestration.lib.report.history import record_report

    # Downstream of the site build only: a run that fails before the report is published records nothing,
    # so "the previous report" is always one that was built.
    with connect(load_settings().warehouse) as con:
        recorded = record_report(con, context.run.run_id)
    context.log.info(
        f"Rapporten från {recorded.built_at} ({recorded.data_source}) sparad: {recorded.verdicts} domar"
    )
    return dg.MaterializeResult(
        metadata={
            "report_built_at": recorded.built_at,
            "data_source": recorded.data_source,
            "verdicts": recorded.verdicts,
            "reports_kept": recorded.reports_kept,
        }
    )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(assets=[report_history])
