"""The page opener the report tests share: a request for another host is recorded and never sent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.lib.report.pdf import serve_static
from tests.counting_server import counting_server
from tests.report.browser import open_page

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
