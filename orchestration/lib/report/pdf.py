"""Print pages of a built static site to PDF with headless Chromium, served from 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import io
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from orchestration.lib.report.print_tab import Tab, TabError
from orchestration.lib.report.static_site import serve_static

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Where a request that is not for the report's own server goes: a proxy that is not there, so that it
# fails in the browser and never leaves the machine (the tab records it, print_tab.py).
NOWHERE_PROXY = "http://127.0.0.1:9"
# Chromium fills the spans of these classes in: title (document.title), pageNumber and totalPages.
HEADER = (
    '<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;'
    'font-family:sans-serif;color:#444"><span class="title"></span><span>Rapportdatum {date}</span></div>'
)
FOOTER = (
    '<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;'
    'font-family:sans-serif;color:#444"><span>uppsikt – uppföljning av mellankommunal samverkan</span>'
    '<span>Sida <span class="pageNumber"></span> av <span class="totalPages"></span></span></div>'
)
PDF_OPTIONS: dict[str, Any] = {
    "format": "A4",
    "print_background": True,
    "display_header_footer": True,
    "margin": {"top": "16mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
}
# A page whose tables are too wide for A4 portrait carries this class (on any element); it prints landscape.
LANDSCAPE_CLASS = "print-landscape"
# The title a page gets when neither the job nor the page names it (Evidence's default is "Evidence").
UNTITLED = {"", "Evidence"}
TITLE_SCRIPT = """([given, untitled]) => {
  const heading = document.querySelector("article h1, h1");
  const own = untitled.includes(document.title.trim()) ? "" : document.title.trim();
  const title = given || own || (heading ? heading.innerText.trim() : "") || "Uppsiktsrapport";
  document.title = title;
  return title;
}"""
LANDSCAPE_SCRIPT = f"() => document.querySelector('.{LANDSCAPE_CLASS}') !== null"
# A tab's first page costs about 2 s of CPU (the site's scripts compiled and started), each page after it
# about 0.7 s and a quiet spell (page_ready.py) in which the tab waits: more tabs than cores keep the cores
# busy through those spells, and a tab more pays for its first page once it prints about three. A run after
# a change to one cooperation prints a handful of PDFs: its 14 (13 members) took 12.5 s and 20 s of CPU
# with 8 tabs, 10.8 s and 15.7 s with 5; its 5 pages 7.5 s with 5 tabs or 3 (12.2 and 9.9 s of CPU),
# 8.3 s with 2 (demo site, 2 cores, alternating runs).
PAGES_PER_TAB = 3
MIN_TABS = 3
Progress = Callable[[int, int, str], None]


class PdfError(RuntimeError):
    """A page could not be printed; the message names the page."""


@dataclass(frozen=True)
class PrintJob:
    """One site path (e.g. /samverkan/abc/) printed to one PDF file, titled `title` (else the page's h1)."""

    path: str
    target: Path
    title: str = ""


@dataclass
class PrintedPage:
    path: str
    target: Path
    pages: int
    title: str = ""
    landscape: bool = False
    console_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    navigated: bool = False  # reached by client-side navigation (print_tab.py)


def chromium_path() -> str:
    """The Chromium binary: UPPSIKT_CHROMIUM if set, else the system's; once `make run` has installed it
    (it may still be installing it beside the pipeline)."""
    from orchestration.lib.ops.settings import load_settings
    from orchestration.lib.ops.system_packages import install_hint, wait_for_system_packages

    path = str(load_settings().chromium)
    # Fonts come with Chromium: even a Chromium already unpacked waits for the whole installation.
    wait_for_system_packages()
    if not Path(path).is_file():
        raise PdfError(
            f"Chromium saknas: {path} (installera chromium eller sätt UPPSIKT_CHROMIUM{install_hint()})"
        )
    return path


def offline_args(server: str) -> list[str]:
    """Chromium flags that send every request for anywhere but `server` (a base URL, its port optional:
    without one, any port of its host) to NOWHERE_PROXY. `<-loopback>` takes back Chromium's own rule that
    the loopback (localhost, 127.0.0.2, other ports ...) never goes through a proxy. Blocking in the
    browser, not by routing each request through Playwright: routing turns the HTTP cache off, so every
    tab fetched the site's scripts again, and each request waited for a round trip to Python."""
    return [f"--proxy-server={NOWHERE_PROXY}", f"--proxy-bypass-list=<-loopback>;{urlsplit(server).netloc}"]


def pdf_workers(pages: int) -> int:
    """How many of `pages` print at once: a tab per PAGES_PER_TAB pages, but at least one more than the
    machine has cores (and MIN_TABS), and at most UPPSIKT_PDF_WORKERS (settings.DEFAULT_PDF_WORKERS)."""
    from orchestration.lib.ops.settings import load_settings

    least = max(MIN_TABS, (os.cpu_count() or 1) + 1)
    return min(load_settings().pdf_workers, max(least, math.ceil(pages / PAGES_PER_TAB)))


def print_site(
    build_dir: Path,
    jobs: Sequence[PrintJob],
    *,
    timeout_s: float = 90,
    workers: int | None = None,
    report_date: date | None = None,
    progress: Progress | None = None,
) -> list[PrintedPage]:
    """Serve `build_dir` locally and print every job's page to its target PDF, `workers` pages at a time
    (by default as many as pdf_workers gives for the jobs).

    Each page is A4 with a Swedish header (title, report date, default today) and footer ("Sida X av Y").
    `progress(printed, total, path)` is called after each page. Results come in job order. When a page
    fails, the PdfError names it, the pages still printing are stopped, and every target is either a whole
    PDF or absent.
    """
    count = pdf_workers(len(jobs)) if workers is None else workers
    if count < 1:
        raise PdfError(f"Antal samtidiga utskrifter måste vara minst 1, inte {count}")
    if not (build_dir / "index.html").is_file():
        raise PdfError(f"Ingen byggd webbplats i {build_dir} (index.html saknas)")
    day = (report_date or date.today()).isoformat()
    with serve_static(build_dir) as base_url:
        header = HEADER.format(date=escape(day))
        options = {**PDF_OPTIONS, "header_template": header, "footer_template": FOOTER}
        batch = _Batch(base_url, build_dir, timeout_s, options)
        batch.progress, batch.total = progress, len(jobs)
        return asyncio.run(_print_all(batch, list(jobs), count))


@dataclass
class _Batch:
    """What every page of one print_site call shares, and how far it has come."""

    base_url: str
    build_dir: Path
    timeout_s: float
    options: dict[str, Any]
    progress: Progress | None = None
    total: int = 0
    done: int = 0

    def printed(self, path: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, path)


async def _print_all(batch: _Batch, jobs: list[PrintJob], workers: int) -> list[PrintedPage]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        args = [*CHROMIUM_ARGS, *offline_args(batch.base_url)]
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=args)
        try:
            # One browser and one context for all pages: they share the HTTP cache (duckdb-wasm, the
            # site's scripts), so the other tabs take them from it instead of fetching them again.
            context = await browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
            return await _pool(context, batch, jobs, workers)
        finally:
            await browser.close()


