"""SMTP delivery: each kommun is mailed its own report PDFs; the admin is mailed failure notices."""

from __future__ import annotations

import json
import logging
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from orchestration.lib.ops.settings import load_settings
from orchestration.lib.report.outbox import Plan

DELIVERY_LOG = "delivery.json"
# Beside the dated outbox folders: for each kommun, the identity of every file last mailed to it, so an
# unchanged report is not sent again from a later folder (page_identity.py).
SENT_RECORD = "sent.json"
KOMMUNKOD = re.compile(r"^\d{4}$")
ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")

log = logging.getLogger(__name__)


class RecipientsError(ValueError):
    """The recipients file is wrong; the message names the file, line and field."""


class DeliveryError(RuntimeError):
    """Mail could not be delivered; the message names the server."""


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    security: str = "none"  # none, starttls or ssl
    user: str | None = None
    password: str | None = None
    admin: tuple[str, ...] = ()
    allow_plain_auth: bool = False

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"


def smtp_config_from_env() -> SmtpConfig | None:
    """SMTP settings from UPPSIKT_SMTP_*; None when no host is set (delivery is then skipped)."""
    settings = load_settings()
    if not settings.smtp_host:
        return None
    port, user = settings.smtp_port, settings.smtp_user
    # Implicit TLS on 465, STARTTLS on 587 and wherever a password is sent; plain only for a relay
    # that takes mail without logging in.
    default = "ssl" if port == 465 else "starttls" if port == 587 or user else "none"
    config = SmtpConfig(
        host=settings.smtp_host.strip(),
        port=port,
        sender=settings.smtp_from.strip(),
        security=settings.smtp_security or default,
        user=user,
        password=settings.smtp_password,
        admin=settings.admin_addresses,
        allow_plain_auth=settings.smtp_allow_plain_auth,
    )
    check_secure_login(config)
    return config


def check_secure_login(config: SmtpConfig) -> None:
    """Refuse to send a password over an unencrypted connection unless the operator allowed it."""
    if config.user and config.security == "none" and not config.allow_plain_auth:
        raise DeliveryError(
            f"Inloggning mot {config.url} utan kryptering vägras: sätt UPPSIKT_SMTP_SECURITY=starttls "
            "eller ssl (eller UPPSIKT_SMTP_ALLOW_PLAIN_AUTH=true för ett lokalt relä)"
        )


def recipients_path() -> Path | None:
    """UPPSIKT_RECIPIENTS (relative paths from the project root); None when unset."""
    return load_settings().recipients


