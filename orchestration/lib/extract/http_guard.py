"""Limits on what the HTTP clients will fetch: only the configured sources, bodies of bounded size, and
no longer a pause than MAX_RETRY_AFTER when a server asks for one (see http.py).

A response's links (Kolada's next_url) come from the network, so they are not trusted: a link is only
followed to the origin (scheme, host, port) and path prefix of a configured base URL. Bodies are read as
a stream and given up as soon as they pass the size limit, so a huge answer never sits in memory.
"""

from __future__ import annotations

import email.utils
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

# A Kolada page of 5000 data objects is a few MB; SCB's largest answer (150,000 cells) about 10 MB.
MAX_BODY_BYTES = 64 * 1024 * 1024
ERROR_EXCERPT_BYTES = 2048


class TooLargeError(ValueError):
    """A body longer than the limit."""


@dataclass(frozen=True)
class Allowed:
    """The base URLs requests may go to: same origin, and a path at or below the base's path."""

    bases: tuple[str, ...]

    @classmethod
    def of(cls, bases: Sequence[str]) -> Allowed:
        return cls(tuple(b.rstrip("/") for b in bases if b))

    def permits(self, url: str) -> bool:
        if not self.bases:
            return True
        return any(_within(httpx.URL(url), httpx.URL(base)) for base in self.bases)

    def follow(self, current: str, link: str) -> str | None:
        """The URL to fetch for a link found in `current`'s body, or None when it leads elsewhere.

        A relative link is resolved against the page; a link to the right host and path that differs
        only in scheme (http for https) is fetched with the configured scheme, never a weaker one.
        """
        target = httpx.URL(current).join(link)
        # A link stays with the source of the page it was found in (a Kolada link never leads to SCB).
        own = [b for b in self.bases if _within(httpx.URL(current), httpx.URL(b))] or self.bases
        for base in (httpx.URL(b) for b in own):
            # No explicit port: the scheme's default, which changes with the scheme; else it must match.
            same_place = target.host == base.host and target.port in (None, _port(base))
            if same_place and _under(target.path, base.path):
                return str(target.copy_with(scheme=base.scheme, port=base.port))
        return None if self.bases else str(target)


def _port(url: httpx.URL) -> int | None:
    return url.port or {"http": 80, "https": 443}.get(url.scheme)


def _within(url: httpx.URL, base: httpx.URL) -> bool:
    same_origin = (url.scheme, url.host, _port(url)) == (base.scheme, base.host, _port(base))
    return same_origin and _under(url.path, base.path)


def _under(path: str, prefix: str) -> bool:
    # Dot segments are resolved first, so /v3/../admin is not taken for a path below /v3.
    normal = posixpath.normpath(path or "/")
    prefix = posixpath.normpath(prefix or "/")
    return prefix == "/" or normal == prefix or normal.startswith(prefix + "/")


async def read_bounded(response: httpx.Response, limit: int) -> bytes:
    """The whole body, or TooLargeError as soon as it passes `limit` bytes (declared or received)."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLargeError(f"svaret är {int(declared) / 1e6:.1f} MB, mer än gränsen {limit / 1e6:.1f} MB")
    chunks: list[bytes] = []
    received = 0
    async for chunk in response.aiter_bytes():
        received += len(chunk)
        if received > limit:
            raise TooLargeError(f"svaret är större än gränsen {limit / 1e6:.1f} MB; hämtningen avbröts")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_excerpt(response: httpx.Response) -> str:
    """The start of an error body, for the message, without reading the rest."""
    data = b""
    async for chunk in response.aiter_bytes():
        data += chunk
        if len(data) >= ERROR_EXCERPT_BYTES:
            break
    return data[:200].decode("utf-8", errors="replace")


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
