"""Dagster asset checks built from the suites (the one quality module that imports Dagster)."""

import dagster as dg

from expectations.spec import Suite
from orchestration.lib.ops.settings import load_settings
from orchestration.lib.ops.warehouse import connect
from orchestration.lib.validate.validate import SuiteOutcome, validate_suite


def suite_check(suite: Suite) -> dg.AssetChecksDefinition:
    """A blocking asset check on the suite's asset: a blocking failure skips everything downstream."""

    @dg.asset_check(
        asset=dg.AssetKey(list(suite.asset_key)),
        name=suite.name,
        description=suite.description,
        # Blocking for every suite: the results are stored before any downstream step starts,
        # and only a failure with severity ERROR (a blocking rule) stops them.
        blocking=True,
        additional_deps=[dg.AssetKey(list(key)) for key in suite.reads],
    )
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        with connect(load_settings().warehouse) as con:
            outcome = validate_suite(con, suite, context.run.run_id)
        (context.log.error if outcome.blocked else context.log.info)(outcome.summary())
        return check_result(outcome)

    return _check


def check_result(outcome: SuiteOutcome) -> dg.AssetCheckResult:
    """The Dagster view of a suite's outcome."""
    return dg.AssetCheckResult(
        passed=outcome.passed,
        severity=dg.AssetCheckSeverity.ERROR if outcome.blocked else dg.AssetCheckSeverity.WARN,
        description=outcome.summary(),
        metadata={
            "quarantined_rows": outcome.quarantined,
            "blocking_failures": [r.rule.name for r in outcome.blocking_failures],
            "warnings": [r.rule.name for r in outcome.warnings],
            "results": dg.MetadataValue.md(_table(outcome)),
        },
    )


def _table(outcome: SuiteOutcome) -> str:
    lines = ["| regel | allvarlighet | uppfylld | avvikande | observerat |", "|---|---|---|---|---|"]
    for r in outcome.results:
        observed = (r.observed_value or "").replace("|", "/")[:80]
        status = "ja" if r.success else "nej"
        lines.append(
            f"| {r.rule.name} | {r.rule.severity.value} | {status} | {r.unexpected_count} | {observed} |"
        )
    return "\n".join(lines)


def blocked_checks(result: dg.ExecuteInProcessResult) -> list[str]:
    """One Swedish line per blocking check that failed in a run: what the CLI can print when a run
    stopped before the report (the last good report is then left as it was)."""
    return [
        f"{'/'.join(e.asset_key.path)}: {e.description}"
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == dg.AssetCheckSeverity.ERROR
    ]
