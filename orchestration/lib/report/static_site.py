"""Serving a built static site on 127.0.0.1 only, as a web server would, for printing and browser tests."""

from __future__ import annotations

import functools
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class SiteMissingError(RuntimeError):
    """The folder holds no built site."""


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
        raise SiteMissingError(f"Ingen byggd webbplats i {root} (index.html saknas)")
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
