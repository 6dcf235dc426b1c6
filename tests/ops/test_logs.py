"""uppsikt's own log lines (logging.getLogger("orchestration...")) reach Dagster's run log."""

from __future__ import annotations

import logging
from pathlib import Path

import dagster as dg
import pytest

from orchestration.lib.ops.runs import dagster_home


@dg.op
def logs_like_the_library() -> None:
    logging.getLogger("orchestration.lib.report.evidence").info("npm install: installerar rapportens paket")
    logging.getLogger("some.other.library").info("inte vår rad")


@dg.job
def logging_job() -> None:
    logs_like_the_library()


def test_library_log_lines_are_in_the_run_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    dagster_home()
    with dg.DagsterInstance.get() as instance:
        result = logging_job.execute_in_process(instance=instance)
        messages = [entry.user_message for entry in instance.all_logs(result.run_id)]
    assert any("npm install: installerar rapportens paket" in message for message in messages)
    assert not any("inte vår rad" in message for message in messages)
