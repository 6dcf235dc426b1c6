"""Which report PDFs show something new: a content identity per printed page, and reuse of unchanged PDFs.

A page's identity is a hash of what it shows: the results of every query the page was prerendered with
(page_identity.mjs reads them from the built site), without the columns that only say when the report was
built or the data fetched, together with a hash of what decides how pages look (the report project and the
printing code). A PDF whose page has the same identity as in the last published outbox is copied from
there instead of printed again, and delivery does not send it again (mail.py). A reused PDF keeps the
report date in its header from when it was printed.

Every query a page runs counts, shared ones included: the pages run no query whose rows they do not show
in part (navigation is built from the page list, not from queries), so nothing coarser is safe. A change
to one cooperation therefore reprints its page and its current members' kommun pages only; the rest are
reused, also from the same day's folder that the run then replaces. One change reaches every page by
itself, once: the first report has no earlier one to compare its verdicts with and says so on every page
("Det här är den första rapporten"), and the second report is the first to say what changed since
("Jämfört med förra rapporten ..."), so it prints every PDF again, rightly (on the demo, after a first
run and one renamed cooperation: 244 of 244, with only verdict_changes differing on the 241 others; the
next change: 3 printed, 241 reused). From then on the previous report's date is volatile and the
comparison itself (the verdicts before and now) is what counts.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

from orchestration.lib.ops.incremental import add_files
from orchestration.lib.ops.settings import PROJECT_ROOT
from orchestration.lib.report.outbox import Plan
from orchestration.lib.report.page_reuse import query_folder
from orchestration.lib.report.pdf import PrintedPage, PrintJob, Progress, print_site

SCRIPT = Path(__file__).with_name("page_identity.mjs")
# When the report was built, the data fetched or a check run: the same figures built again differ only in
# these, so they are not part of what a page shows.
VOLATILE_COLUMNS = (
    "built_at",
    "report_id",
    "report_date",
    "kolada_extracted_at",
    "scb_extracted_at",
    "kolada_fetched_at",
    "scb_fetched_at",
    "checked_at",
    "previous_report_date",
)
# The Evidence page (route id) each kind of report is printed from.
ROUTES = {"samverkan": "/samverkan/[agreement_id]", "kommun": "/kommun/[municipality_id]"}
# What decides how a page looks, besides its data.
LOOK_PATHS = (
    "reports/pages",
    "reports/partials",
    "reports/components",
    "reports/patches",
    "reports/package-lock.json",
    "reports/evidence.config.yaml",
    "reports/evidence.settings.json",
    "orchestration/lib/report/pdf.py",
    "orchestration/lib/report/print_tab.py",
    "orchestration/lib/report/page_ready.py",
)
TIMEOUT_S = 300


class IdentityError(RuntimeError):
    """The identities could not be computed; the message says why, in Swedish."""


def look_digest(root: Path = PROJECT_ROOT) -> str:
    """Hash of the files under LOOK_PATHS (names and bytes), in a fixed order."""
    digest = hashlib.sha256()
    for entry in LOOK_PATHS:
        add_files(digest, root / entry, root)
    return digest.hexdigest()


def identify(plan: Plan, reports_dir: Path, build_dir: Path, root: Path = PROJECT_ROOT) -> None:
    """Set each report's identity in `plan` (None for a page the build holds no query results for)."""
    pages = [_page(report.kind, report.page) for report in plan.reports]
    request = {
        "reports": str(reports_dir.resolve()),
        "build": str(build_dir.resolve()),
        "volatile": list(VOLATILE_COLUMNS),
        "pages": [page for page in pages if page is not None],
    }
    # A site without prerendered query results (not an Evidence build) has nothing to identify pages by.
    found = _run_script(request) if (build_dir / "api" / "prerendered_queries").is_dir() else {}
    look = look_digest(root)
    for report in plan.reports:
        shown = found.get(report.page)
        report.identity = hashlib.sha256(f"{look}\n{shown}".encode()).hexdigest() if shown else None


def _page(kind: str, path: str) -> dict[str, str] | None:
    if kind not in ROUTES:
        return None
    return {"path": path, "queries": query_folder(ROUTES[kind], path)}


def _run_script(request: dict[str, object]) -> dict[str, str | None]:
    try:
        done = subprocess.run(
            ["node", str(SCRIPT)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
            check=True,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or exc
        raise IdentityError(
            f"Sidornas innehållsidentitet kunde inte beräknas ({SCRIPT.name}): {detail}"
        ) from exc
    return json.loads(done.stdout)


def reuse_unchanged(plan: Plan, previous: Path | None, staging: Path) -> set[str]:
    """Copy into `staging` each PDF whose identity equals the one in the `previous` outbox; their names."""
    if previous is None:
        return set()
    from orchestration.lib.report.outbox import read_manifest

    before = {report.file: report.identity for report in read_manifest(previous).reports}
    reused: set[str] = set()
    for report in plan.reports:
        source = previous / report.file
        if report.identity and before.get(report.file) == report.identity and source.is_file():
            shutil.copy2(source, staging / report.file)
            reused.add(report.file)
    return reused


def print_changed(
    plan: Plan,
    reports_dir: Path,
    previous: Path | None,
    staging: Path,
    progress: Progress | None = None,
    log: Callable[[str], None] = print,
) -> list[PrintedPage]:
    """Put every PDF of `plan` in `staging`: copied from `previous` when its page is unchanged, else printed
    from reports_dir/build. Sets each report's identity and plan.printed; returns the printed pages."""
    build = reports_dir / "build"
    identify(plan, reports_dir, build)
    reused = reuse_unchanged(plan, previous, staging)
    jobs = [
        PrintJob(r.page, staging / r.file, f"Uppsikt – {r.kind}: {r.name}")
        for r in plan.reports
        if r.file not in reused
    ]
    plan.printed = [job.target.name for job in jobs]
    # The first report has no earlier outbox to take unchanged PDFs from.
    kept = f"; {len(reused)} oförändrade tas från {previous}" if previous is not None else ""
    log(f"Skriver ut {len(jobs)} PDF:er från {build}{kept}")
    if not jobs:
        return []
    return print_site(build, jobs, report_date=date.fromisoformat(plan.day), progress=progress)
