"""Run the whole pipeline in this process, as `uppsikt run` and `make run` do.

The caller hands in the code location's definitions and the job's name: lib never imports defs.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import dagster as dg

from orchestration.lib.ops.runs import RunLocked, dagster_home, fail_abandoned_runs, run_lock, run_tags
from orchestration.lib.ops.settings import PROJECT_ROOT, load_settings

if TYPE_CHECKING:
    import duckdb


def _instance() -> dg.DagsterInstance:
    # The instance in the state folder, so runs started here show in `uppsikt serve`'s and `make dev`'s UI.
    dagster_home()
    instance = dg.DagsterInstance.get()
    for run_id in fail_abandoned_runs(instance):
        print(
            f"Körningen {run_id} avbröts utan att avslutas; den är nu markerad som misslyckad.",
            file=sys.stderr,
        )
    return instance


def registry_errors() -> list[str]:
    """Every error in the registry; empty when it is valid."""
    from orchestration.lib.extract.registry.check import collect_errors

    return collect_errors(load_settings().registry)


def run_pipeline(load_definitions: Callable[[], dg.Definitions], job_name: str) -> int:
    """Job `job_name` of the definitions `load_definitions` gives, one run at a time: refuse with one
    line while another holds the lock; 0 on success."""
    try:
        with run_lock():
            return _run_pipeline(load_definitions, job_name)
    except RunLocked as exc:
        print(exc, file=sys.stderr)
        return 1


def _run_pipeline(load_definitions: Callable[[], dg.Definitions], job_name: str) -> int:
    """Validate the registry, then materialise every asset; 0 on success.

    After a complete run, the next one pulls first and stops there when nothing it would build from
    (pulled data, registry, code) has changed since (orchestration/lib/ops/incremental.py).
    """
    from orchestration.lib.extract.provenance import SourceMismatchError, check_source

    settings = load_settings()
    try:
        check_source(settings.warehouse, settings.source)  # first: a mixed run must not start at all
    except SourceMismatchError as refused:
        print(str(refused), file=sys.stderr)
        return 1
    errors = registry_errors()
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print("Registret har fel: inget har körts, lagret och rapporten är orörda.", file=sys.stderr)
        return 1
    _prepare_report_meanwhile(settings.reports_dir)
    definitions = load_definitions()
    index = settings.reports_dir / "build" / "index.html"
    with _instance() as instance:
        result = _run_what_is_new(definitions, definitions.resolve_job_def(job_name), instance, index)
    if result is None:
        print(f"{NOTHING_NEW} Rapporten ligger kvar: {index}")
        return 0
    if not result.success:
        _report_failure(result)
        return 1
    _remember(result.run_id)
    print(f"Rapporten är byggd: {index}")
    return 0


def _run_what_is_new(
    definitions: dg.Definitions, job: dg.JobDefinition, instance: dg.DagsterInstance, index: Path
) -> dg.ExecuteInProcessResult | None:
    """The whole job, or after a complete run: the pull, then the rest if it brought something new (None
    when it did not)."""
    run = functools.partial(job.execute_in_process, instance=instance, raise_on_error=False, tags=run_tags())
    if not index.is_file() or _stored_digest() is None:
        return run()
    graph = definitions.resolve_asset_graph()
    pulled = dg.AssetSelection.groups("extract").resolve(graph)
    result = run(asset_selection=list(pulled))
    if not result.success:
        return result
    if _stored_digest() == _current_digest():
        return None
    return run(asset_selection=list(dg.AssetSelection.all().resolve(graph) - pulled))


def _prepare_report_meanwhile(reports_dir: Path) -> None:
    """Start the report's npm install (when it is due) and the site's compile (when no compile of its
    sources is kept) beside the pull, dbt and the estimators, which need neither: on a fresh clone they no
    longer run first or last. The site build waits for both (the install and build locks in
    lib/report/evidence.py) and reports a failure here by running the step again."""
    import threading

    from orchestration.lib.report.evidence import compile_ahead, install, log

    def run() -> None:
        try:
            install(reports_dir)
            compile_ahead(reports_dir, phase=log.info)
        except Exception as exc:  # the build's own install or compile says what went wrong, with output
            print(
                f"Rapportens paket eller kompilering vid sidan av kedjan misslyckades ({exc});"
                " försöks igen före bygget.",
                file=sys.stderr,
            )

    threading.Thread(target=run, name="report-install-compile", daemon=True).start()


NOTHING_NEW = (
    "Inget nytt sedan förra körningen (samma hämtade data, register och kod): "
    "inga marts, ingen webbplats och inga PDF:er byggs om."
)


def _stored_digest() -> str | None:
    from orchestration.lib.ops.incremental import last_digest
    from orchestration.lib.ops.warehouse import connect

    warehouse = load_settings().warehouse
    if not warehouse.is_file():
        return None
    with connect(warehouse, read_only=True) as con:
        return last_digest(con)


def _current_digest() -> str:
    from orchestration.lib.ops.warehouse import connect

    with connect(load_settings().warehouse, read_only=True) as con:
        return _inputs_digest(con)


def _remember(run_id: str) -> None:
    from orchestration.lib.ops.incremental import remember
    from orchestration.lib.ops.warehouse import connect

    with connect(load_settings().warehouse) as con:
        remember(con, _inputs_digest(con), run_id)


def _inputs_digest(con: duckdb.DuckDBPyConnection) -> str:
    from orchestration.lib.ops.incremental import inputs_digest
    from orchestration.lib.validate.freshness import as_of

    settings = load_settings()
    days = (date.today(), as_of(settings))  # dbt's current_date; the freshness check's day
    return inputs_digest(con, PROJECT_ROOT, settings.source, settings.registry, days)


def _report_failure(result: dg.ExecuteInProcessResult) -> None:
    from orchestration.lib.validate.dagster import blocked_checks

    blocked = blocked_checks(result)
    for line in blocked:
        print(f"Stoppad av datakontroll: {line}", file=sys.stderr)
    if blocked:
        print("Det som följer efter kontrollen kördes inte; förra rapporten ligger kvar.", file=sys.stderr)
    print(f"Körningen {result.run_id} misslyckades; se loggen ovan.", file=sys.stderr)
