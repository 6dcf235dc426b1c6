"""Opening pages of the built site in real headless Chromium, with no request allowed off 127.0.0.1."""

from __future__ import annotations

import time
import weakref
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from orchestration.lib.report import page_reuse
from orchestration.lib.report.page_ready import LOADING_TEXT, POLL_S, STATE, TRACKER, Network, Quiet
from orchestration.lib.report.pdf import offline_args
from orchestration.lib.report.print_tab import off_server

NBSP = "\u00a0"
READY_TIMEOUT_MS = 60_000
# Pages loading at once in open_pages: their loads and quiet spells overlap. The walk over the fixture
# site's 29 pages took 133 s with 3 against 181 s one at a time (load 6-10 on 2 cores).
AT_ONCE = 3
# Tabs kept per browser and used again, the one used longest ago first: a page loaded in a tab that has
# shown another costs a quarter of the CPU of one loaded in a new tab (0.7 against 2.8 s of the machine's
# CPU per kommun page of the fixture site, one at a time; the report modules that open pages: 265 against
# 290 s, measured). One more than AT_ONCE, so that the walk's pages never take the tab of the page being
# checked.
TABS = AT_ONCE + 1
VIEWPORT = {"width": 1400, "height": 1000}
# Each tab's requests in flight, for the readiness rule the PDF printing uses (page_ready.Quiet).
_NETWORK: weakref.WeakKeyDictionary[object, Network] = weakref.WeakKeyDictionary()
_CONTEXTS: weakref.WeakKeyDictionary[object, object] = weakref.WeakKeyDictionary()
# Per browser, its tabs, the one used longest ago first; per tab, the visit it shows.
_TABS: weakref.WeakKeyDictionary[object, list[object]] = weakref.WeakKeyDictionary()
_SHOWING: weakref.WeakKeyDictionary[object, Visit] = weakref.WeakKeyDictionary()
# The pages shown_page loaded, per browser (one per test module) and path.
_SHOWN: weakref.WeakKeyDictionary[object, dict[str, Visit]] = weakref.WeakKeyDictionary()
# The printing's rule (pdf.offline_args) for any port of 127.0.0.1, where the tests serve their sites:
# every request for another host is sent nowhere; open_page records them as offhost.
OFFLINE_ARGS = offline_args("http://127.0.0.1")


class StaleVisit(RuntimeError):
    """A visit whose tab has since been used for another page."""


@dataclass(eq=False)
class Visit:
    tab: object
    site_url: str
    errors: list[str] = field(default_factory=list)
    offhost: list[str] = field(default_factory=list)  # requests for another host (not sent: OFFLINE_ARGS)
    requests: list[str] = field(default_factory=list)  # every request the page and its workers made

    @property
    def showing(self) -> bool:
        """Whether its tab is open and still shows this visit's page."""
        return not self.tab.is_closed() and _SHOWING.get(self.tab) is self

    @property
    def page(self) -> object:
        """The tab showing this visit's page; StaleVisit once the tab has been used for another page
        (TABS other pages opened since)."""
        if not self.showing:
            raise StaleVisit(f"the tab has since shown another page: {self.tab.url}")
        return self.tab


def open_page(browser, site_url: str, path: str) -> Visit:
    """Load a page, recording console errors and every request that would leave 127.0.0.1 (blocked)."""
    return _settled(_start(browser, site_url, path))


def shown_page(browser, site_url: str, path: str) -> Visit:
    """open_page, once per browser and path, for the tests that only read the page. They share it (a page
    load is 0.7-3 s of CPU): a test that clicks, types, resizes, scrolls, restyles or prints a page, or
    closes it, opens its own with open_page."""
    shown = _SHOWN.setdefault(browser, {})
    if path not in shown or not shown[path].showing:
        shown[path] = open_page(browser, site_url, path)
    _used(browser, shown[path].tab)
    return shown[path]


def _used(browser, tab) -> None:
    # Used now: the last of the browser's tabs to be taken for another page.
    tabs = _TABS[browser]
    tabs.remove(tab)
    tabs.append(tab)


