"""The page opener the report tests share: a request for another host is recorded and never sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.lib.report.pdf import serve_static
from tests.counting_server import counting_server
from tests.report import browser as pages
from tests.report.browser import StaleVisit, open_page

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body><article>
<p id="local"></p><p id="outside"></p><img src="{outside}/bild.png">
<script>
fetch("/local.txt").then((r) => r.text()).then((t) => (document.getElementById("local").textContent = t));
fetch("{outside}/data.json")
  .then(() => (document.getElementById("outside").textContent = "nådd"))
  .catch(() => (document.getElementById("outside").textContent = "stoppad"));
</script></article></body></html>"""


@pytest.fixture
def other_host() -> Iterator[tuple[str, list[str]]]:
    """A real server on another loopback address (127.0.0.2): another host, as the internet would be."""
    with counting_server("127.0.0.2") as server:
        yield server


def test_a_request_for_another_host_is_recorded_and_never_sent(
    tmp_path: Path, browser, other_host: tuple[str, list[str]]
) -> None:
    other, hits = other_host
    (tmp_path / "index.html").write_text(PAGE.format(outside=other))
    (tmp_path / "local.txt").write_text("lokal")
    with serve_static(tmp_path) as url:
        visit = open_page(browser, url, "/")
        visit.page.wait_for_function("document.getElementById('outside').textContent !== ''")
        assert visit.page.inner_text("#local") == "lokal"
        assert visit.page.inner_text("#outside") == "stoppad"
        assert sorted(visit.offhost) == [f"{other}/bild.png", f"{other}/data.json"]
        assert f"{url}/local.txt" in visit.requests
    assert hits == []


def test_a_tab_shows_the_next_page_with_its_own_errors_and_the_usual_window(
    tmp_path: Path, browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages, "TABS", 1)  # every page after the first in the tab the last one used
    (tmp_path / "index.html").write_text("<!doctype html><title>start</title>")
    # The first page goes on erring until it is left: each of them is its error, not the next page's.
    erring = 'console.error("fel på sidan"); setInterval(() => console.error("fel på sidan"), 2);'
    for name, script in [("fel", erring), ("hel", "")]:
        (tmp_path / name).mkdir()
        head = '<meta charset="utf-8"><link rel="icon" href="data:,">'
        page = f"<!doctype html><head>{head}</head><body><article>{name}</article><script>{script}</script>"
        (tmp_path / name / "index.html").write_text(page)
    with serve_static(tmp_path) as url:
        first = open_page(browser, url, "/fel/")
        first.page.set_viewport_size({"width": 390, "height": 844})
        first.page.emulate_media(media="print")
        second = open_page(browser, url, "/hel/")

        assert second.tab is first.tab
        assert set(first.errors) == {"fel på sidan"} and second.errors == []
        assert second.page.viewport_size == pages.VIEWPORT
        assert second.page.evaluate("matchMedia('print').matches") is False
        with pytest.raises(StaleVisit):
            first.page.inner_text("article")  # the tab shows another page now
