"""`uppsikt serve` for real: the daemon starts a scheduled run, and its failure is mailed to the admin."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest
from aiosmtpd.controller import Controller

from tests.delivery.conftest import MailSink, _free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture
def smtp() -> Iterator[MailSink]:
    sink = MailSink("127.0.0.1", _free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()


def _runs(home: Path) -> list[dg.DagsterRun]:
    os.environ["DAGSTER_HOME"] = str(home)
    with dg.DagsterInstance.get() as instance:
        return [record.dagster_run for record in instance.get_run_records()]


def test_serve_runs_the_schedule_and_mails_the_failure(tmp_path: Path, smtp: MailSink) -> None:
    (tmp_path / "registry").mkdir()  # no cooperations: the scheduled run fails at its first step
    state = tmp_path / "state"
    env = {
        **os.environ,
        "UPPSIKT_STATE": str(state),
        "DAGSTER_HOME": str(state / "dagster"),
        "UPPSIKT_SCHEDULE": "* * * * *",
        "UPPSIKT_REGISTRY": str(tmp_path / "registry"),
        "UPPSIKT_WAREHOUSE": str(tmp_path / "warehouse.duckdb"),
        "UPPSIKT_OUTBOX": str(tmp_path / "outbox"),
        "UPPSIKT_SMTP_HOST": smtp.host,
        "UPPSIKT_SMTP_PORT": str(smtp.port),
        "UPPSIKT_SMTP_FROM": "uppsikt@kommunforbund.test",
        "UPPSIKT_ADMIN_EMAIL": "drift@kommunforbund.test",
    }
    service = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "serve", "--port", str(_free_port())],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 420
        while time.monotonic() < deadline and not smtp.to("drift@kommunforbund.test"):
            assert service.poll() is None, "the service stopped"
            time.sleep(1)  # the mail is looked for as soon as the sensor sends it
        runs = _runs(state / "dagster")
        scheduled = [run for run in runs if run.tags.get("dagster/schedule_name") == "uppsikt_monthly"]
        assert scheduled, f"no scheduled run: {runs}"
        mails = smtp.to("drift@kommunforbund.test")
        assert mails, "no failure mail"
        assert "misslyckades" in mails[0].message["Subject"]
        text = mails[0].message.get_content()
        (failed,) = [run for run in scheduled if run.run_id in text]
        assert failed.status == dg.DagsterRunStatus.FAILURE
        assert "cooperations/ saknas" in text  # the step's own error, not Dagster's wrapper
        assert (state / "dagster" / "dagster.yaml").is_file()
    finally:
        service.send_signal(signal.SIGTERM)
        try:
            assert service.wait(timeout=60) == 0
        finally:
            os.killpg(service.pid, signal.SIGKILL) if service.poll() is None else None