def load_recipients(path: Path) -> dict[str, list[str]]:
    """kommunkod -> addresses, checked; errors name the file, line and field."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RecipientsError(f"{path}: kan inte läsas: {exc}") from exc
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise RecipientsError(f"{path}:{line}: inte giltig YAML: {getattr(exc, 'problem', exc)}") from exc
    if data is None:
        return {}
    if not hasattr(data, "items"):
        raise RecipientsError(f"{path}:1: filen ska vara en lista kommunkod: [adresser]")
    return {_checked_kod(path, data, key): _checked_addresses(path, data, key) for key in data}


def _line(data: object, key: object) -> int:
    return data.lc.key(key)[0] + 1  # type: ignore[attr-defined]


def _checked_kod(path: Path, data: object, key: object) -> str:
    if not isinstance(key, str) or not KOMMUNKOD.match(key):
        raise RecipientsError(
            f"{path}:{_line(data, key)}: kommunkod {key!r}: "
            'ska vara fyra siffror inom citattecken, t.ex. "0180"'
        )
    return key


def _checked_addresses(path: Path, data: object, key: str) -> list[str]:
    value = data[key]  # type: ignore[index]
    if not isinstance(value, list) or not value:
        raise RecipientsError(f"{path}:{_line(data, key)}: {key}: ska vara en lista med e-postadresser")
    for index, address in enumerate(value):
        if not isinstance(address, str) or not ADDRESS.match(address.strip()):
            line = value.lc.item(index)[0] + 1  # type: ignore[attr-defined]
            raise RecipientsError(f"{path}:{line}: {key}: {address!r} är ingen e-postadress")
    return [address.strip() for address in value]


def report_message(
    config: SmtpConfig,
    to: list[str],
    kommun_name: str,
    day: str,
    files: list[Path],
    unchanged: Sequence[str] = (),
) -> EmailMessage:
    """One kommun's mail: its uppsiktsrapport and its cooperations' reports attached (those that changed
    since they were last sent; `unchanged` names the others)."""
    message = _message(config, to, f"Uppsiktsrapport samverkan – {kommun_name} – {day}")
    listing = "\n".join(f"- {path.name}" for path in files)
    kept = "".join(f"- {name}\n" for name in unchanged)
    if kept:
        kept = f"Oförändrade sedan de senast skickades, och därför inte bifogade igen:\n\n{kept}\n"
    message.set_content(
        f"Hej!\n\nHär är {kommun_name}s uppsiktsrapport om kommunens samverkan med andra kommuner, "
        f"daterad {day}, och rapporterna för varje samverkan kommunen ingår i:\n\n{listing}\n\n{kept}"
        "Rapporterna är gjorda av uppsikt på data från Kolada och SCB.\n"
    )
    for path in files:
        message.add_attachment(path.read_bytes(), maintype="application", subtype="pdf", filename=path.name)
    return message


def notice_message(config: SmtpConfig, subject: str, text: str) -> EmailMessage:
    """A plain notice to the admin addresses."""
    message = _message(config, list(config.admin), subject)
    message.set_content(text)
    return message


def _message(config: SmtpConfig, to: list[str], subject: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=config.sender.rsplit("@", 1)[1])
    return message


@contextmanager
def smtp_session(config: SmtpConfig, *, timeout: float = 30) -> Iterator[Callable[[EmailMessage], None]]:
    """A connected session; yields send(message), which retries transient faults with backoff."""
    state: dict[str, smtplib.SMTP | None] = {"smtp": None}

    def send(message: EmailMessage) -> None:
        for attempt in range(1, 4):
            try:
                state["smtp"] = state["smtp"] or _connect(config, timeout)
                state["smtp"].send_message(message)
                return
            except (OSError, smtplib.SMTPException) as exc:
                _close(state["smtp"])
                state["smtp"] = None
                if attempt == 3 or not _transient(exc):
                    raise DeliveryError(f"Kunde inte skicka e-post via {config.url}: {exc}") from exc
                time.sleep(2 ** (attempt - 1))

    try:
        yield send
    finally:
        _close(state["smtp"])


def _connect(config: SmtpConfig, timeout: float) -> smtplib.SMTP:
    if config.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=timeout)
    else:
        smtp = smtplib.SMTP(config.host, config.port, timeout=timeout)
    if config.security == "starttls":
        smtp.starttls(context=ssl.create_default_context())
    if config.user:
        check_secure_login(config)
        smtp.login(config.user, config.password or "")
    return smtp


def _transient(exc: Exception) -> bool:
    # 4xx replies and dropped connections may pass on retry; 5xx (bad address, auth) will not.
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    return isinstance(exc, OSError | smtplib.SMTPServerDisconnected)


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (OSError, smtplib.SMTPException):
        smtp.close()


@dataclass
class DeliveryResult:
    sent: dict[str, list[str]] = field(default_factory=dict)
    already_sent: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # nothing new since its files were last mailed
    no_recipients: list[str] = field(default_factory=list)


def deliver(folder: Path, plan: Plan, recipients: dict[str, list[str]], config: SmtpConfig) -> DeliveryResult:
    """Mail each kommun in the plan its files, except those already mailed from this folder and those whose
    content is the same as when they were last mailed to it (the same identity in the sent record)."""
    done, sent = _read_log(folder), _read_sent(folder.parent)
    identities = {report.file: report.identity for report in plan.reports}
    result = DeliveryResult()
    with smtp_session(config) as send:
        for kommun, files in sorted(plan.kommun_files.items()):
            name = plan.kommun_names.get(kommun, kommun)
            before = sent.get(kommun, {})
            changed = [f for f in files if identities.get(f) is None or before.get(f) != identities[f]]
            if kommun in done:
                result.already_sent.append(kommun)
            elif not changed:
                result.unchanged.append(kommun)
            elif not recipients.get(kommun):
                log.warning("Ingen mottagare för %s (%s): dess rapporter skickas inte", kommun, name)
                result.no_recipients.append(kommun)
            else:
                paths = [folder / file for file in changed]
                kept = [f for f in files if f not in changed]
                send(report_message(config, recipients[kommun], name, plan.day, paths, kept))
                done[kommun] = {"to": recipients[kommun], "sent_at": datetime.now(UTC).isoformat()}
                _write_log(folder, done)
                sent[kommun] = {**before, **{f: identities.get(f) for f in changed}}
                _write_json(folder.parent / SENT_RECORD, sent)
                result.sent[kommun] = recipients[kommun]
    return result


def _read_sent(root: Path) -> dict[str, dict[str, str | None]]:
    path = root / SENT_RECORD
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _read_log(folder: Path) -> dict[str, dict[str, object]]:
    path = folder / DELIVERY_LOG
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _write_log(folder: Path, done: dict[str, dict[str, object]]) -> None:
    # Written after every mail, so a failure halfway resends only what did not go out.
    _write_json(folder / DELIVERY_LOG, done)


def _write_json(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)