def open_pages(browser, site_url: str, paths: Iterable[str], at_once: int = AT_ONCE) -> Iterator[Visit]:
    """open_page for each of `paths`, in order, with up to `at_once` of them loading side by side: the
    browser fills in the next pages while this one is waited for and used. Each visit is used before the
    next is asked for: its tab is taken for a later page."""
    loading: deque[Visit] = deque()
    for path in paths:
        loading.append(_start(browser, site_url, path))
        if len(loading) >= at_once:
            yield _settled(loading.popleft())
    while loading:
        yield _settled(loading.popleft())


def _start(browser, site_url: str, path: str) -> Visit:
    tab = _tab(browser)
    visit = Visit(tab, site_url)
    _SHOWING[tab] = visit
    # Only the navigation's start: the loading and settling are waited for in _settled.
    tab.goto(site_url + path, wait_until="commit")
    return visit


def _tab(browser) -> object:
    """A tab for the next page: a new one while there are fewer than TABS, else the one used longest ago,
    as the context left it (its window size and media; a navigation resets the rest)."""
    tabs = _TABS.setdefault(browser, [])
    tabs[:] = [tab for tab in tabs if not tab.is_closed()]
    if len(tabs) < TABS:
        tab = _context(browser).new_page()
        tab.on("console", lambda m: _SHOWING[tab].errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: _SHOWING[tab].errors.append(str(e)))
        tab.on("request", lambda r: _record(_SHOWING[tab], r.url))
        tab.add_init_script(script=TRACKER)
        _NETWORK[tab] = Network(tab)
    else:
        tab = tabs.pop(0)
        # Left first, so that whatever its last page does as it goes is that page's (about 0.2 s of CPU).
        tab.goto("about:blank")
        if tab.viewport_size != VIEWPORT:
            tab.set_viewport_size(VIEWPORT)
        tab.emulate_media(media="null")
    tabs.append(tab)
    return tab


def _context(browser) -> object:
    """The browser's one context for the pages opened here: they share its HTTP cache, so the site's
    scripts and duckdb-wasm are fetched and compiled once, not once per page (Chromium's CPU per page
    1.4 s against 2.4 s with a context per page, measured on the fixture site). The blocking of other
    hosts is the browser's (OFFLINE_ARGS), since routing requests would turn the cache off."""
    if browser not in _CONTEXTS:
        _CONTEXTS[browser] = browser.new_context(viewport=VIEWPORT)
    return _CONTEXTS[browser]


def _record(visit: Visit, url: str) -> None:
    visit.requests.append(url)
    if off_server(url, visit.site_url):
        visit.offhost.append(url)


def _settled(visit: Visit) -> Visit:
    wait_until_ready(visit.page)
    return visit


def wait_until_ready(page) -> None:
    """Wait until the page has filled in and settled as the PDF printing judges it (page_ready.Quiet: no
    request in flight, no query waiting for the in-browser database, no loading placeholder, the text
    unchanged for QUIET_S); after a click, call again. `page` is one open_page or open_pages opened: its
    requests are counted from its first."""
    quiet, deadline = Quiet(_NETWORK[page], time.monotonic), time.monotonic() + READY_TIMEOUT_MS / 1000
    while not quiet.settled(*page.evaluate(STATE, LOADING_TEXT)):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{page.url} blev inte klar på {READY_TIMEOUT_MS / 1000:.0f} s")
        page.wait_for_timeout(POLL_S * 1000)  # lets Playwright deliver the page's request events


# A reader scrolling down the page: each screen chart is brought into view in turn (a chart is drawn when it
# comes near the view, the core-components patch in reports/patches/README.md), then the view goes back to the
# top, at once (the site scrolls smoothly, which would leave the view short of each chart). Returns how many
# screen charts the page has.
SCROLL_PAST_EVERY_CHART = """async () => {
  const charts = [...document.querySelectorAll('article .chart-container > .chart')];
  for (const chart of charts) {
    chart.scrollIntoView({block: 'center', behavior: 'instant'});
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }
  window.scrollTo({top: 0, behavior: 'instant'});
  return charts.length;
}"""
# The charts ECharts has drawn on screen: Evidence's registry of chart instances (an object by element id).
CHART_INSTANCES = "(window[Symbol.for('__evidence-chart-window-debug__')] || {})"
DRAWN_CHARTS = f"() => Object.keys({CHART_INSTANCES}).length"
# Every word of the page's tables drawn on two lines or more: a piece of text up to a space or just past a
# hyphen, dash or slash (where a line may break), of at most 30 characters (an id or address may break).
BROKEN_WORDS_JS = r"""() => [...document.querySelectorAll('article th, article td')].flatMap((cell) => {
  const broken = [];
  const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
  for (let node = walk.nextNode(); node; node = walk.nextNode()) {
    for (const m of node.data.matchAll(/[^\s\-\u2013\/]+[\-\u2013\/]?/g)) {
      if (m[0].length > 30) continue;
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top));
      const lines = new Set(tops);
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return broken;
})"""


