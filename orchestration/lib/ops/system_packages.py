"""Waiting for the system packages `make run` installs beside the pipeline.

scripts/install-system-packages.sh --beside installs the packages only printing needs (Chromium, fonts)
in the background while the pull, dbt and the report build run, holding an exclusive lock on LOCK for
as long as apt-get works; its output goes to LOG. Whatever needs those packages waits here first.
"""

from __future__ import annotations

import fcntl
import logging
from pathlib import Path

from orchestration.lib.ops.settings import PROJECT_ROOT

# The same two files the script names ($root/.system-packages.lock and .log).
LOCK = PROJECT_ROOT / ".system-packages.lock"
LOG = PROJECT_ROOT / ".system-packages.log"

log = logging.getLogger(__name__)


def wait_for_system_packages(lock: Path = LOCK) -> bool:
    """Block until no installation of system packages holds `lock`; whether one was still running."""
    if not lock.is_file():
        return False
    with lock.open("r") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("Väntar på att systempaketen (Chromium, typsnitt) installeras klart; logg: %s", LOG)
            fcntl.flock(handle, fcntl.LOCK_SH)
            return True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    return False


def install_hint(log_file: Path = LOG) -> str:
    """What to add to a 'Chromium saknas' message when an installation beside the pipeline left a log."""
    if not log_file.is_file():
        return ""
    return f"; installationen vid sidan av kedjan skrev loggen {log_file}"
