"""Printing many report pages in one tab: the pages after the first are reached by the site's own
client-side navigation (the site's scripts and duckdb-wasm start once per tab), and each PDF is the same as
the page printed alone."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from orchestration.lib.report.pdf import PdfError, PrintedPage, PrintJob, print_site
from tests.report.browser import SCROLL_PAST_EVERY_CHART

PAGES = ("/kommun/0604/", "/samverkan/hoglandets_overformyndarnamnd/", "/kommun/0682/")


def _in_thread(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    # print_site runs its own event loop; Playwright's sync API may hold one in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call, *args, **kwargs).result()


def _printed(site: Path, paths: tuple[str, ...], folder: Path, workers: int = 1) -> list[PrintedPage]:
    jobs = [PrintJob(path, folder / f"{path.strip('/').replace('/', '-')}.pdf") for path in paths]
    return _in_thread(print_site, site, jobs, workers=workers)


def _what(page: PrintedPage) -> tuple[str, str, bool, int]:
    text = "\n".join(part.extract_text() for part in PdfReader(page.target).pages)
    return text, page.title, page.landscape, page.pages


def test_pages_after_the_first_are_navigated_to_and_print_as_when_loaded_alone(built_site, tmp_path) -> None:
    site = built_site.index.parent

    together = _printed(site, PAGES, tmp_path / "tillsammans")
    # A tab each, side by side in one browser: each page is the first its tab loads (navigated is False).
    alone = _printed(site, PAGES, tmp_path / "ensam", workers=len(PAGES))

    assert [page.navigated for page in together] == [False, True, True]
    assert [page.navigated for page in alone] == [False, False, False]
    for one_tab, fresh in zip(together, alone, strict=True):
        assert _what(one_tab) == _what(fresh), one_tab.path
        assert not one_tab.console_errors and not one_tab.blocked_requests, one_tab.path
    assert "Aneby" in _what(together[0])[0] and "Höglandet" in _what(together[1])[0]


def test_a_page_missing_from_the_build_fails_after_navigation_too(built_site, tmp_path) -> None:
    # The router would render /kommun/9999/ from the kommun page pattern; the server has no such page.
    with pytest.raises(PdfError, match=r"/kommun/9999/ finns inte i den byggda webbplatsen \(HTTP 404\)"):
        _printed(built_site.index.parent, ("/kommun/0604/", "/kommun/9999/"), tmp_path)


CHARTS = """() => ({
  canvases: document.querySelectorAll(".chart canvas").length,
  drawings: document.querySelectorAll(".chart img").length,  // drawn for paper: an SVG image each
})"""


async def _charts_drawn(site: Path, path: str) -> dict[str, int]:
    from playwright.async_api import async_playwright

    from orchestration.lib.report.pdf import CHROMIUM_ARGS, chromium_path
    from orchestration.lib.report.print_tab import Tab
    from orchestration.lib.report.static_site import serve_static

    with serve_static(site) as base_url:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            tab = Tab(await browser.new_context(), base_url, site)
            await tab.show(path, 90)
            await tab.page.evaluate(SCROLL_PAST_EVERY_CHART)  # screen charts are drawn as they are reached
            drawn = await tab.page.evaluate(CHARTS)
            await browser.close()
    return drawn


def test_a_page_shown_for_printing_draws_its_charts_once_for_paper(built_site, tmp_path, monkeypatch) -> None:
    import asyncio

    from orchestration.lib.report import print_tab

    site, path = built_site.index.parent, PAGES[1]
    drawn = _in_thread(asyncio.run, _charts_drawn(site, path))
    assert drawn["canvases"] == 0 and drawn["drawings"] > 0, drawn  # no screen chart drawn to be thrown away
    print_only = _printed(site, (path,), tmp_path / "for-paper")[0]

    # Unset, the page draws its screen charts and Evidence draws them again for paper at `beforeprint`.
    monkeypatch.setattr(print_tab, "PRINT_ONLY", "")
    assert _in_thread(asyncio.run, _charts_drawn(site, path))["canvases"] > 0
    as_before = _printed(site, (path,), tmp_path / "as-before")[0]
    assert _what(print_only) == _what(as_before)
    assert print_only.target.stat().st_size == pytest.approx(as_before.target.stat().st_size, rel=0.02)
