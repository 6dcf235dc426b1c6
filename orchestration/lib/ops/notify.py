"""Failure notices: a file in the outbox and, when SMTP is set up, a mail to the admin."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from orchestration.lib.report.mail import DeliveryError, notice_message, smtp_config_from_env, smtp_session
from orchestration.lib.report.outbox import latest_outbox, outbox_root, write_notice

log = logging.getLogger(__name__)


def failure_text(run_id: str, job_name: str, errors: list[str], last_good: Path | None) -> str:
    """The notice in Swedish: what failed, and that the last good report still stands."""
    kept = (
        f"Senaste fungerande rapporter finns kvar i {last_good}."
        if last_good
        else "Det finns ännu ingen färdig utkorg."
    )
    lines = [
        f"Körningen {run_id} av {job_name} misslyckades.",
        "",
        *[f"- {error}" for error in errors],
        "",
        kept,
        "Ingenting har raderats; den byggda webbplatsen och utkorgen är som efter senaste lyckade körning.",
    ]
    return "\n".join(lines) + "\n"


def notify_failure(run_id: str, job_name: str, errors: list[str]) -> Path:
    """Write the notice and mail it to UPPSIKT_ADMIN_EMAIL if SMTP is configured; returns the notice file."""
    root = outbox_root()
    text = failure_text(run_id, job_name, errors, latest_outbox(root))
    stamp = datetime.now(ZoneInfo("Europe/Stockholm")).strftime("%Y-%m-%dT%H%M%S")
    path = write_notice(root, stamp, run_id, text)
    try:
        config = smtp_config_from_env()
        if config is None or not config.admin:
            log.info("Ingen SMTP-server eller UPPSIKT_ADMIN_EMAIL: felnotisen finns bara i %s", path)
            return path
        with smtp_session(config) as send:
            send(notice_message(config, f"uppsikt: körningen av {job_name} misslyckades", text))
    except DeliveryError as exc:
        # The notice file stands on its own; a mail fault must not hide the original failure.
        log.error("Felnotisen kunde inte mejlas: %s", exc)
        write_notice(root, stamp, run_id, text + f"\nNotisen kunde inte mejlas: {exc}\n")
    return path
