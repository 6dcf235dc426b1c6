"""Record the demo snapshot: the real clients pull the simulated world from the stand-in, every answer kept.

The stand-in runs in-process behind the public base URLs (no socket, nothing leaves the machine), so the
recorded URLs and next_url links are the ones the clients build in demo mode.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pandas as pd

from orchestration.lib.demo.standin.app import StandinApp
from orchestration.lib.demo.standin.inprocess import StandinTransport
from orchestration.lib.demo.world import DemoWorld
from orchestration.lib.extract.http import SourceAccess
from orchestration.lib.extract.kolada.extract import kolada_scope, run_kolada
from orchestration.lib.extract.recorded import INDEX
from orchestration.lib.extract.registry.model import Registry
from orchestration.lib.extract.scb.extract import run_scb, scb_scope
from orchestration.lib.ops.settings import DEFAULT_KOLADA_BASE_URL, DEFAULT_SCB_BASE_URL

SOURCES = ("kolada", "scb")


class RecordingTransport(httpx.AsyncBaseTransport):
    """Passes requests on and writes every successful answer to `directory` (one gzip file per URL)."""

    def __init__(self, inner: httpx.AsyncBaseTransport, directory: Path, kolada_base_url: str) -> None:
        self.inner = inner
        self.directory = directory
        self.kolada_base_url = kolada_base_url
        self.files: dict[str, str] = {}

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        body = await response.aread()
        if response.status_code == 200:
            self._keep(str(request.url), body)
        return httpx.Response(response.status_code, content=body, headers=response.headers, request=request)

    def _keep(self, url: str, body: bytes) -> None:
        source = "kolada" if url.startswith(self.kolada_base_url) else "scb"
        name = f"{source}/{hashlib.sha256(url.encode()).hexdigest()[:24]}.json.gz"
        path = self.directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        # mtime 0: the same world gives byte-identical files
        path.write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
        self.files[url] = name


def world_as_of(world: DemoWorld) -> date:
    """The world's 'today': the last day any of its values changed."""
    updated = pd.to_datetime(world.kolada_values["updated"])
    return updated.max().date() if len(updated) else date.today()


def record_snapshot(world: DemoWorld, registry: Registry, out_dir: Path, as_of: date | None = None) -> Path:
    """Pull `world` with the real clients for `registry` and replace the snapshot in `out_dir`."""
    as_of = as_of or world_as_of(world)
    app = StandinApp(
        world,
        kolada_prefix=urlsplit(DEFAULT_KOLADA_BASE_URL).path,
        scb_prefix=urlsplit(DEFAULT_SCB_BASE_URL).path,
    )
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir.parent, prefix=".snapshot-") as tmp:
        staged = Path(tmp) / "snapshot"
        recorder = RecordingTransport(StandinTransport(app), staged, DEFAULT_KOLADA_BASE_URL)
        access = SourceAccess(
            DEFAULT_KOLADA_BASE_URL, DEFAULT_SCB_BASE_URL, None, as_of, False, recorder, "demo"
        )
        warehouse = Path(tmp) / "recording.duckdb"
        run_kolada(warehouse, access, kolada_scope(registry))
        run_scb(warehouse, access, scb_scope(registry))
        _write_index(staged, recorder.files, as_of)
        _replace(staged, out_dir)
    return out_dir


def _write_index(directory: Path, files: dict[str, str], as_of: date) -> None:
    index = {
        "note": "Demodata – simulerade värden, inte verklig statistik.",
        "kolada_base_url": DEFAULT_KOLADA_BASE_URL,
        "scb_base_url": DEFAULT_SCB_BASE_URL,
        "as_of": as_of.isoformat(),
        "responses": dict(sorted(files.items())),
    }
    (directory / INDEX).write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _replace(staged: Path, out_dir: Path) -> None:
    """Swap the recorded files in; only the snapshot's own files are removed from out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in (*SOURCES, INDEX):
        old = out_dir / name
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()
    for name in (*SOURCES, INDEX):
        if (staged / name).exists():
            shutil.move(str(staged / name), str(out_dir / name))