async def _pool(context: Any, batch: _Batch, jobs: list[PrintJob], workers: int) -> list[PrintedPage]:
    # Workers share one queue, so a slow page holds up only its own worker; results are put back
    # in job order by index.
    queue = iter(enumerate(jobs))
    results: dict[int, PrintedPage] = {}

    async def worker() -> None:
        # One tab per worker, page after page (orchestration/lib/report/print_tab.py).
        tab = Tab(context, batch.base_url, batch.build_dir)
        try:
            for index, job in queue:
                try:
                    results[index] = await _print_one(tab, batch, job)
                except PdfError:
                    raise
                except Exception as exc:  # whatever went wrong, the run must say on which page
                    message = f"Sidan {job.path} kunde inte skrivas ut till {job.target}: {exc}"
                    raise PdfError(message) from exc
                batch.printed(job.path)
        finally:
            await tab.close()

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(workers, len(jobs))):
                group.create_task(worker())
    except BaseExceptionGroup as failed:
        # The group has already cancelled the other pages; the caller wants the page that failed,
        # with the browser's error as its cause, as if it had been printed alone.
        first = failed.exceptions[0]
        raise first from first.__cause__
    return [results[index] for index in range(len(jobs))]


async def _print_one(tab: Tab, batch: _Batch, job: PrintJob) -> PrintedPage:
    from playwright.async_api import Error as PlaywrightError

    url = batch.base_url + job.path
    try:
        await tab.show(job.path, batch.timeout_s)
        await tab.page.emulate_media(media="print")
        title = await tab.page.evaluate(TITLE_SCRIPT, [job.title, sorted(UNTITLED)])
        landscape = await tab.page.evaluate(LANDSCAPE_SCRIPT)
        data = await tab.page.pdf(**batch.options, landscape=landscape)
    except TabError as exc:
        raise PdfError(str(exc)) from exc.__cause__
    except PlaywrightError as exc:
        raise PdfError(f"Sidan {url} kunde inte skrivas ut: {exc.message}") from exc
    printed = PrintedPage(job.path, job.target, 0, title, landscape)
    printed.console_errors, printed.blocked_requests = tab.console_errors, tab.blocked_requests
    printed.navigated = tab.navigated
    printed.pages = _write_pdf(job.target, data)
    return printed


def _write_pdf(target: Path, data: bytes) -> int:
    # Checked, then written under a temporary name and renamed, with no await in between: a page
    # stopped because another failed leaves either a whole PDF or nothing.
    pages = _count_pages(io.BytesIO(data), target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    try:
        partial.write_bytes(data)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return pages


def pdf_page_count(path: Path) -> int:
    """Pages in a PDF; raises PdfError when the file is not a readable PDF."""
    return _count_pages(path, path)


def _count_pages(source: Path | io.BytesIO, name: Path) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return len(PdfReader(source).pages)
    except (PdfReadError, OSError, ValueError) as exc:
        raise PdfError(f"{name} är inte en läsbar PDF: {exc}") from exc
