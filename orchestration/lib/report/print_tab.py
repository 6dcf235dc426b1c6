"""One browser tab that shows report page after report page for printing.

The first page a tab shows is loaded from the server. On an Evidence (SvelteKit) site each following page
is reached by the site's own client-side navigation, as a reader's click on a link would: the site's
scripts are then loaded and started once per tab instead of once per page (and duckdb-wasm, should a page
run a query in the browser), which is most of a page's printing time. The page itself is rendered by the
same components from the same prerendered query results, so what is printed is the same. A page the build
does not hold, a site that is not a SvelteKit app, or a navigation that goes wrong is loaded from the
server instead, as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from orchestration.lib.report.page_ready import Network, prepare, wait_until_ready

# SvelteKit leaves a global named __sveltekit_<version> in every page it starts.
IS_SVELTEKIT = "() => Object.keys(window).some((name) => name.startsWith('__sveltekit_'))"
# A click on a link within the site: SvelteKit's router takes it over, as it does a reader's click. The
# title is emptied first, so a page that sets none cannot keep the previous page's.
NAVIGATE = """(path) => {
  document.title = "";
  const link = document.createElement("a");
  link.href = path;
  document.body.appendChild(link);
  link.click();
  link.remove();
}"""
ARRIVED = "(path) => window.location.pathname === path"
# Set before the site's scripts: the charts are drawn for paper from the start, once, and never for the
# screen (the patched Evidence ECharts components, reports/patches/README.md). Unset, each chart was
# drawn on screen, then twice more (portrait and landscape) while printing: most of a page's CPU time.
PRINT_ONLY = "window.__uppsiktPrintOnly = true;"


class TabError(RuntimeError):
    """A page could not be shown; the message names it, in Swedish."""


class Tab:
    """A browser tab and what it has noted (console errors, blocked requests) for the page it shows."""

    def __init__(self, context: Any, base_url: str, build_dir: Path) -> None:
        self.context, self.base_url, self.build_dir = context, base_url, build_dir
        self.page: Any = None
        self.network: Network | None = None
        self.app = False  # the page shown is a started SvelteKit app: the next can be navigated to
        self.console_errors: list[str] = []
        self.blocked_requests: list[str] = []
        self.navigated = False  # the page shown was reached by client-side navigation

    async def show(self, path: str, timeout_s: float) -> None:
        """Show `path` filled in and ready to print, in screen media, as a fresh load would."""
        self.console_errors, self.blocked_requests, self.navigated = [], [], False
        if self.page is not None and self.app and self._built(path):
            try:
                await self._navigate(path, timeout_s)
                self.navigated = True
                return
            except Exception:  # whatever went wrong, a fresh load decides
                self.console_errors, self.blocked_requests = [], []
                await self.close()
        await self._load(path, timeout_s)

    async def close(self) -> None:
        if self.page is not None:
            await self.page.close()
        self.page, self.network, self.app = None, None, False

    def _built(self, path: str) -> bool:
        # A page that is not in the build must fail as on the server (HTTP 404), not be rendered by the
        # router from the page pattern it matches.
        return (self.build_dir / path.strip("/") / "index.html").is_file()

    async def _open(self) -> None:
        self.page = await self.context.new_page()
        self.page.on("console", self._note_console)
        self.page.on("request", self._note_request)
        await self.page.add_init_script(script=PRINT_ONLY)
        # Printing before the page has filled in would put half a report in the kommunstyrelse's papers.
        self.network = await prepare(self.page)

    async def _load(self, path: str, timeout_s: float) -> None:
        from playwright.async_api import Error as PlaywrightError

        url = self.base_url + path
        if self.page is None:
            await self._open()
        try:
            await self.page.emulate_media(media="screen")
            response = await self.page.goto(url, wait_until="load", timeout=timeout_s * 1000)
            await wait_until_ready(self.page, self.network, timeout_s)
        except PlaywrightError as exc:
            raise TabError(f"Sidan {url} kunde inte laddas för utskrift: {exc.message}") from exc
        except TimeoutError as exc:
            raise TabError(f"Sidan {url} blev inte färdigladdad inom {timeout_s:g} s") from exc
        if response is None or response.status >= 400:
            status = response.status if response else "inget svar"
            raise TabError(f"Sidan {url} finns inte i den byggda webbplatsen (HTTP {status})")
        self.app = await self.page.evaluate(IS_SVELTEKIT)

    async def _navigate(self, path: str, timeout_s: float) -> None:
        await self.page.emulate_media(media="screen")
        await self.page.evaluate(NAVIGATE, path)
        await self.page.wait_for_function(ARRIVED, arg=path, timeout=timeout_s * 1000)
        await wait_until_ready(self.page, self.network, timeout_s)

    def _note_console(self, msg: Any) -> None:
        if msg.type == "error":
            self.console_errors.append(msg.text)

    def _note_request(self, request: Any) -> None:
        # The report must stand on its own: the browser sends nothing but requests for the local server
        # anywhere (pdf.offline_args); what else a page asked for is named in the run's log.
        if off_server(request.url, self.base_url):
            self.blocked_requests.append(request.url)


def off_server(url: str, base_url: str) -> bool:
    """Whether a page's request is for anything but the site served at `base_url` (data: and blob: URLs
    are the page's own)."""
    return not (urlsplit(url).scheme in {"data", "blob"} or url.startswith(base_url + "/"))
