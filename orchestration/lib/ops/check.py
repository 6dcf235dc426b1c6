"""`uppsikt check`: is everything a run needs in place? One Swedish line per item."""

from __future__ import annotations

import shutil
import smtplib
import ssl
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import httpx

from orchestration.lib.ops.settings import PROJECT_ROOT, Settings, SettingsError, load_settings
from orchestration.lib.ops.system_packages import wait_for_system_packages

NODE_MAJOR_MIN = 20
TIMEOUT_S = 15


@dataclass(frozen=True)
class Item:
    ok: bool
    name: str
    text: str

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FEL '} {self.name}: {self.text}"


def run_checks() -> list[Item]:
    """Every check; the settings first, since the others read them."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        return [Item(False, "inställningar", str(exc))]
    items = [Item(True, "inställningar", f"giltiga (källa {settings.source})")]
    checks: list[Callable[[Settings], Item]] = [
        _registry,
        _chromium,
        _node,
        _warehouse,
        _smtp,
        _recipients,
    ]
    if not settings.is_demo:
        checks += [_kolada, _scb]
    for check in checks:
        try:
            items.append(check(settings))
        except Exception as exc:  # a check that breaks is a failed item, not a traceback
            items.append(Item(False, check.__name__.strip("_"), f"{type(exc).__name__}: {exc}"))
    return items


def main() -> int:
    """Print one line per item; 1 when anything is wrong."""
    items = run_checks()
    for item in items:
        print(item.line())
    return 0 if all(item.ok for item in items) else 1


def _registry(settings: Settings) -> Item:
    from orchestration.lib.extract.registry.check import collect_errors

    errors = collect_errors(settings.registry)
    if errors:
        return Item(False, "registret", f"{len(errors)} fel i {settings.registry}, först: {errors[0]}")
    count = len(list(settings.registry.rglob("*.yaml")))
    return Item(True, "registret", f"{settings.registry} är giltigt ({count} filer)")


def _chromium(settings: Settings) -> Item:
    path = settings.chromium
    # Chromium may still be installing beside a run or the tests (make run, make test): judged when done.
    wait_for_system_packages()
    if not path.is_file():
        return Item(False, "Chromium", f"{path} saknas: kör scripts/install-system-packages.sh som root")
    done = subprocess.run([str(path), "--version"], capture_output=True, text=True, timeout=TIMEOUT_S)
    version = done.stdout.strip() or done.stderr.strip()
    return Item(done.returncode == 0, "Chromium", f"{path}: {version}")


def _node(settings: Settings) -> Item:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return Item(False, "Node/npm", f"node eller npm saknas: Node {NODE_MAJOR_MIN} eller senare krävs")
    version = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=TIMEOUT_S)
    text = version.stdout.strip()
    major = int(text.lstrip("v").split(".")[0] or 0) if text.lstrip("v")[:1].isdigit() else 0
    if major < NODE_MAJOR_MIN:
        return Item(
            False, "Node/npm", f"Node {text or '?'} är för gammal: {NODE_MAJOR_MIN} eller senare krävs"
        )
    modules = settings.reports_dir / "node_modules"
    installed = "installerade" if modules.is_dir() else "installeras vid första körningen"
    return Item(True, "Node/npm", f"Node {text}, npm finns; rapportens paket {installed}")


def _warehouse(settings: Settings) -> Item:
    from orchestration.lib.extract.provenance import SourceMismatchError, check_source, held_source

    path = settings.warehouse
    if not path.is_file():
        return Item(True, "lagret", f"{path} finns inte ännu (skapas av första körningen)")
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            source = held_source(con)
        check_source(path, settings.source)
    except duckdb.IOException:
        return Item(True, "lagret", f"{path} används just nu av en körning")
    except SourceMismatchError as exc:
        return Item(False, "lagret", str(exc))
    if source is None:
        return Item(True, "lagret", f"{path} har inga hämtade data ännu")
    return Item(True, "lagret", f"{path} innehåller {source}-data")


def _smtp(settings: Settings) -> Item:
    from orchestration.lib.report.mail import DeliveryError, smtp_config_from_env

    try:
        config = smtp_config_from_env()
    except DeliveryError as exc:
        return Item(False, "SMTP", str(exc))
    if config is None:
        return Item(True, "SMTP", "UPPSIKT_SMTP_HOST är inte satt: inga rapporter mejlas")
    try:
        _login(config)
    except (OSError, smtplib.SMTPException) as exc:
        return Item(False, "SMTP", f"{config.url} ({config.security}): {exc}")
    how = f"inloggad som {config.user}" if config.user else "utan inloggning"
    return Item(True, "SMTP", f"{config.url} svarar ({config.security}, {how})")


def _login(config: object) -> None:
    from orchestration.lib.report.mail import SmtpConfig, check_secure_login

    assert isinstance(config, SmtpConfig)
    factory = smtplib.SMTP_SSL if config.security == "ssl" else smtplib.SMTP
    with factory(config.host, config.port, timeout=TIMEOUT_S) as smtp:
        if config.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if config.user:
            check_secure_login(config)
            smtp.login(config.user, config.password or "")
        smtp.noop()


def _recipients(settings: Settings) -> Item:
    from orchestration.lib.report.mail import RecipientsError, load_recipients

    path = settings.recipients
    if path is None:
        needed = bool(settings.smtp_host)
        return Item(
            not needed,
            "mottagare",
            "UPPSIKT_RECIPIENTS är inte satt" + (": vem ska få rapporterna?" if needed else ""),
        )
    try:
        recipients = load_recipients(path)
    except RecipientsError as exc:
        return Item(False, "mottagare", str(exc))
    addresses = sum(len(to) for to in recipients.values())
    shown = path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path
    return Item(True, "mottagare", f"{shown}: {len(recipients)} kommuner, {addresses} adresser")


def _get(name: str, url: str) -> Item:
    try:
        response = httpx.get(url, timeout=TIMEOUT_S, follow_redirects=False)
        response.json()
    except (httpx.HTTPError, ValueError) as exc:
        return Item(False, name, f"{url} svarar inte: {exc}")
    if response.status_code != 200:
        return Item(False, name, f"{url} svarade {response.status_code}")
    return Item(True, name, f"{url} svarar")


def _kolada(settings: Settings) -> Item:
    return _get("Kolada", f"{settings.kolada_base_url}/municipality?per_page=1")


def _scb(settings: Settings) -> Item:
    from orchestration.lib.extract.scb.plan import metadata_url

    return _get("SCB", metadata_url(settings.scb_base_url))
