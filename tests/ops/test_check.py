"""`uppsikt check`: one line per item against real components, exit 1 when anything is wrong."""

from __future__ import annotations

import fcntl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from orchestration.lib.demo.standin.app import StandinApp
from orchestration.lib.demo.standin.server import RunningStandin, serve
from orchestration.lib.ops.system_packages import LOCK
from orchestration.lib.ops.warehouse import connect
from tests.delivery.conftest import RECIPIENTS, MailSink, _free_port
from tests.extract.conftest import small_world


@pytest.fixture
def standin() -> Iterator[RunningStandin]:
    with serve(StandinApp(small_world())) as running:
        yield running


@pytest.fixture
def smtp() -> Iterator[MailSink]:
    sink = MailSink("127.0.0.1", _free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()


def _check(tmp_path: Path, **env: str) -> tuple[int, dict[str, str]]:
    recipients = tmp_path / "recipients.yaml"
    recipients.write_text(RECIPIENTS, encoding="utf-8")
    base = {"PATH": "/usr/bin:/bin", "UPPSIKT_RECIPIENTS": str(recipients), "UPPSIKT_STATE": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "check"],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = done.stdout.strip().splitlines()
    assert all(line.startswith(("OK   ", "FEL  ")) for line in lines), done.stdout + done.stderr
    return done.returncode, {line[5:].split(":")[0]: line[:3].strip() for line in lines}


def _warehouse_with(path: Path, source: str) -> None:
    with connect(path) as con:
        con.execute("create schema raw")
        con.execute(f"create table raw.warehouse_source as select '{source}' as source, now() as recorded_at")


def test_everything_in_place_for_live(tmp_path: Path, standin: RunningStandin, smtp: MailSink) -> None:
    _warehouse_with(tmp_path / "live.duckdb", "live")
    code, items = _check(
        tmp_path,
        UPPSIKT_SOURCE="live",
        UPPSIKT_WAREHOUSE=str(tmp_path / "live.duckdb"),
        KOLADA_BASE_URL=standin.kolada_base_url,
        SCB_BASE_URL=standin.scb_base_url,
        UPPSIKT_SMTP_HOST=smtp.host,
        UPPSIKT_SMTP_PORT=str(smtp.port),
        UPPSIKT_SMTP_FROM="uppsikt@kommunforbund.test",
    )
    assert items == dict.fromkeys(
        [
            "inställningar",
            "registret",
            "Chromium",
            "Node/npm",
            "lagret",
            "SMTP",
            "mottagare",
            "Kolada",
            "SCB",
        ],
        "OK",
    )
    assert code == 0


def test_each_fault_is_one_failed_line(tmp_path: Path) -> None:
    _warehouse_with(tmp_path / "w.duckdb", "demo")
    (tmp_path / "bad.yaml").write_text('"0180": inte-en-lista\n', encoding="utf-8")
    code, items = _check(
        tmp_path,
        UPPSIKT_SOURCE="live",  # a warehouse of demo data
        UPPSIKT_WAREHOUSE=str(tmp_path / "w.duckdb"),
        KOLADA_BASE_URL=f"http://127.0.0.1:{_free_port()}/v3",  # nothing listens
        SCB_BASE_URL=f"http://127.0.0.1:{_free_port()}/api/v2",
        UPPSIKT_SMTP_HOST="127.0.0.1",
        UPPSIKT_SMTP_PORT=str(_free_port()),
        UPPSIKT_RECIPIENTS=str(tmp_path / "bad.yaml"),
        UPPSIKT_CHROMIUM=str(tmp_path / "chromium"),
    )
    assert code == 1
    assert items["inställningar"] == "OK" and items["registret"] == "OK"
    for item in ("lagret", "SMTP", "mottagare", "Kolada", "SCB", "Chromium"):
        assert items[item] == "FEL", item


def test_chromium_installing_beside_is_judged_when_the_installation_ends(tmp_path: Path) -> None:
    # As make run and make test leave it: apt-get holds the project's lock while Chromium is not yet there.
    chromium = tmp_path / "chromium"
    with LOCK.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)

        def finish_installing() -> None:
            chromium.write_text("#!/bin/sh\necho 'Chromium 999.0 (provet)'\n", encoding="utf-8")
            chromium.chmod(0o755)
            fcntl.flock(lock, fcntl.LOCK_UN)

        installing = threading.Timer(2.0, finish_installing)
        installing.start()
        try:
            _, items = _check(tmp_path, UPPSIKT_CHROMIUM=str(chromium))
        finally:
            installing.join()
    assert items["Chromium"] == "OK"


def test_bad_settings_are_the_one_failed_line(tmp_path: Path) -> None:
    code, items = _check(tmp_path, UPPSIKT_PDF_WORKERS="0")
    assert (code, items) == (1, {"inställningar": "FEL"})
