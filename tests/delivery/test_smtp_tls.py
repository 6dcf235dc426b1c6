"""SMTP login only over TLS (STARTTLS or implicit), unless plain text is allowed for a local relay."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from orchestration.lib.report.mail import DeliveryError, notice_message, smtp_config_from_env, smtp_session
from tests.delivery.conftest import MailSink, _free_port


@dataclass
class Logins:
    """Every AUTH attempt the server saw, with whether the connection was encrypted at the time."""

    seen: list[tuple[str, bool]] = field(default_factory=list)

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        self.seen.append((auth_data.login.decode(), session.ssl is not None))
        return AuthResult(success=auth_data.password == b"hemligt")


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A self-signed certificate for 127.0.0.1 that the client trusts (SSL_CERT_FILE)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl saknas")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def _server(monkeypatch: pytest.MonkeyPatch, logins: Logins, **kwargs) -> Iterator[MailSink]:
    sink = MailSink("127.0.0.1", _free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port, authenticator=logins, **kwargs)
    controller.start()
    for name, value in {
        "UPPSIKT_SMTP_HOST": sink.host,
        "UPPSIKT_SMTP_PORT": str(sink.port),
        "UPPSIKT_SMTP_FROM": "uppsikt@kommunforbund.test",
        "UPPSIKT_ADMIN_EMAIL": "drift@kommunforbund.test",
        "UPPSIKT_SMTP_USER": "uppsikt",
        "UPPSIKT_SMTP_PASSWORD": "hemligt",
    }.items():
        monkeypatch.setenv(name, value)
    try:
        yield sink
    finally:
        controller.stop()


@pytest.fixture
def plain_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[MailSink, Logins]]:
    """A server that offers AUTH over an unencrypted connection and no STARTTLS."""
    logins = Logins()
    yield from ((sink, logins) for sink in _server(monkeypatch, logins, auth_require_tls=False))


@pytest.fixture
def tls_server(monkeypatch: pytest.MonkeyPatch, certificate) -> Iterator[tuple[MailSink, Logins]]:
    """A server that offers STARTTLS and AUTH only after it."""
    logins = Logins()
    yield from ((sink, logins) for sink in _server(monkeypatch, logins, tls_context=certificate))


def _send() -> None:
    config = smtp_config_from_env()
    assert config is not None
    message: EmailMessage = notice_message(config, "prov", "text")
    with smtp_session(config, timeout=10) as send:
        send(message)


def test_password_is_never_sent_in_clear_on_an_unusual_port(plain_server) -> None:
    sink, logins = plain_server
    # No security setting: with a login the default is STARTTLS, which this server does not offer.
    with pytest.raises(DeliveryError, match=r"smtp://127\.0\.0\.1:\d+"):
        _send()
    assert logins.seen == [] and sink.received == []


def test_explicit_plain_text_login_is_refused_before_connecting(plain_server, monkeypatch) -> None:
    sink, logins = plain_server
    monkeypatch.setenv("UPPSIKT_SMTP_SECURITY", "none")
    with pytest.raises(DeliveryError, match=r"utan kryptering vägras.*UPPSIKT_SMTP_ALLOW_PLAIN_AUTH"):
        _send()
    assert logins.seen == [] and sink.received == []


def test_plain_text_login_when_the_operator_allows_it(plain_server, monkeypatch) -> None:
    sink, logins = plain_server
    monkeypatch.setenv("UPPSIKT_SMTP_SECURITY", "none")
    monkeypatch.setenv("UPPSIKT_SMTP_ALLOW_PLAIN_AUTH", "true")
    _send()
    assert logins.seen == [("uppsikt", False)]
    assert len(sink.received) == 1


def test_login_after_starttls(tls_server) -> None:
    sink, logins = tls_server
    _send()
    assert logins.seen == [("uppsikt", True)]
    assert [mail.rcpt_tos for mail in sink.received] == [["drift@kommunforbund.test"]]