def draw_every_chart(page) -> int:
    """Scroll past every screen chart of `page`, as a reader does, and wait until each is drawn and the page
    has settled again; returns how many there are."""
    # In front, as the tab a reader scrolls is: a tab behind others gets its frames (and so its charts'
    # turns to be drawn) about once a second (56 against 7 s for two cooperation pages, measured).
    page.bring_to_front()
    charts = page.evaluate(SCROLL_PAST_EVERY_CHART)
    page.wait_for_function(f"() => ({DRAWN_CHARTS})() >= {charts}", timeout=READY_TIMEOUT_MS)
    wait_until_ready(page)
    return charts


def article_text(page) -> str:
    """The page's own content (not Evidence's frame), with no-break spaces as plain ones."""
    return page.inner_text("article").replace(NBSP, " ")


def site_paths(build: Path) -> list[str]:
    """Every page of a built site, as the path a browser asks for (/, /samverkan/<id>, ...)."""
    return sorted("/" + str(p.parent.relative_to(build)).replace(".", "") for p in build.rglob("index.html"))


def pages_without_query_list(build: Path) -> list[str]:
    """The pages of a parameterised route (/kommun/<id>, ...) in the built site `build` that have no
    prerendered query list (api/<page_reuse.query_folder>/all-queries.json, as Evidence's +layout.js asks
    for it): the browser gets a 404 and runs the page's queries itself. A page whose route cannot be read
    from it is listed too."""
    missing = []
    for html in sorted(build.rglob("index.html")):
        path = "/" + "/".join(html.parent.relative_to(build).parts)
        found = page_reuse.ROUTE.search(html.read_text(encoding="utf-8"))
        if found is None:
            missing.append(path)
        elif "[" in found.group(1):
            folder = page_reuse.query_folder(found.group(1), path)
            if not (build / "api" / folder / "all-queries.json").is_file():
                missing.append(path)
    return missing


# A saved PNG drawn onto a canvas in the browser; `body` reads its RGBA bytes in `pixels`.
def _on_picture_pixels(body: str) -> str:
    return (
        """async (url) => {
  const image = new Image();
  image.src = url;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
"""
        + body
        + "\n}"
    )


# The share of pixels that are not the background (the top-left pixel) and how many distinct colours
# the picture has (a blank or one-colour image has one).
PICTURE_JS = _on_picture_pixels("""  const colours = new Set();
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const colour = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
    if (colour !== ((pixels[0] << 16) | (pixels[1] << 8) | pixels[2])) ink += 1;
    if (colours.size < 1000) colours.add(colour);
  }
  return [ink / (pixels.length / 4), colours.size];""")
# The share of pixels in the effect charts' band shade: the control's #1f4e8c at 20 % over white paper.
BAND_SHADE_JS = _on_picture_pixels("""  let shaded = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    const near = (k, v) => Math.abs(pixels[i + k] - v) <= 8;
    if (near(0, 210) && near(1, 220) && near(2, 232)) shaded += 1;
  }
  return shaded / (pixels.length / 4);""")


def _data_url(path: Path) -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def picture_content(page, path: Path) -> tuple[float, int]:
    """(share of non-background pixels, distinct colours) of a saved PNG, measured in `page`."""
    ink, colours = page.evaluate(PICTURE_JS, _data_url(path))
    return float(ink), int(colours)


def band_shade(page, path: Path) -> float:
    """The share of a saved PNG's pixels in the effect charts' band shade, measured in `page`."""
    return float(page.evaluate(BAND_SHADE_JS, _data_url(path)))
