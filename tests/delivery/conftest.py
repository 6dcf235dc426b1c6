"""A tiny built site, a registry in a real warehouse, and a real SMTP server on 127.0.0.1."""

from __future__ import annotations

import email
import email.policy
import functools
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from orchestration.lib.ops.warehouse import connect, insert_rows

KOMMUNER = {
    "0180": "Stockholm",
    "0183": "Sundbyberg",
    "0184": "Solna",
    "0186": "Lidingö",
    "0187": "Vaxholm",
    "0188": "Norrtälje",
}
# Two active cooperations, one member that has left, one cooperation that has ended.
AGREEMENTS = [
    ("overformyndare-syd", "Överförmyndarnämnden Syd", None),
    ("it-norr", "IT-förbundet Norr", None),
    ("rs-gammal", "Räddningstjänsten som var", date(2019, 12, 31)),
]
MEMBERS = [
    ("overformyndare-syd", "0180", date(2015, 1, 1), None),
    ("overformyndare-syd", "0183", date(2015, 1, 1), None),
    ("overformyndare-syd", "0187", date(2015, 1, 1), date(2020, 1, 1)),
    ("it-norr", "0183", date(2018, 1, 1), None),
    ("it-norr", "0186", date(2018, 1, 1), None),
    ("rs-gammal", "0188", date(2010, 1, 1), None),
]
# What each kommun must be sent: its own report and its active cooperations' reports.
EXPECTED_FILES = {
    "0180": {"kommun-0180.pdf", "samverkan-overformyndare-syd.pdf"},
    "0183": {"kommun-0183.pdf", "samverkan-overformyndare-syd.pdf", "samverkan-it-norr.pdf"},
    "0186": {"kommun-0186.pdf", "samverkan-it-norr.pdf"},
}

PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: sans-serif; }} .break {{ break-before: page; }}</style></head>
<body><h1>{title}</h1><p>{text}</p>{extra}
<div id="late"></div>
<script>
  // Like the real site: figures arrive after the first paint, from a local data file.
  setTimeout(() => fetch("/data/figures.json").then(r => r.json()).then(d => {{
    document.getElementById("late").textContent = d.label + " {key}";
  }}), 600);
</script>
</body></html>
"""


def write_page(root: Path, path: str, title: str, text: str, key: str, extra: str = "") -> None:
    """One page of the tiny site at the URL path `path` (written as path/index.html)."""
    folder = root / path.strip("/")
    folder.mkdir(parents=True, exist_ok=True)
    html = PAGE.format(title=title, text=text, key=key, extra=extra)
    (folder / "index.html").write_text(html, encoding="utf-8")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built static site with the paths the Evidence site has: /, /samverkan/<id>/, /kommun/<kod>/."""
    root = tmp_path / "reports" / "build"
    write_page(root, "/", "Översikt", "Alla samverkansavtal", "oversikt")
    for agreement_id, name, _ in AGREEMENTS:
        write_page(root, f"/samverkan/{agreement_id}/", name, f"Samverkan {agreement_id}", agreement_id)
    for kod, name in KOMMUNER.items():
        write_page(root, f"/kommun/{kod}/", f"{name} kommun", f"Uppsiktsrapport för {kod}", kod)
    (root / "data").mkdir()
    (root / "data" / "figures.json").write_text('{"label": "Sent inläst uppgift"}', encoding="utf-8")
    # As the Evidence build has one: Chromium asks for /favicon.ico by itself, and a 404 is a console error.
    (root / "favicon.ico").write_bytes(b"")
    return root


@pytest.fixture
def add_page(site: Path) -> Callable[..., None]:
    """Add a page to the tiny site: add_page(path, title, text, key, extra="")."""
    return functools.partial(write_page, site)


def _is_current(agreement_end: date | None, left_on: date | None, today: date) -> bool:
    return all(end is None or end >= today for end in (agreement_end, left_on))


@pytest.fixture
def registry_warehouse(warehouse_path: Path) -> Path:
    """A warehouse holding the membership mart the outbox reads (marts.fct_agreement_members), with
    is_current as dbt computes it on the day the tests' TODAY stands for."""
    ends = {agreement_id: end for agreement_id, _, end in AGREEMENTS}
    names = {agreement_id: name for agreement_id, name, _ in AGREEMENTS}
    rows = [
        (agreement_id, names[agreement_id], kommun, KOMMUNER[kommun],
         _is_current(ends[agreement_id], left_on, date(2026, 11, 22)))
        for agreement_id, kommun, _, left_on in MEMBERS
    ]  # fmt: skip
    with connect(warehouse_path) as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_agreement_members (agreement_id varchar, agreement_name varchar, "
            "municipality_id varchar, municipality_name varchar, is_current boolean)"
        )
        insert_rows(con, "marts.fct_agreement_members", rows)
    return warehouse_path


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def attachments(self) -> dict[str, bytes]:
        return {part.get_filename(): part.get_content() for part in self.message.iter_attachments()}


@dataclass
class MailSink:
    """What the SMTP server on 127.0.0.1 received."""

    host: str
    port: int
    received: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)  # type: ignore[attr-defined]
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[attr-defined]
        return "250 OK"

    def to(self, address: str) -> list[Received]:
        return [mail for mail in self.received if address in mail.rcpt_tos]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[MailSink]:
    """A real SMTP server on 127.0.0.1, set as uppsikt's SMTP settings."""
    sink = MailSink("127.0.0.1", _free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    monkeypatch.setenv("UPPSIKT_SMTP_HOST", sink.host)
    monkeypatch.setenv("UPPSIKT_SMTP_PORT", str(sink.port))
    monkeypatch.setenv("UPPSIKT_SMTP_FROM", "uppsikt@kommunforbund.test")
    try:
        yield sink
    finally:
        controller.stop()


RECIPIENTS = """\
# kommunkod: adresser
"0180":
  - registrator@stockholm.test
  - ks@stockholm.test
"0183":
  - kansli@sundbyberg.test
# 0186 has no address: its mail is skipped
"0188":
  - kansli@norrtalje.test
"""


@pytest.fixture
def recipients(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A recipients file, set as UPPSIKT_RECIPIENTS."""
    path = tmp_path / "recipients.yaml"
    path.write_text(RECIPIENTS, encoding="utf-8")
    monkeypatch.setenv("UPPSIKT_RECIPIENTS", str(path))
    return path


@pytest.fixture
def outbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An outbox folder, set as UPPSIKT_OUTBOX."""
    path = tmp_path / "outbox"
    monkeypatch.setenv("UPPSIKT_OUTBOX", str(path))
    return path
