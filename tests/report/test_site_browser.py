"""The built site in real headless Chromium, served from 127.0.0.1 with no outside network."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from orchestration.lib.warehouse import connect

from .conftest import BuiltSite
from .warehouse_fixture import DEMO_BANNER

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
NBSP = "\u00a0"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(built_site: BuiltSite) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site.index.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"Chromium saknas: {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@dataclass
class Visit:
    page: object
    errors: list[str] = field(default_factory=list)
    offhost: list[str] = field(default_factory=list)


def _open(browser, site_url: str, path: str) -> Visit:
    """Load a page, recording console errors and every request that would leave 127.0.0.1 (blocked)."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    visit = Visit(page)
    page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: visit.errors.append(str(e)))

    def route(r) -> None:
        if r.request.url.startswith(site_url + "/") or r.request.url.startswith("data:"):
            r.continue_()
        else:
            visit.offhost.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(site_url + path, wait_until="networkidle")
    page.wait_for_timeout(500)
    return visit


def _text(page) -> str:
    return page.inner_text("article").replace(NBSP, " ")


def _swedish(value: float, digits: int, signed: bool = False) -> str:
    text = f"{value:,.{digits}f}".replace(",", " ").replace(".", ",").replace("-", "\u2212")
    return ("+" if signed and value > 0 else "") + text


def _pages(built_site: BuiltSite) -> list[str]:
    build = built_site.index.parent
    return sorted("/" + str(p.parent.relative_to(build)).replace(".", "") for p in build.rglob("index.html"))


def test_every_page_renders_without_errors_or_outside_requests(browser, site_url, built_site) -> None:
    paths = _pages(built_site)
    assert len(paths) >= 1 + 4 + 11 + 4, paths  # översikt, cooperations, member kommuner, report pages
    problems = {}
    for path in paths:
        visit = _open(browser, site_url, path.rstrip("/") + "/")
        text = _text(visit.page)
        if visit.errors or visit.offhost or DEMO_BANNER not in text:
            problems[path] = (visit.errors, visit.offhost, DEMO_BANNER in text)
        visit.page.close()
    assert problems == {}


def test_key_numbers_equal_the_warehouse(browser, site_url, built_site) -> None:
    with connect(built_site.warehouse, read_only=True) as con:
        paid, expected = con.execute(
            "select paid_tkr, expected_tkr from marts.fct_member_costs "
            "where municipality_id = '1461' and year = 2024"
        ).fetchone()
        effect, low, high = con.execute(
            "select effect, ci_low, ci_high from marts.fct_agreement_effects where agreement_id = "
            "'hoglandets_overformyndarnamnd' and municipality_id = 'total' and kpi_id = 'U37009' "
            "and method = 'synthetic_control'"
        ).fetchone()
    kommun = _open(browser, site_url, "/kommun/1461/")
    costs = kommun.page.locator("tr", has_text="2024").filter(has_text="Värdkommun")
    row = costs.first.inner_text().replace(NBSP, " ")
    assert _swedish(paid, 0) in row and _swedish(expected, 0) in row
    cooperation = _open(browser, site_url, "/samverkan/hoglandets_overformyndarnamnd/")
    total = cooperation.page.locator("table.effects tr", has_text="Samverkan som helhet").first
    total_text = total.inner_text().replace(NBSP, " ")
    assert _swedish(effect, 1, signed=True) in total_text
    assert f"{_swedish(low, 1)} till {_swedish(high, 1)}" in total_text


def test_cooperation_name_with_markup_shows_as_text(browser, site_url) -> None:
    visit = _open(browser, site_url, "/")
    assert visit.page.get_by_text("Räddningsförbundet <b>x</b>").first.is_visible()
    assert visit.page.locator("table.overview b").count() == 0
    page = _open(browser, site_url, "/samverkan/test_markup_forbund/").page
    assert page.locator("h1", has_text="Räddningsförbundet <b>x</b>").count() == 1


def test_kommun_filter_requeries_in_the_browser(browser, site_url) -> None:
    visit = _open(browser, site_url, "/")
    rows = visit.page.locator("table.overview tbody tr")
    assert rows.count() == 4
    visit.page.get_by_role("combobox", name="Våra samverkansavtal").click()
    visit.page.keyboard.type("Mellerud")  # the list shows the first few; search narrows it
    visit.page.get_by_role("option", name="Mellerud", exact=True).click()
    visit.page.wait_for_function(
        "document.querySelectorAll('table.overview tbody tr').length === 1", timeout=20_000
    )
    assert "Dalslands miljö- och energiförbund" in rows.first.inner_text()
    assert visit.errors == [] and visit.offhost == []


def test_screenshots_of_overview_and_a_cooperation(browser, site_url) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for path, name in [("/", "oversikt.png"), ("/samverkan/hoglandets_overformyndarnamnd/", "samverkan.png")]:
        visit = _open(browser, site_url, path)
        visit.page.wait_for_timeout(1500)  # charts draw after the data has loaded
        visit.page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        assert (ARTIFACTS / name).stat().st_size > 10_000
