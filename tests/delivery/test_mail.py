"""Mail delivery against a real SMTP server on 127.0.0.1, and the recipients file."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from orchestration.lib.ops.warehouse import connect
from orchestration.lib.report.mail import (
    DeliveryError,
    RecipientsError,
    deliver,
    load_recipients,
    smtp_config_from_env,
)
from orchestration.lib.report.outbox import plan_reports
from tests.delivery.conftest import EXPECTED_FILES

TODAY = date(2026, 11, 22)


def _outbox_folder(tmp_path: Path, registry_warehouse: Path):
    with connect(registry_warehouse, read_only=True) as con:
        plan = plan_reports(con, TODAY)
    folder = tmp_path / "outbox" / plan.day
    folder.mkdir(parents=True)
    for report in plan.reports:
        (folder / report.file).write_bytes(b"%PDF-1.4 " + report.id.encode())
    return folder, plan


def test_plan_covers_active_cooperations_and_members_only(registry_warehouse: Path) -> None:
    with connect(registry_warehouse, read_only=True) as con:
        plan = plan_reports(con, TODAY)

    assert {(r.kind, r.id, r.page) for r in plan.reports} == {
        ("samverkan", "overformyndare-syd", "/samverkan/overformyndare-syd/"),
        ("samverkan", "it-norr", "/samverkan/it-norr/"),
        ("kommun", "0180", "/kommun/0180/"),
        ("kommun", "0183", "/kommun/0183/"),
        ("kommun", "0186", "/kommun/0186/"),
    }
    assert {kod: set(files) for kod, files in plan.kommun_files.items()} == EXPECTED_FILES
    assert plan.kommun_names["0183"] == "Sundbyberg"


def test_each_kommun_receives_exactly_its_own_reports(
    tmp_path: Path, registry_warehouse: Path, smtp_server, recipients: Path
) -> None:
    folder, plan = _outbox_folder(tmp_path, registry_warehouse)
    config = smtp_config_from_env()
    assert config is not None

    result = deliver(folder, plan, load_recipients(recipients), config)

    assert result.sent == {
        "0180": ["registrator@stockholm.test", "ks@stockholm.test"],
        "0183": ["kansli@sundbyberg.test"],
    }
    assert result.no_recipients == ["0186"]
    assert len(smtp_server.received) == 2
    (stockholm,) = smtp_server.to("registrator@stockholm.test")
    assert stockholm.rcpt_tos == ["registrator@stockholm.test", "ks@stockholm.test"]
    assert stockholm.mail_from == "uppsikt@kommunforbund.test"
    assert set(stockholm.attachments) == EXPECTED_FILES["0180"]
    assert stockholm.attachments["kommun-0180.pdf"] == b"%PDF-1.4 0180"
    assert "Stockholm" in stockholm.message["Subject"] and "2026-11-22" in stockholm.message["Subject"]
    (sundbyberg,) = smtp_server.to("kansli@sundbyberg.test")
    assert sundbyberg.rcpt_tos == ["kansli@sundbyberg.test"]
    assert set(sundbyberg.attachments) == EXPECTED_FILES["0183"]
    assert not smtp_server.to("kansli@norrtalje.test")  # its cooperation has ended


def test_a_second_delivery_from_the_same_folder_sends_nothing_again(
    tmp_path: Path, registry_warehouse: Path, smtp_server, recipients: Path
) -> None:
    folder, plan = _outbox_folder(tmp_path, registry_warehouse)
    config = smtp_config_from_env()
    deliver(folder, plan, load_recipients(recipients), config)

    again = deliver(folder, plan, load_recipients(recipients), config)

    assert again.sent == {} and again.already_sent == ["0180", "0183"]
    assert len(smtp_server.received) == 2
    assert set(json.loads((folder / "delivery.json").read_text())) == {"0180", "0183"}


def test_an_unreachable_server_fails_naming_it(
    tmp_path: Path, registry_warehouse: Path, recipients: Path, monkeypatch
) -> None:
    folder, plan = _outbox_folder(tmp_path, registry_warehouse)
    monkeypatch.setenv("UPPSIKT_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("UPPSIKT_SMTP_PORT", "9")  # discard port: nothing listens
    monkeypatch.setenv("UPPSIKT_SMTP_FROM", "uppsikt@kommunforbund.test")

    with pytest.raises(DeliveryError, match=r"smtp://127\.0\.0\.1:9"):
        deliver(folder, plan, load_recipients(recipients), smtp_config_from_env())
    assert not (folder / "delivery.json").exists()


def test_no_smtp_host_means_no_config(monkeypatch) -> None:
    monkeypatch.delenv("UPPSIKT_SMTP_HOST", raising=False)
    assert smtp_config_from_env() is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '"0180":\n  - ok@stockholm.test\n0183:\n  - x@sundbyberg.test\n',
            r":3: kommunkod 183: .*citattecken",
        ),
        (
            '"0180":\n  - ok@stockholm.test\n  - inte-en-adress\n',
            r":3: 0180: 'inte-en-adress' är ingen e-postadress",
        ),
        ('"0180": ks@stockholm.test\n', r":1: 0180: ska vara en lista med e-postadresser"),
        ('"0180": [ok@stockholm.test\n', r":2: inte giltig YAML: expected ',' or '\]'"),
    ],
)
def test_recipient_file_errors_name_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mottagare.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RecipientsError, match=r"mottagare\.yaml" + message):
        load_recipients(path)


def test_the_committed_example_is_valid() -> None:
    example = Path(__file__).resolve().parents[2] / "config" / "recipients.example.yaml"
    recipients = load_recipients(example)
    assert recipients and all(len(kod) == 4 for kod in recipients)


def test_a_later_outbox_sends_only_what_changed_since_it_was_last_sent(
    tmp_path: Path, registry_warehouse: Path, smtp_server, recipients: Path
) -> None:
    folder, plan = _outbox_folder(tmp_path, registry_warehouse)
    for report in plan.reports:
        report.identity = f"{report.file}-v1"
    config = smtp_config_from_env()
    deliver(folder, plan, load_recipients(recipients), config)
    assert len(smtp_server.received) == 2
    # The next report: only IT-förbundet Norr's page shows something new (0183 and 0186 are members).
    later = folder.parent / "2026-12-22"
    later.mkdir()
    for report in plan.reports:
        (later / report.file).write_bytes(b"%PDF-1.4 " + report.id.encode())
        if report.id == "it-norr":
            report.identity = f"{report.file}-v2"
    plan.day = later.name

    result = deliver(later, plan, load_recipients(recipients), config)

    assert result.sent == {"0183": ["kansli@sundbyberg.test"]}
    assert result.unchanged == ["0180"]
    (_, sundbyberg) = smtp_server.to("kansli@sundbyberg.test")
    assert set(sundbyberg.attachments) == {"samverkan-it-norr.pdf"}
    assert "kommun-0183.pdf" in sundbyberg.message.get_body().get_content()  # named as not sent again
    assert len(smtp_server.received) == 3
