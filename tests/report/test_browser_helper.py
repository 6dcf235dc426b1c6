"""The page opener the report tests share: a request for another host is recorded and never sent."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from orchestration.lib.report.pdf import serve_static
from tests.report.browser import open_page

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body><article>
<p id="local"></p><p id="outside"></p><img src="{outside}/bild.png">
<script>
fetch("/local.txt").then((r) => r.text()).then((t) => (document.getElementById("local").textContent = t));
fetch("{outside}/data.json")
  .then(() => (document.getElementById("outside").textContent = "nådd"))
  .catch(() => (document.getElementById("outside").textContent = "stoppad"));
</script></article></body></html>"""


class _Counting(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []  # the paths asked for, by any request that reached the server

    def do_GET(self) -> None:
        _Counting.hits.append(self.path)
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def other_host() -> Iterator[str]:
    """A real server on another loopback address (127.0.0.2): another host, as the internet would be."""
    server = http.server.ThreadingHTTPServer(("127.0.0.2", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.2:{server.server_port}"
    server.shutdown()


def test_a_request_for_another_host_is_recorded_and_never_sent(
    tmp_path: Path, browser, other_host: str
) -> None:
    (tmp_path / "index.html").write_text(PAGE.format(outside=other_host))
    (tmp_path / "local.txt").write_text("lokal")
    _Counting.hits.clear()
    with serve_static(tmp_path) as url:
        visit = open_page(browser, url, "/")
        visit.page.wait_for_function("document.getElementById('outside').textContent !== ''")
        assert visit.page.inner_text("#local") == "lokal"
        assert visit.page.inner_text("#outside") == "stoppad"
        assert sorted(visit.offhost) == [f"{other_host}/bild.png", f"{other_host}/data.json"]
        assert f"{url}/local.txt" in visit.requests
    assert _Counting.hits == []
