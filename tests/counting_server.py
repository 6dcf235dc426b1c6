"""A real HTTP server that only counts: where a page must not send a request, the count proves none came."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def counting_server(host: str) -> Iterator[tuple[str, list[str]]]:
    """Serve on `host` at an ephemeral port; yields the base URL and the paths asked for so far (each
    answered with an empty JSON object that any origin may read)."""
    hits: list[str] = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((host, 0), Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{host}:{server.server_port}", hits
    finally:
        server.shutdown()
        server.server_close()
