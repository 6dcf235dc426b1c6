"""Polite HTTP for the source APIs: a token-bucket throttle, bounded concurrency, retries with backoff."""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, date, datetime
from types import TracebackType
from typing import Any, TypeVar

import httpx

from orchestration.lib.extract.http_guard import (
    MAX_BODY_BYTES,
    Allowed,
    TooLargeError,
    read_bounded,
    read_excerpt,
    retry_after_seconds,
)
from orchestration.lib.ops.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# A longer Retry-After than this is an outage, not throttling: fail now and say so.
MAX_RETRY_AFTER = 300.0
# One request, all attempts and waits included, may take this long before the run fails and says so.
DEADLINE = 300.0


class FetchError(RuntimeError):
    """A request that could not be completed (or was refused before it was made); names the URL."""

    def __init__(self, url: str, reason: str, attempts: int) -> None:
        self.url = url
        self.reason = reason
        if attempts:
            super().__init__(f"Hämtningen av {url} misslyckades efter {attempts} försök: {reason}")
        else:
            super().__init__(f"Hämtningen av {url} vägrades: {reason}")


@dataclass(frozen=True)
class Fetched:
    """One completed response, as kept in raw.responses."""

    url: str
    status: int
    body: bytes
    fetched_at: datetime
    sha256: str


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0

    def backoff(self, attempt: int) -> float:
        # Exponential with jitter, so clients that failed together do not retry together.
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return ceiling * random.uniform(0.5, 1.0)


class Throttle:
    """Token bucket: `rate` requests per second on average, at most `burst` at once.

    A burst of one second's worth is the usual reading of "5 requests/s"; a 429's Retry-After holds
    every waiting request, not only the one that got it.
    """

    def __init__(self, rate: float | None, burst: float | None = None) -> None:
        self.rate = rate if rate and rate > 0 else None
        self.burst = max(1.0, burst if burst is not None else (self.rate or 1.0))
        self._tokens = self.burst
        self._stamp = time.monotonic()
        self._held_until = 0.0
        self._lock = asyncio.Lock()

    def hold(self, seconds: float) -> None:
        self._held_until = max(self._held_until, time.monotonic() + seconds)

    async def acquire(self) -> None:
        async with self._lock:  # first come, first served
            while True:
                wait = self._wait_needed()
                if wait <= 0:
                    return
                await asyncio.sleep(wait)

    def _wait_needed(self) -> float:
        now = time.monotonic()
        if now < self._held_until:
            return self._held_until - now
        if self.rate is None:
            return 0.0
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            return 0.0
        return (1.0 - self._tokens) / self.rate


class Fetcher:
    """GETs through one AsyncClient, held to the throttle, with at most `max_in_flight` open requests.

    Only URLs under `allowed` are fetched; each request has `deadline` seconds in all (every attempt's
    transfer and the waits between them; `timeout` is per read), and a body may be `max_bytes` long.
    """

    def __init__(
        self,
        *,
        rate: float | None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 60.0,
        retry: RetryPolicy | None = None,
        max_in_flight: int = 8,
        allowed: Allowed | None = None,
        deadline: float = DEADLINE,
        max_bytes: int = MAX_BODY_BYTES,
    ) -> None:
        self.throttle = Throttle(rate)
        self.retry = retry or RetryPolicy()
        self.requests = 0
        self.allowed = allowed or Allowed(())
        self.deadline, self.max_bytes = deadline, max_bytes
        self._slots = asyncio.Semaphore(max_in_flight)
        self._client = httpx.AsyncClient(
            transport=transport,
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": "uppsikt (uppfoljning av mellankommunal samverkan)"},
        )

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._client.aclose()

    async def get(self, url: str, params: dict[str, str] | None = None) -> Fetched:
        """The response body of a 2xx answer; retried on throttling, server errors and broken transfers."""
        request_url = str(httpx.URL(url, params=params)) if params else url
        if not self.allowed.permits(request_url):
            raise FetchError(
                request_url, f"adressen ligger utanför källorna ({', '.join(self.allowed.bases)})", 0
            )
        budget, reason = self.deadline, ""
        for attempt in range(1, self.retry.attempts + 1):
            outcome, spent = await self._attempt(request_url, attempt, budget)
            if isinstance(outcome, Fetched):
                return outcome
            reason, wait = outcome
            budget -= spent  # time on the wire only: waiting for a turn is not the server's doing
            if attempt < self.retry.attempts and budget > wait:
                log.warning("%s: %s; nytt försök om %.1f s", request_url, reason, wait)
                await asyncio.sleep(wait)
                budget -= wait
            elif attempt < self.retry.attempts:
                raise FetchError(request_url, f"{reason}; tidsgränsen {self.deadline:g} s är nådd", attempt)
        raise FetchError(request_url, reason, self.retry.attempts)

    async def _attempt(
        self, url: str, attempt: int, budget: float
    ) -> tuple[Fetched | tuple[str, float], float]:
        """One try: the response, or why it failed and how long to wait; and the seconds it took."""
        async with self._slots:
            await self.throttle.acquire()
            self.requests += 1
            started = time.monotonic()
            return await self._bounded(url, attempt, budget), time.monotonic() - started

    async def _bounded(self, url: str, attempt: int, budget: float) -> Fetched | tuple[str, float]:
        try:
            # The whole transfer within what is left of the deadline, not only each read.
            async with asyncio.timeout(max(budget, 0.0)):
                return await self._exchange(url, attempt)
        except TimeoutError:
            reason = f"inget komplett svar inom tidsgränsen {self.deadline:g} s"
            raise FetchError(url, reason, attempt) from None
        except httpx.TimeoutException as exc:
            return f"tidsgränsen överskreds ({type(exc).__name__})", self.retry.backoff(attempt)
        except httpx.TransportError as exc:
            # Dropped connections and bodies cut short (Content-Length not met) land here.
            return f"överföringen avbröts ({type(exc).__name__}: {exc})", self.retry.backoff(attempt)

    async def _exchange(self, url: str, attempt: int) -> Fetched | tuple[str, float]:
        async with self._client.stream("GET", url) as response:
            status = response.status_code
            if 200 <= status < 300:
                try:
                    body = await read_bounded(response, self.max_bytes)
                except TooLargeError as exc:
                    raise FetchError(url, str(exc), attempt) from None
                return Fetched(url, status, body, datetime.now(UTC), hashlib.sha256(body).hexdigest())
            if status not in RETRY_STATUSES:
                raise FetchError(url, f"HTTP {status}: {await read_excerpt(response)}", attempt)
            return self._retry_wait(url, response, attempt)

    def _retry_wait(self, url: str, response: httpx.Response, attempt: int) -> tuple[str, float]:
        status = response.status_code
        wait = self.retry.backoff(attempt)
        hinted = retry_after_seconds(response.headers.get("Retry-After"))
        if hinted is not None and hinted > MAX_RETRY_AFTER:
            raise FetchError(url, f"HTTP {status}, servern ber om {hinted:.0f} s paus (Retry-After)", attempt)
        if hinted is not None:
            self.throttle.hold(hinted)
            wait = max(hinted, 0.0) + random.uniform(0.0, 0.1)
        return f"HTTP {status}", wait


