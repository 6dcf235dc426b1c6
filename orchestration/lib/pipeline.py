"""Run the whole pipeline in this process, as `uppsikt run` and `make run` do."""

from __future__ import annotations

import os
import sys

import dagster as dg

from orchestration.lib.settings import PROJECT_ROOT, load_settings


def _instance() -> dg.DagsterInstance:
    # A persistent instance in the project, so runs started here show in `make dev`'s UI.
    home = os.environ.setdefault("DAGSTER_HOME", str(PROJECT_ROOT / ".dagster"))
    os.makedirs(home, exist_ok=True)
    return dg.DagsterInstance.get()


def registry_errors() -> list[str]:
    """Every error in the registry; empty when it is valid."""
    from orchestration.lib.registry.check import collect_errors

    return collect_errors(load_settings().registry)


def run_pipeline() -> int:
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
        result = job.execute_in_process(instance=instance, raise_on_error=False)
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
