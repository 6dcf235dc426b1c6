"""Run the whole pipeline in this process, as `uppsikt run` and `make run` do."""

from __future__ import annotations

import sys

import dagster as dg

from orchestration.lib.runs import RunLocked, dagster_home, fail_abandoned_runs, run_lock, run_tags
from orchestration.lib.settings import load_settings


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
    from orchestration.lib.registry.check import collect_errors

    return collect_errors(load_settings().registry)


def run_pipeline() -> int:
    """One run at a time: refuse with one line while another holds the lock; 0 on success."""
    try:
        with run_lock():
            return _run_pipeline()
    except RunLocked as exc:
        print(exc, file=sys.stderr)
        return 1


def _run_pipeline() -> int:
    """Validate the registry, then materialise every asset in one run; 0 on success."""
    from orchestration.lib.provenance import SourceMismatchError, check_source

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
    from orchestration.definitions import defs
    from orchestration.defs.pipeline import PIPELINE_JOB

    job = defs().resolve_job_def(PIPELINE_JOB)
    with _instance() as instance:
        result = job.execute_in_process(instance=instance, raise_on_error=False, tags=run_tags())
    if not result.success:
        _report_failure(result)
        return 1
    print(f"Rapporten är byggd: {settings.reports_dir / 'build' / 'index.html'}")
    return 0


def _report_failure(result: dg.ExecuteInProcessResult) -> None:
    from orchestration.lib.quality.dagster import blocked_checks

    blocked = blocked_checks(result)
    for line in blocked:
        print(f"Stoppad av datakontroll: {line}", file=sys.stderr)
    if blocked:
        print("Det som följer efter kontrollen kördes inte; förra rapporten ligger kvar.", file=sys.stderr)
    print(f"Körningen {result.run_id} misslyckades; se loggen ovan.", file=sys.stderr)