class WireFormatError(ValueError):
    """A response that is not in the source's wire format; the message names the URL and the field."""

    def __init__(self, url: str, field: str, detail: str) -> None:
        self.url = url
        self.field = field
        super().__init__(f"{url}: {detail} (fält: {field})")


def load_json_object(fetched: Fetched) -> dict[str, Any]:
    """The body as a JSON object, or a clear error naming the URL and where the JSON breaks."""
    try:
        document = json.loads(fetched.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WireFormatError(fetched.url, "(svaret)", f"ogiltig JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise WireFormatError(fetched.url, "(svaret)", "svaret är inte ett JSON-objekt")
    return document


async def gather_or_raise(coros: list[Coroutine[Any, Any, T]]) -> list[T]:
    """Run coroutines together; on the first failure cancel the rest and raise that failure itself."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(c) for c in coros]
    except BaseExceptionGroup as failed:
        raise _first_leaf(failed) from None
    return [t.result() for t in tasks]


def _first_leaf(group: BaseExceptionGroup) -> BaseException:
    first = group.exceptions[0]
    return _first_leaf(first) if isinstance(first, BaseExceptionGroup) else first


@dataclass(frozen=True)
class SourceAccess:
    """Where and how the clients reach Kolada and SCB: live over the network or the demo snapshot."""

    kolada_base_url: str
    scb_base_url: str
    rate: float | None
    as_of: date
    incremental: bool
    transport: httpx.AsyncBaseTransport | None = None
    data_source: str = "live"  # what the warehouse will be marked as holding (provenance.py)

    def fetcher(self, **options: Any) -> Fetcher:
        """A Fetcher for this access; `rate` may be lowered for a source with a stricter limit."""
        rate = options.pop("rate", self.rate)
        allowed = Allowed.of([self.kolada_base_url, self.scb_base_url])
        return Fetcher(rate=rate, transport=self.transport, allowed=allowed, **options)


def source_access(settings: Settings) -> SourceAccess:
    """Live: the configured base URLs, throttled, incremental. Demo: the snapshot, same code, no throttle."""
    if not settings.is_demo:
        return SourceAccess(
            settings.kolada_base_url, settings.scb_base_url, settings.kolada_rate, date.today(), True
        )
    from orchestration.lib.extract.recorded import Snapshot, SnapshotTransport

    snapshot = Snapshot.open(settings.demo_snapshot)
    # The snapshot is one moment: every demo run reads it whole, as a first pull would.
    return SourceAccess(
        snapshot.kolada_base_url,
        snapshot.scb_base_url,
        None,
        snapshot.as_of,
        False,
        SnapshotTransport(snapshot),
        "demo",
    )
