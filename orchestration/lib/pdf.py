"""Print pages of a built static site to PDF with headless Chromium, served from 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import functools
import io
import os
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from orchestration.lib.page_ready import prepare, wait_until_ready

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FOOTER = (
    '<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;'
    'font-family:sans-serif;color:#444"><span class="title"></span>'
    '<span>Sida <span class="pageNumber"></span> av <span class="totalPages"></span></span></div>'
)
PDF_OPTIONS: dict[str, Any] = {
    "format": "A4",
    "print_background": True,
    "display_header_footer": True,
    "header_template": "<span></span>",
    "footer_template": FOOTER,
    "margin": {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
}
# While one page waits for its data or for its quiet spell, another can use the CPU. On 2 cores with the
# demo site (benchmarks/bench_pdf.py) 2 pages at once took ~100 s, 3 ~95 s and 4 no less, against ~150 s
# for one at a time: the pages' own work (duckdb-wasm in each) then fills both cores.
DEFAULT_WORKERS = 3


class PdfError(RuntimeError):
    """A page could not be printed; the message names the page."""


@dataclass(frozen=True)
class PrintJob:
    """One site path (e.g. /samverkan/abc/) printed to one PDF file."""

    path: str
    target: Path


@dataclass
class PrintedPage:
    path: str
    target: Path
    pages: int
    console_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)


class _StaticHandler(SimpleHTTPRequestHandler):
    # Python 3.11 knows no .wasm type; browsers refuse streaming compilation without it.
    extensions_map = {  # noqa: RUF012 (the base class declares it as a plain dict)
        **SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".parquet": "application/octet-stream",
        ".arrow": "application/vnd.apache.arrow.stream",
    }

    def translate_path(self, path: str) -> str:
        # Static site builders write either /page/index.html or /page.html; serve both.
        local = super().translate_path(path)
        if not os.path.exists(local) and os.path.exists(local.rstrip("/") + ".html"):
            return local.rstrip("/") + ".html"
        return local

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        # A folder without index.html is a page the build did not make, not a listing to print.
        self.send_error(404, "Sidan finns inte")
        return None

    def log_message(self, format: str, *args: Any) -> None:
        return


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        # The site's scripts abort data requests they no longer need; a dropped connection is normal.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


@contextmanager
def serve_static(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 at an ephemeral port; yields the base URL."""
    if not (root / "index.html").is_file():
        raise PdfError(f"Ingen byggd webbplats i {root} (index.html saknas)")
    handler = functools.partial(_StaticHandler, directory=str(root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="static-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def chromium_path() -> str:
    """The Chromium binary: UPPSIKT_CHROMIUM if set, else the system's."""
    from orchestration.lib.settings import load_settings

    path = str(load_settings().chromium)
    if not Path(path).is_file():
        raise PdfError(f"Chromium saknas: {path} (installera chromium eller sätt UPPSIKT_CHROMIUM)")
    return path


def pdf_workers() -> int:
    """How many pages print at once: UPPSIKT_PDF_WORKERS, else DEFAULT_WORKERS."""
    from orchestration.lib.settings import load_settings

    return load_settings().pdf_workers


def print_site(
    build_dir: Path, jobs: Sequence[PrintJob], *, timeout_s: float = 90, workers: int | None = None
) -> list[PrintedPage]:
    """Serve `build_dir` locally and print every job's page to its target PDF, `workers` pages at a time.

    Results come in job order. When a page fails, the PdfError names it, the pages still printing are
    stopped, and every target is either a whole PDF or absent.
    """
    count = pdf_workers() if workers is None else workers
    if count < 1:
        raise PdfError(f"Antal samtidiga utskrifter måste vara minst 1, inte {count}")
    with serve_static(build_dir) as base_url:
        return asyncio.run(_print_all(base_url, list(jobs), count, timeout_s))


async def _print_all(
    base_url: str, jobs: list[PrintJob], workers: int, timeout_s: float
) -> list[PrintedPage]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            # One context for all pages: they share the HTTP cache (duckdb-wasm, the site's scripts).
            context = await browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
            return await _pool(context, base_url, jobs, workers, timeout_s)
        finally:
            await browser.close()


async def _pool(
    context: Any, base_url: str, jobs: list[PrintJob], workers: int, timeout_s: float
) -> list[PrintedPage]:
    # Workers share one queue, so a slow page holds up only its own worker; results are put back
    # in job order by index.
    queue = iter(enumerate(jobs))
    results: dict[int, PrintedPage] = {}

    async def worker() -> None:
        for index, job in queue:
            try:
                results[index] = await _print_one(context, base_url, job, timeout_s)
            except PdfError:
                raise
            except Exception as exc:  # whatever went wrong, the run must say on which page
                raise PdfError(f"Sidan {job.path} kunde inte skrivas ut till {job.target}: {exc}") from exc

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


async def _print_one(context: Any, base_url: str, job: PrintJob, timeout_s: float) -> PrintedPage:
    from playwright.async_api import Error as PlaywrightError

    url = base_url + job.path
    printed = PrintedPage(job.path, job.target, 0)
    page = await context.new_page()
    try:
        page.on("console", lambda msg: _note_console(printed, msg))
        await page.route("**/*", lambda route: _local_only(route, base_url, printed))
        await _load(page, url, timeout_s)
        await page.emulate_media(media="print")
        data = await page.pdf(**PDF_OPTIONS)
    except PlaywrightError as exc:
        raise PdfError(f"Sidan {url} kunde inte skrivas ut: {exc.message}") from exc
    finally:
        # A page stopped because another failed may still have requests in the route handler.
        await page.unroute_all(behavior="ignoreErrors")
        await page.close()
    printed.pages = _write_pdf(job.target, data)
    return printed


async def _load(page: Any, url: str, timeout_s: float) -> None:
    from playwright.async_api import Error as PlaywrightError

    # Printing before the page has filled in would put half a report in the kommunstyrelse's papers.
    network = await prepare(page)
    try:
        response = await page.goto(url, wait_until="load", timeout=timeout_s * 1000)
        await wait_until_ready(page, network, timeout_s)
    except PlaywrightError as exc:
        raise PdfError(f"Sidan {url} kunde inte laddas för utskrift: {exc.message}") from exc
    except TimeoutError as exc:
        raise PdfError(f"Sidan {url} blev inte färdigladdad inom {timeout_s:g} s") from exc
    if response is None or response.status >= 400:
        status = response.status if response else "inget svar"
        raise PdfError(f"Sidan {url} finns inte i den byggda webbplatsen (HTTP {status})")


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


def _note_console(printed: PrintedPage, msg: Any) -> None:
    if msg.type == "error":
        printed.console_errors.append(msg.text)


async def _local_only(route: Any, base_url: str, printed: PrintedPage) -> None:
    # The report must stand on its own: nothing may be fetched from anywhere but the local server.
    url = route.request.url
    target = urlsplit(url)
    if target.scheme in {"data", "blob"} or url.startswith(base_url + "/"):
        await route.continue_()
        return
    printed.blocked_requests.append(url)
    await route.abort("blockedbyclient")


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
