"""Print pages of a built static site to PDF with headless Chromium, served from 127.0.0.1 only."""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
# Pages fill in client side (charts, in-browser queries); printing before the text settles
# would put "Laddar…" in the kommunstyrelse's papers.
SETTLE_SCRIPT = """async ([quietMs, pollMs]) => {
  await document.fonts.ready;
  let last = -1, stableFor = 0;
  while (stableFor < quietMs) {
    await new Promise(r => setTimeout(r, pollMs));
    const now = document.body ? document.body.innerText.length : 0;
    stableFor = now === last ? stableFor + pollMs : 0;
    last = now;
  }
  return true;
}"""
FOOTER = (
    '<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;'
    'font-family:sans-serif;color:#444"><span class="title"></span>'
    '<span>Sida <span class="pageNumber"></span> av <span class="totalPages"></span></span></div>'
)


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


@contextmanager
def serve_static(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 at an ephemeral port; yields the base URL."""
    if not (root / "index.html").is_file():
        raise PdfError(f"Ingen byggd webbplats i {root} (index.html saknas)")
    handler = functools.partial(_StaticHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
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
    path = os.environ.get("UPPSIKT_CHROMIUM") or DEFAULT_CHROMIUM
    if not Path(path).is_file():
        raise PdfError(f"Chromium saknas: {path} (installera chromium eller sätt UPPSIKT_CHROMIUM)")
    return path


def print_site(build_dir: Path, jobs: Sequence[PrintJob], *, timeout_s: float = 90) -> list[PrintedPage]:
    """Serve `build_dir` locally and print every job's page to its target PDF."""
    from playwright.sync_api import sync_playwright

    with serve_static(build_dir) as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm")
            return [_print_one(context, base_url, job, timeout_s) for job in jobs]
        finally:
            browser.close()


def _print_one(context: Any, base_url: str, job: PrintJob, timeout_s: float) -> PrintedPage:
    url = base_url + job.path
    printed = PrintedPage(job.path, job.target, 0)
    page = context.new_page()
    try:
        page.on("console", lambda msg: _note_console(printed, msg))
        page.route("**/*", lambda route: _local_only(route, base_url, printed))
        _load(page, url, timeout_s)
        job.target.parent.mkdir(parents=True, exist_ok=True)
        page.emulate_media(media="print")
        page.pdf(
            path=str(job.target),
            format="A4",
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=FOOTER,
            margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
        )
    finally:
        page.close()
    printed.pages = pdf_page_count(job.target)
    return printed


def _load(page: Any, url: str, timeout_s: float) -> None:
    from playwright.sync_api import Error as PlaywrightError

    try:
        response = page.goto(url, wait_until="networkidle", timeout=timeout_s * 1000)
        page.wait_for_function(SETTLE_SCRIPT, arg=[800, 200], timeout=timeout_s * 1000)
    except PlaywrightError as exc:
        raise PdfError(f"Sidan {url} kunde inte laddas för utskrift: {exc.message}") from exc
    if response is None or response.status >= 400:
        status = response.status if response else "inget svar"
        raise PdfError(f"Sidan {url} finns inte i den byggda webbplatsen (HTTP {status})")


def _note_console(printed: PrintedPage, msg: Any) -> None:
    if msg.type == "error":
        printed.console_errors.append(msg.text)


def _local_only(route: Any, base_url: str, printed: PrintedPage) -> None:
    # The report must stand on its own: nothing may be fetched from anywhere but the local server.
    url = route.request.url
    target = urlsplit(url)
    if target.scheme in {"data", "blob"} or url.startswith(base_url + "/"):
        route.continue_()
        return
    printed.blocked_requests.append(url)
    route.abort("blockedbyclient")


def pdf_page_count(path: Path) -> int:
    """Pages in a PDF; raises PdfError when the file is not a readable PDF."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        return len(PdfReader(str(path)).pages)
    except (PdfReadError, OSError, ValueError) as exc:
        raise PdfError(f"{path} är inte en läsbar PDF: {exc}") from exc
