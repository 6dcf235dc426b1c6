"""The report assets in real Dagster runs: PDFs into the outbox, mail out, and what a failure leaves."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.report.delivery import failure_notice, report_delivery, report_pdfs
from orchestration.lib.ops.resources import resources
from orchestration.lib.report.outbox import latest_outbox, read_manifest
from orchestration.lib.report.pdf import pdf_page_count
from tests.delivery.conftest import EXPECTED_FILES


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture
def project(site: Path, registry_warehouse: Path, outbox: Path, monkeypatch) -> Path:
    """The site as the report build, the registry warehouse, and the outbox, as uppsikt's settings."""
    monkeypatch.setenv("UPPSIKT_REPORTS", str(site.parent))
    monkeypatch.delenv("UPPSIKT_SMTP_HOST", raising=False)
    monkeypatch.delenv("UPPSIKT_ADMIN_EMAIL", raising=False)
    return outbox


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _materialize(instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [report_pdfs, report_delivery], instance=instance, raise_on_error=False, resources=resources()
    )


def test_pdfs_land_in_the_outbox_and_each_kommun_gets_its_own(
    project: Path, instance, smtp_server, recipients: Path
) -> None:
    result = _materialize(instance)

    assert result.success
    folder = latest_outbox(project)
    assert folder is not None and folder.parent == project
    pdfs = {path.name for path in folder.glob("*.pdf")}
    assert pdfs == set().union(*EXPECTED_FILES.values())
    assert all(pdf_page_count(folder / name) >= 1 for name in pdfs)
    assert {report.file for report in read_manifest(folder).reports} == pdfs
    assert {kod: set(files) for kod, files in read_manifest(folder).kommun_files.items()} == EXPECTED_FILES
    (stockholm,) = smtp_server.to("ks@stockholm.test")
    (sundbyberg,) = smtp_server.to("kansli@sundbyberg.test")
    assert set(stockholm.attachments) == EXPECTED_FILES["0180"]
    assert set(sundbyberg.attachments) == EXPECTED_FILES["0183"]
    attached = sundbyberg.attachments["samverkan-it-norr.pdf"]
    assert attached == (folder / "samverkan-it-norr.pdf").read_bytes()
    assert len(smtp_server.received) == 2
    delivered = result.asset_materializations_for_node("report_delivery")[0].metadata
    assert delivered["sent"].value == 2 and delivered["no_recipients"].value == "0186"


def test_without_smtp_host_delivery_is_skipped_and_pdfs_are_kept(project: Path, instance) -> None:
    result = _materialize(instance)

    assert result.success
    delivered = result.asset_materializations_for_node("report_delivery")[0].metadata
    assert delivered["skipped"].value == "UPPSIKT_SMTP_HOST saknas"
    folder = latest_outbox(project)
    assert folder is not None and len(list(folder.glob("*.pdf"))) == 5


def test_a_failed_run_notifies_and_leaves_the_last_good_outbox(
    project: Path, site: Path, instance, smtp_server, recipients: Path, monkeypatch
) -> None:
    assert _materialize(instance).success
    good = latest_outbox(project)
    assert good is not None
    before = _snapshot(project)
    monkeypatch.setenv("UPPSIKT_ADMIN_EMAIL", "drift@kommunforbund.test")
    (site / "kommun" / "0186" / "index.html").unlink()  # a page the build failed to make

    failed = _materialize(instance)

    assert not failed.success
    assert _snapshot(project) == before  # same files, same bytes, no half-written folder
    assert latest_outbox(project) == good
    context = dg.build_run_status_sensor_context(
        sensor_name="uppsikt_failure_notice",
        dagster_event=failed.get_run_failure_event(),
        dagster_instance=instance,
        dagster_run=failed.dagster_run,
    ).for_run_failure()
    failure_notice(context)

    (notice,) = (project / "notices").glob("*.txt")
    text = notice.read_text(encoding="utf-8")
    assert failed.run_id in text and "report_pdfs" in text and "/kommun/0186/" in text
    assert f"Senaste fungerande rapporter finns kvar i {good}" in text
    (mail,) = smtp_server.to("drift@kommunforbund.test")
    assert "misslyckades" in mail.message["Subject"] and failed.run_id in mail.message.get_content()
    assert {path: digest for path, digest in _snapshot(project).items() if "notices" not in path} == before


def test_failure_notice_without_smtp_is_written_to_the_outbox_only(
    project: Path, instance, monkeypatch
) -> None:
    monkeypatch.setenv("UPPSIKT_REPORTS", str(project / "ingen-rapport"))  # no build: report_pdfs fails
    failed = _materialize(instance)
    assert not failed.success
    context = dg.build_run_status_sensor_context(
        sensor_name="uppsikt_failure_notice",
        dagster_event=failed.get_run_failure_event(),
        dagster_instance=instance,
        dagster_run=failed.dagster_run,
    ).for_run_failure()

    failure_notice(context)

    (notice,) = (project / "notices").glob("*.txt")
    assert "Ingen byggd webbplats" in notice.read_text(encoding="utf-8")
    assert "Det finns ännu ingen färdig utkorg." in notice.read_text(encoding="utf-8")
