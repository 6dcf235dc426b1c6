"""The outbox: which report PDFs to make, where they go, and publishing them all or nothing."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from orchestration.lib.ops.settings import load_settings
from orchestration.lib.ops.swap import replace_folder

MANIFEST = "manifest.json"
LATEST = "latest.txt"

# Active memberships only: a kommun's papers cover the cooperations it is in now.
# Who is a member today is decided once, in the warehouse (fct_agreement_members, built on
# int_agreement_members_by_year): a cooperation or membership ending today is still current.
PLAN_SQL = """
select m.agreement_id, m.agreement_name, m.municipality_id, m.municipality_name
from marts.fct_agreement_members as m
where m.is_current
order by m.agreement_id, m.municipality_id
"""


@dataclass
class Report:
    """One PDF: the site page it is printed from and the file it becomes."""

    kind: str  # "samverkan" or "kommun"
    id: str
    name: str
    page: str
    file: str
    # What the page shows (page_identity.py); None when unknown: such a PDF is always printed and sent.
    identity: str | None = None


@dataclass
class Plan:
    """Every report to print, and for each kommun the files it is sent."""

    day: str
    reports: list[Report] = field(default_factory=list)
    kommun_files: dict[str, list[str]] = field(default_factory=dict)
    kommun_names: dict[str, str] = field(default_factory=dict)
    # The files printed by this run; the others were copied unchanged from the previous outbox.
    printed: list[str] = field(default_factory=list)


def outbox_root() -> Path:
    """UPPSIKT_OUTBOX (default outbox/, relative paths from the project root)."""
    return load_settings().outbox


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-.") or "x"


def plan_reports(con: duckdb.DuckDBPyConnection, today: date) -> Plan:
    """The PDFs for every current cooperation and member kommun, from the warehouse's membership mart."""
    rows = con.execute(PLAN_SQL).fetchall()
    plan = Plan(day=today.isoformat())
    seen: set[tuple[str, str]] = set()
    for agreement_id, agreement_name, kommun, kommun_name in rows:
        for kind, key, name in (("samverkan", agreement_id, agreement_name), ("kommun", kommun, kommun_name)):
            if (kind, key) not in seen:
                seen.add((kind, key))
                file = f"{kind}-{_safe(key)}.pdf"
                plan.reports.append(Report(kind, key, name, f"/{kind}/{key}/", file))
        plan.kommun_names[kommun] = kommun_name
        plan.kommun_files.setdefault(kommun, [f"kommun-{_safe(kommun)}.pdf"])
        files = plan.kommun_files[kommun]
        if f"samverkan-{_safe(agreement_id)}.pdf" not in files:
            files.append(f"samverkan-{_safe(agreement_id)}.pdf")
    return plan


@contextmanager
def staged_outbox(root: Path, day: str) -> Iterator[Path]:
    """A fresh folder to write into; published as root/<day> only if the block succeeds."""
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".staging-{day}-", dir=root))
    try:
        yield staging
        _publish(root, staging, day)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _publish(root: Path, staging: Path, day: str) -> None:
    replace_folder(staging, root / day)
    _write_atomic(root / LATEST, day + "\n")


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_manifest(folder: Path, plan: Plan) -> None:
    """Record what the folder holds and who gets which file, for delivery."""
    _write_atomic(folder / MANIFEST, json.dumps(asdict(plan), ensure_ascii=False, indent=2))


def latest_outbox(root: Path) -> Path | None:
    """The last folder published in full, or None when there is none yet."""
    pointer = root / LATEST
    if not pointer.is_file():
        return None
    folder = root / pointer.read_text(encoding="utf-8").strip()
    return folder if (folder / MANIFEST).is_file() else None


def read_manifest(folder: Path) -> Plan:
    """The plan a published folder was made from."""
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    reports = [Report(**item) for item in data.pop("reports")]
    return Plan(reports=reports, **data)


def write_notice(root: Path, stamp: str, run_id: str, text: str) -> Path:
    """Leave a failure notice in root/notices/ (nothing else in the outbox is touched)."""
    folder = root / "notices"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stamp}-{run_id[:8]}.txt"
    _write_atomic(path, text)
    return path
