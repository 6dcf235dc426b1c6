"""Report PDFs into the outbox, mail to each kommun, a sensor on Kolada's publications, failure notices."""

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import dagster as dg
import duckdb

from orchestration.defs.pipeline import PIPELINE_JOB
from orchestration.defs.report.evidence import EVIDENCE_SITE
from orchestration.lib.ops.resources import Warehouse

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _today() -> date:
    return datetime.now(STOCKHOLM).date()


def _progress_log(context: dg.AssetExecutionContext) -> Callable[[int, int, str], None]:
    """Logs printing progress to the console and the run log about every tenth of the pages, and the last."""

    def log(printed: int, total: int, path: str) -> None:
        if printed == total or printed % max(1, total // 10) == 0:
            context.log.info(f"PDF {printed} av {total} utskriven ({path})")

    return log


@dg.asset(group_name="report", deps=[EVIDENCE_SITE])
def report_pdfs(context: dg.AssetExecutionContext, warehouse: Warehouse) -> dg.MaterializeResult:
    """PDF per cooperation and per member kommun, printed from the built site into the outbox."""
    from orchestration.lib.ops.settings import load_settings
    from orchestration.lib.report.outbox import (
        latest_outbox,
        outbox_root,
        plan_reports,
        staged_outbox,
        write_manifest,
    )
    from orchestration.lib.report.page_identity import print_changed

    settings = load_settings()
    with warehouse.connect(read_only=True) as con:
        plan = plan_reports(con, _today())
    previous = latest_outbox(outbox_root())
    with staged_outbox(outbox_root(), plan.day) as staging:
        printed = print_changed(
            plan,
            settings.reports_dir,
            previous,
            staging,
            progress=_progress_log(context),
            log=context.log.info,
        )
        write_manifest(staging, plan)
    for page in printed:
        for problem in page.console_errors + [f"blockerad: {url}" for url in page.blocked_requests]:
            context.log.warning(f"{page.path}: {problem}")
    folder = outbox_root() / plan.day
    reused = len(plan.reports) - len(printed)
    context.log.info(
        f"{len(plan.reports)} PDF:er i {folder} ({len(printed)} utskrivna, {reused} oförändrade)"
    )
    return dg.MaterializeResult(
        metadata={
            "folder": dg.MetadataValue.path(str(folder)),
            "pdfs": len(plan.reports),
            "printed": len(printed),
            "reused": reused,
            "pages": sum(page.pages for page in printed),
            "kommuner": len(plan.kommun_files),
        }
    )


@dg.asset(group_name="report", deps=[report_pdfs])
def report_delivery(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    """Mail each kommun its own report PDFs from the latest outbox folder via SMTP."""
    from orchestration.lib.report.mail import deliver, load_recipients, recipients_path, smtp_config_from_env
    from orchestration.lib.report.outbox import latest_outbox, outbox_root, read_manifest

    config = smtp_config_from_env()
    if config is None:
        context.log.info(
            "UPPSIKT_SMTP_HOST är inte satt: inga rapporter skickas med e-post (PDF:erna finns i utkorgen)"
        )
        return dg.MaterializeResult(metadata={"skipped": "UPPSIKT_SMTP_HOST saknas", "sent": 0})
    path = recipients_path()
    if path is None:
        raise dg.Failure("UPPSIKT_SMTP_HOST är satt men UPPSIKT_RECIPIENTS saknas: vem ska få rapporterna?")
    folder = latest_outbox(outbox_root())
    if folder is None:
        raise dg.Failure(f"Ingen färdig utkorg i {outbox_root()}: kör report_pdfs först")
    result = deliver(folder, read_manifest(folder), load_recipients(path), config)
    for kommun, to in result.sent.items():
        context.log.info(f"{kommun}: skickat till {', '.join(to)}")
    if result.unchanged:
        context.log.info(
            f"Oförändrat sedan senaste utskicket, skickas inte igen: {', '.join(result.unchanged)}"
        )
    if result.no_recipients:
        context.log.warning(f"Ingen mottagare i {path} för: {', '.join(result.no_recipients)}")
    return dg.MaterializeResult(
        metadata={
            "folder": dg.MetadataValue.path(str(folder)),
            "sent": len(result.sent),
            "already_sent": len(result.already_sent),
            "unchanged": len(result.unchanged),
            "no_recipients": ", ".join(result.no_recipients),
        }
    )


def _last_success(instance: dg.DagsterInstance) -> date | None:
    records = instance.get_run_records(
        filters=dg.RunsFilter(job_name=PIPELINE_JOB, statuses=[dg.DagsterRunStatus.SUCCESS]), limit=1
    )
    if not records:
        return None
    stamp = records[0].start_time or records[0].create_timestamp.timestamp()
    return datetime.fromtimestamp(stamp, STOCKHOLM).date()


@dg.sensor(
    job_name=PIPELINE_JOB,
    minimum_interval_seconds=6 * 3600,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Kör om kedjan när Kolada har publicerat nya värden för ett följt nyckeltal.",
)
def kolada_publication_sensor(
    context: dg.SensorEvaluationContext, warehouse: Warehouse
) -> dg.RunRequest | dg.SkipReason:
    from orchestration.lib.validate.publications import due_dates, followed_publication_dates

    if not warehouse.file().is_file():
        return dg.SkipReason(f"Inget lager ännu ({warehouse.file()})")
    try:
        with warehouse.connect(read_only=True) as con:
            dates = followed_publication_dates(con)
    except duckdb.Error as exc:  # a run holds the write lock, or extract has not run yet
        return dg.SkipReason(f"Publiceringsdatum kunde inte läsas: {exc}")
    cursor = date.fromisoformat(context.cursor) if context.cursor else None
    due = due_dates(dates, _last_success(context.instance), cursor, _today())
    if not due:
        return dg.SkipReason("Ingen ny publicering i Kolada sedan senaste lyckade körning")
    context.update_cursor(due[-1].isoformat())
    return dg.RunRequest(
        run_key=f"kolada-publicering-{due[-1].isoformat()}",
        tags={"uppsikt/trigger": "kolada-publicering", "uppsikt/publication_date": due[-1].isoformat()},
    )


def _step_error(event: dg.DagsterEvent) -> str:
    data = event.step_failure_data
    error = data.error if data else None
    # Dagster wraps the asset's own exception; the innermost cause is the one that says what went wrong.
    while error is not None and error.cause is not None:
        error = error.cause
    return f"{event.step_key}: {error.message.strip() if error else event.message}"


# The administrator hears of a failed run within seconds, not Dagster's default half minute: each look is
# one read of the run storage's failure events, past a cursor.
FAILURE_NOTICE_INTERVAL_S = 5


@dg.run_failure_sensor(
    name="uppsikt_failure_notice",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=FAILURE_NOTICE_INTERVAL_S,
    description="Skriver en notis (och mejlar administratören) när en körning misslyckas.",
)
def failure_notice(context: dg.RunFailureSensorContext) -> None:
    from orchestration.lib.ops.notify import notify_failure

    errors = [_step_error(event) for event in context.get_step_failure_events()]
    fallback = context.failure_event.message or "okänt fel"
    path = notify_failure(context.dagster_run.run_id, context.dagster_run.job_name, errors or [fallback])
    context.log.info(f"Felnotis skriven: {path}")


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[report_pdfs, report_delivery], sensors=[kolada_publication_sensor, failure_notice]
    )
