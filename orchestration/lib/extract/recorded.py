"""Recorded responses served to the real clients: an httpx transport that answers from files.

A recording holds one gzip file per request and index.json mapping each URL to its file, plus the base
URLs and the date it was recorded as of, so the clients build exactly the URLs they asked for when it was
recorded. The demo snapshot (settings.demo_snapshot) is such a recording; how it is made (simulation,
recording) is demo tooling in lib/demo and is not needed here.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import httpx

INDEX = "index.json"


class SnapshotMissError(LookupError):
    """A request the snapshot has no recorded answer for."""

    def __init__(self, url: str, snapshot: Path) -> None:
        self.url = url
        super().__init__(
            f"Demodata saknar svar för {url} (ögonblicksbild: {snapshot}). Registret efterfrågar något "
            "som inte spelades in: kör `uppsikt demo generate` för att spela in demodata på nytt."
        )


@dataclass(frozen=True)
class Snapshot:
    directory: Path
    kolada_base_url: str
    scb_base_url: str
    as_of: date
    files: dict[str, str]

    @classmethod
    def open(cls, directory: Path) -> Snapshot:
        index_path = directory / INDEX
        if not index_path.is_file():
            raise FileNotFoundError(
                f"Demodata saknas: {index_path} finns inte. Kör `uppsikt demo generate` för att skapa den."
            )
        index = json.loads(index_path.read_text(encoding="utf-8"))
        return cls(
            directory=directory,
            kolada_base_url=index["kolada_base_url"],
            scb_base_url=index["scb_base_url"],
            as_of=date.fromisoformat(index["as_of"]),
            files=dict(index["responses"]),
        )

    def body(self, url: str) -> bytes:
        name = self.files.get(url)
        if name is None:
            raise SnapshotMissError(url, self.directory)
        return gzip.decompress((self.directory / name).read_bytes())


class SnapshotTransport(httpx.AsyncBaseTransport):
    """Answers every GET from the snapshot; anything unrecorded is an error, never a network call."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = self.snapshot.body(str(request.url))
        return httpx.Response(
            200, content=body, headers={"Content-Type": "application/json; charset=utf-8"}, request=request
        )
