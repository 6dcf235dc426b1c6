"""The stand-in app: routes a request URL to Kolada or SCB, renders the body, applies injected faults."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from orchestration.lib.demo.standin.faults import Fault, FaultPlan
from orchestration.lib.demo.standin.kolada_api import BadRequest, KoladaApi
from orchestration.lib.demo.standin.scb_api import ScbApi, ScbError
from orchestration.lib.demo.world import DemoWorld

KOLADA_PREFIX = "/kolada/v3"
SCB_PREFIX = "/scb/api/v2"
STATS_PATH = "/_standin/stats"


@dataclass
class Reply:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    fault: Fault | None = None  # a transport-level fault (stall, truncate, drop) for the server to act out


def _json(status: int, document: Any, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(document, ensure_ascii=False).encode()
    return Reply(status, body, {"Content-Type": "application/json; charset=utf-8", **(headers or {})})


def render_page(page: dict[str, Any]) -> bytes:
    """A Kolada page whose values are already JSON texts (pre-rendered for speed)."""
    head = {k: page[k] for k in ("count", "next_url", "previous_url")}
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    return f'{opening}, "values": [{",".join(page["values"])}]}}'.encode()


class StandinApp:
    """Kolada v3 under `kolada_prefix`, SCB PxWebApi v2 under `scb_prefix`, both from one DemoWorld."""

    def __init__(
        self,
        world: DemoWorld,
        *,
        kolada_prefix: str = KOLADA_PREFIX,
        scb_prefix: str = SCB_PREFIX,
        latency: float = 0.0,
        scb_updated: str = "2026-05-28T06:00:00Z",
        max_per_page: int = 5000,
    ) -> None:
        self.kolada_prefix = kolada_prefix.rstrip("/")
        self.scb_prefix = scb_prefix.rstrip("/")
        self.latency = latency
        self.faults = FaultPlan()
        # Smaller pages than clients ask for, as an API may serve, make long next_url chains in small tests.
        self.kolada = KoladaApi(world, max_per_page)
        self.scb = ScbApi(world, scb_updated)

    def reload(self) -> None:
        """Serve the DemoWorld as it is now (call after changing its tables)."""
        self.kolada.reload()
        self.scb = ScbApi(self.scb.world, self.scb.updated)

    def remove_kpi(self, kpi: str) -> None:
        """Kolada stops knowing a KPI: gone from metadata and data."""
        self.kolada.removed_kpis.add(kpi)

    def respond(self, url: str) -> Reply:
        """The answer to GET url (absolute), after the latency and any fault planned for it."""
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if parts.path == STATS_PATH:  # for benchmarks in another process; not logged as served
            return _json(200, {"served": len(self.faults.served)})
        if self.latency:
            time.sleep(self.latency)
        fault = self.faults.take(target)
        reply = self._faulty(fault) if fault else None
        if reply is None:
            reply = self._route(f"{parts.scheme}://{parts.netloc}", parts.path, parse_qsl(parts.query))
            reply = _spoil(reply, fault, url) if fault else reply
        self.faults.note(target, reply.status, fault)
        return reply

    def _faulty(self, fault: Fault) -> Reply | None:
        if fault.kind == "429":
            return _json(429, {"error": "Too Many Requests"}, {"Retry-After": f"{fault.retry_after:g}"})
        if fault.kind == "500":
            return _json(500, {"error": "Internal Server Error"})
        return None

    def _route(self, origin: str, path: str, query: list[tuple[str, str]]) -> Reply:
        try:
            if path.startswith(self.kolada_prefix + "/"):
                page = self.kolada.handle(path[len(self.kolada_prefix) :], query, origin + self.kolada_prefix)
                return Reply(200, render_page(page), {"Content-Type": "application/json; charset=utf-8"})
            if path.startswith(self.scb_prefix + "/"):
                return _json(200, self.scb.handle(path[len(self.scb_prefix) :], query))
        except BadRequest as exc:
            return _json(400, {"error": str(exc)})
        except ScbError as exc:
            return _json(exc.status, {"title": str(exc), "status": exc.status})
        except LookupError:
            pass
        return _json(404, {"error": f"no route for {path}"})


def _spoil(reply: Reply, fault: Fault, url: str) -> Reply:
    """Body-level faults change the answer; transport-level ones ride along for the server."""
    if fault.kind == "malformed":
        return Reply(reply.status, reply.body[: len(reply.body) // 2], reply.headers)
    if fault.kind in ("missing_field", "next_url", "count", "value"):
        return _json(reply.status, _edited(json.loads(reply.body), fault, url))
    reply.fault = fault
    return reply


def _edited(document: dict[str, Any], fault: Fault, url: str) -> dict[str, Any]:
    values = document.get("values") or []
    if fault.kind == "missing_field" and values:
        values[0].pop(fault.field, None)
    elif fault.kind == "next_url":
        document["next_url"] = url if fault.url == "self" else fault.url
    elif fault.kind == "count":
        document["count"] = fault.count
    elif fault.kind == "value" and values and values[0].get("values"):
        values[0]["values"][0]["value"] = fault.value
    elif fault.kind == "value" and document.get("value"):  # SCB's JSON-stat2
        document["value"][0] = fault.value
    return document
