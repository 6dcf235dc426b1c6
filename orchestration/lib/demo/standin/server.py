"""A real HTTP server on 127.0.0.1 (ephemeral port) serving the stand-in app, one thread per request."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from orchestration.lib.demo.standin.app import Reply, StandinApp
from orchestration.lib.demo.standin.faults import Fault


@dataclass(frozen=True)
class RunningStandin:
    app: StandinApp
    origin: str  # http://127.0.0.1:PORT

    @property
    def kolada_base_url(self) -> str:
        return self.origin + self.app.kolada_prefix

    @property
    def scb_base_url(self) -> str:
        return self.origin + self.app.scb_prefix

    @property
    def requests(self) -> int:
        return len(self.app.faults.served)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        host = self.headers.get("Host") or f"127.0.0.1:{self.server.server_port}"
        reply = self.server.app.respond(f"http://{host}{self.path}")
        kind = reply.fault.kind if reply.fault else None
        if kind == "stall":
            time.sleep(reply.fault.seconds if reply.fault else 0)
        if kind == "drop":
            self._drop()
            return
        if kind == "oversize" and reply.fault:
            self._oversize(reply.fault)
            return
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        if kind == "truncate":
            self.send_header("Connection", "close")
        self.end_headers()
        self._write(reply, kind)

    def _oversize(self, fault: Fault) -> None:
        # No Content-Length: the client learns the size only by reading, as from a hostile server.
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = b" " * 65536
        with contextlib.suppress(OSError):
            while fault.sent < fault.size:
                self.wfile.write(chunk)
                fault.sent += len(chunk)
        self._drop()

    def _write(self, reply: Reply, kind: str | None) -> None:
        with contextlib.suppress(OSError):  # the client may have given up (stall) and gone
            if kind == "trickle" and reply.fault:
                for i in range(len(reply.body)):
                    self.wfile.write(reply.body[i : i + 1])
                    self.wfile.flush()
                    time.sleep(reply.fault.seconds)
            elif kind == "truncate":
                self.wfile.write(reply.body[: len(reply.body) // 2])
                self.wfile.flush()
                self._drop()
            else:
                self.wfile.write(reply.body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the app keeps its own log of what it served


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 64

    def __init__(self, app: StandinApp) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.app = app


@contextlib.contextmanager
def serve(app: StandinApp) -> Iterator[RunningStandin]:
    """Run the app on 127.0.0.1 at an ephemeral port for the duration of the block."""
    server = _Server(app)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield RunningStandin(app, f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
